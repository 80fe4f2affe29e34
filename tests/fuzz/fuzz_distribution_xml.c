/*
 * fuzz_distribution_xml - the CloudFront document readers of
 * lsms_distribution: distribution_config_parse (a DistributionConfig or
 * Distribution document as text), distribution_info_read (GetDistribution /
 * CreateDistribution answers) and distribution_config_doc_modify (the
 * UpdateDistribution payload built from the document CloudFront returned).
 *
 * Input: the XML text. A config the parser accepts and the writer can write
 * must parse back to the same managed fields; an edited document must parse
 * with the edit applied. The same bytes, as an origin_endpoint value, must
 * split (distribution_origin_split) into members whose canonical URL splits
 * back to the same origin.
 *
 * The provider parses each CloudFront answer once (aws_xml_parse in
 * aws_rest_xml_call) and hands the document to distribution_info_read and
 * distribution_config_doc_modify, so the target does the same: one parse
 * for both instead of the text wrappers' one parse each (libxml2's parse of
 * a ~6 KB document is most of the cost of an execution).
 */
#include <libxml/parser.h>

#include "aws/xml.h"
#include "resources/distribution/distribution_config.h"
#include "fuzz_common.h"

static int fuzz_str_eq(const char *a, const char *b)
{
    return (a ? a : "")[0] == (b ? b : "")[0] && strcmp(a ? a : "", b ? b : "") == 0;
}

static void fuzz_config_round_trip(const struct distribution_config *cfg)
{
    size_t len = 0;
    char *xml = distribution_config_xml_new(cfg, &len);
    if (!xml)
        return; /* a required member missing or a TTL absent (-1) */
    struct distribution_config back = {0};
    int rc = distribution_config_parse(xml, len, &back);
    if (rc != 0)
        fprintf(stderr, "written config refused:\n%s\n", xml);
    FUZZ_ASSERT(rc == 0);
    FUZZ_ASSERT(fuzz_str_eq(cfg->caller_reference, back.caller_reference));
    FUZZ_ASSERT(fuzz_str_eq(cfg->origin_domain, back.origin_domain));
    FUZZ_ASSERT(fuzz_str_eq(cfg->origin_id, back.origin_id));
    FUZZ_ASSERT(fuzz_str_eq(cfg->origin_secret, back.origin_secret));
    FUZZ_ASSERT(fuzz_str_eq(cfg->origin_access_control_id, back.origin_access_control_id));
    /* An OAC makes the written origin an S3 origin. */
    FUZZ_ASSERT(back.s3_origin == (cfg->origin_access_control_id != NULL));
    FUZZ_ASSERT(fuzz_str_eq(cfg->origin_path, back.origin_path));
    if (cfg->origin_access_control_id == NULL) {
        FUZZ_ASSERT(cfg->origin_http == back.origin_http);
        FUZZ_ASSERT(cfg->origin_port <= 0 || cfg->origin_port == back.origin_port);
    } else {
        /* An S3 origin has no CustomOriginConfig: no port, no protocol. */
        FUZZ_ASSERT(!back.origin_http && back.origin_port <= 0);
    }
    FUZZ_ASSERT(cfg->enabled == back.enabled);
    FUZZ_ASSERT(cfg->manifest_ttl_seconds == back.manifest_ttl_seconds);
    FUZZ_ASSERT(cfg->segment_ttl_seconds == back.segment_ttl_seconds);
    distribution_config_clean_up(&back);
    free(xml);
}

/* Switching the target origin to an S3 origin and back (an in-place
 * migration), with the whole address as the provider sends it: whatever
 * else the document holds, the edit reads back, the bucket origin without
 * OriginPath and port, the endpoint with its path, port and protocol. */
static void fuzz_switch_kind(const xmlDoc *doc)
{
    struct distribution_config_changes to_s3 = {
        .origin_domain = "fuzz.s3.us-east-1.amazonaws.com",
        .origin_path = "",
        .origin_access_control_id = "E2FUZZOAC",
    };
    size_t len = 0;
    char *s3 = distribution_config_doc_modify(doc, &to_s3, &len);
    if (!s3)
        return;
    struct distribution_config cfg = {0};
    if (distribution_config_parse(s3, len, &cfg) == 0) {
        FUZZ_ASSERT(fuzz_str_eq(cfg.origin_access_control_id, "E2FUZZOAC"));
        FUZZ_ASSERT(cfg.s3_origin);
        FUZZ_ASSERT(fuzz_str_eq(cfg.origin_domain, to_s3.origin_domain));
        FUZZ_ASSERT(fuzz_str_eq(cfg.origin_path, ""));
        FUZZ_ASSERT(!cfg.origin_http && cfg.origin_port <= 0);
    }
    distribution_config_clean_up(&cfg);
    struct distribution_config_changes back = {
        .origin_domain = "127.0.0.1",
        .origin_path = "/_mediastore/fuzz",
        .origin_port = 4566,
        .origin_http = true,
        .origin_access_control_id = "",
    };
    char *custom = distribution_config_xml_modify(s3, len, &back, &len);
    if (custom && distribution_config_parse(custom, len, &cfg) == 0) {
        FUZZ_ASSERT(cfg.origin_access_control_id == NULL);
        FUZZ_ASSERT(!cfg.s3_origin);
        FUZZ_ASSERT(fuzz_str_eq(cfg.origin_path, back.origin_path));
        FUZZ_ASSERT(cfg.origin_http && cfg.origin_port == back.origin_port);
    }
    distribution_config_clean_up(&cfg);
    free(custom);
    free(s3);
}

static void fuzz_modify(const xmlDoc *doc)
{
    bool enabled = false;
    long ttl = 7;
    struct distribution_config_changes changes = {
        .enabled = &enabled,
        .comment = "fuzz",
        .manifest_ttl_seconds = &ttl,
        .origin_secret = "",
        .logging = true,
        .logging_bucket = "logs.s3.amazonaws.com",
        .logging_prefix = "p/",
    };
    size_t out_len = 0;
    char *out = distribution_config_doc_modify(doc, &changes, &out_len);
    if (out) {
        struct distribution_config cfg = {0};
        if (distribution_config_parse(out, out_len, &cfg) == 0)
            FUZZ_ASSERT(!cfg.enabled);
        distribution_config_clean_up(&cfg);
        free(out);
    }
}

/* An endpoint that splits names the same origin as its canonical URL. */
static void fuzz_origin_endpoint(const uint8_t *data, size_t size)
{
    char *text = strndup((const char *)data, size);
    struct distribution_origin o = {0}, again = {0};
    if (text && distribution_origin_split(text, &o) == 0) {
        char *url = distribution_origin_url_new(o.domain, o.path, o.port, o.http);
        FUZZ_ASSERT(url != NULL);
        FUZZ_ASSERT(distribution_origin_split(url, &again) == 0);
        FUZZ_ASSERT(distribution_origin_same(&o, &again));
        free(url);
    }
    distribution_origin_clean_up(&o);
    distribution_origin_clean_up(&again);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_origin_endpoint(data, size);
    const char *xml = (const char *)data;
    xmlDoc *doc = aws_xml_parse(xml, size);
    if (doc) {
        /* distribution_config_parse reads with the same libxml2 options as
         * aws_xml_parse, so it only gets the text when that is XML: most
         * mutants are not (~96%), and parsing them twice halved the rate. */
        struct distribution_config cfg = {0};
        if (distribution_config_parse(xml, size, &cfg) == 0)
            fuzz_config_round_trip(&cfg);
        distribution_config_clean_up(&cfg);

        struct distribution_info info = {0};
        if (distribution_info_read(doc, &info) == 0)
            FUZZ_ASSERT(info.id != NULL);
        distribution_info_clean_up(&info);
        fuzz_modify(doc);
        fuzz_switch_kind(doc);
        xmlFreeDoc(doc);
    }

    /* libxml2 keeps the last parse error in a per-thread copy whose strings
     * an input can grow; freeing it here keeps every execution's mallocs and
     * frees balanced, else libFuzzer reruns the input to look for a leak. */
    xmlResetLastError();
    return 0;
}
