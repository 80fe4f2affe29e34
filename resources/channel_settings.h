/*
 * channel_settings.h - MediaLive request bodies for lsms_channel, built as
 * cJSON trees in the REST-JSON wire form (lowerCamel member names exactly as
 * the botocore medialive 2017-10-14 model's locationName values).
 *
 * Pure builders: no I/O, no AWS client. Every *_new function returns a tree
 * the caller owns and frees with cJSON_Delete, or NULL when a required
 * argument is missing or invalid or memory runs out. Input structs are only
 * read; their strings stay owned by the caller.
 */
#ifndef LSMS_RESOURCES_CHANNEL_SETTINGS_H
#define LSMS_RESOURCES_CHANNEL_SETTINGS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "resources/ladder.h"

/* One resource tag (the bodies carry tags as a JSON object). */
struct channel_settings_tag {
    const char *key;
    const char *value;
};

/* What CreateChannel / UpdateChannel need. NULL optional members are left
 * out of the body. */
struct channel_settings_channel {
    const char *name;                   /* required */
    const char *channel_class;          /* "SINGLE_PIPELINE" | "STANDARD"; create only */
    const char *role_arn;               /* required */
    const char *input_id;               /* required */
    const char *input_attachment_name;  /* optional */
    const char *input_type;             /* required; URL_PULL loops its source */
    /* Output URLs (see channel_settings_destination_url). A STANDARD channel
     * has two pipelines, and MediaLive wants one URL for each: the second is
     * required then and must differ from the first. */
    const char *destination_url;
    const char *destination_url_b;
    const struct ladder_profile *profile; /* required */
    const char *request_id;             /* idempotency token; create only */
    const char *log_level;              /* optional: ERROR|WARNING|INFO|DEBUG|DISABLED */
    const struct channel_settings_tag *tags; /* create only */
    size_t tag_count;
};

/* What CreateInput needs for the four input types lsms_channel supports. */
struct channel_settings_input {
    const char *name;                   /* required */
    const char *type;                   /* RTP_PUSH | RTMP_PUSH | URL_PULL | INPUT_DEVICE */
    const char *const *security_group_ids; /* push types: at least one */
    size_t security_group_count;
    const char *pull_url;               /* URL_PULL: required */
    const char *pull_user;              /* URL_PULL: optional */
    const char *pull_password_param;    /* URL_PULL: SSM parameter name, optional */
    const char *input_device_id;        /* INPUT_DEVICE: required */
    const char *request_id;             /* optional idempotency token */
    const struct channel_settings_tag *tags;
    size_t tag_count;
};

/* The EncoderSettings of a profile: one H.264 video description, one AAC
 * audio description and one HLS output per rung, in one HLS output group
 * writing to destination "destination1". NULL profile gives NULL. */
cJSON *channel_settings_encoder_new(const struct ladder_profile *profile);

/* The CreateChannel body (POST /prod/channels). */
cJSON *channel_settings_create_body_new(const struct channel_settings_channel *ch);

/* The UpdateChannel body (PUT /prod/channels/{channelId}): the same settings
 * without the members UpdateChannel does not accept (channelClass,
 * requestId, tags); the channel id travels in the URL. */
cJSON *channel_settings_update_body_new(const struct channel_settings_channel *ch);

/* The CreateInput body (POST /prod/inputs). RTMP_PUSH gets one destination
 * with stream name "<name>/stream" (the seed's convention); URL_PULL one
 * source; INPUT_DEVICE one device. */
cJSON *channel_settings_input_body_new(const struct channel_settings_input *in);

/* The CreateInputSecurityGroup / UpdateInputSecurityGroup body:
 * {"whitelistRules":[{"cidr":...}], "tags":{...}}. MediaLive refuses an
 * empty whitelist, so cidr_count 0 gives NULL. */
cJSON *channel_settings_security_group_body_new(const char *const *cidrs, size_t cidr_count,
                                                const struct channel_settings_tag *tags,
                                                size_t tag_count);

/* Turns a container endpoint ("https://abc.data.mediastore.us-east-1.amazonaws.com",
 * with or without scheme or trailing slash) and a stream path ("stream/index")
 * into the MediaLive output URL "mediastoressl://<host>/<stream_path>".
 * Returns a malloc'd string the caller frees, or NULL when the host is empty,
 * the path is empty, or memory runs out. */
char *channel_settings_destination_url(const char *endpoint, const char *stream_path);

#endif
