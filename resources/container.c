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

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/container_policy.h"
#include "resources/provider.h"
#include "util/buf.h"

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
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]{1,255}$",
          .message = "letters, digits, '-' and '_', 1 to 255 characters"},
         {0}}},
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
                             "and access logging."},
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

/* id and log_group_name follow from the name, so they are known at plan. */
static void container_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                  const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
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

const struct lsms_resource lsms_container_resource = {
    .type_name = "lsms_container",
    .schema = &container_schema,
    .validate = container_validate,
    .modify_plan = container_modify_plan,
    .create = NULL, /* not implemented yet */
    .read = NULL,
    .update = NULL,
    .delete = NULL,
    .import = NULL,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
};
