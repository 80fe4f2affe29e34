/*
 * channel_settings.c - MediaLive request bodies. See channel_settings.h.
 *
 * The per-rung and semantically meaningful values come from ladder.c; the
 * settings below that never vary (transport-stream PIDs, AQ switches, ...)
 * are declared as const field tables in the order of the seed's profiles.
 *
 * Building never stops half-way: every helper takes a struct cs_build that
 * remembers the first allocation failure, and the public functions check it
 * once at the end and free the partial tree. A NULL parent (the result of an
 * earlier failure) is tolerated by every helper.
 */
#include "resources/channel/channel_settings.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cs_kind {
    CS_STR,        /* .str */
    CS_NUM,        /* .num */
    CS_EMPTY_LIST, /* [] */
    CS_STR_LIST1,  /* [.str] */
};

struct cs_field {
    const char *key;
    enum cs_kind kind;
    const char *str;
    double num;
};

#define CS_S(k, v) { .key = (k), .kind = CS_STR, .str = (v) }
#define CS_N(k, v) { .key = (k), .kind = CS_NUM, .num = (v) }
#define CS_EMPTY(k) { .key = (k), .kind = CS_EMPTY_LIST }
#define CS_LIST1(k, v) { .key = (k), .kind = CS_STR_LIST1, .str = (v) }
#define CS_COUNT(t) (sizeof(t) / sizeof((t)[0]))

/* h264Settings members that are the same on every rung. */
static const struct cs_field H264_FIXED[] = {
    CS_S("afdSignaling", "NONE"),
    CS_S("colorMetadata", "INSERT"),
    CS_S("adaptiveQuantization", "HIGH"),
    CS_S("entropyEncoding", "CAVLC"),
    CS_S("flickerAq", "ENABLED"),
    CS_S("framerateControl", "SPECIFIED"),
    CS_S("gopBReference", "ENABLED"),
    CS_S("subgopLength", "DYNAMIC"),
    CS_S("scanType", "PROGRESSIVE"),
    CS_S("lookAheadRateControl", "HIGH"),
    CS_S("parControl", "INITIALIZE_FROM_SOURCE"),
    CS_S("syntax", "DEFAULT"),
    CS_S("sceneChangeDetect", "ENABLED"),
    CS_S("spatialAq", "ENABLED"),
    CS_S("temporalAq", "ENABLED"),
    CS_S("timecodeInsertion", "DISABLED"),
};

/* videoDescriptions[] members outside codecSettings. */
static const struct cs_field VIDEO_FIXED[] = {
    CS_S("respondToAfd", "NONE"),
    CS_S("scalingBehavior", "DEFAULT"),
};

static const struct cs_field AAC_FIXED[] = {
    CS_S("inputType", "NORMAL"),
    CS_S("rawFormat", "NONE"),
    CS_S("spec", "MPEG4"),
    CS_S("rateControlMode", "CBR"),
};

static const struct cs_field AUDIO_FIXED[] = {
    CS_S("audioTypeControl", "FOLLOW_INPUT"),
    CS_S("languageCodeControl", "FOLLOW_INPUT"),
};

/* SCTE-35 splice inserts pass through with the source's flags. */
static const struct cs_field SCTE35_SPLICE_INSERT[] = {
    CS_S("webDeliveryAllowedFlag", "FOLLOW"),
    CS_S("noRegionalBlackoutFlag", "FOLLOW"),
};

/* hlsGroupSettings members that are not ladder_shared values. */
static const struct cs_field HLS_GROUP_FIXED[] = {
    CS_LIST1("adMarkers", "ELEMENTAL_SCTE35"),
    CS_S("captionLanguageSetting", "OMIT"),
    CS_EMPTY("captionLanguageMappings"),
    CS_S("inputLossAction", "EMIT_OUTPUT"),
    CS_S("manifestCompression", "NONE"),
    CS_S("ivInManifest", "INCLUDE"),
    CS_S("ivSource", "FOLLOWS_SEGMENT_NUMBER"),
    CS_S("clientCache", "ENABLED"),
    CS_S("tsFileMode", "SEGMENTED_FILES"),
    CS_S("manifestDurationFormat", "FLOATING_POINT"),
    CS_S("segmentationMode", "USE_SEGMENT_DURATION"),
    CS_S("redundantManifest", "DISABLED"),
    CS_S("outputSelection", "MANIFESTS_AND_SEGMENTS"),
    CS_S("streamInfResolution", "INCLUDE"),
    CS_S("iFrameOnlyPlaylists", "DISABLED"),
    CS_S("programDateTime", "EXCLUDE"),
    CS_N("programDateTimePeriod", 600),
    CS_S("timedMetadataId3Frame", "PRIV"),
    CS_N("timedMetadataId3Period", 10),
    CS_S("hlsId3SegmentTagging", "DISABLED"),
    CS_S("codecSpecification", "RFC_4281"),
    CS_N("segmentsPerSubdirectory", 10000),
};

/* Transport-stream layout of every HLS rendition. The PIDs are strings in
 * the model (they may be written in hex). */
static const struct cs_field M3U8_FIXED[] = {
    CS_N("audioFramesPerPes", 4),
    CS_S("audioPids", "492-498"),
    CS_S("nielsenId3Behavior", "NO_PASSTHROUGH"),
    CS_S("pcrControl", "PCR_EVERY_PES_PACKET"),
    CS_S("pmtPid", "480"),
    CS_N("programNum", 1),
    CS_S("scte35Pid", "500"),
    CS_S("scte35Behavior", "PASSTHROUGH"),
    CS_S("timedMetadataPid", "502"),
    CS_S("timedMetadataBehavior", "NO_PASSTHROUGH"),
    CS_S("videoPid", "481"),
};

struct cs_build {
    bool failed;
};

static void cs_check(struct cs_build *b, const void *p)
{
    if (p == NULL)
        b->failed = true;
}

static void cs_str(struct cs_build *b, cJSON *obj, const char *key, const char *value)
{
    cs_check(b, obj == NULL ? NULL : cJSON_AddStringToObject(obj, key, value));
}

static void cs_num(struct cs_build *b, cJSON *obj, const char *key, double value)
{
    cs_check(b, obj == NULL ? NULL : cJSON_AddNumberToObject(obj, key, value));
}

static cJSON *cs_obj(struct cs_build *b, cJSON *obj, const char *key)
{
    cJSON *child = obj == NULL ? NULL : cJSON_AddObjectToObject(obj, key);
    cs_check(b, child);
    return child;
}

static cJSON *cs_arr(struct cs_build *b, cJSON *obj, const char *key)
{
    cJSON *child = obj == NULL ? NULL : cJSON_AddArrayToObject(obj, key);
    cs_check(b, child);
    return child;
}

/* Appends a new object to an array and returns it. */
static cJSON *cs_push_obj(struct cs_build *b, cJSON *arr)
{
    cJSON *item = arr == NULL ? NULL : cJSON_CreateObject();
    if (item != NULL && !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        item = NULL;
    }
    cs_check(b, item);
    return item;
}

static void cs_push_str(struct cs_build *b, cJSON *arr, const char *value)
{
    cJSON *item = arr == NULL ? NULL : cJSON_CreateString(value);
    if (item != NULL && !cJSON_AddItemToArray(arr, item)) {
        cJSON_Delete(item);
        item = NULL;
    }
    cs_check(b, item);
}

static void cs_fields(struct cs_build *b, cJSON *obj, const struct cs_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (f[i].kind) {
        case CS_STR:
            cs_str(b, obj, f[i].key, f[i].str);
            break;
        case CS_NUM:
            cs_num(b, obj, f[i].key, f[i].num);
            break;
        case CS_EMPTY_LIST:
            cs_arr(b, obj, f[i].key);
            break;
        case CS_STR_LIST1:
            cs_push_str(b, cs_arr(b, obj, f[i].key), f[i].str);
            break;
        }
    }
}

static void cs_tags(struct cs_build *b, cJSON *obj, const struct channel_settings_tag *tags,
                    size_t n)
{
    if (n == 0 || tags == NULL)
        return;
    cJSON *t = cs_obj(b, obj, "tags");
    for (size_t i = 0; i < n; i++)
        cs_str(b, t, tags[i].key, tags[i].value);
}

static cJSON *cs_finish(struct cs_build *b, cJSON *root)
{
    if (b->failed) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

static bool cs_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

/* The audio description of a rung is named after it; outputs refer to it by
 * that name. The seed used random names, which carry no meaning. */
static void cs_audio_name(const struct ladder_rung *rung, char *out, size_t out_size)
{
    snprintf(out, out_size, "audio%s", rung->name);
}

static void cs_video_description(struct cs_build *b, cJSON *arr, const struct ladder_rung *r,
                                 const struct ladder_shared *sh)
{
    cJSON *vd = cs_push_obj(b, arr);
    cJSON *h264 = cs_obj(b, cs_obj(b, vd, "codecSettings"), "h264Settings");
    cs_fields(b, h264, H264_FIXED, CS_COUNT(H264_FIXED));
    cs_num(b, h264, "bitrate", (double)r->bitrate_bps);
    cs_num(b, h264, "maxBitrate", (double)r->max_bitrate_bps);
    cs_num(b, h264, "bufSize", (double)r->buf_size_bits);
    cs_num(b, h264, "bufFillPct", sh->buf_fill_pct);
    cs_num(b, h264, "framerateNumerator", r->framerate_numerator);
    cs_num(b, h264, "framerateDenominator", r->framerate_denominator);
    cs_num(b, h264, "gopClosedCadence", sh->gop_closed_cadence);
    cs_num(b, h264, "gopNumBFrames", sh->gop_num_b_frames);
    cs_num(b, h264, "gopSize", sh->gop_size);
    cs_str(b, h264, "gopSizeUnits", sh->gop_size_units);
    cs_str(b, h264, "level", r->h264_level);
    cs_num(b, h264, "numRefFrames", sh->num_ref_frames);
    cs_str(b, h264, "profile", r->h264_profile);
    cs_str(b, h264, "rateControlMode", sh->rate_control_mode);
    cs_num(b, h264, "qvbrQualityLevel", r->qvbr_quality_level);
    cs_num(b, vd, "height", r->height);
    cs_num(b, vd, "width", r->width);
    cs_str(b, vd, "name", r->name);
    cs_num(b, vd, "sharpness", sh->sharpness);
    cs_fields(b, vd, VIDEO_FIXED, CS_COUNT(VIDEO_FIXED));
}

static void cs_audio_description(struct cs_build *b, cJSON *arr, const struct ladder_rung *r,
                                 const struct ladder_shared *sh)
{
    char name[64];
    cs_audio_name(r, name, sizeof name);
    cJSON *ad = cs_push_obj(b, arr);
    cJSON *aac = cs_obj(b, cs_obj(b, ad, "codecSettings"), "aacSettings");
    cs_fields(b, aac, AAC_FIXED, CS_COUNT(AAC_FIXED));
    cs_num(b, aac, "bitrate", (double)sh->audio_bitrate_bps);
    cs_str(b, aac, "codingMode", sh->audio_coding_mode);
    cs_str(b, aac, "profile", sh->audio_profile);
    cs_num(b, aac, "sampleRate", (double)sh->audio_sample_rate_hz);
    cs_fields(b, ad, AUDIO_FIXED, CS_COUNT(AUDIO_FIXED));
    cs_str(b, ad, "audioSelectorName", sh->audio_selector_name);
    cs_str(b, ad, "name", name);
}

static void cs_hls_output(struct cs_build *b, cJSON *arr, const struct ladder_rung *r,
                          const struct ladder_shared *sh)
{
    char audio[64];
    cs_audio_name(r, audio, sizeof audio);
    cJSON *out = cs_push_obj(b, arr);
    cJSON *hls = cs_obj(b, cs_obj(b, out, "outputSettings"), "hlsOutputSettings");
    cs_str(b, hls, "nameModifier", r->name);
    cs_str(b, hls, "segmentModifier", sh->hls_segment_modifier);
    cs_str(b, hls, "h265PackagingType", "HVC1");
    cJSON *std = cs_obj(b, cs_obj(b, hls, "hlsSettings"), "standardHlsSettings");
    cs_fields(b, cs_obj(b, std, "m3u8Settings"), M3U8_FIXED, CS_COUNT(M3U8_FIXED));
    cs_str(b, std, "audioRenditionSets", "program_audio");
    cs_str(b, out, "outputName", r->name);
    cs_str(b, out, "videoDescriptionName", r->name);
    cs_push_str(b, cs_arr(b, out, "audioDescriptionNames"), audio);
    cs_arr(b, out, "captionDescriptionNames");
}

static void cs_hls_group(struct cs_build *b, cJSON *groups, const struct ladder_rung *rungs,
                         size_t n, const struct ladder_shared *sh,
                         enum channel_settings_store store)
{
    cJSON *group = cs_push_obj(b, groups);
    cs_str(b, group, "name", sh->output_group_name);
    cJSON *hls = cs_obj(b, cs_obj(b, group, "outputGroupSettings"), "hlsGroupSettings");
    cs_fields(b, hls, HLS_GROUP_FIXED, CS_COUNT(HLS_GROUP_FIXED));
    /* S3: "In the CDN settings section, choose Hls S3" (MediaLive user
     * guide); CannedAcl stays unset: ACLs are disabled on buckets whose owner
     * enforces object ownership, and the seed's successor sets none. */
    if (store == CHANNEL_STORE_S3)
        cs_obj(b, cs_obj(b, hls, "hlsCdnSettings"), "hlsS3Settings");
    cs_str(b, cs_obj(b, hls, "destination"), "destinationRefId", sh->destination_ref_id);
    cs_num(b, hls, "indexNSegments", sh->hls_index_n_segments);
    cs_num(b, hls, "keepSegments", sh->hls_keep_segments);
    cs_num(b, hls, "segmentLength", sh->hls_segment_length_s);
    cs_str(b, hls, "directoryStructure", sh->hls_directory_structure);
    cs_str(b, hls, "mode", sh->hls_mode);
    cJSON *outputs = cs_arr(b, group, "outputs");
    for (size_t i = 0; i < n; i++)
        cs_hls_output(b, outputs, &rungs[i], sh);
}

cJSON *channel_settings_encoder_new(const struct ladder_profile *profile)
{
    return channel_settings_encoder_store_new(profile, CHANNEL_STORE_MEDIASTORE);
}

cJSON *channel_settings_encoder_store_new(const struct ladder_profile *profile,
                                          enum channel_settings_store store)
{
    const struct ladder_rung *rungs;
    size_t n = ladder_profile_rungs(profile, &rungs);
    if (n == 0)
        return NULL;
    const struct ladder_shared *sh = ladder_shared_get();
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);

    cJSON *audio = cs_arr(&b, root, "audioDescriptions");
    cJSON *video = cs_arr(&b, root, "videoDescriptions");
    for (size_t i = 0; i < n; i++) {
        cs_audio_description(&b, audio, &rungs[i], sh);
        cs_video_description(&b, video, &rungs[i], sh);
    }
    cJSON *avail = cs_obj(&b, cs_obj(&b, root, "availConfiguration"), "availSettings");
    cs_fields(&b, cs_obj(&b, avail, "scte35SpliceInsert"), SCTE35_SPLICE_INSERT,
              CS_COUNT(SCTE35_SPLICE_INSERT));
    cs_arr(&b, root, "captionDescriptions");
    cs_hls_group(&b, cs_arr(&b, root, "outputGroups"), rungs, n, sh, store);
    cs_str(&b, cs_obj(&b, root, "timecodeConfig"), "source", sh->timecode_source);
    return cs_finish(&b, root);
}

static bool cs_is_standard(const char *channel_class)
{
    return channel_class != NULL && strcmp(channel_class, "STANDARD") == 0;
}

static bool cs_channel_valid(const struct channel_settings_channel *ch, bool create)
{
    if (ch == NULL || cs_empty(ch->name) || cs_empty(ch->role_arn) ||
        (cs_empty(ch->input_id) && !ch->detached) || cs_empty(ch->input_type) ||
        cs_empty(ch->destination_url) || ch->profile == NULL || (create && ch->detached))
        return false;
    if (create && cs_empty(ch->channel_class))
        return false;
    /* Two pipelines writing the same objects would overwrite each other. */
    if (cs_is_standard(ch->channel_class) &&
        (cs_empty(ch->destination_url_b) ||
         strcmp(ch->destination_url_b, ch->destination_url) == 0))
        return false;
    return true;
}

/* destinations[0] of a channel: one URL per pipeline. */
static void cs_destination(struct cs_build *b, cJSON *root, const char *url, const char *url_b)
{
    cJSON *dest = cs_push_obj(b, cs_arr(b, root, "destinations"));
    cs_str(b, dest, "id", ladder_shared_get()->destination_ref_id);
    cJSON *urls = cs_arr(b, dest, "settings");
    cs_str(b, cs_push_obj(b, urls), "url", url);
    if (url_b != NULL)
        cs_str(b, cs_push_obj(b, urls), "url", url_b);
}

static cJSON *cs_channel_body(const struct channel_settings_channel *ch, bool create)
{
    if (!cs_channel_valid(ch, create))
        return NULL;
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);

    cs_str(&b, root, "name", ch->name);
    if (create)
        cs_str(&b, root, "channelClass", ch->channel_class);
    cs_str(&b, root, "roleArn", ch->role_arn);
    if (!cs_empty(ch->log_level))
        cs_str(&b, root, "logLevel", ch->log_level);
    if (create && !cs_empty(ch->request_id))
        cs_str(&b, root, "requestId", ch->request_id);

    cJSON *spec = cs_obj(&b, root, "inputSpecification");
    cs_str(&b, spec, "codec", ch->profile->input_codec);
    cs_str(&b, spec, "resolution", ch->profile->input_resolution);
    cs_str(&b, spec, "maximumBitrate", ch->profile->input_maximum_bitrate);

    cJSON *atts = cs_arr(&b, root, "inputAttachments");
    if (!ch->detached) {
        cJSON *att = cs_push_obj(&b, atts);
        cs_str(&b, att, "inputId", ch->input_id);
        if (!cs_empty(ch->input_attachment_name))
            cs_str(&b, att, "inputAttachmentName", ch->input_attachment_name);
        cJSON *settings = cs_obj(&b, att, "inputSettings");
        /* A pulled file ends; looping it keeps the demo stream alive. */
        if (strcmp(ch->input_type, "URL_PULL") == 0)
            cs_str(&b, settings, "sourceEndBehavior", "LOOP");
    }

    cs_destination(&b, root, ch->destination_url,
                   cs_is_standard(ch->channel_class) ? ch->destination_url_b : NULL);

    cJSON *enc = channel_settings_encoder_store_new(ch->profile, ch->store);
    if (enc == NULL || root == NULL || !cJSON_AddItemToObject(root, "encoderSettings", enc)) {
        cJSON_Delete(enc);
        b.failed = true;
    }
    if (create)
        cs_tags(&b, root, ch->tags, ch->tag_count);
    return cs_finish(&b, root);
}

cJSON *channel_settings_create_body_new(const struct channel_settings_channel *ch)
{
    return cs_channel_body(ch, true);
}

cJSON *channel_settings_update_body_new(const struct channel_settings_channel *ch)
{
    return cs_channel_body(ch, false);
}

static bool cs_input_valid(const struct channel_settings_input *in)
{
    if (in == NULL || cs_empty(in->name) || cs_empty(in->type))
        return false;
    if (strcmp(in->type, "RTP_PUSH") == 0 || strcmp(in->type, "RTMP_PUSH") == 0) {
        if (in->security_group_count == 0 || in->security_group_ids == NULL)
            return false;
        for (size_t i = 0; i < in->security_group_count; i++)
            if (cs_empty(in->security_group_ids[i]))
                return false;
        return true;
    }
    if (strcmp(in->type, "URL_PULL") == 0)
        return !cs_empty(in->pull_url);
    if (strcmp(in->type, "INPUT_DEVICE") == 0)
        /* One Link device feeds one pipeline: a standard input needs two. */
        return !cs_empty(in->input_device_id) &&
               (!in->standard || (!cs_empty(in->input_device_id_b) &&
                                  strcmp(in->input_device_id_b, in->input_device_id) != 0));
    return false;
}

static void cs_pull_source(struct cs_build *b, cJSON *sources, const char *url,
                           const struct channel_settings_input *in)
{
    cJSON *src = cs_push_obj(b, sources);
    cs_str(b, src, "url", url);
    if (!cs_empty(in->pull_user))
        cs_str(b, src, "username", in->pull_user);
    if (!cs_empty(in->pull_password_param))
        cs_str(b, src, "passwordParam", in->pull_password_param);
}

/* What feeds the input, shared by CreateInput and UpdateInput. */
static void cs_input_feed(struct cs_build *b, cJSON *root, const struct channel_settings_input *in)
{
    if (in->security_group_count > 0 && in->security_group_ids != NULL) {
        cJSON *groups = cs_arr(b, root, "inputSecurityGroups");
        for (size_t i = 0; i < in->security_group_count; i++)
            cs_push_str(b, groups, in->security_group_ids[i]);
    }
    int pipelines = in->standard ? 2 : 1;
    if (strcmp(in->type, "RTMP_PUSH") == 0) {
        /* RTMP needs an application/stream name; RTP push endpoints need none. */
        size_t len = strlen(in->name) + sizeof "/stream";
        char *stream = malloc(len);
        cs_check(b, stream);
        if (stream != NULL) {
            snprintf(stream, len, "%s/stream", in->name);
            cJSON *dests = cs_arr(b, root, "destinations");
            for (int i = 0; i < pipelines; i++)
                cs_str(b, cs_push_obj(b, dests), "streamName", stream);
            free(stream);
        }
    } else if (strcmp(in->type, "URL_PULL") == 0) {
        cJSON *sources = cs_arr(b, root, "sources");
        cs_pull_source(b, sources, in->pull_url, in);
        if (in->standard)
            cs_pull_source(b, sources, cs_empty(in->pull_url_b) ? in->pull_url : in->pull_url_b,
                           in);
    } else if (strcmp(in->type, "INPUT_DEVICE") == 0) {
        cJSON *devices = cs_arr(b, root, "inputDevices");
        cs_str(b, cs_push_obj(b, devices), "id", in->input_device_id);
        if (in->standard)
            cs_str(b, cs_push_obj(b, devices), "id", in->input_device_id_b);
    }
}

cJSON *channel_settings_input_body_new(const struct channel_settings_input *in)
{
    if (!cs_input_valid(in))
        return NULL;
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);
    cs_str(&b, root, "name", in->name);
    cs_str(&b, root, "type", in->type);
    if (!cs_empty(in->request_id))
        cs_str(&b, root, "requestId", in->request_id);
    cs_input_feed(&b, root, in);
    cs_tags(&b, root, in->tags, in->tag_count);
    return cs_finish(&b, root);
}

cJSON *channel_settings_input_update_body_new(const struct channel_settings_input *in)
{
    if (!cs_input_valid(in))
        return NULL;
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);
    cs_str(&b, root, "name", in->name);
    cs_input_feed(&b, root, in);
    return cs_finish(&b, root);
}

cJSON *channel_settings_class_body_new(const char *channel_class, const char *url,
                                       const char *url_b)
{
    bool standard = cs_is_standard(channel_class);
    if (cs_empty(channel_class) || cs_empty(url) ||
        (standard && (cs_empty(url_b) || strcmp(url, url_b) == 0)))
        return NULL;
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);
    cs_str(&b, root, "channelClass", channel_class);
    cs_destination(&b, root, url, standard ? url_b : NULL);
    return cs_finish(&b, root);
}

cJSON *channel_settings_security_group_body_new(const char *const *cidrs, size_t cidr_count,
                                                const struct channel_settings_tag *tags,
                                                size_t tag_count)
{
    if (cidrs == NULL || cidr_count == 0)
        return NULL;
    for (size_t i = 0; i < cidr_count; i++)
        if (cs_empty(cidrs[i]))
            return NULL;
    struct cs_build b = { 0 };
    cJSON *root = cJSON_CreateObject();
    cs_check(&b, root);
    cJSON *rules = cs_arr(&b, root, "whitelistRules");
    for (size_t i = 0; i < cidr_count; i++)
        cs_str(&b, cs_push_obj(&b, rules), "cidr", cidrs[i]);
    cs_tags(&b, root, tags, tag_count);
    return cs_finish(&b, root);
}

char *channel_settings_destination_url(const char *endpoint, const char *stream_path)
{
    static const char SCHEME[] = "mediastoressl://";
    if (endpoint == NULL || stream_path == NULL)
        return NULL;
    /* The endpoint keeps whatever path it has; only its scheme is replaced,
     * as the seed did with Endpoint.replace('https', 'mediastoressl'). */
    const char *sep = strstr(endpoint, "://");
    const char *host = sep != NULL ? sep + 3 : endpoint;
    size_t host_len = strlen(host);
    while (host_len > 0 && host[host_len - 1] == '/')
        host_len--;
    while (*stream_path == '/')
        stream_path++;
    if (host_len == 0 || *stream_path == '\0')
        return NULL;
    size_t len = sizeof SCHEME - 1 + host_len + 1 + strlen(stream_path) + 1;
    char *url = malloc(len);
    if (url == NULL)
        return NULL;
    snprintf(url, len, "%s%.*s/%s", SCHEME, (int)host_len, host, stream_path);
    return url;
}

char *channel_settings_bucket_url(const char *bucket, const char *stream_path)
{
    if (cs_empty(bucket) || stream_path == NULL)
        return NULL;
    while (*stream_path == '/')
        stream_path++;
    if (*stream_path == '\0')
        return NULL;
    size_t len = sizeof "s3ssl://" + strlen(bucket) + 1 + strlen(stream_path);
    char *url = malloc(len);
    if (url != NULL)
        snprintf(url, len, "s3ssl://%s/%s", bucket, stream_path);
    return url;
}

char *channel_settings_pipeline1_path(const char *stream_path)
{
    if (stream_path == NULL)
        return NULL;
    while (*stream_path == '/')
        stream_path++;
    const char *slash = strrchr(stream_path, '/');
    const char *base = slash != NULL ? slash + 1 : stream_path;
    if (*base == '\0')
        return NULL;
    int dir_len = slash != NULL ? (int)(slash - stream_path) + 1 : 0; /* with its '/' */
    size_t len = (size_t)dir_len + sizeof CHANNEL_SETTINGS_PIPELINE1_DIR "/" + strlen(base);
    char *path = malloc(len);
    if (path != NULL)
        snprintf(path, len, "%.*s" CHANNEL_SETTINGS_PIPELINE1_DIR "/%s", dir_len, stream_path,
                 base);
    return path;
}
