/*
 * channel_identity.c - lsms_channel's identity: the MediaLive channel id,
 * its region and account (identity.h). The framework copies `id` from the
 * state; the region and account are the provider's (channels are regional).
 *
 *     import {
 *       to       = lsms_channel.main
 *       identity = { id = "1234567" }
 *     }
 */
#include <stdio.h>

#include "framework/identity.h"
#include "resources/channel/channel.h"
#include "resources/scope.h"

static const struct schema_attribute channel_identity_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "MediaLive channel ID (`lsms_channel.id`)."},
    LSMS_IDENTITY_REGION_ATTR,
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void channel_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                  struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, true);
}

static enum resource_result channel_identity_import(struct resource_ctx *ctx,
                                                    const struct cty_value *identity,
                                                    struct cty_value *state)
{
    const char *id = cty_attr_string(identity, "id");
    char what[160];
    snprintf(what, sizeof what, "MediaLive channel %s", id ? id : "");
    if (scope_identity_check(ctx, identity, true, what) != 0)
        return RESOURCE_ERROR;
    return channel_import(ctx, id, state);
}

const struct resource_identity channel_identity = {
    .version = 0,
    .attributes = channel_identity_attrs,
    .fill = channel_identity_fill,
    .import = channel_identity_import,
};
