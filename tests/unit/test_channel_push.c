/*
 * Tests for resources/channel/channel_push: a channel's push endpoints as
 * OBS and ffmpeg want them (the provider functions push_target and
 * test_card_command are built on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "resources/channel/channel_push.h"
#include "resources/ladder.h"

static void test_rtmp_endpoint_splits_into_server_and_stream_key(void **state)
{
    (void)state;
    struct channel_push_target t;
    const char *why = "x";
    assert_int_equal(channel_push_target_parse("rtmp://198.51.100.10:1935/live/stream", &t, &why), 0);
    assert_null(why);
    assert_string_equal(t.protocol, "rtmp");
    assert_string_equal(t.url, "rtmp://198.51.100.10:1935/live/stream");
    assert_string_equal(t.server, "rtmp://198.51.100.10:1935/live");
    assert_string_equal(t.stream_key, "stream");
    assert_string_equal(t.ffmpeg_format, "flv");
    channel_push_target_clean_up(&t);
    /* An application of several segments, rtmps, no port, IPv6. */
    assert_int_equal(channel_push_target_parse("rtmps://live.example.com/app/sub/key", &t, &why), 0);
    assert_string_equal(t.server, "rtmps://live.example.com/app/sub");
    assert_string_equal(t.stream_key, "key");
    channel_push_target_clean_up(&t);
    assert_int_equal(channel_push_target_parse("rtmp://[2001:db8::1]:1935/a/b", &t, &why), 0);
    assert_string_equal(t.server, "rtmp://[2001:db8::1]:1935/a");
    channel_push_target_clean_up(&t);
}

static void test_rtp_endpoint_has_no_server_nor_key(void **state)
{
    (void)state;
    struct channel_push_target t;
    const char *why = NULL;
    assert_int_equal(channel_push_target_parse("rtp://198.51.100.20:5000", &t, &why), 0);
    assert_string_equal(t.protocol, "rtp");
    assert_null(t.server);
    assert_null(t.stream_key);
    assert_string_equal(t.ffmpeg_format, "rtp_mpegts");
    channel_push_target_clean_up(&t);
}

static void test_what_is_not_a_push_endpoint_is_refused_with_a_reason(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"", "empty"},
        {"udp://198.51.100.10:5000", "Not a push endpoint"},
        {"https://example.com/live", "Not a push endpoint"},
        {"rtmp://198.51.100.10:1935/onlyapp", "both an application and a stream"},
        {"rtmp://198.51.100.10:1935/app/", "both an application and a stream"},
        {"rtmp://198.51.100.10:1935//stream", "both an application and a stream"},
        {"rtmp://198.51.100.10:99999/a/b", "port of 1 to 65535"},
        {"rtmp:///a/b", "<host>[:<port>]"},
        {"rtmp://bad_host:1935/a/b", "<host>[:<port>]"},
        {"rtp://198.51.100.20", "rtp://<address>:<port>"},
        {"rtp://198.51.100.20:5000/path", "rtp://<address>:<port>"},
        {"rtmp://198.51.100.10:1935/a/b c", "white space"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct channel_push_target t;
        const char *why = NULL;
        assert_int_equal(channel_push_target_parse(bad[i][0], &t, &why), -1);
        assert_non_null(why);
        if (!strstr(why, bad[i][1]))
            fail_msg("%s: \"%s\" does not say \"%s\"", bad[i][0], why, bad[i][1]);
        assert_null(t.url);
    }
    struct channel_push_target t;
    const char *why = NULL;
    assert_int_equal(channel_push_target_parse(NULL, &t, &why), -1);
    assert_non_null(why);
}

static void test_test_card_command_follows_the_profile_and_protocol(void **state)
{
    (void)state;
    struct channel_push_target t;
    const char *why = NULL;
    assert_int_equal(channel_push_target_parse("rtp://198.51.100.20:5000", &t, &why), 0);
    char *cmd = channel_push_test_card_command(&t, ladder_profile_find("SD-540p"));
    assert_string_equal(cmd,
                        "ffmpeg -re -f lavfi -i testsrc2=size=960x540:rate=30 "
                        "-f lavfi -i sine=frequency=440:sample_rate=48000 "
                        "-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -g 60 "
                        "-b:v 2500k -maxrate 2500k -bufsize 5000k -c:a aac -b:a 128k -ar 48000 "
                        "-f rtp_mpegts rtp://198.51.100.20:5000");
    free(cmd);
    channel_push_target_clean_up(&t);
    /* The source sits above the top rendition of each profile. */
    static const char *const names[] = {"HD-1080p", "HD-720p", "SD-540p"};
    for (size_t i = 0; i < 3; i++) {
        const struct ladder_profile *p = ladder_profile_find(names[i]);
        const struct ladder_rung *rungs;
        size_t n = ladder_profile_rungs(p, &rungs);
        assert_true(channel_push_test_card_kbps(p) * 1000L > rungs[n - 1].bitrate_bps);
        assert_true(channel_push_test_card_kbps(p) <= 10000);
    }
    assert_null(channel_push_test_card_command(&t, NULL));
}

/* The command is run by a shell as printed (eval "$(... test_card_command)"):
 * an endpoint MediaLive reports stays as it is; one holding characters a
 * shell acts on (an IPv6 address's brackets, '$(...)', a quote) is one
 * quoted word, so nothing in it runs. */
static void test_test_card_command_quotes_what_a_shell_would_act_on(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"rtmp://198.51.100.10:1935/live/stream", " -f flv rtmp://198.51.100.10:1935/live/stream"},
        {"rtmp://[2001:db8::1]:1935/a/b", " -f flv 'rtmp://[2001:db8::1]:1935/a/b'"},
        {"rtmp://h:1935/live/$(touch${IFS}x)", " -f flv 'rtmp://h:1935/live/$(touch${IFS}x)'"},
        {"rtmp://h:1935/live/it's;rm", " -f flv 'rtmp://h:1935/live/it'\\''s;rm'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct channel_push_target t;
        const char *why = NULL;
        assert_int_equal(channel_push_target_parse(cases[i][0], &t, &why), 0);
        char *cmd = channel_push_test_card_command(&t, ladder_profile_find("HD-720p"));
        size_t len = strlen(cmd), tail = strlen(cases[i][1]);
        if (len < tail || strcmp(cmd + len - tail, cases[i][1]) != 0)
            fail_msg("%s: the command ends \"%s\", not \"%s\"", cases[i][0],
                     len < tail ? cmd : cmd + len - tail, cases[i][1]);
        free(cmd);
        channel_push_target_clean_up(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rtmp_endpoint_splits_into_server_and_stream_key),
        cmocka_unit_test(test_rtp_endpoint_has_no_server_nor_key),
        cmocka_unit_test(test_what_is_not_a_push_endpoint_is_refused_with_a_reason),
        cmocka_unit_test(test_test_card_command_follows_the_profile_and_protocol),
        cmocka_unit_test(test_test_card_command_quotes_what_a_shell_would_act_on),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
