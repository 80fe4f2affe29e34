/*
 * channel_data.c - data source lsms_channel: a MediaLive channel managed
 * elsewhere (another configuration, the console), by id or by name, with
 * what a configuration built around it needs: its state, its input (type,
 * the push endpoints an encoder sends to), its destination and its ladder.
 *
 * It reads the channel exactly as lsms_channel's read does (channel_lookup,
 * into a scratch state of the resource's schema) and copies what it offers,
 * so the data source and the resource never disagree. The pull password is
 * never fetched.
 */
#include <stdlib.h>
#include <string.h>

#include "framework/data_source.h"
#include "resources/channel/channel.h"
#include "resources/channel/channel_api.h"
#include "resources/channel/channel_settings.h"
#include "resources/common.h"
#include "resources/listing.h"
#include "resources/lookup.h"
#include "util/buf.h"

#define CHANNEL_DATA_RENDITIONS_TYPE                                                           \
    "[\"list\",[\"object\",{\"name\":\"string\",\"width\":\"number\",\"height\":\"number\","   \
    "\"bitrate\":\"number\",\"framerate\":\"number\"}]]"

static const struct schema_attribute channel_data_attrs[] = {
    {.name = "id", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "MediaLive channel ID. Exactly one of `id` and `name`."},
    {.name = "name", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .description = "Channel name. Exactly one of `id` and `name`; a name that more than one "
                    "channel of the region has is an error (use the id)."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ARN of the channel."},
    {.name = "state", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Channel state when read: `IDLE`, `STARTING`, `RUNNING`, `STOPPING`..."},
    {.name = "channel_class", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`SINGLE_PIPELINE` or `STANDARD`."},
    {.name = "input_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ID of the attached MediaLive input."},
    {.name = "input_type", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`RTP_PUSH`, `RTMP_PUSH`, `URL_PULL` or `INPUT_DEVICE`."},
    {.name = "input_endpoints", .type = "[\"list\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "URLs an encoder pushes the source to (push inputs; two for a `STANDARD` "
                    "channel; empty otherwise). See the `push_target` function for OBS and "
                    "ffmpeg settings."},
    {.name = "input_security_group_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "ID of the input security group (push inputs; null otherwise)."},
    {.name = "input_cidr", .type = "[\"list\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "CIDR blocks allowed to push (push inputs; null otherwise)."},
    {.name = "pull_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The source a `URL_PULL` input pulls (null otherwise)."},
    {.name = "input_device_id", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The AWS Elemental Link device of an `INPUT_DEVICE` input."},
    {.name = "destination_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Where pipeline 0 writes the HLS output: `s3ssl://<bucket>/<stream_path>` "
                    "or `mediastoressl://<host>/<stream_path>`."},
    {.name = "destination_bucket", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The S3 bucket of the output (null for a MediaStore destination)."},
    {.name = "container_endpoint", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "The MediaStore container endpoint of the output (null for S3)."},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Path of the HLS output in the bucket or container, without extension "
                    "(the master manifest is `<stream_path>.m3u8`)."},
    {.name = "encoding_profile", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`HD-1080p`, `HD-720p` or `SD-540p` when the channel encodes one of these "
                    "ladders; null otherwise."},
    {.name = "renditions", .type = CHANNEL_DATA_RENDITIONS_TYPE, .flags = SCHEMA_COMPUTED,
     .description = "The HLS renditions of `encoding_profile`: name, width, height, video "
                    "bitrate (bit/s) and frame rate; null when the ladder is no profile's."},
    {.name = "role_arn", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "IAM role MediaLive assumes for the channel."},
    {.name = "tags", .type = "[\"map\",\"string\"]", .flags = SCHEMA_COMPUTED,
     .description = "All tags of the channel."},
    {0}};

static const struct schema channel_data_schema = {
    .version = 0,
    .block = {.attributes = channel_data_attrs,
              .description = "A MediaLive channel of the provider's region, by id or by name: "
                             "its state, its input and push endpoints, its destination and its "
                             "ladder, for configurations built around a stream managed "
                             "elsewhere. Reads the channel as `lsms_channel` does; never "
                             "fetches a pull password."}};

static void channel_data_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *id = cty_value_attr(config, "id");
    const struct cty_value *name = cty_value_attr(config, "name");
    if (resource_value_given(id) && resource_value_given(name))
        diags_error(d, "name", "Conflicting arguments",
                    "Look the channel up by id or by name, not both.");
    else if (resource_value_absent(id) && resource_value_absent(name))
        diags_error(d, NULL, "Missing argument",
                    "Set id (the MediaLive channel ID) or name (the channel's name).");
}

/* The id of the one live channel named `name`; malloc'd, or NULL with an
 * error diagnostic (none, several, or the list failed). */
static char *channel_data_id_by_name(struct resource_ctx *ctx, struct aws_client *c,
                                     const char *name)
{
    char *token = NULL, *found = NULL;
    size_t count = 0;
    struct buf ids = {0};
    int failed = 0;
    do {
        cJSON *page = NULL;
        struct aws_error err = {0};
        if (channel_api_list(c, CHANNEL_API_CHANNEL, token, 100, &page, &err) != 0) {
            resource_diag_aws(ctx->diags, "name", "Cannot list the MediaLive channels", &err);
            aws_error_clean_up(&err);
            failed = 1;
            break;
        }
        free(token);
        token = NULL;
        const cJSON *ch;
        cJSON_ArrayForEach(ch, cJSON_GetObjectItemCaseSensitive(page, "channels")) {
            const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "name"));
            const char *st = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "state"));
            const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ch, "id"));
            if (!n || !id || strcmp(n, name) != 0 ||
                (st && (strcmp(st, "DELETED") == 0 || strcmp(st, "DELETING") == 0)))
                continue;
            if (count++ == 0)
                found = strdup(id);
            buf_printf(&ids, "%s%s", ids.len ? ", " : "", id);
        }
        /* Out of memory here must not read as the end of the list ("No such
         * channel"). */
        failed = listing_next_token(ctx, page, "nextToken", &token) != 0;
        cJSON_Delete(page);
    } while (!failed && token);
    if (!failed && count == 0)
        diags_error(ctx->diags, "name", "No such channel",
                    "No MediaLive channel named \"%s\" exists in region %s.", name,
                    ((struct lsms_provider_data *)ctx->provider_data)->region);
    else if (!failed && count > 1)
        diags_error(ctx->diags, "name", "Several channels have this name",
                    "%zu MediaLive channels are named \"%s\" (ids %s): look the one you mean up "
                    "by id.",
                    count, name, ids.data ? ids.data : "");
    else if (!failed && !found)
        resource_diag_oom(ctx->diags);
    if (failed || count != 1) {
        free(found);
        found = NULL;
    }
    buf_clean_up(&ids);
    return found;
}

static const char *const channel_data_copied[] = {
    "id", "name", "arn", "state", "channel_class", "input_id", "input_type", "input_endpoints",
    "input_security_group_id", "input_cidr", "pull_url", "input_device_id",
    "destination_bucket", "container_endpoint", "stream_path", "encoding_profile",
    "renditions", "role_arn", NULL};

static enum resource_result channel_data_read(struct resource_ctx *ctx,
                                              const struct cty_value *config,
                                              struct cty_value *out)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    const char *name = cty_attr_string(config, "name");
    char *id = name ? channel_data_id_by_name(ctx, pd->client, name)
                    : strdup(cty_attr_string(config, "id") ? cty_attr_string(config, "id") : "");
    struct cty_value *state = id ? lookup_state_new(&lsms_channel_resource, ctx->diags) : NULL;
    enum resource_result result = RESOURCE_ERROR;
    bool gone = false;
    if (!id || !state)
        goto done;
    if (channel_import(ctx, id, state) != RESOURCE_OK ||
        channel_lookup(ctx, state, &gone) != RESOURCE_OK)
        goto done;
    if (gone) {
        diags_error(ctx->diags, "id", "No such channel",
                    "No MediaLive channel with id %s exists in region %s.", id, pd->region);
        goto done;
    }
    if (lookup_attrs_copy(out, state, channel_data_copied, ctx->diags) != 0)
        goto done;
    const char *bucket = cty_attr_string(state, "destination_bucket");
    const char *endpoint = cty_attr_string(state, "container_endpoint");
    const char *path = cty_attr_string(state, "stream_path");
    char *url = !path             ? NULL
                : bucket          ? channel_settings_bucket_url(bucket, path)
                : endpoint        ? channel_settings_destination_url(endpoint, path)
                                  : NULL;
    const struct cty_value *all = cty_value_attr(state, "tags_all");
    int rc = resource_set_string(out, "destination_url", url);
    free(url);
    if (rc != 0 || cty_object_set(out, "tags", cty_value_clone(all)) != 0) {
        resource_diag_oom(ctx->diags);
        goto done;
    }
    result = RESOURCE_OK;
done:
    cty_value_destroy(state);
    free(id);
    return result;
}

const struct lsms_data_source lsms_channel_data_source = {
    .type_name = "lsms_channel",
    .schema = &channel_data_schema,
    .validate = channel_data_validate,
    .read = channel_data_read,
};
