/*
 * dashboard_body.c - the seed solution's CloudWatch dashboard as one table.
 *
 * Two origins, one table. A MediaStore container's access logs (one JSON
 * event per request) carry Operation, Path, HTTPStatus, TurnAroundTime and
 * TotalTime, so every data point is a Logs Insights query over them. An S3
 * bucket has no such log in CloudWatch; its request metrics (AWS/S3, per
 * BucketName and FilterId, one-minute data points; S3 user guide, "Metrics
 * and dimensions") count requests per operation (PutRequests, GetRequests)
 * but give latencies (FirstByteLatency, TotalRequestLatency) and errors
 * (4xxErrors, 5xxErrors) for all operations together, and have no 2xx
 * metric. The bucket widgets say so in their titles and the header, and
 * derive the 2xx counts with metric math (below).
 *
 * Text in the table uses {placeholders} that are expanded per dashboard:
 *   {log_group}  /aws/mediastore/<container>
 *   {container}  the container name
 *   {path}       the stream path matched with `like`
 *   {region}     the dashboard's region
 *   {bucket}     the bucket name
 *   {filter}     the bucket's request-metrics filter id
 */
#include "resources/dashboard/dashboard_body.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/json_equal.h"

enum dashboard_widget_kind { WIDGET_END = 0, WIDGET_TEXT, WIDGET_LOG, WIDGET_METRIC };

/* The dashboards a widget belongs to (a bit set). */
enum dashboard_origin {
    FOR_CONTAINER = 1 << 0,
    FOR_BUCKET = 1 << 1,
    FOR_ANY = FOR_CONTAINER | FOR_BUCKET,
};

/* Whose namespace and dimensions the lines of a metric widget carry. */
enum dashboard_metrics { METRICS_NONE = 0, METRICS_CLOUDFRONT, METRICS_S3 };

/*
 * One line of a metric widget: `metric` of the widget's namespace and
 * dimensions, or `expression`, metric math over the other lines' ids. id,
 * stat (overriding the widget's), label and hidden become the line's
 * rendering properties; a line with none of them is written without any.
 */
struct dashboard_line {
    const char *metric;
    const char *expression;
    const char *id;
    const char *stat;
    const char *label;
    bool hidden;
};

struct dashboard_widget {
    enum dashboard_widget_kind kind;
    unsigned origins; /* enum dashboard_origin bits */
    /* For FOR_ANY widgets y counts from the bottom of the origin's widgets. */
    int x, y, width, height;
    const char *title;
    /* WIDGET_TEXT: markdown; WIDGET_LOG: query after the SOURCE clause. */
    const char *text;
    /* WIDGET_METRIC: whose dimensions, the widget's statistic, the lines. */
    enum dashboard_metrics metrics;
    const char *stat;
    const struct dashboard_line *lines;
};

#define LOG_HEIGHT 6
#define LOG_WIDTH 12
#define METRIC_HEIGHT 6
#define METRIC_WIDTH 12
/* S3 request metrics are published per minute: a one-minute Sum of
 * PutRequests is the ingress transactions per minute. */
#define METRIC_PERIOD_S 60
#define S3_TEXT_HEIGHT 7
#define S3_ROW(n) (S3_TEXT_HEIGHT + (n) * METRIC_HEIGHT)

/* Successful, client-error and server-error status filters. */
#define STATUS_2XX "(HTTPStatus like /2\\d\\d/)"
#define STATUS_4XX "(HTTPStatus like /4\\d\\d/)"
#define STATUS_5XX "(HTTPStatus like /5\\d\\d/)"
#define INGRESS_OPS "(Operation=\"PutObject\" or Operation=\"DeleteObject\")"
#define EGRESS_OPS "(Operation=\"GetObject\")"
#define LATENCY_STATS                                                                          \
    "stats avg(TurnAroundTime) as AvgTurnAroundTime, pct(TurnAroundTime, 99) as "              \
    "P99TurnAroundTime, avg(TotalTime) as AvgTotalTime, pct(TotalTime, 99) as P99TotalTime "   \
    "by bin(1m)"

/* Average and p99 of one S3 latency metric. */
#define S3_LATENCY_LINES(m)                                                        \
    ((const struct dashboard_line[]){                                              \
        {.metric = m, .stat = "Average", .label = m " average"},                   \
        {.metric = m, .stat = "p99", .label = m " p99"},                           \
        {0}})

/*
 * S3 has no 2xx metric and does not split errors by operation, so the count
 * of PUT (or GET) requests that did not fail is known only as a range: at
 * most the requests themselves, at least the requests less every 4xx and 5xx
 * of the filter (all of them could have been this operation's), floored at
 * zero. Metric math treats a missing data point as 0 in arithmetic
 * (CloudWatch user guide, "Metric math syntax and functions"), and IF(ts < 0,
 * 0, ts) is its documented `IF(TS comparison S, S, TS)` form.
 */
#define S3_DERIVED_2XX_LINES(requests, op)                                         \
    ((const struct dashboard_line[]){                                              \
        {.metric = requests, .id = "requests",                                     \
         .label = op " requests: at most this many 2xx"},                          \
        {.metric = "4xxErrors", .id = "errors4xx", .hidden = true},                \
        {.metric = "5xxErrors", .id = "errors5xx", .hidden = true},                \
        {.expression = "requests - errors4xx - errors5xx", .id = "rest",           \
         .hidden = true},                                                          \
        {.expression = "IF(rest < 0, 0, rest)", .id = "atleast",                   \
         .label = op " requests less every 4xx and 5xx of the filter: at least "   \
                     "this many 2xx"},                                             \
        {0}})

static const struct dashboard_widget dashboard_widgets[] = {
    /* ---- MediaStore container: Logs Insights over its access logs ---- */
    {.kind = WIDGET_TEXT, .origins = FOR_CONTAINER, .x = 0, .y = 0, .width = 24, .height = 3,
     .text = "# Live Streaming on AWS with MediaStore: {container}\n"
             "Ingress (MediaLive writing HLS segments and manifests) and egress (CloudFront "
             "reading them) of the MediaStore container **{container}**, from its access logs "
             "in the CloudWatch Logs group `{log_group}`. The widgets stay empty unless access "
             "logging is enabled on the container (`access_logging = true` on `lsms_container`) "
             "and MediaStore has an IAM role that lets it write to CloudWatch Logs."},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 0, .y = 3, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Ingress TPM (Transactions Per Minute)",
     .text = "filter (Path like \"{path}\") and (Operation=\"PutObject\") "
             "| stats count(*) as TPM by bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 12, .y = 3, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Egress TPM (Transactions Per Minute)",
     .text = "filter (Path like \"{path}\") and (Operation=\"GetObject\") "
             "| stats count(*) as TPM by bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 0, .y = 9, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "PutObject Latencies (Successful Requests)",
     .text = "filter (Path like \"{path}\") and (Operation=\"PutObject\") and " STATUS_2XX
             " | " LATENCY_STATS},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 12, .y = 9, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "GetObject Latencies (Successful Requests)",
     .text = "filter (Path like \"{path}\") and (Operation=\"GetObject\") and " STATUS_2XX
             " | " LATENCY_STATS},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 0, .y = 15, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Ingress 2xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_2XX
             " | stats count(*) as Count by Operation, bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 12, .y = 15, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Egress 2xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_2XX
             " | stats count(*) as Count by Operation, bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 0, .y = 21, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Ingress 4xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_4XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 12, .y = 21, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Egress 4xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_4XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 0, .y = 27, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Ingress 5xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_5XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .origins = FOR_CONTAINER, .x = 12, .y = 27, .width = LOG_WIDTH,
     .height = LOG_HEIGHT, .title = "Egress 5xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_5XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},

    /* ---- S3 bucket: its request metrics. The seed's ten data points map to
     * eight widgets: S3 cannot tell ingress latency or errors from egress
     * ones, so each of those pairs is one honest widget instead of two
     * identical ones. ---- */
    {.kind = WIDGET_TEXT, .origins = FOR_BUCKET, .x = 0, .y = 0, .width = 24,
     .height = S3_TEXT_HEIGHT,
     .text = "# Live Streaming on AWS with Amazon S3: {bucket}\n"
             "Ingress (MediaLive writing HLS segments and manifests) and egress (CloudFront "
             "reading them) of the S3 bucket **{bucket}**, from its S3 request metrics: "
             "namespace `AWS/S3`, dimensions BucketName `{bucket}` and FilterId `{filter}`, "
             "one-minute data points in {region}. The widgets stay empty unless the bucket has "
             "the request-metrics configuration `{filter}` (`request_metrics = true` on "
             "`lsms_bucket`); S3 bills these metrics and delivers them on a best-effort "
             "basis.\n\n"
             "S3 counts requests per operation, but not latencies or errors: the **latency** "
             "widgets (average and p99) cover every request of the filter, PUTs from MediaLive "
             "and GETs from CloudFront alike, failed ones included, and the **4xx** and **5xx** "
             "widgets (`4xxErrors`, `5xxErrors`, Sum) count the errors of every operation, "
             "ingress and egress together. S3 has no 2xx metric: the **2xx** widgets are "
             "derived with metric math as a range per minute, at most `PutRequests` (ingress) "
             "or `GetRequests` (egress), at least that count less every 4xx and 5xx of the "
             "filter, `IF(rest < 0, 0, rest)` with `rest = requests - errors4xx - errors5xx`. "
             "A request answered 3xx (such as 304 Not Modified to a CloudFront revalidation) "
             "counts as not failed."},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 0, .y = S3_ROW(0),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Ingress TPM (PutRequests per minute)", .metrics = METRICS_S3, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "PutRequests", .label = "PutRequests"},
                                              {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 12, .y = S3_ROW(0),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Egress TPM (GetRequests per minute)", .metrics = METRICS_S3, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "GetRequests", .label = "GetRequests"},
                                              {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 0, .y = S3_ROW(1),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Time to First Byte, ms (all requests: PUT and GET together)",
     .metrics = METRICS_S3, .stat = "Average", .lines = S3_LATENCY_LINES("FirstByteLatency")},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 12, .y = S3_ROW(1),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Total Request Latency, ms (all requests: PUT and GET together)",
     .metrics = METRICS_S3, .stat = "Average", .lines = S3_LATENCY_LINES("TotalRequestLatency")},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 0, .y = S3_ROW(2),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Ingress 2xx Status Count (derived: PutRequests less errors)",
     .metrics = METRICS_S3, .stat = "Sum", .lines = S3_DERIVED_2XX_LINES("PutRequests", "PUT")},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 12, .y = S3_ROW(2),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "Egress 2xx Status Count (derived: GetRequests less errors)",
     .metrics = METRICS_S3, .stat = "Sum", .lines = S3_DERIVED_2XX_LINES("GetRequests", "GET")},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 0, .y = S3_ROW(3),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "4xx Status Count (every operation: ingress and egress together)",
     .metrics = METRICS_S3, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "4xxErrors", .label = "4xxErrors"},
                                              {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_BUCKET, .x = 12, .y = S3_ROW(3),
     .width = METRIC_WIDTH, .height = METRIC_HEIGHT,
     .title = "5xx Status Count (every operation: ingress and egress together)",
     .metrics = METRICS_S3, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "5xxErrors", .label = "5xxErrors"},
                                              {0}}},

    /* ---- CloudFront, with distribution_id: below either origin's widgets.
     * CloudFront publishes its metrics in us-east-1 with Region=Global. ---- */
    {.kind = WIDGET_METRIC, .origins = FOR_ANY, .x = 0, .y = 0, .width = 6, .height = 6,
     .title = "CloudFront Requests", .metrics = METRICS_CLOUDFRONT, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "Requests"}, {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_ANY, .x = 6, .y = 0, .width = 6, .height = 6,
     .title = "CloudFront Bytes Downloaded", .metrics = METRICS_CLOUDFRONT, .stat = "Sum",
     .lines = (const struct dashboard_line[]){{.metric = "BytesDownloaded"}, {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_ANY, .x = 12, .y = 0, .width = 6, .height = 6,
     .title = "CloudFront 4xx Error Rate", .metrics = METRICS_CLOUDFRONT, .stat = "Average",
     .lines = (const struct dashboard_line[]){{.metric = "4xxErrorRate"}, {0}}},
    {.kind = WIDGET_METRIC, .origins = FOR_ANY, .x = 18, .y = 0, .width = 6, .height = 6,
     .title = "CloudFront 5xx Error Rate", .metrics = METRICS_CLOUDFRONT, .stat = "Average",
     .lines = (const struct dashboard_line[]){{.metric = "5xxErrorRate"}, {0}}},
    {0}};

#define CLOUDFRONT_METRICS_REGION "us-east-1"

static bool dashboard_text_is_safe(const char *s)
{
    return s && *s && strpbrk(s, "\"'\\\n\r") == NULL;
}

static bool dashboard_has(const char *s)
{
    return s && *s;
}

static enum dashboard_origin dashboard_origin_of(const struct dashboard_body_params *p)
{
    return dashboard_has(p->bucket_name) ? FOR_BUCKET : FOR_CONTAINER;
}

/* Whether widget w is part of the dashboard for p. */
static bool dashboard_widget_wanted(const struct dashboard_widget *w,
                                    const struct dashboard_body_params *p)
{
    if (!(w->origins & dashboard_origin_of(p)))
        return false;
    return w->metrics != METRICS_CLOUDFRONT || dashboard_has(p->distribution_id);
}

/* The lowest edge of the origin's own widgets: where shared widgets start. */
static int dashboard_origin_bottom(enum dashboard_origin origin)
{
    int bottom = 0;
    for (const struct dashboard_widget *w = dashboard_widgets; w->kind != WIDGET_END; w++)
        if (w->origins == (unsigned)origin && w->y + w->height > bottom)
            bottom = w->y + w->height;
    return bottom;
}

size_t dashboard_body_widget_count(const struct dashboard_body_params *p)
{
    size_t n = 0;
    for (const struct dashboard_widget *w = dashboard_widgets; w->kind != WIDGET_END; w++)
        if (dashboard_widget_wanted(w, p))
            n++;
    return n;
}

/* Expands the {placeholders} of `tmpl` into out. Returns 0 or -1 (memory). */
static int dashboard_template_expand(struct buf *out, const char *tmpl,
                                     const struct dashboard_body_params *p)
{
    static const char *const names[] = {"{log_group}", "{container}", "{path}",
                                        "{region}",    "{bucket}",    "{filter}"};
    for (const char *s = tmpl; *s;) {
        bool replaced = false;
        for (size_t i = 0; i < sizeof names / sizeof names[0] && *s == '{'; i++) {
            size_t len = strlen(names[i]);
            if (strncmp(s, names[i], len) != 0)
                continue;
            int rc;
            switch (i) {
            case 0: rc = buf_printf(out, "/aws/mediastore/%s", p->container_name); break;
            case 1: rc = buf_append_str(out, p->container_name); break;
            case 2: rc = buf_append_str(out, p->stream_path); break;
            case 3: rc = buf_append_str(out, p->region); break;
            case 4: rc = buf_append_str(out, p->bucket_name); break;
            default: rc = buf_append_str(out, p->metrics_filter_id); break;
            }
            if (rc != 0)
                return -1;
            s += len;
            replaced = true;
            break;
        }
        if (!replaced && buf_append_char(out, *s++) != 0)
            return -1;
    }
    return 0;
}

/* Adds string property `name` with the expanded template; 0 or -1. */
static int dashboard_add_expanded(cJSON *obj, const char *name, const char *tmpl,
                                  const struct dashboard_body_params *p)
{
    struct buf b = {0};
    int rc = -1;
    if (dashboard_template_expand(&b, tmpl, p) == 0 && b.data &&
        cJSON_AddStringToObject(obj, name, b.data))
        rc = 0;
    buf_clean_up(&b);
    return rc;
}

static int dashboard_add_log_properties(cJSON *props, const struct dashboard_widget *w,
                                        const struct dashboard_body_params *p)
{
    struct buf q = {0};
    int rc = -1;
    if (buf_printf(&q, "SOURCE '/aws/mediastore/%s' | ", p->container_name) == 0 &&
        dashboard_template_expand(&q, w->text, p) == 0 &&
        cJSON_AddStringToObject(props, "query", q.data) &&
        cJSON_AddStringToObject(props, "region", p->region) &&
        cJSON_AddStringToObject(props, "title", w->title) &&
        cJSON_AddStringToObject(props, "view", "timeSeries"))
        rc = 0;
    buf_clean_up(&q);
    return rc;
}

/* Appends string s to array a; 0 or -1. */
static int dashboard_array_add_string(cJSON *a, const char *s)
{
    cJSON *item = cJSON_CreateString(s);
    if (!item)
        return -1;
    cJSON_AddItemToArray(a, item);
    return 0;
}

/* The rendering properties of line l, or NULL (and *rc 0) when it has none. */
static cJSON *dashboard_line_options(const struct dashboard_line *l, int *rc)
{
    *rc = 0;
    if (!l->expression && !l->id && !l->stat && !l->label && !l->hidden)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o || (l->expression && !cJSON_AddStringToObject(o, "expression", l->expression)) ||
        (l->id && !cJSON_AddStringToObject(o, "id", l->id)) ||
        (l->label && !cJSON_AddStringToObject(o, "label", l->label)) ||
        (l->stat && !cJSON_AddStringToObject(o, "stat", l->stat)) ||
        (l->hidden && !cJSON_AddFalseToObject(o, "visible"))) {
        cJSON_Delete(o);
        *rc = -1;
        return NULL;
    }
    return o;
}

/* One entry of the widget's metrics array: [namespace, metric, dimension
 * name, value, ..., options] or, for an expression, [options]. */
static int dashboard_add_metric_line(cJSON *metrics, const struct dashboard_widget *w,
                                     const struct dashboard_line *l,
                                     const struct dashboard_body_params *p)
{
    cJSON *line = cJSON_CreateArray();
    if (!line)
        return -1;
    cJSON_AddItemToArray(metrics, line);
    if (!l->expression) {
        const char *const cloudfront[] = {"AWS/CloudFront", l->metric, "DistributionId",
                                          p->distribution_id, "Region", "Global"};
        const char *const s3[] = {"AWS/S3",   l->metric, "BucketName", p->bucket_name,
                                  "FilterId", p->metrics_filter_id};
        bool is_s3 = w->metrics == METRICS_S3;
        const char *const *parts = is_s3 ? s3 : cloudfront;
        size_t n = is_s3 ? sizeof s3 / sizeof s3[0] : sizeof cloudfront / sizeof cloudfront[0];
        for (size_t i = 0; i < n; i++)
            if (dashboard_array_add_string(line, parts[i]) != 0)
                return -1;
    }
    int rc;
    cJSON *options = dashboard_line_options(l, &rc);
    if (options)
        cJSON_AddItemToArray(line, options);
    return rc;
}

static int dashboard_add_metric_properties(cJSON *props, const struct dashboard_widget *w,
                                           const struct dashboard_body_params *p)
{
    cJSON *metrics = cJSON_AddArrayToObject(props, "metrics");
    if (!metrics)
        return -1;
    for (const struct dashboard_line *l = w->lines; l->metric || l->expression; l++)
        if (dashboard_add_metric_line(metrics, w, l, p) != 0)
            return -1;
    const char *region = w->metrics == METRICS_S3 ? p->region : CLOUDFRONT_METRICS_REGION;
    if (!cJSON_AddNumberToObject(props, "period", METRIC_PERIOD_S) ||
        !cJSON_AddStringToObject(props, "region", region) ||
        !cJSON_AddStringToObject(props, "stat", w->stat) ||
        !cJSON_AddStringToObject(props, "title", w->title) ||
        !cJSON_AddStringToObject(props, "view", "timeSeries"))
        return -1;
    return 0;
}

static int dashboard_add_widget(cJSON *widgets, const struct dashboard_widget *w,
                                const struct dashboard_body_params *p, int y_offset)
{
    static const char *const kinds[] = {[WIDGET_TEXT] = "text", [WIDGET_LOG] = "log",
                                        [WIDGET_METRIC] = "metric"};
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return -1;
    cJSON_AddItemToArray(widgets, obj);
    cJSON *props = cJSON_AddObjectToObject(obj, "properties");
    if (!props || !cJSON_AddStringToObject(obj, "type", kinds[w->kind]) ||
        !cJSON_AddNumberToObject(obj, "x", w->x) ||
        !cJSON_AddNumberToObject(obj, "y", w->y + y_offset) ||
        !cJSON_AddNumberToObject(obj, "width", w->width) ||
        !cJSON_AddNumberToObject(obj, "height", w->height))
        return -1;
    switch (w->kind) {
    case WIDGET_TEXT: return dashboard_add_expanded(props, "markdown", w->text, p);
    case WIDGET_LOG: return dashboard_add_log_properties(props, w, p);
    case WIDGET_METRIC: return dashboard_add_metric_properties(props, w, p);
    default: return -1;
    }
}

/* NULL when p names one origin with safe inputs, else why not. */
static const char *dashboard_params_problem(const struct dashboard_body_params *p)
{
    if (!p)
        return "no inputs";
    bool container = dashboard_has(p->container_name), bucket = dashboard_has(p->bucket_name);
    if (container == bucket)
        return "exactly one of container name and bucket name must be set";
    if (!dashboard_text_is_safe(p->region))
        return "the region must be set and may not contain quotes, backslashes or line breaks";
    if (container && (!dashboard_text_is_safe(p->container_name) ||
                      !dashboard_text_is_safe(p->stream_path)))
        return "container name, region and stream path must be set and may not contain "
               "quotes, backslashes or line breaks";
    if (bucket && (!dashboard_text_is_safe(p->bucket_name) ||
                   !dashboard_text_is_safe(p->metrics_filter_id)))
        return "bucket name and metrics filter id must be set and may not contain quotes, "
               "backslashes or line breaks";
    if (dashboard_has(p->distribution_id) && !dashboard_text_is_safe(p->distribution_id))
        return "the distribution id may not contain quotes, backslashes or line breaks";
    return NULL;
}

char *dashboard_body_build(const struct dashboard_body_params *p, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    *error = dashboard_params_problem(p);
    if (*error)
        return NULL;
    *error = "out of memory building the dashboard body";
    cJSON *root = cJSON_CreateObject();
    cJSON *widgets = root ? cJSON_AddArrayToObject(root, "widgets") : NULL;
    char *out = NULL;
    if (!widgets)
        goto done;
    const int shared_y = dashboard_origin_bottom(dashboard_origin_of(p));
    for (const struct dashboard_widget *w = dashboard_widgets; w->kind != WIDGET_END; w++) {
        if (!dashboard_widget_wanted(w, p))
            continue;
        if (dashboard_add_widget(widgets, w, p, w->origins == FOR_ANY ? shared_y : 0) != 0)
            goto done;
    }
    json_tree_sort_keys(root);
    out = cJSON_PrintUnformatted(root);
    if (out)
        *error = NULL;
done:
    cJSON_Delete(root);
    return out;
}

#define LOG_SOURCE_PREFIX "SOURCE '/aws/mediastore/"
#define PATH_LIKE_PREFIX "Path like \""

/* A copy of the text after `prefix` in `s` up to `end`, or NULL. */
static char *dashboard_text_between(const char *s, const char *prefix, char end)
{
    const char *start = s ? strstr(s, prefix) : NULL;
    if (!start)
        return NULL;
    start += strlen(prefix);
    const char *stop = strchr(start, end);
    if (!stop || stop == start)
        return NULL;
    return strndup(start, (size_t)(stop - start));
}

static const cJSON *dashboard_widget_property(const cJSON *widget, const char *name)
{
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(widget, "properties"), name);
}

/* Fills what a log widget tells, keeping what earlier widgets gave. */
static void dashboard_parse_log_widget(const cJSON *w, struct dashboard_body_inputs *out)
{
    const char *query = cJSON_GetStringValue(dashboard_widget_property(w, "query"));
    const char *region = cJSON_GetStringValue(dashboard_widget_property(w, "region"));
    if (!query || strncmp(query, LOG_SOURCE_PREFIX, strlen(LOG_SOURCE_PREFIX)) != 0)
        return;
    if (!out->container_name)
        out->container_name = dashboard_text_between(query, LOG_SOURCE_PREFIX, '\'');
    if (!out->region && region && *region)
        out->region = strdup(region);
    if (!out->stream_path)
        out->stream_path = dashboard_text_between(query, PATH_LIKE_PREFIX, '"');
}

/* A copy of the value after dimension `name` in metric line `line`, or NULL. */
static char *dashboard_line_dimension(const cJSON *line, const char *name)
{
    const cJSON *item;
    bool next_is_value = false;
    cJSON_ArrayForEach(item, line)
    {
        const char *s = cJSON_GetStringValue(item);
        if (next_is_value)
            return s && *s ? strdup(s) : NULL;
        next_is_value = s && strcmp(s, name) == 0;
    }
    return NULL;
}

/* Fills what a metric widget's first line tells: the distribution of a
 * CloudFront metric, the bucket, filter and region of an S3 one. */
static void dashboard_parse_metric_widget(const cJSON *w, struct dashboard_body_inputs *out)
{
    const cJSON *line = cJSON_GetArrayItem(dashboard_widget_property(w, "metrics"), 0);
    const char *ns = cJSON_GetStringValue(cJSON_GetArrayItem(line, 0));
    if (ns && strcmp(ns, "AWS/CloudFront") == 0 && !out->distribution_id) {
        out->distribution_id = dashboard_line_dimension(line, "DistributionId");
    } else if (ns && strcmp(ns, "AWS/S3") == 0 && !out->bucket_name) {
        const char *region = cJSON_GetStringValue(dashboard_widget_property(w, "region"));
        out->bucket_name = dashboard_line_dimension(line, "BucketName");
        out->metrics_filter_id = dashboard_line_dimension(line, "FilterId");
        if (!out->region && region && *region)
            out->region = strdup(region);
    }
}

int dashboard_body_parse(const char *json, struct dashboard_body_inputs *out)
{
    memset(out, 0, sizeof *out);
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    const cJSON *widget;
    cJSON_ArrayForEach(widget, cJSON_GetObjectItemCaseSensitive(root, "widgets"))
    {
        const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(widget, "type"));
        if (type && strcmp(type, "log") == 0)
            dashboard_parse_log_widget(widget, out);
        else if (type && strcmp(type, "metric") == 0)
            dashboard_parse_metric_widget(widget, out);
    }
    cJSON_Delete(root);
    bool container = out->container_name && out->stream_path;
    bool bucket = out->bucket_name && out->metrics_filter_id;
    /* One origin, whole: a body naming both (or half of one) is not ours. */
    if (out->region && container != bucket && !(container ? out->bucket_name : out->container_name))
        return 0;
    dashboard_body_inputs_clean_up(out);
    return -1;
}

void dashboard_body_inputs_clean_up(struct dashboard_body_inputs *in)
{
    free(in->container_name);
    free(in->region);
    free(in->stream_path);
    free(in->distribution_id);
    free(in->bucket_name);
    free(in->metrics_filter_id);
    memset(in, 0, sizeof *in);
}
