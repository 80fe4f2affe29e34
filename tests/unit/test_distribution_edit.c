/* Tests for resources/distribution/distribution_config, the parts lsms_distribution's
 * operations added: the CreateDistributionWithTags and tagging payloads,
 * editing every managed field of an existing config (origin, User-Agent
 * header, logging, price class, HTTP version, IPv6, web ACL), and reading a
 * document already parsed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "resources/distribution/distribution_config.h"

static struct distribution_config sample(void)
{
    return (struct distribution_config){
        .caller_reference = "lsms-ref-1",
        .origin_domain = "abc123.data.mediastore.us-east-1.amazonaws.com",
        .origin_id = "lsms-container",
        .origin_secret = "agent-secret",
        .comment = "live",
        .enabled = true,
        .ipv6_enabled = true,
        .manifest_ttl_seconds = 2,
        .segment_ttl_seconds = 86400,
        .error_caching_min_ttl = 1,
    };
}

static xmlDocPtr parse(const char *xml, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    return doc;
}

/* Element children names of n joined by spaces. */
static void child_names(const xmlNode *n, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int w = snprintf(out + used, size - used, "%s%s", used ? " " : "", (const char *)c->name);
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

static void create_with_tags_payload(void **state)
{
    (void)state;
    struct distribution_config cfg = sample();
    const struct distribution_tag tags[] = {{"team", "video"}, {"owner", "a&b"}};
    size_t len = 0;
    char *xml = distribution_config_with_tags_xml_new(&cfg, tags, 2, &len);
    assert_non_null(xml);
    xmlDocPtr doc = parse(xml, len);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "DistributionConfigWithTags");
    assert_string_equal((const char *)root->ns->href, DISTRIBUTION_CONFIG_XMLNS);
    char names[512];
    child_names(root, names, sizeof names);
    assert_string_equal(names, "DistributionConfig Tags");
    assert_non_null(strstr(xml, "<Tag><Key>owner</Key><Value>a&amp;b</Value></Tag>"));
    xmlFreeDoc(doc);

    /* The inner config is exactly what distribution_config_xml_new writes. */
    size_t plain_len = 0;
    char *plain = distribution_config_xml_new(&cfg, &plain_len);
    const char *inner = strstr(plain, "<CallerReference>");
    const char *end = strstr(plain, "</DistributionConfig>");
    assert_non_null(inner);
    assert_non_null(end);
    char *copy = strndup(inner, (size_t)(end - inner));
    assert_non_null(strstr(xml, copy));
    free(copy);
    free(plain);
    free(xml);

    /* No tags: an empty Tags element (it is required). */
    xml = distribution_config_with_tags_xml_new(&cfg, NULL, 0, NULL);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<Tags/>"));
    free(xml);
    /* An invalid config is refused like distribution_config_xml_new does. */
    cfg.origin_domain = NULL;
    assert_null(distribution_config_with_tags_xml_new(&cfg, tags, 2, NULL));
}

static void tagging_payloads(void **state)
{
    (void)state;
    const struct distribution_tag tags[] = {{"team", "video"}};
    char *xml = distribution_tags_xml_new(tags, 1, NULL);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<Tags xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\"><Items><Tag>"
                                "<Key>team</Key><Value>video</Value></Tag></Items></Tags>"));
    free(xml);
    const char *const keys[] = {"team", "owner"};
    xml = distribution_tag_keys_xml_new(keys, 2, NULL);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<TagKeys xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\"><Items>"
                                "<Key>team</Key><Key>owner</Key></Items></TagKeys>"));
    free(xml);
}

/* Builds the sample, edits it, parses the result. */
static void edit(const struct distribution_config *cfg,
                 const struct distribution_config_changes *ch, struct distribution_config *out,
                 char **xml_out)
{
    size_t len = 0;
    char *xml = distribution_config_xml_new(cfg, &len);
    assert_non_null(xml);
    xmlDocPtr doc = parse(xml, len);
    size_t out_len = 0;
    char *edited = distribution_config_doc_modify(doc, ch, &out_len);
    assert_non_null(edited);
    assert_int_equal(distribution_config_parse(edited, out_len, out), 0);
    xmlFreeDoc(doc);
    free(xml);
    if (xml_out)
        *xml_out = edited;
    else
        free(edited);
}

static void editing_origin_and_secret(void **state)
{
    (void)state;
    struct distribution_config cfg = sample();
    struct distribution_config out;
    char *xml = NULL;

    struct distribution_config_changes ch = {.origin_domain = "new.example.com",
                                             .origin_secret = "rotated"};
    edit(&cfg, &ch, &out, &xml);
    assert_string_equal(out.origin_domain, "new.example.com");
    assert_string_equal(out.origin_secret, "rotated");
    assert_non_null(strstr(xml, "<CustomHeaders><Quantity>1</Quantity>"));
    distribution_config_clean_up(&out);
    free(xml);

    /* "" removes the header, and the empty list loses Items. */
    ch = (struct distribution_config_changes){.origin_secret = ""};
    edit(&cfg, &ch, &out, &xml);
    assert_null(out.origin_secret);
    assert_non_null(strstr(xml, "<CustomHeaders><Quantity>0</Quantity></CustomHeaders>"));
    distribution_config_clean_up(&out);
    free(xml);

    /* Added where there was none. */
    cfg.origin_secret = NULL;
    ch = (struct distribution_config_changes){.origin_secret = "fresh"};
    edit(&cfg, &ch, &out, &xml);
    assert_string_equal(out.origin_secret, "fresh");
    assert_non_null(strstr(xml, "<CustomHeaders><Quantity>1</Quantity><Items>"
                                "<OriginCustomHeader><HeaderName>User-Agent</HeaderName>"
                                "<HeaderValue>fresh</HeaderValue>"));
    distribution_config_clean_up(&out);
    free(xml);

    /* An empty origin host is refused. */
    size_t len = 0;
    char *plain = distribution_config_xml_new(&cfg, &len);
    ch = (struct distribution_config_changes){.origin_domain = ""};
    assert_null(distribution_config_xml_modify(plain, len, &ch, NULL));
    free(plain);
}

static void editing_the_other_fields(void **state)
{
    (void)state;
    struct distribution_config cfg = sample();
    struct distribution_config out;
    bool no = false;
    struct distribution_config_changes ch = {
        .price_class = "PriceClass_200", .http_version = "http2", .ipv6_enabled = &no,
        .web_acl_id = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1",
        .logging = true, .logging_bucket = "logs.s3.amazonaws.com", .logging_prefix = "cdn/",
    };
    edit(&cfg, &ch, &out, NULL);
    assert_string_equal(out.price_class, "PriceClass_200");
    assert_string_equal(out.http_version, "http2");
    assert_false(out.ipv6_enabled);
    assert_string_equal(out.web_acl_id, "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1");
    assert_string_equal(out.logging_bucket, "logs.s3.amazonaws.com");
    assert_string_equal(out.logging_prefix, "cdn/");
    /* Untouched fields stay. */
    assert_string_equal(out.comment, "live");
    assert_string_equal(out.origin_secret, "agent-secret");
    assert_int_equal(out.segment_ttl_seconds, 86400);
    distribution_config_clean_up(&out);

    /* Logging off again: disabled, bucket and prefix emptied. */
    cfg.logging_bucket = "logs.s3.amazonaws.com";
    ch = (struct distribution_config_changes){.logging = true};
    edit(&cfg, &ch, &out, NULL);
    assert_null(out.logging_bucket);
    assert_null(out.logging_prefix);
    distribution_config_clean_up(&out);
}

static const char GET_DISTRIBUTION[] =
    "<?xml version=\"1.0\"?>\n"
    "<Distribution xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\"><Id>E1ABC</Id>"
    "<ARN>arn:aws:cloudfront::123456789012:distribution/E1ABC</ARN><Status>Deployed</Status>"
    "<LastModifiedTime>2021-11-27T10:34:26.802Z</LastModifiedTime>"
    "<DomainName>d1.cloudfront.net</DomainName>"
    "<DistributionConfig><CallerReference>r</CallerReference>"
    "<Origins><Quantity>1</Quantity><Items><Origin><Id>o</Id><DomainName>h.example</DomainName>"
    "<CustomHeaders><Quantity>0</Quantity></CustomHeaders></Origin></Items></Origins>"
    "<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId><DefaultTTL>5</DefaultTTL>"
    "</DefaultCacheBehavior><Comment></Comment><Enabled>false</Enabled>"
    "</DistributionConfig></Distribution>";

static void reading_a_parsed_document(void **state)
{
    (void)state;
    xmlDocPtr doc = parse(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1);
    struct distribution_info info;
    assert_int_equal(distribution_info_read(doc, &info), 0);
    assert_string_equal(info.id, "E1ABC");
    assert_string_equal(info.status, "Deployed");
    assert_string_equal(info.domain_name, "d1.cloudfront.net");
    assert_string_equal(info.config.origin_domain, "h.example");
    assert_null(info.config.origin_secret);
    assert_false(info.config.enabled);
    assert_int_equal(info.config.segment_ttl_seconds, 5);
    distribution_info_clean_up(&info);

    /* Editing straight from GetDistribution's document. */
    struct distribution_config_changes ch = {.origin_secret = "s"};
    char *xml = distribution_config_doc_modify(doc, &ch, NULL);
    assert_non_null(xml);
    assert_non_null(strstr(xml, "<DistributionConfig xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\">"));
    assert_non_null(strstr(xml, "<HeaderValue>s</HeaderValue>"));
    free(xml);
    xmlFreeDoc(doc);

    assert_int_equal(distribution_info_read(NULL, &info), -1);
    static const char other[] = "<Other/>";
    doc = parse(other, sizeof other - 1);
    assert_int_equal(distribution_info_read(doc, &info), -1);
    assert_null(distribution_config_doc_modify(doc, NULL, NULL));
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_with_tags_payload),
        cmocka_unit_test(tagging_payloads),
        cmocka_unit_test(editing_origin_and_secret),
        cmocka_unit_test(editing_the_other_fields),
        cmocka_unit_test(reading_a_parsed_document),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
