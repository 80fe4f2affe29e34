/*
 * cty.h - types and values of OpenTofu's type system (go-cty), in C.
 *
 * Types are immutable and reference counted. Primitive types (bool, number,
 * string, dynamic) are static singletons: acquire/release do nothing on them.
 * Functions that take a `struct cty_type *` argument named `*_owned` take over
 * one reference; every other type argument is borrowed (acquired if kept).
 *
 * Values form trees: every value has exactly one owner (a caller, or the
 * collection/object that holds it). Functions taking a value argument named
 * `*_owned` take ownership of it in every case: when they fail (returning
 * -1, also for a NULL argument) they have already destroyed it, so callers
 * never destroy it again. Others borrow. Getters return borrowed
 * pointers that live as long as their parent.
 *
 * Any value can be null or unknown, of any type. An unknown may carry
 * refinements (msgpack ext 12): they are kept so the codecs round-trip them.
 * Numbers keep their exact decimal text (never passed through double).
 * A value whose declared type is dynamic carries its concrete type.
 */
#ifndef LSMS_FRAMEWORK_CTY_H
#define LSMS_FRAMEWORK_CTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cty_kind {
    CTY_DYNAMIC = 0,
    CTY_BOOL,
    CTY_NUMBER,
    CTY_STRING,
    CTY_LIST,
    CTY_SET,
    CTY_MAP,
    CTY_OBJECT,
    CTY_TUPLE,
};

struct cty_type;
struct cty_value;

/* ---- types ---- */

struct cty_type *cty_type_bool(void);
struct cty_type *cty_type_number(void);
struct cty_type *cty_type_string(void);
struct cty_type *cty_type_dynamic(void);
/* kind is CTY_LIST, CTY_SET or CTY_MAP. Returns NULL when out of memory. */
struct cty_type *cty_type_collection_new(enum cty_kind kind, struct cty_type *elem_owned);
/* Attribute names are copied; the types array's references are taken over
 * (the array itself stays the caller's). Attributes are kept sorted by name. */
struct cty_type *cty_type_object_new(size_t n, const char *const *names,
                                     struct cty_type **types_owned);
struct cty_type *cty_type_tuple_new(size_t n, struct cty_type **types_owned);
struct cty_type *cty_type_acquire(struct cty_type *t);
void cty_type_release(struct cty_type *t);

enum cty_kind cty_type_kind(const struct cty_type *t);
bool cty_type_is_primitive(const struct cty_type *t);
/* Element type of a list, set or map (borrowed). */
struct cty_type *cty_type_element(const struct cty_type *t);
/* Object attributes (sorted by name) or tuple elements. */
size_t cty_type_count(const struct cty_type *t);
const char *cty_type_attr_name(const struct cty_type *t, size_t i);
struct cty_type *cty_type_attr_type(const struct cty_type *t, size_t i);
/* Object attribute index by name, or -1. */
long cty_type_attr_index(const struct cty_type *t, const char *name);
bool cty_type_equal(const struct cty_type *a, const struct cty_type *b);
/* True when t is dynamic or contains dynamic anywhere. */
bool cty_type_has_dynamic(const struct cty_type *t);

/* JSON type strings (`"string"`, `["list","string"]`, `["object",{...}]`,
 * `["tuple",[...]]`). from_json returns NULL and sets *error (malloc'd) on a
 * bad string; to_json returns a malloc'd string. */
struct cty_type *cty_type_from_json(const char *json, size_t len, char **error);
char *cty_type_to_json(const struct cty_type *t);

/* ---- refinements of unknown values (cty msgpack ext 12) ---- */

struct cty_refinements {
    bool not_null;           /* key 1 = false was sent ("definitely not null") */
    char *string_prefix;     /* key 2, malloc'd or NULL */
    char *number_lower;      /* key 3 bound as decimal text, malloc'd or NULL */
    bool number_lower_inclusive;
    char *number_upper;      /* key 4 */
    bool number_upper_inclusive;
    int64_t length_min;      /* key 5, -1 when absent */
    int64_t length_max;      /* key 6, -1 when absent */
};

/* ---- values: construction ---- */

/* Null and unknown of any type (the type is acquired). */
struct cty_value *cty_null_new(struct cty_type *t);
struct cty_value *cty_unknown_new(struct cty_type *t);
/* Unknown with refinements; takes ownership of the refinement strings. */
struct cty_value *cty_unknown_refined_new(struct cty_type *t, struct cty_refinements *refine_owned);
struct cty_value *cty_bool_new(bool b);
/* `decimal` must be a valid decimal number text ("12", "-3.5", "1e3" is normalised). */
struct cty_value *cty_number_new(const char *decimal);
struct cty_value *cty_number_new_int(int64_t n);
struct cty_value *cty_string_new(const char *s);
struct cty_value *cty_string_new_len(const char *s, size_t len);
/* Empty known collections of the given collection type (acquired). */
struct cty_value *cty_collection_new(struct cty_type *collection_type);
/* Appends to a list, set (duplicates are dropped) or tuple-under-construction. */
int cty_collection_append(struct cty_value *coll, struct cty_value *item_owned);
/* Sets map[key] (key copied), replacing an existing entry. */
int cty_map_put(struct cty_value *map, const char *key, struct cty_value *item_owned);
/* A known object of the given object type with every attribute null. */
struct cty_value *cty_object_new(struct cty_type *object_type);
/* Replaces attribute `name`; returns -1 if the object type has no such attribute. */
int cty_object_set(struct cty_value *obj, const char *name, struct cty_value *item_owned);
/* A known tuple of the given tuple type with every element null. */
struct cty_value *cty_tuple_new(struct cty_type *tuple_type);
int cty_tuple_set(struct cty_value *tuple, size_t i, struct cty_value *item_owned);

struct cty_value *cty_value_clone(const struct cty_value *v);
void cty_value_destroy(struct cty_value *v);

/* ---- values: inspection ---- */

struct cty_type *cty_value_type(const struct cty_value *v); /* borrowed */
bool cty_value_is_null(const struct cty_value *v);
bool cty_value_is_known(const struct cty_value *v);          /* false for unknown */
bool cty_value_is_wholly_known(const struct cty_value *v);   /* no unknown anywhere inside */
const struct cty_refinements *cty_value_refinements(const struct cty_value *v); /* NULL if none */
bool cty_value_get_bool(const struct cty_value *v);
const char *cty_value_string(const struct cty_value *v);    /* NULL unless known non-null string */
/* Byte length of a known string (strings may hold NUL bytes); 0 otherwise. */
size_t cty_value_string_len(const struct cty_value *v);
/* Canonical decimal text of a known number: no exponent, no redundant zeros,
 * "Inf"/"-Inf" for the infinities; NULL unless known non-null number. */
const char *cty_value_number_text(const struct cty_value *v);
/* 0 and *out set when v is a known integer that fits int64; else -1. */
int cty_value_number_int64(const struct cty_value *v, int64_t *out);
/* Elements of list/set/map/tuple (0 for null or unknown). */
size_t cty_value_length(const struct cty_value *v);
struct cty_value *cty_value_index(const struct cty_value *v, size_t i);
const char *cty_value_map_key(const struct cty_value *v, size_t i);
struct cty_value *cty_value_map_get(const struct cty_value *v, const char *key);
/* Object attribute (borrowed), or NULL when v is null/unknown or has no such attribute. */
struct cty_value *cty_value_attr(const struct cty_value *v, const char *name);
/* Conveniences for resources: the attribute's string/bool/int when known and
 * non-null, else the fallback. */
const char *cty_attr_string(const struct cty_value *obj, const char *name);
bool cty_attr_bool(const struct cty_value *obj, const char *name, bool fallback);
int64_t cty_attr_int(const struct cty_value *obj, const char *name, int64_t fallback);

/* Deep equality: same nullness/knownness, numbers by value, sets as sets.
 * Two unknowns are equal; refinements are ignored. */
bool cty_value_equal(const struct cty_value *a, const struct cty_value *b);

/* True when v (any nullness or knownness) is a value of type t: the same
 * kind all the way down (dynamic accepts anything), objects with exactly
 * t's attributes. For values a callback built with cty_object_set, which
 * does not check the item's type. */
bool cty_value_conforms(const struct cty_value *v, const struct cty_type *t);

/* ---- codecs (the value's declared type is given, as on the wire) ---- */

/* msgpack as in OpenTofu's cty/msgpack: objects carry every attribute, unknown
 * is ext 0 (any ext of length <= 1 accepted), refined unknown is ext 12,
 * dynamic values are [type-json as bin, value]. Returns NULL and a malloc'd
 * *error on malformed input. An empty buffer decodes as null. */
struct cty_value *cty_value_from_msgpack(const uint8_t *data, size_t len, struct cty_type *type,
                                         char **error);
/* Returns 0 and a malloc'd buffer, or -1 (out of memory / value does not
 * conform to type, with *error set when error is non-NULL). */
int cty_value_to_msgpack(const struct cty_value *v, struct cty_type *type, uint8_t **out,
                         size_t *out_len, char **error);
/* JSON as in cty/json (state files): missing object keys are null, unknown
 * keys are an error, dynamic is {"value":…,"type":…}. */
struct cty_value *cty_value_from_json(const char *json, size_t len, struct cty_type *type,
                                      char **error);
/* Fails (NULL, *error) on unknown values, which JSON cannot hold. */
char *cty_value_to_json(const struct cty_value *v, struct cty_type *type, char **error);

#endif
