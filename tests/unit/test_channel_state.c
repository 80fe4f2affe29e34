/* Tests for resources/channel_state and channel_role: MediaLive answers to
 * lsms_channel state (ladder recognised from encoderSettings, destination
 * split into endpoint and stream path, tags on import, CIDR order kept), the
 * `renditions` value, and the names and policy of the managed role. */
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
#include "resources/channel_role.h"
#include "resources/channel_settings.h"
#include "resources/channel_state.h"

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
    assert_int_equal(channel_state_from_channel(st, ch, &pd), 0);
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
    assert_int_equal(channel_state_from_channel(st, ch, NULL), 0);
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

static void role_policy_is_limited_to_containers_logs_and_own_parameter(void **s)
{
    (void)s;
    char *text = channel_role_policy_new("aws", "eu-west-1", "111122223333", "live");
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    cJSON *st;
    int n = 0;
    cJSON_ArrayForEach(st, cJSON_GetObjectItem(doc, "Statement")) {
        const char *res = cJSON_GetStringValue(cJSON_GetObjectItem(st, "Resource"));
        assert_non_null(res);
        assert_string_not_equal(res, "*");
        n++;
    }
    assert_int_equal(n, 3);
    assert_non_null(strstr(text, "arn:aws:mediastore:eu-west-1:111122223333:container/*"));
    assert_non_null(strstr(text, "arn:aws:ssm:eu-west-1:111122223333:parameter/lsms/channel/live/*"));
    cJSON *trust = cJSON_Parse(channel_role_trust_policy());
    assert_non_null(strstr(channel_role_trust_policy(), "medialive.amazonaws.com"));
    cJSON_Delete(trust);
    cJSON_Delete(doc);
    free(text);
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
        cmocka_unit_test(role_policy_is_limited_to_containers_logs_and_own_parameter),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
