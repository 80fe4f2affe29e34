/* Tests for resources/container/container_policy: container, CORS and lifecycle policies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "framework/cty.h"
#include "resources/container/container_policy.h"
#include "util/json_equal.h"

#define LIFECYCLE_TYPE                                                                         \
    "[\"list\",[\"object\",{\"path_prefix\":\"string\",\"path_wildcard\":\"string\","          \
    "\"seconds_since_create\":\"number\",\"days_since_create\":\"number\",\"action\":\"string\"}]]"
#define CORS_TYPE                                                                              \
    "[\"list\",[\"object\",{\"allowed_origins\":[\"list\",\"string\"],"                        \
    "\"allowed_methods\":[\"list\",\"string\"],\"allowed_headers\":[\"list\",\"string\"],"     \
    "\"expose_headers\":[\"list\",\"string\"],\"max_age_seconds\":\"number\"}]]"

static struct cty_type *type_of(const char *json)
{
    char *err = NULL;
    struct cty_type *t = cty_type_from_json(json, strlen(json), &err);
    assert_non_null(t);
    return t;
}

static struct cty_value *value_of(const char *json, struct cty_type *t)
{
    char *err = NULL;
    struct cty_value *v = cty_value_from_json(json, strlen(json), t, &err);
    if (!v)
        fail_msg("%s", err);
    return v;
}

static void default_policy_restricted_to_cdn(void **state)
{
    (void)state;
    const struct container_policy_params p = {.region = "us-east-1",
                                              .account_id = "123456789012",
                                              .container_name = "live",
                                              .restrict_to_cdn = true,
                                              .origin_secret = "s3cr3t"};
    const char *err = NULL;
    char *doc = container_policy_default(&p, &err);
    assert_non_null(doc);
    const char *expected =
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Sid\":\"MediaStoreFullAccess\",\"Effect\":\"Allow\","
        "\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"mediastore:*\","
        "\"Resource\":[\"arn:aws:mediastore:us-east-1:123456789012:container/live\","
        "\"arn:aws:mediastore:us-east-1:123456789012:container/live/*\"]},"
        "{\"Sid\":\"CloudFrontRead\",\"Effect\":\"Allow\",\"Principal\":\"*\","
        "\"Action\":[\"mediastore:GetObject\",\"mediastore:DescribeObject\"],"
        "\"Resource\":\"arn:aws:mediastore:us-east-1:123456789012:container/live/*\","
        "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"},"
        "\"StringEquals\":{\"aws:UserAgent\":\"s3cr3t\"}}}]}";
    assert_true(json_equal(doc, expected));
    /* Stored form: already normalised. */
    char *n = json_normalize(doc);
    assert_string_equal(n, doc);
    free(n);
    free(doc);
}

static void default_policy_without_cdn_has_no_user_agent(void **state)
{
    (void)state;
    const struct container_policy_params p = {.region = "cn-north-1",
                                              .account_id = "123456789012",
                                              .container_name = "live",
                                              .restrict_to_cdn = false};
    char *doc = container_policy_default(&p, NULL);
    assert_non_null(doc);
    assert_null(strstr(doc, "aws:UserAgent"));
    assert_non_null(strstr(doc, "aws:SecureTransport"));
    assert_non_null(strstr(doc, "arn:aws-cn:mediastore:cn-north-1:"));
    free(doc);
}

static void default_policy_needs_its_inputs(void **state)
{
    (void)state;
    const char *err = NULL;
    struct container_policy_params p = {.region = "us-east-1", .account_id = "1",
                                        .container_name = "c", .restrict_to_cdn = true};
    assert_null(container_policy_default(&p, &err));
    assert_non_null(strstr(err, "origin secret"));
    p.restrict_to_cdn = false;
    p.account_id = NULL;
    assert_null(container_policy_default(&p, &err));
}

static void default_cors_policy(void **state)
{
    (void)state;
    char *doc = container_cors_policy_default(NULL);
    assert_true(json_equal(doc, "[{\"AllowedOrigins\":[\"*\"],\"AllowedMethods\":[\"GET\"],"
                                "\"AllowedHeaders\":[\"*\"],\"MaxAgeSeconds\":3000}]"));
    free(doc);
}

static void cors_schema_default_round_trips_to_default_policy(void **state)
{
    (void)state;
    struct cty_type *t = type_of(CORS_TYPE);
    struct cty_value *v = value_of(CONTAINER_CORS_RULES_DEFAULT_JSON, t);
    char *doc = container_cors_policy_from_value(v, NULL);
    char *def = container_cors_policy_default(NULL);
    assert_string_equal(doc, def);
    struct cty_value *back = container_cors_rules_from_policy(doc, t, NULL);
    assert_non_null(back);
    assert_true(cty_value_equal(back, v));
    free(doc);
    free(def);
    cty_value_destroy(back);
    cty_value_destroy(v);
    cty_type_release(t);
}

static void cors_from_value_keeps_every_field(void **state)
{
    (void)state;
    struct cty_type *t = type_of(CORS_TYPE);
    struct cty_value *v = value_of(
        "[{\"allowed_origins\":[\"https://a.example\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"
        "\"allowed_headers\":[\"*\"],\"expose_headers\":[\"ETag\"],\"max_age_seconds\":60}]",
        t);
    char *doc = container_cors_policy_from_value(v, NULL);
    assert_true(json_equal(doc, "[{\"AllowedOrigins\":[\"https://a.example\"],"
                                "\"AllowedMethods\":[\"GET\",\"HEAD\"],\"AllowedHeaders\":[\"*\"],"
                                "\"ExposeHeaders\":[\"ETag\"],\"MaxAgeSeconds\":60}]"));
    struct cty_value *back = container_cors_rules_from_policy(doc, t, NULL);
    assert_true(cty_value_equal(back, v));
    const char *err = NULL;
    assert_null(container_cors_rules_from_policy("{\"x\":1}", t, &err));
    assert_non_null(err);
    free(doc);
    cty_value_destroy(back);
    cty_value_destroy(v);
    cty_type_release(t);
}

static void lifecycle_default_builds_the_seed_policy(void **state)
{
    (void)state;
    struct cty_type *t = type_of(LIFECYCLE_TYPE);
    struct cty_value *v = value_of(CONTAINER_LIFECYCLE_RULES_DEFAULT_JSON, t);
    struct container_lifecycle_rules rules = {0};
    assert_int_equal(container_lifecycle_rules_from_value(v, &rules, NULL), 0);
    char *doc = container_lifecycle_policy_build(&rules, NULL);
    assert_string_equal(doc, "{\"rules\":[{\"action\":\"EXPIRE\",\"definition\":{\"path\":"
                             "[{\"wildcard\":\"stream/*.ts\"}],\"seconds_since_create\":"
                             "[{\"numeric\":[\">\",300]}]}}]}");
    struct cty_value *back = container_lifecycle_rules_to_value(&rules, t);
    assert_true(cty_value_equal(back, v));
    free(doc);
    container_lifecycle_rules_clean_up(&rules);
    cty_value_destroy(back);
    cty_value_destroy(v);
    cty_type_release(t);
}

static void lifecycle_parse_reads_aws_examples(void **state)
{
    (void)state;
    /* The AWS "multiple rules" example shape, with a two-path rule. */
    const char *json =
        "{ \"rules\": [ { \"definition\": { \"path\": [ {\"prefix\": \"AwardsShow/\"} ], "
        "\"days_since_create\": [ {\"numeric\": [ \">=\" , 30 ]} ] }, \"action\": \"ARCHIVE\" },"
        "{ \"definition\": { \"path\": [ {\"wildcard\": \"Football/*.m3u8\"}, {\"prefix\": \"April\"} ],"
        "\"seconds_since_create\": [ {\"numeric\": [ \">\", 20 ]} ] }, \"action\": \"EXPIRE\" } ] }";
    struct container_lifecycle_rules r = {0};
    assert_int_equal(container_lifecycle_policy_parse(json, &r, NULL), 0);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.items[0].path_prefix, "AwardsShow/");
    assert_int_equal(r.items[0].days_since_create, 30);
    assert_int_equal(r.items[0].seconds_since_create, -1);
    assert_string_equal(r.items[0].action, "ARCHIVE");
    assert_string_equal(r.items[1].path_wildcard, "Football/*.m3u8");
    assert_int_equal(r.items[1].seconds_since_create, 20);
    assert_string_equal(r.items[2].path_prefix, "April");
    assert_int_equal(r.items[2].seconds_since_create, 20);
    /* Build and parse again: the same rules. ARCHIVE keeps its ">=". */
    char *doc = container_lifecycle_policy_build(&r, NULL);
    assert_non_null(strstr(doc, "\">=\",30"));
    struct container_lifecycle_rules again = {0};
    assert_int_equal(container_lifecycle_policy_parse(doc, &again, NULL), 0);
    assert_int_equal(again.n, 3);
    assert_string_equal(again.items[2].path_prefix, "April");
    free(doc);
    container_lifecycle_rules_clean_up(&again);
    container_lifecycle_rules_clean_up(&r);
}

static void lifecycle_rejects_malformed(void **state)
{
    (void)state;
    const char *err = NULL;
    struct container_lifecycle_rules r = {0};
    const char *bad[] = {
        "[]",
        "{\"rules\":[{\"definition\":{\"path\":[{\"prefix\":\"a\",\"wildcard\":\"b\"}],"
        "\"seconds_since_create\":[{\"numeric\":[\">\",1]}]},\"action\":\"EXPIRE\"}]}",
        "{\"rules\":[{\"definition\":{\"path\":[{\"prefix\":\"a\"}],"
        "\"seconds_since_create\":[{\"numeric\":[\">\",1]}],"
        "\"days_since_create\":[{\"numeric\":[\">\",1]}]},\"action\":\"EXPIRE\"}]}",
        "{\"rules\":[{\"definition\":{\"path\":[{\"prefix\":\"a\"}],"
        "\"seconds_since_create\":[{\"numeric\":[\"<\",1]}]},\"action\":\"EXPIRE\"}]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        assert_int_equal(container_lifecycle_policy_parse(bad[i], &r, &err), -1);
        assert_non_null(err);
        assert_int_equal(r.n, 0);
    }
    struct container_lifecycle_rule both = {.path_prefix = "a", .path_wildcard = "b",
                                            .seconds_since_create = 1, .days_since_create = -1,
                                            .action = "EXPIRE"};
    struct container_lifecycle_rules one = {.items = &both, .n = 1};
    assert_null(container_lifecycle_policy_build(&one, &err));
    both.path_wildcard = NULL;
    both.days_since_create = 2;
    assert_null(container_lifecycle_policy_build(&one, &err));
    both.days_since_create = -1;
    both.action = "DELETE";
    assert_null(container_lifecycle_policy_build(&one, &err));
    both.action = "EXPIRE";
    char *ok = container_lifecycle_policy_build(&one, &err);
    assert_non_null(ok);
    free(ok);
}

/* Import and refresh recover the origin secret from the policy AWS holds. */
static void user_agent_recovered_from_default_policy(void **state)
{
    (void)state;
    struct container_policy_params p = {.region = "us-east-1", .account_id = "123456789012",
                                        .container_name = "live", .restrict_to_cdn = true,
                                        .origin_secret = "s3cr3t"};
    char *policy = container_policy_default(&p, NULL);
    assert_non_null(policy);
    char *ua = container_policy_user_agent(policy);
    assert_string_equal(ua, "s3cr3t");
    free(ua);
    free(policy);
    p.restrict_to_cdn = false;
    policy = container_policy_default(&p, NULL);
    assert_null(container_policy_user_agent(policy));
    free(policy);
    /* A single statement object and a one-element value list, as IAM allows. */
    ua = container_policy_user_agent(
        "{\"Statement\":{\"Effect\":\"Allow\",\"Condition\":{\"StringEquals\":"
        "{\"aws:UserAgent\":[\"x1\"]}}}}");
    assert_string_equal(ua, "x1");
    free(ua);
    assert_null(container_policy_user_agent(
        "{\"Statement\":[{\"Effect\":\"Deny\",\"Condition\":{\"StringEquals\":"
        "{\"aws:UserAgent\":\"x\"}}}]}"));
    assert_null(container_policy_user_agent("{not json"));
    assert_null(container_policy_user_agent(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_policy_restricted_to_cdn),
        cmocka_unit_test(user_agent_recovered_from_default_policy),
        cmocka_unit_test(default_policy_without_cdn_has_no_user_agent),
        cmocka_unit_test(default_policy_needs_its_inputs),
        cmocka_unit_test(default_cors_policy),
        cmocka_unit_test(cors_schema_default_round_trips_to_default_policy),
        cmocka_unit_test(cors_from_value_keeps_every_field),
        cmocka_unit_test(lifecycle_default_builds_the_seed_policy),
        cmocka_unit_test(lifecycle_parse_reads_aws_examples),
        cmocka_unit_test(lifecycle_rejects_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
