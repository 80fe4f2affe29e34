/*
 * dashboard_body.c - the seed solution's CloudWatch dashboard as one table.
 *
 * MediaStore access logs (one JSON event per request) carry Operation, Path,
 * HTTPStatus, TurnAroundTime and TotalTime; every log widget is a Logs
 * Insights query over them. Text in the table uses {placeholders} that are
 * expanded per dashboard:
 *   {log_group}  /aws/mediastore/<container>
 *   {container}  the container name
 *   {path}       the stream path matched with `like`
 *   {region}     the dashboard's region
 */
#include "resources/dashboard_body.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/json_equal.h"

enum dashboard_widget_kind { WIDGET_END = 0, WIDGET_TEXT, WIDGET_LOG, WIDGET_METRIC };

struct dashboard_widget {
    enum dashboard_widget_kind kind;
    int x, y, width, height;
    const char *title;
    /* WIDGET_TEXT: markdown; WIDGET_LOG: query after the SOURCE clause. */
    const char *text;
    /* WIDGET_METRIC: CloudFront metric name and statistic. */
    const char *metric;
    const char *stat;
};

#define LOG_HEIGHT 6
#define LOG_WIDTH 12

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

static const struct dashboard_widget dashboard_widgets[] = {
    {.kind = WIDGET_TEXT, .x = 0, .y = 0, .width = 24, .height = 3,
     .text = "# Live Streaming on AWS with MediaStore: {container}\n"
             "Ingress (MediaLive writing HLS segments and manifests) and egress (CloudFront "
             "reading them) of the MediaStore container **{container}**, from its access logs "
             "in the CloudWatch Logs group `{log_group}`. The widgets stay empty unless access "
             "logging is enabled on the container (`access_logging = true` on `lsms_container`) "
             "and MediaStore has an IAM role that lets it write to CloudWatch Logs."},
    {.kind = WIDGET_LOG, .x = 0, .y = 3, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Ingress TPM (Transactions Per Minute)",
     .text = "filter (Path like \"{path}\") and (Operation=\"PutObject\") "
             "| stats count(*) as TPM by bin(1m)"},
    {.kind = WIDGET_LOG, .x = 12, .y = 3, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Egress TPM (Transactions Per Minute)",
     .text = "filter (Path like \"{path}\") and (Operation=\"GetObject\") "
             "| stats count(*) as TPM by bin(1m)"},
    {.kind = WIDGET_LOG, .x = 0, .y = 9, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "PutObject Latencies (Successful Requests)",
     .text = "filter (Path like \"{path}\") and (Operation=\"PutObject\") and " STATUS_2XX
             " | " LATENCY_STATS},
    {.kind = WIDGET_LOG, .x = 12, .y = 9, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "GetObject Latencies (Successful Requests)",
     .text = "filter (Path like \"{path}\") and (Operation=\"GetObject\") and " STATUS_2XX
             " | " LATENCY_STATS},
    {.kind = WIDGET_LOG, .x = 0, .y = 15, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Ingress 2xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_2XX
             " | stats count(*) as Count by Operation, bin(1m)"},
    {.kind = WIDGET_LOG, .x = 12, .y = 15, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Egress 2xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_2XX
             " | stats count(*) as Count by Operation, bin(1m)"},
    {.kind = WIDGET_LOG, .x = 0, .y = 21, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Ingress 4xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_4XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .x = 12, .y = 21, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Egress 4xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_4XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .x = 0, .y = 27, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Ingress 5xx Status Count by Operation",
     .text = "filter " INGRESS_OPS " and " STATUS_5XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    {.kind = WIDGET_LOG, .x = 12, .y = 27, .width = LOG_WIDTH, .height = LOG_HEIGHT,
     .title = "Egress 5xx Status Count by Operation",
     .text = "filter " EGRESS_OPS " and " STATUS_5XX
             " | stats count(*) as Count by Operation, HTTPStatus, bin(1m)"},
    /* CloudFront publishes its metrics in us-east-1 with Region=Global. */
    {.kind = WIDGET_METRIC, .x = 0, .y = 33, .width = 6, .height = 6,
     .title = "CloudFront Requests", .metric = "Requests", .stat = "Sum"},
    {.kind = WIDGET_METRIC, .x = 6, .y = 33, .width = 6, .height = 6,
     .title = "CloudFront Bytes Downloaded", .metric = "BytesDownloaded", .stat = "Sum"},
    {.kind = WIDGET_METRIC, .x = 12, .y = 33, .width = 6, .height = 6,
     .title = "CloudFront 4xx Error Rate", .metric = "4xxErrorRate", .stat = "Average"},
    {.kind = WIDGET_METRIC, .x = 18, .y = 33, .width = 6, .height = 6,
     .title = "CloudFront 5xx Error Rate", .metric = "5xxErrorRate", .stat = "Average"},
    {0}};

#define CLOUDFRONT_METRICS_REGION "us-east-1"

static bool dashboard_text_is_safe(const char *s)
{
    return s && *s && strpbrk(s, "\"'\\\n\r") == NULL;
}

static bool dashboard_has_distribution(const struct dashboard_body_params *p)
{
    return p->distribution_id && *p->distribution_id;
}

size_t dashboard_body_widget_count(const struct dashboard_body_params *p)
{
    size_t n = 0;
    for (const struct dashboard_widget *w = dashboard_widgets; w->kind != WIDGET_END; w++)
        if (w->kind != WIDGET_METRIC || dashboard_has_distribution(p))
            n++;
    return n;
}

/* Expands the {placeholders} of `tmpl` into out. Returns 0 or -1 (memory). */
static int dashboard_template_expand(struct buf *out, const char *tmpl,
                                     const struct dashboard_body_params *p)
{
    static const char *const names[] = {"{log_group}", "{container}", "{path}", "{region}"};
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
            default: rc = buf_append_str(out, p->region); break;
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

static int dashboard_add_metric_properties(cJSON *props, const struct dashboard_widget *w,
                                           const struct dashboard_body_params *p)
{
    cJSON *metrics = cJSON_AddArrayToObject(props, "metrics");
    cJSON *line = cJSON_CreateArray();
    if (!metrics || !line) {
        cJSON_Delete(line);
        return -1;
    }
    cJSON_AddItemToArray(metrics, line);
    const char *const parts[] = {"AWS/CloudFront", w->metric, "DistributionId",
                                 p->distribution_id, "Region", "Global"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        cJSON *s = cJSON_CreateString(parts[i]);
        if (!s)
            return -1;
        cJSON_AddItemToArray(line, s);
    }
    if (!cJSON_AddNumberToObject(props, "period", 60) ||
        !cJSON_AddStringToObject(props, "region", CLOUDFRONT_METRICS_REGION) ||
        !cJSON_AddStringToObject(props, "stat", w->stat) ||
        !cJSON_AddStringToObject(props, "title", w->title) ||
        !cJSON_AddStringToObject(props, "view", "timeSeries"))
        return -1;
    return 0;
}

static int dashboard_add_widget(cJSON *widgets, const struct dashboard_widget *w,
                                const struct dashboard_body_params *p)
{
    static const char *const kinds[] = {[WIDGET_TEXT] = "text", [WIDGET_LOG] = "log",
                                        [WIDGET_METRIC] = "metric"};
    cJSON *obj = cJSON_CreateObject();
    if (!obj)
        return -1;
    cJSON_AddItemToArray(widgets, obj);
    cJSON *props = cJSON_AddObjectToObject(obj, "properties");
    if (!props || !cJSON_AddStringToObject(obj, "type", kinds[w->kind]) ||
        !cJSON_AddNumberToObject(obj, "x", w->x) || !cJSON_AddNumberToObject(obj, "y", w->y) ||
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

char *dashboard_body_build(const struct dashboard_body_params *p, const char **error)
{
    const char *unused;
    if (!error)
        error = &unused;
    if (!p || !dashboard_text_is_safe(p->container_name) || !dashboard_text_is_safe(p->region) ||
        !dashboard_text_is_safe(p->stream_path)) {
        *error = "container name, region and stream path must be set and may not contain "
                 "quotes, backslashes or line breaks";
        return NULL;
    }
    if (dashboard_has_distribution(p) && !dashboard_text_is_safe(p->distribution_id)) {
        *error = "the distribution id may not contain quotes, backslashes or line breaks";
        return NULL;
    }
    *error = "out of memory building the dashboard body";
    cJSON *root = cJSON_CreateObject();
    cJSON *widgets = root ? cJSON_AddArrayToObject(root, "widgets") : NULL;
    char *out = NULL;
    if (!widgets)
        goto done;
    for (const struct dashboard_widget *w = dashboard_widgets; w->kind != WIDGET_END; w++) {
        if (w->kind == WIDGET_METRIC && !dashboard_has_distribution(p))
            continue;
        if (dashboard_add_widget(widgets, w, p) != 0)
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

/* The value after "DistributionId" in the widget's first metric line. */
static void dashboard_parse_metric_widget(const cJSON *w, struct dashboard_body_inputs *out)
{
    const cJSON *line = cJSON_GetArrayItem(dashboard_widget_property(w, "metrics"), 0);
    const cJSON *item;
    bool next_is_id = false;
    cJSON_ArrayForEach(item, line)
    {
        const char *s = cJSON_GetStringValue(item);
        if (next_is_id && s && *s && !out->distribution_id) {
            out->distribution_id = strdup(s);
            return;
        }
        next_is_id = s && strcmp(s, "DistributionId") == 0;
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
    if (out->container_name && out->region && out->stream_path)
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
    memset(in, 0, sizeof *in);
}
