#include "framework/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/schema_internal.h"
#include "util/buf.h"

/* ---- compiling ---- */

/* Where the compiler is in the table ("cors_rules.max_age_seconds") and the
 * first error found. */
struct compile_ctx {
    char *error;
};

static int compile_fail(struct compile_ctx *cx, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int compile_fail(struct compile_ctx *cx, const char *where, const char *fmt, ...)
{
    if (cx->error)
        return -1;
    struct buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    if (where && *where)
        buf_printf(&b, "%s: ", where);
    buf_vprintf(&b, fmt, ap);
    va_end(ap);
    cx->error = b.data ? buf_detach(&b) : NULL;
    return -1;
}

/* OpenTofu's InternalValidate requires names of this form for attributes
 * and block types alike. */
static bool schema_name_valid(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return false;
    return true;
}

static char *path_join(const char *prefix, const char *name)
{
    struct buf b = {0};
    if (prefix && *prefix)
        buf_printf(&b, "%s.%s", prefix, name ? name : "?");
    else
        buf_append_str(&b, name ? name : "?");
    return b.data ? buf_detach(&b) : NULL;
}

static void cblock_destroy(struct schema_cblock *b);

static void cattr_clean_up(struct schema_cattr *a)
{
    if (a->regexes) {
        for (size_t i = 0; i < a->n_validators; i++)
            if (a->a->validators[i].kind == VALIDATE_REGEX)
                regfree(&a->regexes[i]);
        free(a->regexes);
    }
    if (a->type)
        cty_type_release(a->type);
    if (a->default_value)
        cty_value_destroy(a->default_value);
    if (a->nested)
        cblock_destroy(a->nested);
}

static void cblock_destroy(struct schema_cblock *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_attrs; i++)
        cattr_clean_up(&b->attrs[i]);
    free(b->attrs);
    for (size_t i = 0; i < b->n_blocks; i++) {
        cblock_destroy(b->blocks[i].block);
        if (b->blocks[i].type)
            cty_type_release(b->blocks[i].type);
    }
    free(b->blocks);
    if (b->object_type)
        cty_type_release(b->object_type);
    free(b);
}

/* Wraps an object type into the collection a nesting mode implies; takes
 * over `object` and returns a new reference (NULL when out of memory). */
static struct cty_type *nesting_wrap(enum schema_nesting nesting, struct cty_type *object)
{
    switch (nesting) {
    case SCHEMA_NESTING_LIST:
        return cty_type_collection_new(CTY_LIST, object);
    case SCHEMA_NESTING_SET:
        return cty_type_collection_new(CTY_SET, object);
    case SCHEMA_NESTING_MAP:
        return cty_type_collection_new(CTY_MAP, object);
    default:
        return object;
    }
}

static int validators_compile(struct compile_ctx *cx, const char *where, struct schema_cattr *ca)
{
    const struct schema_validator *v = ca->a->validators;
    size_t n = 0;
    while (v && v[n].kind != VALIDATE_END)
        n++;
    if (n == 0)
        return 0;
    ca->regexes = calloc(n, sizeof(*ca->regexes));
    if (!ca->regexes)
        return compile_fail(cx, where, "out of memory");
    for (size_t i = 0; i < n; i++) {
        switch (v[i].kind) {
        case VALIDATE_REGEX:
            if (!v[i].regex)
                return compile_fail(cx, where, "REGEX validator without a regex");
            if (regcomp(&ca->regexes[i], v[i].regex, REG_EXTENDED | REG_NOSUB) != 0)
                return compile_fail(cx, where, "regex \"%s\" does not compile", v[i].regex);
            /* Counted only once compiled, so clean-up frees exactly these. */
            ca->n_validators = i + 1;
            continue;
        case VALIDATE_ONE_OF:
            if (!v[i].one_of || !v[i].one_of[0])
                return compile_fail(cx, where, "ONE_OF validator without values");
            break;
        case VALIDATE_FUNC:
            if (!v[i].func)
                return compile_fail(cx, where, "FUNC validator without a function");
            break;
        case VALIDATE_LENGTH:
        case VALIDATE_INT_RANGE:
        case VALIDATE_COUNT:
            /* LENGTH and COUNT take max 0 as "no upper bound". */
            if (v[i].min > v[i].max && (v[i].kind == VALIDATE_INT_RANGE || v[i].max != 0))
                return compile_fail(cx, where, "validator min %lld is above max %lld",
                                    (long long)v[i].min, (long long)v[i].max);
            break;
        case VALIDATE_CIDR:
        case VALIDATE_URL:
        case VALIDATE_JSON:
            break;
        default:
            return compile_fail(cx, where, "unknown validator kind %d", (int)v[i].kind);
        }
        ca->n_validators = i + 1;
    }
    return 0;
}

static struct schema_cblock *cblock_compile(struct compile_ctx *cx, const char *prefix,
                                            const struct schema_attribute *attrs,
                                            const struct schema_block_type *blocks);

static int cattr_compile(struct compile_ctx *cx, const char *where, struct schema_cattr *ca)
{
    const struct schema_attribute *a = ca->a;
    unsigned f = a->flags;
    bool req = f & SCHEMA_REQUIRED, opt = f & SCHEMA_OPTIONAL, comp = f & SCHEMA_COMPUTED;

    if (!schema_name_valid(a->name))
        return compile_fail(cx, where, "attribute names must match ^[a-z0-9_]+$");
    if (!req && !opt && !comp)
        return compile_fail(cx, where, "must be one of required, optional or computed");
    if (req && opt)
        return compile_fail(cx, where, "cannot be both required and optional");
    if (req && comp)
        return compile_fail(cx, where, "cannot be both required and computed");
    if ((f & SCHEMA_WRITE_ONLY) && comp)
        return compile_fail(cx, where, "a write-only attribute cannot be computed");
    if ((f & SCHEMA_USE_STATE) && !comp)
        return compile_fail(cx, where, "SCHEMA_USE_STATE needs a computed attribute");
    if (!a->description || !*a->description)
        return compile_fail(cx, where, "has no description");
    if ((a->type != NULL) == (a->nested != NULL))
        return compile_fail(cx, where, "needs exactly one of type and nested");

    if (a->type) {
        /* Tables write primitive types bare ("string"), as schema.h shows;
         * the JSON form of those is the quoted name. */
        char *err = NULL;
        struct buf json = {0};
        if (a->type[0] == '[' || a->type[0] == '"')
            buf_append_str(&json, a->type);
        else
            buf_printf(&json, "\"%s\"", a->type);
        ca->type = json.data ? cty_type_from_json(json.data, json.len, &err) : NULL;
        buf_clean_up(&json);
        if (!ca->type) {
            compile_fail(cx, where, "bad type %s: %s", a->type, err ? err : "out of memory");
            free(err);
            return -1;
        }
    } else {
        enum schema_nesting n = a->nested->nesting;
        if (n != SCHEMA_NESTING_SINGLE && n != SCHEMA_NESTING_LIST && n != SCHEMA_NESTING_SET &&
            n != SCHEMA_NESTING_MAP)
            return compile_fail(cx, where, "nested attributes need SINGLE, LIST, SET or MAP nesting");
        if (!a->nested->attributes)
            return compile_fail(cx, where, "nested attributes without an attribute table");
        ca->nested = cblock_compile(cx, where, a->nested->attributes, NULL);
        if (!ca->nested)
            return -1;
        ca->type = nesting_wrap(n, cty_type_acquire(ca->nested->object_type));
        if (!ca->type)
            return compile_fail(cx, where, "out of memory");
        if (n == SCHEMA_NESTING_SET && cty_type_has_dynamic(ca->type))
            return compile_fail(cx, where, "a SET of nested attributes may not contain dynamic");
    }
    if (cty_type_kind(ca->type) == CTY_SET && cty_type_has_dynamic(ca->type))
        return compile_fail(cx, where, "a set may not contain dynamic");

    if (a->default_json) {
        if (!(opt && comp))
            return compile_fail(cx, where, "a default needs an optional and computed attribute");
        char *err = NULL;
        ca->default_value =
            cty_value_from_json(a->default_json, strlen(a->default_json), ca->type, &err);
        if (!ca->default_value) {
            compile_fail(cx, where, "default %s does not conform to type: %s", a->default_json,
                         err ? err : "out of memory");
            free(err);
            return -1;
        }
    }
    return validators_compile(cx, where, ca);
}

static int cblock_type_compile(struct compile_ctx *cx, const char *where,
                               const struct schema_attribute *attrs, struct schema_cblock_type *cb)
{
    const struct schema_block_type *bt = cb->bt;
    if (!schema_name_valid(bt->name))
        return compile_fail(cx, where, "block type names must match ^[a-z0-9_]+$");
    for (size_t i = 0; attrs && attrs[i].name; i++)
        if (strcmp(attrs[i].name, bt->name) == 0)
            return compile_fail(cx, where, "a block type may not share its name with an attribute");
    if (!bt->block)
        return compile_fail(cx, where, "block type without a block");
    switch (bt->nesting) {
    case SCHEMA_NESTING_SINGLE:
        if (bt->min_items != bt->max_items || bt->min_items < 0 || bt->min_items > 1)
            return compile_fail(cx, where, "SINGLE blocks need min_items == max_items, 0 or 1");
        break;
    case SCHEMA_NESTING_GROUP:
    case SCHEMA_NESTING_MAP:
        if (bt->min_items != 0 || bt->max_items != 0)
            return compile_fail(cx, where, "GROUP and MAP blocks need min_items and max_items 0");
        break;
    case SCHEMA_NESTING_LIST:
    case SCHEMA_NESTING_SET:
        if (bt->min_items < 0 || bt->max_items < 0)
            return compile_fail(cx, where, "min_items and max_items may not be negative");
        if (bt->max_items != 0 && bt->min_items > bt->max_items)
            return compile_fail(cx, where, "min_items is above max_items");
        break;
    default:
        return compile_fail(cx, where, "invalid nesting mode %d", (int)bt->nesting);
    }
    cb->block = cblock_compile(cx, where, bt->block->attributes, bt->block->block_types);
    if (!cb->block)
        return -1;
    cb->type = nesting_wrap(bt->nesting, cty_type_acquire(cb->block->object_type));
    if (!cb->type)
        return compile_fail(cx, where, "out of memory");
    if (bt->nesting == SCHEMA_NESTING_SET && cty_type_has_dynamic(cb->type))
        return compile_fail(cx, where, "a SET block may not contain dynamic");
    /* OpenTofu would then type the whole block attribute as dynamic (notes
     * §5.1), which this implied type does not model. */
    if ((bt->nesting == SCHEMA_NESTING_LIST || bt->nesting == SCHEMA_NESTING_MAP) &&
        cty_type_has_dynamic(cb->type))
        return compile_fail(cx, where, "LIST and MAP blocks with dynamic attributes are not supported");
    return 0;
}

static struct schema_cblock *cblock_compile(struct compile_ctx *cx, const char *prefix,
                                            const struct schema_attribute *attrs,
                                            const struct schema_block_type *blocks)
{
    struct schema_cblock *b = calloc(1, sizeof(*b));
    const char **names = NULL;
    struct cty_type **types = NULL;
    if (!b) {
        compile_fail(cx, prefix, "out of memory");
        return NULL;
    }
    size_t na = 0, nb = 0;
    while (attrs && attrs[na].name)
        na++;
    while (blocks && blocks[nb].name)
        nb++;
    b->attrs = calloc(na ? na : 1, sizeof(*b->attrs));
    b->blocks = calloc(nb ? nb : 1, sizeof(*b->blocks));
    names = calloc(na + nb + 1, sizeof(*names));
    types = calloc(na + nb + 1, sizeof(*types));
    if (!b->attrs || !b->blocks || !names || !types) {
        compile_fail(cx, prefix, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < na; i++) {
        char *where = path_join(prefix, attrs[i].name);
        b->attrs[i].a = &attrs[i];
        b->n_attrs = i + 1;
        int rc = where ? cattr_compile(cx, where, &b->attrs[i])
                       : compile_fail(cx, prefix, "out of memory");
        for (size_t j = 0; rc == 0 && j < i; j++)
            if (strcmp(attrs[j].name, attrs[i].name) == 0)
                rc = compile_fail(cx, where, "duplicate attribute name");
        free(where);
        if (rc != 0)
            goto fail;
        names[i] = attrs[i].name;
        types[i] = cty_type_acquire(b->attrs[i].type);
    }
    for (size_t i = 0; i < nb; i++) {
        char *where = path_join(prefix, blocks[i].name);
        b->blocks[i].bt = &blocks[i];
        b->n_blocks = i + 1;
        int rc = where ? cblock_type_compile(cx, where, attrs, &b->blocks[i])
                       : compile_fail(cx, prefix, "out of memory");
        for (size_t j = 0; rc == 0 && j < i; j++)
            if (strcmp(blocks[j].name, blocks[i].name) == 0)
                rc = compile_fail(cx, where, "duplicate block type name");
        free(where);
        if (rc != 0)
            goto fail;
        names[na + i] = blocks[i].name;
        types[na + i] = cty_type_acquire(b->blocks[i].type);
    }
    /* cty_type_object_new takes over the references in types[]. */
    b->object_type = cty_type_object_new(na + nb, names, types);
    free(names);
    free(types);
    if (!b->object_type) {
        compile_fail(cx, prefix, "out of memory");
        cblock_destroy(b);
        return NULL;
    }
    return b;
fail:
    for (size_t i = 0; types && i < na + nb; i++)
        if (types[i])
            cty_type_release(types[i]);
    free(names);
    free(types);
    cblock_destroy(b);
    return NULL;
}

struct schema_compiled *schema_compile(const struct schema *s, char **error)
{
    struct compile_ctx cx = {0};
    struct schema_compiled *c = NULL;
    if (error)
        *error = NULL;
    if (!s) {
        compile_fail(&cx, NULL, "no schema");
        goto fail;
    }
    if (s->version < 0) {
        compile_fail(&cx, NULL, "schema version may not be negative");
        goto fail;
    }
    c = calloc(1, sizeof(*c));
    if (!c) {
        compile_fail(&cx, NULL, "out of memory");
        goto fail;
    }
    c->table = s;
    c->root = cblock_compile(&cx, "", s->block.attributes, s->block.block_types);
    if (!c->root)
        goto fail;
    return c;
fail:
    schema_compiled_destroy(c);
    if (error)
        *error = cx.error ? cx.error : strdup("out of memory");
    else
        free(cx.error);
    return NULL;
}

void schema_compiled_destroy(struct schema_compiled *c)
{
    if (!c)
        return;
    cblock_destroy(c->root);
    free(c);
}

const struct schema *schema_compiled_table(const struct schema_compiled *c)
{
    return c->table;
}

struct cty_type *schema_compiled_type(const struct schema_compiled *c)
{
    return c->root->object_type;
}

/* ---- values shaped by the schema ---- */

struct cty_value *schema_cblock_null_object(const struct schema_cblock *b)
{
    struct cty_value *obj = cty_object_new(b->object_type);
    if (!obj)
        return NULL;
    for (size_t i = 0; i < b->n_blocks; i++) {
        const struct schema_cblock_type *bt = &b->blocks[i];
        struct cty_value *v = NULL;
        switch (bt->bt->nesting) {
        case SCHEMA_NESTING_LIST:
        case SCHEMA_NESTING_SET:
        case SCHEMA_NESTING_MAP:
            /* OpenTofu rejects null for these: no blocks is an empty collection. */
            v = cty_collection_new(bt->type);
            break;
        case SCHEMA_NESTING_GROUP:
            v = schema_cblock_null_object(bt->block);
            break;
        default:
            continue; /* SINGLE: null, as cty_object_new left it */
        }
        if (!v || cty_object_set(obj, bt->bt->name, v) != 0) {
            cty_value_destroy(obj);
            return NULL;
        }
    }
    return obj;
}

struct cty_value *schema_null_object(const struct schema_compiled *c)
{
    return schema_cblock_null_object(c->root);
}

/* Calls fn on every known object inside `v`, a value of a nested attribute or
 * block with the given nesting (the object itself, or each element). */
static int nested_each(struct cty_value *v, enum schema_nesting nesting,
                       int (*fn)(const struct schema_cblock *, struct cty_value *),
                       const struct schema_cblock *b)
{
    if (!v || cty_value_is_null(v) || !cty_value_is_known(v))
        return 0;
    if (nesting == SCHEMA_NESTING_SINGLE || nesting == SCHEMA_NESTING_GROUP)
        return fn(b, v);
    int rc = 0;
    for (size_t i = 0; i < cty_value_length(v); i++) {
        struct cty_value *e = cty_value_index(v, i);
        if (e && !cty_value_is_null(e) && cty_value_is_known(e) && fn(b, e) != 0)
            rc = -1;
    }
    return rc;
}

static int cblock_apply_defaults(const struct schema_cblock *b, struct cty_value *obj)
{
    int rc = 0;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        struct cty_value *v = cty_value_attr(obj, ca->a->name);
        if (ca->default_value && v && cty_value_is_null(v)) {
            struct cty_value *d = cty_value_clone(ca->default_value);
            if (!d || cty_object_set(obj, ca->a->name, d) != 0) {
                rc = -1;
            }
            continue;
        }
        if (ca->nested && nested_each(v, ca->a->nested->nesting, cblock_apply_defaults,
                                      ca->nested) != 0)
            rc = -1;
    }
    for (size_t i = 0; i < b->n_blocks; i++) {
        struct cty_value *v = cty_value_attr(obj, b->blocks[i].bt->name);
        if (nested_each(v, b->blocks[i].bt->nesting, cblock_apply_defaults, b->blocks[i].block) !=
            0)
            rc = -1;
    }
    return rc;
}

int schema_apply_defaults(const struct schema_compiled *c, struct cty_value *obj)
{
    if (!obj || cty_value_is_null(obj) || !cty_value_is_known(obj))
        return 0;
    return cblock_apply_defaults(c->root, obj);
}

/* A deep copy of v with every unknown replaced by a null of its type. */
static struct cty_value *value_unknowns_to_null(const struct cty_value *v)
{
    struct cty_type *t = cty_value_type(v);
    if (!cty_value_is_known(v))
        return cty_null_new(t);
    if (cty_value_is_null(v) || cty_value_is_wholly_known(v))
        return cty_value_clone(v);
    struct cty_value *out = NULL;
    size_t n = cty_value_length(v);
    switch (cty_type_kind(t)) {
    case CTY_LIST:
    case CTY_SET:
    case CTY_MAP:
        out = cty_collection_new(t);
        for (size_t i = 0; out && i < n; i++) {
            struct cty_value *e = value_unknowns_to_null(cty_value_index(v, i));
            int rc = !e ? -1
                     : cty_type_kind(t) == CTY_MAP ? cty_map_put(out, cty_value_map_key(v, i), e)
                                                   : cty_collection_append(out, e);
            if (rc != 0) {
                if (e)
                    cty_value_destroy(e);
                cty_value_destroy(out);
                out = NULL;
            }
        }
        return out;
    case CTY_OBJECT:
        out = cty_object_new(t);
        for (size_t i = 0; out && i < cty_type_count(t); i++) {
            const char *name = cty_type_attr_name(t, i);
            struct cty_value *e = value_unknowns_to_null(cty_value_attr(v, name));
            if (!e || cty_object_set(out, name, e) != 0) {
                cty_value_destroy(out);
                out = NULL;
            }
        }
        return out;
    case CTY_TUPLE:
        out = cty_tuple_new(t);
        for (size_t i = 0; out && i < n; i++) {
            struct cty_value *e = value_unknowns_to_null(cty_value_index(v, i));
            if (!e || cty_tuple_set(out, i, e) != 0) {
                cty_value_destroy(out);
                out = NULL;
            }
        }
        return out;
    default:
        return cty_value_clone(v);
    }
}

void schema_unknowns_to_null(struct cty_value *obj)
{
    if (!obj || cty_value_is_null(obj) || !cty_value_is_known(obj))
        return;
    struct cty_type *t = cty_value_type(obj);
    if (cty_type_kind(t) != CTY_OBJECT)
        return;
    for (size_t i = 0; i < cty_type_count(t); i++) {
        const char *name = cty_type_attr_name(t, i);
        const struct cty_value *v = cty_value_attr(obj, name);
        if (!v || cty_value_is_wholly_known(v))
            continue;
        struct cty_value *copy = value_unknowns_to_null(v);
        /* Out of memory: a plain null still removes the unknown. */
        if (!copy)
            copy = cty_null_new(cty_value_type(v));
        if (copy)
            (void)cty_object_set(obj, name, copy);
    }
}

static int cblock_null_write_only(const struct schema_cblock *b, struct cty_value *obj)
{
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        struct cty_value *v = cty_value_attr(obj, ca->a->name);
        if (!v)
            continue;
        if (ca->a->flags & SCHEMA_WRITE_ONLY) {
            if (!cty_value_is_null(v)) {
                struct cty_value *n = cty_null_new(ca->type);
                if (n)
                    (void)cty_object_set(obj, ca->a->name, n);
            }
            continue;
        }
        if (ca->nested)
            nested_each(v, ca->a->nested->nesting, cblock_null_write_only, ca->nested);
    }
    for (size_t i = 0; i < b->n_blocks; i++)
        nested_each(cty_value_attr(obj, b->blocks[i].bt->name), b->blocks[i].bt->nesting,
                    cblock_null_write_only, b->blocks[i].block);
    return 0;
}

void schema_null_write_only(const struct schema_compiled *c, struct cty_value *obj)
{
    if (!obj || cty_value_is_null(obj) || !cty_value_is_known(obj))
        return;
    cblock_null_write_only(c->root, obj);
}

/* ---- GenerateResourceConfig ---- */

static int cblock_config_from_state(const struct schema_cblock *b, struct cty_value *obj);

/* After elements of a set were edited in place, two may have become equal:
 * a set rebuilt by appending drops the duplicates. */
static int set_rebuild(struct cty_value *parent, const char *name)
{
    const struct cty_value *set = cty_value_attr(parent, name);
    if (!set || cty_value_is_null(set) || !cty_value_is_known(set))
        return 0;
    struct cty_value *fresh = cty_collection_new(cty_value_type(set));
    for (size_t i = 0; fresh && i < cty_value_length(set); i++) {
        struct cty_value *e = cty_value_clone(cty_value_index(set, i));
        if (!e || cty_collection_append(fresh, e) != 0) {
            cty_value_destroy(fresh);
            return -1;
        }
    }
    return fresh ? cty_object_set(parent, name, fresh) : -1;
}

static int nested_config_from_state(struct cty_value *parent, const char *name,
                                    enum schema_nesting nesting, const struct schema_cblock *b)
{
    if (nested_each(cty_value_attr(parent, name), nesting, cblock_config_from_state, b) != 0)
        return -1;
    return nesting == SCHEMA_NESTING_SET ? set_rebuild(parent, name) : 0;
}

static int cblock_config_from_state(const struct schema_cblock *b, struct cty_value *obj)
{
    int rc = 0;
    for (size_t i = 0; i < b->n_attrs; i++) {
        const struct schema_cattr *ca = &b->attrs[i];
        unsigned f = ca->a->flags;
        const struct cty_value *v = cty_value_attr(obj, ca->a->name);
        if (!v || cty_value_is_null(v))
            continue;
        bool drop = (f & SCHEMA_WRITE_ONLY) || ((f & SCHEMA_COMPUTED) && !(f & SCHEMA_OPTIONAL)) ||
                    (ca->default_value && cty_value_equal(v, ca->default_value));
        if (drop) {
            struct cty_value *n = cty_null_new(ca->type);
            if (!n || cty_object_set(obj, ca->a->name, n) != 0)
                rc = -1;
            continue;
        }
        if (ca->nested &&
            nested_config_from_state(obj, ca->a->name, ca->a->nested->nesting, ca->nested) != 0)
            rc = -1;
    }
    for (size_t i = 0; i < b->n_blocks; i++)
        if (nested_config_from_state(obj, b->blocks[i].bt->name, b->blocks[i].bt->nesting,
                                     b->blocks[i].block) != 0)
            rc = -1;
    return rc;
}

struct cty_value *schema_config_from_state(const struct schema_compiled *c,
                                           const struct cty_value *state)
{
    struct cty_value *config = cty_value_clone(state);
    if (!config || cty_value_is_null(config) || !cty_value_is_known(config))
        return config;
    if (cblock_config_from_state(c->root, config) != 0) {
        cty_value_destroy(config);
        return NULL;
    }
    return config;
}
