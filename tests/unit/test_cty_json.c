/*
 * test_cty_json.c - JSON type descriptions and the JSON value codec
 * (state form): round trips, exact numbers, dynamic, missing/unknown keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"

static struct cty_type *type_of(const char *json)
{
    char *err = NULL;
    struct cty_type *t = cty_type_from_json(json, strlen(json), &err);
    if (!t)
        fail_msg("type %s: %s", json, err);
    return t;
}

static void assert_type_json(const char *in, const char *out)
{
    struct cty_type *t = type_of(in);
    char *s = cty_type_to_json(t);
    assert_string_equal(s, out);
    /* and the printed form parses back to an equal type */
    struct cty_type *again = type_of(s);
    assert_true(cty_type_equal(t, again));
    cty_type_release(again);
    free(s);
    cty_type_release(t);
}

static void test_type_json_roundtrip(void **state)
{
    (void)state;
    static const char *const same[] = {
        "\"string\"",
        "\"number\"",
        "\"bool\"",
        "\"dynamic\"",
        "[\"list\",\"string\"]",
        "[\"set\",[\"map\",\"number\"]]",
        "[\"map\",[\"object\",{\"id\":\"string\",\"n\":\"number\"}]]",
        "[\"tuple\",[\"string\",[\"list\",\"dynamic\"]]]",
        "[\"object\",{}]",
        "[\"tuple\",[]]",
        "[\"object\",{\"a\":[\"set\",[\"object\",{\"b\":[\"tuple\",[\"bool\"]]}]]}]",
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
        assert_type_json(same[i], same[i]);
    /* attributes come out sorted; whitespace is irrelevant */
    assert_type_json("[ \"object\", {\n \"z\": \"string\",\n \"a\": \"number\" } ]",
                     "[\"object\",{\"a\":\"number\",\"z\":\"string\"}]");
    /* the optional-attributes list is accepted and dropped */
    assert_type_json("[\"object\",{\"a\":\"string\",\"b\":\"bool\"},[\"b\"]]",
                     "[\"object\",{\"a\":\"string\",\"b\":\"bool\"}]");
}

static void test_type_json_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"strin\"",
        "[\"list\"]",
        "[\"list\",\"string\",\"x\"]",
        "[\"foo\",\"string\"]",
        "[\"object\",{\"a\":\"x\"}]",
        "[\"object\",{\"a\":\"string\"},\"b\"]",
        "[\"object\",{\"a\":\"string\",\"a\":\"bool\"}]",
        "[\"tuple\",{}]",
        "[]",
        "42",
        "[\"list\",",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *err = NULL;
        assert_null(cty_type_from_json(bad[i], strlen(bad[i]), &err));
        if (!err)
            fail_msg("no error for %s", bad[i]);
        free(err);
    }
}

static struct cty_value *from_json(const char *json, struct cty_type *t)
{
    char *err = NULL;
    struct cty_value *v = cty_value_from_json(json, strlen(json), t, &err);
    if (!v)
        fail_msg("decoding %s: %s", json, err);
    assert_null(err);
    return v;
}

static void assert_json_error(const char *json, struct cty_type *t, const char *needle)
{
    char *err = NULL;
    assert_null(cty_value_from_json(json, strlen(json), t, &err));
    assert_non_null(err);
    if (needle && !strstr(err, needle))
        fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
    free(err);
}

/* json -> value -> json gives `expect`; value -> json -> value is equal. */
static void assert_json_roundtrip(const char *in, struct cty_type *t, const char *expect)
{
    struct cty_value *v = from_json(in, t);
    char *err = NULL;
    char *out = cty_value_to_json(v, t, &err);
    assert_non_null(out);
    assert_string_equal(out, expect);
    struct cty_value *back = from_json(out, t);
    assert_true(cty_value_equal(v, back));
    free(out);
    cty_value_destroy(back);
    cty_value_destroy(v);
}

static void test_primitives(void **state)
{
    (void)state;
    assert_json_roundtrip("true", cty_type_bool(), "true");
    assert_json_roundtrip("false", cty_type_bool(), "false");
    assert_json_roundtrip("null", cty_type_bool(), "null");
    assert_json_roundtrip("\"h\\u00e9llo \\\"q\\\" \xe2\x9c\x93\"", cty_type_string(),
                          "\"h\xc3\xa9llo \\\"q\\\" \xe2\x9c\x93\"");
    assert_json_roundtrip("\"\"", cty_type_string(), "\"\"");
    static const struct {
        const char *in, *out;
    } nums[] = {
        {"0", "0"},
        {"-7", "-7"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775808", "-9223372036854775808"},
        {"18446744073709551616", "18446744073709551616"},
        {"123456789012345678901234567890", "123456789012345678901234567890"},
        {"0.1", "0.1"},
        {"3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288"},
        {"1e3", "1000"},
        {"-2.50E-2", "-0.025"},
        {"\"42\"", "42"}, /* numeric strings are accepted for numbers */
    };
    for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
        assert_json_roundtrip(nums[i].in, cty_type_number(), nums[i].out);
    /* primitive conversions cty/json also does */
    assert_json_roundtrip("1.50", cty_type_string(), "\"1.50\"");
    assert_json_roundtrip("true", cty_type_string(), "\"true\"");
    assert_json_roundtrip("\"false\"", cty_type_bool(), "false");
    assert_json_error("\"abc\"", cty_type_number(), "invalid number");
    assert_json_error("[1]", cty_type_string(), "string value is required");
    assert_json_error("{}", cty_type_bool(), NULL);
}

static void test_pretty_object_with_big_numbers(void **state)
{
    (void)state;
    struct cty_type *t = type_of(
        "[\"object\",{\"id\":\"string\",\"count\":\"number\",\"ratio\":\"number\","
        "\"pi\":\"number\",\"tags\":[\"map\",\"string\"],\"ports\":[\"list\",\"number\"],"
        "\"flags\":[\"set\",\"bool\"],\"pair\":[\"tuple\",[\"string\",\"number\"]],"
        "\"gone\":\"string\"}]");
    const char *pretty = "{\n"
                         "  \"id\": \"abc \\\"1 2\\\\\",\n"
                         "  \"count\": 123456789012345678901234567890,\n"
                         "  \"ratio\": 0.1,\n"
                         "  \"pi\": 3.14159265358979323846264338327950288,\n"
                         "  \"tags\": {\n    \"b\": \"2\",\n    \"a\": \"1\"\n  },\n"
                         "  \"ports\": [\n    80,\n    4.43e2,\n    -1\n  ],\n"
                         "  \"flags\": [true, false, true],\n"
                         "  \"pair\": [\"x\", 18446744073709551617]\n"
                         "}\n";
    struct cty_value *v = from_json(pretty, t);
    assert_string_equal(cty_attr_string(v, "id"), "abc \"1 2\\");
    assert_string_equal(cty_value_number_text(cty_value_attr(v, "count")),
                        "123456789012345678901234567890");
    assert_string_equal(cty_value_number_text(cty_value_index(cty_value_attr(v, "ports"), 1)),
                        "443");
    assert_int_equal(cty_value_length(cty_value_attr(v, "flags")), 2);
    assert_true(cty_value_is_null(cty_value_attr(v, "gone"))); /* missing key -> null */
    char *out = cty_value_to_json(v, t, NULL);
    assert_non_null(out);
    assert_string_equal(out, "{\"count\":123456789012345678901234567890,\"flags\":[true,false],"
                             "\"gone\":null,\"id\":\"abc \\\"1 2\\\\\","
                             "\"pair\":[\"x\",18446744073709551617],"
                             "\"pi\":3.14159265358979323846264338327950288,"
                             "\"ports\":[80,443,-1],\"ratio\":0.1,"
                             "\"tags\":{\"a\":\"1\",\"b\":\"2\"}}");
    struct cty_value *back = from_json(out, t);
    assert_true(cty_value_equal(v, back));
    cty_value_destroy(back);
    free(out);
    cty_value_destroy(v);

    assert_json_error("{\"id\":\"a\",\"nope\":1}", t, "unsupported attribute \"nope\"");
    assert_json_error("{\"pair\":[\"x\"]}", t, "a tuple of length 2 is required (1 given)");
    assert_json_error("{\"ports\":[1,\"x\"]}", t, "at .ports[1]: invalid number");
    assert_json_error("{\"id\":\"a\"} x", t, "unexpected text");
    assert_json_error("{\"id\":", t, "invalid JSON");
    assert_json_error("[]", t, "JSON object is required");
    assert_json_roundtrip("{}", t,
                          "{\"count\":null,\"flags\":null,\"gone\":null,\"id\":null,"
                          "\"pair\":null,\"pi\":null,\"ports\":null,\"ratio\":null,"
                          "\"tags\":null}");
    cty_type_release(t);
}

static void test_empty_collections(void **state)
{
    (void)state;
    struct cty_type *t = type_of("[\"object\",{\"l\":[\"list\",\"string\"],"
                                 "\"m\":[\"map\",\"number\"],\"s\":[\"set\",\"string\"],"
                                 "\"t\":[\"tuple\",[]],\"o\":[\"object\",{}]}]");
    assert_json_roundtrip("{\"l\":[],\"m\":{},\"s\":[],\"t\":[],\"o\":{}}", t,
                          "{\"l\":[],\"m\":{},\"o\":{},\"s\":[],\"t\":[]}");
    cty_type_release(t);
}

static void test_dynamic(void **state)
{
    (void)state;
    struct cty_type *dyn = cty_type_dynamic();
    assert_json_roundtrip("{\"value\":\"hi\",\"type\":\"string\"}", dyn,
                          "{\"value\":\"hi\",\"type\":\"string\"}");
    /* key order does not matter on input */
    assert_json_roundtrip(
        "{\"type\":[\"list\",[\"object\",{\"n\":\"number\"}]],\"value\":[{\"n\":1e40}]}", dyn,
        "{\"value\":[{\"n\":10000000000000000000000000000000000000000}],"
        "\"type\":[\"list\",[\"object\",{\"n\":\"number\"}]]}");
    /* typed null stays wrapped; a plain null is a dynamic null */
    assert_json_roundtrip("{\"value\":null,\"type\":\"number\"}", dyn,
                          "{\"value\":null,\"type\":\"number\"}");
    assert_json_roundtrip("null", dyn, "null");
    struct cty_value *v = from_json("{\"type\":\"bool\"}", dyn);
    assert_true(cty_value_is_null(v));
    assert_int_equal(cty_type_kind(cty_value_type(v)), CTY_BOOL);
    cty_value_destroy(v);

    struct cty_type *holder = type_of("[\"object\",{\"d\":\"dynamic\",\"s\":\"string\"}]");
    assert_json_roundtrip("{\"s\":\"x\",\"d\":{\"value\":[1,\"a\"],\"type\":[\"tuple\",[\"number\",\"string\"]]}}",
                          holder,
                          "{\"d\":{\"value\":[1,\"a\"],\"type\":[\"tuple\",[\"number\",\"string\"]]},"
                          "\"s\":\"x\"}");
    cty_type_release(holder);

    assert_json_error("{\"value\":1}", dyn, "missing type");
    assert_json_error("{\"value\":1,\"type\":\"number\",\"x\":1}", dyn, "invalid key");
    assert_json_error("{\"value\":1,\"type\":\"nope\"}", dyn, "invalid dynamic type");
    assert_json_error("\"bare\"", dyn, NULL);
}

static void test_unknowns_cannot_be_encoded(void **state)
{
    (void)state;
    struct cty_type *t = type_of("[\"object\",{\"a\":\"string\",\"b\":[\"list\",\"number\"]}]");
    struct cty_value *o = cty_object_new(t);
    struct cty_type *lt = type_of("[\"list\",\"number\"]");
    struct cty_value *l = cty_collection_new(lt);
    cty_collection_append(l, cty_unknown_new(cty_type_number()));
    cty_object_set(o, "b", l);
    char *err = NULL;
    assert_null(cty_value_to_json(o, t, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "at .b[0]: value is not known"));
    free(err);
    struct cty_value *inf = cty_number_new("inf");
    assert_null(cty_value_to_json(inf, cty_type_number(), &err));
    assert_non_null(strstr(err, "infinity"));
    free(err);
    cty_value_destroy(inf);
    cty_value_destroy(o);
    cty_type_release(lt);
    cty_type_release(t);
}

/* Built values of every type survive value -> JSON -> value. */
static void test_value_roundtrip_every_type(void **state)
{
    (void)state;
    struct cty_type *t = type_of(
        "[\"object\",{\"b\":\"bool\",\"n\":\"number\",\"s\":\"string\","
        "\"l\":[\"list\",\"string\"],\"st\":[\"set\",[\"object\",{\"k\":\"string\"}]],"
        "\"m\":[\"map\",\"number\"],\"t\":[\"tuple\",[\"bool\",\"string\"]],\"d\":\"dynamic\"}]");
    struct cty_value *o = cty_object_new(t);
    cty_object_set(o, "b", cty_bool_new(true));
    cty_object_set(o, "n", cty_number_new("-123456789012345678901234567890.000001"));
    cty_object_set(o, "s", cty_string_new("line1\nline2\t\"q\""));
    struct cty_value *l = cty_collection_new(cty_type_attr_type(t, cty_type_attr_index(t, "l")));
    cty_collection_append(l, cty_string_new("x"));
    cty_collection_append(l, cty_null_new(cty_type_string()));
    cty_object_set(o, "l", l);
    struct cty_type *st = cty_type_attr_type(t, cty_type_attr_index(t, "st"));
    struct cty_value *set = cty_collection_new(st);
    for (int i = 0; i < 3; i++) {
        struct cty_value *e = cty_object_new(cty_type_element(st));
        cty_object_set(e, "k", cty_string_new(i == 1 ? "one" : "other"));
        cty_collection_append(set, e);
    }
    assert_int_equal(cty_value_length(set), 2);
    cty_object_set(o, "st", set);
    struct cty_value *m = cty_collection_new(cty_type_attr_type(t, cty_type_attr_index(t, "m")));
    cty_map_put(m, "x", cty_number_new("0.1"));
    cty_object_set(o, "m", m);
    struct cty_value *tu = cty_tuple_new(cty_type_attr_type(t, cty_type_attr_index(t, "t")));
    cty_tuple_set(tu, 0, cty_bool_new(false));
    cty_object_set(o, "t", tu);
    cty_object_set(o, "d", cty_number_new("5"));

    char *json = cty_value_to_json(o, t, NULL);
    assert_non_null(json);
    struct cty_value *back = from_json(json, t);
    assert_true(cty_value_equal(o, back));
    assert_int_equal(cty_type_kind(cty_value_type(cty_value_attr(back, "d"))), CTY_NUMBER);
    free(json);
    cty_value_destroy(back);
    cty_value_destroy(o);
    cty_type_release(t);
}

/* Every prefix of a document decodes or fails cleanly (ASan/valgrind runs
 * catch crashes and leaks); only the whole document decodes here. */
static void test_truncated_json_fails_cleanly(void **state)
{
    (void)state;
    struct cty_type *t = type_of("[\"object\",{\"a\":[\"list\",\"number\"],\"d\":\"dynamic\","
                                 "\"s\":\"string\"}]");
    const char *doc = "{\"a\": [1, -2.5e3, 12345678901234567890123],\n"
                      " \"s\": \"x\\\"9\\u00e9\",\n"
                      " \"d\": {\"value\": {\"k\": [true, 7]},"
                      " \"type\": [\"object\", {\"k\": [\"tuple\", [\"bool\", \"number\"]]}]}}";
    size_t len = strlen(doc);
    for (size_t cut = 0; cut < len; cut++) {
        char *err = NULL;
        struct cty_value *v = cty_value_from_json(doc, cut, t, &err);
        assert_null(v);
        assert_non_null(err);
        free(err);
    }
    struct cty_value *v = from_json(doc, t);
    assert_string_equal(cty_value_number_text(cty_value_index(cty_value_attr(v, "a"), 2)),
                        "12345678901234567890123");
    assert_string_equal(cty_attr_string(v, "s"), "x\"9\xc3\xa9");
    cty_value_destroy(v);
    cty_type_release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_json_roundtrip),
        cmocka_unit_test(test_type_json_errors),
        cmocka_unit_test(test_primitives),
        cmocka_unit_test(test_pretty_object_with_big_numbers),
        cmocka_unit_test(test_empty_collections),
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_unknowns_cannot_be_encoded),
        cmocka_unit_test(test_value_roundtrip_every_type),
        cmocka_unit_test(test_truncated_json_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
