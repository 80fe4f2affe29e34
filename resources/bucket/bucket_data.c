/*
 * bucket_data.c - data source lsms_bucket: an S3 origin bucket managed
 * elsewhere, by name. What a configuration built around a stream whose
 * bucket another configuration owns needs: the region and regional domain
 * (a distribution's origin, the channel's destination must be in the
 * channel's region), and the request-metrics configuration id an
 * lsms_dashboard of that bucket shows (`metrics_filter_id`).
 *
 * It reads the bucket as lsms_bucket's read does (a scratch state of the
 * resource's schema) and copies what it offers.
 */
#include <stdlib.h>

#include "framework/data_source.h"
#include "resources/bucket/bucket.h"
#include "resources/common.h"
#include "resources/lookup.h"

static const struct schema_attribute bucket_data_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Bucket name.", .validators = lsms_bucket_name_validators},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ARN of the bucket."},
    {.name = "region", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Region of the bucket (S3 says where it is)."},
    {.name = "bucket_regional_domain_name", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`<name>.s3.<region>.amazonaws.com`, the origin domain CloudFront reads."},
    {.name = "request_metrics", .type = "bool", .flags = SCHEMA_COMPUTED,
     .description = "Whether the bucket has a request-metrics configuration over the whole "
                    "bucket (what lsms_dashboard shows)."},
    {.name = "metrics_filter_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Id of that configuration (`lsms_dashboard.metrics_filter_id`); null "
                    "without one."},
    {.name = "block_public_access", .type = "bool", .flags = SCHEMA_COMPUTED,
     .description = "Whether all four Block Public Access settings are on."},
    {.name = "object_ownership", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Object Ownership of the bucket."},
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "All tags of the bucket."},
    {0}};

static const struct schema bucket_data_schema = {
    .version = 0,
    .block = {.attributes = bucket_data_attrs,
              .description = "An S3 bucket that is (or will be) a stream's origin, managed "
                             "elsewhere: its region and regional domain, and the request-"
                             "metrics configuration a dashboard of it shows. Reads the bucket "
                             "as `lsms_bucket` does."}};

static const char *const bucket_data_copied[] = {
    "arn", "region", "bucket_regional_domain_name", "request_metrics", "metrics_filter_id",
    "block_public_access", "object_ownership", NULL};

static enum resource_result bucket_data_read(struct resource_ctx *ctx,
                                             const struct cty_value *config,
                                             struct cty_value *out)
{
    const char *name = cty_attr_string(config, "name");
    struct cty_value *state = lookup_state_new(&lsms_bucket_resource, ctx->diags);
    enum resource_result result = RESOURCE_ERROR;
    bool gone = false;
    if (!state || bucket_import(ctx, name, state) != RESOURCE_OK ||
        lsms_bucket_resource.read(ctx, state, &gone) != RESOURCE_OK)
        goto done;
    if (gone) {
        diags_error(ctx->diags, "name", "No such bucket",
                    "No S3 bucket named %s exists (or it is not visible to these credentials).",
                    name);
        goto done;
    }
    if (lookup_attrs_copy(out, state, bucket_data_copied, ctx->diags) != 0)
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

const struct lsms_data_source lsms_bucket_data_source = {
    .type_name = "lsms_bucket",
    .schema = &bucket_data_schema,
    .read = bucket_data_read,
};
