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

/* Import reads the inputs back from a body this module built. */
static void parse_recovers_the_inputs(void **state)
{
    (void)state;
    const struct dashboard_body_params with_cf = {.container_name = "concert",
                                                  .region = "eu-west-1",
                                                  .stream_path = "/live/main",
                                                  .distribution_id = "E2QWRUHAPOMQZL"};
    const struct dashboard_body_params *cases[] = {&base, &with_cf};
    for (size_t i = 0; i < 2; i++) {
        char *body = dashboard_body_build(cases[i], NULL);
        assert_non_null(body);
        struct dashboard_body_inputs in;
        assert_int_equal(dashboard_body_parse(body, &in), 0);
        assert_string_equal(in.container_name, cases[i]->container_name);
        assert_string_equal(in.region, cases[i]->region);
        assert_string_equal(in.stream_path, cases[i]->stream_path);
        if (cases[i]->distribution_id)
            assert_string_equal(in.distribution_id, cases[i]->distribution_id);
        else
            assert_null(in.distribution_id);
        /* Rebuilding from what was parsed gives the same bytes. */
        const struct dashboard_body_params again = {
            .container_name = in.container_name, .region = in.region,
            .stream_path = in.stream_path, .distribution_id = in.distribution_id};
        char *rebuilt = dashboard_body_build(&again, NULL);
        assert_string_equal(rebuilt, body);
        free(rebuilt);
        dashboard_body_inputs_clean_up(&in);
        free(body);
    }
}

static void parse_refuses_foreign_bodies(void **state)
{
    (void)state;
    const char *foreign[] = {
        NULL,
        "not json",
        "{}",
        "{\"widgets\":[{\"type\":\"text\",\"properties\":{\"markdown\":\"hi\"}}]}",
        /* A log widget over another log group. */
        "{\"widgets\":[{\"type\":\"log\",\"properties\":{\"query\":\"SOURCE '/aws/lambda/f' | "
        "filter (Path like \\\"/x\\\")\",\"region\":\"us-east-1\"}}]}",
        /* Ours, but no region. */
        "{\"widgets\":[{\"type\":\"log\",\"properties\":{\"query\":\"SOURCE "
        "'/aws/mediastore/c' | filter (Path like \\\"/x\\\")\"}}]}",
    };
    for (size_t i = 0; i < sizeof foreign / sizeof foreign[0]; i++) {
        struct dashboard_body_inputs in;
        assert_int_equal(dashboard_body_parse(foreign[i], &in), -1);
        assert_null(in.container_name);
        assert_null(in.region);
        assert_null(in.stream_path);
        assert_null(in.distribution_id);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_header_and_ten_log_widgets),
        cmocka_unit_test(every_log_query_reads_the_container_log_group),
        cmocka_unit_test(distribution_adds_cloudfront_widgets),
        cmocka_unit_test(output_is_deterministic_and_normalised),
        cmocka_unit_test(unsafe_or_missing_inputs_are_refused),
        cmocka_unit_test(parse_recovers_the_inputs),
        cmocka_unit_test(parse_refuses_foreign_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
