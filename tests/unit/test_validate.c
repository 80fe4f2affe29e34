/* Config validation: every validator kind with good and bad values, exact
 * attribute paths, and no echo of sensitive values. */
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
#define VALIDATORS(...) ((const struct schema_validator[]){__VA_ARGS__, {0}})

static const char *const profiles[] = {"HD-1080p", "HD-720p", "SD-540p", NULL};
static const char *const web_schemes[] = {"http", "https", NULL};

static void no_spaces(const struct cty_value *v, const struct attr_path *path, struct diags *d)
{
    if (strchr(cty_value_string(v), ' '))
        diags_add(d, DIAG_ERROR, path, "Invalid comment", "The comment may not contain spaces.");
}

static const struct schema_block cors_block = {
    .attributes = ATTRS(
        {.name = "max_age_seconds", .type = "number", .flags = SCHEMA_OPTIONAL,
         .description = "Max age.",
         .validators = VALIDATORS({.kind = VALIDATE_INT_RANGE, .min = 0, .max = 86400})},
        {.name = "allowed_origins", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
         .description = "Origins.",
         .validators = VALIDATORS({.kind = VALIDATE_COUNT, .min = 1, .max = 2},
                                  {.kind = VALIDATE_LENGTH, .min = 1, .max = 10})})};

static const struct schema test_schema = {
    .block = {
        .attributes = ATTRS(
            {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED, .description = "Name.",
             .validators = VALIDATORS({.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]{1,255}$",
                                       .message = "letters, digits, '-' and '_'"})},
            {.name = "encoding_profile", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "Profile.",
             .validators = VALIDATORS({.kind = VALIDATE_ONE_OF, .one_of = profiles})},
            {.name = "input_cidr", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
             .description = "CIDRs.", .validators = VALIDATORS({.kind = VALIDATE_CIDR})},
            {.name = "cidr_set", .type = "[\"set\",\"string\"]", .flags = SCHEMA_OPTIONAL,
             .description = "CIDR set.", .validators = VALIDATORS({.kind = VALIDATE_CIDR})},
            {.name = "pull_url", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "URL.",
             .validators = VALIDATORS({.kind = VALIDATE_URL, .one_of = web_schemes})},
            {.name = "any_url", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "URL.", .validators = VALIDATORS({.kind = VALIDATE_URL})},
            {.name = "policy", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "Policy.", .validators = VALIDATORS({.kind = VALIDATE_JSON})},
            {.name = "port", .type = "number", .flags = SCHEMA_OPTIONAL, .description = "Port.",
             .validators = VALIDATORS({.kind = VALIDATE_INT_RANGE, .min = 1, .max = 65535})},
            {.name = "comment", .type = "string", .flags = SCHEMA_OPTIONAL,
             .description = "Comment.",
             .validators = VALIDATORS({.kind = VALIDATE_FUNC, .func = no_spaces},
                                      {.kind = VALIDATE_LENGTH, .min = 1})},
            {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_OPTIONAL,
             .description = "Tags.", .validators = VALIDATORS({.kind = VALIDATE_LENGTH, .max = 4})},
            {.name = "pull_pass", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
             .description = "Password.",
             .validators = VALIDATORS({.kind = VALIDATE_LENGTH, .min = 8, .max = 64},
                                      {.kind = VALIDATE_REGEX, .regex = "^[a-z]+$"})},
            {.name = "pull_pass_wo", .type = "string",
             .flags = SCHEMA_OPTIONAL | SCHEMA_WRITE_ONLY, .description = "Password.",
             .validators = VALIDATORS({.kind = VALIDATE_LENGTH, .min = 8, .max = 64})},
            {.name = "settings", .flags = SCHEMA_OPTIONAL, .description = "Settings.",
             .nested = &(const struct schema_object){
                 .nesting = SCHEMA_NESTING_LIST,
                 .attributes = ATTRS({.name = "mode", .type = "string", .flags = SCHEMA_OPTIONAL,
                                      .description = "Mode.",
                                      .validators = VALIDATORS({.kind = VALIDATE_ONE_OF,
                                                                .one_of = profiles})})}}),
        .block_types = (const struct schema_block_type[]){
            {.name = "cors_rules", .nesting = SCHEMA_NESTING_LIST, .block = &cors_block}, {0}},
    }};

static struct schema_compiled *compiled;
static struct cty_value *config;
static struct diags diags;

static int setup(void **state)
{
    (void)state;
    char *error = NULL;
    compiled = schema_compile(&test_schema, &error);
    if (!compiled)
        fail_msg("schema: %s", error);
    config = schema_null_object(compiled);
    cty_object_set(config, "name", cty_string_new("ok_name"));
    diags = (struct diags){0};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cty_value_destroy(config);
    schema_compiled_destroy(compiled);
    diags_clean_up(&diags);
    return 0;
}

static struct cty_type *attr_type(const char *name)
{
    struct cty_type *t = schema_compiled_type(compiled);
    return cty_type_attr_type(t, (size_t)cty_type_attr_index(t, name));
}

static struct cty_value *string_list(const char *attr, const char *const *items)
{
    struct cty_value *l = cty_collection_new(attr_type(attr));
    for (; *items; items++)
        cty_collection_append(l, cty_string_new(*items));
    return l;
}

/* Validates and expects exactly `n` errors; returns the diagnostics. */
static const struct diags *validate_expect(size_t n)
{
    diags_clean_up(&diags);
    schema_validate_config(compiled, config, &diags);
    if (diags.n != n) {
        for (size_t i = 0; i < diags.n; i++)
            print_message("diag: %s: %s\n", diags.items[i].summary, diags.items[i].detail);
        fail_msg("expected %zu diagnostics, got %zu", n, diags.n);
    }
    return &diags;
}

static void assert_diag(size_t i, const char *path, const char *summary, const char *fragment)
{
    const struct diag *dg = &diags.items[i];
    assert_int_equal(dg->severity, DIAG_ERROR);
    char *p = attr_path_to_string(&dg->path);
    assert_string_equal(p, path);
    free(p);
    if (summary)
        assert_string_equal(dg->summary, summary);
    if (fragment && !strstr(dg->detail, fragment))
        fail_msg("detail \"%s\" lacks \"%s\"", dg->detail, fragment);
}

static void valid_config_has_no_diagnostics(void **state)
{
    (void)state;
    cty_object_set(config, "encoding_profile", cty_string_new("HD-720p"));
    cty_object_set(config, "input_cidr",
                   string_list("input_cidr", (const char *[]){"10.0.0.0/16", "203.0.113.7/32",
                                                              "2001:db8::/32", "0.0.0.0/0", NULL}));
    cty_object_set(config, "pull_url", cty_string_new("https://user@example.com:8080/live?x=1"));
    cty_object_set(config, "any_url", cty_string_new("rtmp://example.com/app"));
    cty_object_set(config, "policy", cty_string_new("{\"Version\":\"2012-10-17\"}"));
    cty_object_set(config, "port", cty_number_new_int(65535));
    cty_object_set(config, "comment", cty_string_new("x"));
    cty_object_set(config, "pull_pass", cty_string_new("abcdefgh"));
    validate_expect(0);
}

static void unknown_and_null_values_are_skipped(void **state)
{
    (void)state;
    cty_object_set(config, "name", cty_unknown_new(cty_type_string()));
    cty_object_set(config, "port", cty_unknown_new(cty_type_number()));
    struct cty_value *l = cty_collection_new(attr_type("input_cidr"));
    cty_collection_append(l, cty_unknown_new(cty_type_string()));
    cty_collection_append(l, cty_null_new(cty_type_string()));
    cty_object_set(config, "input_cidr", l);
    validate_expect(0);
}

static void one_of_lists_allowed_values(void **state)
{
    (void)state;
    cty_object_set(config, "encoding_profile", cty_string_new("4K"));
    validate_expect(1);
    assert_diag(0, "encoding_profile", "Invalid value for \"encoding_profile\"",
                "\"4K\" is not valid for encoding_profile: it must be one of \"HD-1080p\", "
                "\"HD-720p\", \"SD-540p\"");
}

static void regex_uses_message(void **state)
{
    (void)state;
    cty_object_set(config, "name", cty_string_new("bad name!"));
    validate_expect(1);
    assert_diag(0, "name", "Invalid value for \"name\"", "\"bad name!\"");
    assert_diag(0, "name", NULL, "expected letters, digits, '-' and '_'");
}

static void cidr_checks_each_list_element_with_its_index(void **state)
{
    (void)state;
    cty_object_set(config, "input_cidr",
                   string_list("input_cidr", (const char *[]){"10.0.0.0/8", "10.0.0.1/24",
                                                              "10.0.0.0/33", "300.1.1.1/8",
                                                              "10.0.0.0", "10.0.0.0/08", NULL}));
    validate_expect(5);
    assert_diag(0, "input_cidr[1]", "Invalid value for \"input_cidr\"",
                "network address is required, here 10.0.0.0/24");
    assert_diag(1, "input_cidr[2]", NULL, "CIDR notation");
    assert_diag(2, "input_cidr[3]", NULL, "\"300.1.1.1/8\"");
    assert_diag(3, "input_cidr[4]", NULL, "CIDR notation");
    assert_diag(4, "input_cidr[5]", NULL, "CIDR notation");
}

static void cidr_ipv6_host_bits_and_set_paths(void **state)
{
    (void)state;
    struct cty_value *s = cty_collection_new(attr_type("cidr_set"));
    cty_collection_append(s, cty_string_new("2001:db8::1/32"));
    cty_object_set(config, "cidr_set", s);
    validate_expect(1);
    /* Set elements have no index: the path is the set attribute. */
    assert_diag(0, "cidr_set", NULL, "here 2001:db8::/32");
}

static void url_requires_scheme_host_and_allowed_scheme(void **state)
{
    (void)state;
    cty_object_set(config, "pull_url", cty_string_new("ftp://example.com/x"));
    validate_expect(1);
    assert_diag(0, "pull_url", NULL, "with scheme http or https");
    cty_object_set(config, "pull_url", cty_string_new("example.com/x"));
    validate_expect(1);
    cty_object_set(config, "pull_url", cty_string_new("https:///path"));
    validate_expect(1);
    cty_object_set(config, "pull_url", cty_string_new("https://exa mple.com"));
    validate_expect(1);
    cty_object_set(config, "pull_url", cty_string_new("HTTPS://example.com"));
    validate_expect(0);
}

static void json_must_parse(void **state)
{
    (void)state;
    cty_object_set(config, "policy", cty_string_new("{\"a\":"));
    validate_expect(1);
    assert_diag(0, "policy", NULL, "not valid JSON");
}

static void int_range_needs_whole_number_in_range(void **state)
{
    (void)state;
    cty_object_set(config, "port", cty_number_new_int(0));
    validate_expect(1);
    assert_diag(0, "port", NULL, "The value 0 is not valid for port: it must be from 1 to 65535");
    cty_object_set(config, "port", cty_number_new("80.5"));
    validate_expect(1);
    assert_diag(0, "port", NULL, "whole number");
    cty_object_set(config, "port", cty_number_new_int(1));
    validate_expect(0);
}

static void length_and_func_and_map_keys(void **state)
{
    (void)state;
    cty_object_set(config, "comment", cty_string_new(""));
    validate_expect(1);
    assert_diag(0, "comment", NULL, "it has 0 bytes, at least 1 are required");
    cty_object_set(config, "comment", cty_string_new("a b"));
    validate_expect(1);
    assert_diag(0, "comment", "Invalid comment", "may not contain spaces");
    cty_object_set(config, "comment", cty_null_new(cty_type_string()));
    struct cty_value *tags = cty_collection_new(attr_type("tags"));
    cty_map_put(tags, "ok", cty_string_new("abcd"));
    cty_map_put(tags, "long", cty_string_new("abcde"));
    cty_object_set(config, "tags", tags);
    validate_expect(1);
    assert_diag(0, "tags[\"long\"]", NULL, "from 0 to 4 are allowed");
}

static void nested_list_block_element_path(void **state)
{
    (void)state;
    struct cty_type *lt = attr_type("cors_rules");
    struct cty_type *et = cty_type_element(lt);
    struct cty_value *list = cty_collection_new(lt);
    struct cty_value *r0 = cty_object_new(et);
    cty_object_set(r0, "max_age_seconds", cty_number_new_int(3000));
    struct cty_value *r1 = cty_object_new(et);
    cty_object_set(r1, "max_age_seconds", cty_number_new_int(90000));
    struct cty_value *origins = cty_collection_new(cty_type_attr_type(et, (size_t)cty_type_attr_index(et, "allowed_origins")));
    cty_collection_append(origins, cty_string_new("*"));
    cty_collection_append(origins, cty_string_new("https://a.example.com"));
    cty_collection_append(origins, cty_string_new("x"));
    cty_object_set(r1, "allowed_origins", origins);
    cty_collection_append(list, r0);
    cty_collection_append(list, r1);
    cty_object_set(config, "cors_rules", list);
    validate_expect(3);
    assert_diag(0, "cors_rules[1].max_age_seconds", "Invalid value for \"max_age_seconds\"",
                "90000");
    /* COUNT applies to the list itself, LENGTH to each element. */
    assert_diag(1, "cors_rules[1].allowed_origins", NULL, "it has 3 elements");
    assert_diag(2, "cors_rules[1].allowed_origins[1]", NULL, "\"https://a.example.com\"");
}

static void nested_attribute_element_path(void **state)
{
    (void)state;
    struct cty_type *lt = attr_type("settings");
    struct cty_value *list = cty_collection_new(lt);
    struct cty_value *e = cty_object_new(cty_type_element(lt));
    cty_object_set(e, "mode", cty_string_new("HD-720p"));
    cty_collection_append(list, e);
    e = cty_object_new(cty_type_element(lt));
    cty_object_set(e, "mode", cty_string_new("slow"));
    cty_collection_append(list, e);
    cty_object_set(config, "settings", list);
    validate_expect(1);
    assert_diag(0, "settings[1].mode", NULL, "\"slow\"");
}

static void sensitive_and_write_only_values_are_not_echoed(void **state)
{
    (void)state;
    cty_object_set(config, "pull_pass", cty_string_new("Hunter2"));
    cty_object_set(config, "pull_pass_wo", cty_string_new("Secret7"));
    validate_expect(3);
    for (size_t i = 0; i < diags.n; i++) {
        assert_null(strstr(diags.items[i].detail, "Hunter2"));
        assert_null(strstr(diags.items[i].detail, "Secret7"));
        assert_non_null(strstr(diags.items[i].detail, "sensitive"));
    }
    assert_diag(0, "pull_pass", NULL, "it has 7 bytes");
    assert_diag(1, "pull_pass", NULL, "does not match");
    assert_diag(2, "pull_pass_wo", NULL, "it has 7 bytes");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(valid_config_has_no_diagnostics),
        T(unknown_and_null_values_are_skipped),
        T(one_of_lists_allowed_values),
        T(regex_uses_message),
        T(cidr_checks_each_list_element_with_its_index),
        T(cidr_ipv6_host_bits_and_set_paths),
        T(url_requires_scheme_host_and_allowed_scheme),
        T(json_must_parse),
        T(int_range_needs_whole_number_in_range),
        T(length_and_func_and_map_keys),
        T(nested_list_block_element_path),
        T(nested_attribute_element_path),
        T(sensitive_and_write_only_values_are_not_echoed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
