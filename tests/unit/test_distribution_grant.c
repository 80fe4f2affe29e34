/* Tests for resources/distribution/distribution_grant: the bucket policy statement of a
 * distribution with an S3 origin, added to and removed from policies that
 * hold other statements. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "resources/distribution/distribution_grant.h"
#include "util/json_equal.h"

#define ARN "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
#define ARN_B "arn:aws:cloudfront::123456789012:distribution/E3OTHER0DIST"

static const struct distribution_grant GRANT = {
    .bucket = "live-origin", .distribution_id = "E2QWRUHAPOMQZL", .distribution_arn = ARN};
static const struct distribution_grant GRANT_B = {
    .bucket = "live-origin", .distribution_id = "E3OTHER0DIST", .distribution_arn = ARN_B};

/* The statement AWS's guide gives for OAC (private-content-restricting-
 * access-to-s3.html), with our Sid. */
static const char EXPECTED[] =
    "{\"Sid\":\"LsmsCloudFrontE2QWRUHAPOMQZL\",\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"cloudfront.amazonaws.com\"},\"Action\":\"s3:GetObject\","
    "\"Resource\":\"arn:aws:s3:::live-origin/*\","
    "\"Condition\":{\"StringEquals\":{\"AWS:SourceArn\":\"" ARN "\"}}}";

/* A policy someone else wrote: TLS only, and a reader role. */
static const char OTHERS[] =
    "{\"Version\":\"2012-10-17\",\"Id\":\"keep-me\",\"Statement\":["
    "{\"Sid\":\"DenyInsecure\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\","
    "\"Resource\":[\"arn:aws:s3:::live-origin\",\"arn:aws:s3:::live-origin/*\"],"
    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}},"
    "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/r\"},"
    "\"Action\":\"s3:ListBucket\",\"Resource\":\"arn:aws:s3:::live-origin\"}]}";

static cJSON *statements(cJSON *doc)
{
    cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    assert_true(cJSON_IsArray(st));
    return st;
}

/* The statement of `doc` at index i, as compact text (free it). */
static char *statement_text(cJSON *doc, int i)
{
    cJSON *s = cJSON_GetArrayItem(statements(doc), i);
    assert_non_null(s);
    return cJSON_PrintUnformatted(s);
}

static void the_statement_is_awss(void **state)
{
    (void)state;
    char *st = distribution_grant_statement(&GRANT);
    assert_non_null(st);
    assert_true(json_equal(st, EXPECTED));
    free(st);
    char *sid = distribution_grant_sid("E2QW-RU_HA");
    assert_string_equal(sid, "LsmsCloudFrontE2QWRUHA");
    free(sid);
    assert_null(distribution_grant_sid("--"));
    assert_null(distribution_grant_sid(NULL));
    /* The partition comes from the distribution's ARN. */
    struct distribution_grant cn = GRANT;
    cn.distribution_arn = "arn:aws-cn:cloudfront::123456789012:distribution/E2Q";
    st = distribution_grant_statement(&cn);
    assert_non_null(strstr(st, "\"Resource\":\"arn:aws-cn:s3:::live-origin/*\""));
    free(st);
    char *p = distribution_grant_partition("arn:aws-us-gov:cloudfront::1:distribution/E");
    assert_string_equal(p, "aws-us-gov");
    free(p);
    assert_null(distribution_grant_partition("not-an-arn"));
    struct distribution_grant bad = GRANT;
    bad.distribution_arn = "E2Q";
    assert_null(distribution_grant_statement(&bad));
}

static void added_to_a_bucket_without_policy(void **state)
{
    (void)state;
    const char *error = NULL;
    char *policy = distribution_grant_add(NULL, &GRANT, &error);
    assert_non_null(policy);
    cJSON *doc = cJSON_Parse(policy);
    assert_string_equal(cJSON_GetObjectItem(doc, "Version")->valuestring, "2012-10-17");
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 1);
    char *st = statement_text(doc, 0);
    assert_true(json_equal(st, EXPECTED));
    free(st);
    cJSON_Delete(doc);
    assert_true(distribution_grant_present(policy, &GRANT));
    assert_false(distribution_grant_present(policy, &GRANT_B));
    free(policy);
    policy = distribution_grant_add("", &GRANT, &error);
    assert_true(distribution_grant_present(policy, &GRANT));
    free(policy);
}

static void other_statements_are_kept(void **state)
{
    (void)state;
    const char *error = NULL;
    char *policy = distribution_grant_add(OTHERS, &GRANT, &error);
    assert_non_null(policy);
    cJSON *doc = cJSON_Parse(policy);
    cJSON *orig = cJSON_Parse(OTHERS);
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 3);
    assert_string_equal(cJSON_GetObjectItem(doc, "Id")->valuestring, "keep-me");
    for (int i = 0; i < 2; i++)
        assert_true(json_tree_equal(cJSON_GetArrayItem(statements(doc), i),
                                    cJSON_GetArrayItem(statements(orig), i)));
    cJSON_Delete(doc);

    /* A second distribution on the same bucket: one statement each. */
    char *both = distribution_grant_add(policy, &GRANT_B, &error);
    assert_true(distribution_grant_present(both, &GRANT));
    assert_true(distribution_grant_present(both, &GRANT_B));
    doc = cJSON_Parse(both);
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 4);
    cJSON_Delete(doc);

    /* Adding again replaces, never duplicates. */
    char *again = distribution_grant_add(both, &GRANT, &error);
    doc = cJSON_Parse(again);
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 4);
    cJSON_Delete(doc);

    /* Removing A leaves B and the others exactly. */
    char *out = NULL;
    bool removed = false;
    assert_int_equal(distribution_grant_remove(again, GRANT.distribution_id, &out, &removed,
                                               &error),
                     0);
    assert_true(removed);
    assert_false(distribution_grant_present(out, &GRANT));
    assert_true(distribution_grant_present(out, &GRANT_B));
    doc = cJSON_Parse(out);
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 3);
    for (int i = 0; i < 2; i++)
        assert_true(json_tree_equal(cJSON_GetArrayItem(statements(doc), i),
                                    cJSON_GetArrayItem(statements(orig), i)));
    cJSON_Delete(doc);
    free(out);
    cJSON_Delete(orig);
    free(again);
    free(both);
    free(policy);
}

static void removing_the_last_statement_deletes_the_policy(void **state)
{
    (void)state;
    const char *error = NULL;
    char *policy = distribution_grant_add(NULL, &GRANT, &error);
    char *out = (char *)"untouched";
    bool removed = false;
    assert_int_equal(distribution_grant_remove(policy, GRANT.distribution_id, &out, &removed,
                                               &error),
                     0);
    assert_true(removed);
    assert_null(out); /* nothing left: delete the bucket policy */
    free(policy);

    /* Nothing of ours: nothing removed, nothing to write. */
    assert_int_equal(distribution_grant_remove(OTHERS, GRANT.distribution_id, &out, &removed,
                                               &error),
                     0);
    assert_false(removed);
    assert_null(out);
    assert_int_equal(distribution_grant_remove(NULL, GRANT.distribution_id, &out, &removed,
                                               &error),
                     0);
    assert_false(removed);
}

/* A single statement object (IAM allows it) becomes a list when edited. */
static void a_statement_object_becomes_a_list(void **state)
{
    (void)state;
    static const char one[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"Mine\",\"Effect\":\"Allow\","
        "\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}}";
    const char *error = NULL;
    char *policy = distribution_grant_add(one, &GRANT, &error);
    cJSON *doc = cJSON_Parse(policy);
    assert_int_equal(cJSON_GetArraySize(statements(doc)), 2);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(statements(doc), 0), "Sid")->valuestring, "Mine");
    cJSON_Delete(doc);
    free(policy);
    /* The statement alone as an object is found too. */
    char *st = distribution_grant_statement(&GRANT);
    char single[1024];
    snprintf(single, sizeof single, "{\"Version\":\"2012-10-17\",\"Statement\":%s}", st);
    assert_true(distribution_grant_present(single, &GRANT));
    free(st);
}

/* A statement with our Sid that was altered (another action, another
 * distribution, a wider condition) does not count as present; "x" and
 * ["x"] are the same to IAM and do. */
static void an_altered_statement_is_not_present(void **state)
{
    (void)state;
    static const char *const altered[] = {
        "\"Action\":\"s3:*\"",
        "\"Action\":[\"s3:GetObject\",\"s3:PutObject\"]",
        "\"Resource\":\"arn:aws:s3:::live-origin/*\",\"Condition\":{}",
    };
    char *st = distribution_grant_statement(&GRANT);
    for (size_t i = 0; i < sizeof altered / sizeof altered[0]; i++) {
        cJSON *s = cJSON_Parse(st);
        char obj[256];
        snprintf(obj, sizeof obj, "{%s}", altered[i]);
        cJSON *p = cJSON_Parse(obj);
        for (cJSON *m = p->child; m; m = m->next)
            cJSON_ReplaceItemInObjectCaseSensitive(s, m->string, cJSON_Duplicate(m, 1));
        char *text = cJSON_PrintUnformatted(s);
        char policy[1024];
        snprintf(policy, sizeof policy, "{\"Version\":\"2012-10-17\",\"Statement\":[%s]}", text);
        assert_false(distribution_grant_present(policy, &GRANT));
        free(text);
        cJSON_Delete(p);
        cJSON_Delete(s);
    }
    static const char listed[] =
        "{\"Statement\":[{\"Sid\":\"LsmsCloudFrontE2QWRUHAPOMQZL\",\"Effect\":\"Allow\","
        "\"Principal\":{\"Service\":[\"cloudfront.amazonaws.com\"]},\"Action\":[\"s3:GetObject\"],"
        "\"Resource\":[\"arn:aws:s3:::live-origin/*\"],"
        "\"Condition\":{\"StringEquals\":{\"AWS:SourceArn\":[\"" ARN "\"]}}}]}";
    assert_true(distribution_grant_present(listed, &GRANT));
    /* The same grant for another distribution is not ours. */
    char *b = distribution_grant_add(NULL, &GRANT_B, NULL);
    assert_false(distribution_grant_present(b, &GRANT));
    free(b);
    free(st);
    assert_false(distribution_grant_present(NULL, &GRANT));
    assert_false(distribution_grant_present("{not json", &GRANT));
}

static void malformed_policies_are_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {"{not json", "[]", "{\"Version\":\"2012-10-17\"}",
                                      "{\"Statement\":\"s\"}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *error = NULL;
        assert_null(distribution_grant_add(bad[i], &GRANT, &error));
        assert_non_null(error);
        char *out = NULL;
        bool removed = true;
        error = NULL;
        assert_int_equal(
            distribution_grant_remove(bad[i], GRANT.distribution_id, &out, &removed, &error), -1);
        assert_non_null(error);
        assert_null(out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_statement_is_awss),
        cmocka_unit_test(added_to_a_bucket_without_policy),
        cmocka_unit_test(other_statements_are_kept),
        cmocka_unit_test(removing_the_last_statement_deletes_the_policy),
        cmocka_unit_test(a_statement_object_becomes_a_list),
        cmocka_unit_test(an_altered_statement_is_not_present),
        cmocka_unit_test(malformed_policies_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
