/*
 * container_data.c - data source lsms_container: a MediaStore container
 * that is a stream's origin, managed elsewhere. What a distribution or a
 * channel in another configuration needs of it: the data endpoint (the
 * channel's container_endpoint, the distribution's origin_endpoint) and the
 * origin secret the container policy expects as User-Agent (the
 * distribution's origin_secret).
 *
 * It reads the container as lsms_container's read does (a scratch state of
 * the resource's schema) and copies what it offers. Deprecated with the
 * resource: MediaStore has ended.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/data_source.h"
#include "resources/common.h"
#include "resources/container/container.h"
#include "resources/container/container_policy.h"
#include "resources/lookup.h"

static const struct schema_attribute container_data_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Container name.", .validators = lsms_name_255_validators},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ARN of the container."},
    {.name = "endpoint", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Data endpoint of the container (`lsms_channel.container_endpoint`, "
                    "`lsms_distribution.origin_endpoint`)."},
    {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`ACTIVE`, `CREATING` or `DELETING`."},
    {.name = "creation_time", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "When the container was created (RFC 3339)."},
    {.name = "access_logging", .type = "bool", .flags = SCHEMA_COMPUTED,
     .description = "Whether access logs go to CloudWatch Logs."},
    {.name = "log_group_name", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "CloudWatch Logs group of the access logs (`lsms_dashboard` reads it)."},
    {.name = "restrict_to_cdn", .type = "bool", .flags = SCHEMA_COMPUTED,
     .description = "Whether the container policy serves only requests carrying the origin "
                    "secret."},
    {.name = "origin_secret", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_SENSITIVE,
     .description = "The User-Agent the container policy expects from the CDN "
                    "(`lsms_distribution.origin_secret`); null when the policy expects none."},
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "All tags of the container."},
    {0}};

static const struct schema container_data_schema = {
    .version = 0,
    .block = {.attributes = container_data_attrs,
              .description = "A MediaStore container that is a stream's origin, managed "
                             "elsewhere: its data endpoint and the origin secret a "
                             "distribution in front of it sends. Reads the container as "
                             "`lsms_container` does.",
              .deprecation_message = CONTAINER_DEPRECATION}};

static const char *const container_data_copied[] = {
    "arn", "endpoint", "status", "creation_time", "access_logging", "log_group_name",
    "restrict_to_cdn", NULL};

static enum resource_result container_data_read(struct resource_ctx *ctx,
                                                const struct cty_value *config,
                                                struct cty_value *out)
{
    const char *name = cty_attr_string(config, "name");
    struct cty_value *state = lookup_state_new(&lsms_container_resource, ctx->diags);
    enum resource_result result = RESOURCE_ERROR;
    bool gone = false;
    char *ua = NULL;
    if (!state || container_import(ctx, name, state) != RESOURCE_OK ||
        lsms_container_resource.read(ctx, state, &gone) != RESOURCE_OK)
        goto done;
    if (gone) {
        diags_error(ctx->diags, "name", "No such container",
                    "No MediaStore container named %s exists in this region.", name);
        goto done;
    }
    if (lookup_attrs_copy(out, state, container_data_copied, ctx->diags) != 0)
        goto done;
    /* The secret the policy really holds: read keeps the generated policy's
     * (state policy null) secret in origin_secret; a policy of its own is
     * in `policy`, its User-Agent condition (if any) is the secret. An
     * unrestricted generated policy expects none. */
    const char *custom = cty_attr_string(state, "policy");
    bool restricted = cty_attr_bool(state, "restrict_to_cdn", false);
    const char *secret = NULL;
    if (custom)
        secret = ua = container_policy_user_agent(custom);
    else if (restricted)
        secret = cty_attr_string(state, "origin_secret");
    if (resource_set_string(out, "origin_secret", secret) != 0 ||
        cty_object_set(out, "tags", cty_value_clone(cty_value_attr(state, "tags_all"))) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    result = RESOURCE_OK;
done:
    if (ua)
        explicit_bzero(ua, strlen(ua));
    free(ua);
    cty_value_destroy(state);
    return result;
}

const struct lsms_data_source lsms_container_data_source = {
    .type_name = "lsms_container",
    .schema = &container_data_schema,
    .read = container_data_read,
};
