/*
 * container_list.c - list resource lsms_container (list.h): the MediaStore
 * containers of the provider's region (ListContainers, paginated), those
 * being deleted left out. The tags filter reads each container's tags
 * (ListTagsForResource), one call per container. Each container is emitted
 * as import by name seeds it.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "framework/list.h"
#include "resources/common.h"
#include "resources/container/container.h"
#include "resources/container/container_api.h"
#include "resources/listing.h"

/* ListContainers takes MaxResults 1 to 100. */
#define CONTAINER_LIST_PAGE 100

static const struct schema_attribute container_list_attrs[] = {
    LSMS_LIST_NAME_PREFIX_ATTR("containers"),
    LSMS_LIST_TAGS_ATTR("containers"),
    {0}};

static const struct schema container_list_schema = {
    .version = 0,
    .block = {.attributes = container_list_attrs,
              .description = "The MediaStore containers of the provider's region (those being "
                             "deleted left out).",
              .deprecation_message = CONTAINER_DEPRECATION}};

/* 1 when the container's tags hold the filter's, 0 when not, -1 on error. */
static int container_list_tags_match(struct resource_ctx *ctx, struct aws_client *c,
                                     const struct cty_value *config, const char *arn)
{
    cJSON *in = cJSON_CreateObject(), *out = NULL;
    struct aws_error err = {0};
    if (!in || !cJSON_AddStringToObject(in, "Resource", arn)) {
        cJSON_Delete(in);
        resource_diag_oom(ctx->diags);
        return -1;
    }
    int rc = container_api_call(c, "ListTagsForResource", in, &out, &err);
    cJSON_Delete(in);
    if (rc != 0) {
        bool gone = container_api_is_not_found(&err);
        if (!gone)
            resource_diag_aws(ctx->diags, "tags", "Cannot read the container's tags", &err);
        aws_error_clean_up(&err);
        return gone ? 0 : -1;
    }
    int match = listing_tags_match_json(config, cJSON_GetObjectItemCaseSensitive(out, "Tags"));
    cJSON_Delete(out);
    return match ? 1 : 0;
}

static enum resource_result container_list_run(struct resource_ctx *ctx,
                                               const struct cty_value *config,
                                               struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    char *token = NULL;
    int stop = 0;
    do {
        cJSON *in = cJSON_CreateObject(), *page = NULL;
        struct aws_error err = {0};
        if (!in || !cJSON_AddNumberToObject(in, "MaxResults", CONTAINER_LIST_PAGE) ||
            (token && !cJSON_AddStringToObject(in, "NextToken", token))) {
            cJSON_Delete(in);
            resource_diag_oom(ctx->diags);
            stop = -1;
            break;
        }
        int rc = container_api_call(pd->client, "ListContainers", in, &page, &err);
        cJSON_Delete(in);
        free(token);
        token = NULL;
        if (rc != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot list the MediaStore containers", &err);
            aws_error_clean_up(&err);
            stop = -1;
            break;
        }
        const cJSON *c;
        cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(page, "Containers")) {
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "Name"));
            const char *arn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "ARN"));
            const char *status =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(c, "Status"));
            if (!name || (status && strcmp(status, "DELETING") == 0) ||
                !listing_name_matches(config, name))
                continue;
            int match = listing_filters_tags(config) && arn
                            ? container_list_tags_match(ctx, pd->client, config, arn)
                            : !listing_filters_tags(config);
            if (match < 0)
                stop = -1;
            else if (match > 0)
                stop = listing_emit_imported(ctx, out, container_import, name, name);
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

const struct resource_list container_list = {
    .config_schema = &container_list_schema,
    .list = container_list_run,
};
