/*
 * distribution_data.c - data source lsms_distribution: a stream's
 * CloudFront distribution managed elsewhere, by id, with what a
 * configuration built around it needs: the domain viewers use and its
 * status, the origin it serves, and the playback URL of the stream.
 *
 * It reads the distribution as lsms_distribution's read does
 * (distribution_lookup, into a scratch state of the resource's schema)
 * without reading the origin bucket's policy, and copies what it offers.
 */
#include <stdlib.h>

#include "framework/data_source.h"
#include "resources/common.h"
#include "resources/distribution/distribution.h"
#include "resources/lookup.h"

static const struct schema_attribute distribution_data_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "CloudFront distribution ID.",
     .validators = lsms_distribution_id_validators},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"stream/index\"",
     .description = "Path of the stream's HLS output in the origin, without extension, for "
                    "`live_stream_url` (default `stream/index`, the channel's default).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {0}}},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ARN of the distribution."},
    {.name = "domain_name", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "CloudFront domain name, such as `d111111abcdef8.cloudfront.net`."},
    {.name = "hosted_zone_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Route 53 zone ID for alias records to the distribution."},
    {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`InProgress` or `Deployed`."},
    {.name = "enabled", .type = "bool", .flags = SCHEMA_COMPUTED,
     .description = "Whether the distribution serves requests."},
    {.name = "origin_bucket", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The S3 bucket it serves (null for another origin)."},
    {.name = "origin_endpoint", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The container endpoint (or other custom origin) it serves, as a URL "
                    "(null for an S3 bucket)."},
    {.name = "origin_access_control_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The Origin Access Control that signs requests to the bucket (null for "
                    "another origin)."},
    {.name = "comment", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The distribution's comment."},
    {.name = "price_class", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Edge locations used."},
    {.name = "live_stream_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Playback URL: `https://<domain_name>/<stream_path>.m3u8`."},
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "All tags of the distribution."},
    {0}};

static const struct schema distribution_data_schema = {
    .version = 0,
    .block = {.attributes = distribution_data_attrs,
              .description = "A stream's CloudFront distribution, by id: its domain and "
                             "status, the origin it serves and the stream's playback URL. "
                             "Reads the distribution as `lsms_distribution` does, without the "
                             "origin bucket's policy."}};

static const char *const distribution_data_copied[] = {
    "arn", "domain_name", "hosted_zone_id", "status", "enabled", "origin_bucket",
    "origin_endpoint", "origin_access_control_id", "comment", "price_class", "live_stream_url",
    NULL};

static enum resource_result distribution_data_read(struct resource_ctx *ctx,
                                                   const struct cty_value *config,
                                                   struct cty_value *out)
{
    const char *id = cty_attr_string(config, "id");
    const char *path = cty_attr_string(config, "stream_path");
    struct cty_value *state = lookup_state_new(&lsms_distribution_resource, ctx->diags);
    enum resource_result result = RESOURCE_ERROR;
    bool gone = false;
    if (!state || distribution_import(ctx, id, state) != RESOURCE_OK)
        goto done;
    if (path && resource_set_string(state, "stream_path", path) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    if (distribution_lookup(ctx, state, &gone) != RESOURCE_OK)
        goto done;
    if (gone) {
        diags_error(ctx->diags, "id", "No such distribution",
                    "No CloudFront distribution with id %s exists in this account.", id);
        goto done;
    }
    if (lookup_attrs_copy(out, state, distribution_data_copied, ctx->diags) != 0)
        goto done;
    if (cty_object_set(out, "tags", cty_value_clone(cty_value_attr(state, "tags_all"))) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    result = RESOURCE_OK;
done:
    cty_value_destroy(state);
    return result;
}

const struct lsms_data_source lsms_distribution_data_source = {
    .type_name = "lsms_distribution",
    .schema = &distribution_data_schema,
    .read = distribution_data_read,
};
