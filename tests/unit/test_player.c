/* Tests for resources/player: the objects built from the arguments (the
 * page with its configuration, the embedded hls.js and its licence), the
 * configuration read back from a page (import), which arguments a config may
 * combine (validate), and what the plan derives (modify_plan), without AWS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws/sigv4.h"
#include "aws/xml.h"
#include "resource_test.h"
#include "resources/player/player_api.h"
#include "resources/player/player_assets.h"
#include "resources/player/player_page.h"
#include "resources/provider.h"

static const struct player_page_params params = {
    .title = "Concert </script><!-- & \"more\" é",
    .stream_path = "stream/index",
    .channel_id = "1234567",
    .domain_name = "d111111abcdef8.cloudfront.net",
    .max_age_seconds = 60,
};

static void objects_are_the_page_hls_js_and_its_licence(void **state)
{
    (void)state;
    struct player_objects o;
    assert_int_equal(player_objects_build(&params, &o), 0);
    assert_string_equal(o.items[0].name, "index.html");
    assert_string_equal(o.items[0].content_type, "text/html");
    assert_string_equal(o.items[0].cache_control, "max-age=60");
    char js[64];
    snprintf(js, sizeof js, "hls-%s.light.min.js", player_hls_js_version);
    assert_string_equal(o.items[1].name, js);
    assert_string_equal(player_hls_js_name(), js);
    assert_string_equal(o.items[1].content_type, "text/javascript");
    assert_string_equal(o.items[1].cache_control, "max-age=86400");
    assert_int_equal(o.items[1].len, player_hls_js_len);
    assert_memory_equal(o.items[1].body, player_hls_js, player_hls_js_len);
    assert_string_equal(o.items[2].name, "hls.js-LICENSE.txt");
    assert_string_equal(o.items[2].content_type, "text/plain");
    assert_non_null(strstr((const char *)o.items[2].body, "Apache License"));
    /* Each hash is the SHA-256 of the bytes written. */
    for (size_t i = 0; i < PLAYER_OBJECT_COUNT; i++) {
        char sha[65];
        sigv4_sha256_hex(o.items[i].body, o.items[i].len, sha);
        assert_string_equal(o.items[i].sha256, sha);
    }
    player_objects_clean_up(&o);
}

static void the_configuration_cannot_close_its_script_element(void **state)
{
    (void)state;
    struct player_objects o;
    assert_int_equal(player_objects_build(&params, &o), 0);
    const char *page = o.page;
    assert_null(strstr(page, "{{config}}"));
    assert_null(strstr(page, "Concert </script>"));
    assert_null(strstr(page, "<!-- &"));
    assert_non_null(strstr(page, "Concert \\u003c/script\\u003e\\u003c!-- \\u0026 \\\"more\\\""));
    /* Exactly one configuration block, and the page's own script after it. */
    const char *block = strstr(page, "<script id=\"lsms-player-config\"");
    assert_non_null(block);
    assert_null(strstr(block + 1, "<script id=\"lsms-player-config\""));
    assert_non_null(strstr(block, "window.lsmsPlayer"));
    player_objects_clean_up(&o);
}

static void import_reads_the_arguments_back(void **state)
{
    (void)state;
    struct player_objects o;
    struct player_page_config c;
    assert_int_equal(player_objects_build(&params, &o), 0);
    assert_int_equal(player_page_config_read(o.page, strlen(o.page), &c), 0);
    assert_string_equal(c.title, params.title);
    assert_string_equal(c.stream_path, "stream/index");
    assert_string_equal(c.channel_id, "1234567");
    assert_string_equal(c.domain_name, params.domain_name);
    assert_int_equal(c.max_age_seconds, 60);
    player_page_config_clean_up(&c);
    player_objects_clean_up(&o);

    /* No channel: null in the page, NULL back. */
    struct player_page_params p = params;
    p.channel_id = NULL;
    p.max_age_seconds = 0;
    assert_int_equal(player_objects_build(&p, &o), 0);
    assert_non_null(strstr(o.page, "\"channel_id\":null"));
    assert_string_equal(o.items[0].cache_control, "max-age=0");
    assert_int_equal(player_page_config_read(o.page, strlen(o.page), &c), 0);
    assert_null(c.channel_id);
    assert_int_equal(c.max_age_seconds, 0);
    player_page_config_clean_up(&c);
    player_objects_clean_up(&o);
}

static void pages_it_did_not_write_are_refused(void **state)
{
    (void)state;
    struct player_page_config c;
    static const char *const pages[] = {
        "<h1>defaced</h1>",
        "<script id=\"lsms-player-config\" type=\"application/json\">[1,2]</script>",
        "<script id=\"lsms-player-config\" type=\"application/json\">{\"title\":\"x\"}</script>",
        "<script id=\"lsms-player-config\" type=\"application/json\">{\"title\":\"x\"",
        "",
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        assert_int_equal(player_page_config_read(pages[i], strlen(pages[i]), &c), -1);
        assert_null(c.title);
    }
    assert_int_equal(player_page_config_read(NULL, 0, &c), -1);
    /* Bytes after a NUL (an edit made outside) are not searched. */
    static const char odd[] = "x\0<script id=\"lsms-player-config\" type=\"application/json\">"
                              "{\"title\":\"t\",\"stream_path\":\"s/i\"}</script>";
    assert_int_equal(player_page_config_read(odd, sizeof odd - 1, &c), -1);
}

/* ---- validate ---- */

static void expect(const char *json, const char *path, const char *summary)
{
    struct compiled_resource cr = resource_compile("lsms_player");
    struct cty_value *config = resource_config(&cr, json);
    struct diags d = resource_validate(&cr, config);
    if (!path) {
        if (d.n != 0)
            fail_msg("%s: unexpected: %s: %s", json, d.items[0].summary, d.items[0].detail);
    } else {
        if (d.n != 1)
            fail_msg("%s: expected one diagnostic at '%s', got %zu", json, path, d.n);
        char *p = attr_path_to_string(&d.items[0].path);
        assert_string_equal(p, path);
        free(p);
        if (summary && !strstr(d.items[0].summary, summary))
            fail_msg("%s: summary \"%s\" lacks \"%s\"", json, d.items[0].summary, summary);
    }
    diags_clean_up(&d);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

static void one_origin_and_a_prefix_of_its_own(void **state)
{
    (void)state;
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d1.cloudfront.net\"}", NULL, NULL);
    expect("{\"container_endpoint\":\"https://abc.data.mediastore.us-east-1.amazonaws.com\","
           "\"domain_name\":\"d1.cloudfront.net\",\"prefix\":\"www/player/\"}",
           NULL, NULL);
    /* A stream at the top of the origin shares no folder with the player. */
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"stream_path\":\"index\"}", NULL,
           NULL);
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"streams/\"}", NULL,
           NULL);
    expect("{\"bucket\":\"b-1\",\"container_endpoint\":\"https://x\",\"domain_name\":\"d\"}",
           "container_endpoint", "Conflicting arguments");
    expect("{\"domain_name\":\"d\"}", "", "Missing required argument");
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"stream/\"}", "prefix",
           "overlaps the stream");
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"stream/player/\"}",
           "prefix", "overlaps the stream");
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"live/\","
           "\"stream_path\":\"live/a/index\"}",
           "prefix", "overlaps the stream");
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"player\"}", "prefix",
           NULL);
    expect("{\"bucket\":\"live-origin\",\"domain_name\":\"d\",\"prefix\":\"../x/\"}", "prefix",
           NULL);
}

/* ---- plan ---- */

/* A ListObjectsV2 page as the list resource reads it (a truncated page of
 * the emulator's, trimmed): its keys and the token of the next page; a last
 * page has no token, and an empty key is skipped. */
static void list_pages_give_keys_and_the_next_token(void **state)
{
    (void)state;
    static const char truncated[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<IsTruncated>true</IsTruncated>"
        "<Contents><Key>player/hls-1.7.4.light.min.js</Key><Size>1</Size></Contents>"
        "<Contents><Key>player/index.html</Key><Size>1</Size></Contents>"
        "<Contents><Key></Key></Contents>"
        "<Name>seed-origin</Name><Prefix/><MaxKeys>3</MaxKeys><KeyCount>3</KeyCount>"
        "<NextContinuationToken>6289abf76a40fbca</NextContinuationToken></ListBucketResult>";
    xmlDoc *doc = aws_xml_parse(truncated, sizeof truncated - 1);
    assert_non_null(doc);
    struct player_key_page page = {0};
    assert_int_equal(player_key_page_read(doc, &page), 0);
    assert_int_equal(page.n, 2);
    assert_string_equal(page.keys[0], "player/hls-1.7.4.light.min.js");
    assert_string_equal(page.keys[1], "player/index.html");
    assert_string_equal(page.next_token, "6289abf76a40fbca");
    player_key_page_clean_up(&page);
    xmlFreeDoc(doc);
    static const char last[] =
        "<ListBucketResult><IsTruncated>false</IsTruncated>"
        "<Contents><Key>stream/index.m3u8</Key></Contents>"
        "<NextContinuationToken>stale</NextContinuationToken></ListBucketResult>";
    doc = aws_xml_parse(last, sizeof last - 1);
    assert_int_equal(player_key_page_read(doc, &page), 0);
    assert_int_equal(page.n, 1);
    assert_null(page.next_token);
    player_key_page_clean_up(&page);
    xmlFreeDoc(doc);
}

static void the_plan_shows_every_object_and_the_url(void **state)
{
    (void)state;
    struct lsms_provider_data pd = {.region = "us-east-1"};
    struct diags d = {0};
    struct resource_ctx ctx = {.provider_data = &pd, .diags = &d};
    struct compiled_resource cr = resource_compile("lsms_player");
    struct cty_value *config = resource_config(
        &cr, "{\"bucket\":\"live-origin\",\"domain_name\":\"d1.cloudfront.net\"}");
    struct cty_value *planned = cty_value_clone(config);
    assert_int_equal(schema_apply_defaults(cr.c, planned), 0);
    assert_int_equal(cty_object_set(planned, "id", cty_unknown_new(cty_type_string())), 0);
    cr.r->modify_plan(&ctx, NULL, config, planned);
    assert_int_equal(d.n, 0);
    assert_string_equal(cty_attr_string(planned, "id"), "s3://live-origin/player/");
    assert_string_equal(cty_attr_string(planned, "url"),
                        "https://d1.cloudfront.net/player/index.html");
    assert_string_equal(cty_attr_string(planned, "hls_js_version"), player_hls_js_version);
    const struct cty_value *objects = cty_value_attr(planned, "objects");
    assert_int_equal(cty_value_length(objects), PLAYER_OBJECT_COUNT);
    const struct cty_value *page = cty_value_map_get(objects, "player/index.html");
    assert_non_null(page);
    assert_int_equal(strlen(cty_attr_string(page, "sha256")), 64);
    assert_false(cty_value_is_known(cty_value_attr(page, "etag")));

    /* The same objects with their etags again: nothing changes. */
    struct cty_value *prior = cty_value_clone(planned);
    struct cty_value *applied = cty_collection_new(cty_value_type(objects));
    for (size_t i = 0; i < cty_value_length(objects); i++) {
        struct cty_value *e = cty_value_clone(cty_value_index(objects, i));
        assert_int_equal(cty_object_set(e, "etag", cty_string_new("\"abc\"")), 0);
        assert_int_equal(cty_map_put(applied, cty_value_map_key(objects, i), e), 0);
    }
    assert_int_equal(cty_object_set(prior, "objects", applied), 0);
    struct cty_value *again = cty_value_clone(prior);
    cr.r->modify_plan(&ctx, prior, config, again);
    assert_true(cty_value_equal(again, prior));
    cty_value_destroy(again);

    /* A title change: the page only is rewritten. */
    struct cty_value *config2 = resource_config(
        &cr, "{\"bucket\":\"live-origin\",\"domain_name\":\"d1.cloudfront.net\","
             "\"title\":\"Recital\"}");
    struct cty_value *planned2 = cty_value_clone(prior);
    assert_int_equal(cty_object_set(planned2, "title", cty_string_new("Recital")), 0);
    cr.r->modify_plan(&ctx, prior, config2, planned2);
    const struct cty_value *o2 = cty_value_attr(planned2, "objects");
    assert_false(cty_value_is_known(
        cty_value_attr(cty_value_map_get(o2, "player/index.html"), "etag")));
    assert_true(cty_value_equal(cty_value_map_get(o2, "player/hls.js-LICENSE.txt"),
                                cty_value_map_get(applied, "player/hls.js-LICENSE.txt")));

    /* An unknown domain: the url and the objects wait for the apply. */
    struct cty_value *planned3 = cty_value_clone(prior);
    assert_int_equal(cty_object_set(planned3, "domain_name", cty_unknown_new(cty_type_string())),
                     0);
    cr.r->modify_plan(&ctx, prior, config, planned3);
    assert_false(cty_value_is_known(cty_value_attr(planned3, "url")));
    assert_false(cty_value_is_known(cty_value_attr(planned3, "objects")));

    cty_value_destroy(planned3);
    cty_value_destroy(planned2);
    cty_value_destroy(config2);
    cty_value_destroy(prior);
    cty_value_destroy(planned);
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(objects_are_the_page_hls_js_and_its_licence),
        cmocka_unit_test(the_configuration_cannot_close_its_script_element),
        cmocka_unit_test(import_reads_the_arguments_back),
        cmocka_unit_test(pages_it_did_not_write_are_refused),
        cmocka_unit_test(one_origin_and_a_prefix_of_its_own),
        cmocka_unit_test(the_plan_shows_every_object_and_the_url),
        cmocka_unit_test(list_pages_give_keys_and_the_next_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
