#include "resources/common.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const struct schema_validator lsms_name_255_validators[] = {
    {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
     .message = "letters, digits, '-' and '_', 1 to 255 characters"},
    {.kind = VALIDATE_LENGTH, .min = 1, .max = 255,
     .message = "letters, digits, '-' and '_', 1 to 255 characters"},
    {0}};

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

uint64_t resource_timeout_ms(const struct cty_value *state, const char *op, uint64_t default_ms)
{
    const char *text = cty_attr_string(cty_value_attr(state, "timeouts"), op);
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
