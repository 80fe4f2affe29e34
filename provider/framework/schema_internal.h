/*
 * schema_internal.h - the compiled form of a schema table, shared by
 * schema.c, validate.c and plan.c. Nothing outside provider/framework may
 * include it: resources and the protocol layer use schema.h only.
 *
 * A compiled block mirrors its table one to one (attrs[i] is
 * table->attributes[i], blocks[i] is table->block_types[i]); nested
 * attributes compile to a block with attributes only.
 */
#ifndef LSMS_FRAMEWORK_SCHEMA_INTERNAL_H
#define LSMS_FRAMEWORK_SCHEMA_INTERNAL_H

#include <regex.h>
#include <stddef.h>

#include "framework/cty.h"
#include "framework/schema.h"

struct schema_cblock;

struct schema_cattr {
    const struct schema_attribute *a;
    struct cty_type *type;            /* owned reference */
    struct cty_value *default_value;  /* owned, NULL when none */
    regex_t *regexes;                 /* one slot per validator; compiled only for REGEX */
    size_t n_validators;
    struct schema_cblock *nested;     /* owned, for .nested attributes */
};

struct schema_cblock_type {
    const struct schema_block_type *bt;
    struct schema_cblock *block;      /* owned */
    struct cty_type *type;            /* owned: object, or a collection of it */
};

struct schema_cblock {
    struct schema_cattr *attrs;
    size_t n_attrs;
    struct schema_cblock_type *blocks;
    size_t n_blocks;
    struct cty_type *object_type;     /* owned: the implied object type */
};

struct schema_compiled {
    const struct schema *table;
    struct schema_cblock *root;
};

/* schema_null_object for one block: attributes null, LIST/SET/MAP blocks
 * empty, GROUP blocks all-null objects. Owned by the caller; NULL when out
 * of memory. */
struct cty_value *schema_cblock_null_object(const struct schema_cblock *b);

#endif
