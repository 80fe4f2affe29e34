/*
 * distribution_identity.c - lsms_distribution's identity: the CloudFront
 * distribution id and the account (identity.h). CloudFront is a global
 * service: the identity has no region.
 */
#include <stdio.h>

#include "framework/identity.h"
#include "resources/distribution/distribution.h"
#include "resources/scope.h"

static const struct schema_attribute distribution_identity_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "CloudFront distribution ID (`lsms_distribution.id`)."},
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void distribution_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                       struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, false);
}

static enum resource_result distribution_identity_import(struct resource_ctx *ctx,
                                                         const struct cty_value *identity,
                                                         struct cty_value *state)
{
    const char *id = cty_attr_string(identity, "id");
    char what[160];
    snprintf(what, sizeof what, "CloudFront distribution %s", id ? id : "");
    if (scope_identity_check(ctx, identity, false, what) != 0)
        return RESOURCE_ERROR;
    return distribution_import(ctx, id, state);
}

const struct resource_identity distribution_identity = {
    .version = 0,
    .attributes = distribution_identity_attrs,
    .fill = distribution_identity_fill,
    .import = distribution_identity_import,
};
