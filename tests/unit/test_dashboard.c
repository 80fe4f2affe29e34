/* Tests for resources/dashboard/dashboard: which origin arguments a config may combine
 * (validate) and what the plan derives from them (modify_plan), without AWS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "resource_test.h"
#include "resources/provider.h"

/* Validates `json`; expects no diagnostic (path NULL) or exactly one error at
 * `path` ("" for one tied to no attribute) whose detail contains `words`. */
static void expect(const char *json, const char *path, const char *words)
{
    struct compiled_resource cr = resource_compile("lsms_dashboard");
    struct cty_value *config = resource_config(&cr, json);
    struct diags d = resource_validate(&cr, config);
    if (!path) {
        if (d.n != 0)
            fail_msg("%s: unexpected: %s: %s", json, d.items[0].summary, d.items[0].detail);
    } else {
        if (d.n != 1) {
            for (size_t i = 0; i < d.n; i++)
                print_message("diag: %s: %s\n", d.items[i].summary, d.items[i].detail);
            fail_msg("%s: expected one diagnostic at '%s', got %zu", json, path, d.n);
        }
        char *p = attr_path_to_string(&d.items[0].path);
        assert_string_equal(p, path);
        free(p);
        assert_int_equal(d.items[0].severity, DIAG_ERROR);
        if (words && !strstr(d.items[0].detail, words))
            fail_msg("%s: detail \"%s\" lacks \"%s\"", json, d.items[0].detail, words);
    }
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

static void one_origin_passes(void **state)
{
    (void)state;
    expect("{\"name\":\"d\",\"container_name\":\"live\"}", NULL, NULL);
    expect("{\"name\":\"d\",\"container_name\":\"live\",\"stream_path\":\"/live/main\"}", NULL,
           NULL);
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms-live\"}", NULL, NULL);
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms.live-1\",\"metrics_filter_id\":\"Stream_1.a-b\","
           "\"distribution_id\":\"E2QWRUHAPOMQZL\",\"region\":\"eu-west-1\"}",
           NULL, NULL);
}

static void both_or_neither_origin_is_refused(void **state)
{
    (void)state;
    expect("{\"name\":\"d\",\"container_name\":\"live\",\"bucket_name\":\"lsms-live\"}",
           "bucket_name", "container_name");
    expect("{\"name\":\"d\"}", "", "bucket_name");
    expect("{\"name\":\"d\",\"distribution_id\":\"E1\"}", "", "container_name");
}

static void each_origin_refuses_the_other_ones_arguments(void **state)
{
    (void)state;
    expect("{\"name\":\"d\",\"container_name\":\"live\",\"metrics_filter_id\":\"EntireBucket\"}",
           "metrics_filter_id", "bucket_name");
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms-live\",\"stream_path\":\"/stream/index\"}",
           "stream_path", "metrics_filter_id");
}

static void bad_values_point_at_the_attribute(void **state)
{
    (void)state;
    const char *bad_buckets[] = {
        "Lsms-Live", "lsms_live", "ab", "a", "", "-lsms", "lsms-",
        "https://lsms-live.s3.amazonaws.com",
        "a123456789012345678901234567890123456789012345678901234567890123" /* 64 */};
    for (size_t i = 0; i < sizeof bad_buckets / sizeof bad_buckets[0]; i++) {
        char json[256];
        snprintf(json, sizeof json, "{\"name\":\"d\",\"bucket_name\":\"%s\"}", bad_buckets[i]);
        expect(json, "bucket_name", NULL);
    }
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms-live\",\"metrics_filter_id\":\"a b\"}",
           "metrics_filter_id", NULL);
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms-live\",\"metrics_filter_id\":"
           "\"a1234567890123456789012345678901234567890123456789012345678901234\"}",
           "metrics_filter_id", NULL);
    expect("{\"name\":\"d\",\"bucket_name\":\"lsms-live\",\"metrics_filter_id\":\"\"}",
           "metrics_filter_id", NULL);
}

/* A bucket coming from lsms_bucket, or an origin chosen by a module's
 * `cond ? x : null`, is unknown at validation: it is judged once known, so
 * it neither conflicts with a container nor leaves the origin missing. */
static void unknown_origin_is_judged_once_known(void **state)
{
    (void)state;
    struct compiled_resource cr = resource_compile("lsms_dashboard");
    struct cty_value *config = resource_config(&cr, "{\"name\":\"d\"}");
    assert_int_equal(cty_object_set(config, "bucket_name", cty_unknown_new(cty_type_string())), 0);
    struct diags d = resource_validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    assert_int_equal(cty_object_set(config, "container_name", cty_unknown_new(cty_type_string())),
                     0);
    d = resource_validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    assert_int_equal(cty_object_set(config, "container_name", cty_string_new("live")), 0);
    d = resource_validate(&cr, config);
    assert_int_equal(d.n, 0);
    diags_clean_up(&d);
    /* Once both are known, two origins conflict. */
    assert_int_equal(cty_object_set(config, "bucket_name", cty_string_new("lsms-live")), 0);
    d = resource_validate(&cr, config);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].summary, "Conflicting arguments");
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

/* ---- plan ---- */

struct planned {
    struct compiled_resource cr;
    struct cty_value *config, *planned;
};

/* What the framework hands modify_plan on create: the config with defaults,
 * computed attributes unknown. `unknown_attr` (may be NULL) is unknown in the
 * config too (a reference to a resource not created yet). */
static struct planned plan_create(const char *json, const char *unknown_attr)
{
    static struct lsms_provider_data pd = {.region = "eu-west-1"};
    struct diags d = {0};
    struct resource_ctx ctx = {.provider_data = &pd, .diags = &d};
    struct planned r = {.cr = resource_compile("lsms_dashboard")};
    r.config = resource_config(&r.cr, json);
    if (unknown_attr)
        assert_int_equal(
            cty_object_set(r.config, unknown_attr, cty_unknown_new(cty_type_string())), 0);
    r.planned = cty_value_clone(r.config);
    assert_int_equal(schema_apply_defaults(r.cr.c, r.planned), 0);
    const char *computed[] = {"metrics_filter_id", "dashboard_body", "id", "arn", "console_url"};
    for (size_t i = 0; i < sizeof computed / sizeof computed[0]; i++)
        if (cty_value_is_null(cty_value_attr(r.planned, computed[i])))
            assert_int_equal(cty_object_set(r.planned, computed[i],
                                            cty_unknown_new(cty_type_string())), 0);
    r.cr.r->modify_plan(&ctx, NULL, r.config, r.planned);
    assert_int_equal(d.n, 0);
    return r;
}

static void planned_clean_up(struct planned *r)
{
    cty_value_destroy(r->planned);
    cty_value_destroy(r->config);
    schema_compiled_destroy(r->cr.c);
}

static bool attr_is_null(const struct cty_value *v, const char *name)
{
    const struct cty_value *a = cty_value_attr(v, name);
    return a && cty_value_is_known(a) && cty_value_is_null(a);
}

static void bucket_plan_defaults_the_filter_and_drops_the_path(void **state)
{
    (void)state;
    struct planned r = plan_create("{\"name\":\"d\",\"bucket_name\":\"lsms-live\"}", NULL);
    assert_string_equal(cty_attr_string(r.planned, "metrics_filter_id"), "EntireBucket");
    assert_true(attr_is_null(r.planned, "stream_path"));
    const char *body = cty_attr_string(r.planned, "dashboard_body");
    assert_non_null(body);
    assert_non_null(strstr(body, "[\"AWS/S3\",\"PutRequests\",\"BucketName\",\"lsms-live\","
                                 "\"FilterId\",\"EntireBucket\""));
    assert_non_null(strstr(body, "\"region\":\"eu-west-1\""));
    assert_null(strstr(body, "/aws/mediastore/"));
    planned_clean_up(&r);

    r = plan_create("{\"name\":\"d\",\"bucket_name\":\"lsms-live\",\"metrics_filter_id\":\"hls\","
                    "\"region\":\"us-west-2\"}",
                    NULL);
    assert_string_equal(cty_attr_string(r.planned, "metrics_filter_id"), "hls");
    body = cty_attr_string(r.planned, "dashboard_body");
    assert_non_null(strstr(body, "\"FilterId\",\"hls\""));
    assert_non_null(strstr(body, "\"region\":\"us-west-2\""));
    planned_clean_up(&r);
}

static void container_plan_has_no_filter(void **state)
{
    (void)state;
    struct planned r = plan_create("{\"name\":\"d\",\"container_name\":\"live\"}", NULL);
    assert_true(attr_is_null(r.planned, "metrics_filter_id"));
    assert_string_equal(cty_attr_string(r.planned, "stream_path"), "/stream/index");
    assert_non_null(strstr(cty_attr_string(r.planned, "dashboard_body"),
                           "SOURCE '/aws/mediastore/live'"));
    planned_clean_up(&r);
}

/* bucket_name = lsms_bucket.x.name before the bucket exists: the origin is
 * known to be a bucket, the body waits for the name. */
static void unknown_bucket_leaves_the_body_for_apply(void **state)
{
    (void)state;
    struct planned r = plan_create("{\"name\":\"d\"}", "bucket_name");
    assert_string_equal(cty_attr_string(r.planned, "metrics_filter_id"), "EntireBucket");
    assert_true(attr_is_null(r.planned, "stream_path"));
    assert_false(cty_value_is_known(cty_value_attr(r.planned, "dashboard_body")));
    planned_clean_up(&r);
    r = plan_create("{\"name\":\"d\",\"bucket_name\":\"lsms-live\"}", "metrics_filter_id");
    assert_false(cty_value_is_known(cty_value_attr(r.planned, "metrics_filter_id")));
    assert_false(cty_value_is_known(cty_value_attr(r.planned, "dashboard_body")));
    planned_clean_up(&r);
}

/* An update from a container to a bucket: the prior stream path and the
 * container body give way to the bucket's. */
static void switching_origin_replans_everything_derived(void **state)
{
    (void)state;
    struct lsms_provider_data pd = {.region = "eu-west-1"};
    struct diags d = {0};
    struct resource_ctx ctx = {.provider_data = &pd, .diags = &d};
    struct planned before = plan_create("{\"name\":\"d\",\"container_name\":\"live\"}", NULL);
    struct cty_value *config =
        resource_config(&before.cr, "{\"name\":\"d\",\"bucket_name\":\"b-1\"}");
    /* The framework's proposal: the prior state with the config's arguments. */
    struct cty_value *planned = cty_value_clone(before.planned);
    assert_int_equal(cty_object_set(planned, "container_name", cty_null_new(cty_type_string())), 0);
    assert_int_equal(cty_object_set(planned, "bucket_name", cty_string_new("b-1")), 0);
    assert_int_equal(cty_object_set(planned, "dashboard_body", cty_unknown_new(cty_type_string())),
                     0);
    before.cr.r->modify_plan(&ctx, before.planned, config, planned);
    assert_int_equal(d.n, 0);
    assert_true(attr_is_null(planned, "stream_path"));
    assert_string_equal(cty_attr_string(planned, "metrics_filter_id"), "EntireBucket");
    assert_non_null(strstr(cty_attr_string(planned, "dashboard_body"), "\"BucketName\",\"b-1\""));
    cty_value_destroy(planned);
    cty_value_destroy(config);
    planned_clean_up(&before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(one_origin_passes),
        cmocka_unit_test(both_or_neither_origin_is_refused),
        cmocka_unit_test(each_origin_refuses_the_other_ones_arguments),
        cmocka_unit_test(bad_values_point_at_the_attribute),
        cmocka_unit_test(unknown_origin_is_judged_once_known),
        cmocka_unit_test(bucket_plan_defaults_the_filter_and_drops_the_path),
        cmocka_unit_test(container_plan_has_no_filter),
        cmocka_unit_test(unknown_bucket_leaves_the_body_for_apply),
        cmocka_unit_test(switching_origin_replans_everything_derived),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
