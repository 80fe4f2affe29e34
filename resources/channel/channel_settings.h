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

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "resources/ladder.h"

/* One resource tag (the bodies carry tags as a JSON object). */
struct channel_settings_tag {
    const char *key;
    const char *value;
};

/* Where the HLS output group writes: a MediaStore container
 * (mediastoressl://, no CDN settings, as the seed) or an S3 bucket (s3ssl://
 * with HlsCdnSettings.HlsS3Settings and no CannedAcl: the bucket owner
 * enforces ownership, ACLs are disabled). */
enum channel_settings_store {
    CHANNEL_STORE_MEDIASTORE = 0,
    CHANNEL_STORE_S3,
};

/* The folder, below the stream's own folder, that pipeline 1 of a STANDARD
 * channel writes to: MediaLive wants the two destinations of an output group
 * to differ, and when they are in the same container or bucket "the folder
 * path and file names for the two destinations must be different" (MediaLive
 * user guide, HLS destinations in MediaStore / S3). */
#define CHANNEL_SETTINGS_PIPELINE1_DIR "pipeline1"

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
    enum channel_settings_store store;  /* HLS CDN settings of the output group */
    /* UpdateChannel only: send no input attachment (the channel class change
     * procedure detaches the input while its class changes). */
    bool detached;
    const struct ladder_profile *profile; /* required */
    const char *request_id;             /* idempotency token; create only */
    const char *log_level;              /* optional: ERROR|WARNING|INFO|DEBUG|DISABLED */
    const struct channel_settings_tag *tags; /* create only */
    size_t tag_count;
};

/* What CreateInput / UpdateInput need for the four input types lsms_channel
 * supports. A standard-class input (for STANDARD channels) has two of
 * everything, one per pipeline: two RTMP destinations (with the same stream
 * name: MediaLive gives each its own address), two pull sources (the second
 * URL defaults to the first), two Link devices. RTP push inputs are always
 * standard-class ("CDI inputs and RTP inputs can't be set up as single-class
 * inputs", MediaLive user guide), so `standard` changes nothing for them. */
struct channel_settings_input {
    const char *name;                   /* required */
    const char *type;                   /* RTP_PUSH | RTMP_PUSH | URL_PULL | INPUT_DEVICE */
    const char *const *security_group_ids; /* push types: at least one */
    size_t security_group_count;
    const char *pull_url;               /* URL_PULL: required */
    const char *pull_user;              /* URL_PULL: optional */
    const char *pull_password_param;    /* URL_PULL: SSM parameter name, optional */
    const char *input_device_id;        /* INPUT_DEVICE: required */
    bool standard;                      /* standard-class input: two pipelines */
    const char *pull_url_b;             /* URL_PULL, standard: pipeline 1's source (NULL: pull_url) */
    const char *input_device_id_b;      /* INPUT_DEVICE, standard: required, not input_device_id */
    const char *request_id;             /* optional idempotency token */
    const struct channel_settings_tag *tags;
    size_t tag_count;
};

/* The EncoderSettings of a profile: one H.264 video description, one AAC
 * audio description and one HLS output per rung, in one HLS output group
 * writing to destination "destination1". NULL profile gives NULL.
 * channel_settings_encoder_new is the MediaStore form; _store_new adds the
 * HLS CDN settings of `store`. */
cJSON *channel_settings_encoder_new(const struct ladder_profile *profile);
cJSON *channel_settings_encoder_store_new(const struct ladder_profile *profile,
                                          enum channel_settings_store store);

/* The CreateChannel body (POST /prod/channels). */
cJSON *channel_settings_create_body_new(const struct channel_settings_channel *ch);

/* The UpdateChannel body (PUT /prod/channels/{channelId}): the same settings
 * without the members UpdateChannel does not accept (channelClass,
 * requestId, tags); the channel id travels in the URL. */
cJSON *channel_settings_update_body_new(const struct channel_settings_channel *ch);

/* The CreateInput body (POST /prod/inputs). RTMP_PUSH gets one destination
 * with stream name "<name>/stream" (the seed's convention); URL_PULL one
 * source; INPUT_DEVICE one device; two of each for a standard input. */
cJSON *channel_settings_input_body_new(const struct channel_settings_input *in);

/* The UpdateInput body (PUT /prod/inputs/{inputId}): the name and what
 * feeds the input (security groups and destinations of a push input, the
 * sources of a pull input, the devices of a device input), as for
 * CreateInput; no type, requestId or tags. */
cJSON *channel_settings_input_update_body_new(const struct channel_settings_input *in);

/* The UpdateChannelClass body (PUT /prod/channels/{channelId}/channelClass):
 * {"channelClass":..., "destinations":[{"id":"destination1","settings":
 * [{"url":url}, {"url":url_b}]}]}, url_b only (and then required, and
 * different from url) for STANDARD. */
cJSON *channel_settings_class_body_new(const char *channel_class, const char *url,
                                       const char *url_b);

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

/* "s3ssl://<bucket>/<stream_path>" (the MediaLive user guide's form for an
 * HLS destination in S3). malloc'd, or NULL when an argument is empty. */
char *channel_settings_bucket_url(const char *bucket, const char *stream_path);

/* Pipeline 1's stream path of a STANDARD channel: "stream/index" becomes
 * "stream/pipeline1/index", "index" becomes "pipeline1/index" (same base
 * name, in a folder of its own below the stream's folder, so the role's
 * grant on that folder covers both pipelines). malloc'd or NULL. */
char *channel_settings_pipeline1_path(const char *stream_path);

#endif
