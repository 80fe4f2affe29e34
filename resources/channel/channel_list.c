/*
 * channel_list.c - list resource lsms_channel (list.h): the MediaLive
 * channels of the provider's region, whoever created them, for
 * `terraform query` to show and `-generate-config-out` to adopt.
 *
 * ListChannels pages give each channel's id, name, state and tags, so the
 * filters cost no call of their own. Deleted channels (MediaLive lists them
 * for a while as DELETING or DELETED) are left out. Each channel is emitted
 * as import by id seeds it: the framework's read then finds its input,
 * security group and destination exactly as an import would.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/list.h"
#include "resources/channel/channel.h"
#include "resources/channel/channel_api.h"
#include "resources/common.h"
#include "resources/listing.h"

/* MediaLive's ListChannels takes up to 1000 per page (MaxResults). */
#define CHANNEL_LIST_PAGE 100

static const char *const channel_list_states[] = {"CREATING", "CREATE_FAILED", "IDLE", "STARTING",
                                                  "RUNNING", "RECOVERING", "STOPPING",
                                                  "UPDATING", "UPDATE_FAILED", NULL};

static const struct schema_attribute channel_list_attrs[] = {
    LSMS_LIST_NAME_PREFIX_ATTR("channels"),
    LSMS_LIST_TAGS_ATTR("channels"),
    {.name = "state", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Only channels in this state, such as `RUNNING` or `IDLE`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = channel_list_states}, {0}}},
    {0}};

static const struct schema channel_list_schema = {
    .version = 0,
    .block = {.attributes = channel_list_attrs,
              .description = "The MediaLive channels of the provider's region (deleted ones "
                             "left out), with their inputs, security groups and destinations "
                             "as import reads them."}};

static bool channel_list_wanted(const struct cty_value *config, const cJSON *ch)
{
    const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "state"));
    const char *want = cty_attr_string(config, "state");
    if (!st || strcmp(st, "DELETED") == 0 || strcmp(st, "DELETING") == 0)
        return false;
    if (want && strcmp(want, st) != 0)
        return false;
    return listing_name_matches(config, cJSON_GetStringValue(
                                            cJSON_GetObjectItemCaseSensitive(ch, "name"))) &&
           listing_tags_match_json(config, cJSON_GetObjectItemCaseSensitive(ch, "tags"));
}

/* Emits one channel. 0 to go on, 1 to stop, -1 on error. */
static int channel_list_emit(struct resource_ctx *ctx, struct list_results *out, const cJSON *ch)
{
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "id"));
    const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "name"));
    return id ? listing_emit_imported(ctx, out, channel_import, id, name) : 0;
}

static enum resource_result channel_list_run(struct resource_ctx *ctx,
                                             const struct cty_value *config,
                                             struct list_results *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    char *token = NULL;
    enum resource_result result = RESOURCE_OK;
    do {
        cJSON *page = NULL;
        struct aws_error err = {0};
        if (channel_api_list(pd->client, CHANNEL_API_CHANNEL, token, CHANNEL_LIST_PAGE, &page,
                             &err) != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot list the MediaLive channels", &err);
            aws_error_clean_up(&err);
            result = RESOURCE_ERROR;
            break;
        }
        free(token);
        token = NULL;
        int stop = 0;
        const cJSON *ch;
        cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(page, "channels")) {
            if (!channel_list_wanted(config, ch))
                continue;
            if ((stop = channel_list_emit(ctx, out, ch)) != 0)
                break;
        }
        if (stop == 0)
            stop = listing_next_token(ctx, page, "nextToken", &token);
        cJSON_Delete(page);
        if (stop < 0)
            result = RESOURCE_ERROR;
        if (stop != 0)
            break;
    } while (token);
    free(token);
    return result;
}

const struct resource_list channel_list = {
    .config_schema = &channel_list_schema,
    .list = channel_list_run,
};
