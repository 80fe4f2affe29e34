/*
 * channel_functions.c - provider functions about feeding a channel's push
 * input (function.h), pure computations of their arguments:
 *
 *   provider::lsms::push_target(endpoint)
 *     what an encoder needs to send to one of lsms_channel.input_endpoints:
 *     OBS's server and stream key (RTMP), ffmpeg's output format.
 *   provider::lsms::test_card_command(endpoint, encoding_profile)
 *     the ffmpeg command that pushes a test card (moving colour bars with a
 *     clock, and a tone) at the profile's top size to that endpoint.
 *
 * Both replace HCL a module would otherwise carry (a regex to split the
 * RTMP URL, a table of sizes per profile, a conditional per protocol), and
 * check the endpoint: an error names the argument instead of a command that
 * fails later.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framework/function.h"
#include "resources/channel/channel.h"
#include "resources/ladder.h"
#include "resources/channel/channel_push.h"
#include "util/buf.h"

#define PUSH_TARGET_TYPE                                                                       \
    "[\"object\",{\"protocol\":\"string\",\"url\":\"string\",\"server\":\"string\","          \
    "\"stream_key\":\"string\",\"ffmpeg_format\":\"string\"}]"

static struct cty_value *push_target_value(const struct channel_push_target *t)
{
    char *error = NULL;
    struct cty_type *type = cty_type_from_json(PUSH_TARGET_TYPE, sizeof PUSH_TARGET_TYPE - 1,
                                               &error);
    free(error);
    struct cty_value *o = type ? cty_object_new(type) : NULL;
    cty_type_release(type);
    if (!o)
        return NULL;
    struct {
        const char *name, *value;
    } fields[] = {{"protocol", t->protocol},
                  {"url", t->url},
                  {"server", t->server},
                  {"stream_key", t->stream_key},
                  {"ffmpeg_format", t->ffmpeg_format}};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        struct cty_value *v = fields[i].value ? cty_string_new(fields[i].value)
                                              : cty_null_new(cty_type_string());
        if (cty_object_set(o, fields[i].name, v) != 0) {
            cty_value_destroy(o);
            return NULL;
        }
    }
    return o;
}

static struct cty_value *push_target_call(const struct cty_value *const *args, size_t n_args,
                                          struct function_error *err)
{
    (void)n_args;
    struct channel_push_target t;
    const char *why = NULL;
    if (channel_push_target_parse(cty_value_string(args[0]), &t, &why) != 0) {
        function_error_set(err, 0, "%s", why ? why : "out of memory");
        return NULL;
    }
    struct cty_value *v = push_target_value(&t);
    channel_push_target_clean_up(&t);
    if (!v)
        function_error_set(err, -1, "Out of memory");
    return v;
}

const struct lsms_function lsms_push_target_function = {
    .name = "push_target",
    .params = (const struct function_param[]){
        {.name = "endpoint", .type = "string",
         .description = "A push endpoint of a channel: an element of "
                        "`lsms_channel.input_endpoints` (`rtmp://<address>:1935/<app>/<stream>` "
                        "or `rtp://<address>:5000`)."},
        {0}},
    .return_type = PUSH_TARGET_TYPE,
    .summary = "What an encoder needs to push to a channel's input",
    .description = "Splits a push endpoint of `lsms_channel.input_endpoints` into what encoders "
                   "ask for: `protocol` (`rtmp` or `rtp`), `url` (the endpoint itself), "
                   "`server` and `stream_key` (OBS: Settings > Stream, Service \"Custom...\"; "
                   "RTMP only, null for RTP) and `ffmpeg_format` (the `-f` of an ffmpeg "
                   "command: `flv` for RTMP, `rtp_mpegts` for RTP). An endpoint that is not an "
                   "RTMP or RTP URL of that form is an error on the argument.",
    .call = push_target_call,
};

static struct cty_value *test_card_command_call(const struct cty_value *const *args,
                                                size_t n_args, struct function_error *err)
{
    (void)n_args;
    struct channel_push_target t;
    const char *why = NULL;
    const char *profile_name = cty_value_string(args[1]);
    const struct ladder_profile *profile = ladder_profile_find(profile_name);
    if (!profile) {
        function_error_set(err, 1,
                           "\"%s\" is not an encoding profile: use HD-1080p, HD-720p or SD-540p",
                           profile_name ? profile_name : "");
        return NULL;
    }
    if (channel_push_target_parse(cty_value_string(args[0]), &t, &why) != 0) {
        function_error_set(err, 0, "%s", why ? why : "out of memory");
        return NULL;
    }
    char *cmd = channel_push_test_card_command(&t, profile);
    channel_push_target_clean_up(&t);
    struct cty_value *v = cmd ? cty_string_new(cmd) : NULL;
    free(cmd);
    if (!v)
        function_error_set(err, -1, "Out of memory");
    return v;
}

const struct lsms_function lsms_test_card_command_function = {
    .name = "test_card_command",
    .params = (const struct function_param[]){
        {.name = "endpoint", .type = "string",
         .description = "A push endpoint of the channel (an element of "
                        "`lsms_channel.input_endpoints`)."},
        {.name = "encoding_profile", .type = "string",
         .description = "The channel's `encoding_profile`: the test card gets its top rendition's "
                        "size."},
        {0}},
    .return_type = "string",
    .summary = "The ffmpeg command that pushes a test card to a channel",
    .description = "Returns an ffmpeg command line that pushes a test card (moving colour bars "
                   "with a clock, `testsrc2`, and a 440 Hz tone) to the push endpoint, at the "
                   "size of the encoding profile's top rendition, 30 frames per second, H.264 "
                   "and AAC: over RTMP as FLV, over RTP as MPEG-TS. Run it once the channel is "
                   "running to see the stream play without a camera. It is meant for a POSIX "
                   "shell as printed: an endpoint holding characters a shell acts on is "
                   "single-quoted.",
    .call = test_card_command_call,
};
