/* Tests for resources/dashboard/dashboard_body: the seed dashboard generated from inputs,
 * for a MediaStore container (Logs Insights) and an S3 bucket (request
 * metrics). */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "resources/dashboard/dashboard_body.h"
#include "util/json_equal.h"

static const struct dashboard_body_params base = {
    .container_name = "concert", .region = "eu-west-1", .stream_path = "/stream/index"};
static const struct dashboard_body_params bucket = {
    .bucket_name = "lsms-concert", .metrics_filter_id = "EntireBucket", .region = "eu-west-2"};

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


/* Before the S3 origin the CloudFront row sat at y = 33 under the container
 * widgets; existing dashboards must keep the same body (no update after an
 * upgrade). */
static void container_layout_is_unchanged(void **state)
{
    (void)state;
    struct dashboard_body_params p = base;
    p.distribution_id = "E2QWRUHAPOMQZL";
    cJSON *t = build_tree(&p);
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(t, "widgets"))
    {
        const char *type = cJSON_GetObjectItemCaseSensitive(w, "type")->valuestring;
        int y = cJSON_GetObjectItemCaseSensitive(w, "y")->valueint;
        if (strcmp(type, "metric") == 0)
            assert_int_equal(y, 33);
        else
            assert_true(y < 33);
    }
    cJSON_Delete(t);
}

/* ---- S3 bucket ---- */

static const cJSON *prop(const cJSON *widget, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(widget, "properties"),
                                            name);
}

static const char *prop_string(const cJSON *widget, const char *name)
{
    const cJSON *v = prop(widget, name);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* The rendering-properties object at the end of a metrics line, or NULL. */
static const cJSON *line_options(const cJSON *line)
{
    const cJSON *last = cJSON_GetArrayItem(line, cJSON_GetArraySize(line) - 1);
    return cJSON_IsObject(last) ? last : NULL;
}

static const char *line_option(const cJSON *line, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(line_options(line), name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The widget whose title starts with `prefix`. */
static const cJSON *widget_titled(const cJSON *root, const char *prefix)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(root, "widgets"))
    {
        const cJSON *title = prop(w, "title");
        if (cJSON_IsString(title) && strncmp(title->valuestring, prefix, strlen(prefix)) == 0)
            return w;
    }
    fail_msg("no widget titled %s...", prefix);
    return NULL;
}

static void bucket_body_has_header_and_eight_metric_widgets(void **state)
{
    (void)state;
    cJSON *t = build_tree(&bucket);
    cJSON *widgets = cJSON_GetObjectItemCaseSensitive(t, "widgets");
    assert_int_equal(cJSON_GetArraySize(widgets), 9);
    assert_int_equal(dashboard_body_widget_count(&bucket), 9);
    assert_int_equal(count_type(widgets, "text"), 1);
    assert_int_equal(count_type(widgets, "metric"), 8);
    assert_int_equal(count_type(widgets, "log"), 0);
    /* The header names the metrics and says how the 2xx counts are derived. */
    const cJSON *first = cJSON_GetArrayItem(widgets, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(first, "type")->valuestring, "text");
    const char *md = prop_string(first, "markdown");
    const char *must[] = {"**lsms-concert**", "`AWS/S3`", "FilterId `EntireBucket`",
                          "eu-west-2", "request_metrics = true", "PutRequests", "GetRequests",
                          "`IF(rest < 0, 0, rest)`", "rest = requests - errors4xx - errors5xx",
                          "every request of the filter", "every operation", "3xx"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
        if (!strstr(md, must[i]))
            fail_msg("header lacks %s", must[i]);
    assert_null(strstr(md, "mediastore"));
    cJSON_Delete(t);
}

/* Every metric line is AWS/S3 with the bucket's two dimensions, every widget
 * one-minute periods in the bucket's region; which metrics each shows. */
static void bucket_metrics_dimensions_period_region(void **state)
{
    (void)state;
    cJSON *t = build_tree(&bucket);
    const cJSON *w;
    int metric_lines = 0;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(t, "widgets"))
    {
        if (strcmp(cJSON_GetObjectItemCaseSensitive(w, "type")->valuestring, "metric") != 0)
            continue;
        assert_string_equal(prop_string(w, "region"), "eu-west-2");
        assert_int_equal(prop(w, "period")->valueint, 60);
        assert_string_equal(prop_string(w, "view"), "timeSeries");
        const cJSON *line;
        cJSON_ArrayForEach(line, prop(w, "metrics"))
        {
            if (line_option(line, "expression"))
                continue;
            metric_lines++;
            assert_int_equal(cJSON_GetArraySize(line), 7); /* 6 strings + options */
            assert_string_equal(cJSON_GetArrayItem(line, 0)->valuestring, "AWS/S3");
            assert_string_equal(cJSON_GetArrayItem(line, 2)->valuestring, "BucketName");
            assert_string_equal(cJSON_GetArrayItem(line, 3)->valuestring, "lsms-concert");
            assert_string_equal(cJSON_GetArrayItem(line, 4)->valuestring, "FilterId");
            assert_string_equal(cJSON_GetArrayItem(line, 5)->valuestring, "EntireBucket");
        }
    }
    assert_int_equal(metric_lines, 2 + 4 + 2 * 3 + 2);

    /* Ingress / egress TPM: one-minute Sums of PutRequests / GetRequests. */
    const struct {
        const char *title, *metric;
    } tpm[] = {{"Ingress TPM", "PutRequests"}, {"Egress TPM", "GetRequests"}};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *tw = widget_titled(t, tpm[i].title);
        assert_string_equal(prop_string(tw, "stat"), "Sum");
        assert_int_equal(cJSON_GetArraySize(prop(tw, "metrics")), 1);
        const cJSON *line = cJSON_GetArrayItem(prop(tw, "metrics"), 0);
        assert_string_equal(cJSON_GetArrayItem(line, 1)->valuestring, tpm[i].metric);
    }
    /* Latencies: average and p99 of FirstByteLatency and TotalRequestLatency,
     * titled as covering every request. */
    const char *latency[] = {"FirstByteLatency", "TotalRequestLatency"};
    const char *latency_title[] = {"Time to First Byte", "Total Request Latency"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *lw = widget_titled(t, latency_title[i]);
        assert_non_null(strstr(prop_string(lw, "title"), "all requests"));
        const cJSON *metrics = prop(lw, "metrics");
        assert_int_equal(cJSON_GetArraySize(metrics), 2);
        assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(metrics, 0), 1)->valuestring,
                            latency[i]);
        assert_string_equal(cJSON_GetArrayItem(cJSON_GetArrayItem(metrics, 1), 1)->valuestring,
                            latency[i]);
        assert_string_equal(line_option(cJSON_GetArrayItem(metrics, 0), "stat"), "Average");
        assert_string_equal(line_option(cJSON_GetArrayItem(metrics, 1), "stat"), "p99");
    }
    /* Errors: Sums of 4xxErrors / 5xxErrors, titled as every operation's. */
    const char *errors[] = {"4xxErrors", "5xxErrors"};
    const char *error_title[] = {"4xx Status Count", "5xx Status Count"};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *ew = widget_titled(t, error_title[i]);
        assert_non_null(strstr(prop_string(ew, "title"), "every operation"));
        assert_string_equal(prop_string(ew, "stat"), "Sum");
        const cJSON *line = cJSON_GetArrayItem(prop(ew, "metrics"), 0);
        assert_string_equal(cJSON_GetArrayItem(line, 1)->valuestring, errors[i]);
    }
    cJSON_Delete(t);
}

/* Whether `id` is the id of a line of metrics array `metrics`. */
static bool has_line_id(const cJSON *metrics, const char *id, size_t len)
{
    const cJSON *line;
    cJSON_ArrayForEach(line, metrics)
    {
        const char *lid = line_option(line, "id");
        if (lid && strlen(lid) == len && strncmp(lid, id, len) == 0)
            return true;
    }
    return false;
}

/* The 2xx widgets: at most the requests, at least the requests less every
 * error, floored at 0; the helper lines hidden, every identifier of an
 * expression defined in the same widget, ids valid for metric math. */
static void bucket_2xx_counts_are_derived_with_metric_math(void **state)
{
    (void)state;
    cJSON *t = build_tree(&bucket);
    const struct {
        const char *title, *requests;
    } sides[] = {{"Ingress 2xx", "PutRequests"}, {"Egress 2xx", "GetRequests"}};
    for (size_t i = 0; i < 2; i++) {
        const cJSON *w = widget_titled(t, sides[i].title);
        assert_non_null(strstr(prop_string(w, "title"), "derived"));
        const cJSON *metrics = prop(w, "metrics");
        const char *seen_metric[3] = {0};
        int visible = 0, n_metric = 0;
        const cJSON *line;
        cJSON_ArrayForEach(line, metrics)
        {
            const char *id = line_option(line, "id");
            assert_non_null(id);
            assert_true(islower((unsigned char)id[0]));
            for (const char *c = id; *c; c++)
                assert_true(isalnum((unsigned char)*c) || *c == '_');
            const cJSON *vis = cJSON_GetObjectItemCaseSensitive(line_options(line), "visible");
            if (!cJSON_IsFalse(vis))
                visible++;
            const char *expr = line_option(line, "expression");
            if (!expr) {
                assert_true(n_metric < 3);
                seen_metric[n_metric++] = cJSON_GetArrayItem(line, 1)->valuestring;
                continue;
            }
            /* Lower-case words are line ids (functions are upper case). */
            for (const char *c = expr; *c;) {
                if (islower((unsigned char)*c)) {
                    const char *start = c;
                    while (isalnum((unsigned char)*c) || *c == '_')
                        c++;
                    if (!has_line_id(metrics, start, (size_t)(c - start)))
                        fail_msg("%s: undefined id in %s", sides[i].title, expr);
                } else {
                    c++;
                }
            }
        }
        assert_int_equal(n_metric, 3);
        assert_string_equal(seen_metric[0], sides[i].requests);
        assert_string_equal(seen_metric[1], "4xxErrors");
        assert_string_equal(seen_metric[2], "5xxErrors");
        assert_int_equal(visible, 2); /* the requests (upper) and the floor (lower) */
        assert_int_equal(cJSON_GetArraySize(metrics), 5);
        assert_string_equal(line_option(cJSON_GetArrayItem(metrics, 3), "expression"),
                            "requests - errors4xx - errors5xx");
        assert_string_equal(line_option(cJSON_GetArrayItem(metrics, 4), "expression"),
                            "IF(rest < 0, 0, rest)");
        assert_non_null(strstr(line_option(cJSON_GetArrayItem(metrics, 0), "label"), "at most"));
        assert_non_null(strstr(line_option(cJSON_GetArrayItem(metrics, 4), "label"), "at least"));
    }
    cJSON_Delete(t);
}

/* No two widgets overlap, none leaves the 24-column grid; the CloudFront row
 * starts right below either origin's widgets. */
static void layouts_do_not_overlap(void **state)
{
    (void)state;
    struct dashboard_body_params with_cf[] = {base, bucket};
    for (size_t k = 0; k < 2; k++) {
        with_cf[k].distribution_id = "E2QWRUHAPOMQZL";
        cJSON *t = build_tree(&with_cf[k]);
        cJSON *widgets = cJSON_GetObjectItemCaseSensitive(t, "widgets");
        int n = cJSON_GetArraySize(widgets), origin_bottom = 0, cf_top = 1 << 20;
        for (int i = 0; i < n; i++) {
            const cJSON *a = cJSON_GetArrayItem(widgets, i);
            int ax = cJSON_GetObjectItemCaseSensitive(a, "x")->valueint;
            int ay = cJSON_GetObjectItemCaseSensitive(a, "y")->valueint;
            int aw = cJSON_GetObjectItemCaseSensitive(a, "width")->valueint;
            int ah = cJSON_GetObjectItemCaseSensitive(a, "height")->valueint;
            assert_true(ax >= 0 && ax + aw <= 24 && ay >= 0 && aw > 0 && ah > 0);
            const cJSON *title = prop(a, "title");
            if (cJSON_IsString(title) && strncmp(title->valuestring, "CloudFront", 10) == 0)
                cf_top = ay < cf_top ? ay : cf_top;
            else if (ay + ah > origin_bottom)
                origin_bottom = ay + ah;
            for (int j = i + 1; j < n; j++) {
                const cJSON *b = cJSON_GetArrayItem(widgets, j);
                int bx = cJSON_GetObjectItemCaseSensitive(b, "x")->valueint;
                int by = cJSON_GetObjectItemCaseSensitive(b, "y")->valueint;
                int bw = cJSON_GetObjectItemCaseSensitive(b, "width")->valueint;
                int bh = cJSON_GetObjectItemCaseSensitive(b, "height")->valueint;
                bool apart = ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay;
                if (!apart)
                    fail_msg("widgets %d and %d overlap", i, j);
            }
        }
        assert_int_equal(cf_top, origin_bottom);
        assert_int_equal(count_type(widgets, k == 0 ? "log" : "metric"), k == 0 ? 10 : 12);
        cJSON_Delete(t);
    }
}

static void exactly_one_origin_is_required(void **state)
{
    (void)state;
    const char *err = NULL;
    struct dashboard_body_params p = base;
    p.bucket_name = "lsms-x";
    p.metrics_filter_id = "EntireBucket";
    assert_null(dashboard_body_build(&p, &err));
    assert_non_null(strstr(err, "exactly one"));
    p = (struct dashboard_body_params){.region = "us-east-1"};
    err = NULL;
    assert_null(dashboard_body_build(&p, &err));
    assert_non_null(strstr(err, "exactly one"));
    p = bucket;
    p.metrics_filter_id = NULL;
    err = NULL;
    assert_null(dashboard_body_build(&p, &err));
    assert_non_null(err);
    p = bucket;
    p.bucket_name = "a\"b";
    assert_null(dashboard_body_build(&p, &err));
    p = bucket;
    p.region = NULL;
    assert_null(dashboard_body_build(&p, &err));
    /* A bucket dashboard ignores a stream path; it need not be set. */
    p = bucket;
    p.stream_path = NULL;
    char *ok = dashboard_body_build(&p, &err);
    assert_non_null(ok);
    free(ok);
}

static void parse_recovers_bucket_inputs(void **state)
{
    (void)state;
    struct dashboard_body_params cases[] = {bucket, bucket};
    cases[1].distribution_id = "E2QWRUHAPOMQZL";
    cases[1].metrics_filter_id = "live.stream_1";
    for (size_t i = 0; i < 2; i++) {
        char *body = dashboard_body_build(&cases[i], NULL);
        assert_non_null(body);
        struct dashboard_body_inputs in;
        assert_int_equal(dashboard_body_parse(body, &in), 0);
        assert_string_equal(in.bucket_name, "lsms-concert");
        assert_string_equal(in.metrics_filter_id, cases[i].metrics_filter_id);
        assert_string_equal(in.region, "eu-west-2");
        assert_null(in.container_name);
        assert_null(in.stream_path);
        if (cases[i].distribution_id)
            assert_string_equal(in.distribution_id, cases[i].distribution_id);
        else
            assert_null(in.distribution_id);
        const struct dashboard_body_params again = {
            .bucket_name = in.bucket_name, .metrics_filter_id = in.metrics_filter_id,
            .region = in.region, .distribution_id = in.distribution_id};
        char *rebuilt = dashboard_body_build(&again, NULL);
        assert_string_equal(rebuilt, body);
        free(rebuilt);
        dashboard_body_inputs_clean_up(&in);
        free(body);
    }
}

/* A body with both origins' widgets (not one this module builds) is refused. */
static void parse_refuses_a_body_with_both_origins(void **state)
{
    (void)state;
    cJSON *a = build_tree(&base);
    cJSON *b = build_tree(&bucket);
    cJSON *aw = cJSON_GetObjectItemCaseSensitive(a, "widgets");
    cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(b, "widgets"))
        cJSON_AddItemToArray(aw, cJSON_Duplicate(w, 1));
    char *both = cJSON_PrintUnformatted(a);
    struct dashboard_body_inputs in;
    assert_int_equal(dashboard_body_parse(both, &in), -1);
    assert_null(in.container_name);
    assert_null(in.bucket_name);
    free(both);
    cJSON_Delete(a);
    cJSON_Delete(b);
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
        cmocka_unit_test(container_layout_is_unchanged),
        cmocka_unit_test(bucket_body_has_header_and_eight_metric_widgets),
        cmocka_unit_test(bucket_metrics_dimensions_period_region),
        cmocka_unit_test(bucket_2xx_counts_are_derived_with_metric_math),
        cmocka_unit_test(layouts_do_not_overlap),
        cmocka_unit_test(exactly_one_origin_is_required),
        cmocka_unit_test(parse_recovers_bucket_inputs),
        cmocka_unit_test(parse_refuses_a_body_with_both_origins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
