/*
 * dashboard.c - lsms_dashboard: the Amazon CloudWatch dashboard over the
 * container's access logs (and optionally the distribution's metrics).
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (plan, and later create/read/update/delete/
 * import). The body itself is built by dashboard_body.c.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/dashboard_body.h"
#include "resources/provider.h"
#include "util/buf.h"

/* ======================= schema ======================= */

static const struct schema_attribute dashboard_attrs[] = {
    {.name = "name", .type = "string", .flags = SCHEMA_REQUIRED | SCHEMA_REPLACE,
     .description = "Dashboard name: letters, digits, `-` and `_`, 1 to 255 characters. "
                    "Changing it replaces the dashboard.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]{1,255}$",
          .message = "letters, digits, '-' and '_', 1 to 255 characters"},
         {0}}},
    {.name = "container_name", .type = "string", .flags = SCHEMA_REQUIRED,
     .description = "Name of the MediaStore container whose access-log group "
                    "(`/aws/mediastore/<container_name>`) the widgets query.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_-]{1,255}$",
          .message = "a MediaStore container name"},
         {0}}},
    {.name = "region", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Region of the container and its logs (default: the provider's region).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[a-z]{2}(-[a-z]+)+-[0-9]+$",
          .message = "an AWS region name such as us-east-1"},
         {0}}},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"/stream/index\"",
     .description = "Path the ingress and egress widgets match (Logs Insights `like`), as "
                    "logged by MediaStore: with a leading `/`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^/?[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a path such as /stream/index"},
         {0}}},
    {.name = "distribution_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "CloudFront distribution ID; adds request, bytes and error-rate widgets.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Z0-9]{1,64}$",
          .message = "a CloudFront distribution ID such as E2QWRUHAPOMQZL"},
         {0}}},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "The dashboard name."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the dashboard."},
    {.name = "dashboard_body", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The dashboard body JSON, generated from the arguments (compared "
                    "semantically on read)."},
    {.name = "console_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Link to the dashboard in the CloudWatch console."},
    {0}};

static const struct schema dashboard_schema = {
    .version = 0,
    .block = {.attributes = dashboard_attrs,
              .description = "An Amazon CloudWatch dashboard of the container's ingress and "
                             "egress, as the seed solution deploys it."},
};

/* ======================= operations ======================= */

/* Everything computed here follows from the arguments, so the plan shows the
 * exact body and links; only arn waits for the apply. */
static void dashboard_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                  const struct cty_value *config, struct cty_value *planned)
{
    (void)prior;
    const struct lsms_provider_data *pd = ctx ? ctx->provider_data : NULL;
    const char *name = cty_attr_string(config, "name");
    const struct cty_value *region_cfg = cty_value_attr(config, "region");
    if (pd && pd->region && region_cfg && cty_value_is_known(region_cfg) &&
        cty_value_is_null(region_cfg))
        lsms_plan_set_string(planned, "region", pd->region);
    if (name)
        lsms_plan_set_string(planned, "id", name);

    const char *region = cty_attr_string(planned, "region");
    if (name && region) {
        struct buf url = {0};
        if (buf_printf(&url,
                       "https://%s.console.aws.amazon.com/cloudwatch/home?region=%s"
                       "#dashboards:name=%s",
                       region, region, name) == 0)
            lsms_plan_set_string(planned, "console_url", url.data);
        buf_clean_up(&url);
    }

    const struct cty_value *dist = cty_value_attr(planned, "distribution_id");
    const struct dashboard_body_params p = {
        .container_name = cty_attr_string(planned, "container_name"),
        .region = region,
        .stream_path = cty_attr_string(planned, "stream_path"),
        .distribution_id = cty_attr_string(planned, "distribution_id"),
    };
    if (p.container_name && p.region && p.stream_path && dist && cty_value_is_known(dist)) {
        char *body = dashboard_body_build(&p, NULL);
        /* Replace the planned body only when it differs, so an unchanged
         * dashboard keeps its prior value byte for byte. */
        const char *cur = cty_attr_string(planned, "dashboard_body");
        if (body && (!cur || strcmp(cur, body) != 0)) {
            struct cty_value *v = cty_string_new(body);
            if (v && cty_object_set(planned, "dashboard_body", v) != 0)
                cty_value_destroy(v);
        }
        free(body);
    }
    lsms_tags_all_plan(ctx, config, planned);
}

const struct lsms_resource lsms_dashboard_resource = {
    .type_name = "lsms_dashboard",
    .schema = &dashboard_schema,
    .validate = NULL, /* the schema's validators cover every argument */
    .modify_plan = dashboard_modify_plan,
    .create = NULL, /* not implemented yet */
    .read = NULL,
    .update = NULL,
    .delete = NULL,
    .import = NULL,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
};
