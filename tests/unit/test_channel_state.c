/* Tests for resources/channel/channel_state and channel_role: MediaLive answers to
 * lsms_channel state (ladder recognised from encoderSettings, destination
 * split into endpoint or bucket and stream path, matched against the
 * region's containers on import, tags on import, CIDR order kept, pipeline 1
 * of standard inputs), the `renditions` value, and the names and policy of
 * the managed role (one container, or one bucket folder). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/channel/channel_role.h"
#include "resources/channel/channel_settings.h"
#include "resources/channel/channel_state.h"

extern const struct lsms_resource lsms_channel_resource;

static struct schema_compiled *compiled;

static int setup(void **s)
{
    (void)s;
    char *error = NULL;
    compiled = schema_compile(lsms_channel_resource.schema, &error);
    free(error);
    return compiled ? 0 : -1;
}

static int teardown(void **s)
{
    (void)s;
    schema_compiled_destroy(compiled);
    return 0;
}

static struct cty_value *null_state(void)
{
    struct cty_value *v = schema_null_object(compiled);
    assert_non_null(v);
    return v;
}

/* A DescribeChannel answer as MediaLive gives it for a profile. */
static cJSON *channel_answer(const char *profile, const char *url, const char *state)
{
    cJSON *ch = cJSON_CreateObject();
    cJSON_AddStringToObject(ch, "id", "1234567");
    cJSON_AddStringToObject(ch, "name", "live");
    cJSON_AddStringToObject(ch, "arn", "arn:aws:medialive:us-east-1:123456789012:channel:1234567");
    cJSON_AddStringToObject(ch, "state", state);
    cJSON_AddStringToObject(ch, "channelClass", "SINGLE_PIPELINE");
    cJSON_AddStringToObject(ch, "roleArn", "arn:aws:iam::123456789012:role/lsms-ml-live");
    cJSON *att = cJSON_AddArrayToObject(ch, "inputAttachments");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "inputId", "555");
    cJSON_AddItemToArray(att, a);
    cJSON *dest = cJSON_CreateObject();
    cJSON *settings = cJSON_AddArrayToObject(dest, "settings");
    cJSON *u = cJSON_CreateObject();
    cJSON_AddStringToObject(u, "url", url);
    cJSON_AddItemToArray(settings, u);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(ch, "destinations"), dest);
    cJSON_AddItemToObject(ch, "encoderSettings",
                          channel_settings_encoder_new(ladder_profile_find(profile)));
    cJSON *tags = cJSON_AddObjectToObject(ch, "tags");
    cJSON_AddStringToObject(tags, "Project", "demo");
    cJSON_AddStringToObject(tags, "Owner", "ops");
    return ch;
}

static void every_profile_is_recognised_from_its_encoder_settings(void **s)
{
    (void)s;
    for (size_t i = 0; i < ladder_profile_count(); i++) {
        const struct ladder_profile *p = ladder_profile_at(i);
        cJSON *enc = channel_settings_encoder_new(p);
        assert_ptr_equal(channel_state_profile_of(enc), p);
        cJSON_Delete(enc);
    }
}

static void a_changed_bitrate_is_no_profile(void **s)
{
    (void)s;
    cJSON *enc = channel_settings_encoder_new(ladder_profile_find("HD-720p"));
    cJSON *vd = cJSON_GetArrayItem(cJSON_GetObjectItem(enc, "videoDescriptions"), 2);
    cJSON *h264 = cJSON_GetObjectItem(cJSON_GetObjectItem(vd, "codecSettings"), "h264Settings");
    cJSON_SetNumberValue(cJSON_GetObjectItem(h264, "bitrate"), 1234567);
    assert_null(channel_state_profile_of(enc));
    cJSON_Delete(enc);
    assert_null(channel_state_profile_of(NULL));
}

static void renditions_list_the_ladder(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    struct cty_type *t = cty_value_type(cty_value_attr(st, "renditions"));
    struct cty_value *r = channel_state_renditions_new(t, ladder_profile_find("SD-540p"));
    assert_non_null(r);
    assert_int_equal(cty_value_length(r), 4);
    const struct cty_value *first = cty_value_index(r, 0);
    assert_string_equal(cty_attr_string(first, "name"), "_512x288");
    assert_int_equal(cty_attr_int(first, "width", 0), 512);
    assert_int_equal(cty_attr_int(first, "bitrate", 0), 400000);
    assert_string_equal(cty_value_number_text(cty_value_attr(first, "framerate")), "15");
    assert_int_equal(cty_attr_int(cty_value_index(r, 3), "height", 0), 540);
    cty_value_destroy(r);
    cty_value_destroy(st);
}

static void import_derives_endpoint_path_and_tags(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    struct lsms_provider_data pd = {0};
    struct cty_type *map = cty_value_type(cty_value_attr(st, "tags_all"));
    pd.default_tags = cty_collection_new(map);
    cty_map_put(pd.default_tags, "Owner", cty_string_new("ops"));
    cJSON *ch = channel_answer("HD-1080p", "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/live/x", "RUNNING");
    assert_int_equal(channel_state_from_channel(st, ch, &pd, NULL), 0);
    assert_string_equal(cty_attr_string(st, "container_endpoint"),
                        "https://abc.data.mediastore.us-east-1.amazonaws.com");
    assert_string_equal(cty_attr_string(st, "stream_path"), "live/x");
    assert_string_equal(cty_attr_string(st, "encoding_profile"), "HD-1080p");
    assert_string_equal(cty_attr_string(st, "input_id"), "555");
    assert_true(cty_attr_bool(st, "channel_start", false));
    assert_int_equal(cty_value_length(cty_value_attr(st, "renditions")), 6);
    /* Default tags stay in tags_all only. */
    assert_int_equal(cty_value_length(cty_value_attr(st, "tags_all")), 2);
    assert_int_equal(cty_value_length(cty_value_attr(st, "tags")), 1);
    assert_non_null(cty_value_map_get(cty_value_attr(st, "tags"), "Project"));
    cJSON_Delete(ch);
    cty_value_destroy(pd.default_tags);
    cty_value_destroy(st);
}

static void a_known_endpoint_with_a_path_is_kept(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    assert_int_equal(cty_object_set(st, "container_endpoint",
                                    cty_string_new("http://127.0.0.1:5000/_mediastore/c/")), 0);
    cJSON *ch = channel_answer("HD-720p", "mediastoressl://127.0.0.1:5000/_mediastore/c/stream/index", "IDLE");
    assert_int_equal(channel_state_from_channel(st, ch, NULL, NULL), 0);
    assert_string_equal(cty_attr_string(st, "container_endpoint"),
                        "http://127.0.0.1:5000/_mediastore/c/");
    assert_string_equal(cty_attr_string(st, "stream_path"), "stream/index");
    assert_false(cty_attr_bool(st, "channel_start", true));
    cJSON_Delete(ch);
    cty_value_destroy(st);
}

static void cidr_order_of_state_is_kept_when_the_set_matches(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    struct cty_value *list = cty_collection_new(cty_value_type(cty_value_attr(st, "input_cidr")));
    cty_collection_append(list, cty_string_new("10.0.0.0/8"));
    cty_collection_append(list, cty_string_new("192.0.2.0/24"));
    cty_object_set(st, "input_cidr", list);
    cJSON *g = cJSON_Parse("{\"whitelistRules\":[{\"cidr\":\"192.0.2.0/24\"},{\"cidr\":\"10.0.0.0/8\"}]}");
    assert_int_equal(channel_state_from_security_group(st, g), 0);
    assert_string_equal(cty_value_string(cty_value_index(cty_value_attr(st, "input_cidr"), 0)),
                        "10.0.0.0/8");
    cJSON_Delete(g);
    g = cJSON_Parse("{\"whitelistRules\":[{\"cidr\":\"198.51.100.0/24\"}]}");
    assert_int_equal(channel_state_from_security_group(st, g), 0);
    assert_int_equal(cty_value_length(cty_value_attr(st, "input_cidr")), 1);
    cJSON_Delete(g);
    assert_int_equal(channel_state_from_security_group(st, NULL), 0);
    assert_true(cty_value_is_null(cty_value_attr(st, "input_cidr")));
    cty_value_destroy(st);
}

static void input_answer_fills_endpoints_and_source(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    cJSON *in = cJSON_Parse(
        "{\"type\":\"URL_PULL\",\"sources\":[{\"url\":\"https://x/y.m3u8\",\"username\":\"u\","
        "\"passwordParam\":\"/lsms/channel/live/pull-password\"}],\"destinations\":[]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_string_equal(cty_attr_string(st, "input_type"), "URL_PULL");
    assert_string_equal(cty_attr_string(st, "pull_url"), "https://x/y.m3u8");
    assert_string_equal(cty_attr_string(st, "pull_user"), "u");
    assert_null(cty_attr_string(st, "input_security_group_id"));
    assert_int_equal(cty_value_length(cty_value_attr(st, "input_endpoints")), 0);
    assert_false(cty_value_is_null(cty_value_attr(st, "input_endpoints")));
    assert_string_equal(channel_state_password_param(in), "/lsms/channel/live/pull-password");
    cJSON_Delete(in);
    cty_value_destroy(st);
}

static void role_names_fit_iam_and_are_recognised(void **s)
{
    (void)s;
    char *n = channel_role_name_new("live");
    assert_string_equal(n, "lsms-ml-live");
    free(n);
    char long_name[65];
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    n = channel_role_name_new(long_name);
    assert_int_equal(strlen(n), 64);
    char *again = channel_role_name_new(long_name);
    assert_string_equal(n, again);
    long_name[63] = 'b';
    char *other = channel_role_name_new(long_name);
    assert_string_not_equal(n, other);
    free(n);
    free(again);
    free(other);
    assert_true(channel_role_is_managed("arn:aws:iam::123456789012:role/lsms-ml-live", "live"));
    assert_false(channel_role_is_managed("arn:aws:iam::123456789012:role/mine", "live"));
    assert_false(channel_role_is_managed(NULL, "live"));
    char *p = channel_role_parameter_name_new("live");
    assert_string_equal(p, "/lsms/channel/live/pull-password");
    free(p);
}

/* The statement of `doc` with Sid `sid`, or NULL. */
static const cJSON *statement(const cJSON *doc, const char *sid)
{
    const cJSON *st;
    cJSON_ArrayForEach(st, cJSON_GetObjectItem(doc, "Statement")) {
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(st, "Sid"));
        if (id && strcmp(id, sid) == 0)
            return st;
    }
    return NULL;
}

/* Every Resource of every statement: never "*", never any other container. */
static void assert_no_wildcard_resource(const cJSON *doc)
{
    const cJSON *st;
    cJSON_ArrayForEach(st, cJSON_GetObjectItem(doc, "Statement")) {
        const cJSON *res = cJSON_GetObjectItem(st, "Resource");
        const cJSON *r, *list = cJSON_IsArray(res) ? res : NULL;
        if (cJSON_IsString(res)) {
            assert_string_not_equal(res->valuestring, "*");
            assert_null(strstr(res->valuestring, ":container/*"));
        }
        cJSON_ArrayForEach(r, list) {
            assert_string_not_equal(r->valuestring, "*");
            assert_null(strstr(r->valuestring, ":container/*"));
        }
    }
}

static void role_policy_grants_only_the_one_container(void **s)
{
    (void)s;
    const char *arn = "arn:aws:mediastore:eu-west-1:111122223333:container/live";
    struct channel_role_destination dest = {.container_arn = arn, .stream_path = "stream/index"};
    char *text = channel_role_policy_new("aws", "eu-west-1", "111122223333", "live", &dest);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "Statement")), 3);
    assert_no_wildcard_resource(doc);
    const cJSON *ms = statement(doc, "MediaStoreOutput");
    assert_non_null(ms);
    const cJSON *res = cJSON_GetObjectItem(ms, "Resource");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    assert_string_equal(cJSON_GetArrayItem(res, 0)->valuestring, arn);
    assert_string_equal(cJSON_GetArrayItem(res, 1)->valuestring,
                        "arn:aws:mediastore:eu-west-1:111122223333:container/live/*");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(ms, "Action")), 5);
    assert_null(strstr(text, "s3:"));
    assert_non_null(strstr(text, "arn:aws:ssm:eu-west-1:111122223333:parameter/lsms/channel/live/*"));
    assert_non_null(strstr(channel_role_trust_policy(), "medialive.amazonaws.com"));
    cJSON_Delete(doc);
    free(text);
}

static void role_policy_grants_the_stream_folder_of_the_bucket(void **s)
{
    (void)s;
    struct channel_role_destination dest = {.bucket = "live-origin", .stream_path = "live/a/index"};
    char *text = channel_role_policy_new("aws-cn", "cn-north-1", "111122223333", "live", &dest);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_no_wildcard_resource(doc);
    assert_null(strstr(text, "mediastore:"));
    const cJSON *put = statement(doc, "S3Output");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(put, "Resource")),
                        "arn:aws-cn:s3:::live-origin/live/a/*");
    const cJSON *actions = cJSON_GetObjectItem(put, "Action");
    assert_int_equal(cJSON_GetArraySize(actions), 3);
    assert_string_equal(cJSON_GetArrayItem(actions, 0)->valuestring, "s3:PutObject");
    assert_string_equal(cJSON_GetArrayItem(actions, 1)->valuestring, "s3:GetObject");
    /* MediaLive deletes the segments past KeepSegments. */
    assert_string_equal(cJSON_GetArrayItem(actions, 2)->valuestring, "s3:DeleteObject");
    const cJSON *list = statement(doc, "S3OutputList");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(list, "Action")), "s3:ListBucket");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(list, "Resource")),
                        "arn:aws-cn:s3:::live-origin");
    const cJSON *prefix = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetObjectItem(list, "Condition"), "StringLike"), "s3:prefix");
    assert_int_equal(cJSON_GetArraySize(prefix), 1);
    assert_string_equal(cJSON_GetArrayItem(prefix, 0)->valuestring, "live/a/*");
    cJSON_Delete(doc);
    free(text);

    /* A stream at the top of the bucket: the bucket's objects, no prefix. */
    dest.stream_path = "index";
    text = channel_role_policy_new("aws", "us-east-1", "111122223333", "live", &dest);
    doc = cJSON_Parse(text);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(statement(doc, "S3Output"),
                                                                 "Resource")),
                        "arn:aws:s3:::live-origin/*");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(statement(doc, "S3Output"), "Action"),
                                           2)->valuestring, "s3:DeleteObject");
    assert_null(cJSON_GetObjectItem(statement(doc, "S3OutputList"), "Condition"));
    cJSON_Delete(doc);
    free(text);

    /* Exactly one destination, and nothing that would break the JSON. */
    dest.container_arn = "arn:aws:mediastore:us-east-1:111122223333:container/x";
    assert_null(channel_role_policy_new("aws", "us-east-1", "111122223333", "live", &dest));
    dest = (struct channel_role_destination){.stream_path = "stream/index"};
    assert_null(channel_role_policy_new("aws", "us-east-1", "111122223333", "live", &dest));
    dest.bucket = "bad\"name";
    assert_null(channel_role_policy_new("aws", "us-east-1", "111122223333", "live", &dest));
    assert_null(channel_role_policy_new("aws", "us-east-1", "111122223333", "live", NULL));
}

static void s3_destination_reads_back_bucket_and_path(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    cJSON *ch = channel_answer("HD-720p", "s3ssl://live-origin/live/x/index", "IDLE");
    assert_false(channel_state_needs_containers(st, ch));
    assert_int_equal(channel_state_from_channel(st, ch, NULL, NULL), 0);
    assert_string_equal(cty_attr_string(st, "destination_bucket"), "live-origin");
    assert_string_equal(cty_attr_string(st, "stream_path"), "live/x/index");
    assert_null(cty_attr_string(st, "container_endpoint"));
    cJSON_Delete(ch);
    /* Moved to MediaStore behind our back: the bucket goes, the endpoint shows. */
    ch = channel_answer("HD-720p", "mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/index", "IDLE");
    assert_true(channel_state_needs_containers(st, ch));
    assert_int_equal(channel_state_from_channel(st, ch, NULL, NULL), 0);
    assert_null(cty_attr_string(st, "destination_bucket"));
    assert_string_equal(cty_attr_string(st, "container_endpoint"),
                        "https://abc.data.mediastore.us-east-1.amazonaws.com");
    cJSON_Delete(ch);
    cty_value_destroy(st);
}

/* A ListContainers answer: containers "c" and "c2" behind an emulator
 * endpoint with a port and a path, and one real AWS container. */
static cJSON *containers_answer(void)
{
    return cJSON_Parse(
        "[{\"Name\":\"c2\",\"ARN\":\"arn:aws:mediastore:us-east-1:123456789012:container/c2\","
        "\"Endpoint\":\"http://127.0.0.1:5000/_mediastore/c2\"},"
        "{\"Name\":\"c\",\"ARN\":\"arn:aws:mediastore:us-east-1:123456789012:container/c\","
        "\"Endpoint\":\"http://127.0.0.1:5000/_mediastore/c\"},"
        "{\"Name\":\"real\",\"ARN\":\"arn:aws:mediastore:us-east-1:123456789012:container/real\","
        "\"Endpoint\":\"https://abc.data.mediastore.us-east-1.amazonaws.com\"}]");
}

static void import_matches_the_url_against_the_containers(void **s)
{
    (void)s;
    cJSON *containers = containers_answer();
    static const struct {
        const char *url, *endpoint, *path;
    } cases[] = {
        {"mediastoressl://127.0.0.1:5000/_mediastore/c/stream/index",
         "http://127.0.0.1:5000/_mediastore/c", "stream/index"},
        {"mediastoressl://127.0.0.1:5000/_mediastore/c2/live/a/index",
         "http://127.0.0.1:5000/_mediastore/c2", "live/a/index"},
        {"mediastoressl://abc.data.mediastore.us-east-1.amazonaws.com/stream/pipeline1/index",
         "https://abc.data.mediastore.us-east-1.amazonaws.com", "stream/pipeline1/index"},
        /* No container has it (another account): the host is the endpoint. */
        {"mediastoressl://xyz.data.mediastore.us-east-1.amazonaws.com/stream/index",
         "https://xyz.data.mediastore.us-east-1.amazonaws.com", "stream/index"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cty_value *st = null_state();
        cJSON *ch = channel_answer("HD-720p", cases[i].url, "IDLE");
        assert_true(channel_state_needs_containers(st, ch));
        assert_int_equal(channel_state_from_channel(st, ch, NULL, containers), 0);
        assert_string_equal(cty_attr_string(st, "container_endpoint"), cases[i].endpoint);
        assert_string_equal(cty_attr_string(st, "stream_path"), cases[i].path);
        assert_null(cty_attr_string(st, "destination_bucket"));
        /* What was read is what create stored: the next read needs no list. */
        assert_false(channel_state_needs_containers(st, ch));
        cJSON_Delete(ch);
        cty_value_destroy(st);
    }
    cJSON_Delete(containers);
}

static void the_container_of_an_endpoint(void **s)
{
    (void)s;
    cJSON *containers = containers_answer();
    const cJSON *c = channel_state_container_for_endpoint(containers,
                                                          "http://127.0.0.1:5000/_mediastore/c/");
    assert_string_equal(cJSON_GetObjectItem(c, "Name")->valuestring, "c");
    c = channel_state_container_for_endpoint(containers,
                                             "https://abc.data.mediastore.us-east-1.amazonaws.com");
    assert_string_equal(cJSON_GetObjectItem(c, "Name")->valuestring, "real");
    assert_null(channel_state_container_for_endpoint(containers, "http://127.0.0.1:5000/_mediastore"));
    assert_null(channel_state_container_for_endpoint(containers, "http://127.0.0.1:5000/_mediastore/c3"));
    assert_null(channel_state_container_for_endpoint(containers, NULL));
    assert_null(channel_state_container_for_endpoint(NULL, "http://x"));
    cJSON_Delete(containers);
}

static void a_channel_left_without_its_input_keeps_the_input_id(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    assert_int_equal(cty_object_set(st, "input_id", cty_string_new("555")), 0);
    cJSON *ch = channel_answer("HD-720p", "s3ssl://live-origin/stream/index", "IDLE");
    cJSON_ReplaceItemInObject(ch, "inputAttachments", cJSON_CreateArray());
    assert_int_equal(channel_state_from_channel(st, ch, NULL, NULL), 0);
    assert_string_equal(cty_attr_string(st, "input_id"), "555");
    assert_null(cty_attr_string(st, "channel_class")); /* the next plan repairs it */
    cJSON_Delete(ch);
    /* Attached again: the class reads back. */
    ch = channel_answer("HD-720p", "s3ssl://live-origin/stream/index", "IDLE");
    assert_int_equal(channel_state_from_channel(st, ch, NULL, NULL), 0);
    assert_string_equal(cty_attr_string(st, "channel_class"), "SINGLE_PIPELINE");
    cJSON_Delete(ch);
    cty_value_destroy(st);
}

static void standard_inputs_read_back_pipeline1(void **s)
{
    (void)s;
    struct cty_value *st = null_state();
    cJSON *in = cJSON_Parse(
        "{\"type\":\"URL_PULL\",\"inputClass\":\"STANDARD\",\"sources\":[{\"url\":\"https://x/a.m3u8\"},"
        "{\"url\":\"https://x/a.m3u8\"}]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_null(cty_attr_string(st, "pull_url_pipeline1")); /* the default: the same source */
    cJSON_Delete(in);
    in = cJSON_Parse("{\"type\":\"URL_PULL\",\"sources\":[{\"url\":\"https://x/a.m3u8\"},"
                     "{\"url\":\"https://y/a.m3u8\"}]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_string_equal(cty_attr_string(st, "pull_url_pipeline1"), "https://y/a.m3u8");
    cJSON_Delete(in);
    /* Named in state although it repeats pull_url: kept. */
    assert_int_equal(cty_object_set(st, "pull_url_pipeline1", cty_string_new("https://x/a.m3u8")), 0);
    in = cJSON_Parse("{\"type\":\"URL_PULL\",\"sources\":[{\"url\":\"https://x/a.m3u8\"},"
                     "{\"url\":\"https://x/a.m3u8\"}]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_string_equal(cty_attr_string(st, "pull_url_pipeline1"), "https://x/a.m3u8");
    cJSON_Delete(in);
    /* Back to one source: nothing for pipeline 1. */
    in = cJSON_Parse("{\"type\":\"URL_PULL\",\"sources\":[{\"url\":\"https://x/a.m3u8\"}]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_null(cty_attr_string(st, "pull_url_pipeline1"));
    cJSON_Delete(in);
    in = cJSON_Parse("{\"type\":\"INPUT_DEVICE\",\"inputDevices\":[{\"id\":\"hd-1\"},{\"id\":\"hd-2\"}]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_string_equal(cty_attr_string(st, "input_device_id"), "hd-1");
    assert_string_equal(cty_attr_string(st, "input_device_id_pipeline1"), "hd-2");
    cJSON_Delete(in);
    in = cJSON_Parse("{\"type\":\"RTMP_PUSH\",\"destinations\":[{\"url\":\"rtmp://198.51.100.10:1935/a/s\"},"
                     "{\"url\":\"rtmp://198.51.100.11:1935/a/s\"}],\"securityGroups\":[\"77\"]}");
    assert_int_equal(channel_state_from_input(st, in), 0);
    assert_int_equal(cty_value_length(cty_value_attr(st, "input_endpoints")), 2);
    assert_null(cty_attr_string(st, "input_device_id_pipeline1"));
    assert_string_equal(cty_attr_string(st, "input_security_group_id"), "77");
    cJSON_Delete(in);
    cty_value_destroy(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_profile_is_recognised_from_its_encoder_settings),
        cmocka_unit_test(a_changed_bitrate_is_no_profile),
        cmocka_unit_test(renditions_list_the_ladder),
        cmocka_unit_test(import_derives_endpoint_path_and_tags),
        cmocka_unit_test(a_known_endpoint_with_a_path_is_kept),
        cmocka_unit_test(cidr_order_of_state_is_kept_when_the_set_matches),
        cmocka_unit_test(input_answer_fills_endpoints_and_source),
        cmocka_unit_test(role_names_fit_iam_and_are_recognised),
        cmocka_unit_test(role_policy_grants_only_the_one_container),
        cmocka_unit_test(role_policy_grants_the_stream_folder_of_the_bucket),
        cmocka_unit_test(s3_destination_reads_back_bucket_and_path),
        cmocka_unit_test(import_matches_the_url_against_the_containers),
        cmocka_unit_test(the_container_of_an_endpoint),
        cmocka_unit_test(a_channel_left_without_its_input_keeps_the_input_id),
        cmocka_unit_test(standard_inputs_read_back_pipeline1),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
