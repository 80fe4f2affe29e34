/* Tests for resources/dashboard_body: the seed dashboard generated from inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "resources/dashboard_body.h"
#include "util/json_equal.h"

static const struct dashboard_body_params base = {
    .container_name = "concert", .region = "eu-west-1", .stream_path = "/stream/index"};

static cJSON *build_tree(const struct dashboard_body_params *p)
{
    const char *err = NULL;
    char *s = dashboard_body_build(p, &err);
    assert_non_null(s);
    assert_null(err);
    cJSON *t = cJSON_Parse(s);
    free(s);
    assert_non_null(t);
    return t;
}

static int count_type(const cJSON *widgets, const char *type)
{
    int n = 0;
    const cJSON *w;
    cJSON_ArrayForEach(w, widgets)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(w, "type");
        if (cJSON_IsString(t) && strcmp(t->valuestring, type) == 0)
            n++;
    }
    return n;
}

static void text_header_and_ten_log_widgets(void **state)
{
    (void)state;
    cJSON *t = build_tree(&base);
    cJSON *widgets = cJSON_GetObjectItemCaseSensitive(t, "widgets");
    assert_int_equal(cJSON_GetArraySize(widgets), 11);
    assert_int_equal(dashboard_body_widget_count(&base), 11);
    assert_int_equal(count_type(widgets, "text"), 1);
    assert_int_equal(count_type(widgets, "log"), 10);
    assert_int_equal(count_type(widgets, "metric"), 0);
    /* The header comes first and names the log group and the logging requirement. */
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(widgets, 0), "properties"), "markdown");
    assert_true(cJSON_IsString(md));
    assert_non_null(strstr(md->valuestring, "/aws/mediastore/concert"));
    assert_non_null(strstr(md->valuestring, "access logging"));
    cJSON_Delete(t);
}

static void every_log_query_reads_the_container_log_group(void **state)
{
    (void)state;
    cJSON *t = build_tree(&base);
    const cJSON *w;
    int titles_with_tpm = 0, latency = 0;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(t, "widgets"))
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(w, "type")->valuestring, "log") != 0)
            continue;
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(w, "properties");
        const char *q = cJSON_GetObjectItemCaseSensitive(p, "query")->valuestring;
        const char *title = cJSON_GetObjectItemCaseSensitive(p, "title")->valuestring;
        assert_int_equal(strncmp(q, "SOURCE '/aws/mediastore/concert' | ", 35), 0);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "region")->valuestring,
                            "eu-west-1");
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(p, "view")->valuestring,
                            "timeSeries");
        if (strstr(title, "TPM")) {
            titles_with_tpm++;
            assert_non_null(strstr(q, "Path like \"/stream/index\""));
            assert_non_null(strstr(q, "stats count(*) as TPM by bin(1m)"));
        }
        if (strstr(title, "Latencies")) {
            latency++;
            assert_non_null(strstr(q, "pct(TurnAroundTime, 99)"));
            assert_non_null(strstr(q, "avg(TotalTime)"));
            assert_non_null(strstr(q, "HTTPStatus like /2\\d\\d/"));
        }
    }
    assert_int_equal(titles_with_tpm, 2);
    assert_int_equal(latency, 2);
    cJSON_Delete(t);
}

static void distribution_adds_cloudfront_widgets(void **state)
{
    (void)state;
    struct dashboard_body_params p = base;
    p.distribution_id = "E2QWRUHAPOMQZL";
    cJSON *t = build_tree(&p);
    cJSON *widgets = cJSON_GetObjectItemCaseSensitive(t, "widgets");
    assert_int_equal(count_type(widgets, "metric"), 4);
    assert_int_equal(cJSON_GetArraySize(widgets), 15);
    assert_int_equal(dashboard_body_widget_count(&p), 15);
    const cJSON *w;
    int found_requests = 0;
    cJSON_ArrayForEach(w, widgets)
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(w, "type")->valuestring, "metric") != 0)
            continue;
        const cJSON *props = cJSON_GetObjectItemCaseSensitive(w, "properties");
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(props, "region")->valuestring,
                            "us-east-1");
        const cJSON *line = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(props, "metrics"), 0);
        assert_string_equal(cJSON_GetArrayItem(line, 0)->valuestring, "AWS/CloudFront");
        assert_string_equal(cJSON_GetArrayItem(line, 2)->valuestring, "DistributionId");
        assert_string_equal(cJSON_GetArrayItem(line, 3)->valuestring, "E2QWRUHAPOMQZL");
        assert_string_equal(cJSON_GetArrayItem(line, 5)->valuestring, "Global");
        if (strcmp(cJSON_GetArrayItem(line, 1)->valuestring, "Requests") == 0)
            found_requests++;
    }
    assert_int_equal(found_requests, 1);
    cJSON_Delete(t);

    p.distribution_id = "";
    t = build_tree(&p);
    assert_int_equal(count_type(cJSON_GetObjectItemCaseSensitive(t, "widgets"), "metric"), 0);
    cJSON_Delete(t);
}

static void output_is_deterministic_and_normalised(void **state)
{
    (void)state;
    char *a = dashboard_body_build(&base, NULL);
    char *b = dashboard_body_build(&base, NULL);
    assert_string_equal(a, b);
    char *n = json_normalize(a);
    assert_string_equal(n, a);
    struct dashboard_body_params other = base;
    other.container_name = "other";
    char *c = dashboard_body_build(&other, NULL);
    assert_false(json_equal(a, c));
    assert_null(strstr(c, "/aws/mediastore/concert"));
    free(a);
    free(b);
    free(c);
    free(n);
}

static void unsafe_or_missing_inputs_are_refused(void **state)
{
    (void)state;
    const char *err = NULL;
    struct dashboard_body_params p = base;
    p.stream_path = "/x\") or (1=1";
    assert_null(dashboard_body_build(&p, &err));
    assert_non_null(err);
    p = base;
    p.container_name = NULL;
    assert_null(dashboard_body_build(&p, &err));
    p = base;
    p.region = "";
    assert_null(dashboard_body_build(&p, &err));
    p = base;
    p.distribution_id = "E1'";
    assert_null(dashboard_body_build(&p, &err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_header_and_ten_log_widgets),
        cmocka_unit_test(every_log_query_reads_the_container_log_group),
        cmocka_unit_test(distribution_adds_cloudfront_widgets),
        cmocka_unit_test(output_is_deterministic_and_normalised),
        cmocka_unit_test(unsafe_or_missing_inputs_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
