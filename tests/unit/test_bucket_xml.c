/*
 * Tests for resources/bucket/bucket_xml: the S3 request bodies lsms_bucket sends
 * and its readers of S3's answers.
 *
 * The expected bodies are what botocore's rest-xml serializer writes for the
 * same parameters (botocore 1.44, s3 2006-03-01; generated with
 * botocore.serialize.create_serializer("rest-xml")), compared without the
 * XML declaration and with "<X />" written "<X/>": same elements, same
 * order, same escaping. The answers are S3's documented examples and
 * moto's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws/xml.h"
#include "resource_test.h"
#include "resources/bucket/bucket_xml.h"
#include "util/buf.h"

/* The lsms_bucket attribute `attr` of a config given as JSON (owned). */
static struct cty_value *attr_of(const char *json, const char *attr)
{
    struct compiled_resource cr = resource_compile("lsms_bucket");
    struct cty_value *config = resource_config(&cr, json);
    struct cty_value *v = cty_value_clone(cty_value_attr(config, attr));
    cty_value_destroy(config);
    schema_compiled_destroy(cr.c);
    return v;
}

/* The type of lsms_bucket attribute `attr` (acquired; release it). */
static struct cty_type *type_of(const char *attr)
{
    struct compiled_resource cr = resource_compile("lsms_bucket");
    struct cty_type *obj = schema_compiled_type(cr.c);
    long i = cty_type_attr_index(obj, attr);
    assert_true(i >= 0);
    struct cty_type *t = cty_type_acquire(cty_type_attr_type(obj, (size_t)i));
    schema_compiled_destroy(cr.c);
    return t;
}

/* `text` (freed here) without its XML declaration and final newline, with
 * empty elements written as botocore writes them, equals `expected`. */
static void assert_body(char *text, const char *expected)
{
    assert_non_null(text);
    const char *decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    assert_int_equal(strncmp(text, decl, strlen(decl)), 0);
    struct buf b = {0};
    for (const char *p = text + strlen(decl); *p; p++) {
        if (p[0] == '/' && p[1] == '>')
            buf_append_str(&b, " ");
        if (!(p[0] == '\n' && p[1] == '\0'))
            buf_append_char(&b, *p);
    }
    if (strcmp(b.data, expected) != 0)
        fail_msg("body\n%s\nexpected\n%s", b.data, expected);
    buf_clean_up(&b);
    free(text);
}

static xmlDoc *parse(const char *xml)
{
    xmlDoc *doc = aws_xml_parse(xml, strlen(xml));
    assert_non_null(doc);
    return doc;
}

static char *json_of(const struct cty_value *v)
{
    char *err = NULL;
    char *json = cty_value_to_json(v, cty_value_type(v), &err);
    assert_non_null(json);
    return json;
}

static void assert_json(const struct cty_value *v, const char *expected)
{
    char *json = json_of(v);
    if (strcmp(json, expected) != 0)
        fail_msg("value\n%s\nexpected\n%s", json, expected);
    free(json);
}

/* ---- bodies ---- */

static void cors_body_is_botocores(void **state)
{
    (void)state;
    struct cty_value *rules = attr_of(
        "{\"cors_rules\":[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"
        "\"allowed_headers\":[\"*\"],\"max_age_seconds\":3000},"
        "{\"allowed_origins\":[\"https://a.example\",\"https://b.example?x=1&y=<2>\"],"
        "\"allowed_methods\":[\"PUT\"],\"allowed_headers\":[],"
        "\"expose_headers\":[\"ETag\",\"x-amz-request-id\"]}]}",
        "cors_rules");
    const char *error = "unset";
    assert_body(bucket_xml_cors_build(rules, &error),
                "<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule>"
                "<AllowedHeader>*</AllowedHeader><AllowedMethod>GET</AllowedMethod>"
                "<AllowedMethod>HEAD</AllowedMethod><AllowedOrigin>*</AllowedOrigin>"
                "<MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule><CORSRule>"
                "<AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://a.example"
                "</AllowedOrigin><AllowedOrigin>https://b.example?x=1&amp;y=&lt;2&gt;"
                "</AllowedOrigin><ExposeHeader>ETag</ExposeHeader>"
                "<ExposeHeader>x-amz-request-id</ExposeHeader></CORSRule></CORSConfiguration>");
    assert_null(error);
    cty_value_destroy(rules);
    /* No rules is DeleteBucketCors, never an empty configuration. */
    rules = attr_of("{\"cors_rules\":[]}", "cors_rules");
    assert_null(bucket_xml_cors_build(rules, &error));
    assert_non_null(error);
    cty_value_destroy(rules);
}

static void lifecycle_body_is_botocores(void **state)
{
    (void)state;
    struct cty_value *rules = attr_of("{\"lifecycle_rules\":[{\"prefix\":\"stream/\","
                                      "\"expiration_days\":1},{\"prefix\":\"\","
                                      "\"expiration_days\":30}]}",
                                      "lifecycle_rules");
    const char *error = "unset";
    assert_body(bucket_xml_lifecycle_build(rules, &error),
                "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<Rule><Expiration><Days>1</Days></Expiration><ID>lsms-0</ID><Filter>"
                "<Prefix>stream/</Prefix></Filter><Status>Enabled</Status></Rule><Rule>"
                "<Expiration><Days>30</Days></Expiration><ID>lsms-1</ID><Filter><Prefix />"
                "</Filter><Status>Enabled</Status></Rule></LifecycleConfiguration>");
    assert_null(error);
    cty_value_destroy(rules);
    /* Days S3 refuses never reach it, even past validation. */
    const char *bad[] = {"0", "-1", "1.5"};
    for (size_t i = 0; i < 3; i++) {
        char json[128];
        snprintf(json, sizeof json,
                 "{\"lifecycle_rules\":[{\"prefix\":\"s/\",\"expiration_days\":%s}]}", bad[i]);
        rules = attr_of(json, "lifecycle_rules");
        assert_null(bucket_xml_lifecycle_build(rules, &error));
        assert_non_null(strstr(error, "whole days"));
        cty_value_destroy(rules);
    }
}

static void small_bodies_are_botocores(void **state)
{
    (void)state;
    const char *ns = "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"";
    char expected[512];
    snprintf(expected, sizeof expected,
             "<MetricsConfiguration %s><Id>EntireBucket</Id></MetricsConfiguration>", ns);
    assert_body(bucket_xml_metrics_build("EntireBucket"), expected);
    snprintf(expected, sizeof expected,
             "<BucketLoggingStatus %s><LoggingEnabled><TargetBucket>logs-1</TargetBucket>"
             "<TargetPrefix>live/</TargetPrefix></LoggingEnabled></BucketLoggingStatus>",
             ns);
    assert_body(bucket_xml_logging_build("logs-1", "live/"), expected);
    snprintf(expected, sizeof expected, "<BucketLoggingStatus %s />", ns);
    assert_body(bucket_xml_logging_build(NULL, NULL), expected);
    snprintf(expected, sizeof expected,
             "<PublicAccessBlockConfiguration %s><BlockPublicAcls>true</BlockPublicAcls>"
             "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true"
             "</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
             "</PublicAccessBlockConfiguration>",
             ns);
    assert_body(bucket_xml_public_access_block_build(), expected);
    snprintf(expected, sizeof expected,
             "<OwnershipControls %s><Rule><ObjectOwnership>BucketOwnerEnforced"
             "</ObjectOwnership></Rule></OwnershipControls>",
             ns);
    assert_body(bucket_xml_ownership_build("BucketOwnerEnforced"), expected);
    snprintf(expected, sizeof expected,
             "<CreateBucketConfiguration %s><LocationConstraint>eu-west-1</LocationConstraint>"
             "</CreateBucketConfiguration>",
             ns);
    assert_body(bucket_xml_create_build("eu-west-1"), expected);
}

static void tagging_body_is_botocores(void **state)
{
    (void)state;
    struct cty_value *tags = attr_of("{\"tags\":{\"Project\":\"lsms\",\"Stream\":\"a&b\"}}",
                                     "tags");
    assert_body(bucket_xml_tagging_build(tags),
                "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><TagSet><Tag>"
                "<Key>Project</Key><Value>lsms</Value></Tag><Tag><Key>Stream</Key>"
                "<Value>a&amp;b</Value></Tag></TagSet></Tagging>");
    cty_value_destroy(tags);
}

static void delete_body_is_botocores(void **state)
{
    (void)state;
    struct bucket_object_version items[] = {{"stream/a b.ts", "v1"}, {"x<y", NULL}};
    assert_body(bucket_xml_delete_build(items, 2),
                "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object>"
                "<Key>stream/a b.ts</Key><VersionId>v1</VersionId></Object><Object>"
                "<Key>x&lt;y</Key></Object><Quiet>true</Quiet></Delete>");
    assert_null(bucket_xml_delete_build(items, 0));
}

/* ---- answers ---- */

static void cors_answer_reads_back(void **state)
{
    (void)state;
    struct cty_type *t = type_of("cors_rules");
    xmlDoc *doc = parse(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CORSConfiguration "
        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><CORSRule><AllowedHeader>*"
        "</AllowedHeader><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>"
        "<AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule>"
        "<CORSRule><AllowedMethod>PUT</AllowedMethod><AllowedOrigin>https://a.example"
        "</AllowedOrigin><ExposeHeader>ETag</ExposeHeader></CORSRule></CORSConfiguration>");
    struct cty_value *v = bucket_xml_cors_read(doc, t, NULL);
    assert_json(v, "[{\"allowed_headers\":[\"*\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"
                   "\"allowed_origins\":[\"*\"],\"expose_headers\":null,\"max_age_seconds\":3000},"
                   "{\"allowed_headers\":null,\"allowed_methods\":[\"PUT\"],"
                   "\"allowed_origins\":[\"https://a.example\"],\"expose_headers\":[\"ETag\"],"
                   "\"max_age_seconds\":null}]");
    /* A configured empty list stays empty rather than turning null. */
    struct cty_value *prior = attr_of(
        "{\"cors_rules\":[{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\"],"
        "\"expose_headers\":[]},{\"allowed_origins\":[\"*\"],\"allowed_methods\":[\"GET\"],"
        "\"allowed_headers\":[]}]}",
        "cors_rules");
    cty_value_destroy(v);
    v = bucket_xml_cors_read(doc, t, prior);
    assert_json(v, "[{\"allowed_headers\":[\"*\"],\"allowed_methods\":[\"GET\",\"HEAD\"],"
                   "\"allowed_origins\":[\"*\"],\"expose_headers\":[],\"max_age_seconds\":3000},"
                   "{\"allowed_headers\":[],\"allowed_methods\":[\"PUT\"],"
                   "\"allowed_origins\":[\"https://a.example\"],\"expose_headers\":[\"ETag\"],"
                   "\"max_age_seconds\":null}]");
    cty_value_destroy(v);
    cty_value_destroy(prior);
    xmlFreeDoc(doc);
    /* No configuration: no rules. */
    v = bucket_xml_cors_read(NULL, t, NULL);
    assert_json(v, "[]");
    cty_value_destroy(v);
    cty_type_release(t);
}

static void lifecycle_answer_reads_back(void **state)
{
    (void)state;
    struct cty_type *t = type_of("lifecycle_rules");
    /* moto's answer to our own configuration, plus rules written by other
     * tools: a disabled one (ignored), the old rule-level Prefix, a tag
     * filter (no prefix we can express), a Date expiry (no days). */
    xmlDoc *doc = parse(
        "<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Rule><ID>lsms-0</ID><Filter><Prefix>stream/</Prefix></Filter><Status>Enabled"
        "</Status><Expiration><Days>1</Days></Expiration></Rule>"
        "<Rule><ID>off</ID><Filter><Prefix>x/</Prefix></Filter><Status>Disabled</Status>"
        "<Expiration><Days>3</Days></Expiration></Rule>"
        "<Rule><ID>old</ID><Prefix>logs/</Prefix><Status>Enabled</Status><Expiration>"
        "<Days>7</Days></Expiration></Rule>"
        "<Rule><ID>tag</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter>"
        "<Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>"
        "<Rule><ID>date</ID><Filter/><Status>Enabled</Status><Expiration><Date>"
        "2030-01-01T00:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>");
    struct cty_value *v = bucket_xml_lifecycle_read(doc, t);
    assert_json(v, "[{\"expiration_days\":1,\"prefix\":\"stream/\"},"
                   "{\"expiration_days\":7,\"prefix\":\"logs/\"},"
                   "{\"expiration_days\":2,\"prefix\":null},"
                   "{\"expiration_days\":null,\"prefix\":\"\"}]");
    cty_value_destroy(v);
    xmlFreeDoc(doc);
    v = bucket_xml_lifecycle_read(NULL, t);
    assert_json(v, "[]");
    cty_value_destroy(v);
    cty_type_release(t);
}

static void settings_answers_read_back(void **state)
{
    (void)state;
    xmlDoc *doc = parse("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
                        "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true"
                        "</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
                        "</PublicAccessBlockConfiguration>");
    assert_true(bucket_xml_public_access_blocked(doc));
    xmlFreeDoc(doc);
    /* Three of four is not "blocked": the plan shows it. */
    doc = parse("<PublicAccessBlockConfiguration><BlockPublicAcls>true</BlockPublicAcls>"
                "<IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>false"
                "</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets>"
                "</PublicAccessBlockConfiguration>");
    assert_false(bucket_xml_public_access_blocked(doc));
    xmlFreeDoc(doc);
    assert_false(bucket_xml_public_access_blocked(NULL));

    doc = parse("<OwnershipControls xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Rule>"
                "<ObjectOwnership>BucketOwnerPreferred</ObjectOwnership></Rule>"
                "</OwnershipControls>");
    char *own = bucket_xml_ownership_read(doc);
    assert_string_equal(own, "BucketOwnerPreferred");
    free(own);
    xmlFreeDoc(doc);
    assert_null(bucket_xml_ownership_read(NULL));

    char *target, *prefix;
    doc = parse("<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                "<LoggingEnabled><TargetBucket>logs-1</TargetBucket><TargetPrefix>live/"
                "</TargetPrefix></LoggingEnabled></BucketLoggingStatus>");
    assert_int_equal(bucket_xml_logging_read(doc, &target, &prefix), 0);
    assert_string_equal(target, "logs-1");
    assert_string_equal(prefix, "live/");
    free(target);
    free(prefix);
    xmlFreeDoc(doc);
    doc = parse("<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
    assert_int_equal(bucket_xml_logging_read(doc, &target, &prefix), 0);
    assert_null(target);
    assert_null(prefix);
    xmlFreeDoc(doc);

    struct cty_type *t = type_of("tags");
    /* (A tag without a key, which the fuzzer found, is skipped.) */
    doc = parse("<Tagging><TagSet><Tag><Key>Project</Key><Value>lsms</Value></Tag><Tag>"
                "<Key>Empty</Key><Value></Value></Tag><Tag><Value>x</Value></Tag></TagSet>"
                "</Tagging>");
    struct cty_value *tags = bucket_xml_tags_read(doc, t);
    assert_json(tags, "{\"Empty\":\"\",\"Project\":\"lsms\"}");
    cty_value_destroy(tags);
    xmlFreeDoc(doc);
    tags = bucket_xml_tags_read(NULL, t);
    assert_json(tags, "{}");
    cty_value_destroy(tags);
    cty_type_release(t);
}

static void metrics_answers_read_back(void **state)
{
    (void)state;
    xmlDoc *doc = parse("<MetricsConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        "<Id>EntireBucket</Id></MetricsConfiguration>");
    assert_true(bucket_xml_metrics_whole_bucket(doc));
    xmlFreeDoc(doc);
    doc = parse("<MetricsConfiguration><Id>EntireBucket</Id><Filter><Prefix>stream/</Prefix>"
                "</Filter></MetricsConfiguration>");
    assert_false(bucket_xml_metrics_whole_bucket(doc));
    xmlFreeDoc(doc);
    assert_false(bucket_xml_metrics_whole_bucket(NULL));

    /* The list: EntireBucket wins over another whole-bucket configuration;
     * filtered ones never count. */
    char *id = NULL, *next = NULL;
    doc = parse("<ListMetricsConfigurationsResult><IsTruncated>true</IsTruncated>"
                "<MetricsConfiguration><Id>a-filtered</Id><Filter><Prefix>x</Prefix></Filter>"
                "</MetricsConfiguration><MetricsConfiguration><Id>all</Id>"
                "</MetricsConfiguration><NextContinuationToken>100</NextContinuationToken>"
                "</ListMetricsConfigurationsResult>");
    assert_int_equal(bucket_xml_metrics_list_read(doc, &id, &next), 0);
    assert_string_equal(id, "all");
    assert_string_equal(next, "100");
    free(next);
    xmlFreeDoc(doc);
    doc = parse("<ListMetricsConfigurationsResult><IsTruncated>false</IsTruncated>"
                "<MetricsConfiguration><Id>EntireBucket</Id></MetricsConfiguration>"
                "<MetricsConfiguration><Id>zz</Id></MetricsConfiguration>"
                "</ListMetricsConfigurationsResult>");
    assert_int_equal(bucket_xml_metrics_list_read(doc, &id, &next), 0);
    assert_string_equal(id, "EntireBucket");
    assert_null(next);
    free(id);
    xmlFreeDoc(doc);
}

static void versions_page_reads_back(void **state)
{
    (void)state;
    /* The S3 API reference's ListObjectVersions example, shortened. */
    xmlDoc *doc = parse(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListVersionsResult "
        "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01\"><Name>bucket</Name><Prefix>my</Prefix>"
        "<KeyMarker/><VersionIdMarker/><MaxKeys>5</MaxKeys><IsTruncated>true</IsTruncated>"
        "<NextKeyMarker>my-third-image.jpg</NextKeyMarker><NextVersionIdMarker>"
        "UIORUnfndfiufdisojhr398493jfdkjFJjkndnqUifhnw89493jJFJ</NextVersionIdMarker>"
        "<Version><Key>my-image.jpg</Key><VersionId>3/L4kqtJl40Nr8X8gdRQBpUMLUo</VersionId>"
        "<IsLatest>true</IsLatest><Size>434234</Size></Version>"
        "<DeleteMarker><Key>my-second-image.jpg</Key><VersionId>03jpff543dhffds434rfdsFDN943fdsFkdmqnh892"
        "</VersionId><IsLatest>true</IsLatest></DeleteMarker>"
        "<Version><Key>my-third-image.jpg</Key><VersionId>null</VersionId></Version>"
        "</ListVersionsResult>");
    struct bucket_versions_page page = {0};
    assert_int_equal(bucket_xml_versions_page_read(doc, &page), 0);
    assert_int_equal(page.n, 3);
    assert_string_equal(page.items[0].key, "my-image.jpg");
    assert_string_equal(page.items[0].version_id, "3/L4kqtJl40Nr8X8gdRQBpUMLUo");
    assert_string_equal(page.items[1].key, "my-second-image.jpg");
    assert_string_equal(page.items[2].version_id, "null");
    assert_true(page.truncated);
    assert_string_equal(page.next_key_marker, "my-third-image.jpg");
    assert_string_equal(page.next_version_marker,
                        "UIORUnfndfiufdisojhr398493jfdkjFJjkndnqUifhnw89493jJFJ");
    bucket_xml_versions_page_clean_up(&page);
    xmlFreeDoc(doc);
    /* An empty bucket. */
    doc = parse("<ListVersionsResult><IsTruncated>false</IsTruncated></ListVersionsResult>");
    assert_int_equal(bucket_xml_versions_page_read(doc, &page), 0);
    assert_int_equal(page.n, 0);
    assert_false(page.truncated);
    assert_null(page.next_key_marker);
    bucket_xml_versions_page_clean_up(&page);
    xmlFreeDoc(doc);
}

static void delete_answer_errors(void **state)
{
    (void)state;
    char *first = NULL;
    xmlDoc *doc = parse("<DeleteResult><Deleted><Key>a</Key></Deleted></DeleteResult>");
    assert_int_equal(bucket_xml_delete_errors(doc, &first), 0);
    assert_null(first);
    xmlFreeDoc(doc);
    doc = parse("<DeleteResult><Error><Key>stream/a.ts</Key><VersionId>v</VersionId><Code>"
                "AccessDenied</Code><Message>Access Denied</Message></Error><Error><Key>b</Key>"
                "<Code>InternalError</Code></Error></DeleteResult>");
    assert_int_equal(bucket_xml_delete_errors(doc, &first), 2);
    assert_string_equal(first, "stream/a.ts: AccessDenied: Access Denied");
    free(first);
    xmlFreeDoc(doc);
    /* Quiet with nothing to report answers no body at all. */
    assert_int_equal(bucket_xml_delete_errors(NULL, &first), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cors_body_is_botocores),
        cmocka_unit_test(lifecycle_body_is_botocores),
        cmocka_unit_test(small_bodies_are_botocores),
        cmocka_unit_test(tagging_body_is_botocores),
        cmocka_unit_test(delete_body_is_botocores),
        cmocka_unit_test(cors_answer_reads_back),
        cmocka_unit_test(lifecycle_answer_reads_back),
        cmocka_unit_test(settings_answers_read_back),
        cmocka_unit_test(metrics_answers_read_back),
        cmocka_unit_test(versions_page_reads_back),
        cmocka_unit_test(delete_answer_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
