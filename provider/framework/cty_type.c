/*
 * cty_type.c - reference-counted cty types and their JSON descriptions
 * (plugin-protocol-notes §5.4).
 */
#include "framework/cty_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct cty_type type_bool = {.kind = CTY_BOOL, .is_static = true};
static struct cty_type type_number = {.kind = CTY_NUMBER, .is_static = true};
static struct cty_type type_string = {.kind = CTY_STRING, .is_static = true};
static struct cty_type type_dynamic = {.kind = CTY_DYNAMIC, .is_static = true};

struct cty_type *cty_type_bool(void) { return &type_bool; }
struct cty_type *cty_type_number(void) { return &type_number; }
struct cty_type *cty_type_string(void) { return &type_string; }
struct cty_type *cty_type_dynamic(void) { return &type_dynamic; }

char *cty_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

static struct cty_type *type_alloc(enum cty_kind kind)
{
    struct cty_type *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->kind = kind;
    atomic_init(&t->refs, 1);
    return t;
}

struct cty_type *cty_type_collection_new(enum cty_kind kind, struct cty_type *elem_owned)
{
    if (!elem_owned)
        return NULL;
    if (kind != CTY_LIST && kind != CTY_SET && kind != CTY_MAP) {
        cty_type_release(elem_owned);
        return NULL;
    }
    struct cty_type *t = type_alloc(kind);
    if (!t) {
        cty_type_release(elem_owned);
        return NULL;
    }
    t->elem = elem_owned;
    return t;
}

static void release_all(size_t n, struct cty_type **types)
{
    for (size_t i = 0; i < n; i++)
        cty_type_release(types[i]);
}

struct cty_type *cty_type_object_new(size_t n, const char *const *names,
                                     struct cty_type **types_owned)
{
    struct cty_type *t = type_alloc(CTY_OBJECT);
    if (!t || (n && (!(t->names = calloc(n, sizeof(char *))) ||
                     !(t->types = calloc(n, sizeof(struct cty_type *)))))) {
        if (t) {
            free(t->names);
            free(t);
        }
        release_all(n, types_owned);
        return NULL;
    }
    /* Insertion sort keeps attributes ordered by name, which is the order
     * the msgpack encoding writes them in; schemas are small. Duplicate
     * names make no valid object type. */
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        char *name = strdup(names[i]);
        if (!name || !types_owned[i]) {
            free(name);
            ok = false;
            cty_type_release(types_owned[i]);
            continue;
        }
        size_t j = t->n;
        while (j > 0 && strcmp(t->names[j - 1], name) > 0) {
            t->names[j] = t->names[j - 1];
            t->types[j] = t->types[j - 1];
            j--;
        }
        if (j > 0 && strcmp(t->names[j - 1], name) == 0)
            ok = false;
        t->names[j] = name;
        t->types[j] = types_owned[i];
        t->n++;
    }
    if (!ok) {
        cty_type_release(t);
        return NULL;
    }
    return t;
}

struct cty_type *cty_type_tuple_new(size_t n, struct cty_type **types_owned)
{
    struct cty_type *t = type_alloc(CTY_TUPLE);
    if (!t || (n && !(t->types = calloc(n, sizeof(struct cty_type *))))) {
        free(t);
        release_all(n, types_owned);
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (!types_owned[i])
            ok = false;
        t->types[i] = types_owned[i];
    }
    t->n = n;
    if (!ok) {
        cty_type_release(t);
        return NULL;
    }
    return t;
}

struct cty_type *cty_type_acquire(struct cty_type *t)
{
    if (t && !t->is_static)
        atomic_fetch_add(&t->refs, 1);
    return t;
}

void cty_type_release(struct cty_type *t)
{
    if (!t || t->is_static)
        return;
    if (atomic_fetch_sub(&t->refs, 1) != 1)
        return;
    cty_type_release(t->elem);
    for (size_t i = 0; i < t->n; i++) {
        if (t->names)
            free(t->names[i]);
        cty_type_release(t->types[i]);
    }
    free(t->names);
    free(t->types);
    free(t);
}

enum cty_kind cty_type_kind(const struct cty_type *t) { return t->kind; }

bool cty_type_is_primitive(const struct cty_type *t)
{
    return t->kind == CTY_BOOL || t->kind == CTY_NUMBER || t->kind == CTY_STRING;
}

struct cty_type *cty_type_element(const struct cty_type *t) { return t->elem; }

size_t cty_type_count(const struct cty_type *t)
{
    return (t->kind == CTY_OBJECT || t->kind == CTY_TUPLE) ? t->n : 0;
}

const char *cty_type_attr_name(const struct cty_type *t, size_t i)
{
    return (t->kind == CTY_OBJECT && i < t->n) ? t->names[i] : NULL;
}

struct cty_type *cty_type_attr_type(const struct cty_type *t, size_t i)
{
    return ((t->kind == CTY_OBJECT || t->kind == CTY_TUPLE) && i < t->n) ? t->types[i] : NULL;
}

long cty_type_attr_index(const struct cty_type *t, const char *name)
{
    if (t->kind != CTY_OBJECT)
        return -1;
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(t->names[mid], name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

bool cty_type_equal(const struct cty_type *a, const struct cty_type *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind)
        return false;
    switch (a->kind) {
    case CTY_LIST:
    case CTY_SET:
    case CTY_MAP:
        return cty_type_equal(a->elem, b->elem);
    case CTY_OBJECT:
    case CTY_TUPLE:
        if (a->n != b->n)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            if (a->kind == CTY_OBJECT && strcmp(a->names[i], b->names[i]) != 0)
                return false;
            if (!cty_type_equal(a->types[i], b->types[i]))
                return false;
        }
        return true;
    default:
        return true; /* primitives and dynamic: the kind is the type */
    }
}

bool cty_type_has_dynamic(const struct cty_type *t)
{
    if (t->kind == CTY_DYNAMIC)
        return true;
    if (t->elem && cty_type_has_dynamic(t->elem))
        return true;
    for (size_t i = 0; i < t->n; i++)
        if (cty_type_has_dynamic(t->types[i]))
            return true;
    return false;
}

/* ---- JSON type descriptions ---- */

static void set_error(char **error, char *msg)
{
    if (error)
        *error = msg;
    else
        free(msg);
}

static struct cty_type *primitive_from_name(const char *name)
{
    if (strcmp(name, "bool") == 0)
        return cty_type_bool();
    if (strcmp(name, "number") == 0)
        return cty_type_number();
    if (strcmp(name, "string") == 0)
        return cty_type_string();
    if (strcmp(name, "dynamic") == 0)
        return cty_type_dynamic();
    return NULL;
}

static struct cty_type *object_from_cjson(const cJSON *attrs, const cJSON *optional, char **error)
{
    if (!cJSON_IsObject(attrs)) {
        set_error(error, cty_errorf("object type attributes must be a JSON object"));
        return NULL;
    }
    /* The third element lists optional attributes; it only matters for
     * type constraints, never for values on the wire, so it is checked for
     * shape and otherwise ignored. */
    if (optional && !cJSON_IsArray(optional)) {
        set_error(error, cty_errorf("optional attributes of an object type must be an array"));
        return NULL;
    }
    size_t n = (size_t)cJSON_GetArraySize(attrs);
    const char **names = calloc(n ? n : 1, sizeof(char *));
    struct cty_type **types = calloc(n ? n : 1, sizeof(struct cty_type *));
    struct cty_type *t = NULL;
    size_t i = 0;
    if (!names || !types) {
        set_error(error, cty_errorf("out of memory"));
        goto out;
    }
    const cJSON *a;
    cJSON_ArrayForEach(a, attrs)
    {
        for (size_t k = 0; k < i; k++) {
            if (strcmp(names[k], a->string) == 0) {
                set_error(error, cty_errorf("duplicate object attribute \"%s\"", a->string));
                goto out;
            }
        }
        names[i] = a->string;
        types[i] = cty_type_from_cjson(a, error);
        if (!types[i])
            goto out;
        i++;
    }
    t = cty_type_object_new(n, names, types);
    i = 0; /* references were handed over, success or not */
    if (!t)
        set_error(error, cty_errorf("out of memory"));
out:
    release_all(i, types);
    free(names);
    free(types);
    return t;
}

static struct cty_type *tuple_from_cjson(const cJSON *elems, char **error)
{
    if (!cJSON_IsArray(elems)) {
        set_error(error, cty_errorf("tuple type elements must be a JSON array"));
        return NULL;
    }
    size_t n = (size_t)cJSON_GetArraySize(elems);
    struct cty_type **types = calloc(n ? n : 1, sizeof(struct cty_type *));
    if (!types) {
        set_error(error, cty_errorf("out of memory"));
        return NULL;
    }
    size_t i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, elems)
    {
        types[i] = cty_type_from_cjson(e, error);
        if (!types[i]) {
            release_all(i, types);
            free(types);
            return NULL;
        }
        i++;
    }
    struct cty_type *t = cty_type_tuple_new(n, types);
    free(types);
    if (!t)
        set_error(error, cty_errorf("out of memory"));
    return t;
}

struct cty_type *cty_type_from_cjson(const cJSON *j, char **error)
{
    if (cJSON_IsString(j)) {
        struct cty_type *t = primitive_from_name(j->valuestring);
        if (!t)
            set_error(error, cty_errorf("invalid primitive type name \"%s\"", j->valuestring));
        return t;
    }
    if (!cJSON_IsArray(j)) {
        set_error(error, cty_errorf("invalid type: must be a string or an array"));
        return NULL;
    }
    int count = cJSON_GetArraySize(j);
    const cJSON *kind = cJSON_GetArrayItem(j, 0);
    if (!cJSON_IsString(kind)) {
        set_error(error, cty_errorf("invalid complex type: first element must be a kind name"));
        return NULL;
    }
    const char *k = kind->valuestring;
    if (strcmp(k, "list") == 0 || strcmp(k, "set") == 0 || strcmp(k, "map") == 0) {
        if (count != 2) {
            set_error(error, cty_errorf("invalid %s type: needs exactly one element type", k));
            return NULL;
        }
        struct cty_type *elem = cty_type_from_cjson(cJSON_GetArrayItem(j, 1), error);
        if (!elem)
            return NULL;
        enum cty_kind ck = k[0] == 'l' ? CTY_LIST : k[0] == 's' ? CTY_SET : CTY_MAP;
        struct cty_type *t = cty_type_collection_new(ck, elem);
        if (!t)
            set_error(error, cty_errorf("out of memory"));
        return t;
    }
    if (strcmp(k, "object") == 0) {
        if (count != 2 && count != 3) {
            set_error(error, cty_errorf("invalid object type: needs attributes and optionally "
                                        "a list of optional attributes"));
            return NULL;
        }
        return object_from_cjson(cJSON_GetArrayItem(j, 1),
                                 count == 3 ? cJSON_GetArrayItem(j, 2) : NULL, error);
    }
    if (strcmp(k, "tuple") == 0) {
        if (count != 2) {
            set_error(error, cty_errorf("invalid tuple type: needs one array of element types"));
            return NULL;
        }
        return tuple_from_cjson(cJSON_GetArrayItem(j, 1), error);
    }
    set_error(error, cty_errorf("invalid complex type kind name \"%s\"", k));
    return NULL;
}

struct cty_type *cty_type_from_json(const char *json, size_t len, char **error)
{
    if (error)
        *error = NULL;
    cJSON *j = cJSON_ParseWithLength(json, len);
    if (!j) {
        set_error(error, cty_errorf("type description is not valid JSON"));
        return NULL;
    }
    struct cty_type *t = cty_type_from_cjson(j, error);
    cJSON_Delete(j);
    return t;
}

cJSON *cty_type_to_cjson(const struct cty_type *t)
{
    static const char *const names[] = {
        [CTY_DYNAMIC] = "dynamic", [CTY_BOOL] = "bool", [CTY_NUMBER] = "number",
        [CTY_STRING] = "string",   [CTY_LIST] = "list", [CTY_SET] = "set",
        [CTY_MAP] = "map",         [CTY_OBJECT] = "object", [CTY_TUPLE] = "tuple",
    };
    if (t->kind <= CTY_STRING)
        return cJSON_CreateString(names[t->kind]);
    cJSON *arr = cJSON_CreateArray();
    cJSON *second = NULL;
    if (!arr || !cJSON_AddItemToArray(arr, cJSON_CreateString(names[t->kind])))
        goto fail;
    switch (t->kind) {
    case CTY_LIST:
    case CTY_SET:
    case CTY_MAP:
        second = cty_type_to_cjson(t->elem);
        break;
    case CTY_OBJECT:
        second = cJSON_CreateObject();
        for (size_t i = 0; second && i < t->n; i++) {
            cJSON *a = cty_type_to_cjson(t->types[i]);
            if (!a || !cJSON_AddItemToObject(second, t->names[i], a)) {
                cJSON_Delete(a);
                goto fail_second;
            }
        }
        break;
    case CTY_TUPLE:
        second = cJSON_CreateArray();
        for (size_t i = 0; second && i < t->n; i++) {
            cJSON *e = cty_type_to_cjson(t->types[i]);
            if (!e || !cJSON_AddItemToArray(second, e)) {
                cJSON_Delete(e);
                goto fail_second;
            }
        }
        break;
    default:
        break;
    }
    if (!second || !cJSON_AddItemToArray(arr, second))
        goto fail_second;
    return arr;
fail_second:
    cJSON_Delete(second);
fail:
    cJSON_Delete(arr);
    return NULL;
}

char *cty_type_to_json(const struct cty_type *t)
{
    cJSON *j = cty_type_to_cjson(t);
    if (!j)
        return NULL;
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return s;
}
