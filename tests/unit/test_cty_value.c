/*
 * test_cty_value.c - cty types and values: construction, ownership,
 * inspection, number canonicalisation and deep equality.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/cty.h"

static struct cty_type *object_type_2(const char *a, struct cty_type *ta, const char *b,
                                      struct cty_type *tb)
{
    const char *names[] = {a, b};
    struct cty_type *types[] = {ta, tb};
    return cty_type_object_new(2, names, types);
}

static void test_number_canonical_text(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"0", "0"},
        {"-0", "0"},
        {"+12", "12"},
        {"1.0", "1"},
        {"1.50", "1.5"},
        {"007", "7"},
        {"1e3", "1000"},
        {"1E+3", "1000"},
        {"12.5e-3", "0.0125"},
        {"-0.000", "0"},
        {"-3.14", "-3.14"},
        {".5", "0.5"},
        {"5.", "5"},
        {"123456789012345678901234567890", "123456789012345678901234567890"},
        {"3.14159265358979323846264338327950288", "3.14159265358979323846264338327950288"},
        {"0.1", "0.1"},
        {"inf", "Inf"},
        {"-Infinity", "-Inf"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cty_value *v = cty_number_new(cases[i].in);
        assert_non_null(v);
        assert_string_equal(cty_value_number_text(v), cases[i].out);
        cty_value_destroy(v);
    }
    static const char *const bad[] = {"", "-", "1e", "1.2.3", "abc", "1 ", "0x10", "1e99999"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_null(cty_number_new(bad[i]));
}

static void test_number_equality_by_value(void **state)
{
    (void)state;
    struct cty_value *a = cty_number_new("1");
    struct cty_value *b = cty_number_new("1.0");
    struct cty_value *c = cty_number_new("1e0");
    struct cty_value *d = cty_number_new("1.0000000000000000000001");
    assert_true(cty_value_equal(a, b));
    assert_true(cty_value_equal(a, c));
    assert_false(cty_value_equal(a, d));
    cty_value_destroy(a);
    cty_value_destroy(b);
    cty_value_destroy(c);
    cty_value_destroy(d);
}

static void test_number_int64(void **state)
{
    (void)state;
    int64_t n = 0;
    struct cty_value *v = cty_number_new_int(INT64_MIN);
    assert_int_equal(cty_value_number_int64(v, &n), 0);
    assert_true(n == INT64_MIN);
    cty_value_destroy(v);
    v = cty_number_new("9223372036854775808");
    assert_int_equal(cty_value_number_int64(v, &n), -1);
    cty_value_destroy(v);
    v = cty_number_new("2.5");
    assert_int_equal(cty_value_number_int64(v, &n), -1);
    cty_value_destroy(v);
    v = cty_number_new("4e2");
    assert_int_equal(cty_value_number_int64(v, &n), 0);
    assert_int_equal(n, 400);
    cty_value_destroy(v);
}

static void test_types_sorted_and_refcounted(void **state)
{
    (void)state;
    struct cty_type *list = cty_type_collection_new(CTY_LIST, cty_type_string());
    struct cty_type *obj = object_type_2("zeta", cty_type_number(), "alpha", list);
    assert_non_null(obj);
    assert_int_equal(cty_type_count(obj), 2);
    assert_string_equal(cty_type_attr_name(obj, 0), "alpha");
    assert_string_equal(cty_type_attr_name(obj, 1), "zeta");
    assert_true(cty_type_attr_type(obj, 0) == list);
    assert_int_equal(cty_type_attr_index(obj, "zeta"), 1);
    assert_int_equal(cty_type_attr_index(obj, "nope"), -1);
    assert_false(cty_type_has_dynamic(obj));

    /* A second reference keeps the type alive after the first release. */
    struct cty_type *again = cty_type_acquire(obj);
    cty_type_release(obj);
    assert_string_equal(cty_type_attr_name(again, 0), "alpha");

    struct cty_type *other = object_type_2(
        "alpha", cty_type_collection_new(CTY_LIST, cty_type_string()), "zeta", cty_type_number());
    assert_true(cty_type_equal(again, other));
    struct cty_type *set = cty_type_collection_new(CTY_SET, cty_type_string());
    assert_false(cty_type_equal(cty_type_attr_type(again, 0), set));
    cty_type_release(set);
    cty_type_release(other);
    cty_type_release(again);

    const char *dup[] = {"a", "a"};
    struct cty_type *dup_types[] = {cty_type_bool(), cty_type_bool()};
    assert_null(cty_type_object_new(2, dup, dup_types));

    struct cty_type *dyn = cty_type_collection_new(CTY_MAP, cty_type_dynamic());
    assert_true(cty_type_has_dynamic(dyn));
    cty_type_release(dyn);
}

static void test_object_build_and_inspect(void **state)
{
    (void)state;
    struct cty_type *t = object_type_2("name", cty_type_string(), "count", cty_type_number());
    struct cty_value *o = cty_object_new(t);
    assert_true(cty_value_is_null(cty_value_attr(o, "name")));
    assert_int_equal(cty_object_set(o, "name", cty_string_new("web")), 0);
    assert_int_equal(cty_object_set(o, "count", cty_number_new_int(3)), 0);
    assert_int_equal(cty_object_set(o, "missing", cty_bool_new(true)), -1);
    assert_string_equal(cty_attr_string(o, "name"), "web");
    assert_int_equal(cty_attr_int(o, "count", -1), 3);
    assert_true(cty_attr_bool(o, "name", true)); /* not a bool: fallback */
    assert_null(cty_value_attr(o, "missing"));
    assert_true(cty_value_is_wholly_known(o));

    struct cty_value *c = cty_value_clone(o);
    assert_true(cty_value_equal(o, c));
    cty_object_set(c, "count", cty_unknown_new(cty_type_number()));
    assert_false(cty_value_equal(o, c));
    assert_false(cty_value_is_wholly_known(c));
    assert_int_equal(cty_attr_int(c, "count", -1), -1);
    cty_value_destroy(c);
    cty_value_destroy(o);
    cty_type_release(t);
}

static void test_set_dedupes_known_only(void **state)
{
    (void)state;
    struct cty_type *t = cty_type_collection_new(CTY_SET, cty_type_number());
    struct cty_value *s = cty_collection_new(t);
    assert_int_equal(cty_collection_append(s, cty_number_new("1")), 0);
    assert_int_equal(cty_collection_append(s, cty_number_new("1.0")), 0);
    assert_int_equal(cty_collection_append(s, cty_number_new("2")), 0);
    assert_int_equal(cty_value_length(s), 2);
    /* Unknown members are never merged with one another. */
    assert_int_equal(cty_collection_append(s, cty_unknown_new(cty_type_number())), 0);
    assert_int_equal(cty_collection_append(s, cty_unknown_new(cty_type_number())), 0);
    assert_int_equal(cty_value_length(s), 4);

    struct cty_value *s2 = cty_collection_new(t);
    cty_collection_append(s2, cty_unknown_new(cty_type_number()));
    cty_collection_append(s2, cty_number_new("2"));
    cty_collection_append(s2, cty_unknown_new(cty_type_number()));
    cty_collection_append(s2, cty_number_new("1"));
    assert_true(cty_value_equal(s, s2)); /* order does not matter */
    cty_value_destroy(s2);
    cty_value_destroy(s);
    cty_type_release(t);
}

static void test_map_sorted_replace(void **state)
{
    (void)state;
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *m = cty_collection_new(t);
    assert_int_equal(cty_map_put(m, "b", cty_string_new("2")), 0);
    assert_int_equal(cty_map_put(m, "a", cty_string_new("1")), 0);
    assert_int_equal(cty_map_put(m, "c", cty_string_new("3")), 0);
    assert_int_equal(cty_map_put(m, "b", cty_string_new("two")), 0);
    assert_int_equal(cty_value_length(m), 3);
    assert_string_equal(cty_value_map_key(m, 0), "a");
    assert_string_equal(cty_value_map_key(m, 1), "b");
    assert_string_equal(cty_value_string(cty_value_map_get(m, "b")), "two");
    assert_null(cty_value_map_get(m, "z"));
    /* Appending to a map is refused, and the item is still freed. */
    assert_int_equal(cty_collection_append(m, cty_string_new("x")), -1);
    cty_value_destroy(m);
    cty_type_release(t);
}

static void test_tuple_and_list(void **state)
{
    (void)state;
    struct cty_type *types[] = {cty_type_string(), cty_type_bool()};
    struct cty_type *t = cty_type_tuple_new(2, types);
    struct cty_value *tv = cty_tuple_new(t);
    assert_int_equal(cty_value_length(tv), 2);
    assert_int_equal(cty_tuple_set(tv, 1, cty_bool_new(true)), 0);
    assert_int_equal(cty_tuple_set(tv, 2, cty_bool_new(true)), -1);
    assert_true(cty_value_get_bool(cty_value_index(tv, 1)));
    assert_true(cty_value_is_null(cty_value_index(tv, 0)));

    struct cty_value *built = cty_collection_new(t);
    assert_int_equal(cty_collection_append(built, cty_null_new(cty_type_string())), 0);
    assert_int_equal(cty_collection_append(built, cty_bool_new(true)), 0);
    assert_int_equal(cty_collection_append(built, cty_bool_new(true)), -1);
    assert_true(cty_value_equal(tv, built));
    cty_value_destroy(built);
    cty_value_destroy(tv);
    cty_type_release(t);

    struct cty_type *lt = cty_type_collection_new(CTY_LIST, cty_type_string());
    struct cty_value *l = cty_collection_new(lt);
    cty_collection_append(l, cty_string_new("a"));
    cty_collection_append(l, cty_string_new("a"));
    assert_int_equal(cty_value_length(l), 2);
    struct cty_value *nl = cty_null_new(lt);
    assert_int_equal(cty_value_length(nl), 0);
    assert_false(cty_value_equal(l, nl));
    cty_value_destroy(nl);
    cty_value_destroy(l);
    cty_type_release(lt);
}

static void test_null_unknown_and_refinements(void **state)
{
    (void)state;
    struct cty_value *n = cty_null_new(cty_type_string());
    struct cty_value *u = cty_unknown_new(cty_type_string());
    struct cty_refinements r = {.not_null = true, .length_min = -1, .length_max = -1};
    r.string_prefix = strdup("arn:");
    struct cty_value *ru = cty_unknown_refined_new(cty_type_string(), &r);
    assert_null(r.string_prefix); /* taken over */
    assert_true(cty_value_is_null(n));
    assert_true(cty_value_is_known(n));
    assert_false(cty_value_is_known(u));
    assert_null(cty_value_refinements(u));
    assert_non_null(cty_value_refinements(ru));
    assert_string_equal(cty_value_refinements(ru)->string_prefix, "arn:");
    assert_true(cty_value_equal(u, ru)); /* refinements ignored */
    assert_false(cty_value_equal(u, n));
    assert_null(cty_value_string(u));

    struct cty_value *c = cty_value_clone(ru);
    assert_string_equal(cty_value_refinements(c)->string_prefix, "arn:");
    cty_value_destroy(c);

    /* Empty refinements give a plain unknown. */
    struct cty_refinements empty = {.length_min = -1, .length_max = -1};
    struct cty_value *pu = cty_unknown_refined_new(cty_type_string(), &empty);
    assert_null(cty_value_refinements(pu));
    cty_value_destroy(pu);
    cty_value_destroy(n);
    cty_value_destroy(u);
    cty_value_destroy(ru);
}

static void test_string_with_nul(void **state)
{
    (void)state;
    struct cty_value *a = cty_string_new_len("a\0b", 3);
    struct cty_value *b = cty_string_new_len("a\0c", 3);
    assert_int_equal(cty_value_string_len(a), 3);
    assert_false(cty_value_equal(a, b));
    cty_value_destroy(a);
    cty_value_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_canonical_text),
        cmocka_unit_test(test_number_equality_by_value),
        cmocka_unit_test(test_number_int64),
        cmocka_unit_test(test_types_sorted_and_refcounted),
        cmocka_unit_test(test_object_build_and_inspect),
        cmocka_unit_test(test_set_dedupes_known_only),
        cmocka_unit_test(test_map_sorted_replace),
        cmocka_unit_test(test_tuple_and_list),
        cmocka_unit_test(test_null_unknown_and_refinements),
        cmocka_unit_test(test_string_with_nul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
