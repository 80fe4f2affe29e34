/*
 * dashboard_identity.c - lsms_dashboard's identity: the dashboard name and
 * the account (identity.h). CloudWatch dashboards belong to the account,
 * not to a region (their ARN has none), so the identity has no region.
 */
#include <stdio.h>

#include "framework/identity.h"
#include "resources/dashboard/dashboard.h"
#include "resources/scope.h"

static const struct schema_attribute dashboard_identity_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Dashboard name (`lsms_dashboard.name`)."},
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void dashboard_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                    struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, false);
}

static enum resource_result dashboard_identity_import(struct resource_ctx *ctx,
                                                      const struct cty_value *identity,
                                                      struct cty_value *state)
{
    const char *name = cty_attr_string(identity, "name");
    char what[300];
    snprintf(what, sizeof what, "CloudWatch dashboard %s", name ? name : "");
    if (scope_identity_check(ctx, identity, false, what) != 0)
        return RESOURCE_ERROR;
    return dashboard_import(ctx, name, state);
}

const struct resource_identity dashboard_identity = {
    .version = 0,
    .attributes = dashboard_identity_attrs,
    .fill = dashboard_identity_fill,
    .import = dashboard_identity_import,
};
