/* Tests for resources/channel/channel_settings: the generated EncoderSettings against
 * the seed's reference profiles (field by field), and the channel (MediaStore
 * and S3 output, STANDARD destinations, detached updates), channel class,
 * input (single and standard class, create and update) and security-group
 * request bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_files.h"
#include <cjson/cJSON.h>

#include "resources/channel/channel_settings.h"


static const struct {
    const char *profile;
    const char *file;
    int rungs;
} PROFILES[] = {
    { "HD-1080p", REF_DIR "hd-1080p.json", 6 },
    { "HD-720p", REF_DIR "hd-720p.json", 5 },
    { "SD-540p", REF_DIR "sd-540p.json", 4 },
};


/* ---- reference comparison ------------------------------------------------
 * The reference files use the SDK's PascalCase member names; the wire form
 * uses the model's locationName, which for every member of these shapes is
 * the PascalCase name with its first letter lowered (checked against the
 * botocore model, including IFrameOnlyPlaylists -> iFrameOnlyPlaylists and
 * M3u8Settings -> m3u8Settings). Audio description names are the one thing
 * allowed to differ: the seed's are random. Outputs refer to them, so the
 * references are checked for consistency instead of equality. */

struct cmp {
    int differences;
    char first[1024];
};

static void cmp_note(struct cmp *c, const char *path, const char *what)
{
    if (c->differences++ == 0 &&
        snprintf(c->first, sizeof c->first, "%s: %s", path, what) >= (int)sizeof c->first)
        fail_msg("difference path too long");
}

static void cmp_value(struct cmp *c, const cJSON *ref, const cJSON *gen, const char *path,
                      const char *array_key);

static void cmp_object(struct cmp *c, const cJSON *ref, const cJSON *gen, const char *path,
                       const char *array_key)
{
    int ref_count = 0;
    for (const cJSON *r = ref->child; r != NULL; r = r->next) {
        ref_count++;
        char key[128];
        snprintf(key, sizeof key, "%s", r->string);
        key[0] = (char)(key[0] >= 'A' && key[0] <= 'Z' ? key[0] - 'A' + 'a' : key[0]);
        char sub[512];
        if (snprintf(sub, sizeof sub, "%s/%s", path, r->string) >= (int)sizeof sub)
            fail_msg("path too long at %s", path);
        const cJSON *g = cJSON_GetObjectItemCaseSensitive(gen, key);
        if (g == NULL) {
            cmp_note(c, sub, "missing in generated settings");
            continue;
        }
        bool is_audio_name = array_key != NULL && strcmp(array_key, "AudioDescriptions") == 0 &&
                             strcmp(r->string, "Name") == 0;
        bool is_audio_ref = strcmp(r->string, "AudioDescriptionNames") == 0;
        if (is_audio_name || is_audio_ref) {
            if (g->type != r->type)
                cmp_note(c, sub, "type differs");
            else if (is_audio_ref && cJSON_GetArraySize(g) != cJSON_GetArraySize(r))
                cmp_note(c, sub, "number of audio references differs");
            continue;
        }
        cmp_value(c, r, g, sub, array_key);
    }
    if (cJSON_GetArraySize(gen) != ref_count)
        cmp_note(c, path, "generated settings have members the reference lacks");
}

static void cmp_value(struct cmp *c, const cJSON *ref, const cJSON *gen, const char *path,
                      const char *array_key)
{
    if ((ref->type & 0xFF) != (gen->type & 0xFF)) {
        cmp_note(c, path, "type differs");
        return;
    }
    if (cJSON_IsObject(ref)) {
        cmp_object(c, ref, gen, path, array_key);
    } else if (cJSON_IsArray(ref)) {
        int n = cJSON_GetArraySize(ref);
        if (cJSON_GetArraySize(gen) != n) {
            cmp_note(c, path, "array length differs");
            return;
        }
        const char *slash = strrchr(path, '/');
        const char *key = slash != NULL ? slash + 1 : path;
        for (int i = 0; i < n; i++) {
            char sub[512];
            if (snprintf(sub, sizeof sub, "%s[%d]", path, i) >= (int)sizeof sub)
                fail_msg("path too long at %s", path);
            cmp_value(c, cJSON_GetArrayItem(ref, i), cJSON_GetArrayItem(gen, i), sub, key);
        }
    } else if (cJSON_IsString(ref)) {
        if (strcmp(ref->valuestring, gen->valuestring) != 0)
            cmp_note(c, path, "string differs");
    } else if (cJSON_IsNumber(ref)) {
        if (ref->valuedouble != gen->valuedouble)
            cmp_note(c, path, "number differs");
    }
}

/* Number of differences between a reference (PascalCase) and generated
 * (lowerCamel) EncoderSettings; 0 means they match. */
static int compare_encoder_settings(const cJSON *ref, const cJSON *gen, char *first,
                                    size_t first_size)
{
    struct cmp c = { 0 };
    cmp_value(&c, ref, gen, "", NULL);
    if (first != NULL)
        snprintf(first, first_size, "%s", c.first);
    return c.differences;
}

static const cJSON *path_get(const cJSON *node, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n && node != NULL; i++)
        node = cJSON_GetObjectItemCaseSensitive(node, keys[i]);
    return node;
}

static void encoder_settings_match_reference_profiles(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof PROFILES / sizeof PROFILES[0]; i++) {
        cJSON *ref = load_json(PROFILES[i].file);
        cJSON *gen = channel_settings_encoder_new(ladder_profile_find(PROFILES[i].profile));
        assert_non_null(gen);
        char first[1024];
        int diffs = compare_encoder_settings(ref, gen, first, sizeof first);
        if (diffs != 0)
            fail_msg("%s: %d differences, first %s", PROFILES[i].profile, diffs, first);
        cJSON_Delete(gen);
        cJSON_Delete(ref);
    }
}

/* The comparison must catch a change anywhere, so each mutation of the
 * reference (in memory) has to make an otherwise equal pair differ. */
static void comparison_fails_on_any_difference(void **state)
{
    (void)state;
    cJSON *ref = load_json(PROFILES[1].file);
    cJSON *gen = channel_settings_encoder_new(ladder_profile_find("HD-720p"));
    assert_int_equal(compare_encoder_settings(ref, gen, NULL, 0), 0);

    static const char *const keep[] = { "OutputGroups" };
    enum { KEEP_SEGMENTS, PMT_PID, EXTRA_MEMBER, DROP_RUNG, NUMBER_AS_STRING, AUDIO_SELECTOR,
           MUTATIONS };
    for (int m = 0; m < MUTATIONS; m++) {
        cJSON *alt = cJSON_Duplicate(ref, 1);
        cJSON *group = cJSON_GetArrayItem((cJSON *)path_get(alt, keep, 1), 0);
        cJSON *hls = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(group, "OutputGroupSettings"), "HlsGroupSettings");
        cJSON *out4 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(group, "Outputs"), 4);
        cJSON *m3u8 = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(
                        cJSON_GetObjectItemCaseSensitive(out4, "OutputSettings"),
                        "HlsOutputSettings"),
                    "HlsSettings"),
                "StandardHlsSettings"),
            "M3u8Settings");
        switch (m) {
        case KEEP_SEGMENTS:
            cJSON_SetNumberValue(cJSON_GetObjectItemCaseSensitive(hls, "KeepSegments"), 22);
            break;
        case PMT_PID:
            cJSON_ReplaceItemInObjectCaseSensitive(m3u8, "PmtPid", cJSON_CreateString("481"));
            break;
        case EXTRA_MEMBER:
            cJSON_AddStringToObject(hls, "BaseUrlContent", "x");
            break;
        case DROP_RUNG:
            cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(alt, "VideoDescriptions"),
                                      4);
            break;
        case NUMBER_AS_STRING:
            cJSON_ReplaceItemInObjectCaseSensitive(hls, "SegmentLength", cJSON_CreateString("4"));
            break;
        case AUDIO_SELECTOR:
            cJSON_ReplaceItemInObjectCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(alt, "AudioDescriptions"), 2),
                "AudioSelectorName", cJSON_CreateString("other"));
            break;
        }
        if (compare_encoder_settings(alt, gen, NULL, 0) == 0)
            fail_msg("mutation %d went unnoticed", m);
        cJSON_Delete(alt);
    }
    cJSON_Delete(gen);
    cJSON_Delete(ref);
}

/* Audio names may differ from the seed, but each output must name an audio
 * description that exists, and each rung its own. */
static void outputs_refer_to_existing_audio_descriptions(void **state)
{
    (void)state;
    cJSON *gen = channel_settings_encoder_new(ladder_profile_find("HD-1080p"));
    const cJSON *audio = cJSON_GetObjectItemCaseSensitive(gen, "audioDescriptions");
    const cJSON *outputs = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(gen, "outputGroups"), 0), "outputs");
    assert_int_equal(cJSON_GetArraySize(outputs), 6);
    int i = 0;
    const cJSON *out;
    cJSON_ArrayForEach(out, outputs)
    {
        const char *name = cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(out, "audioDescriptionNames"), 0)->valuestring;
        const cJSON *ad = cJSON_GetArrayItem(audio, i++);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(ad, "name")->valuestring, name);
    }
    cJSON_Delete(gen);
}

static double num_at(const cJSON *node, const char *const *keys, size_t n)
{
    const cJSON *v = path_get(node, keys, n);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static void ladder_facts_in_generated_settings(void **state)
{
    (void)state;
    static const long top_bitrates[] = { 4100000, 2700000, 1800000 };
    static const int top_widths[] = { 1920, 1280, 960 };
    for (size_t i = 0; i < 3; i++) {
        cJSON *gen = channel_settings_encoder_new(ladder_profile_find(PROFILES[i].profile));
        const cJSON *vds = cJSON_GetObjectItemCaseSensitive(gen, "videoDescriptions");
        assert_int_equal(cJSON_GetArraySize(vds), PROFILES[i].rungs);
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(gen,
                                                                             "audioDescriptions")),
                         PROFILES[i].rungs);
        const cJSON *top = cJSON_GetArrayItem(vds, PROFILES[i].rungs - 1);
        static const char *const bitrate[] = { "codecSettings", "h264Settings", "bitrate" };
        static const char *const gop[] = { "codecSettings", "h264Settings", "gopSize" };
        static const char *const width[] = { "width" };
        assert_true(num_at(top, bitrate, 3) == (double)top_bitrates[i]);
        assert_true(num_at(top, gop, 3) == 2.0);
        assert_true(num_at(top, width, 1) == top_widths[i]);

        const cJSON *group = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(gen,
                                                                                 "outputGroups"),
                                                0);
        static const char *const hls_path[] = { "outputGroupSettings", "hlsGroupSettings" };
        const cJSON *hls = path_get(group, hls_path, 2);
        static const char *const seg[] = { "segmentLength" };
        static const char *const keep[] = { "keepSegments" };
        static const char *const idx[] = { "indexNSegments" };
        assert_true(num_at(hls, seg, 1) == 4);
        assert_true(num_at(hls, keep, 1) == 21);
        assert_true(num_at(hls, idx, 1) == 10);
        assert_string_equal(cJSON_GetObjectItemCaseSensitive(hls, "mode")->valuestring, "LIVE");
        assert_string_equal(
            cJSON_GetObjectItemCaseSensitive(hls, "directoryStructure")->valuestring,
            "SINGLE_DIRECTORY");
        static const char *const dest[] = { "destination", "destinationRefId" };
        assert_string_equal(path_get(hls, dest, 2)->valuestring, "destination1");
        assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(group, "outputs")),
                         PROFILES[i].rungs);
        cJSON_Delete(gen);
    }
    assert_null(channel_settings_encoder_new(NULL));
}

static const struct channel_settings_tag TAGS[] = { { "Solution", "SO0013" }, { "env", "dev" } };

static struct channel_settings_channel sample_channel(void)
{
    return (struct channel_settings_channel){
        .name = "live",
        .channel_class = "SINGLE_PIPELINE",
        .role_arn = "arn:aws:iam::123456789012:role/live-medialive",
        .input_id = "1234567",
        .input_attachment_name = "live-input",
        .input_type = "URL_PULL",
        .destination_url = "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/index",
        .profile = ladder_profile_find("HD-1080p"),
        .request_id = "req-1",
        .log_level = "ERROR",
        .tags = TAGS,
        .tag_count = 2,
    };
}

static const char *str_at(const cJSON *node, const char *const *keys, size_t n)
{
    const cJSON *v = path_get(node, keys, n);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void create_channel_body(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    cJSON *body = channel_settings_create_body_new(&ch);
    assert_non_null(body);
    static const char *const name[] = { "name" }, *const cls[] = { "channelClass" },
                             *const role[] = { "roleArn" }, *const req[] = { "requestId" },
                             *const log[] = { "logLevel" },
                             *const res[] = { "inputSpecification", "resolution" },
                             *const max[] = { "inputSpecification", "maximumBitrate" },
                             *const codec[] = { "inputSpecification", "codec" },
                             *const tag[] = { "tags", "Solution" };
    assert_string_equal(str_at(body, name, 1), "live");
    assert_string_equal(str_at(body, cls, 1), "SINGLE_PIPELINE");
    assert_string_equal(str_at(body, role, 1), ch.role_arn);
    assert_string_equal(str_at(body, req, 1), "req-1");
    assert_string_equal(str_at(body, log, 1), "ERROR");
    assert_string_equal(str_at(body, codec, 2), "AVC");
    assert_string_equal(str_at(body, res, 2), "HD");
    assert_string_equal(str_at(body, max, 2), "MAX_20_MBPS");
    assert_string_equal(str_at(body, tag, 2), "SO0013");

    const cJSON *atts = cJSON_GetObjectItemCaseSensitive(body, "inputAttachments");
    assert_int_equal(cJSON_GetArraySize(atts), 1);
    const cJSON *att = cJSON_GetArrayItem(atts, 0);
    static const char *const id[] = { "inputId" }, *const an[] = { "inputAttachmentName" },
                             *const loop[] = { "inputSettings", "sourceEndBehavior" };
    assert_string_equal(str_at(att, id, 1), "1234567");
    assert_string_equal(str_at(att, an, 1), "live-input");
    assert_string_equal(str_at(att, loop, 2), "LOOP");

    const cJSON *dests = cJSON_GetObjectItemCaseSensitive(body, "destinations");
    assert_int_equal(cJSON_GetArraySize(dests), 1);
    const cJSON *d = cJSON_GetArrayItem(dests, 0);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(d, "id")->valuestring, "destination1");
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(d, "settings");
    assert_int_equal(cJSON_GetArraySize(settings), 1);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(settings, 0), "url")->valuestring,
        ch.destination_url);

    /* The encoder settings inside are the profile's. */
    cJSON *enc = channel_settings_encoder_new(ch.profile);
    assert_true(cJSON_Compare(enc, cJSON_GetObjectItemCaseSensitive(body, "encoderSettings"), 1));
    cJSON_Delete(enc);
    cJSON_Delete(body);
}

static void push_inputs_do_not_loop(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    ch.input_type = "RTMP_PUSH";
    ch.input_attachment_name = NULL;
    ch.profile = ladder_profile_find("SD-540p");
    cJSON *body = channel_settings_create_body_new(&ch);
    const cJSON *att = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body,
                                                                           "inputAttachments"),
                                          0);
    assert_null(cJSON_GetObjectItemCaseSensitive(att, "inputAttachmentName"));
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(att, "inputSettings");
    assert_true(cJSON_IsObject(settings));
    assert_null(cJSON_GetObjectItemCaseSensitive(settings, "sourceEndBehavior"));
    static const char *const res[] = { "inputSpecification", "resolution" };
    assert_string_equal(str_at(body, res, 2), "SD");
    cJSON_Delete(body);
}

static void update_body_leaves_out_create_only_members(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    cJSON *body = channel_settings_update_body_new(&ch);
    assert_non_null(body);
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "channelClass"));
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "requestId"));
    assert_null(cJSON_GetObjectItemCaseSensitive(body, "tags"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(body, "encoderSettings"));
    assert_non_null(cJSON_GetObjectItemCaseSensitive(body, "destinations"));
    cJSON_Delete(body);
}

static void standard_channel_needs_two_distinct_urls(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    ch.channel_class = "STANDARD";
    assert_null(channel_settings_create_body_new(&ch));
    ch.destination_url_b = ch.destination_url;
    assert_null(channel_settings_create_body_new(&ch));
    ch.destination_url_b =
        "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/pipeline1/index";
    cJSON *body = channel_settings_create_body_new(&ch);
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body, "destinations"), 0), "settings");
    assert_int_equal(cJSON_GetArraySize(settings), 2);
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(settings, 1), "url")->valuestring,
        ch.destination_url_b);
    cJSON_Delete(body);
}

static void channel_body_rejects_missing_arguments(void **state)
{
    (void)state;
    assert_null(channel_settings_create_body_new(NULL));
    struct channel_settings_channel ch = sample_channel();
    ch.profile = NULL;
    assert_null(channel_settings_create_body_new(&ch));
    ch = sample_channel();
    ch.role_arn = "";
    assert_null(channel_settings_create_body_new(&ch));
    ch = sample_channel();
    ch.channel_class = NULL;
    assert_null(channel_settings_create_body_new(&ch));
    /* UpdateChannel has no class to send. */
    cJSON *body = channel_settings_update_body_new(&ch);
    assert_non_null(body);
    cJSON_Delete(body);
}

static void input_bodies_per_type(void **state)
{
    (void)state;
    static const char *const groups[] = { "5551212" };
    struct channel_settings_input in = {
        .name = "live", .type = "RTMP_PUSH", .security_group_ids = groups,
        .security_group_count = 1, .request_id = "req-2",
    };
    cJSON *body = channel_settings_input_body_new(&in);
    char *text = cJSON_PrintUnformatted(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"RTMP_PUSH\",\"requestId\":\"req-2\","
                              "\"inputSecurityGroups\":[\"5551212\"],"
                              "\"destinations\":[{\"streamName\":\"live/stream\"}]}");
    free(text);
    cJSON_Delete(body);

    in.type = "RTP_PUSH";
    in.request_id = NULL;
    body = channel_settings_input_body_new(&in);
    text = cJSON_PrintUnformatted(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"RTP_PUSH\","
                              "\"inputSecurityGroups\":[\"5551212\"]}");
    free(text);
    cJSON_Delete(body);

    struct channel_settings_input pull = {
        .name = "live", .type = "URL_PULL",
        .pull_url = "https://example.com/index.m3u8", .pull_user = "bob",
        .pull_password_param = "/lsms/live/pull", .tags = TAGS, .tag_count = 1,
    };
    body = channel_settings_input_body_new(&pull);
    text = cJSON_PrintUnformatted(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"URL_PULL\",\"sources\":[{"
                              "\"url\":\"https://example.com/index.m3u8\",\"username\":\"bob\","
                              "\"passwordParam\":\"/lsms/live/pull\"}],"
                              "\"tags\":{\"Solution\":\"SO0013\"}}");
    free(text);
    cJSON_Delete(body);

    struct channel_settings_input dev = {
        .name = "live", .type = "INPUT_DEVICE", .input_device_id = "hd-123456789012",
    };
    body = channel_settings_input_body_new(&dev);
    text = cJSON_PrintUnformatted(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"INPUT_DEVICE\","
                              "\"inputDevices\":[{\"id\":\"hd-123456789012\"}]}");
    free(text);
    cJSON_Delete(body);
}

static void input_body_rejects_incomplete_arguments(void **state)
{
    (void)state;
    struct channel_settings_input in = { .name = "live", .type = "RTMP_PUSH" };
    assert_null(channel_settings_input_body_new(&in)); /* no security group */
    in.type = "URL_PULL";
    assert_null(channel_settings_input_body_new(&in)); /* no url */
    in.type = "INPUT_DEVICE";
    assert_null(channel_settings_input_body_new(&in)); /* no device */
    in.type = "MP4_FILE";
    in.pull_url = "s3://x/y.mp4";
    assert_null(channel_settings_input_body_new(&in)); /* unsupported type */
    assert_null(channel_settings_input_body_new(NULL));
}

static void security_group_body(void **state)
{
    (void)state;
    static const char *const cidrs[] = { "10.0.0.0/16", "0.0.0.0/0" };
    cJSON *body = channel_settings_security_group_body_new(cidrs, 2, NULL, 0);
    char *text = cJSON_PrintUnformatted(body);
    assert_string_equal(text,
                        "{\"whitelistRules\":[{\"cidr\":\"10.0.0.0/16\"},{\"cidr\":\"0.0.0.0/0\"}]}");
    free(text);
    cJSON_Delete(body);
    assert_null(channel_settings_security_group_body_new(cidrs, 0, NULL, 0));
    assert_null(channel_settings_security_group_body_new(NULL, 1, NULL, 0));
}

static void destination_url_from_endpoint(void **state)
{
    (void)state;
    static const struct {
        const char *endpoint, *path, *want;
    } cases[] = {
        { "https://abc.data.mediastore.us-east-1.amazonaws.com", "stream/index",
          "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/index" },
        { "https://abc.data.mediastore.us-east-1.amazonaws.com/", "/stream/index",
          "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/index" },
        { "abc.data.mediastore.us-east-1.amazonaws.com", "live/main",
          "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/live/main" },
        { "http://127.0.0.1:5000/ctr", "stream/index", "mediastoressl://127.0.0.1:5000/ctr/stream/index" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *url = channel_settings_destination_url(cases[i].endpoint, cases[i].path);
        assert_non_null(url);
        assert_string_equal(url, cases[i].want);
        free(url);
    }
    assert_null(channel_settings_destination_url("https://", "stream/index"));
    assert_null(channel_settings_destination_url("https://host", "/"));
    assert_null(channel_settings_destination_url(NULL, "stream/index"));
}


/* The text of `node` (caller frees). */
static char *text_of(const cJSON *node)
{
    char *t = cJSON_PrintUnformatted(node);
    assert_non_null(t);
    return t;
}

static const cJSON *hls_group_settings(const cJSON *enc)
{
    const cJSON *group = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(enc, "outputGroups"), 0);
    return cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(group, "outputGroupSettings"), "hlsGroupSettings");
}

static void s3_output_has_hls_s3_settings_without_acl(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    ch.store = CHANNEL_STORE_S3;
    ch.destination_url = "s3ssl://live-origin/stream/index";
    cJSON *body = channel_settings_create_body_new(&ch);
    assert_non_null(body);
    const cJSON *hls = hls_group_settings(cJSON_GetObjectItemCaseSensitive(body, "encoderSettings"));
    char *cdn = text_of(cJSON_GetObjectItemCaseSensitive(hls, "hlsCdnSettings"));
    assert_string_equal(cdn, "{\"hlsS3Settings\":{}}"); /* no cannedAcl */
    free(cdn);
    const cJSON *settings = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body, "destinations"), 0), "settings");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(settings, 0), "url")
                            ->valuestring,
                        "s3ssl://live-origin/stream/index");
    /* The rest of the encoder settings is the profile's, unchanged. */
    cJSON *enc = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(body, "encoderSettings"), 1);
    cJSON_DeleteItemFromObject((cJSON *)hls_group_settings(enc), "hlsCdnSettings");
    cJSON *ms = channel_settings_encoder_new(ch.profile);
    assert_true(cJSON_Compare(enc, ms, 1));
    /* MediaStore output carries no CDN settings at all, as the seed. */
    assert_null(cJSON_GetObjectItemCaseSensitive(hls_group_settings(ms), "hlsCdnSettings"));
    cJSON_Delete(ms);
    cJSON_Delete(enc);
    cJSON_Delete(body);
}

static void bucket_urls_and_pipeline1_paths(void **state)
{
    (void)state;
    static const struct {
        const char *bucket, *path, *want;
    } urls[] = {
        { "live-origin", "stream/index", "s3ssl://live-origin/stream/index" },
        { "live-origin", "/live/a/index", "s3ssl://live-origin/live/a/index" },
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char *u = channel_settings_bucket_url(urls[i].bucket, urls[i].path);
        assert_string_equal(u, urls[i].want);
        free(u);
    }
    assert_null(channel_settings_bucket_url("", "stream/index"));
    assert_null(channel_settings_bucket_url("b", "/"));
    assert_null(channel_settings_bucket_url(NULL, "stream/index"));
    static const struct {
        const char *path, *want;
    } paths[] = {
        { "stream/index", "stream/pipeline1/index" },
        { "live/a/main", "live/a/pipeline1/main" },
        { "index", "pipeline1/index" },
        { "/stream/index", "stream/pipeline1/index" },
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char *p = channel_settings_pipeline1_path(paths[i].path);
        assert_string_equal(p, paths[i].want);
        free(p);
    }
    assert_null(channel_settings_pipeline1_path("stream/"));
    assert_null(channel_settings_pipeline1_path(NULL));
}

static void standard_inputs_have_two_of_everything(void **state)
{
    (void)state;
    static const char *const groups[] = { "5551212" };
    struct channel_settings_input in = {
        .name = "live", .type = "RTMP_PUSH", .security_group_ids = groups,
        .security_group_count = 1, .standard = true,
    };
    cJSON *body = channel_settings_input_body_new(&in);
    char *text = text_of(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"RTMP_PUSH\","
                              "\"inputSecurityGroups\":[\"5551212\"],"
                              "\"destinations\":[{\"streamName\":\"live/stream\"},"
                              "{\"streamName\":\"live/stream\"}]}");
    free(text);
    cJSON_Delete(body);

    /* RTP push inputs are standard-class in either case. */
    in.type = "RTP_PUSH";
    body = channel_settings_input_body_new(&in);
    text = text_of(body);
    assert_string_equal(text, "{\"name\":\"live\",\"type\":\"RTP_PUSH\","
                              "\"inputSecurityGroups\":[\"5551212\"]}");
    free(text);
    cJSON_Delete(body);

    struct channel_settings_input pull = {
        .name = "live", .type = "URL_PULL", .pull_url = "https://a/x.m3u8", .pull_user = "bob",
        .pull_password_param = "/p", .standard = true,
    };
    body = channel_settings_input_body_new(&pull);
    text = text_of(cJSON_GetObjectItemCaseSensitive(body, "sources"));
    assert_string_equal(text, "[{\"url\":\"https://a/x.m3u8\",\"username\":\"bob\",\"passwordParam\":\"/p\"},"
                              "{\"url\":\"https://a/x.m3u8\",\"username\":\"bob\",\"passwordParam\":\"/p\"}]");
    free(text);
    cJSON_Delete(body);
    pull.pull_url_b = "https://b/x.m3u8";
    body = channel_settings_input_body_new(&pull);
    const cJSON *second = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(body, "sources"), 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(second, "url")->valuestring,
                        "https://b/x.m3u8");
    cJSON_Delete(body);

    struct channel_settings_input dev = {
        .name = "live", .type = "INPUT_DEVICE", .input_device_id = "hd-1", .standard = true,
    };
    assert_null(channel_settings_input_body_new(&dev)); /* one device cannot feed two pipelines */
    dev.input_device_id_b = "hd-1";
    assert_null(channel_settings_input_body_new(&dev));
    dev.input_device_id_b = "hd-2";
    body = channel_settings_input_body_new(&dev);
    text = text_of(cJSON_GetObjectItemCaseSensitive(body, "inputDevices"));
    assert_string_equal(text, "[{\"id\":\"hd-1\"},{\"id\":\"hd-2\"}]");
    free(text);
    cJSON_Delete(body);
}

static void update_input_body_carries_what_feeds_the_input(void **state)
{
    (void)state;
    static const char *const groups[] = { "5551212" };
    struct channel_settings_input in = {
        .name = "live", .type = "RTMP_PUSH", .security_group_ids = groups,
        .security_group_count = 1, .request_id = "req", .tags = TAGS, .tag_count = 2,
    };
    cJSON *body = channel_settings_input_update_body_new(&in);
    char *text = text_of(body);
    assert_string_equal(text, "{\"name\":\"live\",\"inputSecurityGroups\":[\"5551212\"],"
                              "\"destinations\":[{\"streamName\":\"live/stream\"}]}");
    free(text);
    cJSON_Delete(body);
    struct channel_settings_input dev = { .name = "live", .type = "INPUT_DEVICE",
                                          .input_device_id = "hd-9" };
    body = channel_settings_input_update_body_new(&dev);
    text = text_of(body);
    assert_string_equal(text, "{\"name\":\"live\",\"inputDevices\":[{\"id\":\"hd-9\"}]}");
    free(text);
    cJSON_Delete(body);
    dev.input_device_id = NULL;
    assert_null(channel_settings_input_update_body_new(&dev));
}

static void channel_class_body(void **state)
{
    (void)state;
    cJSON *body = channel_settings_class_body_new("STANDARD", "s3ssl://b/stream/index",
                                                  "s3ssl://b/stream/pipeline1/index");
    char *text = text_of(body);
    assert_string_equal(text, "{\"channelClass\":\"STANDARD\",\"destinations\":[{\"id\":\"destination1\","
                              "\"settings\":[{\"url\":\"s3ssl://b/stream/index\"},"
                              "{\"url\":\"s3ssl://b/stream/pipeline1/index\"}]}]}");
    free(text);
    cJSON_Delete(body);
    body = channel_settings_class_body_new("SINGLE_PIPELINE", "s3ssl://b/stream/index", NULL);
    text = text_of(body);
    assert_string_equal(text, "{\"channelClass\":\"SINGLE_PIPELINE\",\"destinations\":[{\"id\":"
                              "\"destination1\",\"settings\":[{\"url\":\"s3ssl://b/stream/index\"}]}]}");
    free(text);
    cJSON_Delete(body);
    assert_null(channel_settings_class_body_new("STANDARD", "s3ssl://b/s/i", NULL));
    assert_null(channel_settings_class_body_new("STANDARD", "s3ssl://b/s/i", "s3ssl://b/s/i"));
    assert_null(channel_settings_class_body_new(NULL, "s3ssl://b/s/i", NULL));
    assert_null(channel_settings_class_body_new("SINGLE_PIPELINE", "", NULL));
}

static void a_detached_update_has_no_input(void **state)
{
    (void)state;
    struct channel_settings_channel ch = sample_channel();
    ch.detached = true;
    assert_null(channel_settings_create_body_new(&ch)); /* a channel is created with its input */
    ch.input_id = NULL;
    cJSON *body = channel_settings_update_body_new(&ch);
    assert_non_null(body);
    const cJSON *atts = cJSON_GetObjectItemCaseSensitive(body, "inputAttachments");
    assert_true(cJSON_IsArray(atts));
    assert_int_equal(cJSON_GetArraySize(atts), 0);
    assert_non_null(cJSON_GetObjectItemCaseSensitive(body, "destinations"));
    cJSON_Delete(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encoder_settings_match_reference_profiles),
        cmocka_unit_test(comparison_fails_on_any_difference),
        cmocka_unit_test(outputs_refer_to_existing_audio_descriptions),
        cmocka_unit_test(ladder_facts_in_generated_settings),
        cmocka_unit_test(create_channel_body),
        cmocka_unit_test(push_inputs_do_not_loop),
        cmocka_unit_test(update_body_leaves_out_create_only_members),
        cmocka_unit_test(standard_channel_needs_two_distinct_urls),
        cmocka_unit_test(channel_body_rejects_missing_arguments),
        cmocka_unit_test(input_bodies_per_type),
        cmocka_unit_test(input_body_rejects_incomplete_arguments),
        cmocka_unit_test(security_group_body),
        cmocka_unit_test(destination_url_from_endpoint),
        cmocka_unit_test(s3_output_has_hls_s3_settings_without_acl),
        cmocka_unit_test(bucket_urls_and_pipeline1_paths),
        cmocka_unit_test(standard_inputs_have_two_of_everything),
        cmocka_unit_test(update_input_body_carries_what_feeds_the_input),
        cmocka_unit_test(channel_class_body),
        cmocka_unit_test(a_detached_update_has_no_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
