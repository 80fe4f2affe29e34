/*
 * container_identity.c - lsms_container's identity: the container name, its
 * region and account (identity.h). The framework copies `name` from the
 * state; region and account are the provider's (containers are regional).
 */
#include <stdio.h>

#include "framework/identity.h"
#include "resources/container/container.h"
#include "resources/scope.h"

static const struct schema_attribute container_identity_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "MediaStore container name (`lsms_container.name`)."},
    LSMS_IDENTITY_REGION_ATTR,
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void container_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                    struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, true);
}

static enum resource_result container_identity_import(struct resource_ctx *ctx,
                                                      const struct cty_value *identity,
                                                      struct cty_value *state)
{
    const char *name = cty_attr_string(identity, "name");
    char what[300];
    snprintf(what, sizeof what, "MediaStore container %s", name ? name : "");
    if (scope_identity_check(ctx, identity, true, what) != 0)
        return RESOURCE_ERROR;
    return container_import(ctx, name, state);
}

const struct resource_identity container_identity = {
    .version = 0,
    .attributes = container_identity_attrs,
    .fill = container_identity_fill,
    .import = container_identity_import,
};
