/*
 * distribution.c - lsms_distribution: the Amazon CloudFront distribution in
 * front of the container.
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (validate, plan, and later create/read/update/
 * delete/import).
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/provider.h"
#include "util/buf.h"

/* ======================= schema ======================= */

static const char *const distribution_price_classes[] = {"PriceClass_All", "PriceClass_200",
                                                         "PriceClass_100", NULL};
static const char *const distribution_http_versions[] = {"http1.1", "http2", "http3",
                                                         "http2and3", NULL};

/* The origin is the container endpoint: an https URL or a bare host name. */
static void distribution_origin_check(const struct cty_value *v, const struct attr_path *path,
                                      struct diags *d)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    const char *host = strncmp(s, "https://", 8) == 0 ? s + 8 : s;
    size_t len = strcspn(host, "/");
    bool ok = len > 0 && len <= 253 && (host[len] == '\0' || strcmp(host + len, "/") == 0);
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)host[i]) || host[i] == '-' || host[i] == '.' ||
             host[i] == ':';
    ok = ok && strstr(s, "://") == (host == s ? NULL : s + 5);
    if (!ok)
        diags_add(d, DIAG_ERROR, path, "Invalid value for \"origin_endpoint\"",
                  "The value \"%s\" is neither an https URL nor a host name; expected the "
                  "container endpoint, such as https://abc123.data.mediastore.us-east-1."
                  "amazonaws.com.",
                  s);
}

#define TTL_VALIDATORS                                                                         \
    ((const struct schema_validator[]){{.kind = VALIDATE_INT_RANGE, .min = 0, .max = 31536000}, \
                                       {0}})

static const struct schema_attribute distribution_attrs[] = {
    {.name = "origin_endpoint", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "The container endpoint (`lsms_container.endpoint`): an https URL or a host "
                    "name. CloudFront reaches it over HTTPS only.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_FUNC, .func = distribution_origin_check}, {0}}},
    {.name = "origin_secret", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
     .description = "Sent to the origin as the User-Agent header (`lsms_container."
                    "origin_secret`), so the container serves only this distribution."},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"stream/index\"",
     .description = "Path of the HLS output in the container, without extension.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {0}}},
    {.name = "comment", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Comment shown in the CloudFront console (up to 128 characters).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 0, .max = 128}, {0}}},
    {.name = "enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true", .description = "Whether the distribution serves requests."},
    {.name = "price_class", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"PriceClass_All\"",
     .description = "Edge locations used: `PriceClass_All`, `PriceClass_200` or "
                    "`PriceClass_100`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = distribution_price_classes}, {0}}},
    {.name = "ipv6_enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true", .description = "Serve viewers over IPv6 too."},
    {.name = "http_version", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"http2and3\"",
     .description = "Highest HTTP version for viewers: `http1.1`, `http2`, `http3` or "
                    "`http2and3`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = distribution_http_versions}, {0}}},
    {.name = "manifest_ttl_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "2",
     .description = "Cache time of `*.m3u8` manifests in seconds (live manifests change every "
                    "segment).",
     .validators = TTL_VALIDATORS},
    {.name = "segment_ttl_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "86400", .description = "Cache time of media segments in seconds.",
     .validators = TTL_VALIDATORS},
    {.name = "error_caching_min_ttl", .type = "number",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = "1",
     .description = "Cache time of error responses (400, 403, 404, 405, 414, 416, 500, 501, "
                    "502, 503, 504) in seconds, as in the seed.",
     .validators = TTL_VALIDATORS},
    {.name = "logging_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "S3 bucket domain for standard access logs (for example "
                    "`logs.s3.amazonaws.com`); unset disables them."},
    {.name = "logging_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Key prefix of the access logs in `logging_bucket`."},
    {.name = "web_acl_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "AWS WAF web ACL (ARN for WAFv2) to associate."},
    {.name = "wait_for_deployment", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Wait until the distribution is `Deployed` on create and update."},
    {.name = "retain_on_delete", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "false",
     .description = "On destroy, disable the distribution but keep it instead of deleting it."},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Distribution ID."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the distribution."},
    {.name = "domain_name", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "CloudFront domain name, such as `d111111abcdef8.cloudfront.net`."},
    {.name = "hosted_zone_id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Route 53 zone ID for alias records to the distribution."},
    {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`InProgress` or `Deployed`."},
    {.name = "etag", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Current ETag of the distribution config."},
    {.name = "live_stream_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Playback URL: `https://<domain_name>/<stream_path>.m3u8`."},
    {0}};

static const struct schema_attribute distribution_timeout_attrs[] = {
    LSMS_TIMEOUT_ATTR("create", "30m"),
    LSMS_TIMEOUT_ATTR("update", "30m"),
    LSMS_TIMEOUT_ATTR("delete", "45m"),
    {0}};

static const struct schema_block distribution_timeouts_block = {
    .attributes = distribution_timeout_attrs,
    .description = "Time limits of the slow operations."};

static const struct schema_block_type distribution_block_types[] = {
    {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &distribution_timeouts_block},
    {0}};

static const struct schema distribution_schema = {
    .version = 0,
    .block = {.attributes = distribution_attrs,
              .block_types = distribution_block_types,
              .description = "An Amazon CloudFront distribution delivering the live stream from "
                             "the container."},
};

/* ======================= operations ======================= */

/* live_stream_url follows from domain_name, which is only known once the
 * distribution exists (kept from state on update); until then it stays
 * unknown. */
static void distribution_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                     const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    const char *domain = cty_attr_string(planned, "domain_name");
    const char *path = cty_attr_string(planned, "stream_path");
    if (domain && path) {
        struct buf url = {0};
        if (buf_printf(&url, "https://%s/%s.m3u8", domain, path) == 0)
            lsms_plan_set_string(planned, "live_stream_url", url.data);
        buf_clean_up(&url);
    }
    lsms_tags_all_plan(ctx, config, planned);
}

const struct lsms_resource lsms_distribution_resource = {
    .type_name = "lsms_distribution",
    .schema = &distribution_schema,
    .validate = NULL, /* the schema's validators cover every argument */
    .modify_plan = distribution_modify_plan,
    .create = NULL, /* not implemented yet */
    .read = NULL,
    .update = NULL,
    .delete = NULL,
    .import = NULL,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
};
