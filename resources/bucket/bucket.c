/*
 * bucket.c - lsms_bucket: the Amazon S3 bucket that is the origin of the
 * live stream (AWS's successor to the MediaStore container): Block Public
 * Access, Object Ownership, CORS, an expiry lifecycle, the request-metrics
 * configuration the dashboard reads, server access logging and tags.
 *
 * The bucket policy is not managed or read here: lsms_distribution adds and
 * removes its own statement there, and two resources writing one document
 * would undo each other.
 *
 * The file has two parts: the schema table (the public interface), then the
 * operations. The XML documents are built and read by bucket_xml.c, the
 * calls and the emptying by bucket_api.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/waiter.h"
#include "aws/endpoints.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/bucket/bucket.h"
#include "resources/bucket/bucket_api.h"
#include "resources/bucket/bucket_xml.h"
#include "resources/jobs.h"
#include "resources/common.h"
#include "resources/provider.h"
#include "util/buf.h"
#include "util/random.h"

/* ======================= schema ======================= */

#define BUCKET_DEFAULT_METRICS_ID "EntireBucket"
/* A generated name is the prefix and BUCKET_SUFFIX_LEN random lower-case
 * hex characters; S3 names have at most 63. */
#define BUCKET_SUFFIX_LEN 26
#define BUCKET_PREFIX_MAX (63 - BUCKET_SUFFIX_LEN)

#define BUCKET_CORS_RULES_DEFAULT_JSON                                                         \
    "[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"                    \
    "\"allowed_headers\":[\"*\"],\"expose_headers\":null,\"max_age_seconds\":3000}]"
#define BUCKET_LIFECYCLE_RULES_DEFAULT_JSON "[{\"prefix\":\"stream/\",\"expiration_days\":1}]"

static const char *const bucket_cors_methods[] = {"GET", "PUT", "HEAD", "POST", "DELETE", NULL};
static const char *const bucket_ownerships[] = {"BucketOwnerEnforced", "BucketOwnerPreferred",
                                                "ObjectWriter", NULL};

/* A name_prefix change replaces the bucket unless the name already begins
 * with the new prefix: then it only records how the name was made (an
 * imported bucket, or a configuration moving from name to name_prefix).
 * Back to name (prefix null), the name alone decides. */
static bool bucket_prefix_replace_if(const struct cty_value *prior, const struct cty_value *planned)
{
    const struct cty_value *p = cty_value_attr(planned, "name_prefix");
    if (p && !cty_value_is_known(p))
        return true;
    const char *prefix = cty_attr_string(planned, "name_prefix");
    const char *name = cty_attr_string(prior, "name");
    if (!prefix)
        return false;
    return !name || strncmp(name, prefix, strlen(prefix)) != 0;
}

/* The prefix of a generated name (what precedes its BUCKET_SUFFIX_LEN
 * lower-case hex characters), malloc'd; NULL when `name` does not look
 * generated or when out of memory. */
static char *bucket_generated_prefix_new(const char *name)
{
    size_t len = strlen(name);
    if (len <= BUCKET_SUFFIX_LEN)
        return NULL;
    for (size_t i = len - BUCKET_SUFFIX_LEN; i < len; i++)
        if (!isdigit((unsigned char)name[i]) && !(name[i] >= 'a' && name[i] <= 'f'))
            return NULL;
    return strndup(name, len - BUCKET_SUFFIX_LEN);
}

/* name_prefix: what follows it is BUCKET_SUFFIX_LEN digits or letters, so
 * the prefix is acceptable when it is short enough and the prefix followed
 * by digits is a bucket name S3 and MediaLive accept. */
static void bucket_prefix_validate(const struct cty_value *v, const struct attr_path *path,
                                   struct diags *d)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    size_t len = strlen(s);
    const char *why = NULL;
    char candidate[128];
    if (len == 0)
        why = "it is empty";
    else if (len > BUCKET_PREFIX_MAX)
        why = "it is longer than 37 characters (the generated name adds 26 random characters, "
              "and S3 bucket names have at most 63)";
    else {
        snprintf(candidate, sizeof candidate, "%s%0*d", s, BUCKET_SUFFIX_LEN, 0);
        why = lsms_bucket_name_problem(candidate);
    }
    if (!why)
        return;
    diags_add(d, DIAG_ERROR, path, "Invalid value for \"name_prefix\"",
              "\"%s\" cannot begin an S3 bucket name: %s. Use 1 to 37 lower-case letters, "
              "digits and '-', starting with a letter or digit, such as live-origin-.",
              s, why);
}

static const struct schema_attribute bucket_cors_rule_attrs[] = {
    {.name = "allowed_origins", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "Origins allowed to make cross-origin requests (`*` for any).",
     .validators = (const struct schema_validator[]){{.kind = VALIDATE_COUNT, .min = 1}, {0}}},
    {.name = "allowed_methods", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "HTTP methods allowed: `GET`, `PUT`, `HEAD`, `POST`, `DELETE`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = bucket_cors_methods},
         {.kind = VALIDATE_COUNT, .min = 1},
         {0}}},
    {.name = "allowed_headers", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "Headers allowed in a preflight `Access-Control-Request-Headers` (`*` for "
                    "any)."},
    {.name = "expose_headers", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "Response headers browsers may expose to scripts."},
    {.name = "max_age_seconds", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "How long browsers may cache a preflight answer, in seconds.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 0, .max = 2147483647}, {0}}},
    {0}};

static const struct schema_attribute bucket_lifecycle_rule_attrs[] = {
    {.name = "prefix", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Objects whose key starts with this (`stream/`); `\"\"` for the whole "
                    "bucket.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 0, .max = 1024}, {0}}},
    {.name = "expiration_days", .type = "number", .flags = SCHEMA_REQUIRED,
     .description = "Days after creation at which S3 deletes the objects: a whole number, 1 at "
                    "least (S3 lifecycle rules count whole days).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 1, .max = 2147483647,
          .message = "whole days, 1 at least: S3 lifecycle rules cannot expire objects sooner "
                     "than 1 day after their creation"},
         {0}}},
    {0}};

static const struct schema_object bucket_cors_rules = {.nesting = SCHEMA_NESTING_LIST,
                                                       .attributes = bucket_cors_rule_attrs};
static const struct schema_object bucket_lifecycle_rules = {
    .nesting = SCHEMA_NESTING_LIST, .attributes = bucket_lifecycle_rule_attrs};

static const struct schema_attribute bucket_attrs[] = {
    {.name = "name", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_REPLACE | SCHEMA_USE_STATE,
     .description = "Bucket name: 3 to 63 lower-case letters, digits and `-`, no dots "
                    "(MediaLive cannot write to dotted buckets). Exactly one of `name` and "
                    "`name_prefix`. Changing it replaces the bucket.",
     .validators = lsms_bucket_name_validators},
    /* Computed too: with name configured it keeps what state holds (null,
     * or the prefix import recognised), so neither way of naming an
     * imported bucket plans a change. */
    {.name = "name_prefix", .type = "string",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED | SCHEMA_USE_STATE | SCHEMA_REPLACE,
     .description = "Generate the name: this prefix (1 to 37 characters) followed by 26 random "
                    "lower-case hexadecimal characters. Exactly one of `name` and `name_prefix`. "
                    "Changing it replaces the bucket, unless the bucket's name already begins "
                    "with the new prefix. Import sets it when the name ends with 26 lower-case "
                    "hexadecimal characters, as generated names do.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_FUNC, .func = bucket_prefix_validate}, {0}},
     .replace_if = bucket_prefix_replace_if},
    {.name = "block_public_access", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Turn on all four S3 Block Public Access settings of the bucket (the "
                    "distribution reads it through its Origin Access Control, never publicly). "
                    "`false` removes the bucket's Block Public Access configuration. Reads back "
                    "`true` only while all four are on."},
    {.name = "object_ownership", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"BucketOwnerEnforced\"",
     .description = "Object Ownership: `BucketOwnerEnforced` (ACLs disabled, the bucket owner "
                    "owns every object), `BucketOwnerPreferred` or `ObjectWriter`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = bucket_ownerships}, {0}}},
    {.name = "cors_rules", .nested = &bucket_cors_rules,
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = BUCKET_CORS_RULES_DEFAULT_JSON,
     .description = "CORS rules (up to 100). Default: `GET` and `HEAD` from any origin with any "
                    "header, preflight cached 3000 s, as players need. An empty list removes "
                    "the CORS configuration.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 0, .max = 100}, {0}}},
    {.name = "lifecycle_rules", .nested = &bucket_lifecycle_rules,
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = BUCKET_LIFECYCLE_RULES_DEFAULT_JSON,
     .description = "Expiry rules (up to 1000). Default: objects under `stream/` expire 1 day "
                    "after creation, so old segments never pile up. An empty list removes the "
                    "lifecycle configuration.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 0, .max = 1000}, {0}}},
    {.name = "request_metrics", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Keep an S3 request-metrics configuration over the whole bucket (CloudWatch "
                    "namespace `AWS/S3`, dimension `FilterId` = `metrics_filter_id`), which "
                    "`lsms_dashboard` shows. S3 bills these metrics."},
    {.name = "metrics_filter_id", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Id of the request-metrics configuration: up to 64 letters, digits, `.`, "
                    "`-` and `_`; default `EntireBucket`. Null when `request_metrics` is "
                    "false.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9._-]*$",
          .message = "an S3 metrics configuration id: letters, digits, '.', '-' and '_'"},
         {.kind = VALIDATE_LENGTH, .min = 1, .max = 64,
          .message = "an S3 metrics configuration id of 1 to 64 characters"},
         {0}}},
    {.name = "logging_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Bucket that receives the server access logs (in the same region; its "
                    "policy must let `logging.s3.amazonaws.com` put objects). Unset: no access "
                    "logging.",
     .validators = lsms_s3_bucket_name_validators},
    {.name = "logging_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Key prefix of the access log objects (such as `live-origin/`). Only with "
                    "`logging_bucket`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 0, .max = 1024}, {0}}},
    {.name = "force_destroy", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "false",
     .description = "On destroy, first delete every object, object version and delete marker "
                    "(S3 deletes only empty buckets). Without it, destroying a bucket that "
                    "holds objects fails and deletes nothing."},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The bucket name."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the bucket: `arn:aws:s3:::<name>`."},
    {.name = "region", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Region of the bucket (the provider's)."},
    {.name = "bucket_regional_domain_name", .type = "string",
     .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "`<name>.s3.<region>.amazonaws.com`: the origin domain of "
                    "`lsms_distribution`."},
    {0}};

static const struct schema bucket_schema = {
    .version = 0,
    .block = {.attributes = bucket_attrs,
              .description = "An Amazon S3 bucket as the origin of the live stream: MediaLive "
                             "writes the HLS ladder into it, CloudFront reads it through an "
                             "Origin Access Control. Manages Block Public Access, Object "
                             "Ownership, CORS, segment expiry, the request-metrics "
                             "configuration, server access logging and tags; not the bucket "
                             "policy, which `lsms_distribution` edits."},
};

/* ======================= operations ======================= */

/* Arguments that go together, judged on known values only (an unknown one,
 * like `cond ? x : null` in a module, may still turn out null). */
static void bucket_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *name = cty_value_attr(config, "name");
    const struct cty_value *prefix = cty_value_attr(config, "name_prefix");
    if (resource_value_given(name) && resource_value_given(prefix))
        diags_error(d, "name_prefix", "Conflicting arguments",
                    "Set either name (the bucket's name) or name_prefix (a generated name "
                    "beginning with it), not both.");
    else if (resource_value_absent(name) && resource_value_absent(prefix))
        diags_error(d, NULL, "Missing required argument",
                    "Set name (the bucket's name) or name_prefix (a generated name beginning "
                    "with it).");
    const struct cty_value *metrics = cty_value_attr(config, "request_metrics");
    if (metrics && cty_value_is_known(metrics) && !cty_value_is_null(metrics) &&
        !cty_value_get_bool(metrics) &&
        resource_value_given(cty_value_attr(config, "metrics_filter_id")))
        diags_error(d, "metrics_filter_id", "Argument needs request_metrics",
                    "metrics_filter_id names the bucket's request-metrics configuration, "
                    "which request_metrics = false removes. Leave it unset, or turn "
                    "request_metrics on.");
    if (resource_value_given(cty_value_attr(config, "logging_prefix")) &&
        resource_value_absent(cty_value_attr(config, "logging_bucket")))
        diags_error(d, "logging_prefix", "Argument needs logging_bucket",
                    "logging_prefix is the key prefix of the access logs in logging_bucket; "
                    "set logging_bucket too, or leave logging_prefix unset.");
}

/* arn and bucket_regional_domain_name of `name` in `region` (malloc'd). */
static char *bucket_arn_new(const char *name, const char *region)
{
    struct buf b = {0};
    if (buf_printf(&b, "arn:%s:s3:::%s", aws_region_partition(region), name) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

static char *bucket_domain_new(const char *name, const char *region)
{
    struct buf b = {0};
    if (buf_printf(&b, "%s.s3.%s.amazonaws.com%s", name, region,
                   strncmp(region, "cn-", 3) == 0 ? ".cn" : "") != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

/* id, name, region, arn and bucket_regional_domain_name. 0 or -1. */
static int bucket_set_identity(struct cty_value *state, const char *name, const char *region)
{
    char *arn = bucket_arn_new(name, region), *domain = bucket_domain_new(name, region);
    int rc = !arn || !domain || resource_set_string(state, "id", name) != 0 ||
                     resource_set_string(state, "name", name) != 0 ||
                     resource_set_string(state, "region", region) != 0 ||
                     resource_set_string(state, "arn", arn) != 0 ||
                     resource_set_string(state, "bucket_regional_domain_name", domain) != 0
                 ? -1
                 : 0;
    free(arn);
    free(domain);
    return rc;
}

/* The id a whole-bucket metrics configuration gets: the configured one, the
 * default when request_metrics is on, null when it is off. Leaves unknown
 * values alone (plan) and returns 0, or -1 when out of memory. */
static int bucket_metrics_id_settle(const struct cty_value *config, struct cty_value *v)
{
    const struct cty_value *on = cty_value_attr(v, "request_metrics");
    if (!resource_value_absent(cty_value_attr(config, "metrics_filter_id")) || !on ||
        !cty_value_is_known(on) || cty_value_is_null(on))
        return 0;
    return resource_set_string(v, "metrics_filter_id",
                               cty_value_get_bool(on) ? BUCKET_DEFAULT_METRICS_ID : NULL);
}

/* What follows from the name (known unless it is generated at apply), the
 * region (the provider's), request_metrics and the tags is known at plan. */
static void bucket_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                               const struct cty_value *config, struct cty_value *planned)
{
    const struct lsms_provider_data *pd = ctx ? ctx->provider_data : NULL;
    if (resource_value_absent(cty_value_attr(config, "name_prefix"))) {
        const struct cty_value *was = prior ? cty_value_attr(prior, "name_prefix") : NULL;
        struct cty_value *keep = was ? cty_value_clone(was) : cty_null_new(cty_type_string());
        if (keep)
            (void)cty_object_set(planned, "name_prefix", keep);
    }
    if (pd && pd->region)
        lsms_plan_set_string(planned, "region", pd->region);
    const char *name = cty_attr_string(planned, "name");
    const char *region = cty_attr_string(planned, "region");
    if (name && region) {
        char *arn = bucket_arn_new(name, region), *domain = bucket_domain_new(name, region);
        lsms_plan_set_string(planned, "id", name);
        lsms_plan_set_string(planned, "arn", arn);
        lsms_plan_set_string(planned, "bucket_regional_domain_name", domain);
        free(arn);
        free(domain);
    }
    (void)bucket_metrics_id_settle(config, planned);
    lsms_tags_all_plan(ctx, config, planned);
}

/* ---- calls sent together ---- */

#define BUCKET_BATCH_MAX 10
/* After CreateBucket, S3 may answer NoSuchBucket for a short while on
 * another endpoint: the configuration calls retry that for up to this. */
#define BUCKET_PROPAGATION_MS (2 * 60 * 1000)

/* Where the calls go: the client, the bucket and its region, and whether
 * it was just created (see BUCKET_PROPAGATION_MS). */
struct bucket_target {
    struct aws_client *client;
    const char *name;
    const char *region;
    bool after_create;
};

/* One S3 call run as a job. `absent_code` (or NULL) is the error meaning
 * "the bucket has no such configuration", an answer rather than a failure. */
struct bucket_call {
    struct aws_client *client;
    struct bucket_api_request req;
    char *query;     /* owned; req.query */
    char *body;      /* owned; req.body */
    const char *absent_code;
    bool after_create;
    bool list_metrics; /* ListBucketMetricsConfigurations, every page */
    bool absent;       /* answered absent_code */
    xmlDoc *doc;       /* owned answer; NULL when absent or body-less */
    char *whole_id;    /* list_metrics: id of a whole-bucket configuration */
};

static enum aws_wait_result bucket_call_poll(void *arg, struct aws_error *err)
{
    struct bucket_call *call = arg;
    xmlFreeDoc(call->doc);
    call->doc = NULL;
    if (bucket_api_call(call->client, &call->req, &call->doc, NULL, err) == 0)
        return AWS_WAIT_DONE;
    if (bucket_api_is_gone(err)) {
        aws_error_clean_up(err);
        return AWS_WAIT_PENDING;
    }
    return AWS_WAIT_FAILED;
}

/* Every page of ListBucketMetricsConfigurations: call->whole_id. */
static int bucket_call_list_metrics(struct bucket_call *call, struct aws_error *err)
{
    char *token = NULL;
    struct buf query = {0};
    int rc = 0;
    do {
        buf_reset(&query);
        if (buf_append_str(&query, "metrics") != 0 ||
            (token && (buf_append_str(&query, "&continuation-token=") != 0 ||
                       aws_uri_encode(&query, token, strlen(token), 0) != 0))) {
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            break;
        }
        call->req.query = query.data;
        xmlDoc *doc = NULL;
        if ((rc = bucket_api_call(call->client, &call->req, &doc, NULL, err)) != 0)
            break;
        free(token);
        token = NULL;
        rc = bucket_xml_metrics_list_read(doc, &call->whole_id, &token);
        xmlFreeDoc(doc);
    } while (rc == 0 && token);
    call->req.query = NULL;
    free(token);
    buf_clean_up(&query);
    return rc;
}

static int bucket_call_run(void *arg, struct aws_error *err)
{
    struct bucket_call *call = arg;
    int rc;
    if (call->list_metrics) {
        rc = bucket_call_list_metrics(call, err);
    } else if (call->after_create) {
        struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                        .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                        .max_delay_ms = 5000,
                                        .timeout_ms = BUCKET_PROPAGATION_MS,
                                        .what = "the new bucket visible"};
        rc = aws_client_wait(call->client, &cfg, bucket_call_poll, call, err);
    } else {
        rc = bucket_api_call(call->client, &call->req, &call->doc, NULL, err);
    }
    if (rc != 0 && call->absent_code && aws_error_is(err, call->absent_code)) {
        aws_error_clean_up(err);
        call->absent = true;
        return 0;
    }
    return rc;
}

struct bucket_batch {
    struct bucket_call calls[BUCKET_BATCH_MAX];
    struct resource_job jobs[BUCKET_BATCH_MAX];
    size_t n;
    bool oom;
};

/* Adds one call to `t`'s bucket: `query` is copied, `body` taken (NULL for
 * none; `has_body` says one was wanted, so NULL then means out of memory).
 * Returns the call, or NULL when out of memory. */
static struct bucket_call *bucket_batch_add(struct bucket_batch *b, const struct bucket_target *t,
                                            const char *op, const char *method, const char *query,
                                            char *body, bool has_body, const char *summary,
                                            const char *attr)
{
    char *q = query ? strdup(query) : NULL;
    if ((has_body && !body) || (query && !q) || b->n == BUCKET_BATCH_MAX) {
        free(body);
        free(q);
        b->oom = true;
        return NULL;
    }
    struct bucket_call *call = &b->calls[b->n];
    *call = (struct bucket_call){
        .client = t->client,
        .req = {.operation = op, .method = method, .bucket = t->name, .region = t->region,
                .query = q, .body = body,
                /* Every Put/Delete of a bucket configuration with a body but
                 * PutBucketMetricsConfiguration requires Content-MD5. */
                .content_md5 = has_body && strcmp(op, "PutBucketMetricsConfiguration") != 0},
        .query = q,
        .body = body,
        .after_create = t->after_create,
    };
    b->jobs[b->n] = (struct resource_job){
        .run = bucket_call_run, .arg = call, .summary = summary, .attr = attr};
    b->n++;
    return call;
}

/* Runs every call; one diagnostic per failed call unless `quiet_gone` and
 * the bucket is gone (read reports that as *gone). 0 or -1. */
static int bucket_batch_run(struct bucket_batch *b, struct diags *d, bool *gone)
{
    if (b->oom) {
        resource_diag_oom(d);
        return -1;
    }
    int rc = resource_jobs_run(b->jobs, b->n);
    bool bucket_gone = false;
    for (size_t i = 0; i < b->n; i++)
        if (b->jobs[i].rc != 0 && bucket_api_is_gone(&b->jobs[i].err))
            bucket_gone = true;
    if (gone && bucket_gone) {
        *gone = true;
        return rc;
    }
    resource_jobs_diagnose(b->jobs, b->n, d);
    return rc;
}

static void bucket_batch_clean_up(struct bucket_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->calls[i].query);
        free(b->calls[i].body);
        free(b->calls[i].whole_id);
        xmlFreeDoc(b->calls[i].doc);
        aws_error_clean_up(&b->jobs[i].err);
    }
    b->n = 0;
}

/* ---- the configuration calls of create and update ---- */

static bool bucket_list_empty(const struct cty_value *v)
{
    return !v || cty_value_is_null(v) || cty_value_length(v) == 0;
}

static void bucket_add_public_access(struct bucket_batch *b, const struct bucket_target *t,
                                     bool on)
{
    if (on) {
        bucket_batch_add(b, t, "PutPublicAccessBlock", "PUT", "publicAccessBlock",
                         bucket_xml_public_access_block_build(), true,
                         "Cannot turn on Block Public Access", "block_public_access");
        return;
    }
    struct bucket_call *call =
        bucket_batch_add(b, t, "DeletePublicAccessBlock", "DELETE", "publicAccessBlock", NULL,
                         false, "Cannot turn off Block Public Access", "block_public_access");
    if (call)
        call->absent_code = "NoSuchPublicAccessBlockConfiguration";
}

static void bucket_add_ownership(struct bucket_batch *b, const struct bucket_target *t,
                                 const char *ownership)
{
    bucket_batch_add(b, t, "PutBucketOwnershipControls", "PUT", "ownershipControls",
                     bucket_xml_ownership_build(ownership), true,
                     "Cannot set the bucket's Object Ownership", "object_ownership");
}

/* PutBucketCors, or DeleteBucketCors for no rules. -1 when the rules
 * cannot be sent (a diagnostic says why). */
static int bucket_add_cors(struct bucket_batch *b, const struct bucket_target *t,
                           const struct cty_value *rules, struct diags *d)
{
    if (bucket_list_empty(rules)) {
        struct bucket_call *call =
            bucket_batch_add(b, t, "DeleteBucketCors", "DELETE", "cors", NULL, false,
                             "Cannot remove the CORS configuration", "cors_rules");
        if (call)
            call->absent_code = "NoSuchCORSConfiguration";
        return 0;
    }
    const char *error = NULL;
    char *xml = bucket_xml_cors_build(rules, &error);
    if (!xml) {
        diags_error(d, "cors_rules", "Cannot build the CORS configuration", "%s.", error);
        return -1;
    }
    bucket_batch_add(b, t, "PutBucketCors", "PUT", "cors", xml, true,
                     "Cannot put the CORS configuration", "cors_rules");
    return 0;
}

static int bucket_add_lifecycle(struct bucket_batch *b, const struct bucket_target *t,
                                const struct cty_value *rules, struct diags *d)
{
    if (bucket_list_empty(rules)) {
        struct bucket_call *call =
            bucket_batch_add(b, t, "DeleteBucketLifecycle", "DELETE", "lifecycle", NULL, false,
                             "Cannot remove the lifecycle configuration", "lifecycle_rules");
        if (call)
            call->absent_code = "NoSuchLifecycleConfiguration";
        return 0;
    }
    const char *error = NULL;
    char *xml = bucket_xml_lifecycle_build(rules, &error);
    if (!xml) {
        diags_error(d, "lifecycle_rules", "Cannot build the lifecycle configuration", "%s.",
                    error);
        return -1;
    }
    bucket_batch_add(b, t, "PutBucketLifecycleConfiguration", "PUT", "lifecycle", xml, true,
                     "Cannot put the lifecycle configuration", "lifecycle_rules");
    return 0;
}

/* "metrics&id=<id>", encoded; NULL when out of memory. */
static char *bucket_metrics_query(const char *id)
{
    struct buf q = {0};
    if (buf_append_str(&q, "metrics&id=") != 0 || aws_uri_encode(&q, id, strlen(id), 0) != 0) {
        buf_clean_up(&q);
        return NULL;
    }
    return q.data;
}

static void bucket_add_metrics(struct bucket_batch *b, const struct bucket_target *t,
                               const char *id, bool put)
{
    char *query = bucket_metrics_query(id);
    if (!query) {
        b->oom = true;
        return;
    }
    if (put) {
        bucket_batch_add(b, t, "PutBucketMetricsConfiguration", "PUT", query,
                         bucket_xml_metrics_build(id), true,
                         "Cannot put the request-metrics configuration", "request_metrics");
    } else {
        struct bucket_call *call =
            bucket_batch_add(b, t, "DeleteBucketMetricsConfiguration", "DELETE", query, NULL,
                             false, "Cannot remove the request-metrics configuration",
                             "request_metrics");
        if (call)
            call->absent_code = "NoSuchConfiguration";
    }
    free(query);
}

static void bucket_add_logging(struct bucket_batch *b, const struct bucket_target *t,
                               const struct cty_value *state)
{
    const char *target = cty_attr_string(state, "logging_bucket");
    bucket_batch_add(b, t, "PutBucketLogging", "PUT", "logging",
                     bucket_xml_logging_build(target, cty_attr_string(state, "logging_prefix")),
                     true,
                     target ? "Cannot turn on server access logging"
                            : "Cannot turn off server access logging",
                     "logging_bucket");
}

static void bucket_add_tags(struct bucket_batch *b, const struct bucket_target *t,
                            const struct cty_value *tags_all)
{
    if (bucket_list_empty(tags_all)) {
        bucket_batch_add(b, t, "DeleteBucketTagging", "DELETE", "tagging", NULL, false,
                         "Cannot remove the bucket's tags", "tags");
        return;
    }
    bucket_batch_add(b, t, "PutBucketTagging", "PUT", "tagging",
                     bucket_xml_tagging_build(tags_all), true, "Cannot tag the bucket", "tags");
}

/* ---- create ---- */

/* A name from name_prefix: the prefix and BUCKET_SUFFIX_LEN random hex
 * characters (lower-case). Malloc'd, NULL on failure. */
static char *bucket_name_generate(const char *prefix)
{
    char suffix[BUCKET_SUFFIX_LEN + 1];
    struct buf b = {0};
    if (random_hex(suffix, BUCKET_SUFFIX_LEN / 2) != 0 ||
        buf_printf(&b, "%s%s", prefix, suffix) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return b.data;
}

/* In us-east-1 S3 answers CreateBucket of a bucket the caller already owns
 * with 200 (AWS's legacy rule, API_CreateBucket "BucketAlreadyOwnedByYou"),
 * so a create there would silently take over that bucket, and later delete
 * it. HeadBucket first: -1 with a diagnostic when it exists and is ours. */
static int bucket_refuse_existing(struct resource_ctx *ctx, const struct bucket_target *t)
{
    struct aws_error err = {0};
    struct bucket_api_request req = {.operation = "HeadBucket", .method = "HEAD",
                                     .bucket = t->name, .region = t->region};
    int rc = bucket_api_call(t->client, &req, NULL, NULL, &err);
    if (rc != 0 && (bucket_api_is_gone(&err) || err.http_status == 403)) {
        /* Missing, or someone else's: CreateBucket goes ahead or says so. */
        aws_error_clean_up(&err);
        return 0;
    }
    if (rc != 0) {
        resource_diag_aws(ctx->diags, "name", "Cannot check whether the S3 bucket exists", &err);
        aws_error_clean_up(&err);
        return -1;
    }
    diags_error(ctx->diags, "name", "The S3 bucket already exists",
                "A bucket named %s already exists in this account. In us-east-1 S3 answers a "
                "create of an existing bucket of yours with success, so lsms_bucket checks "
                "first instead of taking over a bucket it did not create. Import it "
                "(terraform import <address> %s) or choose another name.",
                t->name, t->name);
    return -1;
}

static int bucket_create_call(struct resource_ctx *ctx, const struct bucket_target *t,
                              const char *ownership)
{
    struct aws_error err = {0};
    char *body = strcmp(t->region, "us-east-1") != 0 ? bucket_xml_create_build(t->region) : NULL;
    if (strcmp(t->region, "us-east-1") != 0 && !body) {
        resource_diag_oom(ctx->diags);
        return -1;
    }
    /* The ownership travels with the create, which saves a call. */
    struct bucket_api_request req = {.operation = "CreateBucket", .method = "PUT",
                                     .bucket = t->name, .region = t->region, .body = body,
                                     .header_name = "x-amz-object-ownership",
                                     .header_value = ownership};
    int rc = bucket_api_call(t->client, &req, NULL, NULL, &err);
    free(body);
    if (rc == 0)
        return 0;
    if (aws_error_is(&err, "BucketAlreadyExists"))
        diags_error(ctx->diags, "name", "The S3 bucket name is taken",
                    "Bucket names are global across all AWS accounts, and %s belongs to another "
                    "account. Choose another name, or use name_prefix to generate one.",
                    t->name);
    else if (aws_error_is(&err, "BucketAlreadyOwnedByYou"))
        diags_error(ctx->diags, "name", "The S3 bucket already exists",
                    "A bucket named %s already exists in this account. Import it "
                    "(terraform import <address> %s) or choose another name.",
                    t->name, t->name);
    else
        resource_diag_aws(ctx->diags, "name", "Cannot create the S3 bucket", &err);
    aws_error_clean_up(&err);
    return -1;
}

/* Deletes a bucket whose create failed after CreateBucket, so nothing is
 * left that state does not know (it is empty: nothing wrote to it yet).
 * When even that fails the bucket is handed to the client (RESOURCE_PARTIAL,
 * tainted) so the next apply replaces it. */
static enum resource_result bucket_roll_back(struct resource_ctx *ctx,
                                             const struct bucket_target *t)
{
    struct aws_error err = {0};
    struct bucket_api_request req = {.operation = "DeleteBucket", .method = "DELETE",
                                     .bucket = t->name, .region = t->region};
    if (bucket_api_call(t->client, &req, NULL, NULL, &err) == 0 || bucket_api_is_gone(&err)) {
        aws_error_clean_up(&err);
        return RESOURCE_ERROR;
    }
    resource_diag_aws(ctx->diags, NULL,
                      "Cannot remove the half-created S3 bucket (it stays in state, tainted)",
                      &err);
    aws_error_clean_up(&err);
    return RESOURCE_PARTIAL;
}

static enum resource_result bucket_create(struct resource_ctx *ctx,
                                          const struct cty_value *config,
                                          struct cty_value *state)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    char *name = cty_attr_string(state, "name") ? strdup(cty_attr_string(state, "name"))
                                                : bucket_name_generate(cty_attr_string(
                                                      state, "name_prefix")
                                                      ? cty_attr_string(state, "name_prefix")
                                                      : "");
    const char *region = cty_attr_string(state, "region") ? cty_attr_string(state, "region")
                                                          : pd->region;
    char *region_copy = region ? strdup(region) : NULL;
    struct bucket_batch batch = {0};
    enum resource_result result = RESOURCE_ERROR;
    if (!name || !region_copy || bucket_set_identity(state, name, region_copy) != 0 ||
        bucket_metrics_id_settle(config, state) != 0 || resource_set_tags_all(pd, state) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    struct bucket_target t = {.client = pd->client, .name = name, .region = region_copy,
                              .after_create = true};

    /* Everything that can fail without AWS comes first: a failure there
     * leaves no bucket behind. */
    bucket_add_public_access(&batch, &t, cty_attr_bool(state, "block_public_access", true));
    const struct cty_value *cors = cty_value_attr(state, "cors_rules");
    const struct cty_value *lifecycle = cty_value_attr(state, "lifecycle_rules");
    if ((!bucket_list_empty(cors) && bucket_add_cors(&batch, &t, cors, ctx->diags) != 0) ||
        (!bucket_list_empty(lifecycle) &&
         bucket_add_lifecycle(&batch, &t, lifecycle, ctx->diags) != 0))
        goto done;
    const char *metrics_id = cty_attr_string(state, "metrics_filter_id");
    if (cty_attr_bool(state, "request_metrics", true) && metrics_id)
        bucket_add_metrics(&batch, &t, metrics_id, true);
    if (cty_attr_string(state, "logging_bucket"))
        bucket_add_logging(&batch, &t, state);
    if (!bucket_list_empty(cty_value_attr(state, "tags_all")))
        bucket_add_tags(&batch, &t, cty_value_attr(state, "tags_all"));
    if (batch.oom) {
        resource_diag_oom(ctx->diags);
        goto done;
    }

    if ((strcmp(region_copy, "us-east-1") == 0 && bucket_refuse_existing(ctx, &t) != 0) ||
        bucket_create_call(ctx, &t, cty_attr_string(state, "object_ownership")) != 0)
        goto done;
    if (bucket_batch_run(&batch, ctx->diags, NULL) != 0) {
        result = bucket_roll_back(ctx, &t);
        goto done;
    }
    result = RESOURCE_OK;
done:
    bucket_batch_clean_up(&batch);
    free(name);
    free(region_copy);
    return result;
}

/* ---- read ---- */

/* tags_all is what S3 holds; tags keeps the configured keys (with S3's
 * values, absent ones dropped) plus keys added outside Terraform that are
 * not provider default tags. `aws` (a map) is consumed. */
static int bucket_read_tags(const struct lsms_provider_data *pd, struct cty_value *state,
                            struct cty_value *aws)
{
    struct cty_type *map_t = cty_value_type(cty_value_attr(state, "tags_all"));
    const struct cty_value *old = cty_value_attr(state, "tags");
    struct cty_value *tags = cty_collection_new(map_t);
    if (!aws || !tags)
        goto fail;
    for (size_t i = 0; i < cty_value_length(aws); i++) {
        const char *k = cty_value_map_key(aws, i);
        const char *v = cty_value_string(cty_value_index(aws, i));
        const struct cty_value *dflt = cty_value_map_get(pd->default_tags, k);
        bool mine = old && cty_value_is_known(old) && !cty_value_is_null(old) &&
                    cty_value_map_get(old, k);
        bool is_default = dflt && strcmp(cty_value_string(dflt), v ? v : "") == 0;
        if ((mine || !is_default) && cty_map_put(tags, k, cty_string_new(v ? v : "")) != 0)
            goto fail;
    }
    if (cty_value_length(tags) == 0 && (!old || cty_value_is_null(old))) {
        cty_value_destroy(tags);
        tags = cty_null_new(map_t);
    }
    if (cty_object_set(state, "tags_all", aws) != 0) {
        aws = NULL;
        goto fail;
    }
    aws = NULL;
    if (!tags || cty_object_set(state, "tags", tags) != 0)
        return -1;
    return 0;
fail:
    cty_value_destroy(aws);
    cty_value_destroy(tags);
    return -1;
}

/* logging_bucket and logging_prefix from GetBucketLogging. S3 holds ""
 * for an unset prefix: that reads as the state's "" or as null. */
static int bucket_read_logging(struct cty_value *state, const xmlDoc *doc)
{
    char *target = NULL, *prefix = NULL;
    bucket_xml_logging_read(doc, &target, &prefix);
    const char *was = cty_attr_string(state, "logging_prefix");
    bool keep_empty = was && !*was;
    int rc = resource_set_string(state, "logging_bucket", target) != 0 ||
                     resource_set_string(state, "logging_prefix",
                                         prefix && (*prefix || keep_empty) ? prefix : NULL) != 0
                 ? -1
                 : 0;
    free(target);
    free(prefix);
    return rc;
}

/* request_metrics and metrics_filter_id. From a Get of the state's id:
 * request_metrics is true while that configuration counts the whole
 * bucket (the id stays, so a drift shows as request_metrics alone). From
 * the list (after import): the whole-bucket configuration found, if any. */
static int bucket_read_metrics(struct cty_value *state, const struct bucket_call *get,
                               const struct bucket_call *list)
{
    if (list)
        return resource_set_bool(state, "request_metrics", list->whole_id != NULL) != 0 ||
                       resource_set_string(state, "metrics_filter_id", list->whole_id) != 0
                   ? -1
                   : 0;
    if (get)
        return resource_set_bool(state, "request_metrics",
                                 !get->absent && bucket_xml_metrics_whole_bucket(get->doc));
    return 0;
}

/* Bucket and region of a state (after import: HeadBucket tells the region,
 * from its x-amz-bucket-region header). -1 with a diagnostic, or *gone. */
int bucket_read_region(struct resource_ctx *ctx, struct aws_client *c, const char *name,
                       char **region, bool *gone)
{
    struct aws_error err = {0};
    char *header = NULL;
    struct bucket_api_request req = {.operation = "HeadBucket", .method = "HEAD",
                                     .bucket = name};
    int rc = bucket_api_call(c, &req, NULL, &header, &err);
    /* A bucket in another region answers 301 with its region. */
    if (rc != 0 && header && (err.http_status == 301 || err.http_status == 307)) {
        aws_error_clean_up(&err);
        req.region = header;
        char *again = NULL;
        rc = bucket_api_call(c, &req, NULL, &again, &err);
        free(again);
    }
    if (rc != 0) {
        free(header);
        if (bucket_api_is_gone(&err)) {
            *gone = true;
            aws_error_clean_up(&err);
            return 0;
        }
        resource_diag_aws(ctx->diags, NULL, "Cannot read the S3 bucket", &err);
        aws_error_clean_up(&err);
        return -1;
    }
    *region = header ? header : strdup(aws_client_region(c));
    return *region ? 0 : -1;
}

static enum resource_result bucket_read(struct resource_ctx *ctx, struct cty_value *state,
                                        bool *gone)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    const char *id = cty_attr_string(state, "id");
    char *name = strdup(id ? id : cty_attr_string(state, "name") ? cty_attr_string(state, "name")
                                                                  : "");
    const char *known_region = cty_attr_string(state, "region");
    char *region = known_region ? strdup(known_region) : NULL;
    struct bucket_batch batch = {0};
    enum resource_result result = RESOURCE_ERROR;
    if (!name || (known_region && !region)) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    if (!region) {
        if (bucket_read_region(ctx, pd->client, name, &region, gone) != 0)
            goto done;
        if (*gone) {
            result = RESOURCE_OK;
            goto done;
        }
    }
    struct bucket_target t = {.client = pd->client, .name = name, .region = region};
    struct bucket_call *pab =
        bucket_batch_add(&batch, &t, "GetPublicAccessBlock", "GET", "publicAccessBlock", NULL,
                         false, "Cannot read Block Public Access", "block_public_access");
    struct bucket_call *own = bucket_batch_add(
        &batch, &t, "GetBucketOwnershipControls", "GET", "ownershipControls", NULL, false,
        "Cannot read the bucket's Object Ownership", "object_ownership");
    struct bucket_call *cors =
        bucket_batch_add(&batch, &t, "GetBucketCors", "GET", "cors", NULL, false,
                         "Cannot read the CORS configuration", "cors_rules");
    struct bucket_call *lifecycle = bucket_batch_add(
        &batch, &t, "GetBucketLifecycleConfiguration", "GET", "lifecycle", NULL, false,
        "Cannot read the lifecycle configuration", "lifecycle_rules");
    struct bucket_call *logging =
        bucket_batch_add(&batch, &t, "GetBucketLogging", "GET", "logging", NULL, false,
                         "Cannot read server access logging", "logging_bucket");
    struct bucket_call *tagging = bucket_batch_add(&batch, &t, "GetBucketTagging", "GET",
                                                   "tagging", NULL, false,
                                                   "Cannot read the bucket's tags", "tags");
    if (batch.oom)
        goto oom;
    pab->absent_code = "NoSuchPublicAccessBlockConfiguration";
    own->absent_code = "OwnershipControlsNotFoundError";
    cors->absent_code = "NoSuchCORSConfiguration";
    lifecycle->absent_code = "NoSuchLifecycleConfiguration";
    tagging->absent_code = "NoSuchTagSet";
    struct bucket_call *metrics_get = NULL, *metrics_list = NULL;
    const struct cty_value *metrics_on = cty_value_attr(state, "request_metrics");
    const char *metrics_id = cty_attr_string(state, "metrics_filter_id");
    if (resource_value_absent(metrics_on)) {
        /* After import: which whole-bucket configuration is there? */
        metrics_list = bucket_batch_add(&batch, &t, "ListBucketMetricsConfigurations", "GET",
                                        NULL, NULL, false,
                                        "Cannot list the request-metrics configurations",
                                        "request_metrics");
        if (metrics_list)
            metrics_list->list_metrics = true;
    } else if (cty_value_get_bool(metrics_on) && metrics_id) {
        char *query = bucket_metrics_query(metrics_id);
        metrics_get = query ? bucket_batch_add(&batch, &t, "GetBucketMetricsConfiguration", "GET",
                                               query, NULL, false,
                                               "Cannot read the request-metrics configuration",
                                               "request_metrics")
                            : NULL;
        free(query);
        if (metrics_get)
            metrics_get->absent_code = "NoSuchConfiguration";
        else
            batch.oom = true;
    }
    if (batch.oom)
        goto oom;
    if (bucket_batch_run(&batch, ctx->diags, gone) != 0) {
        if (*gone)
            result = RESOURCE_OK;
        goto done;
    }
    char *ownership = bucket_xml_ownership_read(own->doc);
    int failed =
        bucket_set_identity(state, name, region) != 0 ||
        resource_set_bool(state, "block_public_access",
                          bucket_xml_public_access_blocked(pab->doc)) != 0 ||
        /* No ownership controls is how buckets behaved before they existed:
         * the writer owns what it uploads. */
        resource_set_string(state, "object_ownership", ownership ? ownership : "ObjectWriter") !=
            0;
    free(ownership);
    /* cty_object_set takes the value even when it fails. */
    failed |= cty_object_set(state, "cors_rules",
                             bucket_xml_cors_read(cors->doc,
                                                  cty_value_type(cty_value_attr(state, "cors_rules")),
                                                  cty_value_attr(state, "cors_rules"))) != 0;
    failed |= cty_object_set(state, "lifecycle_rules",
                             bucket_xml_lifecycle_read(lifecycle->doc,
                                                       cty_value_type(cty_value_attr(
                                                           state, "lifecycle_rules")))) != 0;
    if (failed || bucket_read_logging(state, logging->doc) != 0 ||
        bucket_read_tags(pd, state,
                         bucket_xml_tags_read(tagging->doc, cty_value_type(cty_value_attr(
                                                                state, "tags_all")))) != 0 ||
        bucket_read_metrics(state, metrics_get, metrics_list) != 0 ||
        (resource_value_absent(cty_value_attr(state, "force_destroy")) &&
         resource_set_bool(state, "force_destroy", false) != 0))
        goto oom;
    result = RESOURCE_OK;
    goto done;
oom:
    resource_diag_oom(ctx->diags);
done:
    bucket_batch_clean_up(&batch);
    free(name);
    free(region);
    return result;
}

/* ---- update ---- */

static enum resource_result bucket_update(struct resource_ctx *ctx,
                                          const struct cty_value *prior,
                                          const struct cty_value *config,
                                          struct cty_value *state)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct bucket_batch batch = {0};
    enum resource_result result = RESOURCE_ERROR;
    const char *name = cty_attr_string(state, "name");
    const char *region = cty_attr_string(state, "region");
    if (!name || !region || bucket_metrics_id_settle(config, state) != 0 ||
        resource_set_tags_all(pd, state) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    struct bucket_target t = {.client = pd->client, .name = name, .region = region};
    if (resource_attr_changed(prior, state, "block_public_access"))
        bucket_add_public_access(&batch, &t, cty_attr_bool(state, "block_public_access", true));
    if (resource_attr_changed(prior, state, "object_ownership"))
        bucket_add_ownership(&batch, &t, cty_attr_string(state, "object_ownership"));
    if ((resource_attr_changed(prior, state, "cors_rules") &&
         bucket_add_cors(&batch, &t, cty_value_attr(state, "cors_rules"), ctx->diags) != 0) ||
        (resource_attr_changed(prior, state, "lifecycle_rules") &&
         bucket_add_lifecycle(&batch, &t, cty_value_attr(state, "lifecycle_rules"),
                              ctx->diags) != 0))
        goto done;
    /* The configuration to keep, and the one it replaces. */
    bool was_on = cty_attr_bool(prior, "request_metrics", false);
    bool is_on = cty_attr_bool(state, "request_metrics", true);
    const char *was_id = cty_attr_string(prior, "metrics_filter_id");
    const char *is_id = cty_attr_string(state, "metrics_filter_id");
    bool same_id = was_id && is_id && strcmp(was_id, is_id) == 0;
    if (is_on && is_id && (!was_on || !same_id))
        bucket_add_metrics(&batch, &t, is_id, true);
    if (was_on && was_id && (!is_on || !same_id))
        bucket_add_metrics(&batch, &t, was_id, false);
    if (resource_attr_changed(prior, state, "logging_bucket") ||
        resource_attr_changed(prior, state, "logging_prefix"))
        bucket_add_logging(&batch, &t, state);
    if (resource_attr_changed(prior, state, "tags_all"))
        bucket_add_tags(&batch, &t, cty_value_attr(state, "tags_all"));
    if (bucket_batch_run(&batch, ctx->diags, NULL) != 0)
        goto done;
    result = RESOURCE_OK;
done:
    bucket_batch_clean_up(&batch);
    return result;
}

/* ---- delete ---- */

/* Objects may keep arriving while the bucket is emptied (a channel still
 * writing): empty and retry DeleteBucket this many times. */
#define BUCKET_EMPTY_ATTEMPTS 3

static enum resource_result bucket_delete(struct resource_ctx *ctx, const struct cty_value *prior)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    const char *name = cty_attr_string(prior, "id");
    if (!name)
        name = cty_attr_string(prior, "name");
    const char *region = cty_attr_string(prior, "region");
    bool force = cty_attr_bool(prior, "force_destroy", false);
    struct aws_error err = {0};
    struct bucket_api_request req = {.operation = "DeleteBucket", .method = "DELETE",
                                     .bucket = name, .region = region};
    int rc = -1;
    for (int attempt = 0; attempt < BUCKET_EMPTY_ATTEMPTS; attempt++) {
        aws_error_clean_up(&err);
        if (force && (rc = bucket_api_empty(pd->client, name, region, 0, NULL, &err)) != 0)
            break;
        rc = bucket_api_call(pd->client, &req, NULL, NULL, &err);
        if (rc == 0 || !force || !aws_error_is(&err, "BucketNotEmpty"))
            break;
    }
    if (rc == 0 || bucket_api_is_gone(&err)) {
        aws_error_clean_up(&err);
        return RESOURCE_OK;
    }
    if (!force && aws_error_is(&err, "BucketNotEmpty"))
        diags_error(ctx->diags, "force_destroy", "The S3 bucket is not empty",
                    "S3 deletes only empty buckets, and %s still holds objects (or object "
                    "versions). Nothing was deleted. Set force_destroy = true and apply before "
                    "destroying to delete its objects with it, or empty it yourself.",
                    name);
    else
        resource_diag_aws(ctx->diags, force ? "force_destroy" : NULL,
                          "Cannot delete the S3 bucket", &err);
    aws_error_clean_up(&err);
    return RESOURCE_ERROR;
}

/* ---- import ---- */

/* The name is the id; read fills in the rest (the region from HeadBucket,
 * the metrics configuration from the list). */
enum resource_result bucket_import(struct resource_ctx *ctx, const char *id,
                                   struct cty_value *state)
{
    const char *why = lsms_bucket_name_problem(id);
    if (why) {
        diags_error(ctx->diags, NULL, "Invalid import id",
                    "\"%s\" is not a bucket name lsms_bucket can manage: %s.", id, why);
        return RESOURCE_ERROR;
    }
    /* A generated-looking name gets its prefix back, so a configuration
     * with name_prefix plans no change after the import. */
    char *prefix = bucket_generated_prefix_new(id);
    int rc = resource_set_string(state, "id", id) != 0 ||
                     resource_set_string(state, "name", id) != 0 ||
                     resource_set_string(state, "name_prefix", prefix) != 0 ||
                     resource_set_bool(state, "force_destroy", false) != 0
                 ? -1
                 : 0;
    free(prefix);
    if (rc != 0) {
        resource_diag_oom(ctx->diags);
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

const struct lsms_resource lsms_bucket_resource = {
    .type_name = "lsms_bucket",
    .schema = &bucket_schema,
    .validate = bucket_validate,
    .modify_plan = bucket_modify_plan,
    .create = bucket_create,
    .read = bucket_read,
    .update = bucket_update,
    .delete = bucket_delete,
    .import = bucket_import,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
    .identity = &bucket_identity,            /* bucket_identity.c */
    .list = &bucket_list,                    /* bucket_list.c */
    .generate_config = bucket_generate_config, /* bucket_identity.c */
};
