#include "framework/identity.h"

#include <stdlib.h>
#include <string.h>

#include "framework/schema_internal.h"
#include "util/buf.h"

static int identity_fail(char **error, const char *name, const char *what)
{
    struct buf b = {0};
    buf_printf(&b, "identity attribute %s: %s", name ? name : "?", what);
    *error = b.data ? buf_detach(&b) : NULL;
    return -1;
}

static bool identity_type_allowed(const char *type)
{
    static const char *const allowed[] = {
        "string", "number", "bool", "\"string\"", "\"number\"", "\"bool\"",
        "[\"list\",\"string\"]", "[\"list\",\"number\"]", "[\"list\",\"bool\"]", NULL};
    for (size_t i = 0; type && allowed[i]; i++)
        if (strcmp(type, allowed[i]) == 0)
            return true;
    return false;
}

int identity_table_check(const struct resource_identity *id, char **error)
{
    *error = NULL;
    if (!id->attributes || !id->attributes[0].name)
        return identity_fail(error, "(none)", "an identity needs at least one attribute");
    if (id->version < 0)
        return identity_fail(error, "(version)", "the version may not be negative");
    for (const struct schema_attribute *a = id->attributes; a->name; a++) {
        unsigned role = a->flags & (SCHEMA_REQUIRED | SCHEMA_OPTIONAL);
        if (role != SCHEMA_REQUIRED && role != SCHEMA_OPTIONAL)
            return identity_fail(error, a->name,
                                 "must be exactly one of SCHEMA_REQUIRED (required for import) "
                                 "and SCHEMA_OPTIONAL (optional for import)");
        if (a->flags & ~(SCHEMA_REQUIRED | SCHEMA_OPTIONAL | SCHEMA_SENSITIVE))
            return identity_fail(error, a->name, "only the required/optional flags are allowed");
        if (a->nested || a->default_json || a->replace_if)
            return identity_fail(error, a->name, "no nested attributes, defaults or replace_if");
        if (!identity_type_allowed(a->type))
            return identity_fail(error, a->name,
                                 "the type must be string, number, bool or a list of one");
    }
    return 0;
}

struct schema *identity_schema_new(const struct resource_identity *id)
{
    struct schema *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->version = id->version;
    s->block.attributes = id->attributes;
    s->block.description = "resource identity";
    return s;
}

void identity_copy_to_state(const struct cty_value *from, struct cty_value *to)
{
    struct cty_type *ft = cty_value_type(from), *tt = cty_value_type(to);
    if (!cty_value_is_known(from) || cty_value_is_null(from) || !cty_value_is_known(to) ||
        cty_value_is_null(to) || cty_type_kind(ft) != CTY_OBJECT || cty_type_kind(tt) != CTY_OBJECT)
        return;
    for (size_t i = 0; i < cty_type_count(ft); i++) {
        const char *name = cty_type_attr_name(ft, i);
        long j = cty_type_attr_index(tt, name);
        if (j < 0 || !cty_type_equal(cty_type_attr_type(ft, i), cty_type_attr_type(tt, (size_t)j)))
            continue;
        struct cty_value *v = cty_value_clone(cty_value_attr(from, name));
        if (v)
            (void)cty_object_set(to, name, v);
    }
}

int identity_from_state(const struct resource_identity *id, const struct schema_compiled *idc,
                        struct resource_ctx *ctx, const struct cty_value *state,
                        struct cty_value **out)
{
    *out = NULL;
    if (!state || cty_value_is_null(state))
        return 0;
    struct cty_value *identity = cty_object_new(schema_compiled_type(idc));
    if (!identity) {
        diags_add(ctx->diags, DIAG_ERROR, NULL, "Out of memory",
                  "The provider ran out of memory while building a resource identity.");
        return -1;
    }
    /* The state's values may be unknown (a create plan): copied as they are. */
    identity_copy_to_state(state, identity);
    if (id->fill) {
        size_t before = ctx->diags->n;
        id->fill(ctx, state, identity);
        for (size_t i = before; i < ctx->diags->n; i++)
            if (ctx->diags->items[i].severity == DIAG_ERROR) {
                cty_value_destroy(identity);
                return -1;
            }
    }
    *out = identity;
    return 0;
}

void identity_keep_stored(const struct schema_compiled *idc, struct cty_value *identity,
                          const struct cty_value *prior)
{
    if (!identity || !prior || cty_value_is_null(prior) || !cty_value_is_known(prior) ||
        cty_value_is_null(identity) || !cty_value_is_known(identity))
        return;
    const struct schema_cblock *b = idc->root;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const char *name = b->attrs[i].a->name;
        const struct cty_value *now = cty_value_attr(identity, name);
        const struct cty_value *was = cty_value_attr(prior, name);
        if (!(b->attrs[i].a->flags & SCHEMA_OPTIONAL) || !now || !cty_value_is_known(now) ||
            !cty_value_is_null(now) || !was || cty_value_is_null(was))
            continue;
        /* Out of memory: the value stays null and identity_check reports it. */
        (void)cty_object_set(identity, name, cty_value_clone(was));
    }
}

bool identity_complete(const struct schema_compiled *idc, const struct cty_value *identity)
{
    const struct schema_cblock *b = idc->root;
    for (size_t i = 0; i < b->n_attrs; i++) {
        if (!(b->attrs[i].a->flags & SCHEMA_REQUIRED))
            continue;
        const struct cty_value *v = cty_value_attr(identity, b->attrs[i].a->name);
        if (!v || cty_value_is_null(v) || !cty_value_is_wholly_known(v))
            return false;
    }
    return true;
}

static int identity_invalid(struct diags *d, const char *attr, const char *type_name,
                            const char *operation, const char *problem)
{
    diags_add(d, DIAG_ERROR, NULL, "Provider produced invalid identity",
              "The %s operation of %s produced an identity whose %s%s%s. This is a bug in the "
              "provider; the operation was stopped so that no wrong identity is stored.",
              operation, type_name, attr ? "attribute " : "", attr ? attr : "", problem);
    return -1;
}

int identity_check(const struct schema_compiled *idc, const struct cty_value *identity,
                   const struct cty_value *prior, unsigned flags, const char *type_name,
                   const char *operation, struct diags *d)
{
    struct cty_type *t = schema_compiled_type(idc);
    if (!identity || cty_value_is_null(identity) || !cty_value_is_known(identity))
        return identity_invalid(d, NULL, type_name, operation, "value is null or unknown");
    if (!cty_value_conforms(identity, t))
        return identity_invalid(d, NULL, type_name, operation,
                                "value does not match the identity schema");
    const struct schema_cblock *b = idc->root;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_attribute *a = b->attrs[i].a;
        const struct cty_value *v = cty_value_attr(identity, a->name);
        bool known = cty_value_is_wholly_known(v);
        if (!known && !(flags & IDENTITY_MAY_BE_UNKNOWN))
            return identity_invalid(d, a->name, type_name, operation, " is unknown");
        if (known && cty_value_is_null(v) && (a->flags & SCHEMA_REQUIRED))
            return identity_invalid(d, a->name, type_name, operation,
                                    " is null, but it is required for import");
    }
    /* An attribute the stored identity had null may be filled in now (e.g.
     * the account, once the provider is allowed to look it up); a value
     * once stored never changes. */
    for (size_t i = 0; prior && !cty_value_is_null(prior) && i < b->n_attrs; i++) {
        const char *name = b->attrs[i].a->name;
        const struct cty_value *was = cty_value_attr(prior, name);
        if (was && !cty_value_is_null(was) && !cty_value_equal(was, cty_value_attr(identity, name)))
            return identity_invalid(d, name, type_name, operation,
                                    " differs from the identity stored for the object (an "
                                    "object's identity never changes)");
    }
    return 0;
}
