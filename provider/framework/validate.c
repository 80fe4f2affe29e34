#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/schema.h"
#include "framework/schema_internal.h"
#include "util/buf.h"

/* What one validator run needs to word a diagnostic. */
struct check {
    const struct schema_cattr *ca;
    const struct schema_validator *v;
    const struct attr_path *path;
    struct diags *d;
};

/* The value as the user wrote it, for the detail text; collections are
 * described by size only. Returns malloc'd text or NULL. */
static char *value_render(const struct cty_value *v)
{
    struct buf b = {0};
    const char *s = cty_value_string(v);
    enum cty_kind k = cty_type_kind(cty_value_type(v));
    if (s) {
        buf_append_char(&b, '"');
        for (; *s; s++) {
            if (*s == '"' || *s == '\\')
                buf_append_char(&b, '\\');
            buf_append_char(&b, *s);
        }
        buf_append_char(&b, '"');
    } else if (k == CTY_NUMBER) {
        buf_append_str(&b, cty_value_number_text(v));
    } else if (k == CTY_BOOL) {
        buf_append_str(&b, cty_value_get_bool(v) ? "true" : "false");
    } else {
        buf_printf(&b, "with %zu elements", cty_value_length(v));
    }
    return b.data ? buf_detach(&b) : NULL;
}

/* Adds the one error of a failed check. `reason` says what is wrong and what
 * is allowed; the validator's own .message, when set, replaces the allowed
 * part. Sensitive and write-only values are never echoed. */
static void check_fail(const struct check *ck, const struct cty_value *v, const char *reason)
{
    char *where = attr_path_to_string(ck->path);
    const char *name = ck->ca->a->name;
    char summary[256];
    snprintf(summary, sizeof(summary), "Invalid value for \"%s\"", name);
    const char *msg = ck->v->message;
    if (ck->ca->a->flags & (SCHEMA_SENSITIVE | SCHEMA_WRITE_ONLY)) {
        diags_add(ck->d, DIAG_ERROR, ck->path, summary,
                  "The value of %s is not valid: %s%s%s. The value is sensitive, so it is not "
                  "shown.",
                  where ? where : name, reason, msg ? "; expected " : "", msg ? msg : "");
    } else {
        char *shown = value_render(v);
        diags_add(ck->d, DIAG_ERROR, ck->path, summary, "The value %s is not valid for %s: %s%s%s.",
                  shown ? shown : "(unprintable)", where ? where : name, reason,
                  msg ? "; expected " : "", msg ? msg : "");
        free(shown);
    }
    free(where);
}

static void check_one_of(const struct check *ck, const struct cty_value *v)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    struct buf allowed = {0};
    for (const char *const *o = ck->v->one_of; *o; o++) {
        if (strcmp(*o, s) == 0) {
            buf_clean_up(&allowed);
            return;
        }
        buf_printf(&allowed, "%s\"%s\"", o == ck->v->one_of ? "" : ", ", *o);
    }
    struct buf reason = {0};
    buf_printf(&reason, "it must be one of %s", allowed.data ? allowed.data : "");
    check_fail(ck, v, reason.data ? reason.data : "it is not an allowed value");
    buf_clean_up(&reason);
    buf_clean_up(&allowed);
}

static void check_regex(const struct check *ck, const struct cty_value *v, const regex_t *re)
{
    const char *s = cty_value_string(v);
    if (!s || regexec(re, s, 0, NULL, 0) == 0)
        return;
    struct buf reason = {0};
    buf_printf(&reason, "it does not match the pattern %s", ck->v->regex);
    check_fail(ck, v, reason.data ? reason.data : "it does not match the pattern");
    buf_clean_up(&reason);
}

/* For LENGTH and COUNT a max of 0 means "no upper bound". */
static void check_size(const struct check *ck, const struct cty_value *v, int64_t n,
                       const char *unit)
{
    const struct schema_validator *val = ck->v;
    if (n >= val->min && (val->max == 0 || n <= val->max))
        return;
    struct buf reason = {0};
    if (val->max == 0)
        buf_printf(&reason, "it has %" PRId64 " %s, at least %" PRId64 " are required", n, unit,
                   val->min);
    else
        buf_printf(&reason, "it has %" PRId64 " %s, from %" PRId64 " to %" PRId64 " are allowed",
                   n, unit, val->min, val->max);
    check_fail(ck, v, reason.data ? reason.data : "its size is out of range");
    buf_clean_up(&reason);
}

static void check_int_range(const struct check *ck, const struct cty_value *v)
{
    if (cty_type_kind(cty_value_type(v)) != CTY_NUMBER)
        return;
    int64_t n;
    struct buf reason = {0};
    if (cty_value_number_int64(v, &n) != 0)
        buf_printf(&reason, "it must be a whole number from %" PRId64 " to %" PRId64,
                   ck->v->min, ck->v->max);
    else if (n < ck->v->min || n > ck->v->max)
        buf_printf(&reason, "it must be from %" PRId64 " to %" PRId64, ck->v->min, ck->v->max);
    else
        return;
    check_fail(ck, v, reason.data ? reason.data : "it is out of range");
    buf_clean_up(&reason);
}

/* Accepts "address/prefix" where the address is the network address, as
 * hashicorp's IsCIDRNetwork does: AWS rejects or silently rewrites
 * "10.0.0.1/24", so we tell the user the network address instead. */
static void check_cidr(const struct check *ck, const struct cty_value *v)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    const char *slash = strchr(s, '/');
    char addr_text[INET6_ADDRSTRLEN + 1];
    unsigned char addr[16];
    bool v6 = strchr(s, ':') != NULL;
    int bits = v6 ? 128 : 32;
    long prefix = -1;
    if (slash && (size_t)(slash - s) < sizeof(addr_text)) {
        memcpy(addr_text, s, (size_t)(slash - s));
        addr_text[slash - s] = '\0';
        const char *p = slash + 1;
        size_t digits = strspn(p, "0123456789");
        if (digits > 0 && digits <= 3 && p[digits] == '\0' && !(p[0] == '0' && digits > 1))
            prefix = strtol(p, NULL, 10);
    }
    if (prefix < 0 || prefix > bits || inet_pton(v6 ? AF_INET6 : AF_INET, addr_text, addr) != 1) {
        check_fail(ck, v,
                   "it must be an IPv4 or IPv6 network in CIDR notation, such as 10.0.0.0/16 or "
                   "2001:db8::/32");
        return;
    }
    unsigned char net[16];
    bool host_bits = false;
    for (int i = 0; i < bits / 8; i++) {
        int keep = (int)prefix - i * 8;
        unsigned char mask = keep >= 8 ? 0xff : keep <= 0 ? 0 : (unsigned char)(0xff << (8 - keep));
        net[i] = addr[i] & mask;
        host_bits |= net[i] != addr[i];
    }
    if (!host_bits)
        return;
    char net_text[INET6_ADDRSTRLEN];
    struct buf reason = {0};
    if (inet_ntop(v6 ? AF_INET6 : AF_INET, net, net_text, sizeof(net_text)))
        buf_printf(&reason,
                   "the address has host bits set for a /%ld prefix; a network address is "
                   "required, here %s/%ld",
                   prefix, net_text, prefix);
    check_fail(ck, v, reason.data ? reason.data : "the address has host bits set");
    buf_clean_up(&reason);
}

/* An absolute URL: scheme "://" host, with nothing that needs escaping. */
static void check_url(const struct check *ck, const struct cty_value *v)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    size_t scheme_len = 0;
    bool ok = isalpha((unsigned char)s[0]);
    while (ok && (isalnum((unsigned char)s[scheme_len]) || strchr("+-.", s[scheme_len])) &&
           s[scheme_len])
        scheme_len++;
    ok = ok && strncmp(s + scheme_len, "://", 3) == 0;
    const char *host = s + scheme_len + 3;
    if (ok) {
        const char *at = NULL;
        size_t authority = strcspn(host, "/?#");
        for (size_t i = 0; i < authority; i++)
            if (host[i] == '@')
                at = host + i;
        const char *h = at ? at + 1 : host;
        size_t host_len = (size_t)(host + authority - h);
        ok = host_len > 0 && h[0] != ':';
    }
    for (const char *c = s; ok && *c; c++)
        if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c))
            ok = false;
    const char *const *schemes = ck->v->one_of;
    bool scheme_ok = !schemes;
    for (const char *const *o = schemes; ok && o && *o; o++)
        if (strlen(*o) == scheme_len && strncasecmp(*o, s, scheme_len) == 0)
            scheme_ok = true;
    if (ok && scheme_ok)
        return;
    struct buf reason = {0};
    buf_append_str(&reason, "it must be an absolute URL such as https://example.com/path");
    for (const char *const *o = schemes; o && *o; o++)
        buf_printf(&reason, "%s%s", o == schemes ? " with scheme " : " or ", *o);
    check_fail(ck, v, reason.data ? reason.data : "it must be an absolute URL");
    buf_clean_up(&reason);
}

static void check_json(const struct check *ck, const struct cty_value *v)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    cJSON *doc = cJSON_ParseWithLength(s, strlen(s));
    if (doc) {
        cJSON_Delete(doc);
        return;
    }
    check_fail(ck, v, "it is not valid JSON");
}

static bool value_present(const struct cty_value *v)
{
    return v && !cty_value_is_null(v) && cty_value_is_known(v);
}

/* Runs one validator on one value (an attribute, or an element of a
 * primitive collection). */
static void validator_run(const struct check *ck, const struct cty_value *v, const regex_t *re)
{
    switch (ck->v->kind) {
    case VALIDATE_ONE_OF:
        check_one_of(ck, v);
        break;
    case VALIDATE_REGEX:
        check_regex(ck, v, re);
        break;
    case VALIDATE_LENGTH:
        if (cty_value_string(v))
            check_size(ck, v, (int64_t)strlen(cty_value_string(v)), "bytes");
        break;
    case VALIDATE_INT_RANGE:
        check_int_range(ck, v);
        break;
    case VALIDATE_COUNT:
        check_size(ck, v, (int64_t)cty_value_length(v), "elements");
        break;
    case VALIDATE_CIDR:
        check_cidr(ck, v);
        break;
    case VALIDATE_URL:
        check_url(ck, v);
        break;
    case VALIDATE_JSON:
        check_json(ck, v);
        break;
    case VALIDATE_FUNC:
        ck->v->func(v, ck->path, ck->d);
        break;
    default:
        break;
    }
}

static void attr_validate(const struct schema_cattr *ca, const struct cty_value *v,
                          struct attr_path *path, struct diags *d);
static void block_validate(const struct schema_cblock *b, const struct cty_value *obj,
                           struct attr_path *path, struct diags *d);

/* Walks the objects of a nested attribute or block value by nesting mode.
 * Set elements have no address in a path, so they share the set's path. */
static void nested_validate(const struct schema_cblock *b, enum schema_nesting nesting,
                            const struct cty_value *v, struct attr_path *path, struct diags *d)
{
    if (!value_present(v))
        return;
    if (nesting == SCHEMA_NESTING_SINGLE || nesting == SCHEMA_NESTING_GROUP) {
        block_validate(b, v, path, d);
        return;
    }
    for (size_t i = 0; i < cty_value_length(v); i++) {
        int pushed = nesting == SCHEMA_NESTING_LIST  ? attr_path_push_index(path, (int64_t)i)
                     : nesting == SCHEMA_NESTING_MAP ? attr_path_push_key(path, cty_value_map_key(v, i))
                                                     : 1;
        if (pushed < 0)
            continue;
        block_validate(b, cty_value_index(v, i), path, d);
        if (pushed == 0)
            attr_path_pop(path);
    }
}

static void attr_validate(const struct schema_cattr *ca, const struct cty_value *v,
                          struct attr_path *path, struct diags *d)
{
    if (!value_present(v))
        return;
    if (ca->nested) {
        nested_validate(ca->nested, ca->a->nested->nesting, v, path, d);
        return;
    }
    struct cty_type *t = ca->type;
    enum cty_kind kind = cty_type_kind(t);
    bool per_element = (kind == CTY_LIST || kind == CTY_SET || kind == CTY_MAP) &&
                       cty_type_is_primitive(cty_type_element(t));
    for (size_t i = 0; i < ca->n_validators; i++) {
        const struct schema_validator *val = &ca->a->validators[i];
        const regex_t *re = val->kind == VALIDATE_REGEX ? &ca->regexes[i] : NULL;
        if (!per_element || val->kind == VALIDATE_COUNT) {
            validator_run(&(struct check){ca, val, path, d}, v, re);
            continue;
        }
        for (size_t j = 0; j < cty_value_length(v); j++) {
            const struct cty_value *e = cty_value_index(v, j);
            if (!value_present(e))
                continue;
            int pushed = kind == CTY_LIST  ? attr_path_push_index(path, (int64_t)j)
                         : kind == CTY_MAP ? attr_path_push_key(path, cty_value_map_key(v, j))
                                           : 1;
            if (pushed < 0)
                continue;
            validator_run(&(struct check){ca, val, path, d}, e, re);
            if (pushed == 0)
                attr_path_pop(path);
        }
    }
}

static void block_validate(const struct schema_cblock *b, const struct cty_value *obj,
                           struct attr_path *path, struct diags *d)
{
    if (!value_present(obj))
        return;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        if (attr_path_push_attr(path, ca->a->name) != 0)
            continue;
        attr_validate(ca, cty_value_attr(obj, ca->a->name), path, d);
        attr_path_pop(path);
    }
    for (size_t i = 0; i < b->n_blocks; i++) {
        const struct schema_cblock_type *bt = &b->blocks[i];
        if (attr_path_push_attr(path, bt->bt->name) != 0)
            continue;
        nested_validate(bt->block, bt->bt->nesting, cty_value_attr(obj, bt->bt->name), path, d);
        attr_path_pop(path);
    }
}

void schema_validate_config(const struct schema_compiled *c, const struct cty_value *config,
                            struct diags *d)
{
    struct attr_path path = {0};
    block_validate(c->root, config, &path, d);
    attr_path_clean_up(&path);
}
