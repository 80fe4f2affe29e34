/*
 * distribution_config.c - CloudFront DistributionConfig XML. See
 * distribution_config.h.
 *
 * CloudFront's REST-XML parser rejects members out of the order of the
 * model's shape definitions (botocore cloudfront/2020-05-31 service-2.json),
 * so the builder below writes every structure in exactly that order; the
 * comments name the shape whose order is followed.
 *
 * Builders share one failure flag (struct dc_build) and tolerate a NULL
 * parent, so a failed allocation is checked once, at the end.
 */
#include "resources/distribution/distribution_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static const int ERROR_CODES[] = { 400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504 };
#define ERROR_CODE_COUNT (sizeof ERROR_CODES / sizeof ERROR_CODES[0])

/* Request headers forwarded to the origin (and so part of the cache key):
 * the CORS preflight needs them to answer per origin. */
static const char *const FORWARDED_HEADERS[] = {
    "Origin",
    "Access-Control-Request-Method",
    "Access-Control-Request-Headers",
};

static const char *const ALLOWED_METHODS[] = { "GET", "HEAD", "OPTIONS" };
static const char *const CACHED_METHODS[] = { "GET", "HEAD" };

#define DC_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define DC_PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

const int *distribution_config_error_codes(size_t *count)
{
    if (count != NULL)
        *count = ERROR_CODE_COUNT;
    return ERROR_CODES;
}

/* ---- building --------------------------------------------------------- */

struct dc_build {
    bool failed;
};

/* A child element; text NULL makes an empty structure element. The text is
 * escaped by libxml2 (xmlNewTextChild), so comments with '&' survive. Empty
 * text makes no text node, as a parsed "<X></X>" has none, so that a
 * document read back and written again is byte-identical. */
static xmlNodePtr dc_el(struct dc_build *b, xmlNodePtr parent, const char *name,
                        const char *text)
{
    if (text != NULL && text[0] == '\0')
        text = NULL;
    xmlNodePtr n = parent == NULL ? NULL
                                  : xmlNewTextChild(parent, NULL, BAD_CAST name,
                                                    text == NULL ? NULL : BAD_CAST text);
    if (n == NULL)
        b->failed = true;
    return n;
}

static void dc_long(struct dc_build *b, xmlNodePtr parent, const char *name, long v)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", v);
    dc_el(b, parent, name, text);
}

static void dc_bool(struct dc_build *b, xmlNodePtr parent, const char *name, bool v)
{
    dc_el(b, parent, name, v ? "true" : "false");
}

/* <name><Quantity>n</Quantity>[<Items><item>..</item></Items>]</name>, the
 * list wrapper CloudFront uses everywhere; Items is left out when empty. */
static xmlNodePtr dc_list(struct dc_build *b, xmlNodePtr parent, const char *name,
                          const char *item, const char *const *values, size_t n)
{
    xmlNodePtr list = dc_el(b, parent, name, NULL);
    dc_long(b, list, "Quantity", (long)n);
    if (n > 0) {
        xmlNodePtr items = dc_el(b, list, "Items", NULL);
        for (size_t i = 0; i < n; i++)
            dc_el(b, items, item, values[i]);
    }
    return list;
}

static bool dc_empty(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static const char *dc_or(const char *s, const char *fallback)
{
    return s == NULL ? fallback : s;
}

/* The port CloudFront connects to for each protocol: a custom endpoint's
 * port (port > 0) for the endpoint's protocol, else the default. */
static long dc_origin_http_port(long port, bool http)
{
    return http && port > 0 ? port : 80;
}

static long dc_origin_https_port(long port, bool http)
{
    return !http && port > 0 ? port : 443;
}

/* Shape CustomOriginConfig: a container endpoint speaks HTTPS only, on 443;
 * a custom endpoint's port (and plain http, for an emulator) is where
 * CloudFront must connect (port <= 0: the protocol's default). */
static void dc_custom_origin_config(struct dc_build *b, xmlNodePtr origin, long port, bool http)
{
    xmlNodePtr c = dc_el(b, origin, "CustomOriginConfig", NULL);
    dc_long(b, c, "HTTPPort", dc_origin_http_port(port, http));
    dc_long(b, c, "HTTPSPort", dc_origin_https_port(port, http));
    dc_el(b, c, "OriginProtocolPolicy", http ? "http-only" : "https-only");
    static const char *const tls[] = { "TLSv1.2" };
    dc_list(b, c, "OriginSslProtocols", "SslProtocol", tls, DC_COUNT(tls));
    dc_long(b, c, "OriginReadTimeout", 30);
    dc_long(b, c, "OriginKeepaliveTimeout", 5);
}

/* Shape S3OriginConfig for an origin signed by an Origin Access Control:
 * OriginAccessIdentity is required and must be empty ("If you're using
 * origin access control (OAC) instead of origin access identity, specify an
 * empty OriginAccessIdentity element", botocore model). */
static void dc_s3_origin_config(struct dc_build *b, xmlNodePtr origin)
{
    dc_el(b, dc_el(b, origin, "S3OriginConfig", NULL), "OriginAccessIdentity", "");
}

/* Shape Origin. */
static void dc_origin(struct dc_build *b, xmlNodePtr items, const struct distribution_config *cfg)
{
    xmlNodePtr o = dc_el(b, items, "Origin", NULL);
    dc_el(b, o, "Id", cfg->origin_id);
    dc_el(b, o, "DomainName", cfg->origin_domain);
    dc_el(b, o, "OriginPath", dc_or(cfg->origin_path, ""));
    xmlNodePtr headers = dc_el(b, o, "CustomHeaders", NULL);
    if (dc_empty(cfg->origin_secret)) {
        dc_long(b, headers, "Quantity", 0);
    } else {
        /* The container policy admits only requests carrying this value. */
        dc_long(b, headers, "Quantity", 1);
        xmlNodePtr h = dc_el(b, dc_el(b, headers, "Items", NULL), "OriginCustomHeader", NULL);
        dc_el(b, h, "HeaderName", "User-Agent");
        dc_el(b, h, "HeaderValue", cfg->origin_secret);
    }
    if (dc_empty(cfg->origin_access_control_id)) {
        dc_custom_origin_config(b, o, cfg->origin_port, cfg->origin_http);
    } else {
        /* OriginAccessControlId is the last member of shape Origin. */
        dc_s3_origin_config(b, o);
        dc_el(b, o, "OriginAccessControlId", cfg->origin_access_control_id);
    }
}

/* The members DefaultCacheBehavior and CacheBehavior share, in their
 * order after TargetOriginId (both shapes list them identically). */
static void dc_behaviour_body(struct dc_build *b, xmlNodePtr cb,
                              const struct distribution_config *cfg, long ttl)
{
    dc_el(b, cb, "TargetOriginId", cfg->origin_id);
    xmlNodePtr ts = dc_el(b, cb, "TrustedSigners", NULL);
    dc_bool(b, ts, "Enabled", false);
    dc_long(b, ts, "Quantity", 0);
    xmlNodePtr tk = dc_el(b, cb, "TrustedKeyGroups", NULL);
    dc_bool(b, tk, "Enabled", false);
    dc_long(b, tk, "Quantity", 0);
    dc_el(b, cb, "ViewerProtocolPolicy", "redirect-to-https");
    xmlNodePtr am = dc_list(b, cb, "AllowedMethods", "Method", ALLOWED_METHODS,
                            DC_COUNT(ALLOWED_METHODS));
    dc_list(b, am, "CachedMethods", "Method", CACHED_METHODS, DC_COUNT(CACHED_METHODS));
    dc_bool(b, cb, "SmoothStreaming", false);
    dc_bool(b, cb, "Compress", true);
    dc_list(b, cb, "LambdaFunctionAssociations", NULL, NULL, 0);
    dc_list(b, cb, "FunctionAssociations", NULL, NULL, 0);
    dc_el(b, cb, "FieldLevelEncryptionId", "");
    /* Shape ForwardedValues: no query strings or cookies, only the CORS
     * headers. */
    xmlNodePtr fv = dc_el(b, cb, "ForwardedValues", NULL);
    dc_bool(b, fv, "QueryString", false);
    dc_el(b, dc_el(b, fv, "Cookies", NULL), "Forward", "none");
    dc_list(b, fv, "Headers", "Name", FORWARDED_HEADERS, DC_COUNT(FORWARDED_HEADERS));
    dc_list(b, fv, "QueryStringCacheKeys", NULL, NULL, 0);
    /* DefaultTTL = MaxTTL = ttl: the origin sends no Cache-Control worth
     * honouring beyond it, and a live manifest must not outlive it. */
    dc_long(b, cb, "MinTTL", 0);
    dc_long(b, cb, "DefaultTTL", ttl);
    dc_long(b, cb, "MaxTTL", ttl);
}

static bool dc_config_valid(const struct distribution_config *cfg)
{
    return cfg != NULL && !dc_empty(cfg->caller_reference) && !dc_empty(cfg->origin_domain) &&
           !dc_empty(cfg->origin_id) && cfg->manifest_ttl_seconds >= 0 &&
           cfg->segment_ttl_seconds >= 0 && cfg->error_caching_min_ttl >= 0;
}

/* A new document whose root element `name` declares the CloudFront
 * namespace (children made by dc_el inherit it). NULL when out of memory. */
static xmlDocPtr dc_doc_with_root(const char *name)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = doc == NULL ? NULL : xmlNewDocNode(doc, NULL, BAD_CAST name, NULL);
    xmlNsPtr ns = root == NULL ? NULL : xmlNewNs(root, BAD_CAST DISTRIBUTION_CONFIG_XMLNS, NULL);
    if (doc == NULL || root == NULL || ns == NULL) {
        xmlFreeNode(root);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlSetNs(root, ns);
    xmlDocSetRootElement(doc, root);
    return doc;
}

/* Writes the members of shape DistributionConfig into root. */
static void dc_config_fill(struct dc_build *b, xmlNodePtr root,
                           const struct distribution_config *cfg)
{
    dc_el(b, root, "CallerReference", cfg->caller_reference);
    dc_list(b, root, "Aliases", NULL, NULL, 0);
    dc_el(b, root, "DefaultRootObject", "");
    xmlNodePtr origins = dc_el(b, root, "Origins", NULL);
    dc_long(b, origins, "Quantity", 1);
    dc_origin(b, dc_el(b, origins, "Items", NULL), cfg);
    dc_list(b, root, "OriginGroups", NULL, NULL, 0);
    dc_behaviour_body(b, dc_el(b, root, "DefaultCacheBehavior", NULL), cfg,
                      cfg->segment_ttl_seconds);
    xmlNodePtr behaviours = dc_el(b, root, "CacheBehaviors", NULL);
    dc_long(b, behaviours, "Quantity", 1);
    xmlNodePtr manifest = dc_el(b, dc_el(b, behaviours, "Items", NULL), "CacheBehavior", NULL);
    dc_el(b, manifest, "PathPattern", DISTRIBUTION_CONFIG_MANIFEST_PATTERN);
    dc_behaviour_body(b, manifest, cfg, cfg->manifest_ttl_seconds);

    xmlNodePtr errors = dc_el(b, root, "CustomErrorResponses", NULL);
    dc_long(b, errors, "Quantity", (long)ERROR_CODE_COUNT);
    xmlNodePtr error_items = dc_el(b, errors, "Items", NULL);
    for (size_t i = 0; i < ERROR_CODE_COUNT; i++) {
        /* Shape CustomErrorResponse: no page, only a short negative cache so
         * a segment that is not written yet is asked for again soon. */
        xmlNodePtr e = dc_el(b, error_items, "CustomErrorResponse", NULL);
        dc_long(b, e, "ErrorCode", ERROR_CODES[i]);
        dc_long(b, e, "ErrorCachingMinTTL", cfg->error_caching_min_ttl);
    }
    dc_el(b, root, "Comment", dc_or(cfg->comment, ""));
    /* Shape LoggingConfig: written out even when off, with empty values,
     * which is how CloudFront itself returns disabled logging. */
    bool logging = !dc_empty(cfg->logging_bucket);
    xmlNodePtr log = dc_el(b, root, "Logging", NULL);
    dc_bool(b, log, "Enabled", logging);
    dc_bool(b, log, "IncludeCookies", false);
    dc_el(b, log, "Bucket", logging ? cfg->logging_bucket : "");
    dc_el(b, log, "Prefix", logging ? dc_or(cfg->logging_prefix, "") : "");
    dc_el(b, root, "PriceClass", dc_or(cfg->price_class, "PriceClass_All"));
    dc_bool(b, root, "Enabled", cfg->enabled);
    dc_bool(b, dc_el(b, root, "ViewerCertificate", NULL), "CloudFrontDefaultCertificate", true);
    xmlNodePtr geo = dc_el(b, dc_el(b, root, "Restrictions", NULL), "GeoRestriction", NULL);
    dc_el(b, geo, "RestrictionType", "none");
    dc_long(b, geo, "Quantity", 0);
    dc_el(b, root, "WebACLId", dc_or(cfg->web_acl_id, ""));
    dc_el(b, root, "HttpVersion", dc_or(cfg->http_version, "http2and3"));
    dc_bool(b, root, "IsIPV6Enabled", cfg->ipv6_enabled);
}

/* Shape Tags: <Items> is left out when there are none. */
static void dc_tags_fill(struct dc_build *b, xmlNodePtr tags_el,
                         const struct distribution_tag *tags, size_t n)
{
    xmlNodePtr items = n > 0 ? dc_el(b, tags_el, "Items", NULL) : NULL;
    for (size_t i = 0; i < n; i++) {
        xmlNodePtr t = dc_el(b, items, "Tag", NULL);
        dc_el(b, t, "Key", tags[i].key);
        dc_el(b, t, "Value", tags[i].value);
    }
}

/* Frees doc and returns NULL when the build failed, else returns doc. */
static xmlDocPtr dc_doc_finish(xmlDocPtr doc, const struct dc_build *b)
{
    if (b->failed) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static xmlDocPtr dc_doc_new(const struct distribution_config *cfg)
{
    if (!dc_config_valid(cfg))
        return NULL;
    xmlDocPtr doc = dc_doc_with_root("DistributionConfig");
    if (doc == NULL)
        return NULL;
    struct dc_build b = { 0 };
    dc_config_fill(&b, xmlDocGetRootElement(doc), cfg);
    return dc_doc_finish(doc, &b);
}

/* Serializes doc into a malloc'd copy (so callers free with free(), not
 * xmlFree). Frees doc. */
static char *dc_doc_take_text(xmlDocPtr doc, size_t *len)
{
    if (doc == NULL)
        return NULL;
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    xmlFreeDoc(doc);
    if (mem == NULL || size < 0) {
        xmlFree(mem);
        return NULL;
    }
    char *text = malloc((size_t)size + 1);
    if (text != NULL) {
        memcpy(text, mem, (size_t)size);
        text[size] = '\0';
        if (len != NULL)
            *len = (size_t)size;
    }
    /* The dump may hold the origin secret. */
    explicit_bzero(mem, (size_t)size);
    xmlFree(mem);
    return text;
}

char *distribution_config_xml_new(const struct distribution_config *cfg, size_t *len)
{
    return dc_doc_take_text(dc_doc_new(cfg), len);
}

char *distribution_config_with_tags_xml_new(const struct distribution_config *cfg,
                                            const struct distribution_tag *tags, size_t n,
                                            size_t *len)
{
    if (!dc_config_valid(cfg) || (n > 0 && tags == NULL))
        return NULL;
    xmlDocPtr doc = dc_doc_with_root("DistributionConfigWithTags");
    if (doc == NULL)
        return NULL;
    /* Shape DistributionConfigWithTags: DistributionConfig, then Tags. */
    struct dc_build b = { 0 };
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr config = dc_el(&b, root, "DistributionConfig", NULL);
    if (config != NULL)
        dc_config_fill(&b, config, cfg);
    dc_tags_fill(&b, dc_el(&b, root, "Tags", NULL), tags, n);
    return dc_doc_take_text(dc_doc_finish(doc, &b), len);
}

char *distribution_tags_xml_new(const struct distribution_tag *tags, size_t n, size_t *len)
{
    if (n > 0 && tags == NULL)
        return NULL;
    xmlDocPtr doc = dc_doc_with_root("Tags");
    if (doc == NULL)
        return NULL;
    struct dc_build b = { 0 };
    dc_tags_fill(&b, xmlDocGetRootElement(doc), tags, n);
    return dc_doc_take_text(dc_doc_finish(doc, &b), len);
}

char *distribution_tag_keys_xml_new(const char *const *keys, size_t n, size_t *len)
{
    if (n > 0 && keys == NULL)
        return NULL;
    xmlDocPtr doc = dc_doc_with_root("TagKeys");
    if (doc == NULL)
        return NULL;
    /* Shape TagKeys: list TagKeyList, members named Key. */
    struct dc_build b = { 0 };
    xmlNodePtr items = n > 0 ? dc_el(&b, xmlDocGetRootElement(doc), "Items", NULL) : NULL;
    for (size_t i = 0; i < n; i++)
        dc_el(&b, items, "Key", keys[i]);
    return dc_doc_take_text(dc_doc_finish(doc, &b), len);
}

/* ---- reading ---------------------------------------------------------- */

static bool dc_is(const xmlNode *n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* The first element child called name, or NULL. */
static xmlNodePtr dc_child(const xmlNode *parent, const char *name)
{
    if (parent == NULL)
        return NULL;
    for (xmlNodePtr c = parent->children; c != NULL; c = c->next)
        if (dc_is(c, name))
            return c;
    return NULL;
}

/* Follows a NULL-terminated list of element names. */
static xmlNodePtr dc_path(const xmlNode *node, const char *const *names)
{
    xmlNodePtr n = (xmlNodePtr)node;
    for (; *names != NULL && n != NULL; names++)
        n = dc_child(n, *names);
    return n;
}

/* malloc'd text of an element ("" for an empty one); NULL when absent or on
 * allocation failure (*failed set in that case). */
static char *dc_text_dup(const xmlNode *n, bool *failed)
{
    if (n == NULL)
        return NULL;
    xmlChar *t = xmlNodeGetContent(n);
    char *copy = strdup(t == NULL ? "" : (const char *)t);
    xmlFree(t);
    if (copy == NULL)
        *failed = true;
    return copy;
}

static bool dc_text_eq(const xmlNode *n, const char *want)
{
    if (n == NULL)
        return false;
    xmlChar *t = xmlNodeGetContent(n);
    bool eq = t != NULL && strcmp((const char *)t, want) == 0;
    xmlFree(t);
    return eq;
}

static bool dc_text_bool(const xmlNode *n)
{
    return dc_text_eq(n, "true");
}

static long dc_text_long(const xmlNode *n)
{
    if (n == NULL)
        return -1;
    xmlChar *t = xmlNodeGetContent(n);
    char *end = NULL;
    long v = t == NULL ? -1 : strtol((const char *)t, &end, 10);
    if (t == NULL || end == (char *)t || *end != '\0')
        v = -1;
    xmlFree(t);
    return v;
}

/* The DistributionConfig element of a document whose root is either it or a
 * Distribution. */
static xmlNodePtr dc_config_node(xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (dc_is(root, "DistributionConfig"))
        return root;
    if (dc_is(root, "Distribution"))
        return dc_child(root, "DistributionConfig");
    return NULL;
}

/* The cache behaviour for manifests, or NULL. */
static xmlNodePtr dc_manifest_behaviour(const xmlNode *config)
{
    static const char *const items_path[] = { "CacheBehaviors", "Items", NULL };
    xmlNodePtr items = dc_path(config, items_path);
    if (items == NULL)
        return NULL;
    for (xmlNodePtr c = items->children; c != NULL; c = c->next)
        if (dc_is(c, "CacheBehavior") &&
            dc_text_eq(dc_child(c, "PathPattern"), DISTRIBUTION_CONFIG_MANIFEST_PATTERN))
            return c;
    return NULL;
}

/* The origin the default behaviour targets (the first one if none matches). */
static xmlNodePtr dc_target_origin(const xmlNode *config, const char *origin_id)
{
    static const char *const items_path[] = { "Origins", "Items", NULL };
    xmlNodePtr items = dc_path(config, items_path);
    xmlNodePtr first = NULL;
    for (xmlNodePtr c = items == NULL ? NULL : items->children; c != NULL; c = c->next) {
        if (!dc_is(c, "Origin"))
            continue;
        if (first == NULL)
            first = c;
        if (origin_id != NULL && dc_text_eq(dc_child(c, "Id"), origin_id))
            return c;
    }
    return first;
}

static char *dc_user_agent(const xmlNode *origin, bool *failed)
{
    static const char *const items_path[] = { "CustomHeaders", "Items", NULL };
    xmlNodePtr items = dc_path(origin, items_path);
    for (xmlNodePtr h = items == NULL ? NULL : items->children; h != NULL; h = h->next) {
        if (!dc_is(h, "OriginCustomHeader"))
            continue;
        xmlChar *name = xmlNodeGetContent(dc_child(h, "HeaderName"));
        bool match = name != NULL && strcasecmp((const char *)name, "User-Agent") == 0;
        xmlFree(name);
        if (match)
            return dc_text_dup(dc_child(h, "HeaderValue"), failed);
    }
    return NULL;
}

/* One TTL for all error codes we manage, or -1 when a code is missing or
 * the TTLs differ, so that a plan always sees such a change as drift. */
static long dc_error_ttl(const xmlNode *config)
{
    static const char *const items_path[] = { "CustomErrorResponses", "Items", NULL };
    xmlNodePtr items = dc_path(config, items_path);
    long ttl = -1;
    for (size_t i = 0; i < ERROR_CODE_COUNT; i++) {
        long found = -1;
        for (xmlNodePtr e = items == NULL ? NULL : items->children; e != NULL; e = e->next)
            if (dc_is(e, "CustomErrorResponse") &&
                dc_text_long(dc_child(e, "ErrorCode")) == ERROR_CODES[i])
                found = dc_text_long(dc_child(e, "ErrorCachingMinTTL"));
        if (found < 0 || (i > 0 && found != ttl))
            return -1;
        ttl = found;
    }
    return ttl;
}

static int dc_config_read(const xmlNode *config, struct distribution_config *out)
{
    bool failed = false;
    struct distribution_config c = { 0 };
    static const char *const target[] = { "DefaultCacheBehavior", "TargetOriginId", NULL };
    static const char *const seg_ttl[] = { "DefaultCacheBehavior", "DefaultTTL", NULL };
    static const char *const log_on[] = { "Logging", "Enabled", NULL };
    static const char *const log_bucket[] = { "Logging", "Bucket", NULL };
    static const char *const log_prefix[] = { "Logging", "Prefix", NULL };

    c.caller_reference = dc_text_dup(dc_child(config, "CallerReference"), &failed);
    c.origin_id = dc_text_dup(dc_path(config, target), &failed);
    xmlNodePtr origin = dc_target_origin(config, c.origin_id);
    c.origin_domain = dc_text_dup(dc_child(origin, "DomainName"), &failed);
    c.origin_path = dc_text_dup(dc_child(origin, "OriginPath"), &failed);
    static const char *const protocol[] = { "CustomOriginConfig", "OriginProtocolPolicy", NULL };
    static const char *const http_port[] = { "CustomOriginConfig", "HTTPPort", NULL };
    static const char *const https_port[] = { "CustomOriginConfig", "HTTPSPort", NULL };
    c.origin_http = dc_text_eq(dc_path(origin, protocol), "http-only");
    c.origin_port = dc_text_long(dc_path(origin, c.origin_http ? http_port : https_port));
    c.origin_secret = dc_user_agent(origin, &failed);
    xmlNodePtr oac = dc_child(origin, "OriginAccessControlId");
    if (oac != NULL && !dc_text_eq(oac, ""))
        c.origin_access_control_id = dc_text_dup(oac, &failed);
    xmlNodePtr s3 = dc_child(origin, "S3OriginConfig");
    c.s3_origin = s3 != NULL && (dc_child(s3, "OriginAccessIdentity") == NULL ||
                                 dc_text_eq(dc_child(s3, "OriginAccessIdentity"), ""));
    c.comment = dc_text_dup(dc_child(config, "Comment"), &failed);
    c.enabled = dc_text_bool(dc_child(config, "Enabled"));
    c.price_class = dc_text_dup(dc_child(config, "PriceClass"), &failed);
    c.ipv6_enabled = dc_text_bool(dc_child(config, "IsIPV6Enabled"));
    c.http_version = dc_text_dup(dc_child(config, "HttpVersion"), &failed);
    c.manifest_ttl_seconds = dc_text_long(dc_child(dc_manifest_behaviour(config), "DefaultTTL"));
    c.segment_ttl_seconds = dc_text_long(dc_path(config, seg_ttl));
    c.error_caching_min_ttl = dc_error_ttl(config);
    if (dc_text_bool(dc_path(config, log_on))) {
        c.logging_bucket = dc_text_dup(dc_path(config, log_bucket), &failed);
        c.logging_prefix = dc_text_dup(dc_path(config, log_prefix), &failed);
    }
    c.web_acl_id = dc_text_dup(dc_child(config, "WebACLId"), &failed);

    /* CallerReference, Origins and DefaultCacheBehavior are required. */
    if (failed || c.caller_reference == NULL || c.origin_id == NULL || c.origin_domain == NULL) {
        distribution_config_clean_up(&c);
        return -1;
    }
    *out = c;
    return 0;
}

static xmlDocPtr dc_parse(const char *xml, size_t len)
{
    if (xml == NULL || len == 0 || len > (size_t)0x7fffffff)
        return NULL;
    return xmlReadMemory(xml, (int)len, NULL, NULL, DC_PARSE_OPTIONS);
}

int distribution_config_parse(const char *xml, size_t len, struct distribution_config *out)
{
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    xmlDocPtr doc = dc_parse(xml, len);
    xmlNodePtr config = doc == NULL ? NULL : dc_config_node(doc);
    int rc = config == NULL ? -1 : dc_config_read(config, out);
    xmlFreeDoc(doc);
    return rc;
}

int distribution_info_read(const xmlDoc *doc, struct distribution_info *out)
{
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    xmlNodePtr root = doc == NULL ? NULL : xmlDocGetRootElement(doc);
    if (!dc_is(root, "Distribution"))
        return -1;
    bool failed = false;
    struct distribution_info info = { 0 };
    info.id = dc_text_dup(dc_child(root, "Id"), &failed);
    info.arn = dc_text_dup(dc_child(root, "ARN"), &failed);
    info.status = dc_text_dup(dc_child(root, "Status"), &failed);
    info.domain_name = dc_text_dup(dc_child(root, "DomainName"), &failed);
    info.last_modified_time = dc_text_dup(dc_child(root, "LastModifiedTime"), &failed);
    xmlNodePtr config = dc_child(root, "DistributionConfig");
    int rc = failed || info.id == NULL || config == NULL ? -1
                                                          : dc_config_read(config, &info.config);
    if (rc != 0) {
        distribution_info_clean_up(&info);
        return -1;
    }
    *out = info;
    return 0;
}

int distribution_info_parse(const char *xml, size_t len, struct distribution_info *out)
{
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    xmlDocPtr doc = dc_parse(xml, len);
    int rc = doc == NULL ? -1 : distribution_info_read(doc, out);
    xmlFreeDoc(doc);
    return rc;
}

void distribution_config_clean_up(struct distribution_config *cfg)
{
    if (cfg == NULL)
        return;
    if (cfg->origin_secret != NULL)
        explicit_bzero(cfg->origin_secret, strlen(cfg->origin_secret));
    free(cfg->caller_reference);
    free(cfg->origin_domain);
    free(cfg->origin_path);
    free(cfg->origin_id);
    free(cfg->origin_secret);
    free(cfg->origin_access_control_id);
    free(cfg->comment);
    free(cfg->price_class);
    free(cfg->http_version);
    free(cfg->logging_bucket);
    free(cfg->logging_prefix);
    free(cfg->web_acl_id);
    memset(cfg, 0, sizeof *cfg);
}

void distribution_info_clean_up(struct distribution_info *info)
{
    if (info == NULL)
        return;
    free(info->id);
    free(info->arn);
    free(info->status);
    free(info->domain_name);
    free(info->last_modified_time);
    distribution_config_clean_up(&info->config);
    memset(info, 0, sizeof *info);
}

/* ---- editing ---------------------------------------------------------- */

/* Replaces an element's content with text (escaped on output). */
static int dc_set_text(xmlNodePtr n, const char *text)
{
    if (n == NULL)
        return -1;
    xmlNodeSetContent(n, NULL);
    xmlNodeAddContent(n, BAD_CAST text);
    return 0;
}

static int dc_set_long(xmlNodePtr n, long v)
{
    char text[32];
    snprintf(text, sizeof text, "%ld", v);
    return dc_set_text(n, text);
}

/* DefaultTTL and MaxTTL to ttl, as the builder writes them; MinTTL is
 * lowered if needed, since CloudFront wants MinTTL <= DefaultTTL. */
static int dc_set_behaviour_ttl(xmlNodePtr behaviour, long ttl)
{
    if (behaviour == NULL || dc_set_long(dc_child(behaviour, "DefaultTTL"), ttl) != 0 ||
        dc_set_long(dc_child(behaviour, "MaxTTL"), ttl) != 0)
        return -1;
    xmlNodePtr min = dc_child(behaviour, "MinTTL");
    if (min != NULL && dc_text_long(min) > ttl)
        return dc_set_long(min, 0);
    return 0;
}

static int dc_set_error_ttl(xmlNodePtr config, long ttl)
{
    static const char *const items_path[] = { "CustomErrorResponses", "Items", NULL };
    xmlNodePtr items = dc_path(config, items_path);
    if (items == NULL)
        return -1;
    for (xmlNodePtr e = items->children; e != NULL; e = e->next) {
        if (!dc_is(e, "CustomErrorResponse"))
            continue;
        long code = dc_text_long(dc_child(e, "ErrorCode"));
        for (size_t i = 0; i < ERROR_CODE_COUNT; i++)
            if (code == ERROR_CODES[i] && dc_set_long(dc_child(e, "ErrorCachingMinTTL"), ttl) != 0)
                return -1;
    }
    return 0;
}

static int dc_set_bool(xmlNodePtr n, bool v)
{
    return dc_set_text(n, v ? "true" : "false");
}

/* Element `name` of config set to text, when text is not NULL. */
static int dc_set_child_text(xmlNodePtr config, const char *name, const char *text)
{
    return text == NULL ? 0 : dc_set_text(dc_child(config, name), text);
}

/* The User-Agent entry of CustomHeaders/Items, or NULL. */
static xmlNodePtr dc_user_agent_header(const xmlNode *items)
{
    for (xmlNodePtr h = items == NULL ? NULL : items->children; h != NULL; h = h->next) {
        if (!dc_is(h, "OriginCustomHeader"))
            continue;
        xmlChar *name = xmlNodeGetContent(dc_child(h, "HeaderName"));
        bool match = name != NULL && strcasecmp((const char *)name, "User-Agent") == 0;
        xmlFree(name);
        if (match)
            return h;
    }
    return NULL;
}

/* Sets, adds or (for "") removes the User-Agent origin header, keeping any
 * other custom header, and recounts Quantity. */
static int dc_set_origin_secret(xmlNodePtr origin, const char *secret)
{
    xmlNodePtr headers = dc_child(origin, "CustomHeaders");
    xmlNodePtr quantity = dc_child(headers, "Quantity");
    if (quantity == NULL)
        return -1;
    xmlNodePtr items = dc_child(headers, "Items");
    xmlNodePtr ua = dc_user_agent_header(items);
    if (ua != NULL && dc_empty(secret)) {
        xmlUnlinkNode(ua);
        xmlFreeNode(ua);
    } else if (ua != NULL) {
        if (dc_set_text(dc_child(ua, "HeaderValue"), secret) != 0)
            return -1;
    } else if (!dc_empty(secret)) {
        struct dc_build b = { 0 };
        if (items == NULL)
            items = dc_el(&b, headers, "Items", NULL);
        xmlNodePtr h = dc_el(&b, items, "OriginCustomHeader", NULL);
        dc_el(&b, h, "HeaderName", "User-Agent");
        dc_el(&b, h, "HeaderValue", secret);
        if (b.failed)
            return -1;
    }
    long count = 0;
    for (xmlNodePtr h = items == NULL ? NULL : items->children; h != NULL; h = h->next)
        count += dc_is(h, "OriginCustomHeader");
    if (count == 0 && items != NULL) {
        /* CloudFront leaves Items out of an empty list. */
        xmlUnlinkNode(items);
        xmlFreeNode(items);
    }
    return dc_set_long(quantity, count);
}

/* The members of shape Origin in the model's order, which CloudFront
 * enforces: an element added by an edit goes to its place. */
static const char *const ORIGIN_MEMBER_ORDER[] = {
    "Id", "DomainName", "OriginPath", "CustomHeaders", "S3OriginConfig", "CustomOriginConfig",
    "VpcOriginConfig", "ConnectionAttempts", "ConnectionTimeout", "ResponseCompletionTimeout",
    "OriginShield", "OriginAccessControlId", NULL,
};

static int dc_origin_member_rank(const xmlNode *n)
{
    for (int i = 0; ORIGIN_MEMBER_ORDER[i] != NULL; i++)
        if (dc_is(n, ORIGIN_MEMBER_ORDER[i]))
            return i;
    return -1;
}

/* Moves `child` (a child of origin, just appended) before the first member
 * the model orders after it; members it does not know are stepped over. */
static void dc_origin_place(xmlNodePtr origin, xmlNodePtr child)
{
    int rank = dc_origin_member_rank(child);
    for (xmlNodePtr c = origin->children; c != NULL; c = c->next) {
        int r = c == child ? -1 : dc_origin_member_rank(c);
        if (r > rank) {
            xmlUnlinkNode(child);
            xmlAddPrevSibling(c, child);
            return;
        }
    }
}

static void dc_remove_child(xmlNodePtr parent, const char *name)
{
    xmlNodePtr n;
    while ((n = dc_child(parent, name)) != NULL) {
        xmlUnlinkNode(n);
        xmlFreeNode(n);
    }
}

/* Turns the origin into an S3 origin signed by OAC `id` (non-empty) or into
 * a custom origin (`id` ""; a new CustomOriginConfig is HTTPS-only on 443
 * until dc_apply_origin writes the endpoint's port and protocol), keeping
 * every other member. */
static int dc_set_origin_kind(xmlNodePtr origin, const char *id)
{
    struct dc_build b = { 0 };
    if (dc_empty(id)) {
        dc_remove_child(origin, "S3OriginConfig");
        dc_remove_child(origin, "OriginAccessControlId");
        if (dc_child(origin, "CustomOriginConfig") == NULL) {
            /* HTTPS on 443; an endpoint's own port and protocol are set by
             * the address edit that comes with the switch. */
            dc_custom_origin_config(&b, origin, 0, false);
            if (!b.failed)
                dc_origin_place(origin, dc_child(origin, "CustomOriginConfig"));
        }
        return b.failed ? -1 : 0;
    }
    dc_remove_child(origin, "CustomOriginConfig");
    xmlNodePtr s3 = dc_child(origin, "S3OriginConfig");
    if (s3 == NULL) {
        dc_s3_origin_config(&b, origin);
        if (!b.failed)
            dc_origin_place(origin, dc_child(origin, "S3OriginConfig"));
    } else {
        /* An OAC and a legacy origin access identity cannot sign together
         * (IllegalOriginAccessConfiguration). */
        xmlNodePtr oai = dc_child(s3, "OriginAccessIdentity");
        if (oai == NULL)
            dc_el(&b, s3, "OriginAccessIdentity", "");
        else if (dc_set_text(oai, "") != 0)
            return -1;
    }
    xmlNodePtr oac = dc_child(origin, "OriginAccessControlId");
    if (oac == NULL && !b.failed) {
        oac = dc_el(&b, origin, "OriginAccessControlId", id);
        if (!b.failed)
            dc_origin_place(origin, oac);
    } else if (oac != NULL && dc_set_text(oac, id) != 0) {
        return -1;
    }
    return b.failed ? -1 : 0;
}

static int dc_apply_origin(xmlNodePtr config, const struct distribution_config_changes *ch)
{
    if (ch->origin_domain == NULL && ch->origin_secret == NULL &&
        ch->origin_access_control_id == NULL)
        return 0;
    static const char *const target[] = { "DefaultCacheBehavior", "TargetOriginId", NULL };
    xmlChar *origin_id = xmlNodeGetContent(dc_path(config, target));
    xmlNodePtr origin = dc_target_origin(config, (const char *)origin_id);
    xmlFree(origin_id);
    if (origin == NULL)
        return -1;
    /* The kind first, so that the address below finds the CustomOriginConfig
     * an S3 origin turned back into an endpoint gets. */
    if (ch->origin_access_control_id != NULL &&
        dc_set_origin_kind(origin, ch->origin_access_control_id) != 0)
        return -1;
    if (ch->origin_domain != NULL) {
        if (dc_empty(ch->origin_domain) ||
            dc_set_text(dc_child(origin, "DomainName"), ch->origin_domain) != 0 ||
            dc_set_text(dc_child(origin, "OriginPath"), dc_or(ch->origin_path, "")) != 0)
            return -1;
        /* A custom origin's port and protocol; an S3 origin has neither. */
        xmlNodePtr c = dc_child(origin, "CustomOriginConfig");
        if (c != NULL &&
            (dc_set_long(dc_child(c, "HTTPPort"),
                         dc_origin_http_port(ch->origin_port, ch->origin_http)) != 0 ||
             dc_set_long(dc_child(c, "HTTPSPort"),
                         dc_origin_https_port(ch->origin_port, ch->origin_http)) != 0 ||
             dc_set_text(dc_child(c, "OriginProtocolPolicy"),
                         ch->origin_http ? "http-only" : "https-only") != 0))
            return -1;
    }
    return ch->origin_secret == NULL ? 0 : dc_set_origin_secret(origin, ch->origin_secret);
}

static int dc_apply_logging(xmlNodePtr config, const struct distribution_config_changes *ch)
{
    if (!ch->logging)
        return 0;
    xmlNodePtr log = dc_child(config, "Logging");
    bool on = !dc_empty(ch->logging_bucket);
    if (dc_set_bool(dc_child(log, "Enabled"), on) != 0 ||
        dc_set_text(dc_child(log, "Bucket"), on ? ch->logging_bucket : "") != 0 ||
        dc_set_text(dc_child(log, "Prefix"), on ? dc_or(ch->logging_prefix, "") : "") != 0)
        return -1;
    return 0;
}

static int dc_apply(xmlNodePtr config, const struct distribution_config_changes *ch)
{
    if (ch->enabled != NULL && dc_set_bool(dc_child(config, "Enabled"), *ch->enabled) != 0)
        return -1;
    if (dc_set_child_text(config, "Comment", ch->comment) != 0 ||
        dc_set_child_text(config, "PriceClass", ch->price_class) != 0 ||
        dc_set_child_text(config, "HttpVersion", ch->http_version) != 0 ||
        dc_set_child_text(config, "WebACLId", ch->web_acl_id) != 0)
        return -1;
    if (ch->ipv6_enabled != NULL &&
        dc_set_bool(dc_child(config, "IsIPV6Enabled"), *ch->ipv6_enabled) != 0)
        return -1;
    if (ch->manifest_ttl_seconds != NULL &&
        (*ch->manifest_ttl_seconds < 0 ||
         dc_set_behaviour_ttl(dc_manifest_behaviour(config), *ch->manifest_ttl_seconds) != 0))
        return -1;
    if (ch->segment_ttl_seconds != NULL &&
        (*ch->segment_ttl_seconds < 0 ||
         dc_set_behaviour_ttl(dc_child(config, "DefaultCacheBehavior"),
                              *ch->segment_ttl_seconds) != 0))
        return -1;
    if (ch->error_caching_min_ttl != NULL &&
        (*ch->error_caching_min_ttl < 0 || dc_set_error_ttl(config, *ch->error_caching_min_ttl) != 0))
        return -1;
    if (dc_apply_origin(config, ch) != 0 || dc_apply_logging(config, ch) != 0)
        return -1;
    return 0;
}

/* A new document holding only the DistributionConfig of doc (itself the
 * root, or the child of a Distribution root). The copy takes the namespace
 * declaration it inherited with it. NULL when there is none or out of
 * memory. */
static xmlDocPtr dc_config_doc_copy(const xmlDoc *doc)
{
    xmlNodePtr config = doc == NULL ? NULL : dc_config_node((xmlDocPtr)doc);
    if (config == NULL)
        return NULL;
    xmlDocPtr only = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = only == NULL ? NULL : xmlDocCopyNode(config, only, 1);
    if (copy == NULL) {
        xmlFreeDoc(only);
        return NULL;
    }
    xmlDocSetRootElement(only, copy);
    return only;
}

char *distribution_config_doc_modify(const xmlDoc *doc,
                                     const struct distribution_config_changes *changes,
                                     size_t *out_len)
{
    static const struct distribution_config_changes none = { 0 };
    xmlDocPtr copy = dc_config_doc_copy(doc);
    if (copy == NULL)
        return NULL;
    if (dc_apply(xmlDocGetRootElement(copy), changes == NULL ? &none : changes) != 0) {
        xmlFreeDoc(copy);
        return NULL;
    }
    return dc_doc_take_text(copy, out_len);
}

char *distribution_config_xml_modify(const char *xml, size_t len,
                                     const struct distribution_config_changes *changes,
                                     size_t *out_len)
{
    xmlDocPtr doc = dc_parse(xml, len);
    char *text = doc == NULL ? NULL : distribution_config_doc_modify(doc, changes, out_len);
    xmlFreeDoc(doc);
    return text;
}

/* ---- origin endpoints ------------------------------------------------- */

void distribution_origin_clean_up(struct distribution_origin *o)
{
    if (o == NULL)
        return;
    free(o->domain);
    free(o->path);
    memset(o, 0, sizeof *o);
}

int distribution_origin_split(const char *endpoint, struct distribution_origin *out)
{
    if (out == NULL)
        return -1;
    memset(out, 0, sizeof *out);
    if (endpoint == NULL)
        return -1;
    const char *host = endpoint;
    if (strncmp(endpoint, "https://", 8) == 0) {
        host = endpoint + 8;
    } else if (strncmp(endpoint, "http://", 7) == 0) {
        host = endpoint + 7;
        out->http = true;
    } else if (strstr(endpoint, "://") != NULL) {
        return -1;
    }
    size_t host_len = strcspn(host, ":/");
    const char *rest = host + host_len;
    long port = out->http ? 80 : 443;
    if (*rest == ':') {
        char *end = NULL;
        if (rest[1] < '0' || rest[1] > '9')
            return -1;
        port = strtol(rest + 1, &end, 10);
        if (port < 1 || port > 65535 || (*end != '\0' && *end != '/'))
            return -1;
        rest = end;
    }
    size_t path_len = strlen(rest);
    while (path_len > 0 && rest[path_len - 1] == '/')
        path_len--;
    if (host_len == 0)
        return -1;
    out->port = port;
    out->domain = strndup(host, host_len);
    out->path = strndup(rest, path_len);
    if (out->domain == NULL || out->path == NULL) {
        distribution_origin_clean_up(out);
        return -1;
    }
    return 0;
}

char *distribution_origin_url_new(const char *domain, const char *path, long port, bool http)
{
    if (dc_empty(domain))
        return NULL;
    long dflt = http ? 80 : 443;
    char port_text[24] = "";
    if (port > 0 && port != dflt)
        snprintf(port_text, sizeof port_text, ":%ld", port);
    path = dc_or(path, "");
    size_t len = strlen("https://") + strlen(domain) + strlen(port_text) + strlen(path) + 1;
    char *url = malloc(len);
    if (url != NULL)
        snprintf(url, len, "%s://%s%s%s", http ? "http" : "https", domain, port_text, path);
    return url;
}

bool distribution_origin_same(const struct distribution_origin *a,
                              const struct distribution_origin *b)
{
    return a != NULL && b != NULL && a->domain != NULL && b->domain != NULL &&
           strcasecmp(a->domain, b->domain) == 0 && a->http == b->http && a->port == b->port &&
           strcmp(dc_or(a->path, ""), dc_or(b->path, "")) == 0;
}
