#include "resources/common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct schema_validator lsms_name_255_validators[] = {
    {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
     .message = "letters, digits, '-' and '_', 1 to 255 characters"},
    {.kind = VALIDATE_LENGTH, .min = 1, .max = 255,
     .message = "letters, digits, '-' and '_', 1 to 255 characters"},
    {0}};

/* S3's reserved affixes (general purpose bucket naming rules, S3 user
 * guide); each would make CreateBucket fail or name something else. */
static const char *const bucket_reserved_prefixes[] = {"xn--", "sthree-", "amzn-s3-demo-", NULL};
static const char *const bucket_reserved_suffixes[] = {"-s3alias", "--ol-s3", ".mrap", "--x-s3",
                                                       "--table-s3", NULL};

static bool bucket_ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

const char *lsms_bucket_name_problem(const char *name)
{
    if (!name)
        return "it is empty";
    size_t len = strlen(name);
    if (len < 3 || len > 63)
        return "it must be 3 to 63 characters long";
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == '.')
            return "it contains a dot, which MediaLive cannot write to (S3 allows dots, but "
                   "TLS to a dotted bucket fails)";
        if (isupper(c))
            return "it contains an upper-case letter";
        if (!(islower(c) || isdigit(c) || c == '-'))
            return "only lower-case letters, digits and '-' are allowed";
    }
    if (!isalnum((unsigned char)name[0]) || !isalnum((unsigned char)name[len - 1]))
        return "it must start and end with a letter or a digit";
    for (const char *const *p = bucket_reserved_prefixes; *p; p++)
        if (strncmp(name, *p, strlen(*p)) == 0)
            return "it starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)";
    for (const char *const *p = bucket_reserved_suffixes; *p; p++)
        if (bucket_ends_with(name, len, *p))
            return "it ends with a suffix S3 reserves (-s3alias, --ol-s3, .mrap, --x-s3, "
                   "--table-s3)";
    return NULL;
}

void lsms_bucket_name_validate(const struct cty_value *v, const struct attr_path *path,
                               struct diags *d)
{
    const char *s = cty_value_string(v);
    const char *why = s ? lsms_bucket_name_problem(s) : NULL;
    if (!why)
        return;
    char *where = attr_path_to_string(path);
    char summary[160];
    snprintf(summary, sizeof summary, "Invalid value for \"%s\"", where ? where : "bucket");
    diags_add(d, DIAG_ERROR, path, summary,
              "\"%s\" is not a bucket name S3 and MediaLive accept: %s. Use 3 to 63 "
              "lower-case letters, digits and '-', such as live-stream-origin.",
              s, why);
    free(where);
}

const struct schema_validator lsms_bucket_name_validators[] = {
    {.kind = VALIDATE_FUNC, .func = lsms_bucket_name_validate}, {0}};

const struct schema_validator lsms_s3_bucket_name_validators[] = {
    /* Too short names get the one length message, not this one too. */
    {.kind = VALIDATE_REGEX, .regex = "^([a-z0-9]|[a-z0-9][a-z0-9.-]*[a-z0-9])?$",
     .message = "an S3 bucket name: lower-case letters, digits, '.' and '-', starting "
                "and ending with a letter or digit"},
    {.kind = VALIDATE_LENGTH, .min = 3, .max = 63,
     .message = "an S3 bucket name of 3 to 63 characters"},
    {0}};

const struct schema_validator lsms_distribution_id_validators[] = {
    {.kind = VALIDATE_REGEX, .regex = "^[A-Z0-9]+$",
     .message = "a CloudFront distribution ID such as E2QWRUHAPOMQZL"},
    {.kind = VALIDATE_LENGTH, .min = 1, .max = 64,
     .message = "a CloudFront distribution ID such as E2QWRUHAPOMQZL"},
    {0}};

bool resource_value_given(const struct cty_value *v)
{
    return v && cty_value_is_known(v) && !cty_value_is_null(v);
}

bool resource_value_absent(const struct cty_value *v)
{
    return !v || (cty_value_is_known(v) && cty_value_is_null(v));
}

bool resource_attr_changed(const struct cty_value *prior, const struct cty_value *now,
                           const char *name)
{
    return !cty_value_equal(cty_value_attr(prior, name), cty_value_attr(now, name));
}

void resource_diag_oom(struct diags *d)
{
    diags_error(d, NULL, "Out of memory", "The provider ran out of memory.");
}

struct lsms_provider_data *resource_provider(struct resource_ctx *ctx)
{
    struct lsms_provider_data *pd = ctx->provider_data;
    if (!pd || !pd->client) {
        diags_error(ctx->diags, NULL, "Provider not configured",
                    "The lsms provider must be configured before its resources can be managed.");
        return NULL;
    }
    return pd;
}

void resource_diag_aws(struct diags *d, const char *attr, const char *summary,
                       const struct aws_error *err)
{
    char *why = aws_error_format(err);
    diags_error(d, attr, summary, "%s.", why ? why : "out of memory");
    free(why);
}

uint64_t resource_duration_ms(const char *text, uint64_t default_ms)
{
    if (!text || !*text)
        return default_ms;
    uint64_t total = 0, n = 0;
    bool digits = false;
    for (const char *p = text; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            n = n * 10 + (uint64_t)(*p - '0');
            digits = true;
            continue;
        }
        if (!digits)
            return default_ms;
        uint64_t unit = *p == 's' ? 1000 : *p == 'm' ? 60000 : *p == 'h' ? 3600000 : 0;
        if (!unit)
            return default_ms;
        total += n * unit;
        n = 0;
        digits = false;
    }
    /* The schema's validator only lets well-formed durations through. */
    return digits || total == 0 ? default_ms : total;
}

uint64_t resource_timeout_ms(const struct cty_value *state, const char *op, uint64_t default_ms)
{
    return resource_duration_ms(cty_attr_string(cty_value_attr(state, "timeouts"), op),
                                default_ms);
}

int resource_set_string(struct cty_value *obj, const char *name, const char *s)
{
    if (!s)
        return cty_object_set(obj, name, cty_null_new(cty_type_string()));
    return cty_object_set(obj, name, cty_string_new(s));
}

int resource_set_bool(struct cty_value *obj, const char *name, bool b)
{
    return cty_object_set(obj, name, cty_bool_new(b));
}

int resource_set_int(struct cty_value *obj, const char *name, int64_t n)
{
    return cty_object_set(obj, name, cty_number_new_int(n));
}

static int resource_map_merge(struct cty_value *into, const struct cty_value *from)
{
    for (size_t i = 0; from && i < cty_value_length(from); i++) {
        /* cty_map_put consumes the copy even when it fails (and fails on NULL). */
        if (cty_map_put(into, cty_value_map_key(from, i), cty_value_clone(cty_value_index(from, i))) != 0)
            return -1;
    }
    return 0;
}

struct cty_value *resource_tags_all(const struct lsms_provider_data *pd,
                                    const struct cty_value *tags)
{
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *all = t ? cty_collection_new(t) : NULL;
    cty_type_release(t);
    if (!all)
        return NULL;
    if (resource_map_merge(all, pd ? pd->default_tags : NULL) != 0 ||
        resource_map_merge(all, tags && cty_value_is_known(tags) ? tags : NULL) != 0) {
        cty_value_destroy(all);
        return NULL;
    }
    return all;
}

int resource_set_tags_all(const struct lsms_provider_data *pd, struct cty_value *state)
{
    return cty_object_set(state, "tags_all", resource_tags_all(pd, cty_value_attr(state, "tags")));
}
