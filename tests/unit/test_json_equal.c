/* Tests for util/json_equal: semantic JSON and IAM policy comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json_equal.h"

static void key_order_and_whitespace_are_ignored(void **state)
{
    (void)state;
    assert_true(json_equal("{\"a\":1,\"b\":[true,null]}", " { \"b\" : [ true , null ] ,\n\"a\":1 } "));
}

static void numbers_compare_by_value(void **state)
{
    (void)state;
    assert_true(json_equal("{\"n\":1}", "{\"n\":1.0}"));
    assert_true(json_equal("[3000]", "[3e3]"));
    assert_false(json_equal("{\"n\":1}", "{\"n\":2}"));
}

static void differences_are_detected(void **state)
{
    (void)state;
    assert_false(json_equal("{\"a\":1}", "{\"a\":1,\"b\":2}"));
    assert_false(json_equal("{\"a\":\"1\"}", "{\"a\":1}"));
    assert_false(json_equal("[1,2]", "[2,1]"));
    assert_false(json_equal("{\"a\":true}", "{\"a\":false}"));
    assert_false(json_equal("{\"a\":null}", "{\"a\":false}"));
}

static void unparseable_is_never_equal(void **state)
{
    (void)state;
    assert_false(json_equal("{", "{"));
    assert_false(json_equal("{}", NULL));
    assert_false(json_policy_equal("not json", "not json"));
}

static void plain_json_keeps_array_shape(void **state)
{
    (void)state;
    assert_false(json_equal("{\"Action\":\"x\"}", "{\"Action\":[\"x\"]}"));
}

static void policy_single_value_equals_one_element_array(void **state)
{
    (void)state;
    const char *a = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\","
                    "\"Action\":\"mediastore:GetObject\",\"Principal\":{\"AWS\":\"arn:x\"},"
                    "\"Resource\":\"arn:r\"}}";
    const char *b = "{\"Statement\":[{\"Resource\":[\"arn:r\"],\"Principal\":{\"AWS\":[\"arn:x\"]},"
                    "\"Action\":[\"mediastore:GetObject\"],\"Effect\":\"Allow\"}],"
                    "\"Version\":\"2012-10-17\"}";
    assert_true(json_policy_equal(a, b));
    assert_false(json_equal(a, b));
}

static void policy_arrays_are_unordered_but_counted(void **state)
{
    (void)state;
    assert_true(json_policy_equal("{\"Action\":[\"a\",\"b\"]}", "{\"Action\":[\"b\",\"a\"]}"));
    assert_false(json_policy_equal("{\"Action\":[\"a\",\"b\"]}", "{\"Action\":[\"a\",\"a\"]}"));
    assert_false(json_policy_equal("{\"Action\":[\"a\",\"b\"]}", "{\"Action\":\"a\"}"));
}

static void policy_principal_star_equals_aws_star(void **state)
{
    (void)state;
    assert_true(json_policy_equal("{\"Principal\":\"*\"}", "{\"Principal\":{\"AWS\":\"*\"}}"));
    assert_true(json_policy_equal("{\"Principal\":{\"AWS\":[\"*\"]}}", "{\"Principal\":\"*\"}"));
    assert_false(json_policy_equal("{\"Principal\":\"*\"}", "{\"Principal\":{\"AWS\":\"arn:x\"}}"));
}

static void policy_detects_real_changes(void **state)
{
    (void)state;
    assert_false(json_policy_equal("{\"Effect\":\"Allow\"}", "{\"Effect\":\"Deny\"}"));
    assert_false(json_policy_equal(
        "{\"Condition\":{\"StringEquals\":{\"aws:UserAgent\":\"s1\"}}}",
        "{\"Condition\":{\"StringEquals\":{\"aws:UserAgent\":\"s2\"}}}"));
}

static void normalize_sorts_keys_and_compacts(void **state)
{
    (void)state;
    char *n = json_normalize("{ \"b\": {\"z\":1, \"y\":[{\"d\":1,\"c\":2}]},\n \"a\": \"x\" }");
    assert_non_null(n);
    assert_string_equal(n, "{\"a\":\"x\",\"b\":{\"y\":[{\"c\":2,\"d\":1}],\"z\":1}}");
    /* Idempotent, and equal documents normalise to the same bytes. */
    char *again = json_normalize(n);
    char *other = json_normalize("{\"a\":\"x\",\"b\":{\"z\":1,\"y\":[{\"c\":2,\"d\":1}]}}");
    assert_string_equal(again, n);
    assert_string_equal(other, n);
    free(n);
    free(again);
    free(other);
    assert_null(json_normalize("{\"a\":"));
}

static void sorted_tree_still_accepts_appends(void **state)
{
    (void)state;
    /* Sorting rewires cJSON's sibling links; appending afterwards must still
     * work (cJSON finds the tail through the head's prev link). */
    cJSON *t = cJSON_Parse("{\"c\":1,\"a\":2,\"b\":3}");
    json_tree_sort_keys(t);
    cJSON_AddNumberToObject(t, "0", 4);
    char *s = cJSON_PrintUnformatted(t);
    assert_string_equal(s, "{\"a\":2,\"b\":3,\"c\":1,\"0\":4}");
    free(s);
    cJSON_Delete(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(key_order_and_whitespace_are_ignored),
        cmocka_unit_test(numbers_compare_by_value),
        cmocka_unit_test(differences_are_detected),
        cmocka_unit_test(unparseable_is_never_equal),
        cmocka_unit_test(plain_json_keeps_array_shape),
        cmocka_unit_test(policy_single_value_equals_one_element_array),
        cmocka_unit_test(policy_arrays_are_unordered_but_counted),
        cmocka_unit_test(policy_principal_star_equals_aws_star),
        cmocka_unit_test(policy_detects_real_changes),
        cmocka_unit_test(normalize_sorts_keys_and_compacts),
        cmocka_unit_test(sorted_tree_still_accepts_appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
