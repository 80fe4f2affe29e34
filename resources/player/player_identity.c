/*
 * player_identity.c - lsms_player's identity (identity.h): where its objects
 * are, the origin (the bucket, or the container's data endpoint) and the
 * prefix, with the region and the account. The framework copies `bucket`,
 * `container_endpoint` and `prefix` from the state; region and account are
 * the provider's (the bucket is in the provider's region, as the resource
 * requires; a container endpoint names its own).
 *
 *     import {
 *       to       = lsms_player.demo
 *       identity = { bucket = "live-origin", prefix = "player/" }
 *     }
 */
#include <stdio.h>
#include <string.h>

#include "framework/identity.h"
#include "resources/common.h"
#include "resources/player/player.h"
#include "resources/scope.h"

static const struct schema_attribute player_identity_attrs[] = {
    {.name = "bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "S3 bucket the player is in (`lsms_player.bucket`). Exactly one of "
                    "`bucket` and `container_endpoint`."},
    {.name = "container_endpoint", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Data endpoint of the MediaStore container the player is in "
                    "(`lsms_player.container_endpoint`). Exactly one of `bucket` and "
                    "`container_endpoint`."},
    {.name = "prefix", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Folder of the player's objects, ending with `/` (`lsms_player.prefix`, "
                    "`player/` by default)."},
    LSMS_IDENTITY_REGION_ATTR,
    LSMS_IDENTITY_ACCOUNT_ATTR,
    {0}};

static void player_identity_fill(struct resource_ctx *ctx, const struct cty_value *state,
                                 struct cty_value *identity)
{
    (void)state;
    scope_identity_fill(ctx, identity, true);
}

/* Import by identity: as import by id ("s3://<bucket>/<prefix>" or
 * "<endpoint>#<prefix>"), once the identity names exactly one origin in the
 * provider's region and account. */
static enum resource_result player_identity_import(struct resource_ctx *ctx,
                                                   const struct cty_value *identity,
                                                   struct cty_value *state)
{
    const char *bucket = cty_attr_string(identity, "bucket");
    const char *endpoint = cty_attr_string(identity, "container_endpoint");
    const char *prefix = cty_attr_string(identity, "prefix");
    if ((bucket != NULL) == (endpoint != NULL)) {
        diags_error(ctx->diags, bucket ? "container_endpoint" : "bucket",
                    bucket ? "Conflicting identity attributes" : "Missing identity attribute",
                    "The import identity of lsms_player names its origin with exactly one of "
                    "bucket (an S3 bucket) and container_endpoint (a MediaStore container), "
                    "with the prefix: identity = { bucket = \"live-origin\", prefix = "
                    "\"player/\" }.");
        return RESOURCE_ERROR;
    }
    char id[600];
    int n = snprintf(id, sizeof id, "%s%s%s%s", bucket ? "s3://" : "", bucket ? bucket : endpoint,
                     bucket ? "/" : "#", prefix ? prefix : "");
    if (n < 0 || (size_t)n >= sizeof id - 20) {
        diags_error(ctx->diags, bucket ? "bucket" : "container_endpoint",
                    "Invalid import identity", "The origin or the prefix is too long.");
        return RESOURCE_ERROR;
    }
    char what[sizeof id + 20];
    snprintf(what, sizeof what, "the player at %s", id);
    if (scope_identity_check(ctx, identity, true, what) != 0)
        return RESOURCE_ERROR;
    return player_import(ctx, id, state);
}

const struct resource_identity player_identity = {
    .version = 0,
    .attributes = player_identity_attrs,
    .fill = player_identity_fill,
    .import = player_identity_import,
};
