/*
 * cty_value.c - construction, inspection and comparison of cty values.
 */
#include "framework/cty_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- refinements ---- */

void cty_refinements_clean_up(struct cty_refinements *r)
{
    if (!r)
        return;
    free(r->string_prefix);
    free(r->number_lower);
    free(r->number_upper);
    r->string_prefix = r->number_lower = r->number_upper = NULL;
}

/* A zero lower length bound says nothing, so it counts as absent (cty never
 * sends it either). */
bool cty_refinements_empty(const struct cty_refinements *r)
{
    return !r->not_null && !(r->string_prefix && r->string_prefix[0]) && !r->number_lower &&
           !r->number_upper && r->length_min <= 0 && r->length_max < 0;
}

static struct cty_refinements *refinements_clone(const struct cty_refinements *r)
{
    struct cty_refinements *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    *c = *r;
    c->string_prefix = r->string_prefix ? strdup(r->string_prefix) : NULL;
    c->number_lower = r->number_lower ? strdup(r->number_lower) : NULL;
    c->number_upper = r->number_upper ? strdup(r->number_upper) : NULL;
    if ((r->string_prefix && !c->string_prefix) || (r->number_lower && !c->number_lower) ||
        (r->number_upper && !c->number_upper)) {
        cty_refinements_clean_up(c);
        free(c);
        return NULL;
    }
    return c;
}

/* ---- construction ---- */

struct cty_value *cty_value_alloc(struct cty_type *t, enum cty_state state)
{
    if (!t)
        return NULL;
    struct cty_value *v = calloc(1, sizeof(*v));
    if (!v)
        return NULL;
    v->type = cty_type_acquire(t);
    v->state = state;
    return v;
}

int cty_value_push(struct cty_value *v, struct cty_value *item_owned)
{
    if (!item_owned)
        return -1;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        struct cty_value **items = realloc(v->items, cap * sizeof(*items));
        if (!items) {
            cty_value_destroy(item_owned);
            return -1;
        }
        v->items = items;
        if (v->type->kind == CTY_MAP) {
            char **keys = realloc(v->keys, cap * sizeof(*keys));
            if (!keys) {
                cty_value_destroy(item_owned);
                return -1;
            }
            v->keys = keys;
        }
        v->cap = cap;
    }
    v->items[v->n++] = item_owned;
    return 0;
}

struct cty_value *cty_null_new(struct cty_type *t)
{
    return cty_value_alloc(t, CTY_STATE_NULL);
}

struct cty_value *cty_unknown_new(struct cty_type *t)
{
    return cty_value_alloc(t, CTY_STATE_UNKNOWN);
}

struct cty_value *cty_unknown_refined_new(struct cty_type *t, struct cty_refinements *refine_owned)
{
    struct cty_value *v = cty_value_alloc(t, CTY_STATE_UNKNOWN);
    if (!refine_owned || cty_refinements_empty(refine_owned) || !v) {
        if (refine_owned)
            cty_refinements_clean_up(refine_owned);
        return v;
    }
    v->refine = malloc(sizeof(*v->refine));
    if (!v->refine) {
        cty_refinements_clean_up(refine_owned);
        cty_value_destroy(v);
        return NULL;
    }
    *v->refine = *refine_owned;
    /* The strings now belong to the value; leave the caller's struct inert. */
    refine_owned->string_prefix = refine_owned->number_lower = refine_owned->number_upper = NULL;
    return v;
}

struct cty_value *cty_bool_new(bool b)
{
    struct cty_value *v = cty_value_alloc(cty_type_bool(), CTY_STATE_KNOWN);
    if (v)
        v->b = b;
    return v;
}

struct cty_value *cty_number_new(const char *decimal)
{
    if (!decimal)
        return NULL;
    char *text = cty_number_normalise(decimal, strlen(decimal));
    if (!text)
        return NULL;
    struct cty_value *v = cty_value_alloc(cty_type_number(), CTY_STATE_KNOWN);
    if (!v) {
        free(text);
        return NULL;
    }
    v->text = text;
    v->text_len = strlen(text);
    return v;
}

struct cty_value *cty_number_new_int(int64_t n)
{
    char tmp[32];
    snprintf(tmp, sizeof(tmp), "%lld", (long long)n);
    return cty_number_new(tmp);
}

struct cty_value *cty_string_new_len(const char *s, size_t len)
{
    struct cty_value *v = cty_value_alloc(cty_type_string(), CTY_STATE_KNOWN);
    if (!v)
        return NULL;
    v->text = malloc(len + 1);
    if (!v->text) {
        cty_value_destroy(v);
        return NULL;
    }
    if (len)
        memcpy(v->text, s, len);
    v->text[len] = '\0';
    v->text_len = len;
    return v;
}

struct cty_value *cty_string_new(const char *s)
{
    return s ? cty_string_new_len(s, strlen(s)) : NULL;
}

struct cty_value *cty_collection_new(struct cty_type *collection_type)
{
    if (!collection_type)
        return NULL;
    switch (collection_type->kind) {
    case CTY_LIST:
    case CTY_SET:
    case CTY_MAP:
    case CTY_TUPLE:
        return cty_value_alloc(collection_type, CTY_STATE_KNOWN);
    default:
        return NULL;
    }
}

/* Two elements are the same set member only when both are wholly known and
 * equal: as in cty, unknowns never collapse into one another. */
static bool set_contains(const struct cty_value *set, const struct cty_value *item)
{
    if (!cty_value_is_wholly_known(item))
        return false;
    for (size_t i = 0; i < set->n; i++)
        if (cty_value_is_wholly_known(set->items[i]) && cty_value_equal(set->items[i], item))
            return true;
    return false;
}

int cty_collection_append(struct cty_value *coll, struct cty_value *item_owned)
{
    if (!item_owned)
        return -1;
    if (!coll || coll->state != CTY_STATE_KNOWN) {
        cty_value_destroy(item_owned);
        return -1;
    }
    switch (coll->type->kind) {
    case CTY_LIST:
        break;
    case CTY_SET:
        if (set_contains(coll, item_owned)) {
            cty_value_destroy(item_owned);
            return 0;
        }
        break;
    case CTY_TUPLE:
        if (coll->n >= coll->type->n) {
            cty_value_destroy(item_owned);
            return -1;
        }
        break;
    default:
        cty_value_destroy(item_owned);
        return -1;
    }
    return cty_value_push(coll, item_owned);
}

/* Index of `key` in the sorted keys of map `v`, or where it would go. */
static size_t map_find(const struct cty_value *v, const char *key, bool *found)
{
    size_t lo = 0, hi = v->n;
    *found = false;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v->keys[mid], key);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int cty_map_put(struct cty_value *map, const char *key, struct cty_value *item_owned)
{
    if (!item_owned)
        return -1;
    if (!map || !key || map->state != CTY_STATE_KNOWN || map->type->kind != CTY_MAP) {
        cty_value_destroy(item_owned);
        return -1;
    }
    bool found;
    size_t at = map_find(map, key, &found);
    if (found) {
        cty_value_destroy(map->items[at]);
        map->items[at] = item_owned;
        return 0;
    }
    char *k = strdup(key);
    if (!k || cty_value_push(map, item_owned) != 0) {
        if (!k)
            cty_value_destroy(item_owned);
        free(k);
        return -1;
    }
    memmove(map->items + at + 1, map->items + at, (map->n - 1 - at) * sizeof(*map->items));
    memmove(map->keys + at + 1, map->keys + at, (map->n - 1 - at) * sizeof(*map->keys));
    map->items[at] = item_owned;
    map->keys[at] = k;
    return 0;
}

/* A known object or tuple with one null item per attribute/element. */
static struct cty_value *structural_new(struct cty_type *t, enum cty_kind kind)
{
    if (!t || t->kind != kind)
        return NULL;
    struct cty_value *v = cty_value_alloc(t, CTY_STATE_KNOWN);
    if (!v)
        return NULL;
    for (size_t i = 0; i < t->n; i++) {
        if (cty_value_push(v, cty_null_new(t->types[i])) != 0) {
            cty_value_destroy(v);
            return NULL;
        }
    }
    return v;
}

struct cty_value *cty_object_new(struct cty_type *object_type)
{
    return structural_new(object_type, CTY_OBJECT);
}

struct cty_value *cty_tuple_new(struct cty_type *tuple_type)
{
    return structural_new(tuple_type, CTY_TUPLE);
}

int cty_object_set(struct cty_value *obj, const char *name, struct cty_value *item_owned)
{
    if (!item_owned)
        return -1;
    long i = (obj && obj->state == CTY_STATE_KNOWN && obj->type->kind == CTY_OBJECT)
                 ? cty_type_attr_index(obj->type, name)
                 : -1;
    if (i < 0 || (size_t)i >= obj->n) {
        cty_value_destroy(item_owned);
        return -1;
    }
    cty_value_destroy(obj->items[i]);
    obj->items[i] = item_owned;
    return 0;
}

int cty_tuple_set(struct cty_value *tuple, size_t i, struct cty_value *item_owned)
{
    if (!item_owned)
        return -1;
    if (!tuple || tuple->state != CTY_STATE_KNOWN || tuple->type->kind != CTY_TUPLE ||
        i >= tuple->n) {
        cty_value_destroy(item_owned);
        return -1;
    }
    cty_value_destroy(tuple->items[i]);
    tuple->items[i] = item_owned;
    return 0;
}

struct cty_value *cty_value_clone(const struct cty_value *v)
{
    if (!v)
        return NULL;
    struct cty_value *c = cty_value_alloc(v->type, v->state);
    if (!c)
        return NULL;
    c->b = v->b;
    if (v->refine && !(c->refine = refinements_clone(v->refine)))
        goto fail;
    if (v->text) {
        if (!(c->text = malloc(v->text_len + 1)))
            goto fail;
        memcpy(c->text, v->text, v->text_len + 1);
        c->text_len = v->text_len;
    }
    if (v->n) {
        c->items = calloc(v->n, sizeof(*c->items));
        if (!c->items || (v->keys && !(c->keys = calloc(v->n, sizeof(*c->keys)))))
            goto fail;
        c->cap = v->n;
        for (; c->n < v->n; c->n++) {
            /* Keys first, so a half-built clone never has a NULL key. */
            if (v->keys && !(c->keys[c->n] = strdup(v->keys[c->n])))
                goto fail;
            if (!(c->items[c->n] = cty_value_clone(v->items[c->n]))) {
                if (c->keys)
                    free(c->keys[c->n]);
                goto fail;
            }
        }
    }
    return c;
fail:
    cty_value_destroy(c);
    return NULL;
}

void cty_value_destroy(struct cty_value *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        cty_value_destroy(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->text);
    if (v->refine) {
        cty_refinements_clean_up(v->refine);
        free(v->refine);
    }
    cty_type_release(v->type);
    free(v);
}

/* ---- inspection ---- */

struct cty_type *cty_value_type(const struct cty_value *v) { return v->type; }
bool cty_value_is_null(const struct cty_value *v) { return v->state == CTY_STATE_NULL; }
bool cty_value_is_known(const struct cty_value *v) { return v->state != CTY_STATE_UNKNOWN; }

bool cty_value_is_wholly_known(const struct cty_value *v)
{
    if (v->state == CTY_STATE_UNKNOWN)
        return false;
    for (size_t i = 0; i < v->n; i++)
        if (!cty_value_is_wholly_known(v->items[i]))
            return false;
    return true;
}

const struct cty_refinements *cty_value_refinements(const struct cty_value *v)
{
    return v->state == CTY_STATE_UNKNOWN ? v->refine : NULL;
}

static bool is_known_kind(const struct cty_value *v, enum cty_kind kind)
{
    return v && v->state == CTY_STATE_KNOWN && v->type->kind == kind;
}

bool cty_value_get_bool(const struct cty_value *v)
{
    return is_known_kind(v, CTY_BOOL) && v->b;
}

const char *cty_value_string(const struct cty_value *v)
{
    return is_known_kind(v, CTY_STRING) ? v->text : NULL;
}

size_t cty_value_string_len(const struct cty_value *v)
{
    return is_known_kind(v, CTY_STRING) ? v->text_len : 0;
}

const char *cty_value_number_text(const struct cty_value *v)
{
    return is_known_kind(v, CTY_NUMBER) ? v->text : NULL;
}

int cty_value_number_int64(const struct cty_value *v, int64_t *out)
{
    if (!is_known_kind(v, CTY_NUMBER) || strchr(v->text, '.') || strchr(v->text, 'I'))
        return -1;
    errno = 0;
    char *end;
    long long n = strtoll(v->text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = (int64_t)n;
    return 0;
}

size_t cty_value_length(const struct cty_value *v)
{
    return v->state == CTY_STATE_KNOWN ? v->n : 0;
}

struct cty_value *cty_value_index(const struct cty_value *v, size_t i)
{
    return (v->state == CTY_STATE_KNOWN && i < v->n) ? v->items[i] : NULL;
}

const char *cty_value_map_key(const struct cty_value *v, size_t i)
{
    return (is_known_kind(v, CTY_MAP) && i < v->n) ? v->keys[i] : NULL;
}

struct cty_value *cty_value_map_get(const struct cty_value *v, const char *key)
{
    if (!is_known_kind(v, CTY_MAP))
        return NULL;
    bool found;
    size_t at = map_find(v, key, &found);
    return found ? v->items[at] : NULL;
}

struct cty_value *cty_value_attr(const struct cty_value *v, const char *name)
{
    if (!is_known_kind(v, CTY_OBJECT))
        return NULL;
    long i = cty_type_attr_index(v->type, name);
    return (i >= 0 && (size_t)i < v->n) ? v->items[i] : NULL;
}

const char *cty_attr_string(const struct cty_value *obj, const char *name)
{
    return cty_value_string(cty_value_attr(obj, name));
}

bool cty_attr_bool(const struct cty_value *obj, const char *name, bool fallback)
{
    const struct cty_value *a = cty_value_attr(obj, name);
    return is_known_kind(a, CTY_BOOL) ? a->b : fallback;
}

int64_t cty_attr_int(const struct cty_value *obj, const char *name, int64_t fallback)
{
    int64_t n;
    return cty_value_number_int64(cty_value_attr(obj, name), &n) == 0 ? n : fallback;
}

/* ---- equality ---- */

static bool set_equal(const struct cty_value *a, const struct cty_value *b)
{
    bool stack_used[64] = {false};
    bool *used = a->n <= 64 ? stack_used : calloc(a->n, sizeof(bool));
    if (!used)
        return false;
    bool equal = true;
    for (size_t i = 0; equal && i < a->n; i++) {
        bool matched = false;
        for (size_t j = 0; !matched && j < b->n; j++) {
            if (!used[j] && cty_value_equal(a->items[i], b->items[j]))
                used[j] = matched = true;
        }
        equal = matched;
    }
    if (used != stack_used)
        free(used);
    return equal;
}

bool cty_value_equal(const struct cty_value *a, const struct cty_value *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->state != b->state)
        return false;
    enum cty_kind ka = a->type->kind, kb = b->type->kind;
    if (a->state != CTY_STATE_KNOWN)
        return ka == kb || ka == CTY_DYNAMIC || kb == CTY_DYNAMIC;
    if (ka != kb || a->n != b->n)
        return false;
    switch (ka) {
    case CTY_BOOL:
        return a->b == b->b;
    case CTY_NUMBER:
    case CTY_STRING:
        return a->text_len == b->text_len && memcmp(a->text, b->text, a->text_len) == 0;
    case CTY_SET:
        return set_equal(a, b);
    case CTY_OBJECT:
        /* Attributes are compared by name, so objects built against
         * equal-but-distinct type instances still compare. */
        for (size_t i = 0; i < a->n; i++) {
            const struct cty_value *other = cty_value_attr(b, a->type->names[i]);
            if (!other || !cty_value_equal(a->items[i], other))
                return false;
        }
        return true;
    case CTY_MAP:
        for (size_t i = 0; i < a->n; i++)
            if (strcmp(a->keys[i], b->keys[i]) != 0)
                return false;
        /* fall through */
    default:
        for (size_t i = 0; i < a->n; i++)
            if (!cty_value_equal(a->items[i], b->items[i]))
                return false;
        return true;
    }
}

bool cty_value_conforms(const struct cty_value *v, const struct cty_type *t)
{
    if (!v || !t)
        return false;
    if (t->kind == CTY_DYNAMIC)
        return true;
    if (v->state != CTY_STATE_KNOWN)
        return cty_type_equal(v->type, t);
    if (v->type->kind != t->kind)
        return false;
    switch (t->kind) {
    case CTY_LIST:
    case CTY_SET:
    case CTY_MAP:
        for (size_t i = 0; i < v->n; i++)
            if (!cty_value_conforms(v->items[i], t->elem))
                return false;
        return true;
    case CTY_OBJECT:
    case CTY_TUPLE:
        if (v->type->n != t->n || v->n != t->n)
            return false;
        for (size_t i = 0; i < t->n; i++) {
            if (t->kind == CTY_OBJECT && strcmp(v->type->names[i], t->names[i]) != 0)
                return false;
            if (!cty_value_conforms(v->items[i], t->types[i]))
                return false;
        }
        return true;
    default:
        return true;
    }
}
