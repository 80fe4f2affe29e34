/* Attribute paths and diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/diag.h"

static void path_to_string_formats_attrs_indexes_and_keys(void **state)
{
    (void)state;
    struct attr_path p = {0};
    char *s = attr_path_to_string(&p);
    assert_string_equal(s, "");
    free(s);
    assert_int_equal(attr_path_push_attr(&p, "cors_rules"), 0);
    assert_int_equal(attr_path_push_index(&p, 0), 0);
    assert_int_equal(attr_path_push_attr(&p, "max_age_seconds"), 0);
    s = attr_path_to_string(&p);
    assert_string_equal(s, "cors_rules[0].max_age_seconds");
    free(s);
    attr_path_clean_up(&p);

    attr_path_push_attr(&p, "tags");
    attr_path_push_key(&p, "k");
    s = attr_path_to_string(&p);
    assert_string_equal(s, "tags[\"k\"]");
    free(s);
    attr_path_pop(&p);
    attr_path_push_key(&p, "a\"b");
    s = attr_path_to_string(&p);
    assert_string_equal(s, "tags[\"a\\\"b\"]");
    free(s);
    attr_path_clean_up(&p);
    assert_int_equal(p.n, 0);
}

static void path_copy_equal_and_pop(void **state)
{
    (void)state;
    struct attr_path a = {0}, b = {0};
    attr_path_push_attr(&a, "x");
    attr_path_push_index(&a, 3);
    assert_int_equal(attr_path_copy(&b, &a), 0);
    assert_true(attr_path_equal(&a, &b));
    attr_path_pop(&b);
    assert_false(attr_path_equal(&a, &b));
    attr_path_push_index(&b, 4);
    assert_false(attr_path_equal(&a, &b));
    attr_path_pop(&b);
    attr_path_push_key(&b, "3");
    assert_false(attr_path_equal(&a, &b)); /* key "3" is not index 3 */
    attr_path_pop(&b);
    attr_path_pop(&b);
    attr_path_pop(&b); /* popping the root is harmless */
    assert_int_equal(b.n, 0);
    attr_path_clean_up(&a);
    attr_path_clean_up(&b);
}

static void diags_record_severity_text_and_path(void **state)
{
    (void)state;
    struct diags d = {0};
    assert_false(diags_has_error(&d));
    diags_add(&d, DIAG_WARNING, NULL, "Deprecated", "Use %s instead.", "y");
    assert_false(diags_has_error(&d));
    diags_error(&d, "name", "Invalid value", "Value %d is bad.", 7);
    assert_true(diags_has_error(&d));
    assert_int_equal(d.n, 2);
    assert_int_equal(d.items[0].severity, DIAG_WARNING);
    assert_string_equal(d.items[0].detail, "Use y instead.");
    assert_int_equal(d.items[0].path.n, 0);
    assert_string_equal(d.items[1].summary, "Invalid value");
    assert_string_equal(d.items[1].detail, "Value 7 is bad.");
    assert_int_equal(d.items[1].path.n, 1);
    assert_string_equal(d.items[1].path.steps[0].name, "name");

    struct diags other = {0};
    diags_error(&other, NULL, "Other", "Detail.");
    diags_move(&d, &other);
    assert_int_equal(other.n, 0);
    assert_int_equal(d.n, 3);
    assert_string_equal(d.items[2].summary, "Other");
    assert_int_equal(d.items[2].path.n, 0);
    diags_clean_up(&d);
    diags_clean_up(&other);
    assert_int_equal(d.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_to_string_formats_attrs_indexes_and_keys),
        cmocka_unit_test(path_copy_equal_and_pop),
        cmocka_unit_test(diags_record_severity_text_and_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
