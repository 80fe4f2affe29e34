/*
 * dashboard.c - lsms_dashboard: the Amazon CloudWatch dashboard over the
 * origin's traffic, a MediaStore container's access logs or an S3 bucket's
 * request metrics (and optionally the distribution's metrics).
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (plan, and later create/read/update/delete/
 * import). The body itself is built by dashboard_body.c.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/common.h"
#include "resources/dashboard/dashboard.h"
#include "resources/dashboard/dashboard_body.h"
#include "resources/provider.h"
#include "aws/endpoints.h"
#include "aws/protocol_json.h"
#include "util/buf.h"
#include "util/json_equal.h"

/* ======================= schema ======================= */

static const struct schema_attribute dashboard_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Dashboard name: letters, digits, `-` and `_`, 1 to 255 characters. "
                    "Changing it replaces the dashboard.",
     .validators = lsms_name_255_validators},
    {.name = "container_name", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Name of the MediaStore container whose access-log group "
                    "(`/aws/mediastore/<container_name>`) the widgets query. Exactly one of "
                    "`container_name` and `bucket_name`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]+$",
          .message = "a MediaStore container name"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 255,
          .message = "a MediaStore container name"},
         {0}}},
    {.name = "bucket_name", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Name of the S3 bucket (`lsms_bucket.<name>.name`) whose request metrics "
                    "(namespace `AWS/S3`, dimensions `BucketName` and `FilterId`) the widgets "
                    "show. Exactly one of `container_name` and `bucket_name`. CloudWatch does "
                    "not check that the bucket exists; the widgets stay empty until it has the "
                    "request-metrics configuration `metrics_filter_id`.",
     .validators = lsms_s3_bucket_name_validators},
    {.name = "metrics_filter_id", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Id of the bucket's S3 request-metrics configuration "
                    "(`lsms_bucket.<name>.metrics_filter_id`), the `FilterId` dimension of "
                    "the metrics. Only with `bucket_name`; default `EntireBucket`.",
     .validators = (const struct schema_validator[]){
         /* `*`, not `+`: an empty id gets the one length message. */
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9._-]*$",
          .message = "an S3 metrics configuration id: letters, digits, '.', '-' and '_'"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 64,
          .message = "an S3 metrics configuration id of 1 to 64 characters"},
         {0}}},
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Region of the container and its logs, or of the bucket and its metrics "
                    "(default: the provider's region).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
          .message = "an AWS region name such as us-east-1"},
         {0}}},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"/stream/index\"",
     .description = "Path the ingress and egress widgets match (Logs Insights `like`), as "
                    "logged by MediaStore: with a leading `/`. Only with `container_name` (S3 "
                    "request metrics are filtered by `metrics_filter_id` instead); null for a "
                    "bucket.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^/?[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a path such as /stream/index"},
         {0}}},
    {.name = "distribution_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "CloudFront distribution ID; adds request, bytes and error-rate widgets.",
     .validators = lsms_distribution_id_validators},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The dashboard name."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the dashboard."},
    {.name = "dashboard_body", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The dashboard body JSON, generated from the arguments (compared "
                    "semantically on read)."},
    {.name = "console_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Link to the dashboard in the CloudWatch console."},
    {0}};

static const struct schema dashboard_schema = {
    .version = 0,
    .block = {.attributes = dashboard_attrs,
              .description = "An Amazon CloudWatch dashboard of the origin's ingress and "
                             "egress, as the seed solution deploys it: from a MediaStore "
                             "container's access logs (`container_name`), or from an S3 "
                             "bucket's request metrics (`bucket_name`)."},
};

/* ======================= operations ======================= */

static char *dashboard_console_url(const char *region, const char *name)
{
    struct buf url = {0};
    if (buf_printf(&url,
                   "https://%s.console.aws.amazon.com/cloudwatch/home?region=%s"
                   "#dashboards:name=%s",
                   region, region, name) != 0) {
        buf_clean_up(&url);
        return NULL;
    }
    return url.data;
}

#define DASHBOARD_DEFAULT_FILTER_ID "EntireBucket"

/* Known to be null, or absent. */
/* The body's inputs from `v` (config-shaped: state or plan). Returns false
 * when one of them is not known yet. */
static bool dashboard_params_from(const struct cty_value *v, struct dashboard_body_params *p)
{
    static const char *const inputs[] = {"container_name", "bucket_name",  "metrics_filter_id",
                                         "region",         "stream_path", "distribution_id"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const struct cty_value *a = cty_value_attr(v, inputs[i]);
        if (a && !cty_value_is_known(a))
            return false;
    }
    *p = (struct dashboard_body_params){
        .container_name = cty_attr_string(v, "container_name"),
        .region = cty_attr_string(v, "region"),
        .stream_path = cty_attr_string(v, "stream_path"),
        .distribution_id = cty_attr_string(v, "distribution_id"),
        .bucket_name = cty_attr_string(v, "bucket_name"),
        .metrics_filter_id = cty_attr_string(v, "metrics_filter_id"),
    };
    return true;
}

/* Exactly one origin; each origin's own arguments only with it. Judged on
 * known values only: an unknown one (`cond ? x : null` in a module) may
 * still turn out null. */
static void dashboard_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *container = cty_value_attr(config, "container_name");
    const struct cty_value *bucket = cty_value_attr(config, "bucket_name");
    if (resource_value_given(container) && resource_value_given(bucket))
        diags_error(d, "bucket_name", "Conflicting arguments",
                    "Set either container_name (a MediaStore origin) or bucket_name (an S3 "
                    "origin), not both.");
    else if (resource_value_absent(container) && resource_value_absent(bucket))
        diags_error(d, NULL, "Missing required argument",
                    "Set container_name (a MediaStore origin) or bucket_name (an S3 origin): "
                    "the dashboard watches one of them.");
    if (resource_value_given(container) && resource_value_absent(bucket) &&
        resource_value_given(cty_value_attr(config, "metrics_filter_id")))
        diags_error(d, "metrics_filter_id", "Argument not allowed for a container",
                    "metrics_filter_id names an S3 bucket's request-metrics configuration; it "
                    "is only used with bucket_name.");
    if (resource_value_given(bucket) && resource_value_absent(container) &&
        resource_value_given(cty_value_attr(config, "stream_path")))
        diags_error(d, "stream_path", "Argument not allowed for a bucket",
                    "stream_path filters a MediaStore container's access logs; S3 request "
                    "metrics are filtered by their configuration, metrics_filter_id, instead.");
}

/* Each origin's own computed arguments: metrics_filter_id defaults to
 * EntireBucket for a bucket and is null for a container; stream_path (whose
 * schema default is the container's) is null for a bucket. Nothing is
 * decided while both origins are unknown. */
static void dashboard_plan_origin(const struct cty_value *config, struct cty_value *planned)
{
    bool container = !resource_value_absent(cty_value_attr(config, "container_name"));
    bool bucket = !resource_value_absent(cty_value_attr(config, "bucket_name"));
    if (container == bucket)
        return;
    if (resource_value_absent(cty_value_attr(config, "metrics_filter_id")))
        (void)resource_set_string(planned, "metrics_filter_id",
                                  bucket ? DASHBOARD_DEFAULT_FILTER_ID : NULL);
    if (bucket && resource_value_absent(cty_value_attr(config, "stream_path")))
        (void)resource_set_string(planned, "stream_path", NULL);
}

/* At apply every input is known: settles a metrics_filter_id the plan could
 * not decide. 0 or -1 (memory). */
static int dashboard_origin_settle(struct cty_value *state)
{
    const struct cty_value *f = cty_value_attr(state, "metrics_filter_id");
    if (!f || cty_value_is_known(f))
        return 0;
    return resource_set_string(state, "metrics_filter_id",
                               cty_attr_string(state, "bucket_name") ? DASHBOARD_DEFAULT_FILTER_ID
                                                                     : NULL);
}

/* Everything computed here follows from the arguments, so the plan shows the
 * exact body and links; only arn waits for the apply. */
static void dashboard_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                  const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    const struct lsms_provider_data *pd = ctx ? ctx->provider_data : NULL;
    const char *name = cty_attr_string(config, "name");
    const struct cty_value *region_cfg = cty_value_attr(config, "region");
    if (pd && pd->region && region_cfg && cty_value_is_known(region_cfg) &&
        cty_value_is_null(region_cfg))
        lsms_plan_set_string(planned, "region", pd->region);
    if (name)
        lsms_plan_set_string(planned, "id", name);
    dashboard_plan_origin(config, planned);

    const char *region = cty_attr_string(planned, "region");
    if (name && region) {
        char *url = dashboard_console_url(region, name);
        /* Set even over a prior value: a new region moves the link. */
        if (url)
            resource_set_string(planned, "console_url", url);
        free(url);
    }

    struct dashboard_body_params p;
    if (dashboard_params_from(planned, &p)) {
        /* NULL when the inputs are refused: validation reports why. */
        char *body = dashboard_body_build(&p, NULL);
        /* Replace the planned body only when it differs, so an unchanged
         * dashboard keeps its prior value byte for byte. */
        const char *cur = cty_attr_string(planned, "dashboard_body");
        if (body && (!cur || strcmp(cur, body) != 0)) {
            struct cty_value *v = cty_string_new(body);
            if (v)
                (void)cty_object_set(planned, "dashboard_body", v);
        }
        free(body);
    }
    lsms_tags_all_plan(ctx, config, planned);
}

/* ---- CloudWatch calls (JSON 1.0; dashboards are global, so the provider's
 * region serves them all) ---- */

#define CLOUDWATCH "cloudwatch"
#define CW_TARGET(op) "GraniteServiceVersion20100801." op
#define CW_NOT_FOUND "ResourceNotFound"
#define CW_TAG_NOT_FOUND "ResourceNotFoundException"

/* The body generated from the inputs in `v` (state or plan), or NULL with a
 * diagnostic. */
static char *dashboard_body_from(const struct cty_value *v, struct diags *d)
{
    struct dashboard_body_params p;
    const char *why = "an input is not known yet";
    char *body = dashboard_params_from(v, &p) ? dashboard_body_build(&p, &why) : NULL;
    if (!body)
        diags_error(d, NULL, "Cannot build the dashboard body", "%s.", why);
    return body;
}

/* [{"Key": k, "Value": v}, ...] of a map(string) value; NULL on no memory. */
static cJSON *dashboard_tag_list(const struct cty_value *tags)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && tags && cty_value_is_known(tags) && i < cty_value_length(tags);
         i++) {
        cJSON *t = cJSON_CreateObject();
        const char *val = cty_value_string(cty_value_index(tags, i));
        cJSON_AddItemToArray(list, t);
        if (!t || !cJSON_AddStringToObject(t, "Key", cty_value_map_key(tags, i)) ||
            !cJSON_AddStringToObject(t, "Value", val ? val : "")) {
            cJSON_Delete(list);
            return NULL;
        }
    }
    return list;
}

/* PutDashboard warnings (DashboardValidationMessages) become warnings: the
 * dashboard was saved, but some widget may not render. */
static void dashboard_validation_warn(const cJSON *out, struct diags *d)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(out, "DashboardValidationMessages"))
    {
        const char *path = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "DataPath"));
        const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(m, "Message"));
        diags_add(d, DIAG_WARNING, NULL, "CloudWatch reported a problem in the dashboard body",
                  "%s: %s", path ? path : "(body)", msg ? msg : "(no message)");
    }
}

/* PutDashboard. `tags` (may be NULL) is sent only on creation: AWS ignores
 * Tags when the dashboard exists (TagResource changes them then). */
static int dashboard_put(struct aws_client *c, const char *name, const char *body,
                         const struct cty_value *tags, struct diags *d, struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    cJSON *out = NULL;
    int rc = -1;
    if (!in || !cJSON_AddStringToObject(in, "DashboardName", name) ||
        !cJSON_AddStringToObject(in, "DashboardBody", body)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    if (tags && cty_value_length(tags) > 0) {
        cJSON *list = dashboard_tag_list(tags);
        if (!list) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            goto done;
        }
        cJSON_AddItemToObject(in, "Tags", list);
    }
    rc = aws_json_call(c, CLOUDWATCH, CW_TARGET("PutDashboard"), in, &out, err);
    if (rc == 0)
        dashboard_validation_warn(out, d);
done:
    cJSON_Delete(in);
    cJSON_Delete(out);
    return rc;
}

int dashboard_get(struct aws_client *c, const char *name, cJSON **out,
                         struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "DashboardName", name)) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    int rc = aws_json_call(c, CLOUDWATCH, CW_TARGET("GetDashboard"), in, out, err);
    cJSON_Delete(in);
    return rc;
}

/* Calls a tagging operation on `arn` with `member` set to `items` (taken). */
static int dashboard_tag_call(struct aws_client *c, const char *op, const char *arn,
                              const char *member, cJSON *items, cJSON **out,
                              struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "ResourceARN", arn)) {
        cJSON_Delete(in);
        cJSON_Delete(items);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    if (items)
        cJSON_AddItemToObject(in, member, items);
    int rc = aws_json_call(c, CLOUDWATCH, op, in, out, err);
    cJSON_Delete(in);
    return rc;
}

/* Puts a copy of `v` under `key`; on no memory the entry is left out. */
static void dashboard_map_copy(struct cty_value *map, const char *key, const struct cty_value *v)
{
    struct cty_value *copy = cty_value_clone(v);
    if (copy)
        (void)cty_map_put(map, key, copy);
}

/* Makes the dashboard's tags `want` (a map) given that it had `had`:
 * UntagResource for dropped keys, TagResource for new or changed values. */
static int dashboard_tags_sync(struct aws_client *c, const char *arn, const struct cty_value *had,
                               const struct cty_value *want, struct aws_error *err)
{
    cJSON *drop = cJSON_CreateArray();
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *changed = t ? cty_collection_new(t) : NULL;
    cty_type_release(t);
    int rc = -1;
    if (!drop || !changed) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    for (size_t i = 0; had && cty_value_is_known(had) && i < cty_value_length(had); i++) {
        const char *k = cty_value_map_key(had, i);
        if (!cty_value_map_get(want, k))
            cJSON_AddItemToArray(drop, cJSON_CreateString(k));
    }
    for (size_t i = 0; want && i < cty_value_length(want); i++) {
        const char *k = cty_value_map_key(want, i);
        const struct cty_value *old = had ? cty_value_map_get(had, k) : NULL;
        if (!old || !cty_value_equal(old, cty_value_index(want, i)))
            dashboard_map_copy(changed, k, cty_value_index(want, i));
    }
    cJSON *out = NULL;
    rc = 0;
    if (cJSON_GetArraySize(drop) > 0) {
        rc = dashboard_tag_call(c, CW_TARGET("UntagResource"), arn, "TagKeys", drop, &out, err);
        drop = NULL;
        cJSON_Delete(out);
        out = NULL;
    }
    if (rc == 0 && cty_value_length(changed) > 0) {
        rc = dashboard_tag_call(c, CW_TARGET("TagResource"), arn, "Tags",
                                dashboard_tag_list(changed), &out, err);
        cJSON_Delete(out);
    }
done:
    cJSON_Delete(drop);
    cty_value_destroy(changed);
    return rc;
}

struct cty_value *dashboard_tags_list(struct aws_client *c, const char *arn,
                                             struct aws_error *err)
{
    cJSON *out = NULL;
    if (dashboard_tag_call(c, CW_TARGET("ListTagsForResource"), arn, NULL, NULL, &out, err) != 0)
        return NULL;
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *map = t ? cty_collection_new(t) : NULL;
    cty_type_release(t);
    const cJSON *tag;
    cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(out, "Tags"))
    {
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tag, "Key"));
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tag, "Value"));
        struct cty_value *sv = map && k ? cty_string_new(v ? v : "") : NULL;
        if (sv)
            (void)cty_map_put(map, k, sv);
    }
    cJSON_Delete(out);
    if (!map)
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    return map;
}

/* ---- create / read / update / delete / import ---- */

/* The dashboard's ARN, "arn:<partition>:cloudwatch::<account>:dashboard/<name>"
 * (CloudWatch API reference, DashboardEntry), built from what the provider
 * knows so that create needs no GetDashboard after PutDashboard. NULL when
 * the account id is unknown (skip_requesting_account_id). */
static char *dashboard_arn_new(const struct lsms_provider_data *pd, const char *region,
                               const char *name)
{
    if (!pd->account_id || !*pd->account_id || !region)
        return NULL;
    const char *partition = aws_region_partition(region);
    struct buf b = {0};
    if (buf_printf(&b, "arn:%s:cloudwatch::%s:dashboard/%s", partition, pd->account_id, name) !=
        0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

/* Refuses to take over a dashboard that already exists: PutDashboard would
 * silently overwrite it. Returns 0 when the name is free. */
static int dashboard_check_free(struct aws_client *c, const char *name, struct diags *d)
{
    struct aws_error err = {0};
    cJSON *out = NULL;
    int rc = dashboard_get(c, name, &out, &err);
    cJSON_Delete(out);
    if (rc == 0) {
        diags_error(d, "name", "Dashboard already exists",
                    "A CloudWatch dashboard named \"%s\" already exists. Import it with "
                    "`tofu import <address> %s` to manage it.",
                    name, name);
        return -1;
    }
    if (!aws_error_is(&err, CW_NOT_FOUND)) {
        resource_diag_aws(d, "name", "Cannot check the CloudWatch dashboard", &err);
        rc = -1;
    } else {
        rc = 0;
    }
    aws_error_clean_up(&err);
    return rc;
}

static enum resource_result dashboard_create(struct resource_ctx *ctx,
                                             const struct cty_value *config,
                                             struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    const char *name = cty_attr_string(state, "name");
    if (!pd || !name || dashboard_origin_settle(state) != 0)
        return RESOURCE_ERROR;
    char *body = dashboard_body_from(state, ctx->diags);
    if (!body || dashboard_check_free(pd->client, name, ctx->diags) != 0 ||
        resource_set_tags_all(pd, state) != 0) {
        free(body);
        return RESOURCE_ERROR;
    }
    struct aws_error err = {0};
    enum resource_result res = RESOURCE_ERROR;
    cJSON *got = NULL;
    if (dashboard_put(pd->client, name, body, cty_value_attr(state, "tags_all"), ctx->diags,
                      &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "Cannot create the CloudWatch dashboard", &err);
        goto done;
    }
    /* From here the dashboard exists: failures leave it tracked (tainted). */
    res = RESOURCE_PARTIAL;
    char *url = dashboard_console_url(cty_attr_string(state, "region"), name);
    int set = resource_set_string(state, "id", name) | resource_set_string(state, "console_url", url) |
              resource_set_string(state, "dashboard_body", body);
    free(url);
    if (set != 0)
        goto done;
    char *built = dashboard_arn_new(pd, cty_attr_string(state, "region"), name);
    if (built) {
        if (resource_set_string(state, "arn", built) == 0)
            res = RESOURCE_OK;
        free(built);
        goto done;
    }
    if (dashboard_get(pd->client, name, &got, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "Cannot read the new CloudWatch dashboard", &err);
        goto done;
    }
    const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(got, "DashboardArn"));
    if (resource_set_string(state, "arn", arn) == 0 && arn)
        res = RESOURCE_OK;
done:
    cJSON_Delete(got);
    aws_error_clean_up(&err);
    free(body);
    return res;
}

/* Import: the state holds only name/id; recover the inputs from the body. */
static int dashboard_adopt_inputs(struct cty_value *state, const char *remote, struct diags *d)
{
    struct dashboard_body_inputs in;
    if (dashboard_body_parse(remote, &in) != 0) {
        diags_error(d, NULL, "Not a dashboard this provider manages",
                    "The dashboard body has neither Logs Insights widgets over a "
                    "/aws/mediastore/<container> log group nor AWS/S3 request-metric widgets "
                    "of one bucket, so neither container_name nor bucket_name can be "
                    "recovered from it.");
        return -1;
    }
    int rc = resource_set_string(state, "container_name", in.container_name) |
             resource_set_string(state, "bucket_name", in.bucket_name) |
             resource_set_string(state, "metrics_filter_id", in.metrics_filter_id) |
             resource_set_string(state, "region", in.region) |
             resource_set_string(state, "stream_path", in.stream_path) |
             resource_set_string(state, "distribution_id", in.distribution_id);
    dashboard_body_inputs_clean_up(&in);
    return rc;
}

/* dashboard_body in state: the generated body when the remote one means the
 * same (no diff), otherwise the remote body normalised, so the plan, which
 * regenerates it from the inputs, shows the update that restores it. */
static int dashboard_body_refresh(struct cty_value *state, const char *remote, struct diags *d)
{
    char *generated = dashboard_body_from(state, d);
    if (!generated)
        return -1;
    int rc;
    if (json_equal(remote, generated)) {
        rc = resource_set_string(state, "dashboard_body", generated);
    } else {
        char *norm = json_normalize(remote);
        rc = resource_set_string(state, "dashboard_body", norm ? norm : remote);
        free(norm);
    }
    free(generated);
    return rc;
}

/* tags_all from AWS; tags = the part the default tags do not explain. */
static int dashboard_tags_refresh(struct lsms_provider_data *pd, struct cty_value *state,
                                  const char *arn, struct diags *d)
{
    struct aws_error err = {0};
    struct cty_value *all = dashboard_tags_list(pd->client, arn, &err);
    if (!all) {
        resource_diag_aws(d, "tags", "Cannot read the CloudWatch dashboard's tags", &err);
        aws_error_clean_up(&err);
        return -1;
    }
    struct cty_value *own = cty_collection_new(cty_value_type(all));
    for (size_t i = 0; own && i < cty_value_length(all); i++) {
        const char *k = cty_value_map_key(all, i);
        const struct cty_value *dflt = cty_value_map_get(pd->default_tags, k);
        if (!dflt || !cty_value_equal(dflt, cty_value_index(all, i)))
            dashboard_map_copy(own, k, cty_value_index(all, i));
    }
    const struct cty_value *had = cty_value_attr(state, "tags");
    int rc = 0;
    /* Keep a null `tags` null when AWS holds nothing of the resource's own. */
    if (own && (cty_value_length(own) > 0 || (had && !cty_value_is_null(had)))) {
        rc = cty_object_set(state, "tags", own); /* consumes own */
        own = NULL;
    }
    cty_value_destroy(own);
    if (cty_object_set(state, "tags_all", all) != 0) {
        rc = -1;
    }
    return rc;
}

static enum resource_result dashboard_read(struct resource_ctx *ctx, struct cty_value *state,
                                           bool *gone)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    const char *name = cty_attr_string(state, "id");
    if (!name)
        name = cty_attr_string(state, "name");
    if (!pd || !name)
        return RESOURCE_ERROR;
    struct aws_error err = {0};
    cJSON *got = NULL;
    enum resource_result res = RESOURCE_ERROR;
    if (dashboard_get(pd->client, name, &got, &err) != 0) {
        if (aws_error_is(&err, CW_NOT_FOUND)) {
            *gone = true;
            res = RESOURCE_OK;
        } else {
            resource_diag_aws(ctx->diags, NULL, "Cannot read the CloudWatch dashboard", &err);
        }
        goto done;
    }
    const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(got, "DashboardArn"));
    const char *remote =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(got, "DashboardBody"));
    char *copy = strdup(name); /* `name` may point into state, which changes below */
    if (!copy || !arn || !remote) {
        free(copy);
        diags_error(ctx->diags, NULL, "Cannot read the CloudWatch dashboard",
                    "GetDashboard answered without DashboardArn or DashboardBody.");
        goto done;
    }
    int rc = resource_set_string(state, "name", copy) | resource_set_string(state, "id", copy) |
             resource_set_string(state, "arn", arn);
    /* Import leaves both origins null: the body tells which it is. */
    if (rc == 0 && !cty_attr_string(state, "container_name") &&
        !cty_attr_string(state, "bucket_name"))
        rc = dashboard_adopt_inputs(state, remote, ctx->diags);
    if (rc == 0)
        rc = dashboard_body_refresh(state, remote, ctx->diags);
    char *url = rc == 0 ? dashboard_console_url(cty_attr_string(state, "region"), copy) : NULL;
    if (rc == 0)
        rc = resource_set_string(state, "console_url", url);
    free(url);
    free(copy);
    if (rc == 0 && dashboard_tags_refresh(pd, state, arn, ctx->diags) == 0)
        res = RESOURCE_OK;
done:
    cJSON_Delete(got);
    aws_error_clean_up(&err);
    return res;
}

static enum resource_result dashboard_update(struct resource_ctx *ctx,
                                             const struct cty_value *prior,
                                             const struct cty_value *config,
                                             struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    const char *name = cty_attr_string(state, "name");
    const char *arn = cty_attr_string(prior, "arn");
    if (!pd || !name || !arn || dashboard_origin_settle(state) != 0)
        return RESOURCE_ERROR;
    char *body = dashboard_body_from(state, ctx->diags);
    if (!body || resource_set_tags_all(pd, state) != 0) {
        free(body);
        return RESOURCE_ERROR;
    }
    struct aws_error err = {0};
    enum resource_result res = RESOURCE_ERROR;
    const char *had = cty_attr_string(prior, "dashboard_body");
    /* prior holds the remote body when it drifted, so this also restores it. */
    if (!had || strcmp(had, body) != 0) {
        if (dashboard_put(pd->client, name, body, NULL, ctx->diags, &err) != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot update the CloudWatch dashboard", &err);
            goto done;
        }
    }
    if (dashboard_tags_sync(pd->client, arn, cty_value_attr(prior, "tags_all"),
                            cty_value_attr(state, "tags_all"), &err) != 0) {
        resource_diag_aws(ctx->diags, "tags", "Cannot update the CloudWatch dashboard's tags",
                          &err);
        goto done;
    }
    char *url = dashboard_console_url(cty_attr_string(state, "region"), name);
    if ((resource_set_string(state, "dashboard_body", body) |
         resource_set_string(state, "console_url", url) | resource_set_string(state, "id", name) |
         resource_set_string(state, "arn", arn)) == 0)
        res = RESOURCE_OK;
    free(url);
done:
    aws_error_clean_up(&err);
    free(body);
    return res;
}

static enum resource_result dashboard_delete(struct resource_ctx *ctx,
                                             const struct cty_value *prior)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    const char *name = cty_attr_string(prior, "name");
    if (!pd || !name)
        return RESOURCE_ERROR;
    cJSON *in = cJSON_CreateObject();
    cJSON *names = in ? cJSON_AddArrayToObject(in, "DashboardNames") : NULL;
    if (!names) {
        cJSON_Delete(in);
        diags_error(ctx->diags, NULL, "Cannot delete the CloudWatch dashboard", "Out of memory.");
        return RESOURCE_ERROR;
    }
    cJSON_AddItemToArray(names, cJSON_CreateString(name));
    struct aws_error err = {0};
    cJSON *out = NULL;
    enum resource_result res = RESOURCE_OK;
    /* A dashboard already gone is what delete wants. */
    if (aws_json_call(pd->client, CLOUDWATCH, CW_TARGET("DeleteDashboards"), in, &out, &err) != 0 &&
        !aws_error_is(&err, CW_NOT_FOUND)) {
        resource_diag_aws(ctx->diags, NULL, "Cannot delete the CloudWatch dashboard", &err);
        res = RESOURCE_ERROR;
    }
    cJSON_Delete(in);
    cJSON_Delete(out);
    aws_error_clean_up(&err);
    return res;
}

int dashboard_list_page(struct aws_client *c, const char *prefix, const char *token,
                        cJSON **out, struct aws_error *err)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || (prefix && !cJSON_AddStringToObject(in, "DashboardNamePrefix", prefix)) ||
        (token && !cJSON_AddStringToObject(in, "NextToken", token))) {
        cJSON_Delete(in);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    int rc = aws_json_call(c, CLOUDWATCH, CW_TARGET("ListDashboards"), in, out, err);
    cJSON_Delete(in);
    return rc;
}

bool dashboard_is_not_found(const struct aws_error *err)
{
    return aws_error_is(err, CW_NOT_FOUND);
}

enum resource_result dashboard_import(struct resource_ctx *ctx, const char *id,
                                      struct cty_value *state)
{
    if (resource_set_string(state, "name", id) != 0 || resource_set_string(state, "id", id) != 0) {
        diags_error(ctx->diags, NULL, "Cannot import the CloudWatch dashboard", "Out of memory.");
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

const struct lsms_resource lsms_dashboard_resource = {
    .type_name = "lsms_dashboard",
    .schema = &dashboard_schema,
    .validate = dashboard_validate,
    .modify_plan = dashboard_modify_plan,
    .create = dashboard_create,
    .read = dashboard_read,
    .update = dashboard_update,
    .delete = dashboard_delete,
    .import = dashboard_import,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
    .identity = &dashboard_identity, /* dashboard_identity.c */
    .list = &dashboard_list,         /* dashboard_list.c */
};
