/*
 * dashboard_list.c - list resource lsms_dashboard (list.h): the account's
 * CloudWatch dashboards that lsms_dashboard can manage, that is whose body
 * is the solution's (Logs Insights widgets over one container's access
 * logs, or S3 request metrics of one bucket): an account holds dashboards
 * of every kind, and importing another would fail.
 *
 * ListDashboards (the name prefix is CloudWatch's own DashboardNamePrefix)
 * gives the names; each one's body is read (GetDashboard) to tell, and its
 * tags (ListTagsForResource) when the tags filter asks.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/list.h"
#include "resources/common.h"
#include "resources/dashboard/dashboard.h"
#include "resources/dashboard/dashboard_body.h"
#include "resources/listing.h"

static const struct schema_attribute dashboard_list_attrs[] = {
    LSMS_LIST_NAME_PREFIX_ATTR("dashboards"),
    LSMS_LIST_TAGS_ATTR("dashboards"),
    {0}};

static const struct schema dashboard_list_schema = {
    .version = 0,
    .block = {.attributes = dashboard_list_attrs,
              .description = "The account's CloudWatch dashboards whose body is the "
                             "solution's (the ones lsms_dashboard can import); others are "
                             "left out. Reads each dashboard's body."}};

/* Whether dashboard `name` is one of ours and passes the tags filter: 1
 * yes, 0 no (or gone meanwhile), -1 with a diagnostic. */
static int dashboard_list_wanted(struct resource_ctx *ctx, struct aws_client *c,
                                 const struct cty_value *config, const char *name)
{
    cJSON *got = NULL;
    struct aws_error err = {0};
    if (dashboard_get(c, name, &got, &err) != 0) {
        bool gone = dashboard_is_not_found(&err);
        if (!gone)
            resource_diag_aws(ctx->diags, NULL, "Cannot read the CloudWatch dashboard", &err);
        aws_error_clean_up(&err);
        return gone ? 0 : -1;
    }
    const char *body = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(got, "DashboardBody"));
    const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(got, "DashboardArn"));
    struct dashboard_body_inputs in;
    int ours = body && dashboard_body_parse(body, &in) == 0;
    if (ours)
        dashboard_body_inputs_clean_up(&in);
    int wanted = ours;
    if (ours && listing_filters_tags(config)) {
        struct cty_value *tags = arn ? dashboard_tags_list(c, arn, &err) : NULL;
        if (!tags && arn) {
            resource_diag_aws(ctx->diags, "tags", "Cannot read the CloudWatch dashboard's tags",
                              &err);
            aws_error_clean_up(&err);
            wanted = -1;
        } else {
            wanted = listing_tags_match(config, tags) ? 1 : 0;
        }
        cty_value_destroy(tags);
    }
    cJSON_Delete(got);
    return wanted;
}

static enum resource_result dashboard_list_run(struct resource_ctx *ctx,
                                               const struct cty_value *config,
                                               struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    const char *prefix = cty_attr_string(config, "name_prefix");
    char *token = NULL;
    int stop = 0;
    do {
        cJSON *page = NULL;
        struct aws_error err = {0};
        int rc = dashboard_list_page(pd->client, prefix, token, &page, &err);
        free(token);
        token = NULL;
        if (rc != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot list the CloudWatch dashboards", &err);
            aws_error_clean_up(&err);
            stop = -1;
            break;
        }
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, "DashboardEntries")) {
            const char *name =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "DashboardName"));
            if (!name || !listing_name_matches(config, name))
                continue;
            int wanted = dashboard_list_wanted(ctx, pd->client, config, name);
            stop = wanted < 0 ? -1 : wanted > 0 ? listing_emit_imported(ctx, out, dashboard_import, name, name) : 0;
            if (stop != 0)
                break;
        }
        if (stop == 0)
            stop = listing_next_token(ctx, page, "NextToken", &token);
        cJSON_Delete(page);
    } while (stop == 0 && token);
    free(token);
    return stop < 0 ? RESOURCE_ERROR : RESOURCE_OK;
}

const struct resource_list dashboard_list = {
    .config_schema = &dashboard_list_schema,
    .list = dashboard_list_run,
};
