/*
 * Tests for the provider functions of resources/ (function.h), called as the
 * protocol layer calls them (function_run: the result is checked against the
 * declared return type): playback_url, push_target, test_card_command and
 * encoding_profile_renditions. The clients call them in tests/acceptance/
 * test_functions.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "framework/function.h"
#include "framework/resource.h"

static const struct lsms_function *find(const char *name)
{
    for (const struct lsms_function *const *f = lsms_provider.functions; *f; f++)
        if (strcmp((*f)->name, name) == 0)
            return *f;
    fail_msg("no function %s", name);
    return NULL;
}

/* Calls `name` with string arguments (NULL: a null string); the result (or
 * NULL with err set) is owned by the caller. */
static struct cty_value *call(const char *name, struct function_error *err, size_t n, ...)
{
    const struct lsms_function *f = find(name);
    struct cty_value *args[4] = {0};
    va_list ap;
    va_start(ap, n);
    for (size_t i = 0; i < n; i++) {
        const char *s = va_arg(ap, const char *);
        args[i] = s ? cty_string_new(s) : cty_null_new(cty_type_string());
    }
    va_end(ap);
    /* As the protocol layer reads the table: a bare primitive name or JSON. */
    char json[1024];
    snprintf(json, sizeof json, f->return_type[0] == '[' ? "%s" : "\"%s\"", f->return_type);
    char *error = NULL;
    struct cty_type *rt = cty_type_from_json(json, strlen(json), &error);
    assert_non_null(rt);
    *err = (struct function_error){.argument = -1};
    struct cty_value *v = function_run(f, rt, (const struct cty_value *const *)args, n, err);
    cty_type_release(rt);
    for (size_t i = 0; i < n; i++)
        cty_value_destroy(args[i]);
    return v;
}

static void expect_result(const char *name, const char *want, size_t n, const char *a,
                          const char *b)
{
    struct function_error err;
    struct cty_value *v = call(name, &err, n, a, b);
    if (!v)
        fail_msg("%s(%s, %s): %s", name, a, b ? b : "", err.text);
    assert_string_equal(cty_value_string(v), want);
    cty_value_destroy(v);
}

static void expect_failure(const char *name, int64_t argument, const char *says, size_t n,
                         const char *a, const char *b)
{
    struct function_error err;
    struct cty_value *v = call(name, &err, n, a, b);
    assert_null(v);
    assert_non_null(err.text);
    assert_int_equal(err.argument, argument);
    if (!strstr(err.text, says))
        fail_msg("%s(%s): \"%s\" does not say \"%s\"", name, a, err.text, says);
    /* The client ends the sentence: the text does not. */
    assert_int_not_equal(err.text[strlen(err.text) - 1], '.');
    function_error_clean_up(&err);
}

static void test_playback_url(void **state)
{
    (void)state;
    static const char *const same[][2] = {
        {"d111111abcdef8.cloudfront.net", "stream/index"},
        {"https://d111111abcdef8.cloudfront.net", "stream/index.m3u8"},
        {"https://d111111abcdef8.cloudfront.net/", "/stream/index"},
        {"d111111abcdef8.cloudfront.net//", "//stream/index.m3u8"},
    };
    for (size_t i = 0; i < 4; i++)
        expect_result("playback_url", "https://d111111abcdef8.cloudfront.net/stream/index.m3u8", 2,
                      same[i][0], same[i][1]);
    expect_result("playback_url", "https://live.example.com:8443/a.b/c_d~e-f.m3u8", 2,
                  "live.example.com:8443", "a.b/c_d~e-f");
    expect_failure("playback_url", 0, "https", 2, "http://d1.cloudfront.net", "stream/index");
    expect_failure("playback_url", 0, "empty", 2, "https:///", "stream/index");
    expect_failure("playback_url", 0, "stream_path", 2, "d1.cloudfront.net/stream", "index");
    expect_failure("playback_url", 1, "empty", 2, "d1.cloudfront.net", "/.m3u8");
    expect_failure("playback_url", 1, "segment", 2, "d1.cloudfront.net", "../secret");
    expect_failure("playback_url", 1, "segment", 2, "d1.cloudfront.net", "a/./b");
    expect_failure("playback_url", 1, "segment", 2, "d1.cloudfront.net", "a//b");
    expect_failure("playback_url", 1, "folder", 2, "d1.cloudfront.net", "stream/");
    expect_failure("playback_url", 1, "letters", 2, "d1.cloudfront.net", "a b");
    expect_failure("playback_url", 1, "letters", 2, "d1.cloudfront.net", "a?x=1");
}

static void test_push_target(void **state)
{
    (void)state;
    struct function_error err;
    struct cty_value *v = call("push_target", &err, 1, "rtmp://198.51.100.10:1935/live/key");
    assert_non_null(v);
    assert_string_equal(cty_attr_string(v, "protocol"), "rtmp");
    assert_string_equal(cty_attr_string(v, "server"), "rtmp://198.51.100.10:1935/live");
    assert_string_equal(cty_attr_string(v, "stream_key"), "key");
    assert_string_equal(cty_attr_string(v, "ffmpeg_format"), "flv");
    cty_value_destroy(v);
    v = call("push_target", &err, 1, "rtp://198.51.100.20:5000");
    assert_non_null(v);
    assert_true(cty_value_is_null(cty_value_attr(v, "server")));
    assert_true(cty_value_is_null(cty_value_attr(v, "stream_key")));
    assert_string_equal(cty_attr_string(v, "url"), "rtp://198.51.100.20:5000");
    cty_value_destroy(v);
    expect_failure("push_target", 0, "Not a push endpoint", 1, "srt://198.51.100.10:9000", NULL);
}

static void test_test_card_command(void **state)
{
    (void)state;
    struct function_error err;
    struct cty_value *v = call("test_card_command", &err, 2,
                               "rtmp://198.51.100.10:1935/live/key", "HD-720p");
    assert_non_null(v);
    const char *cmd = cty_value_string(v);
    assert_non_null(strstr(cmd, "testsrc2=size=1280x720:rate=30 "));
    assert_non_null(strstr(cmd, "-b:v 3500k "));
    assert_non_null(strstr(cmd, " -f flv rtmp://198.51.100.10:1935/live/key"));
    cty_value_destroy(v);
    expect_failure("test_card_command", 1, "not an encoding profile", 2, "rtp://1.2.3.4:5000", "4K");
    expect_failure("test_card_command", 0, "rtp://<address>:<port>", 2, "rtp://1.2.3.4", "HD-720p");
}

static void test_encoding_profile_renditions(void **state)
{
    (void)state;
    struct function_error err;
    struct cty_value *v = call("encoding_profile_renditions", &err, 1, "HD-1080p");
    assert_non_null(v);
    assert_int_equal(cty_value_length(v), 6);
    const struct cty_value *top = cty_value_index(v, 5);
    int64_t n = 0;
    assert_string_equal(cty_attr_string(top, "name"), "_1920x1080");
    assert_int_equal(cty_value_number_int64(cty_value_attr(top, "max_bitrate"), &n), 0);
    assert_int_equal(n, 4100000);
    assert_int_equal(cty_value_number_int64(cty_value_attr(top, "audio_bitrate"), &n), 0);
    assert_int_equal(n, 96000);
    cty_value_destroy(v);
    expect_failure("encoding_profile_renditions", 0, "not an encoding profile", 1, "4K", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_playback_url),
        cmocka_unit_test(test_push_target),
        cmocka_unit_test(test_test_card_command),
        cmocka_unit_test(test_encoding_profile_renditions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
