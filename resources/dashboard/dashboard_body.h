/*
 * dashboard_body.h - the CloudWatch dashboard body lsms_dashboard deploys.
 *
 * The body mirrors the seed solution's dashboard: a text header, then the
 * ten data points of its README. For a MediaStore container they are Logs
 * Insights widgets over the container's access-log group
 * (/aws/mediastore/<container>); for an S3 bucket, metric widgets over the
 * bucket's S3 request metrics (AWS/S3, BucketName + FilterId). CloudFront
 * metric widgets follow when a distribution id is given. The widgets of both
 * origins are one const table in the .c file.
 */
#ifndef LSMS_RESOURCES_DASHBOARD_BODY_H
#define LSMS_RESOURCES_DASHBOARD_BODY_H

#include <stddef.h>

/* Inputs, all borrowed. Exactly one origin: container_name (with
 * stream_path, matched with Logs Insights `like` as the seed does,
 * "/stream/index") or bucket_name (with metrics_filter_id, the id of the
 * bucket's request-metrics configuration). region is where the origin's logs
 * or metrics are. distribution_id may be NULL or "" (no CloudFront widgets). */
struct dashboard_body_params {
    const char *container_name;
    const char *region;
    const char *stream_path;
    const char *distribution_id;
    const char *bucket_name;
    const char *metrics_filter_id;
};

/* Number of widgets in the body for these params (text + the origin's ten
 * data points, plus the CloudFront widgets when a distribution id is set). */
size_t dashboard_body_widget_count(const struct dashboard_body_params *p);

/*
 * Builds the dashboard body as compact JSON with sorted keys (the same bytes
 * json_normalize would give), so equal inputs give identical bytes. Returns a
 * malloc'd string owned by the caller, or NULL when both or neither origin is
 * given, a required input is missing, an input contains characters that
 * cannot be embedded in a Logs Insights query (a double or single quote, a
 * backslash, a newline), or memory runs out; `*error` (if non-NULL) then
 * points to a static explanation.
 */
char *dashboard_body_build(const struct dashboard_body_params *p, const char **error);

/* The inputs recovered from a body this module built (import): every string
 * malloc'd and owned; the other origin's fields NULL; distribution_id NULL
 * when the body has no CloudFront widgets. */
struct dashboard_body_inputs {
    char *container_name;
    char *region;
    char *stream_path;
    char *distribution_id;
    char *bucket_name;
    char *metrics_filter_id;
};

/*
 * Reads the inputs back from a dashboard body. A container dashboard: the
 * container from the log widgets' `SOURCE '/aws/mediastore/<name>'`, the
 * region from their `region`, the stream path from the first
 * `Path like "<path>"`. A bucket dashboard: the bucket and filter from an
 * AWS/S3 metric's BucketName and FilterId dimensions, the region from that
 * widget's `region`. Either: the distribution id from a CloudFront metric's
 * DistributionId dimension. Returns 0, or -1 (out zeroed) when the body does
 * not parse, names neither origin completely, or names both.
 */
int dashboard_body_parse(const char *json, struct dashboard_body_inputs *out);
void dashboard_body_inputs_clean_up(struct dashboard_body_inputs *in);

#endif
