/* Schema compilation: OpenTofu's InternalValidate rules, our own table rules,
 * implied types, and the schema-shaped value helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"
#include "framework/schema.h"

#define ATTRS(...) ((const struct schema_attribute[]){__VA_ARGS__, {0}})
#define BLOCKS(...) ((const struct schema_block_type[]){__VA_ARGS__, {0}})

/* Compiles a table that must be rejected and checks the message names the
 * problem. */
static void expect_rejected(const struct schema *s, const char *fragment)
{
    char *error = NULL;
    struct schema_compiled *c = schema_compile(s, &error);
    assert_null(c);
    assert_non_null(error);
    if (!strstr(error, fragment))
        fail_msg("error \"%s\" does not mention \"%s\"", error, fragment);
    free(error);
}

static const struct schema_block inner_block = {
    .attributes = ATTRS({.name = "x", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "x."}),
};

static void rejects_attribute_flag_combinations(void **state)
{
    (void)state;
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .description = "a."})},
                    "a: must be one of required, optional or computed");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_OPTIONAL,
                         .description = "a."})},
                    "both required and optional");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_COMPUTED,
                         .description = "a."})},
                    "both required and computed");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_OPTIONAL})},
                    "no description");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "Bad", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "a."})},
                    "^[a-z0-9_]+$");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "strin", .flags = SCHEMA_OPTIONAL,
                         .description = "a."})},
                    "a: bad type");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "a."},
                        {.name = "a", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "a."})},
                    "duplicate attribute");
    expect_rejected(&(struct schema){.version = -1}, "version");
}

static void rejects_bad_defaults_and_validators(void **state)
{
    (void)state;
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "bool", .flags = SCHEMA_OPTIONAL,
                         .description = "a.", .default_json = "true"})},
                    "optional and computed");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
                         .description = "a.", .default_json = "\"x\""})},
                    "does not conform");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "a.",
                         .validators = (const struct schema_validator[]){
                             {.kind = VALIDATE_REGEX, .regex = "(unclosed"}, {0}}})},
                    "does not compile");
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "a.",
                         .validators = (const struct schema_validator[]){
                             {.kind = VALIDATE_REGEX, .regex = "^a$"},
                             {.kind = VALIDATE_ONE_OF}, {0}}})},
                    "ONE_OF");
}

static void rejects_bad_block_types(void **state)
{
    (void)state;
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_SINGLE, .min_items = 0,
                         .max_items = 1, .block = &inner_block})},
                    "b: SINGLE");
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_GROUP, .max_items = 1,
                         .block = &inner_block})},
                    "GROUP and MAP");
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_MAP, .min_items = 1,
                         .block = &inner_block})},
                    "GROUP and MAP");
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_LIST, .min_items = 3,
                         .max_items = 2, .block = &inner_block})},
                    "min_items is above max_items");
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b-c", .nesting = SCHEMA_NESTING_LIST, .block = &inner_block})},
                    "^[a-z0-9_]+$");
    expect_rejected(&(struct schema){.block = {
                        .attributes = ATTRS({.name = "b", .type = "string",
                                             .flags = SCHEMA_OPTIONAL, .description = "b."}),
                        .block_types = BLOCKS({.name = "b", .nesting = SCHEMA_NESTING_LIST,
                                               .block = &inner_block})}},
                    "share its name");
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_LIST})},
                    "without a block");
    const struct schema_block dyn_inner = {
        .attributes = ATTRS({.name = "d", .type = "dynamic", .flags = SCHEMA_OPTIONAL,
                             .description = "d."})};
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_SET, .block = &dyn_inner})},
                    "SET block may not contain dynamic");
    /* Errors inside nested blocks name the full path. */
    const struct schema_block bad_inner = {
        .attributes = ATTRS({.name = "y", .type = "string", .description = "y."})};
    expect_rejected(&(struct schema){.block.block_types = BLOCKS(
                        {.name = "b", .nesting = SCHEMA_NESTING_LIST, .block = &bad_inner})},
                    "b.y: must be one of");
}

static void assert_type_json(struct cty_type *t, const char *json)
{
    char *err = NULL;
    struct cty_type *want = cty_type_from_json(json, strlen(json), &err);
    assert_non_null(want);
    if (!cty_type_equal(t, want)) {
        char *got = cty_type_to_json(t);
        fail_msg("implied type %s, expected %s", got, json);
    }
    cty_type_release(want);
}

static const struct schema_attribute rule_attrs[] = {
    {.name = "max_age_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Max age.", .default_json = "3000"},
    {.name = "origins", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "Origins."},
    {0}};
static const struct schema_block rule_block = {.attributes = rule_attrs};
static const struct schema_block timeouts_block = {
    .attributes = ATTRS({.name = "create", .type = "string", .flags = SCHEMA_OPTIONAL,
                         .description = "Create timeout."})};
static const struct schema good = {
    .version = 1,
    .block = {
        .attributes = ATTRS(
            {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
             .description = "Name."},
            {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "Id."},
            {.name = "enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
             .description = "Enabled.", .default_json = "true"},
            {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,
             .description = "Tags."},
            {.name = "settings", .flags = SCHEMA_OPTIONAL, .description = "Settings.",
             .nested = &(const struct schema_object){
                 .nesting = SCHEMA_NESTING_SINGLE,
                 .attributes = ATTRS({.name = "mode", .type = "string",
                                      .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
                                      .description = "Mode.", .default_json = "\"fast\""})}},
            {.name = "rules", .flags = SCHEMA_OPTIONAL, .description = "Rules.",
             .nested = &(const struct schema_object){.nesting = SCHEMA_NESTING_SET,
                                                     .attributes = rule_attrs}}),
        .block_types = BLOCKS(
            {.name = "cors_rules", .nesting = SCHEMA_NESTING_LIST, .max_items = 10,
             .block = &rule_block},
            {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &timeouts_block},
            {.name = "group", .nesting = SCHEMA_NESTING_GROUP, .block = &timeouts_block},
            {.name = "by_key", .nesting = SCHEMA_NESTING_MAP, .block = &timeouts_block}),
    }};

static void compiles_good_table_with_implied_type(void **state)
{
    (void)state;
    char *error = NULL;
    struct schema_compiled *c = schema_compile(&good, &error);
    assert_null(error);
    assert_non_null(c);
    assert_ptr_equal(schema_compiled_table(c), &good);
    assert_type_json(
        schema_compiled_type(c),
        "[\"object\",{\"name\":\"string\",\"id\":\"string\",\"enabled\":\"bool\","
        "\"tags\":[\"map\",\"string\"],"
        "\"settings\":[\"object\",{\"mode\":\"string\"}],"
        "\"rules\":[\"set\",[\"object\",{\"max_age_seconds\":\"number\",\"origins\":[\"list\","
        "\"string\"]}]],"
        "\"cors_rules\":[\"list\",[\"object\",{\"max_age_seconds\":\"number\",\"origins\":[\"list\","
        "\"string\"]}]],"
        "\"timeouts\":[\"object\",{\"create\":\"string\"}],"
        "\"group\":[\"object\",{\"create\":\"string\"}],"
        "\"by_key\":[\"map\",[\"object\",{\"create\":\"string\"}]]}]");
    schema_compiled_destroy(c);
}

static void null_object_has_empty_collections_and_group_objects(void **state)
{
    (void)state;
    struct schema_compiled *c = schema_compile(&good, NULL);
    assert_non_null(c);
    struct cty_value *v = schema_null_object(c);
    assert_non_null(v);
    assert_false(cty_value_is_null(v));
    assert_true(cty_value_is_null(cty_value_attr(v, "name")));
    assert_true(cty_value_is_null(cty_value_attr(v, "timeouts")));
    const struct cty_value *rules = cty_value_attr(v, "cors_rules");
    assert_false(cty_value_is_null(rules));
    assert_int_equal(cty_value_length(rules), 0);
    assert_false(cty_value_is_null(cty_value_attr(v, "by_key")));
    const struct cty_value *group = cty_value_attr(v, "group");
    assert_false(cty_value_is_null(group));
    assert_true(cty_value_is_null(cty_value_attr(group, "create")));
    cty_value_destroy(v);
    schema_compiled_destroy(c);
}

static void apply_defaults_fills_nulls_recursively(void **state)
{
    (void)state;
    struct schema_compiled *c = schema_compile(&good, NULL);
    struct cty_type *t = schema_compiled_type(c);
    struct cty_value *v = schema_null_object(c);
    /* A nested SINGLE attribute and one list block element, both with a
     * defaulted attribute left null; a set by itself is left alone. */
    struct cty_type *settings_t = cty_type_attr_type(t, (size_t)cty_type_attr_index(t, "settings"));
    assert_int_equal(cty_object_set(v, "settings", cty_object_new(settings_t)), 0);
    struct cty_type *rules_t = cty_type_attr_type(t, (size_t)cty_type_attr_index(t, "cors_rules"));
    struct cty_value *list = cty_collection_new(rules_t);
    struct cty_value *rule = cty_object_new(cty_type_element(rules_t));
    cty_object_set(rule, "max_age_seconds", cty_number_new_int(5));
    cty_collection_append(list, rule);
    cty_collection_append(list, cty_object_new(cty_type_element(rules_t)));
    cty_object_set(v, "cors_rules", list);

    assert_int_equal(schema_apply_defaults(c, v), 0);
    assert_true(cty_attr_bool(v, "enabled", false));
    assert_string_equal(cty_attr_string(cty_value_attr(v, "settings"), "mode"), "fast");
    const struct cty_value *l = cty_value_attr(v, "cors_rules");
    assert_int_equal(cty_attr_int(cty_value_index(l, 0), "max_age_seconds", -1), 5);
    assert_int_equal(cty_attr_int(cty_value_index(l, 1), "max_age_seconds", -1), 3000);
    assert_true(cty_value_is_null(cty_value_attr(v, "name")));
    cty_value_destroy(v);
    schema_compiled_destroy(c);
}

static const struct schema wo_schema = {
    .block.attributes = ATTRS(
        {.name = "pass_wo", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_WRITE_ONLY,
         .description = "Password."},
        {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED, .description = "Id."},
        {.name = "list", .type = "[\"list\",\"string\"]", .flags = SCHEMA_COMPUTED,
         .description = "List."})};

static void write_only_nulled_and_unknowns_to_null(void **state)
{
    (void)state;
    struct schema_compiled *c = schema_compile(&wo_schema, NULL);
    assert_non_null(c);
    struct cty_type *t = schema_compiled_type(c);
    struct cty_value *v = schema_null_object(c);
    cty_object_set(v, "pass_wo", cty_string_new("secret"));
    cty_object_set(v, "id", cty_unknown_new(cty_type_string()));
    struct cty_value *list =
        cty_collection_new(cty_type_attr_type(t, (size_t)cty_type_attr_index(t, "list")));
    cty_collection_append(list, cty_string_new("a"));
    cty_collection_append(list, cty_unknown_new(cty_type_string()));
    cty_object_set(v, "list", list);

    schema_null_write_only(c, v);
    assert_true(cty_value_is_null(cty_value_attr(v, "pass_wo")));
    schema_unknowns_to_null(v);
    assert_true(cty_value_is_wholly_known(v));
    assert_true(cty_value_is_null(cty_value_attr(v, "id")));
    const struct cty_value *l = cty_value_attr(v, "list");
    assert_int_equal(cty_value_length(l), 2);
    assert_string_equal(cty_value_string(cty_value_index(l, 0)), "a");
    assert_true(cty_value_is_null(cty_value_index(l, 1)));
    cty_value_destroy(v);
    schema_compiled_destroy(c);
}

static void write_only_cannot_be_computed(void **state)
{
    (void)state;
    expect_rejected(&(struct schema){.block.attributes = ATTRS(
                        {.name = "a", .type = "string",
                         .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_WRITE_ONLY,
                         .description = "a."})},
                    "write-only");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects_attribute_flag_combinations),
        cmocka_unit_test(rejects_bad_defaults_and_validators),
        cmocka_unit_test(rejects_bad_block_types),
        cmocka_unit_test(compiles_good_table_with_implied_type),
        cmocka_unit_test(null_object_has_empty_collections_and_group_objects),
        cmocka_unit_test(apply_defaults_fills_nulls_recursively),
        cmocka_unit_test(write_only_nulled_and_unknowns_to_null),
        cmocka_unit_test(write_only_cannot_be_computed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
