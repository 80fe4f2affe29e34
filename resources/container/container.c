/*
 * container.c - lsms_container: an AWS Elemental MediaStore container with
 * its container, CORS, lifecycle and metric policies and access logging.
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (validate, plan, and later create/read/update/
 * delete/import).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "aws/waiter.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/common.h"
#include "resources/container/container.h"
#include "resources/container/container_api.h"
#include "resources/container/container_policy.h"
#include "resources/jobs.h"
#include "resources/provider.h"
#include "util/buf.h"
#include "util/json_equal.h"
#include "util/random.h"

/* ======================= schema ======================= */

static const char *const cors_methods[] = {"PUT", "GET", "DELETE", "HEAD", NULL};
static const char *const lifecycle_actions[] = {"EXPIRE", "ARCHIVE", NULL};

static const struct schema_attribute container_cors_rule_attrs[] = {
    {.name = "allowed_origins", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "Origins allowed to make cross-origin requests (`*` for any).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 1, .max = 100}, {0}}},
    {.name = "allowed_methods", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "HTTP methods allowed: `PUT`, `GET`, `DELETE`, `HEAD`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = cors_methods}, {0}}},
    {.name = "allowed_headers", .type = "[\"list\",\"string\"]", .flags = SCHEMA_REQUIRED,
     .description = "Headers allowed in a preflight `Access-Control-Request-Headers` (`*` for "
                    "any)."},
    {.name = "expose_headers", .type = "[\"list\",\"string\"]", .flags = SCHEMA_OPTIONAL,
     .description = "Response headers browsers may expose to scripts."},
    {.name = "max_age_seconds", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "How long browsers may cache a preflight answer, in seconds.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 0, .max = 2147483647}, {0}}},
    {0}};

static const struct schema_attribute container_lifecycle_rule_attrs[] = {
    {.name = "path_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Objects whose path starts with this (a folder such as `stream/`). Exactly "
                    "one of `path_prefix` and `path_wildcard`."},
    {.name = "path_wildcard", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Objects whose path matches this pattern, `*` matching any characters (for "
                    "example `stream/*.ts`)."},
    {.name = "seconds_since_create", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Age in seconds (1 to 300) after which the rule applies (transient data). "
                    "Exactly one of `seconds_since_create` and `days_since_create`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 1, .max = 300}, {0}}},
    {.name = "days_since_create", .type = "number", .flags = SCHEMA_OPTIONAL,
     .description = "Age in days after which the rule applies.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_INT_RANGE, .min = 1, .max = 36500}, {0}}},
    {.name = "action", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "`EXPIRE` deletes matching objects; `ARCHIVE` moves them to the infrequent "
                    "access storage class.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = lifecycle_actions}, {0}}},
    {0}};

static const struct schema_object container_cors_rules = {
    .nesting = SCHEMA_NESTING_LIST, .attributes = container_cors_rule_attrs};
static const struct schema_object container_lifecycle_rules = {
    .nesting = SCHEMA_NESTING_LIST, .attributes = container_lifecycle_rule_attrs};

static const struct schema_attribute container_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Container name: letters, digits, `-` and `_`, 1 to 255 characters. "
                    "Changing it replaces the container.",
     .validators = lsms_name_255_validators},
    {.name = "restrict_to_cdn", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Let only requests that carry `origin_secret` as User-Agent (which the "
                    "`lsms_distribution` sends) read objects, as the seed solution does. Used by "
                    "the generated policy only."},
    {.name = "policy", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Container policy JSON replacing the generated one (GetObject/"
                    "DescribeObject over HTTPS, restricted to the CDN). Compared semantically, "
                    "so formatting and key order cause no diff.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_JSON}, {.kind = VALIDATE_LENGTH, .min = 1, .max = 8192}, {0}}},
    {.name = "cors_rules", .nested = &container_cors_rules,
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = CONTAINER_CORS_RULES_DEFAULT_JSON,
     .description = "CORS policy rules (1 to 100). Default: `GET` from any origin with any "
                    "header, preflight cached 3000 s.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 1, .max = 100}, {0}}},
    {.name = "lifecycle_rules", .nested = &container_lifecycle_rules,
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = CONTAINER_LIFECYCLE_RULES_DEFAULT_JSON,
     .description = "Object lifecycle rules (up to 10). Default: expire `stream/*.ts` 300 s "
                    "after creation, so old segments never pile up.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_COUNT, .min = 0, .max = 10}, {0}}},
    {.name = "container_level_metrics", .type = "bool",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = "true",
     .description = "Publish container-level CloudWatch metrics (the metric policy)."},
    {.name = "access_logging", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Send access logs to CloudWatch Logs group `log_group_name`; the "
                    "`lsms_dashboard` widgets are built from them."},
    {.name = "create_logging_role", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Create the `MediaStoreAccessLogs` IAM role MediaStore needs to write logs "
                    "when it is missing (the seed asked users to create it by hand)."},
    {.name = "force_destroy", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "false",
     .description = "On destroy, delete every object first (MediaStore only deletes empty "
                    "containers)."},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The container name."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the container."},
    {.name = "endpoint", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "HTTPS endpoint of the container's data plane (the origin of the "
                    "distribution and the output of the channel)."},
    {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Container status: `ACTIVE`, `CREATING` or `DELETING`."},
    {.name = "creation_time", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "When the container was created (RFC 3339)."},
    {.name = "origin_secret", .type = "string",
     .flags = SCHEMA_COMPUTED | SCHEMA_SENSITIVE | SCHEMA_USE_STATE,
     .description = "Random secret, stable for the container's life, that the distribution "
                    "sends as User-Agent; the generated policy only serves requests carrying "
                    "it."},
    {.name = "log_group_name", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "CloudWatch Logs group of the access logs: `/aws/mediastore/<name>`."},
    {0}};

static const struct schema_attribute container_timeout_attrs[] = {
    LSMS_TIMEOUT_ATTR("create", "10m"),
    LSMS_TIMEOUT_ATTR("delete", "20m"),
    {0}};

static const struct schema_block container_timeouts_block = {
    .attributes = container_timeout_attrs,
    .description = "Time limits of the slow operations."};

static const struct schema_block_type container_block_types[] = {
    {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &container_timeouts_block},
    {0}};

static const struct schema container_schema = {
    .version = 0,
    .block = {.attributes = container_attrs,
              .block_types = container_block_types,
              .description = "An AWS Elemental MediaStore container, the origin of the live "
                             "stream, with its container, CORS, lifecycle and metric policies "
                             "and access logging. **Deprecated:** " CONTAINER_DEPRECATION
                             " Every plan of a container warns so."},
};

/* ======================= operations ======================= */

/* Known and set / known and null; unknown values are neither. */
static bool container_is_set(const struct cty_value *v)
{
    return v && cty_value_is_known(v) && !cty_value_is_null(v);
}

static bool container_is_unset(const struct cty_value *v)
{
    return !v || (cty_value_is_known(v) && cty_value_is_null(v));
}

/* 1 when exactly one of a, b is set, 0 when not, -1 when unknown. */
static int container_exactly_one(const struct cty_value *a, const struct cty_value *b)
{
    if ((!container_is_set(a) && !container_is_unset(a)) ||
        (!container_is_set(b) && !container_is_unset(b)))
        return -1;
    return container_is_set(a) != container_is_set(b);
}

static void container_rule_error(struct diags *d, size_t i, const char *summary,
                                 const char *detail)
{
    struct attr_path p = {0};
    attr_path_push_attr(&p, "lifecycle_rules");
    attr_path_push_index(&p, (int64_t)i);
    diags_add(d, DIAG_ERROR, &p, summary, "%s", detail);
    attr_path_clean_up(&p);
}

/* Each lifecycle rule names its objects one way and its age one way. */
static void container_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *rules = cty_value_attr(config, "lifecycle_rules");
    if (!rules || !cty_value_is_known(rules))
        return;
    for (size_t i = 0; i < cty_value_length(rules); i++) {
        const struct cty_value *r = cty_value_index(rules, i);
        if (!r || !cty_value_is_known(r) || cty_value_is_null(r))
            continue;
        if (container_exactly_one(cty_value_attr(r, "path_prefix"),
                                  cty_value_attr(r, "path_wildcard")) == 0)
            container_rule_error(d, i, "Invalid lifecycle rule path",
                                 "Each lifecycle rule needs exactly one of path_prefix and "
                                 "path_wildcard.");
        if (container_exactly_one(cty_value_attr(r, "seconds_since_create"),
                                  cty_value_attr(r, "days_since_create")) == 0)
            container_rule_error(d, i, "Invalid lifecycle rule age",
                                 "Each lifecycle rule needs exactly one of seconds_since_create "
                                 "and days_since_create.");
        const char *action = cty_attr_string(r, "action");
        if (action && strcmp(action, "ARCHIVE") == 0 &&
            container_is_set(cty_value_attr(r, "seconds_since_create")))
            container_rule_error(d, i, "Invalid lifecycle rule action",
                                 "MediaStore only expires transient data: a rule with "
                                 "seconds_since_create must use action EXPIRE.");
    }
}

/* id and log_group_name follow from the name, so they are known at plan.
 *
 * MediaStore has ended: every container planned warns. Not the schema's
 * deprecation_message: Terraform 1.16 (and OpenTofu 1.12 for an attribute's)
 * marks every value read from a deprecated resource, so a module serving
 * either origin (`local.mediastore ? lsms_container.this[0].endpoint : null`)
 * would warn on the S3 path too, where no container exists. Here the warning
 * comes with a container, and only then. */
static void container_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                  const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    if (ctx && ctx->diags && config && !cty_value_is_null(config))
        diags_add(ctx->diags, DIAG_WARNING, NULL, "MediaStore has ended",
                  "lsms_container %s: " CONTAINER_DEPRECATION,
                  cty_attr_string(config, "name") ? cty_attr_string(config, "name") : "");
    const char *name = cty_attr_string(config, "name");
    if (name) {
        struct buf group = {0};
        lsms_plan_set_string(planned, "id", name);
        if (buf_printf(&group, "/aws/mediastore/%s", name) == 0)
            lsms_plan_set_string(planned, "log_group_name", group.data);
        buf_clean_up(&group);
    }
    lsms_tags_all_plan(ctx, config, planned);
}

/* ---- AWS side: jobs, documents, waits ---- */

#define CONTAINER_CREATE_TIMEOUT_MS (10 * 60 * 1000)
#define CONTAINER_DELETE_TIMEOUT_MS (20 * 60 * 1000)
#define CONTAINER_SECRET_BYTES 16
#define CONTAINER_BATCH_MAX 8

/* One MediaStore call run as a job. `absent_code` (or NULL) is the error
 * meaning "there is none", which is an answer rather than a failure. */
struct container_call {
    struct aws_client *client;
    const char *op;
    cJSON *input; /* owned */
    cJSON *out;   /* owned; NULL when absent */
    const char *absent_code;
};

static int container_call_run(void *arg, struct aws_error *err)
{
    struct container_call *call = arg;
    int rc = container_api_call(call->client, call->op, call->input, &call->out, err);
    if (rc != 0 && call->absent_code && aws_error_is(err, call->absent_code)) {
        aws_error_clean_up(err);
        return 0;
    }
    return rc;
}

/* Independent calls sent together (the aws client is thread-safe). */
struct container_batch {
    struct container_call calls[CONTAINER_BATCH_MAX];
    struct resource_job jobs[CONTAINER_BATCH_MAX];
    size_t n;
    bool oom;
};

/* Adds `op` with `input` (taken); returns the call, or NULL when out of memory. */
static struct container_call *container_batch_add(struct container_batch *b,
                                                  struct aws_client *c, const char *op,
                                                  cJSON *input, const char *summary,
                                                  const char *attr)
{
    if (!input || b->n == CONTAINER_BATCH_MAX) {
        cJSON_Delete(input);
        b->oom = true;
        return NULL;
    }
    struct container_call *call = &b->calls[b->n];
    *call = (struct container_call){.client = c, .op = op, .input = input};
    b->jobs[b->n] = (struct resource_job){
        .run = container_call_run, .arg = call, .summary = summary, .attr = attr};
    b->n++;
    return call;
}

/* Runs every call; one diagnostic per failed call. 0 or -1. */
static int container_batch_run(struct container_batch *b, struct diags *d)
{
    if (b->oom) {
        diags_error(d, NULL, "Out of memory", "The provider ran out of memory building a "
                                              "MediaStore request.");
        return -1;
    }
    int rc = resource_jobs_run(b->jobs, b->n);
    resource_jobs_diagnose(b->jobs, b->n, d);
    return rc;
}

static void container_batch_clean_up(struct container_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        cJSON_Delete(b->calls[i].input);
        cJSON_Delete(b->calls[i].out);
        aws_error_clean_up(&b->jobs[i].err);
    }
    b->n = 0;
}

/* {"ContainerName": name} plus member = value: a string, or (json) parsed
 * JSON text. NULL when out of memory or the JSON does not parse. */
static cJSON *container_input(const char *name, const char *member, const char *value,
                              bool json)
{
    cJSON *in = cJSON_CreateObject();
    if (!in || !cJSON_AddStringToObject(in, "ContainerName", name))
        goto fail;
    if (member) {
        cJSON *v = json ? cJSON_Parse(value) : cJSON_CreateString(value);
        if (!v)
            goto fail;
        cJSON_AddItemToObject(in, member, v);
    }
    return in;
fail:
    cJSON_Delete(in);
    return NULL;
}

/* The documents the planned state asks for. */
struct container_docs {
    char *policy;    /* container policy */
    char *cors;      /* CorsPolicy list */
    char *lifecycle; /* lifecycle policy; NULL when there are no rules */
};

static void container_docs_clean_up(struct container_docs *docs)
{
    free(docs->policy);
    free(docs->cors);
    free(docs->lifecycle);
    *docs = (struct container_docs){0};
}

/* The generated policy for `state` (its name, restrict_to_cdn, origin_secret). */
static char *container_policy_generated(const struct lsms_provider_data *pd,
                                        const struct cty_value *state, bool restrict_to_cdn,
                                        const char **error)
{
    struct container_policy_params p = {
        .region = pd->region,
        .account_id = pd->account_id,
        .container_name = cty_attr_string(state, "name"),
        .restrict_to_cdn = restrict_to_cdn,
        .origin_secret = cty_attr_string(state, "origin_secret"),
    };
    return container_policy_default(&p, error);
}

static int container_docs_build(const struct lsms_provider_data *pd,
                                const struct cty_value *state, struct container_docs *docs,
                                struct diags *d)
{
    const char *error = NULL;
    const char *custom = cty_attr_string(state, "policy");
    docs->policy = custom ? strdup(custom)
                          : container_policy_generated(
                                pd, state, cty_attr_bool(state, "restrict_to_cdn", true), &error);
    if (!docs->policy) {
        diags_error(d, "policy", "Cannot build the container policy", "%s.",
                    error ? error : "out of memory");
        return -1;
    }
    docs->cors = container_cors_policy_from_value(cty_value_attr(state, "cors_rules"), &error);
    if (!docs->cors) {
        diags_error(d, "cors_rules", "Cannot build the CORS policy", "%s.", error);
        return -1;
    }
    struct container_lifecycle_rules rules = {0};
    if (container_lifecycle_rules_from_value(cty_value_attr(state, "lifecycle_rules"), &rules,
                                             &error) != 0) {
        diags_error(d, "lifecycle_rules", "Cannot build the lifecycle policy", "%s.", error);
        return -1;
    }
    if (rules.n > 0)
        docs->lifecycle = container_lifecycle_policy_build(&rules, &error);
    container_lifecycle_rules_clean_up(&rules);
    if (!docs->lifecycle && error) {
        diags_error(d, "lifecycle_rules", "Cannot build the lifecycle policy", "%s.", error);
        return -1;
    }
    return 0;
}

static void container_add_policy_put(struct container_batch *b, struct aws_client *c,
                                     const char *name, const char *policy)
{
    container_batch_add(b, c, "PutContainerPolicy",
                        container_input(name, "Policy", policy, false),
                        "Cannot put the container policy", "policy");
}

static void container_add_cors_put(struct container_batch *b, struct aws_client *c,
                                   const char *name, const char *cors)
{
    container_batch_add(b, c, "PutCorsPolicy", container_input(name, "CorsPolicy", cors, true),
                        "Cannot put the CORS policy", "cors_rules");
}

static void container_add_lifecycle_put(struct container_batch *b, struct aws_client *c,
                                        const char *name, const char *lifecycle)
{
    if (lifecycle)
        container_batch_add(b, c, "PutLifecyclePolicy",
                            container_input(name, "LifecyclePolicy", lifecycle, false),
                            "Cannot put the lifecycle policy", "lifecycle_rules");
    else
        container_batch_add(b, c, "DeleteLifecyclePolicy", container_input(name, NULL, NULL, false),
                            "Cannot delete the lifecycle policy", "lifecycle_rules")
            ->absent_code = "PolicyNotFoundException";
}

static void container_add_metrics_put(struct container_batch *b, struct aws_client *c,
                                      const char *name, bool enabled)
{
    container_batch_add(b, c, "PutMetricPolicy",
                        container_input(name, "MetricPolicy",
                                        enabled ? "{\"ContainerLevelMetrics\":\"ENABLED\"}"
                                                : "{\"ContainerLevelMetrics\":\"DISABLED\"}",
                                        true),
                        "Cannot put the metric policy", "container_level_metrics");
}

static void container_add_logging(struct container_batch *b, struct aws_client *c,
                                  const char *name, bool enabled)
{
    container_batch_add(b, c, enabled ? "StartAccessLogging" : "StopAccessLogging",
                        container_input(name, NULL, NULL, false),
                        enabled ? "Cannot start access logging" : "Cannot stop access logging",
                        "access_logging");
}

/* Waits for DescribeContainer to say ACTIVE; keeps the last Container. */
struct container_wait {
    struct aws_client *client;
    const char *name;
    cJSON *container; /* owned: the last Container described */
};

static enum aws_wait_result container_poll_active(void *arg, struct aws_error *err)
{
    struct container_wait *w = arg;
    cJSON *out = NULL;
    if (container_api_call_named(w->client, "DescribeContainer", w->name, NULL, NULL, &out,
                                 err) != 0)
        return AWS_WAIT_FAILED;
    cJSON_Delete(w->container);
    w->container = cJSON_DetachItemFromObjectCaseSensitive(out, "Container");
    cJSON_Delete(out);
    const char *status = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(w->container, "Status"));
    if (status && strcmp(status, "ACTIVE") == 0)
        return AWS_WAIT_DONE;
    if (status && strcmp(status, "CREATING") == 0)
        return AWS_WAIT_PENDING;
    aws_error_setf(err, AWS_ERR_WAIT_FAILED, "container %s is %s, not ACTIVE", w->name,
                   status ? status : "without status");
    return AWS_WAIT_FAILED;
}

static enum aws_wait_result container_poll_gone(void *arg, struct aws_error *err)
{
    struct container_wait *w = arg;
    if (container_api_call_named(w->client, "DescribeContainer", w->name, NULL, NULL, NULL,
                                 err) == 0)
        return AWS_WAIT_PENDING;
    if (container_api_is_not_found(err)) {
        aws_error_clean_up(err);
        return AWS_WAIT_DONE;
    }
    return AWS_WAIT_FAILED;
}

/* DeleteContainer (already gone is fine), then waits until it is gone. */
static int container_delete_and_wait(struct aws_client *c, const char *name, uint64_t timeout_ms,
                                     struct aws_error *err)
{
    if (container_api_call_named(c, "DeleteContainer", name, NULL, NULL, NULL, err) != 0) {
        if (!container_api_is_not_found(err))
            return -1;
        aws_error_clean_up(err);
        return 0;
    }
    struct container_wait w = {.client = c, .name = name};
    struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                    .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                    .max_delay_ms = 10000,
                                    .timeout_ms = timeout_ms,
                                    .what = "container deleted"};
    return aws_client_wait(c, &cfg, container_poll_gone, &w, err);
}

/* ---- state from AWS answers ---- */

/* RFC 3339 text of an epoch-seconds timestamp. */
static int container_set_time(struct cty_value *state, const cJSON *when)
{
    if (!cJSON_IsNumber(when))
        return resource_set_string(state, "creation_time", cJSON_GetStringValue(when));
    time_t t = (time_t)when->valuedouble;
    struct tm tm;
    char text[32];
    if (!gmtime_r(&t, &tm) || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return resource_set_string(state, "creation_time", NULL);
    return resource_set_string(state, "creation_time", text);
}

/* arn, endpoint, status, creation_time (and, with logging, access_logging)
 * from a Container. */
static int container_set_description(struct cty_value *state, const cJSON *container,
                                     bool logging)
{
    const cJSON *access = cJSON_GetObjectItemCaseSensitive(container, "AccessLoggingEnabled");
    int rc = resource_set_string(state, "arn", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(container, "ARN"))) |
             resource_set_string(state, "endpoint", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(container, "Endpoint"))) |
             resource_set_string(state, "status", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(container, "Status"))) |
             container_set_time(state, cJSON_GetObjectItemCaseSensitive(container, "CreationTime"));
    if (logging)
        rc |= resource_set_bool(state, "access_logging", cJSON_IsTrue(access));
    return rc ? -1 : 0;
}

/* ---- create ---- */

/* Deletes a container whose create failed halfway, so nothing is left that
 * state does not know; when even that fails the container is handed to
 * OpenTofu (RESOURCE_PARTIAL, tainted) so the next apply replaces it. */
static enum resource_result container_roll_back(struct resource_ctx *ctx, struct aws_client *c,
                                                const char *name, uint64_t timeout_ms)
{
    struct aws_error err = {0};
    if (container_delete_and_wait(c, name, timeout_ms, &err) == 0)
        return RESOURCE_ERROR;
    resource_diag_aws(ctx->diags, NULL,
                      "Cannot remove the half-created MediaStore container (it stays in state, "
                      "tainted)",
                      &err);
    aws_error_clean_up(&err);
    return RESOURCE_PARTIAL;
}

/* Tags [{Key, Value}] of a map value; NULL when out of memory. */
static cJSON *container_tag_list(const struct cty_value *tags)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < cty_value_length(tags); i++) {
        cJSON *tag = cJSON_CreateObject();
        const char *value = cty_value_string(cty_value_index(tags, i));
        if (!tag || !cJSON_AddStringToObject(tag, "Key", cty_value_map_key(tags, i)) ||
            !cJSON_AddStringToObject(tag, "Value", value ? value : "")) {
            cJSON_Delete(tag);
            cJSON_Delete(list);
            return NULL;
        }
        cJSON_AddItemToArray(list, tag);
    }
    return list;
}

/* CreateContainer with the tags; then waits for ACTIVE. -1 (with a
 * diagnostic) and *created telling whether the container exists. */
static int container_create_active(struct resource_ctx *ctx, struct aws_client *c,
                                   const char *name, const struct cty_value *tags_all,
                                   uint64_t timeout_ms, cJSON **container, bool *created)
{
    struct aws_error err = {0};
    cJSON *in = container_input(name, NULL, NULL, false);
    cJSON *tags = container_tag_list(tags_all);
    *created = false;
    if (!in || !tags) {
        cJSON_Delete(in);
        cJSON_Delete(tags);
        resource_diag_oom(ctx->diags);
        return -1;
    }
    if (cJSON_GetArraySize(tags) > 0)
        cJSON_AddItemToObject(in, "Tags", tags);
    else
        cJSON_Delete(tags);
    int rc = container_api_call(c, "CreateContainer", in, NULL, &err);
    cJSON_Delete(in);
    if (rc != 0) {
        resource_diag_aws(ctx->diags, "name", "Cannot create the MediaStore container", &err);
        aws_error_clean_up(&err);
        return -1;
    }
    *created = true;
    struct container_wait w = {.client = c, .name = name};
    struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                    .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                    .max_delay_ms = 10000,
                                    .timeout_ms = timeout_ms,
                                    .what = "container ACTIVE"};
    if (aws_client_wait(c, &cfg, container_poll_active, &w, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "The MediaStore container did not become ACTIVE",
                          &err);
        aws_error_clean_up(&err);
        cJSON_Delete(w.container);
        return -1;
    }
    *container = w.container;
    return 0;
}

/* The logging role, when access logging needs it and we may create it. */
static int container_logging_role(struct resource_ctx *ctx, struct aws_client *c,
                                  const struct cty_value *state)
{
    if (!cty_attr_bool(state, "access_logging", true) ||
        !cty_attr_bool(state, "create_logging_role", true))
        return 0;
    struct aws_error err = {0};
    bool created = false;
    if (container_logging_role_ensure(c, &created, &err) == 0)
        return 0;
    resource_diag_aws(ctx->diags, "create_logging_role",
                      "Cannot create the MediaStore access logging role " CONTAINER_LOGGING_ROLE_NAME,
                      &err);
    aws_error_clean_up(&err);
    return -1;
}

static int container_secret_set(struct cty_value *state)
{
    char secret[2 * CONTAINER_SECRET_BYTES + 1];
    int rc = random_hex(secret, CONTAINER_SECRET_BYTES) == 0
                 ? resource_set_string(state, "origin_secret", secret)
                 : -1;
    explicit_bzero(secret, sizeof secret);
    return rc;
}

static enum resource_result container_create(struct resource_ctx *ctx,
                                             const struct cty_value *config,
                                             struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct aws_client *c = pd->client;
    const char *name = cty_attr_string(state, "name");
    uint64_t timeout_ms = resource_timeout_ms(state, "create", CONTAINER_CREATE_TIMEOUT_MS);
    struct container_docs docs = {0};
    struct container_batch batch = {0};
    cJSON *container = NULL;
    enum resource_result result = RESOURCE_ERROR;
    bool created = false;

    /* Everything that can fail without AWS, and the role, comes first: a
     * failure there leaves no container behind. */
    if (container_secret_set(state) != 0 || resource_set_tags_all(pd, state) != 0) {
        diags_error(ctx->diags, "origin_secret", "Cannot generate the origin secret",
                    "The system's random source or memory failed.");
        goto done;
    }
    if (container_docs_build(pd, state, &docs, ctx->diags) != 0 ||
        container_logging_role(ctx, c, state) != 0)
        goto done;
    if (container_create_active(ctx, c, name, cty_value_attr(state, "tags_all"), timeout_ms,
                                &container, &created) != 0)
        goto roll_back;
    if (container_set_description(state, container, false) != 0) {
        resource_diag_oom(ctx->diags);
        goto roll_back;
    }
    container_add_policy_put(&batch, c, name, docs.policy);
    container_add_cors_put(&batch, c, name, docs.cors);
    if (docs.lifecycle)
        container_add_lifecycle_put(&batch, c, name, docs.lifecycle);
    if (cty_attr_bool(state, "container_level_metrics", true))
        container_add_metrics_put(&batch, c, name, true);
    if (cty_attr_bool(state, "access_logging", true))
        container_add_logging(&batch, c, name, true);
    if (container_batch_run(&batch, ctx->diags) != 0)
        goto roll_back;
    result = RESOURCE_OK;
    goto done;
roll_back:
    if (created)
        result = container_roll_back(ctx, c, name, timeout_ms);
done:
    container_batch_clean_up(&batch);
    container_docs_clean_up(&docs);
    cJSON_Delete(container);
    return result;
}

/* ---- read ---- */

/* Sets `attr` to the normalised policy text (so equal documents are stored
 * alike); "" stands for "no policy on the container", which differs from
 * any configuration and so shows as drift. */
static int container_set_policy_text(struct cty_value *state, const char *actual)
{
    char *norm = actual ? json_normalize(actual) : NULL;
    int rc = resource_set_string(state, "policy", norm ? norm : actual ? actual : "");
    free(norm);
    return rc;
}

/* Reconciles `policy`, `restrict_to_cdn` and `origin_secret` with the
 * container's policy (`actual`, NULL when it has none). A configured policy
 * keeps its own text while AWS holds an equivalent one; the generated policy
 * keeps `policy` null while AWS holds it (for either restrict_to_cdn). */
static int container_read_policy(const struct lsms_provider_data *pd, struct cty_value *state,
                                 const char *actual)
{
    if (!cty_attr_string(state, "origin_secret")) {
        /* After import: the secret lives in the policy's User-Agent condition. */
        char *ua = container_policy_user_agent(actual);
        int rc = ua ? resource_set_string(state, "origin_secret", ua) : container_secret_set(state);
        if (ua)
            explicit_bzero(ua, strlen(ua));
        free(ua);
        if (rc != 0)
            return -1;
    }
    bool restrict_to_cdn = cty_attr_bool(state, "restrict_to_cdn", true);
    if (resource_set_bool(state, "restrict_to_cdn", restrict_to_cdn) != 0)
        return -1;
    const char *mine = cty_attr_string(state, "policy");
    if (!actual)
        return container_set_policy_text(state, NULL);
    if (mine)
        return json_policy_equal(mine, actual) ? 0 : container_set_policy_text(state, actual);
    for (int i = 0; i < 2; i++) {
        bool r = i == 0 ? restrict_to_cdn : !restrict_to_cdn;
        char *generated = container_policy_generated(pd, state, r, NULL);
        bool same = generated && json_policy_equal(generated, actual);
        free(generated);
        if (same)
            return resource_set_bool(state, "restrict_to_cdn", r);
    }
    return container_set_policy_text(state, actual);
}

static int container_read_cors(struct cty_value *state, const cJSON *answer)
{
    struct cty_type *list_t = cty_value_type(cty_value_attr(state, "cors_rules"));
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(answer, "CorsPolicy");
    char *text = policy ? cJSON_PrintUnformatted(policy) : NULL;
    /* No CORS policy reads as no rules, which differs from any plan (1 to 100). */
    struct cty_value *rules = text ? container_cors_rules_from_policy(text, list_t, NULL)
                                   : cty_collection_new(list_t);
    free(text);
    if (!rules || cty_object_set(state, "cors_rules", rules) != 0) {
        return -1;
    }
    return 0;
}

static int container_read_lifecycle(struct cty_value *state, const cJSON *answer)
{
    struct cty_type *list_t = cty_value_type(cty_value_attr(state, "lifecycle_rules"));
    const char *policy =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(answer, "LifecyclePolicy"));
    struct container_lifecycle_rules rules = {0};
    /* A policy written by other tools in a shape we cannot express reads as
     * no rules: the plan then shows the configured rules being put back. */
    if (policy)
        container_lifecycle_policy_parse(policy, &rules, NULL);
    struct cty_value *v = container_lifecycle_rules_to_value(&rules, list_t);
    container_lifecycle_rules_clean_up(&rules);
    if (!v || cty_object_set(state, "lifecycle_rules", v) != 0) {
        return -1;
    }
    return 0;
}

static int container_read_metrics(struct cty_value *state, const cJSON *answer)
{
    const cJSON *policy = cJSON_GetObjectItemCaseSensitive(answer, "MetricPolicy");
    const char *level =
        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(policy, "ContainerLevelMetrics"));
    return resource_set_bool(state, "container_level_metrics",
                             level && strcmp(level, "ENABLED") == 0);
}

/* tags_all is what AWS holds; tags keeps the configured keys (with AWS's
 * values, absent ones dropped) plus keys added outside Terraform that are
 * not provider default tags. */
static int container_read_tags(const struct lsms_provider_data *pd, struct cty_value *state,
                               const cJSON *answer)
{
    struct cty_type *map_t = cty_value_type(cty_value_attr(state, "tags_all"));
    const struct cty_value *old = cty_value_attr(state, "tags");
    struct cty_value *all = cty_collection_new(map_t), *tags = cty_collection_new(map_t);
    const cJSON *tag;
    cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(answer, "Tags"))
    {
        const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tag, "Key"));
        const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(tag, "Value"));
        if (!k || !all || !tags)
            continue;
        const struct cty_value *dflt = cty_value_map_get(pd->default_tags, k);
        bool mine = old && !cty_value_is_null(old) && cty_value_map_get(old, k);
        bool is_default = dflt && strcmp(cty_value_string(dflt), v ? v : "") == 0;
        if (cty_map_put(all, k, cty_string_new(v ? v : "")) != 0 ||
            ((mine || !is_default) && cty_map_put(tags, k, cty_string_new(v ? v : "")) != 0))
            goto fail;
    }
    if (!all || !tags)
        goto fail;
    if (cty_value_length(tags) == 0 && (!old || cty_value_is_null(old))) {
        cty_value_destroy(tags);
        tags = cty_null_new(map_t);
    }
    if (cty_object_set(state, "tags_all", all) != 0) {
        all = NULL;
        goto fail;
    }
    all = NULL;
    if (!tags || cty_object_set(state, "tags", tags) != 0)
        goto fail;
    return 0;
fail:
    cty_value_destroy(all);
    cty_value_destroy(tags);
    return -1;
}

static enum resource_result container_read(struct resource_ctx *ctx, struct cty_value *state,
                                           bool *gone)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct aws_client *c = pd->client;
    const char *id = cty_attr_string(state, "id");
    char *name = strdup(id ? id : cty_attr_string(state, "name") ? cty_attr_string(state, "name") : "");
    struct aws_error err = {0};
    struct container_batch batch = {0};
    cJSON *out = NULL;
    enum resource_result result = RESOURCE_ERROR;
    if (!name) {
        resource_diag_oom(ctx->diags);
        return RESOURCE_ERROR;
    }
    if (container_api_call_named(c, "DescribeContainer", name, NULL, NULL, &out, &err) != 0) {
        if (container_api_is_not_found(&err)) {
            *gone = true;
            result = RESOURCE_OK;
        } else {
            resource_diag_aws(ctx->diags, NULL, "Cannot read the MediaStore container", &err);
        }
        goto done;
    }
    const cJSON *container = cJSON_GetObjectItemCaseSensitive(out, "Container");
    const char *status = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(container, "Status"));
    const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(container, "ARN"));
    if (status && strcmp(status, "DELETING") == 0) {
        /* On its way out: plan it as a new container. */
        *gone = true;
        result = RESOURCE_OK;
        goto done;
    }
    struct buf group = {0};
    int set = buf_printf(&group, "/aws/mediastore/%s", name) ||
              container_set_description(state, container, true) ||
              resource_set_string(state, "id", name) || resource_set_string(state, "name", name) ||
              resource_set_string(state, "log_group_name", group.data);
    buf_clean_up(&group);
    if (set != 0 || !arn)
        goto oom;
    struct container_call *policy = container_batch_add(
        &batch, c, "GetContainerPolicy", container_input(name, NULL, NULL, false),
        "Cannot read the container policy", "policy");
    struct container_call *cors = container_batch_add(
        &batch, c, "GetCorsPolicy", container_input(name, NULL, NULL, false),
        "Cannot read the CORS policy", "cors_rules");
    struct container_call *lifecycle = container_batch_add(
        &batch, c, "GetLifecyclePolicy", container_input(name, NULL, NULL, false),
        "Cannot read the lifecycle policy", "lifecycle_rules");
    struct container_call *metrics = container_batch_add(
        &batch, c, "GetMetricPolicy", container_input(name, NULL, NULL, false),
        "Cannot read the metric policy", "container_level_metrics");
    cJSON *tags_in = cJSON_CreateObject();
    if (tags_in && !cJSON_AddStringToObject(tags_in, "Resource", arn)) {
        cJSON_Delete(tags_in);
        tags_in = NULL;
    }
    struct container_call *tags = container_batch_add(&batch, c, "ListTagsForResource", tags_in,
                                                      "Cannot read the container tags", "tags");
    if (batch.oom)
        goto oom;
    policy->absent_code = lifecycle->absent_code = metrics->absent_code =
        "PolicyNotFoundException";
    cors->absent_code = "CorsPolicyNotFoundException";
    if (container_batch_run(&batch, ctx->diags) != 0)
        goto done;
    if (container_read_policy(pd, state,
                              cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
                                  policy->out, "Policy"))) != 0 ||
        container_read_cors(state, cors->out) != 0 ||
        container_read_lifecycle(state, lifecycle->out) != 0 ||
        container_read_metrics(state, metrics->out) != 0 ||
        container_read_tags(pd, state, tags->out) != 0)
        goto oom;
    result = RESOURCE_OK;
    goto done;
oom:
    resource_diag_oom(ctx->diags);
done:
    container_batch_clean_up(&batch);
    cJSON_Delete(out);
    aws_error_clean_up(&err);
    free(name);
    return result;
}

/* ---- update ---- */

/* Whether the container policy to put differs from the prior one. */
static bool container_policy_changed(const struct cty_value *prior, const struct cty_value *state)
{
    const char *was = cty_attr_string(prior, "policy"), *now = cty_attr_string(state, "policy");
    if (!was != !now)
        return true;
    if (now)
        return !json_policy_equal(was, now);
    return resource_attr_changed(prior, state, "restrict_to_cdn") ||
           resource_attr_changed(prior, state, "origin_secret");
}

/* {"Resource": arn, member: []}; *list is the empty array. NULL when out of memory. */
static cJSON *container_tag_input(const char *arn, const char *member, cJSON **list)
{
    cJSON *in = cJSON_CreateObject();
    *list = in && cJSON_AddStringToObject(in, "Resource", arn)
                ? cJSON_AddArrayToObject(in, member)
                : NULL;
    if (!*list) {
        cJSON_Delete(in);
        return NULL;
    }
    return in;
}

/* TagResource / UntagResource for the difference between two tag maps. */
static void container_add_tag_changes(struct container_batch *b, struct aws_client *c,
                                      const char *arn, const struct cty_value *was,
                                      const struct cty_value *now)
{
    cJSON *set, *drop;
    cJSON *tag_in = container_tag_input(arn, "Tags", &set);
    cJSON *untag_in = container_tag_input(arn, "TagKeys", &drop);
    if (!tag_in || !untag_in)
        b->oom = true;
    for (size_t i = 0; set && i < cty_value_length(now); i++) {
        const char *k = cty_value_map_key(now, i);
        const struct cty_value *old = cty_value_map_get(was, k);
        if (old && cty_value_equal(old, cty_value_index(now, i)))
            continue;
        const char *v = cty_value_string(cty_value_index(now, i));
        cJSON *tag = cJSON_CreateObject();
        if (tag)
            cJSON_AddItemToArray(set, tag);
        if (!tag || !cJSON_AddStringToObject(tag, "Key", k) ||
            !cJSON_AddStringToObject(tag, "Value", v ? v : ""))
            b->oom = true;
    }
    for (size_t i = 0; drop && i < cty_value_length(was); i++) {
        const char *k = cty_value_map_key(was, i);
        cJSON *key = cty_value_map_get(now, k) ? NULL : cJSON_CreateString(k);
        if (key)
            cJSON_AddItemToArray(drop, key);
    }
    if (cJSON_GetArraySize(set) > 0)
        container_batch_add(b, c, "TagResource", tag_in, "Cannot tag the container", "tags");
    else
        cJSON_Delete(tag_in);
    if (cJSON_GetArraySize(drop) > 0)
        container_batch_add(b, c, "UntagResource", untag_in, "Cannot untag the container",
                            "tags");
    else
        cJSON_Delete(untag_in);
}

static enum resource_result container_update(struct resource_ctx *ctx,
                                             const struct cty_value *prior,
                                             const struct cty_value *config,
                                             struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct aws_client *c = pd->client;
    const char *name = cty_attr_string(state, "name");
    const char *arn = cty_attr_string(prior, "arn");
    struct container_docs docs = {0};
    struct container_batch batch = {0};
    enum resource_result result = RESOURCE_ERROR;
    bool logging = cty_attr_bool(state, "access_logging", true);

    if (resource_set_tags_all(pd, state) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    if (container_docs_build(pd, state, &docs, ctx->diags) != 0)
        goto done;
    if (logging && !cty_attr_bool(prior, "access_logging", false) &&
        container_logging_role(ctx, c, state) != 0)
        goto done;
    if (container_policy_changed(prior, state))
        container_add_policy_put(&batch, c, name, docs.policy);
    if (resource_attr_changed(prior, state, "cors_rules"))
        container_add_cors_put(&batch, c, name, docs.cors);
    if (resource_attr_changed(prior, state, "lifecycle_rules"))
        container_add_lifecycle_put(&batch, c, name, docs.lifecycle);
    if (resource_attr_changed(prior, state, "container_level_metrics"))
        container_add_metrics_put(&batch, c, name,
                                  cty_attr_bool(state, "container_level_metrics", true));
    if (resource_attr_changed(prior, state, "access_logging"))
        container_add_logging(&batch, c, name, logging);
    if (arn)
        container_add_tag_changes(&batch, c, arn, cty_value_attr(prior, "tags_all"),
                                  cty_value_attr(state, "tags_all"));
    if (container_batch_run(&batch, ctx->diags) != 0)
        goto done;
    result = RESOURCE_OK;
done:
    container_batch_clean_up(&batch);
    container_docs_clean_up(&docs);
    return result;
}

/* ---- delete ---- */

/* Objects may keep arriving while we empty the container (a channel still
 * writing): empty and retry DeleteContainer this many times. */
#define CONTAINER_EMPTY_ATTEMPTS 3

static int container_empty(struct aws_client *c, const struct cty_value *prior, const char *name,
                           struct aws_error *err)
{
    const char *known = cty_attr_string(prior, "endpoint");
    char *endpoint = known ? strdup(known) : NULL;
    if (!endpoint) {
        cJSON *out = NULL;
        if (container_api_call_named(c, "DescribeContainer", name, NULL, NULL, &out, err) != 0)
            return -1;
        const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(out, "Container"), "Endpoint"));
        endpoint = e ? strdup(e) : NULL;
        cJSON_Delete(out);
        if (!endpoint)
            return aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the container has no endpoint", 0,
                                 NULL);
    }
    int rc = container_objects_delete_all(c, endpoint, NULL, err);
    free(endpoint);
    return rc;
}

static enum resource_result container_delete(struct resource_ctx *ctx,
                                             const struct cty_value *prior)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    struct aws_client *c = pd->client;
    const char *name = cty_attr_string(prior, "id");
    bool force = cty_attr_bool(prior, "force_destroy", false);
    uint64_t timeout_ms = resource_timeout_ms(prior, "delete", CONTAINER_DELETE_TIMEOUT_MS);
    struct aws_error err = {0};
    int rc = -1;
    if (!name)
        name = cty_attr_string(prior, "name");
    for (int attempt = 0; attempt < CONTAINER_EMPTY_ATTEMPTS; attempt++) {
        aws_error_clean_up(&err);
        if (force && (rc = container_empty(c, prior, name, &err)) != 0)
            break;
        rc = container_delete_and_wait(c, name, timeout_ms, &err);
        if (rc == 0 || !force || !aws_error_is(&err, "ContainerInUseException"))
            break;
    }
    if (rc == 0)
        return RESOURCE_OK;
    if (container_api_is_not_found(&err)) {
        aws_error_clean_up(&err);
        return RESOURCE_OK;
    }
    if (!force && aws_error_is(&err, "ContainerInUseException")) {
        diags_error(ctx->diags, "force_destroy", "The MediaStore container is not empty",
                    "MediaStore deletes only empty containers, and %s still holds objects. Set "
                    "force_destroy = true and apply before destroying to delete its objects "
                    "with it, or delete them yourself.",
                    name);
    } else {
        resource_diag_aws(ctx->diags, force ? "force_destroy" : NULL,
                          "Cannot delete the MediaStore container", &err);
    }
    aws_error_clean_up(&err);
    return RESOURCE_ERROR;
}

/* ---- import ---- */

/* The name is the id; read fills in the rest. Arguments read cannot see
 * get their defaults, so the plan after import is empty. */
enum resource_result container_import(struct resource_ctx *ctx, const char *id,
                                      struct cty_value *state)
{
    if (resource_set_string(state, "id", id) != 0 || resource_set_string(state, "name", id) != 0 ||
        resource_set_bool(state, "force_destroy", false) != 0 ||
        resource_set_bool(state, "create_logging_role", true) != 0) {
        resource_diag_oom(ctx->diags);
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

const struct lsms_resource lsms_container_resource = {
    .type_name = "lsms_container",
    .schema = &container_schema,
    .validate = container_validate,
    .modify_plan = container_modify_plan,
    .create = container_create,
    .read = container_read,
    .update = container_update,
    .delete = container_delete,
    .import = container_import,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
    .identity = &container_identity, /* container_identity.c */
    .list = &container_list,         /* container_list.c */
};
