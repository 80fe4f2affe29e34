/*
 * schema.h - declarative schema tables for the provider and its resources.
 *
 * Resources declare their schema as const tables with designated
 * initializers. Arrays of attributes, validators and block types end with a
 * zeroed element. At start-up schema_compile() turns a table into the
 * runtime form the framework uses (cty types, parsed defaults, compiled
 * regexes); the tables themselves are never modified.
 *
 * Example:
 *   static const struct schema_attribute attrs[] = {
 *       {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
 *        .description = "Container name.",
 *        .validators = (const struct schema_validator[]){
 *            {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
 *             .message = "letters, digits, '-' and '_', 1 to 255 characters"},
 *            {.kind = VALIDATE_LENGTH, .min = 1, .max = 255,
 *             .message = "letters, digits, '-' and '_', 1 to 255 characters"},
 *            {0}}},
 *       {0}};
 *
 * Bound lengths with VALIDATE_LENGTH, not with a regex interval: glibc's
 * regcomp expands `{1,255}` into 255 copies of the bracket, and compiling
 * that one pattern took 1.6 MB of the provider's resident memory.
 */
#ifndef LSMS_FRAMEWORK_SCHEMA_H
#define LSMS_FRAMEWORK_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "framework/cty.h"
#include "framework/diag.h"

enum schema_flags {
    SCHEMA_REQUIRED = 1 << 0,
    SCHEMA_OPTIONAL = 1 << 1,
    SCHEMA_COMPUTED = 1 << 2,
    SCHEMA_SENSITIVE = 1 << 3,
    SCHEMA_WRITE_ONLY = 1 << 4,
    /* Plan modifier: a change of this attribute replaces the resource. */
    SCHEMA_REPLACE = 1 << 5,
    /* Plan modifier for computed attributes: keep the prior value on update
     * instead of planning it unknown. */
    SCHEMA_USE_STATE = 1 << 6,
    SCHEMA_DEPRECATED = 1 << 7,
};

enum schema_validator_kind {
    VALIDATE_END = 0,   /* terminates a validator array */
    VALIDATE_ONE_OF,    /* string in .one_of (NULL-terminated) */
    VALIDATE_REGEX,     /* string matches POSIX extended .regex */
    VALIDATE_LENGTH,    /* string length (bytes) within [.min, .max]; max 0: no bound */
    VALIDATE_INT_RANGE, /* integer number within [.min, .max] */
    VALIDATE_COUNT,     /* list/set/map element count within [.min, .max]; max 0: no bound */
    VALIDATE_CIDR,      /* IPv4 or IPv6 network in CIDR notation */
    VALIDATE_URL,       /* absolute URL; .one_of optionally lists allowed schemes */
    VALIDATE_JSON,      /* string parses as JSON */
    VALIDATE_FUNC,      /* .func decides */
};

/* For list/set attributes of primitives, validators apply to each element. */
struct schema_validator {
    enum schema_validator_kind kind;
    const char *const *one_of;
    const char *regex;
    int64_t min, max;
    /* Adds diagnostics at `path` when `v` (known, non-null) is invalid. */
    void (*func)(const struct cty_value *v, const struct attr_path *path, struct diags *d);
    /* Optional human explanation used in the diagnostic detail. */
    const char *message;
};

enum schema_nesting {
    SCHEMA_NESTING_INVALID = 0,
    SCHEMA_NESTING_SINGLE = 1,
    SCHEMA_NESTING_LIST = 2,
    SCHEMA_NESTING_SET = 3,
    SCHEMA_NESTING_MAP = 4,
    SCHEMA_NESTING_GROUP = 5, /* blocks only */
};

struct schema_attribute;

/* Nested attributes (tfplugin6 nested_type). */
struct schema_object {
    enum schema_nesting nesting;
    const struct schema_attribute *attributes;
};

struct schema_attribute {
    const char *name;
    /* JSON type string ("string", "number", "bool", "[\"list\",\"string\"]",
     * "[\"map\",\"string\"]", ...). NULL when .nested is set. */
    const char *type;
    const struct schema_object *nested;
    unsigned flags;
    const char *description; /* markdown */
    /* Default when the configuration leaves the attribute null: a JSON value
     * of the attribute's type ("true", "3000", "\"HD-720p\"", "[...]").
     * Requires SCHEMA_OPTIONAL | SCHEMA_COMPUTED. */
    const char *default_json;
    const struct schema_validator *validators;
    /* Optional, with SCHEMA_REPLACE (terraform-plugin-framework's
     * RequiresReplaceIf): called when the attribute's planned value differs
     * from its prior one, with the enclosing objects (prior and planned, both
     * non-null); false makes that change an in-place update. For a change
     * that only records what already exists, such as the name_prefix of a
     * bucket whose name begins with it. */
    bool (*replace_if)(const struct cty_value *prior_obj, const struct cty_value *planned_obj);
    /* Deprecated attribute: what to use instead (markdown). Sets the
     * protocol's deprecated flag too; clients that know the message
     * (protocol 6.10+: Terraform 1.16, OpenTofu 1.12) show it where the
     * attribute is set, older ones a generic deprecation warning. SCHEMA_DEPRECATED alone
     * marks it deprecated without a message. */
    const char *deprecation_message;
};

struct schema_block;

struct schema_block_type {
    const char *name;
    enum schema_nesting nesting;
    int64_t min_items, max_items;
    const struct schema_block *block;
};

struct schema_block {
    const struct schema_attribute *attributes;
    const struct schema_block_type *block_types;
    const char *description;
    /* A deprecated resource, data source, action or block: what to use
     * instead (markdown); sets the protocol's deprecated flag too. */
    const char *deprecation_message;
};

struct schema {
    int64_t version;
    struct schema_block block;
};

/* ---- runtime form ---- */

struct schema_compiled; /* opaque */

/*
 * Compiles a table: checks it against OpenTofu's schema rules (every
 * attribute optional/required/computed, no required+computed, defaults only
 * on optional+computed, default values conform to the type, regexes
 * compile). Returns NULL with a malloc'd *error on a bad table.
 */
struct schema_compiled *schema_compile(const struct schema *s, char **error);
void schema_compiled_destroy(struct schema_compiled *c);
const struct schema *schema_compiled_table(const struct schema_compiled *c);
/* The block's implied object type (borrowed). */
struct cty_type *schema_compiled_type(const struct schema_compiled *c);

/* Runs every attribute's validators on a config value (unknowns are skipped),
 * with diagnostics pointing at the attribute path. */
void schema_validate_config(const struct schema_compiled *c, const struct cty_value *config,
                            struct diags *d);

/* A known object of the block's type with every attribute null, nested
 * LIST/SET/MAP blocks empty, GROUP blocks all-null objects (import starts here). */
struct cty_value *schema_null_object(const struct schema_compiled *c);

/* Fills attributes that are null in `obj` and have defaults (recursively in
 * nested attributes). */
int schema_apply_defaults(const struct schema_compiled *c, struct cty_value *obj);

/* Replaces every unknown in `obj` with null (used for partial state on error). */
void schema_unknowns_to_null(struct cty_value *obj);

/* Sets every write-only attribute to null (required in all returned states). */
void schema_null_write_only(const struct schema_compiled *c, struct cty_value *obj);

/* The configuration that produces `state` (known, non-null, borrowed), for
 * GenerateResourceConfig: a copy with computed-only and write-only
 * attributes null, and optional+computed attributes null where they equal
 * their default (recursively, nested attributes and blocks included).
 * Owned by the caller; NULL when out of memory. */
struct cty_value *schema_config_from_state(const struct schema_compiled *c,
                                           const struct cty_value *state);

#endif
