/*
 * Tests for what the list resources and the invalidation action read and
 * write: a ListBuckets page (bucket_xml), a ListDistributions page
 * (distribution_summary), the invalidation documents
 * (distribution_invalidation), and the list filters (listing). The answers
 * are the shapes the S3 and CloudFront API references document.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "aws/xml.h"
#include "resources/bucket/bucket_xml.h"
#include "resources/distribution/distribution_invalidation.h"
#include "resources/distribution/distribution_summary.h"
#include "resources/listing.h"

static xmlDoc *parse(const char *text)
{
    xmlDoc *doc = aws_xml_parse(text, strlen(text));
    assert_non_null(doc);
    return doc;
}

static void test_list_buckets_page(void **state)
{
    (void)state;
    xmlDoc *doc = parse(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Buckets><Bucket><CreationDate>2019-12-11T23:32:47+00:00</CreationDate>"
        "<Name>live-origin</Name><BucketRegion>us-east-1</BucketRegion></Bucket>"
        "<Bucket><Name>logs.example</Name></Bucket><Bucket><Name></Name></Bucket></Buckets>"
        "<Owner><ID>x</ID></Owner><ContinuationToken>abc=</ContinuationToken>"
        "<Prefix>l</Prefix></ListAllMyBucketsResult>");
    struct bucket_list_page page = {0};
    assert_int_equal(bucket_xml_list_page_read(doc, &page), 0);
    assert_int_equal(page.n, 2);
    assert_string_equal(page.items[0].name, "live-origin");
    assert_string_equal(page.items[0].region, "us-east-1");
    assert_string_equal(page.items[1].name, "logs.example");
    assert_null(page.items[1].region);
    assert_string_equal(page.continuation_token, "abc=");
    bucket_xml_list_page_clean_up(&page);
    xmlFreeDoc(doc);
    doc = parse("<ListAllMyBucketsResult><Buckets/></ListAllMyBucketsResult>");
    assert_int_equal(bucket_xml_list_page_read(doc, &page), 0);
    assert_int_equal(page.n, 0);
    assert_null(page.continuation_token);
    bucket_xml_list_page_clean_up(&page);
    xmlFreeDoc(doc);
}

static const char DISTRIBUTIONS[] =
    "<DistributionList xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
    "<Marker></Marker><NextMarker>E2</NextMarker><MaxItems>2</MaxItems>"
    "<IsTruncated>true</IsTruncated><Quantity>2</Quantity><Items>"
    "<DistributionSummary><Id>E1</Id><ARN>arn:aws:cloudfront::1:distribution/E1</ARN>"
    "<DomainName>d1.cloudfront.net</DomainName><Comment>live</Comment>"
    "<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id>"
    "<DomainName>live-origin.s3.us-east-1.amazonaws.com</DomainName></Origin></Items></Origins>"
    "<CacheBehaviors><Quantity>1</Quantity><Items><CacheBehavior>"
    "<PathPattern>*.m3u8</PathPattern></CacheBehavior></Items></CacheBehaviors>"
    "</DistributionSummary>"
    "<DistributionSummary><Id>E2</Id><DomainName>d2.cloudfront.net</DomainName>"
    "<Origins><Quantity>2</Quantity><Items><Origin><DomainName>a.example</DomainName></Origin>"
    "<Origin><DomainName>b.example</DomainName></Origin></Items></Origins>"
    "<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors></DistributionSummary>"
    "<DistributionSummary><DomainName>no-id</DomainName></DistributionSummary>"
    "</Items></DistributionList>";

static void test_list_distributions_page(void **state)
{
    (void)state;
    xmlDoc *doc = parse(DISTRIBUTIONS);
    struct distribution_summary_page page = {0};
    assert_int_equal(distribution_summary_page_read(doc, &page), 0);
    assert_int_equal(page.n, 2);
    assert_string_equal(page.items[0].id, "E1");
    assert_string_equal(page.items[0].origin_domain, "live-origin.s3.us-east-1.amazonaws.com");
    assert_string_equal(page.items[0].comment, "live");
    assert_true(page.items[0].manifest_behaviour);
    assert_true(distribution_summary_is_stream(&page.items[0]));
    assert_int_equal(page.items[1].origins, 2);
    assert_false(distribution_summary_is_stream(&page.items[1]));
    assert_string_equal(page.next_marker, "E2");
    distribution_summary_page_clean_up(&page);
    xmlFreeDoc(doc);
    /* Not truncated: no next page, whatever NextMarker says. */
    doc = parse("<DistributionList><NextMarker>E9</NextMarker><IsTruncated>false</IsTruncated>"
                "<Quantity>0</Quantity></DistributionList>");
    assert_int_equal(distribution_summary_page_read(doc, &page), 0);
    assert_int_equal(page.n, 0);
    assert_null(page.next_marker);
    distribution_summary_page_clean_up(&page);
    xmlFreeDoc(doc);
}

static void test_invalidation_documents(void **state)
{
    (void)state;
    const char *paths[] = {"/stream/index.m3u8", "/a&b/<c>*"};
    size_t len = 0;
    char *body = distribution_invalidation_batch_xml_new(paths, 2, "ref-1", &len);
    assert_non_null(body);
    assert_int_equal(len, strlen(body));
    /* libxml2 escapes, and Quantity precedes Items as the model orders them. */
    assert_non_null(strstr(body, "<InvalidationBatch xmlns=\"http://cloudfront.amazonaws.com/doc/"
                                 "2020-05-31/\"><Paths><Quantity>2</Quantity><Items>"
                                 "<Path>/stream/index.m3u8</Path><Path>/a&amp;b/&lt;c&gt;*</Path>"
                                 "</Items></Paths><CallerReference>ref-1</CallerReference>"
                                 "</InvalidationBatch>"));
    free(body);
    assert_null(distribution_invalidation_batch_xml_new(paths, 0, "ref", NULL));
    assert_null(distribution_invalidation_batch_xml_new(paths, 1, "", NULL));

    xmlDoc *doc = parse("<Invalidation xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
                        "<Id>I2J0I21PCUYOIK</Id><Status>InProgress</Status>"
                        "<CreateTime>2024-01-01T00:00:00Z</CreateTime></Invalidation>");
    char *id = NULL, *status = NULL;
    assert_int_equal(distribution_invalidation_read(doc, &id, &status), 0);
    assert_string_equal(id, "I2J0I21PCUYOIK");
    assert_string_equal(status, "InProgress");
    free(id);
    free(status);
    xmlFreeDoc(doc);
    doc = parse("<Distribution><Id>E1</Id></Distribution>");
    assert_int_equal(distribution_invalidation_read(doc, &id, &status), -1);
    assert_null(id);
    assert_null(status);
    xmlFreeDoc(doc);
}

static void test_invalidation_paths(void **state)
{
    (void)state;
    assert_null(distribution_invalidation_path_problem("/stream/index.m3u8"));
    assert_null(distribution_invalidation_path_problem("/stream/*"));
    assert_null(distribution_invalidation_path_problem("/*"));
    assert_non_null(distribution_invalidation_path_problem("stream/index.m3u8"));
    assert_non_null(distribution_invalidation_path_problem("/*.m3u8"));
    assert_non_null(distribution_invalidation_path_problem("/a\nb"));
    assert_non_null(distribution_invalidation_path_problem(NULL));
    char long_path[4002];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[4000] = '\0';
    assert_null(distribution_invalidation_path_problem(long_path));
    long_path[4000] = 'a';
    long_path[4001] = '\0';
    assert_non_null(distribution_invalidation_path_problem(long_path));
}

/* A list config {name_prefix, tags}. */
static struct cty_value *config_of(const char *prefix, const char *key, const char *value)
{
    const char *names[] = {"name_prefix", "tags"};
    struct cty_type *types[] = {cty_type_string(),
                                cty_type_collection_new(CTY_MAP, cty_type_string())};
    struct cty_type *t = cty_type_object_new(2, names, types);
    struct cty_value *c = cty_object_new(t);
    struct cty_value *tags = cty_collection_new(cty_type_attr_type(t, 1));
    if (key)
        assert_int_equal(cty_map_put(tags, key, cty_string_new(value)), 0);
    assert_int_equal(cty_object_set(c, "tags", tags), 0);
    if (prefix)
        assert_int_equal(cty_object_set(c, "name_prefix", cty_string_new(prefix)), 0);
    cty_type_release(t);
    return c;
}

static void test_list_filters(void **state)
{
    (void)state;
    struct cty_value *none = config_of(NULL, NULL, NULL);
    struct cty_value *both = config_of("live-", "team", "media");
    assert_true(listing_name_matches(none, "anything"));
    assert_false(listing_filters_tags(none));
    assert_true(listing_tags_match(none, NULL));
    assert_true(listing_name_matches(both, "live-1"));
    assert_false(listing_name_matches(both, "Live-1"));
    assert_false(listing_name_matches(both, NULL));
    assert_true(listing_filters_tags(both));
    cJSON *object = cJSON_Parse("{\"team\": \"media\", \"env\": \"prod\"}");
    cJSON *list = cJSON_Parse("[{\"Key\": \"env\", \"Value\": \"prod\"},"
                              " {\"Key\": \"team\", \"Value\": \"media\"}]");
    cJSON *other = cJSON_Parse("{\"team\": \"sports\"}");
    assert_true(listing_tags_match_json(both, object));
    assert_true(listing_tags_match_json(both, list));
    assert_false(listing_tags_match_json(both, other));
    assert_false(listing_tags_match_json(both, NULL));
    cJSON_Delete(object);
    cJSON_Delete(list);
    cJSON_Delete(other);
    struct cty_value *tags = cty_collection_new(cty_type_attr_type(cty_value_type(both),
                                                                   (size_t)cty_type_attr_index(
                                                                       cty_value_type(both),
                                                                       "tags")));
    assert_false(listing_tags_match(both, tags));
    assert_int_equal(cty_map_put(tags, "team", cty_string_new("media")), 0);
    assert_true(listing_tags_match(both, tags));
    cty_value_destroy(tags);
    cty_value_destroy(none);
    cty_value_destroy(both);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_buckets_page),
        cmocka_unit_test(test_list_distributions_page),
        cmocka_unit_test(test_invalidation_documents),
        cmocka_unit_test(test_invalidation_paths),
        cmocka_unit_test(test_list_filters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
