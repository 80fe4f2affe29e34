/*
 * bucket_identity.c - lsms_bucket's identity: the bucket name, its region
 * and the account (identity.h). The framework copies `name` and `region`
 * from the state (a bucket's region is its own, which HeadBucket tells,
 * not necessarily the provider's).
 *
 *     import {
 *       to       = lsms_bucket.origin
 *       identity = { name = "live-origin" }
 *     }
 *
 * Also the configuration generated for an existing bucket.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/identity.h"
#include "resources/bucket/bucket.h"
#include "resources/common.h"
#include "resources/scope.h"

static const struct schema_attribute bucket_identity_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Bucket name (`lsms_bucket.name`)."},
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Region of the bucket (default: the region S3 reports for it)."},
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void bucket_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                 struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, true);
}

/* Import by identity: as import by name; a region given must be the
 * bucket's (HeadBucket says), so that an identity copied from another
 * configuration cannot adopt a namesake elsewhere by mistake. */
static enum resource_result bucket_identity_import(struct resource_ctx *ctx,
                                                   const struct cty_value *identity,
                                                   struct cty_value *state)
{
    const char *name = cty_attr_string(identity, "name");
    const char *want = cty_attr_string(identity, "region");
    char what[128];
    snprintf(what, sizeof what, "S3 bucket %s", name ? name : "");
    if (scope_identity_check(ctx, identity, false, what) != 0 ||
        bucket_import(ctx, name, state) != RESOURCE_OK)
        return RESOURCE_ERROR;
    if (!want)
        return RESOURCE_OK;
    struct lsms_provider_data *pd = resource_provider(ctx);
    char *region = NULL;
    bool gone = false;
    if (!pd || bucket_read_region(ctx, pd->client, name, &region, &gone) != 0)
        return RESOURCE_ERROR;
    enum resource_result rc = RESOURCE_OK;
    if (gone) {
        diags_error(ctx->diags, "name", "Cannot import a bucket that does not exist",
                    "No S3 bucket named %s exists (or it is not visible to these credentials).",
                    name);
        rc = RESOURCE_ERROR;
    } else if (strcmp(region, want) != 0) {
        diags_error(ctx->diags, "region", "Identity of another region",
                    "The import identity names S3 bucket %s in region %s, but the bucket is in "
                    "%s.",
                    name, want, region);
        rc = RESOURCE_ERROR;
    } else if (resource_set_string(state, "region", region) != 0) {
        resource_diag_oom(ctx->diags);
        rc = RESOURCE_ERROR;
    }
    free(region);
    return rc;
}

const struct resource_identity bucket_identity = {
    .version = 0,
    .attributes = bucket_identity_attrs,
    .fill = bucket_identity_fill,
    .import = bucket_identity_import,
};

/* name and name_prefix are exclusive in a configuration, and import sets
 * both for a name that looks generated: the generated configuration names
 * the bucket (name_prefix keeps its imported value in state, so the plan is
 * empty). */
void bucket_generate_config(const struct cty_value *state, struct cty_value *config)
{
    if (cty_attr_string(state, "name"))
        (void)resource_set_string(config, "name_prefix", NULL);
}
