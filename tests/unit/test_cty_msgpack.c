/*
 * test_cty_msgpack.c - the msgpack codec: exact bytes for known encodings,
 * round trips for every type (bytes -> value -> bytes and value -> bytes ->
 * value), refined unknowns, dynamic values, and decode errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"

/* ---- helpers ---- */

/* Parses "82 a2 69" into bytes (caller frees). */
static uint8_t *hex_bytes(const char *hex, size_t *len)
{
    uint8_t *out = malloc(strlen(hex) / 2 + 1);
    size_t n = 0;
    unsigned byte;
    int used;
    while (sscanf(hex, " %2x%n", &byte, &used) == 1) {
        out[n++] = (uint8_t)byte;
        hex += used;
    }
    *len = n;
    return out;
}

static char *bytes_hex(const uint8_t *b, size_t len)
{
    char *s = malloc(len * 3 + 1);
    s[0] = '\0';
    for (size_t i = 0; i < len; i++)
        sprintf(s + strlen(s), i ? " %02x" : "%02x", b[i]);
    return s;
}

static void assert_encodes_to(const struct cty_value *v, struct cty_type *t, const char *hex)
{
    uint8_t *out = NULL;
    size_t len = 0;
    char *err = NULL;
    assert_int_equal(cty_value_to_msgpack(v, t, &out, &len, &err), 0);
    assert_null(err);
    char *got = bytes_hex(out, len);
    assert_string_equal(got, hex);
    free(got);
    free(out);
}

/* Decodes hex under t; fails the test on error. Caller destroys. */
static struct cty_value *decode_hex(const char *hex, struct cty_type *t)
{
    size_t len;
    uint8_t *in = hex_bytes(hex, &len);
    char *err = NULL;
    struct cty_value *v = cty_value_from_msgpack(in, len, t, &err);
    if (!v)
        fail_msg("decoding %s: %s", hex, err ? err : "(no error)");
    assert_null(err);
    free(in);
    return v;
}

/* bytes -> value -> bytes must give the same bytes back. */
static void assert_bytes_roundtrip(const char *hex, struct cty_type *t)
{
    struct cty_value *v = decode_hex(hex, t);
    assert_encodes_to(v, t, hex);
    cty_value_destroy(v);
}

/* value -> bytes -> value must give an equal value, which re-encodes to the
 * same bytes. Takes ownership of v. */
static void assert_value_roundtrip(struct cty_value *v, struct cty_type *t)
{
    assert_non_null(v);
    uint8_t *out = NULL;
    size_t len = 0;
    char *err = NULL;
    assert_int_equal(cty_value_to_msgpack(v, t, &out, &len, &err), 0);
    struct cty_value *back = cty_value_from_msgpack(out, len, t, &err);
    if (!back)
        fail_msg("decoding own encoding: %s", err);
    assert_true(cty_value_equal(v, back));
    assert_true(cty_value_is_wholly_known(v) == cty_value_is_wholly_known(back));
    char *hex = bytes_hex(out, len);
    assert_encodes_to(back, t, hex);
    free(hex);
    free(out);
    cty_value_destroy(back);
    cty_value_destroy(v);
}

static void assert_decode_error(const char *hex, struct cty_type *t, const char *needle)
{
    size_t len;
    uint8_t *in = hex_bytes(hex, &len);
    char *err = NULL;
    struct cty_value *v = cty_value_from_msgpack(in, len, t, &err);
    assert_null(v);
    assert_non_null(err);
    if (needle && !strstr(err, needle))
        fail_msg("error \"%s\" does not mention \"%s\"", err, needle);
    free(err);
    free(in);
}

static struct cty_type *obj2(const char *a, struct cty_type *ta, const char *b, struct cty_type *tb)
{
    const char *names[] = {a, b};
    struct cty_type *types[] = {ta, tb};
    return cty_type_object_new(2, names, types);
}

static struct cty_type *coll(enum cty_kind k, struct cty_type *elem)
{
    return cty_type_collection_new(k, elem);
}

/* ---- tests ---- */

static void test_known_object_bytes(void **state)
{
    (void)state;
    struct cty_type *t = obj2("name", cty_type_string(), "id", cty_type_string());
    struct cty_value *o = cty_object_new(t);
    cty_object_set(o, "id", cty_unknown_new(cty_type_string()));
    cty_object_set(o, "name", cty_string_new("a"));
    assert_encodes_to(o, t, "82 a2 69 64 d4 00 00 a4 6e 61 6d 65 a1 61");
    cty_value_destroy(o);
    assert_bytes_roundtrip("82 a2 69 64 d4 00 00 a4 6e 61 6d 65 a1 61", t);
    /* Null attributes are sent as nil, never left out. */
    o = cty_object_new(t);
    assert_encodes_to(o, t, "82 a2 69 64 c0 a4 6e 61 6d 65 c0");
    cty_value_destroy(o);
    cty_type_release(t);
}

static void test_bool(void **state)
{
    (void)state;
    assert_bytes_roundtrip("c3", cty_type_bool());
    assert_bytes_roundtrip("c2", cty_type_bool());
    assert_value_roundtrip(cty_bool_new(true), cty_type_bool());
    assert_value_roundtrip(cty_bool_new(false), cty_type_bool());
}

static void test_number_encodings(void **state)
{
    (void)state;
    static const struct {
        const char *text, *hex;
    } cases[] = {
        {"0", "00"},
        {"127", "7f"},
        {"-1", "ff"},
        {"-32", "e0"},
        {"-33", "d0 df"},
        {"200", "cc c8"},
        {"65535", "cd ff ff"},
        {"-129", "d1 ff 7f"},
        {"4294967296", "cf 00 00 00 01 00 00 00 00"},
        {"9223372036854775807", "cf 7f ff ff ff ff ff ff ff"},
        {"-9223372036854775808", "d3 80 00 00 00 00 00 00 00"},
        {"18446744073709551615", "cf ff ff ff ff ff ff ff ff"},
        {"0.5", "cb 3f e0 00 00 00 00 00 00"},
        {"-2.25", "cb c0 02 00 00 00 00 00 00"},
        {"Inf", "cb 7f f0 00 00 00 00 00 00"},
        /* Not exactly a double: the decimal text travels as a string. */
        {"0.1", "a3 30 2e 31"},
        {"123456789012345678901234567890",
         "be 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 "
         "38 39 30"},
        {"18446744073709551616", "cb 43 f0 00 00 00 00 00 00"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cty_value *v = cty_number_new(cases[i].text);
        assert_non_null(v);
        assert_encodes_to(v, cty_type_number(), cases[i].hex);
        struct cty_value *back = decode_hex(cases[i].hex, cty_type_number());
        assert_string_equal(cty_value_number_text(back), cases[i].text);
        cty_value_destroy(back);
        assert_bytes_roundtrip(cases[i].hex, cty_type_number());
        assert_value_roundtrip(v, cty_type_number());
    }
    const char *pi = "3.14159265358979323846264338327950288";
    struct cty_value *v = cty_number_new(pi);
    assert_value_roundtrip(cty_value_clone(v), cty_type_number());
    uint8_t *out;
    size_t len;
    assert_int_equal(cty_value_to_msgpack(v, cty_type_number(), &out, &len, NULL), 0);
    assert_int_equal(out[0], 0xd9); /* a str8 holding the exact text */
    assert_int_equal(out[1], strlen(pi));
    assert_memory_equal(out + 2, pi, strlen(pi));
    free(out);
    cty_value_destroy(v);
}

static void test_number_decode_forms(void **state)
{
    (void)state;
    static const struct {
        const char *hex, *text;
    } cases[] = {
        {"ca 3f c0 00 00", "1.5"},                /* float32 */
        {"cb 3f b9 99 99 99 99 99 9a",           /* float64 nearest 0.1: kept exactly */
         "0.1000000000000000055511151231257827021181583404541015625"},
        {"a3 31 65 33", "1000"},                 /* "1e3" */
        {"a4 2d 30 2e 30", "0"},                 /* "-0.0" */
        {"d2 ff ff ff fe", "-2"},                /* int32 */
        {"ce 00 01 00 00", "65536"},             /* uint32 */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cty_value *v = decode_hex(cases[i].hex, cty_type_number());
        assert_string_equal(cty_value_number_text(v), cases[i].text);
        cty_value_destroy(v);
    }
    /* The exact float64 value goes back out as the same float64. */
    assert_bytes_roundtrip("cb 3f b9 99 99 99 99 99 9a", cty_type_number());
    assert_decode_error("a3 61 62 63", cty_type_number(), "number");
    assert_decode_error("cb 7f f8 00 00 00 00 00 00", cty_type_number(), NULL); /* NaN */
}

static void test_string_utf8(void **state)
{
    (void)state;
    const char *s = "h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x8e\xa5";
    struct cty_value *v = cty_string_new(s);
    assert_value_roundtrip(cty_value_clone(v), cty_type_string());
    uint8_t *out;
    size_t len;
    assert_int_equal(cty_value_to_msgpack(v, cty_type_string(), &out, &len, NULL), 0);
    assert_int_equal(len, 1 + strlen(s));
    free(out);
    cty_value_destroy(v);
    assert_bytes_roundtrip("a0", cty_type_string());
    /* str8 form for longer strings */
    char long_str[100];
    memset(long_str, 'x', 99);
    long_str[99] = '\0';
    assert_value_roundtrip(cty_string_new(long_str), cty_type_string());
}

static void test_collections(void **state)
{
    (void)state;
    struct cty_type *lt = coll(CTY_LIST, cty_type_string());
    assert_bytes_roundtrip("92 a1 61 a1 62", lt);
    assert_bytes_roundtrip("90", lt);
    assert_bytes_roundtrip("93 a1 61 c0 d4 00 00", lt);
    struct cty_type *st = coll(CTY_SET, cty_type_number());
    assert_bytes_roundtrip("92 01 02", st);
    struct cty_value *set = decode_hex("93 01 02 01", st); /* duplicates collapse */
    assert_int_equal(cty_value_length(set), 2);
    cty_value_destroy(set);
    struct cty_type *mt = coll(CTY_MAP, cty_type_bool());
    assert_bytes_roundtrip("82 a1 61 c3 a1 62 c2", mt);
    assert_bytes_roundtrip("80", mt);
    struct cty_value *m = decode_hex("82 a1 62 c3 a1 61 c2", mt);
    assert_encodes_to(m, mt, "82 a1 61 c2 a1 62 c3"); /* keys sorted */
    assert_value_roundtrip(m, mt);

    struct cty_type *tt_types[] = {cty_type_string(), cty_type_number(), cty_type_bool()};
    struct cty_type *tt = cty_type_tuple_new(3, tt_types);
    assert_bytes_roundtrip("93 a1 78 05 c3", tt);
    assert_bytes_roundtrip("93 c0 d4 00 00 c2", tt);
    struct cty_type *empty_tuple = cty_type_tuple_new(0, NULL);
    assert_bytes_roundtrip("90", empty_tuple);
    struct cty_type *empty_obj = cty_type_object_new(0, NULL, NULL);
    assert_bytes_roundtrip("80", empty_obj);

    struct cty_value *l = cty_collection_new(lt);
    cty_collection_append(l, cty_string_new("x"));
    cty_collection_append(l, cty_unknown_new(cty_type_string()));
    assert_value_roundtrip(l, lt);
    assert_value_roundtrip(cty_collection_new(st), st);
    assert_value_roundtrip(cty_collection_new(mt), mt);
    assert_value_roundtrip(cty_collection_new(lt), lt);

    cty_type_release(empty_obj);
    cty_type_release(empty_tuple);
    cty_type_release(tt);
    cty_type_release(mt);
    cty_type_release(st);
    cty_type_release(lt);
}

/* Every type, as null and as unknown, round-trips as c0 and d4 00 00. */
static void test_null_and_unknown_of_every_type(void **state)
{
    (void)state;
    struct cty_type *tup_types[] = {cty_type_string()};
    struct cty_type *types[] = {
        cty_type_bool(),
        cty_type_number(),
        cty_type_string(),
        cty_type_dynamic(),
        coll(CTY_LIST, cty_type_string()),
        coll(CTY_SET, cty_type_number()),
        coll(CTY_MAP, cty_type_bool()),
        obj2("a", cty_type_string(), "b", cty_type_dynamic()),
        cty_type_tuple_new(1, tup_types),
    };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct cty_value *n = decode_hex("c0", types[i]);
        assert_true(cty_value_is_null(n));
        cty_value_destroy(n);
        assert_bytes_roundtrip("c0", types[i]);
        assert_bytes_roundtrip("d4 00 00", types[i]);
        struct cty_value *u = decode_hex("d4 00 00", types[i]);
        assert_false(cty_value_is_known(u));
        cty_value_destroy(u);
        assert_value_roundtrip(cty_null_new(types[i]), types[i]);
        assert_value_roundtrip(cty_unknown_new(types[i]), types[i]);
        /* Any ext of length <= 1 is unknown, whatever its type code. */
        u = decode_hex("d4 05 ff", types[i]);
        assert_false(cty_value_is_known(u));
        cty_value_destroy(u);
        u = decode_hex("c7 00 07", types[i]);
        assert_false(cty_value_is_known(u));
        cty_value_destroy(u);
        /* An empty buffer is null too. */
        struct cty_value *e = cty_value_from_msgpack(NULL, 0, types[i], NULL);
        assert_true(cty_value_is_null(e));
        cty_value_destroy(e);
        cty_type_release(types[i]);
    }
}

static void test_refined_unknowns(void **state)
{
    (void)state;
    /* string: not null + prefix "arn:" = {1: false, 2: "arn:"} in ext8 */
    const char *str_hex = "c7 09 0c 82 01 c2 02 a4 61 72 6e 3a";
    struct cty_value *v = decode_hex(str_hex, cty_type_string());
    const struct cty_refinements *r = cty_value_refinements(v);
    assert_non_null(r);
    assert_true(r->not_null);
    assert_string_equal(r->string_prefix, "arn:");
    assert_encodes_to(v, cty_type_string(), str_hex);
    cty_value_destroy(v);

    /* not null alone: ext8 of three bytes */
    assert_bytes_roundtrip("c7 03 0c 81 01 c2", cty_type_string());

    /* number bounds: {3: [0, true], 4: [10.5, false]} */
    const char *num_hex = "c7 11 0c 82 03 92 00 c3 04 92 cb 40 25 00 00 00 00 00 00 c2";
    v = decode_hex(num_hex, cty_type_number());
    r = cty_value_refinements(v);
    assert_string_equal(r->number_lower, "0");
    assert_true(r->number_lower_inclusive);
    assert_string_equal(r->number_upper, "10.5");
    assert_false(r->number_upper_inclusive);
    assert_false(r->not_null);
    assert_encodes_to(v, cty_type_number(), num_hex);
    cty_value_destroy(v);

    /* length bounds on a list: {1: false, 5: 1, 6: 3} */
    struct cty_type *lt = coll(CTY_LIST, cty_type_string());
    const char *len_hex = "c7 07 0c 83 01 c2 05 01 06 03";
    v = decode_hex(len_hex, lt);
    r = cty_value_refinements(v);
    assert_int_equal(r->length_min, 1);
    assert_int_equal(r->length_max, 3);
    assert_encodes_to(v, lt, len_hex);
    cty_value_destroy(v);

    /* An unknown key (9) is ignored and not sent back. */
    v = decode_hex("c7 0b 0c 83 01 c2 09 a3 66 6f 6f 02 a1 78", cty_type_string());
    r = cty_value_refinements(v);
    assert_true(r->not_null);
    assert_string_equal(r->string_prefix, "x");
    assert_encodes_to(v, cty_type_string(), "c7 06 0c 82 01 c2 02 a1 78");
    cty_value_destroy(v);

    /* Only unknown keys: no refinement left, so the plain form goes back. */
    v = decode_hex("d6 0c 81 09 c3 00", cty_type_string()); /* trailing byte ignored */
    assert_null(cty_value_refinements(v));
    assert_encodes_to(v, cty_type_string(), "d4 00 00");
    cty_value_destroy(v);

    /* Refinements on dynamic are ignored. */
    v = decode_hex("c7 03 0c 81 01 c2", cty_type_dynamic());
    assert_false(cty_value_is_known(v));
    assert_encodes_to(v, cty_type_dynamic(), "d4 00 00");
    cty_value_destroy(v);

    /* Nullness true collapses to a known null. */
    v = decode_hex("c7 03 0c 81 01 c3", cty_type_string());
    assert_true(cty_value_is_null(v));
    cty_value_destroy(v);

    /* Constructed refined values round-trip through the codec. */
    struct cty_refinements nr = {.not_null = true, .length_min = -1, .length_max = -1};
    nr.number_lower = strdup("-123456789012345678901234567890");
    nr.number_lower_inclusive = true;
    assert_value_roundtrip(cty_unknown_refined_new(cty_type_number(), &nr), cty_type_number());
    struct cty_refinements lr = {.length_min = 2, .length_max = -1};
    v = cty_unknown_refined_new(lt, &lr);
    assert_encodes_to(v, lt, "c7 03 0c 81 05 02");
    assert_value_roundtrip(v, lt);

    /* Errors: prefix on a number, wrong bound shape, not a map. */
    assert_decode_error("c7 03 0c 81 02 a0", cty_type_number(), "prefix");
    assert_decode_error("d6 0c 81 03 92 00", cty_type_number(), NULL);
    assert_decode_error("c7 03 0c 92 01 02", cty_type_string(), "not a map");
    assert_decode_error("c7 03 0c 81 05 c3", lt, "length");
    cty_type_release(lt);
}

static void test_dynamic(void **state)
{
    (void)state;
    struct cty_type *dyn = cty_type_dynamic();
    /* ["\"string\"" as bin, "hi"] */
    const char *str_hex = "92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69";
    struct cty_value *v = decode_hex(str_hex, dyn);
    assert_int_equal(cty_type_kind(cty_value_type(v)), CTY_STRING);
    assert_string_equal(cty_value_string(v), "hi");
    assert_encodes_to(v, dyn, str_hex);
    cty_value_destroy(v);

    /* A typed null inside dynamic stays wrapped; a bare nil is dynamic null. */
    const char *typed_null = "92 c4 08 22 73 74 72 69 6e 67 22 c0";
    v = decode_hex(typed_null, dyn);
    assert_true(cty_value_is_null(v));
    assert_int_equal(cty_type_kind(cty_value_type(v)), CTY_STRING);
    assert_encodes_to(v, dyn, typed_null);
    cty_value_destroy(v);
    v = decode_hex("c0", dyn);
    assert_int_equal(cty_type_kind(cty_value_type(v)), CTY_DYNAMIC);
    cty_value_destroy(v);

    /* list(object({id=string, n=number})) under dynamic */
    struct cty_type *ot = obj2("id", cty_type_string(), "n", cty_type_number());
    struct cty_type *lt = coll(CTY_LIST, cty_type_acquire(ot));
    struct cty_value *l = cty_collection_new(lt);
    struct cty_value *o = cty_object_new(ot);
    cty_object_set(o, "id", cty_string_new("a"));
    cty_object_set(o, "n", cty_number_new("12345678901234567890.5"));
    cty_collection_append(l, o);
    o = cty_object_new(ot);
    cty_object_set(o, "id", cty_unknown_new(cty_type_string()));
    cty_collection_append(l, o);
    uint8_t *out;
    size_t len;
    assert_int_equal(cty_value_to_msgpack(l, dyn, &out, &len, NULL), 0);
    const char *tj = "[\"list\",[\"object\",{\"id\":\"string\",\"n\":\"number\"}]]";
    assert_int_equal(out[0], 0x92);
    assert_int_equal(out[1], 0xc4);
    assert_int_equal(out[2], strlen(tj));
    assert_memory_equal(out + 3, tj, strlen(tj));
    free(out);
    assert_value_roundtrip(cty_value_clone(l), dyn);

    /* dynamic attribute inside an object: only that attribute is wrapped */
    struct cty_type *holder = obj2("v", cty_type_dynamic(), "w", cty_type_string());
    struct cty_value *h = cty_object_new(holder);
    cty_object_set(h, "v", l);
    cty_object_set(h, "w", cty_string_new("z"));
    assert_value_roundtrip(cty_value_clone(h), holder);
    struct cty_value *back;
    assert_int_equal(cty_value_to_msgpack(h, holder, &out, &len, NULL), 0);
    back = cty_value_from_msgpack(out, len, holder, NULL);
    assert_true(cty_type_equal(cty_value_type(cty_value_attr(back, "v")), lt));
    free(out);
    cty_value_destroy(back);
    cty_value_destroy(h);

    /* unknown string under dynamic is wrapped; dynamic unknown is bare */
    v = cty_unknown_new(cty_type_string());
    assert_encodes_to(v, dyn, "92 c4 08 22 73 74 72 69 6e 67 22 d4 00 00");
    assert_value_roundtrip(v, dyn);
    v = cty_unknown_new(dyn);
    assert_encodes_to(v, dyn, "d4 00 00");
    cty_value_destroy(v);

    assert_decode_error("92 c4 05 22 62 61 64 22 c0", dyn, "invalid dynamic type");
    assert_decode_error("91 c4 08 22 73 74 72 69 6e 67 22", dyn, "[type, value]");
    assert_decode_error("a2 68 69", dyn, NULL);
    cty_type_release(holder);
    cty_type_release(lt);
    cty_type_release(ot);
}

static void test_nested_sets_of_objects_with_unknowns(void **state)
{
    (void)state;
    struct cty_type *inner = obj2("name", cty_type_string(), "port", cty_type_number());
    struct cty_type *st = coll(CTY_SET, cty_type_acquire(inner));
    struct cty_type *outer = obj2("rules", cty_type_acquire(st), "tags",
                                  coll(CTY_MAP, cty_type_string()));
    struct cty_type *outer_set = coll(CTY_SET, cty_type_acquire(outer));

    struct cty_value *top = cty_collection_new(outer_set);
    for (int k = 0; k < 2; k++) {
        struct cty_value *rules = cty_collection_new(st);
        for (int i = 0; i < 3; i++) {
            struct cty_value *o = cty_object_new(inner);
            cty_object_set(o, "name", i == 2 ? cty_unknown_new(cty_type_string())
                                             : cty_string_new(i ? "b" : "a"));
            cty_object_set(o, "port", cty_number_new_int(80 + i + k));
            cty_collection_append(rules, o);
        }
        /* two identical objects holding unknowns stay two members */
        struct cty_value *o = cty_object_new(inner);
        cty_object_set(o, "name", cty_unknown_new(cty_type_string()));
        cty_object_set(o, "port", cty_number_new_int(82 + k));
        cty_collection_append(rules, o);
        assert_int_equal(cty_value_length(rules), 4);
        struct cty_value *ob = cty_object_new(outer);
        cty_object_set(ob, "rules", rules);
        struct cty_type *mt = coll(CTY_MAP, cty_type_string());
        struct cty_value *tags = cty_collection_new(mt);
        cty_map_put(tags, "k", cty_string_new(k ? "v1" : "v0"));
        cty_object_set(ob, "tags", tags);
        cty_type_release(mt);
        cty_collection_append(top, ob);
    }
    assert_int_equal(cty_value_length(top), 2);
    assert_value_roundtrip(top, outer_set);
    cty_type_release(outer_set);
    cty_type_release(outer);
    cty_type_release(st);
    cty_type_release(inner);
}

/* An empty string is a NULL pointer in msgpack-c; its UTF-8 check must not
 * do arithmetic on it (UBSan, found by tests/fuzz/fuzz_cty_msgpack). */
static void test_empty_string_prefix_refinement(void **state)
{
    (void)state;
    size_t len;
    uint8_t *b = hex_bytes("c7 03 0c 81 02 a0", &len);
    char *err = NULL;
    struct cty_value *v = cty_value_from_msgpack(b, len, cty_type_string(), &err);
    assert_non_null(v);
    assert_null(err);
    assert_false(cty_value_is_known(v));
    cty_value_destroy(v);
    free(b);
}

static void test_decode_errors(void **state)
{
    (void)state;
    struct cty_type *t = obj2("id", cty_type_string(), "name", cty_type_string());
    assert_decode_error("81 a2 69 64 c0", t, "an object with 2 attributes is required (1 given)");
    assert_decode_error("83 a2 69 64 c0 a4 6e 61 6d 65 c0 a1 78 c0", t,
                        "an object with 2 attributes is required (3 given)");
    assert_decode_error("82 a2 69 64 c0 a1 78 c0", t, "unsupported attribute \"x\"");
    assert_decode_error("82 a2 69 64 c0 a2 69 64 c0", t, "duplicate attribute");
    assert_decode_error("82 a2 69 64 c0 a4 6e 61 6d 65 05", t, "at .name: string value is required");
    assert_decode_error("82 a2 69 64 c0 a4 6e 61 6d", t, "truncated");
    assert_decode_error("c0 c0", t, "unexpected bytes");
    assert_decode_error("c1", t, "malformed");
    assert_decode_error("92 c0 c0", t, "object value is required");
    /* Counts no input could fill are refused before msgpack-c allocates
     * them (found by tests/fuzz/fuzz_cty_msgpack: 64 GiB asked for). */
    assert_decode_error("dd ff ff ff ff", t, "truncated");
    assert_decode_error("df 7f ff ff ff c0", t, "truncated");
    assert_decode_error("82 a2 69 64 dd 00 01 00 00 c0", t, "truncated");

    /* Every proper prefix of a valid encoding is an error, never a crash. */
    size_t len;
    uint8_t *full = hex_bytes("82 a2 69 64 c7 09 0c 82 01 c2 02 a4 61 72 6e 3a a4 6e 61 6d 65 a1 61",
                              &len);
    for (size_t cut = 1; cut < len; cut++) {
        char *err = NULL;
        assert_null(cty_value_from_msgpack(full, cut, t, &err));
        assert_non_null(err);
        free(err);
    }
    struct cty_value *ok = cty_value_from_msgpack(full, len, t, NULL);
    assert_non_null(ok);
    cty_value_destroy(ok);
    free(full);

    /* ext 12 longer than 1024 bytes is refused; other types with a body too */
    size_t big = 1025;
    uint8_t *ext = calloc(big + 4, 1);
    ext[0] = 0xc8; /* ext16 */
    ext[1] = (uint8_t)(big >> 8);
    ext[2] = (uint8_t)big;
    ext[3] = 12;
    ext[4] = 0x80;
    char *err = NULL;
    assert_null(cty_value_from_msgpack(ext, big + 4, cty_type_string(), &err));
    assert_non_null(strstr(err, "oversize"));
    free(err);
    free(ext);
    assert_decode_error("d5 05 81 01", cty_type_string(), "unsupported extension type 0x05");

    struct cty_type *tuple_types[] = {cty_type_string(), cty_type_string()};
    struct cty_type *tt = cty_type_tuple_new(2, tuple_types);
    assert_decode_error("91 a0", tt, "a tuple of length 2 is required (1 given)");
    cty_type_release(tt);
    struct cty_type *mt = coll(CTY_MAP, cty_type_string());
    assert_decode_error("81 01 a0", mt, "map keys");
    cty_type_release(mt);
    cty_type_release(t);
}

static void test_encode_errors(void **state)
{
    (void)state;
    struct cty_type *t = obj2("id", cty_type_string(), "n", cty_type_number());
    struct cty_type *other = obj2("id", cty_type_string(), "x", cty_type_number());
    struct cty_value *o = cty_object_new(other);
    uint8_t *out = NULL;
    size_t len = 0;
    char *err = NULL;
    assert_int_equal(cty_value_to_msgpack(o, t, &out, &len, &err), -1);
    assert_null(out);
    assert_non_null(strstr(err, "attribute \"n\""));
    free(err);
    cty_value_destroy(o);

    struct cty_value *s = cty_string_new("x");
    assert_int_equal(cty_value_to_msgpack(s, cty_type_number(), &out, &len, &err), -1);
    assert_non_null(strstr(err, "string value given where number is required"));
    free(err);
    cty_value_destroy(s);
    cty_type_release(other);
    cty_type_release(t);
}

/* Every single-byte corruption of a rich encoding either decodes to a value
 * that encodes again, or gives an error; none may crash or leak (this file
 * also runs under ASan and valgrind). */
static void test_corrupted_input_never_crashes(void **state)
{
    (void)state;
    char *err = NULL;
    const char *tj = "[\"object\",{\"d\":\"dynamic\",\"l\":[\"list\",\"number\"],"
                     "\"m\":[\"map\",\"string\"],\"s\":\"string\"}]";
    struct cty_type *t = cty_type_from_json(tj, strlen(tj), &err);
    assert_non_null(t);
    size_t len;
    uint8_t *good = hex_bytes("84 a1 64 92 c4 08 22 73 74 72 69 6e 67 22 a2 68 69"
                              " a1 6c 93 01 cb 3f e0 00 00 00 00 00 00 c7 03 0c 81 01 c2"
                              " a1 6d 81 a1 6b a1 76"
                              " a1 73 c7 06 0c 82 01 c2 02 a1 78",
                              &len);
    static const uint8_t subst[] = {0x00, 0x01, 0x7f, 0x80, 0x90, 0xa0, 0xc0, 0xc1, 0xc4,
                                    0xc7, 0xcb, 0xd4, 0xd9, 0xdc, 0xde, 0xff};
    size_t decoded = 0;
    for (size_t i = 0; i < len; i++) {
        for (size_t k = 0; k < sizeof(subst); k++) {
            uint8_t *bad = malloc(len);
            memcpy(bad, good, len);
            bad[i] = subst[k];
            struct cty_value *v = cty_value_from_msgpack(bad, len, t, &err);
            if (v) {
                assert_null(err);
                uint8_t *out;
                size_t out_len;
                assert_int_equal(cty_value_to_msgpack(v, t, &out, &out_len, NULL), 0);
                free(out);
                cty_value_destroy(v);
                decoded++;
            } else {
                assert_non_null(err);
                free(err);
                err = NULL;
            }
            free(bad);
        }
    }
    assert_true(decoded > 0); /* some corruptions are still valid values */
    struct cty_value *v = cty_value_from_msgpack(good, len, t, &err);
    assert_non_null(v);
    cty_value_destroy(v);
    free(good);
    cty_type_release(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_object_bytes),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_number_encodings),
        cmocka_unit_test(test_number_decode_forms),
        cmocka_unit_test(test_string_utf8),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_null_and_unknown_of_every_type),
        cmocka_unit_test(test_refined_unknowns),
        cmocka_unit_test(test_dynamic),
        cmocka_unit_test(test_nested_sets_of_objects_with_unknowns),
        cmocka_unit_test(test_decode_errors),
        cmocka_unit_test(test_empty_string_prefix_refinement),
        cmocka_unit_test(test_encode_errors),
        cmocka_unit_test(test_corrupted_input_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
