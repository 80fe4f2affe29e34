/*
 * cty_internal.h - representation shared by the cty_*.c files only.
 *
 * Nothing outside provider/framework/cty_*.c includes this header; everyone
 * else goes through cty.h.
 */
#ifndef LSMS_FRAMEWORK_CTY_INTERNAL_H
#define LSMS_FRAMEWORK_CTY_INTERNAL_H

#include "framework/cty.h"

#include <cjson/cJSON.h>
#include <stdatomic.h>

struct cty_type {
    enum cty_kind kind;
    /* Static primitives are never counted; everything else starts at 1.
     * Atomic because schema types are shared by concurrently served RPCs. */
    bool is_static;
    atomic_int refs;
    struct cty_type *elem; /* list, set, map */
    size_t n;              /* object attributes or tuple elements */
    char **names;          /* object only, sorted by strcmp */
    struct cty_type **types;
};

enum cty_state {
    CTY_STATE_KNOWN = 0,
    CTY_STATE_NULL,
    CTY_STATE_UNKNOWN,
};

struct cty_value {
    struct cty_type *type; /* owned reference; the concrete type, even under dynamic */
    enum cty_state state;
    struct cty_refinements *refine; /* unknown only, NULL when unrefined */
    bool b;
    char *text; /* number: canonical decimal; string: bytes (NUL-terminated) */
    size_t text_len;
    /* list, set, map, object, tuple. Objects hold one item per attribute of
     * `type`, in the type's (sorted) order; maps keep keys sorted. */
    struct cty_value **items;
    char **keys; /* map only */
    size_t n;
    size_t cap;
};

/* Canonical decimal text of a number, malloc'd; NULL when `text` (of `len`
 * bytes) is not a decimal number (int, fraction, exponent forms, or
 * "inf"/"-inf"). The canonical form is plain decimal without exponent,
 * without leading/trailing zeros, "-" only for negatives: two numbers are
 * equal exactly when their canonical texts are. Infinities are "Inf"/"-Inf". */
char *cty_number_normalise(const char *text, size_t len);
/* Canonical text of the exact value of a finite double (or an infinity). */
char *cty_number_from_double(double d);
/* True (and *out set) when canonical text `text` is exactly a double. */
bool cty_number_to_double_exact(const char *text, double *out);

/* Type from an already parsed JSON type description. */
struct cty_type *cty_type_from_cjson(const cJSON *j, char **error);
/* JSON type description as a cJSON tree (caller deletes), NULL when out of memory. */
cJSON *cty_type_to_cjson(const struct cty_type *t);

/* Internal constructor used by the decoders: a known empty container of a
 * list/set/map/object/tuple type, with room reserved. */
struct cty_value *cty_value_alloc(struct cty_type *t, enum cty_state state);
/* Append to any container's item array without set dedupe or map keys. */
int cty_value_push(struct cty_value *v, struct cty_value *item_owned);

/* malloc'd printf, for error messages. Never fails to return something
 * unless out of memory (NULL). */
char *cty_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void cty_refinements_clean_up(struct cty_refinements *r);
bool cty_refinements_empty(const struct cty_refinements *r);

#endif
