/* Tests for resources/distribution/distribution_config: build, parse, edit the CloudFront
 * DistributionConfig document. */
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
        .caller_reference = "lsms-20260101-abcdef",
        .origin_domain = "abc123.data.mediastore.us-east-1.amazonaws.com",
        .origin_id = "mediastore-live",
        .origin_secret = "s3cr3t-agent",
        .comment = "live & <test>",
        .enabled = true,
        .price_class = "PriceClass_100",
        .ipv6_enabled = true,
        .http_version = "http2and3",
        .manifest_ttl_seconds = 2,
        .segment_ttl_seconds = 86400,
        .error_caching_min_ttl = 1,
        .logging_bucket = "logs.s3.amazonaws.com",
        .logging_prefix = "cdn/",
        .web_acl_id = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/1",
    };
}

static char *build(const struct distribution_config *cfg, size_t *len)
{
    char *xml = distribution_config_xml_new(cfg, len);
    assert_non_null(xml);
    return xml;
}

static void assert_str_or_null_equal(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void assert_config_equal(const struct distribution_config *a,
                                const struct distribution_config *b)
{
    assert_str_or_null_equal(a->caller_reference, b->caller_reference);
    assert_str_or_null_equal(a->origin_domain, b->origin_domain);
    assert_str_or_null_equal(a->origin_id, b->origin_id);
    assert_str_or_null_equal(a->origin_secret, b->origin_secret);
    assert_str_or_null_equal(a->comment, b->comment);
    assert_int_equal(a->enabled, b->enabled);
    assert_str_or_null_equal(a->price_class, b->price_class);
    assert_int_equal(a->ipv6_enabled, b->ipv6_enabled);
    assert_str_or_null_equal(a->http_version, b->http_version);
    assert_int_equal(a->manifest_ttl_seconds, b->manifest_ttl_seconds);
    assert_int_equal(a->segment_ttl_seconds, b->segment_ttl_seconds);
    assert_int_equal(a->error_caching_min_ttl, b->error_caching_min_ttl);
    assert_str_or_null_equal(a->logging_bucket, b->logging_bucket);
    assert_str_or_null_equal(a->logging_prefix, b->logging_prefix);
    assert_str_or_null_equal(a->web_acl_id, b->web_acl_id);
    assert_str_or_null_equal(a->origin_access_control_id, b->origin_access_control_id);
}

static void build_then_parse_round_trips(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    size_t len = 0;
    char *xml = build(&in, &len);
    assert_int_equal(strlen(xml), len);
    struct distribution_config out;
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_config_equal(&in, &out);
    distribution_config_clean_up(&out);
    free(xml);

    /* Without logging, secret, ACL or comment: the defaults come back as
     * CloudFront would show them. */
    in.logging_bucket = NULL;
    in.logging_prefix = NULL;
    in.origin_secret = NULL;
    in.web_acl_id = NULL;
    in.comment = NULL;
    in.enabled = false;
    in.ipv6_enabled = false;
    in.price_class = NULL;
    in.http_version = NULL;
    xml = build(&in, &len);
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_null(out.logging_bucket);
    assert_null(out.logging_prefix);
    assert_null(out.origin_secret);
    assert_string_equal(out.web_acl_id, "");
    assert_string_equal(out.comment, "");
    assert_false(out.enabled);
    assert_false(out.ipv6_enabled);
    assert_string_equal(out.price_class, "PriceClass_All");
    assert_string_equal(out.http_version, "http2and3");
    assert_int_equal(out.manifest_ttl_seconds, 2);
    distribution_config_clean_up(&out);
    free(xml);
}

/* Element names of the element children of n, joined by spaces. */
static void child_names(const xmlNode *n, char *out, size_t size)
{
    out[0] = '\0';
    size_t used = 0;
    for (const xmlNode *c = n == NULL ? NULL : n->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        int w = snprintf(out + used, size - used, "%s%s", used ? " " : "", (const char *)c->name);
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n == NULL ? NULL : n->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static const xmlNode *walk(const xmlNode *n, const char *const *names)
{
    for (; *names != NULL; names++)
        n = child(n, *names);
    return n;
}

/* The expected sequences are the member orders of the botocore cloudfront
 * 2020-05-31 shapes, restricted to the members we send (checked by hand). */
static void elements_follow_model_order(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    size_t len;
    char *xml = build(&in, &len);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, 0);
    assert_non_null(doc);
    const xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "DistributionConfig");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href,
                        "http://cloudfront.amazonaws.com/doc/2020-05-31/");

    static const char *const origin[] = { "Origins", "Items", "Origin", NULL };
    static const char *const custom[] = { "Origins", "Items", "Origin", "CustomOriginConfig", NULL };
    static const char *const header[] = { "Origins", "Items", "Origin", "CustomHeaders", "Items",
                                          "OriginCustomHeader", NULL };
    static const char *const dcb[] = { "DefaultCacheBehavior", NULL };
    static const char *const cb[] = { "CacheBehaviors", "Items", "CacheBehavior", NULL };
    static const char *const methods[] = { "DefaultCacheBehavior", "AllowedMethods", NULL };
    static const char *const fv[] = { "DefaultCacheBehavior", "ForwardedValues", NULL };
    static const char *const log[] = { "Logging", NULL };
    static const char *const err[] = { "CustomErrorResponses", "Items", "CustomErrorResponse", NULL };
    static const char *const geo[] = { "Restrictions", "GeoRestriction", NULL };
    static const char *const ts[] = { "DefaultCacheBehavior", "TrustedSigners", NULL };
    static const char *const top[] = { NULL };
    static const struct {
        const char *const *path;
        const char *want;
    } cases[] = {
        { top, "CallerReference Aliases DefaultRootObject Origins OriginGroups "
               "DefaultCacheBehavior CacheBehaviors CustomErrorResponses Comment Logging "
               "PriceClass Enabled ViewerCertificate Restrictions WebACLId HttpVersion "
               "IsIPV6Enabled" },
        { origin, "Id DomainName OriginPath CustomHeaders CustomOriginConfig" },
        { custom, "HTTPPort HTTPSPort OriginProtocolPolicy OriginSslProtocols "
                  "OriginReadTimeout OriginKeepaliveTimeout" },
        { header, "HeaderName HeaderValue" },
        { dcb, "TargetOriginId TrustedSigners TrustedKeyGroups ViewerProtocolPolicy "
               "AllowedMethods SmoothStreaming Compress LambdaFunctionAssociations "
               "FunctionAssociations FieldLevelEncryptionId ForwardedValues MinTTL DefaultTTL "
               "MaxTTL" },
        { cb, "PathPattern TargetOriginId TrustedSigners TrustedKeyGroups ViewerProtocolPolicy "
              "AllowedMethods SmoothStreaming Compress LambdaFunctionAssociations "
              "FunctionAssociations FieldLevelEncryptionId ForwardedValues MinTTL DefaultTTL "
              "MaxTTL" },
        { methods, "Quantity Items CachedMethods" },
        { fv, "QueryString Cookies Headers QueryStringCacheKeys" },
        { log, "Enabled IncludeCookies Bucket Prefix" },
        { err, "ErrorCode ErrorCachingMinTTL" },
        { geo, "RestrictionType Quantity" },
        { ts, "Enabled Quantity" },
    };
    char got[1024];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const xmlNode *n = walk(root, cases[i].path);
        assert_non_null(n);
        child_names(n, got, sizeof got);
        assert_string_equal(got, cases[i].want);
    }
    xmlFreeDoc(doc);
    free(xml);
}

static char *text_at(const xmlNode *root, const char *const *path)
{
    const xmlNode *n = walk(root, path);
    assert_non_null(n);
    return (char *)xmlNodeGetContent(n);
}

static void assert_text(const xmlNode *root, const char *const *path, const char *want)
{
    char *t = text_at(root, path);
    assert_string_equal(t, want);
    xmlFree(t);
}

static void behaviours_and_origin_content(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    size_t len;
    char *xml = build(&in, &len);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    static const char *const policy[] = { "Origins", "Items", "Origin", "CustomOriginConfig",
                                          "OriginProtocolPolicy", NULL };
    static const char *const tls[] = { "Origins", "Items", "Origin", "CustomOriginConfig",
                                       "OriginSslProtocols", "Items", "SslProtocol", NULL };
    static const char *const hname[] = { "Origins", "Items", "Origin", "CustomHeaders", "Items",
                                         "OriginCustomHeader", "HeaderName", NULL };
    static const char *const vpp[] = { "DefaultCacheBehavior", "ViewerProtocolPolicy", NULL };
    static const char *const pattern[] = { "CacheBehaviors", "Items", "CacheBehavior",
                                           "PathPattern", NULL };
    static const char *const mttl[] = { "CacheBehaviors", "Items", "CacheBehavior", "DefaultTTL",
                                        NULL };
    static const char *const sttl[] = { "DefaultCacheBehavior", "MaxTTL", NULL };
    static const char *const am[] = { "DefaultCacheBehavior", "AllowedMethods", "Quantity", NULL };
    static const char *const cm[] = { "DefaultCacheBehavior", "AllowedMethods", "CachedMethods",
                                      "Quantity", NULL };
    static const char *const hq[] = { "DefaultCacheBehavior", "ForwardedValues", "Headers",
                                      "Quantity", NULL };
    static const char *const cert[] = { "ViewerCertificate", "CloudFrontDefaultCertificate", NULL };
    static const char *const comment[] = { "Comment", NULL };
    assert_text(root, policy, "https-only");
    assert_text(root, tls, "TLSv1.2");
    assert_text(root, hname, "User-Agent");
    assert_text(root, vpp, "redirect-to-https");
    assert_text(root, pattern, "*.m3u8");
    assert_text(root, mttl, "2");
    assert_text(root, sttl, "86400");
    assert_text(root, am, "3");
    assert_text(root, cm, "2");
    assert_text(root, hq, "3");
    assert_text(root, cert, "true");
    assert_text(root, comment, "live & <test>");
    /* The comment is escaped in the bytes sent. */
    assert_non_null(strstr(xml, "<Comment>live &amp; &lt;test&gt;</Comment>"));
    xmlFreeDoc(doc);
    free(xml);
}

static void eleven_error_caching_rules(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    in.error_caching_min_ttl = 7;
    size_t len;
    char *xml = build(&in, &len);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    static const char *const quantity[] = { "CustomErrorResponses", "Quantity", NULL };
    static const char *const items[] = { "CustomErrorResponses", "Items", NULL };
    assert_text(root, quantity, "11");
    static const int want[] = { 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504 };
    size_t n = 0;
    for (const xmlNode *e = walk(root, items)->children; e != NULL; e = e->next) {
        if (e->type != XML_ELEMENT_NODE)
            continue;
        assert_true(n < 11);
        char code[8];
        snprintf(code, sizeof code, "%d", want[n]);
        static const char *const c[] = { "ErrorCode", NULL };
        static const char *const t[] = { "ErrorCachingMinTTL", NULL };
        assert_text(e, c, code);
        assert_text(e, t, "7");
        n++;
    }
    assert_int_equal(n, 11);
    size_t count;
    const int *codes = distribution_config_error_codes(&count);
    assert_int_equal(count, 11);
    assert_memory_equal(codes, want, sizeof want);
    xmlFreeDoc(doc);
    free(xml);
}

static void build_rejects_missing_required(void **state)
{
    (void)state;
    assert_null(distribution_config_xml_new(NULL, NULL));
    struct distribution_config c = sample();
    c.caller_reference = NULL;
    assert_null(distribution_config_xml_new(&c, NULL));
    c = sample();
    c.origin_domain = "";
    assert_null(distribution_config_xml_new(&c, NULL));
    c = sample();
    c.origin_id = NULL;
    assert_null(distribution_config_xml_new(&c, NULL));
    c = sample();
    c.segment_ttl_seconds = -5;
    assert_null(distribution_config_xml_new(&c, NULL));
}

/* What moto (and AWS) answer to GetDistribution for a distribution like
 * ours, with the members CloudFront fills in itself. */
static const char GET_DISTRIBUTION[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Distribution xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">\n"
    "  <Id>E1ABCDEF234567</Id>\n"
    "  <ARN>arn:aws:cloudfront::123456789012:distribution/E1ABCDEF234567</ARN>\n"
    "  <Status>InProgress</Status>\n"
    "  <LastModifiedTime>2021-11-27T10:34:26.802Z</LastModifiedTime>\n"
    "  <InProgressInvalidationBatches>0</InProgressInvalidationBatches>\n"
    "  <DomainName>d1abcdefghijkl.cloudfront.net</DomainName>\n"
    "  <ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>\n"
    "  <ActiveTrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedKeyGroups>\n"
    "  <DistributionConfig>\n"
    "    <CallerReference>lsms-caller-1</CallerReference>\n"
    "    <Aliases><Quantity>0</Quantity></Aliases>\n"
    "    <DefaultRootObject></DefaultRootObject>\n"
    "    <Origins><Quantity>2</Quantity><Items>\n"
    "      <Origin><Id>other</Id><DomainName>other.example.com</DomainName><OriginPath></OriginPath>\n"
    "        <CustomHeaders><Quantity>0</Quantity></CustomHeaders>\n"
    "        <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>"
    "<OriginProtocolPolicy>https-only</OriginProtocolPolicy></CustomOriginConfig>\n"
    "      </Origin>\n"
    "      <Origin><Id>mediastore-live</Id>\n"
    "        <DomainName>abc123.data.mediastore.us-east-1.amazonaws.com</DomainName>\n"
    "        <OriginPath></OriginPath>\n"
    "        <CustomHeaders><Quantity>2</Quantity><Items>\n"
    "          <OriginCustomHeader><HeaderName>X-Other</HeaderName><HeaderValue>x</HeaderValue></OriginCustomHeader>\n"
    "          <OriginCustomHeader><HeaderName>user-agent</HeaderName><HeaderValue>agent-42</HeaderValue></OriginCustomHeader>\n"
    "        </Items></CustomHeaders>\n"
    "        <CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>\n"
    "          <OriginProtocolPolicy>https-only</OriginProtocolPolicy>\n"
    "          <OriginSslProtocols><Quantity>1</Quantity><Items><SslProtocol>TLSv1.2</SslProtocol></Items></OriginSslProtocols>\n"
    "          <OriginReadTimeout>30</OriginReadTimeout><OriginKeepaliveTimeout>5</OriginKeepaliveTimeout>\n"
    "        </CustomOriginConfig>\n"
    "        <ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout>\n"
    "        <OriginShield><Enabled>false</Enabled></OriginShield>\n"
    "        <OriginAccessControlId></OriginAccessControlId>\n"
    "      </Origin></Items></Origins>\n"
    "    <OriginGroups><Quantity>0</Quantity></OriginGroups>\n"
    "    <DefaultCacheBehavior><TargetOriginId>mediastore-live</TargetOriginId>\n"
    "      <TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>\n"
    "      <TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>\n"
    "      <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\n"
    "      <AllowedMethods><Quantity>3</Quantity><Items><Method>HEAD</Method><Method>GET</Method><Method>OPTIONS</Method></Items>\n"
    "        <CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>\n"
    "      <SmoothStreaming>false</SmoothStreaming><Compress>true</Compress>\n"
    "      <LambdaFunctionAssociations><Quantity>0</Quantity></LambdaFunctionAssociations>\n"
    "      <FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>\n"
    "      <FieldLevelEncryptionId></FieldLevelEncryptionId>\n"
    "      <ForwardedValues><QueryString>false</QueryString><Cookies><Forward>none</Forward></Cookies>\n"
    "        <Headers><Quantity>3</Quantity><Items><Name>Origin</Name><Name>Access-Control-Request-Method</Name>"
    "<Name>Access-Control-Request-Headers</Name></Items></Headers>\n"
    "        <QueryStringCacheKeys><Quantity>0</Quantity></QueryStringCacheKeys></ForwardedValues>\n"
    "      <MinTTL>0</MinTTL><DefaultTTL>3600</DefaultTTL><MaxTTL>3600</MaxTTL>\n"
    "    </DefaultCacheBehavior>\n"
    "    <CacheBehaviors><Quantity>2</Quantity><Items>\n"
    "      <CacheBehavior><PathPattern>*.ts</PathPattern><TargetOriginId>mediastore-live</TargetOriginId>\n"
    "        <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\n"
    "        <MinTTL>0</MinTTL><DefaultTTL>60</DefaultTTL><MaxTTL>60</MaxTTL></CacheBehavior>\n"
    "      <CacheBehavior><PathPattern>*.m3u8</PathPattern><TargetOriginId>mediastore-live</TargetOriginId>\n"
    "        <ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>\n"
    "        <MinTTL>0</MinTTL><DefaultTTL>5</DefaultTTL><MaxTTL>5</MaxTTL></CacheBehavior>\n"
    "    </Items></CacheBehaviors>\n"
    "    <CustomErrorResponses><Quantity>11</Quantity><Items>\n"
    "      <CustomErrorResponse><ErrorCode>400</ErrorCode><ResponsePagePath></ResponsePagePath><ResponseCode></ResponseCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>403</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>404</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>405</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>414</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>416</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>500</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>501</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>502</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>503</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "      <CustomErrorResponse><ErrorCode>504</ErrorCode><ErrorCachingMinTTL>1</ErrorCachingMinTTL></CustomErrorResponse>\n"
    "    </Items></CustomErrorResponses>\n"
    "    <Comment>lsms live</Comment>\n"
    "    <Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>\n"
    "    <PriceClass>PriceClass_All</PriceClass>\n"
    "    <Enabled>true</Enabled>\n"
    "    <ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>"
    "<SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1</MinimumProtocolVersion>"
    "<CertificateSource>cloudfront</CertificateSource></ViewerCertificate>\n"
    "    <Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>\n"
    "    <WebACLId></WebACLId>\n"
    "    <HttpVersion>http2</HttpVersion>\n"
    "    <IsIPV6Enabled>true</IsIPV6Enabled>\n"
    "    <Staging>false</Staging>\n"
    "  </DistributionConfig>\n"
    "  <AliasICPRecordals></AliasICPRecordals>\n"
    "</Distribution>\n";

static void parses_get_distribution_response(void **state)
{
    (void)state;
    struct distribution_info info;
    assert_int_equal(distribution_info_parse(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1, &info),
                     0);
    assert_string_equal(info.id, "E1ABCDEF234567");
    assert_string_equal(info.arn, "arn:aws:cloudfront::123456789012:distribution/E1ABCDEF234567");
    assert_string_equal(info.status, "InProgress");
    assert_string_equal(info.domain_name, "d1abcdefghijkl.cloudfront.net");
    assert_string_equal(info.last_modified_time, "2021-11-27T10:34:26.802Z");
    const struct distribution_config *c = &info.config;
    assert_string_equal(c->caller_reference, "lsms-caller-1");
    assert_string_equal(c->origin_id, "mediastore-live");
    /* The targeted origin, not the first one. */
    assert_string_equal(c->origin_domain, "abc123.data.mediastore.us-east-1.amazonaws.com");
    /* Header names are case-insensitive. */
    assert_string_equal(c->origin_secret, "agent-42");
    assert_string_equal(c->comment, "lsms live");
    assert_true(c->enabled);
    assert_true(c->ipv6_enabled);
    assert_string_equal(c->price_class, "PriceClass_All");
    assert_string_equal(c->http_version, "http2");
    assert_int_equal(c->manifest_ttl_seconds, 5);
    assert_int_equal(c->segment_ttl_seconds, 3600);
    assert_int_equal(c->error_caching_min_ttl, 1);
    assert_null(c->logging_bucket);
    assert_string_equal(c->web_acl_id, "");

    /* The config alone from the same document. */
    struct distribution_config only;
    assert_int_equal(distribution_config_parse(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1,
                                               &only),
                     0);
    assert_config_equal(&only, c);
    distribution_config_clean_up(&only);
    distribution_info_clean_up(&info);
    assert_null(info.id);
}

static void drift_in_error_ttls_is_visible(void **state)
{
    (void)state;
    char *xml = strdup(GET_DISTRIBUTION);
    char *p = strstr(xml, "<ErrorCode>503</ErrorCode><ErrorCachingMinTTL>1");
    assert_non_null(p);
    p[strlen("<ErrorCode>503</ErrorCode><ErrorCachingMinTTL>")] = '9';
    struct distribution_config c;
    assert_int_equal(distribution_config_parse(xml, strlen(xml), &c), 0);
    assert_int_equal(c.error_caching_min_ttl, -1);
    distribution_config_clean_up(&c);
    free(xml);
}

static void parse_rejects_malformed(void **state)
{
    (void)state;
    struct distribution_config c;
    static const char broken[] = "<DistributionConfig><CallerReference>x</Caller";
    assert_int_equal(distribution_config_parse(broken, sizeof broken - 1, &c), -1);
    static const char other[] = "<Invalidation><Id>1</Id></Invalidation>";
    assert_int_equal(distribution_config_parse(other, sizeof other - 1, &c), -1);
    static const char no_origin[] = "<DistributionConfig><CallerReference>x</CallerReference>"
                                    "</DistributionConfig>";
    assert_int_equal(distribution_config_parse(no_origin, sizeof no_origin - 1, &c), -1);
    assert_null(c.caller_reference);
    struct distribution_info info;
    assert_int_equal(distribution_info_parse(no_origin, sizeof no_origin - 1, &info), -1);
    assert_int_equal(distribution_config_parse(NULL, 0, &c), -1);
}

/* Differences between two trees (element names and text, in order); the
 * path of the first one is kept. */
struct tree_cmp {
    int diffs;
    char path[512];
    char first[512];
};

static void tree_diff(struct tree_cmp *c, const xmlNode *a, const xmlNode *b)
{
    while (a != NULL || b != NULL) {
        while (a != NULL && a->type != XML_ELEMENT_NODE && a->type != XML_TEXT_NODE)
            a = a->next;
        while (b != NULL && b->type != XML_ELEMENT_NODE && b->type != XML_TEXT_NODE)
            b = b->next;
        if (a == NULL && b == NULL)
            return;
        bool same = a != NULL && b != NULL && a->type == b->type &&
                    (a->type == XML_ELEMENT_NODE
                         ? strcmp((const char *)a->name, (const char *)b->name) == 0
                         : strcmp((const char *)a->content, (const char *)b->content) == 0);
        if (!same) {
            if (c->diffs++ == 0)
                snprintf(c->first, sizeof c->first, "%s", c->path);
            if (a == NULL || b == NULL)
                return;
        } else if (a->type == XML_ELEMENT_NODE) {
            size_t used = strlen(c->path);
            snprintf(c->path + used, sizeof c->path - used, "/%s", (const char *)a->name);
            tree_diff(c, a->children, b->children);
            c->path[used] = '\0';
        }
        a = a->next;
        b = b->next;
    }
}

static int doc_diff(const char *x, size_t xl, const char *y, size_t yl, char *first, size_t size)
{
    xmlDocPtr a = xmlReadMemory(x, (int)xl, NULL, NULL, 0);
    xmlDocPtr b = xmlReadMemory(y, (int)yl, NULL, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    struct tree_cmp c = { 0 };
    tree_diff(&c, xmlDocGetRootElement(a), xmlDocGetRootElement(b));
    snprintf(first, size, "%s", c.first);
    xmlFreeDoc(a);
    xmlFreeDoc(b);
    return c.diffs;
}

static void disabling_keeps_everything_else(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    size_t len;
    char *xml = build(&in, &len);
    bool off = false;
    struct distribution_config_changes ch = { .enabled = &off };
    size_t out_len = 0;
    char *out = distribution_config_xml_modify(xml, len, &ch, &out_len);
    assert_non_null(out);
    char first[512];
    assert_int_equal(doc_diff(xml, len, out, out_len, first, sizeof first), 1);
    assert_string_equal(first, "/DistributionConfig/Enabled");
    struct distribution_config parsed;
    assert_int_equal(distribution_config_parse(out, out_len, &parsed), 0);
    in.enabled = false;
    assert_config_equal(&in, &parsed);
    distribution_config_clean_up(&parsed);

    /* Enabling again restores the very same bytes. */
    bool on = true;
    ch.enabled = &on;
    size_t back_len;
    char *back = distribution_config_xml_modify(out, out_len, &ch, &back_len);
    assert_int_equal(back_len, len);
    assert_memory_equal(back, xml, len);
    free(back);
    free(out);
    free(xml);
}

/* GetDistribution's document becomes a DistributionConfig payload in the
 * CloudFront namespace, with everything AWS filled in kept. */
static void modifying_a_distribution_document(void **state)
{
    (void)state;
    bool off = false;
    long manifest = 3, segments = 120, errors = 10;
    struct distribution_config_changes ch = {
        .enabled = &off, .comment = "a&b", .manifest_ttl_seconds = &manifest,
        .segment_ttl_seconds = &segments, .error_caching_min_ttl = &errors,
    };
    size_t len;
    char *out = distribution_config_xml_modify(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1, &ch,
                                               &len);
    assert_non_null(out);
    xmlDocPtr doc = xmlReadMemory(out, (int)len, NULL, NULL, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "DistributionConfig");
    assert_non_null(root->ns);
    assert_string_equal((const char *)root->ns->href, DISTRIBUTION_CONFIG_XMLNS);
    static const char *const staging[] = { "Staging", NULL };
    assert_text(root, staging, "false"); /* members we do not model survive */
    assert_non_null(strstr(out, "<ConnectionAttempts>3</ConnectionAttempts>"));
    assert_non_null(strstr(out, "<SSLSupportMethod>vip</SSLSupportMethod>"));
    xmlFreeDoc(doc);

    struct distribution_config c;
    assert_int_equal(distribution_config_parse(out, len, &c), 0);
    assert_string_equal(c.caller_reference, "lsms-caller-1");
    assert_false(c.enabled);
    assert_string_equal(c.comment, "a&b");
    assert_int_equal(c.manifest_ttl_seconds, 3);
    assert_int_equal(c.segment_ttl_seconds, 120);
    assert_int_equal(c.error_caching_min_ttl, 10);
    assert_string_equal(c.origin_secret, "agent-42");
    distribution_config_clean_up(&c);

    /* Only the *.m3u8 behaviour changed, not the *.ts one. */
    assert_non_null(strstr(out, "<PathPattern>*.ts</PathPattern>"));
    assert_non_null(strstr(out, "<DefaultTTL>60</DefaultTTL>"));
    free(out);
}

static void modify_rejects_impossible_changes(void **state)
{
    (void)state;
    long negative = -1;
    struct distribution_config_changes ch = { .segment_ttl_seconds = &negative };
    assert_null(distribution_config_xml_modify(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1, &ch,
                                               NULL));
    static const char bare[] = "<DistributionConfig xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\">"
                               "<CallerReference>x</CallerReference><Enabled>true</Enabled>"
                               "</DistributionConfig>";
    long ttl = 2;
    struct distribution_config_changes m = { .manifest_ttl_seconds = &ttl };
    assert_null(distribution_config_xml_modify(bare, sizeof bare - 1, &m, NULL));
    static const char junk[] = "not xml";
    assert_null(distribution_config_xml_modify(junk, sizeof junk - 1, NULL, NULL));
    /* No changes: the document comes back unchanged. */
    size_t len;
    char *same = distribution_config_xml_modify(bare, sizeof bare - 1, NULL, &len);
    assert_non_null(same);
    char first[512];
    assert_int_equal(doc_diff(bare, sizeof bare - 1, same, len, first, sizeof first), 0);
    free(same);
}


/* The target origin of a parsed document (the one DefaultCacheBehavior
 * names), by walking Origins/Items. */
static const xmlNode *target_origin(const xmlNode *root, const char *id)
{
    static const char *const items_path[] = { "Origins", "Items", NULL };
    for (const xmlNode *o = walk(root, items_path)->children; o != NULL; o = o->next) {
        if (o->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *t = xmlNodeGetContent(child(o, "Id"));
        bool match = strcmp((const char *)t, id) == 0;
        xmlFree(t);
        if (match)
            return o;
    }
    fail_msg("no origin %s", id);
    return NULL;
}

/* An S3 origin signed by an OAC: S3OriginConfig with an empty
 * OriginAccessIdentity instead of CustomOriginConfig, OriginAccessControlId
 * last (shape Origin's order), and it reads back as such. */
static void s3_origin_with_origin_access_control(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    in.origin_domain = "live-origin.s3.eu-west-1.amazonaws.com";
    in.origin_secret = NULL;
    in.origin_access_control_id = "E2OAC4EXAMPLE";
    size_t len;
    char *xml = build(&in, &len);
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    static const char *const origin[] = { "Origins", "Items", "Origin", NULL };
    static const char *const s3[] = { "Origins", "Items", "Origin", "S3OriginConfig", NULL };
    static const char *const oac[] = { "Origins", "Items", "Origin", "OriginAccessControlId",
                                       NULL };
    static const char *const oai[] = { "Origins", "Items", "Origin", "S3OriginConfig",
                                       "OriginAccessIdentity", NULL };
    char got[512];
    child_names(walk(root, origin), got, sizeof got);
    assert_string_equal(got, "Id DomainName OriginPath CustomHeaders S3OriginConfig "
                             "OriginAccessControlId");
    child_names(walk(root, s3), got, sizeof got);
    assert_string_equal(got, "OriginAccessIdentity");
    assert_text(root, oai, "");
    assert_text(root, oac, "E2OAC4EXAMPLE");
    /* The behaviours are the container origin's: caching, error caching,
     * the Origin and CORS headers forwarded, viewers redirected to HTTPS. */
    static const char *const vpp[] = { "DefaultCacheBehavior", "ViewerProtocolPolicy", NULL };
    static const char *const hq[] = { "DefaultCacheBehavior", "ForwardedValues", "Headers",
                                      "Quantity", NULL };
    static const char *const eq[] = { "CustomErrorResponses", "Quantity", NULL };
    assert_text(root, vpp, "redirect-to-https");
    assert_text(root, hq, "3");
    assert_text(root, eq, "11");
    xmlFreeDoc(doc);

    struct distribution_config out;
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_config_equal(&in, &out);
    assert_true(out.s3_origin);
    distribution_config_clean_up(&out);
    free(xml);

    /* A container origin has neither. */
    in = sample();
    xml = build(&in, &len);
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_false(out.s3_origin);
    assert_null(out.origin_access_control_id);
    distribution_config_clean_up(&out);
    free(xml);
}

/* MediaStore -> bucket -> MediaStore in place: the origin changes kind,
 * every other member (and the other origin) stays, and the way back gives
 * the document we started from. */
static void switching_the_origin_kind_in_place(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    size_t len;
    char *xml = build(&in, &len);
    struct distribution_config_changes to_s3 = {
        .origin_domain = "live-origin.s3.us-east-1.amazonaws.com",
        .origin_access_control_id = "E2OAC4EXAMPLE",
        .origin_secret = "",
    };
    size_t s3_len;
    char *s3 = distribution_config_xml_modify(xml, len, &to_s3, &s3_len);
    assert_non_null(s3);
    struct distribution_config c;
    assert_int_equal(distribution_config_parse(s3, s3_len, &c), 0);
    assert_true(c.s3_origin);
    assert_string_equal(c.origin_access_control_id, "E2OAC4EXAMPLE");
    assert_string_equal(c.origin_domain, "live-origin.s3.us-east-1.amazonaws.com");
    assert_null(c.origin_secret);
    assert_string_equal(c.comment, in.comment);
    assert_int_equal(c.segment_ttl_seconds, in.segment_ttl_seconds);
    distribution_config_clean_up(&c);
    xmlDocPtr doc = xmlReadMemory(s3, (int)s3_len, NULL, NULL, 0);
    char got[512];
    static const char *const origin[] = { "Origins", "Items", "Origin", NULL };
    child_names(walk(xmlDocGetRootElement(doc), origin), got, sizeof got);
    assert_string_equal(got, "Id DomainName OriginPath CustomHeaders S3OriginConfig "
                             "OriginAccessControlId");
    xmlFreeDoc(doc);

    /* Another bucket: only the domain and the OAC id change. */
    struct distribution_config_changes other = {
        .origin_domain = "archive.s3.eu-west-1.amazonaws.com",
        .origin_access_control_id = "E3OTHEROAC",
    };
    size_t other_len;
    char *moved = distribution_config_xml_modify(s3, s3_len, &other, &other_len);
    char first[512];
    assert_int_equal(doc_diff(s3, s3_len, moved, other_len, first, sizeof first), 2);
    free(moved);

    struct distribution_config_changes back = {
        .origin_domain = in.origin_domain,
        .origin_access_control_id = "",
        .origin_secret = in.origin_secret,
    };
    size_t back_len;
    char *again = distribution_config_xml_modify(s3, s3_len, &back, &back_len);
    assert_non_null(again);
    assert_int_equal(doc_diff(xml, len, again, back_len, first, sizeof first), 0);
    assert_int_equal(distribution_config_parse(again, back_len, &c), 0);
    assert_config_equal(&in, &c);
    assert_false(c.s3_origin);
    distribution_config_clean_up(&c);
    free(again);
    free(s3);
    free(xml);
}

/* On the document CloudFront returns (members we never write, an empty
 * OriginAccessControlId, two origins): S3OriginConfig goes to its place in
 * the model's order, the OAC id fills the existing element, the other
 * origin is untouched. */
static void switching_kind_keeps_cloudfront_members_in_order(void **state)
{
    (void)state;
    struct distribution_config_changes to_s3 = {
        .origin_domain = "live-origin.s3.us-east-1.amazonaws.com",
        .origin_access_control_id = "E2OAC4EXAMPLE",
        .origin_secret = "",
    };
    size_t len;
    char *out = distribution_config_xml_modify(GET_DISTRIBUTION, sizeof GET_DISTRIBUTION - 1,
                                               &to_s3, &len);
    assert_non_null(out);
    xmlDocPtr doc = xmlReadMemory(out, (int)len, NULL, NULL, 0);
    const xmlNode *root = xmlDocGetRootElement(doc);
    char got[512];
    child_names(target_origin(root, "mediastore-live"), got, sizeof got);
    assert_string_equal(got, "Id DomainName OriginPath CustomHeaders S3OriginConfig "
                             "ConnectionAttempts ConnectionTimeout OriginShield "
                             "OriginAccessControlId");
    child_names(target_origin(root, "other"), got, sizeof got);
    assert_string_equal(got, "Id DomainName OriginPath CustomHeaders CustomOriginConfig");
    xmlFreeDoc(doc);
    struct distribution_config c;
    assert_int_equal(distribution_config_parse(out, len, &c), 0);
    assert_string_equal(c.origin_access_control_id, "E2OAC4EXAMPLE");
    assert_true(c.s3_origin);
    /* Only our User-Agent header went; the other custom header stays. */
    assert_null(c.origin_secret);
    assert_non_null(strstr(out, "<HeaderName>X-Other</HeaderName>"));
    distribution_config_clean_up(&c);

    /* And back: CustomOriginConfig where S3OriginConfig was, no OAC id. */
    struct distribution_config_changes back = { .origin_domain = "abc.example.com",
                                                .origin_access_control_id = "" };
    size_t back_len;
    char *again = distribution_config_xml_modify(out, len, &back, &back_len);
    doc = xmlReadMemory(again, (int)back_len, NULL, NULL, 0);
    child_names(target_origin(xmlDocGetRootElement(doc), "mediastore-live"), got, sizeof got);
    assert_string_equal(got, "Id DomainName OriginPath CustomHeaders CustomOriginConfig "
                             "ConnectionAttempts ConnectionTimeout OriginShield");
    xmlFreeDoc(doc);
    free(again);
    free(out);
}

/* A legacy origin access identity is not an OAC-signed S3 origin; making
 * it one empties the identity (CloudFront refuses both together). */
static void legacy_origin_access_identity(void **state)
{
    (void)state;
    static const char oai[] =
        "<DistributionConfig xmlns=\"" DISTRIBUTION_CONFIG_XMLNS "\">"
        "<CallerReference>r</CallerReference><Origins><Quantity>1</Quantity><Items><Origin>"
        "<Id>o</Id><DomainName>b.s3.us-east-1.amazonaws.com</DomainName>"
        "<CustomHeaders><Quantity>0</Quantity></CustomHeaders>"
        "<S3OriginConfig><OriginAccessIdentity>origin-access-identity/cloudfront/E1</"
        "OriginAccessIdentity></S3OriginConfig></Origin></Items></Origins>"
        "<DefaultCacheBehavior><TargetOriginId>o</TargetOriginId></DefaultCacheBehavior>"
        "</DistributionConfig>";
    struct distribution_config c;
    assert_int_equal(distribution_config_parse(oai, sizeof oai - 1, &c), 0);
    assert_false(c.s3_origin);
    assert_null(c.origin_access_control_id);
    distribution_config_clean_up(&c);
    struct distribution_config_changes ch = { .origin_access_control_id = "E2OAC" };
    size_t len;
    char *out = distribution_config_xml_modify(oai, sizeof oai - 1, &ch, &len);
    assert_non_null(out);
    assert_int_equal(distribution_config_parse(out, len, &c), 0);
    assert_true(c.s3_origin);
    assert_string_equal(c.origin_access_control_id, "E2OAC");
    distribution_config_clean_up(&c);
    free(out);
}

/* ---- origin endpoints ---- */

static void origin_endpoints_split_into_cloudfront_members(void **state)
{
    (void)state;
    static const struct {
        const char *endpoint, *domain, *path;
        long port;
        bool http;
    } cases[] = {
        {"https://abc123.data.mediastore.us-east-1.amazonaws.com",
         "abc123.data.mediastore.us-east-1.amazonaws.com", "", 443, false},
        {"abc123.data.mediastore.us-east-1.amazonaws.com",
         "abc123.data.mediastore.us-east-1.amazonaws.com", "", 443, false},
        {"https://abc123.data.mediastore.us-east-1.amazonaws.com/",
         "abc123.data.mediastore.us-east-1.amazonaws.com", "", 443, false},
        {"http://127.0.0.1:4566/_mediastore/live", "127.0.0.1", "/_mediastore/live", 4566, true},
        {"http://127.0.0.1:4566/_mediastore/live/", "127.0.0.1", "/_mediastore/live", 4566, true},
        {"https://origin.example.com:8443/a/b", "origin.example.com", "/a/b", 8443, false},
        {"http://localhost", "localhost", "", 80, true},
        {"origin.example.com:8443", "origin.example.com", "", 8443, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct distribution_origin o;
        assert_int_equal(distribution_origin_split(cases[i].endpoint, &o), 0);
        assert_string_equal(o.domain, cases[i].domain);
        assert_string_equal(o.path, cases[i].path);
        assert_int_equal(o.port, cases[i].port);
        assert_int_equal(o.http, cases[i].http);
        distribution_origin_clean_up(&o);
    }
    static const char *const bad[] = {"ftp://host", "https://", "https://:443", "https://h:0",
                                      "https://h:70000", "https://h:x", "https://h:443x", NULL};
    for (const char *const *b = bad; *b; b++) {
        struct distribution_origin o;
        assert_int_equal(distribution_origin_split(*b, &o), -1);
        assert_null(o.domain);
    }
    struct distribution_origin o;
    assert_int_equal(distribution_origin_split(NULL, &o), -1);
}

/* What an import reads back (the canonical URL of CloudFront's members)
 * equals what was written for a real container endpoint and an emulator's,
 * and names the same origin as every other way of writing it. */
static void origin_endpoints_read_back_as_written(void **state)
{
    (void)state;
    static const char *const canonical[] = {
        "https://abc123.data.mediastore.us-east-1.amazonaws.com",
        "http://127.0.0.1:4566/_mediastore/live-streaming",
        "https://origin.example.com:8443/a/b",
        "http://localhost:8080",
        NULL,
    };
    for (const char *const *c = canonical; *c; c++) {
        struct distribution_origin o;
        assert_int_equal(distribution_origin_split(*c, &o), 0);
        char *url = distribution_origin_url_new(o.domain, o.path, o.port, o.http);
        assert_string_equal(url, *c);
        free(url);
        distribution_origin_clean_up(&o);
    }
    char *url = distribution_origin_url_new("h.example.com", NULL, 0, false);
    assert_string_equal(url, "https://h.example.com");
    free(url);
    url = distribution_origin_url_new("h.example.com", "", 80, true);
    assert_string_equal(url, "http://h.example.com");
    free(url);
    assert_null(distribution_origin_url_new("", "/x", 443, false));

    static const char *const same[][2] = {
        {"abc.example.com", "https://abc.example.com"},
        {"https://abc.example.com/", "https://ABC.example.com:443"},
        {"http://127.0.0.1:4566/_mediastore/c/", "http://127.0.0.1:4566/_mediastore/c"},
    };
    static const char *const differ[][2] = {
        {"https://abc.example.com", "http://abc.example.com"},
        {"https://abc.example.com", "https://abc.example.com:8443"},
        {"http://127.0.0.1:4566/_mediastore/c", "http://127.0.0.1:4566/_mediastore/c2"},
        {"http://127.0.0.1:4566/_mediastore/c", "http://127.0.0.1:4567/_mediastore/c"},
    };
    for (size_t i = 0; i < 3 + 4; i++) {
        const char *const *pair = i < 3 ? same[i] : differ[i - 3];
        struct distribution_origin a, b;
        assert_int_equal(distribution_origin_split(pair[0], &a), 0);
        assert_int_equal(distribution_origin_split(pair[1], &b), 0);
        assert_int_equal(distribution_origin_same(&a, &b), i < 3);
        distribution_origin_clean_up(&a);
        distribution_origin_clean_up(&b);
    }
}

/* A custom endpoint's port, path and protocol go to CloudFront and come
 * back; a real container endpoint stays HTTPS on 443 with no path. */
static void origin_port_path_and_protocol_round_trip(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    in.origin_domain = "127.0.0.1";
    in.origin_path = "/_mediastore/live";
    in.origin_port = 4566;
    in.origin_http = true;
    size_t len = 0;
    char *xml = build(&in, &len);
    assert_non_null(strstr(xml, "<OriginPath>/_mediastore/live</OriginPath>"));
    assert_non_null(strstr(xml, "<HTTPPort>4566</HTTPPort><HTTPSPort>443</HTTPSPort>"
                                "<OriginProtocolPolicy>http-only</OriginProtocolPolicy>"));
    struct distribution_config out;
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_string_equal(out.origin_path, "/_mediastore/live");
    assert_int_equal(out.origin_port, 4566);
    assert_true(out.origin_http);
    distribution_config_clean_up(&out);
    free(xml);

    in = sample();
    xml = build(&in, &len);
    assert_non_null(strstr(xml, "<OriginPath/>"));
    assert_non_null(strstr(xml, "<HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>"
                                "<OriginProtocolPolicy>https-only</OriginProtocolPolicy>"));
    assert_int_equal(distribution_config_parse(xml, len, &out), 0);
    assert_string_equal(out.origin_path, "");
    assert_int_equal(out.origin_port, 443);
    assert_false(out.origin_http);
    distribution_config_clean_up(&out);

    /* Moving the origin changes all four members. */
    struct distribution_config_changes ch = {.origin_domain = "origin.example.com",
                                             .origin_path = "/a", .origin_port = 8443};
    size_t n = 0;
    char *moved = distribution_config_xml_modify(xml, len, &ch, &n);
    assert_non_null(moved);
    assert_int_equal(distribution_config_parse(moved, n, &out), 0);
    assert_string_equal(out.origin_domain, "origin.example.com");
    assert_string_equal(out.origin_path, "/a");
    assert_int_equal(out.origin_port, 8443);
    assert_false(out.origin_http);
    assert_non_null(strstr(moved, "<HTTPPort>80</HTTPPort><HTTPSPort>8443</HTTPSPort>"));
    distribution_config_clean_up(&out);
    free(moved);
    free(xml);
}

/* An endpoint with a port, a path and plain http (an emulator's) becomes a
 * bucket and back in place: the bucket origin has no OriginPath and no
 * CustomOriginConfig (so no port), and the way back restores the path, the
 * port and the protocol policy, giving the document we started from; an
 * https endpoint on its own port gets HTTPSPort and https-only. */
static void switching_kind_carries_the_endpoint_address(void **state)
{
    (void)state;
    struct distribution_config in = sample();
    in.origin_domain = "127.0.0.1";
    in.origin_path = "/_mediastore/live";
    in.origin_port = 4566;
    in.origin_http = true;
    size_t len;
    char *xml = build(&in, &len);
    struct distribution_config_changes to_s3 = {
        .origin_domain = "live-origin.s3.us-east-1.amazonaws.com",
        .origin_path = "",
        .origin_access_control_id = "E2OAC4EXAMPLE",
        .origin_secret = "",
    };
    size_t s3_len;
    char *s3 = distribution_config_xml_modify(xml, len, &to_s3, &s3_len);
    assert_non_null(s3);
    assert_non_null(strstr(s3, "<OriginPath/>"));
    assert_null(strstr(s3, "CustomOriginConfig"));
    assert_null(strstr(s3, "4566"));
    struct distribution_config c;
    assert_int_equal(distribution_config_parse(s3, s3_len, &c), 0);
    assert_true(c.s3_origin);
    assert_string_equal(c.origin_access_control_id, "E2OAC4EXAMPLE");
    assert_string_equal(c.origin_path, "");
    assert_false(c.origin_http);
    assert_true(c.origin_port <= 0);
    distribution_config_clean_up(&c);

    /* A NULL origin_path is no path too. */
    to_s3.origin_path = NULL;
    size_t null_len;
    char *s3_null = distribution_config_xml_modify(xml, len, &to_s3, &null_len);
    char first[512];
    assert_int_equal(doc_diff(s3, s3_len, s3_null, null_len, first, sizeof first), 0);
    free(s3_null);

    struct distribution_config_changes back = {
        .origin_domain = in.origin_domain,
        .origin_path = in.origin_path,
        .origin_port = in.origin_port,
        .origin_http = in.origin_http,
        .origin_access_control_id = "",
        .origin_secret = in.origin_secret,
    };
    size_t back_len;
    char *again = distribution_config_xml_modify(s3, s3_len, &back, &back_len);
    assert_non_null(again);
    assert_int_equal(doc_diff(xml, len, again, back_len, first, sizeof first), 0);
    assert_int_equal(distribution_config_parse(again, back_len, &c), 0);
    assert_false(c.s3_origin);
    assert_null(c.origin_access_control_id);
    assert_string_equal(c.origin_path, "/_mediastore/live");
    assert_int_equal(c.origin_port, 4566);
    assert_true(c.origin_http);
    distribution_config_clean_up(&c);
    free(again);

    struct distribution_config_changes https = {
        .origin_domain = "origin.example.com",
        .origin_path = "/a",
        .origin_port = 8443,
        .origin_access_control_id = "",
    };
    again = distribution_config_xml_modify(s3, s3_len, &https, &back_len);
    assert_non_null(again);
    assert_non_null(strstr(again, "<OriginPath>/a</OriginPath>"));
    assert_non_null(strstr(again, "<HTTPPort>80</HTTPPort><HTTPSPort>8443</HTTPSPort>"
                                  "<OriginProtocolPolicy>https-only</OriginProtocolPolicy>"));
    assert_null(strstr(again, "S3OriginConfig"));
    assert_null(strstr(again, "OriginAccessControlId"));
    free(again);
    free(s3);
    free(xml);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(build_then_parse_round_trips),
        cmocka_unit_test(elements_follow_model_order),
        cmocka_unit_test(behaviours_and_origin_content),
        cmocka_unit_test(eleven_error_caching_rules),
        cmocka_unit_test(build_rejects_missing_required),
        cmocka_unit_test(parses_get_distribution_response),
        cmocka_unit_test(drift_in_error_ttls_is_visible),
        cmocka_unit_test(parse_rejects_malformed),
        cmocka_unit_test(disabling_keeps_everything_else),
        cmocka_unit_test(modifying_a_distribution_document),
        cmocka_unit_test(modify_rejects_impossible_changes),
        cmocka_unit_test(s3_origin_with_origin_access_control),
        cmocka_unit_test(switching_the_origin_kind_in_place),
        cmocka_unit_test(switching_kind_keeps_cloudfront_members_in_order),
        cmocka_unit_test(legacy_origin_access_identity),
        cmocka_unit_test(origin_endpoints_split_into_cloudfront_members),
        cmocka_unit_test(origin_endpoints_read_back_as_written),
        cmocka_unit_test(origin_port_path_and_protocol_round_trip),
        cmocka_unit_test(switching_kind_carries_the_endpoint_address),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
