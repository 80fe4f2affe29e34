/*
 * fuzz_distribution_xml - the CloudFront document readers of
 * lsms_distribution: distribution_config_parse (GetDistributionConfig),
 * distribution_info_parse (GetDistribution / CreateDistribution answers) and
 * distribution_config_xml_modify (the UpdateDistribution payload built from
 * the document CloudFront returned).
 *
 * Input: the XML text. A config the parser accepts and the writer can write
 * must parse back to the same managed fields.
 */
#include "resources/distribution_config.h"
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
    FUZZ_ASSERT(cfg->enabled == back.enabled);
    FUZZ_ASSERT(cfg->manifest_ttl_seconds == back.manifest_ttl_seconds);
    FUZZ_ASSERT(cfg->segment_ttl_seconds == back.segment_ttl_seconds);
    distribution_config_clean_up(&back);
    free(xml);
}

static void fuzz_modify(const char *xml, size_t len)
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
    char *out = distribution_config_xml_modify(xml, len, &changes, &out_len);
    if (out) {
        struct distribution_config cfg = {0};
        if (distribution_config_parse(out, out_len, &cfg) == 0)
            FUZZ_ASSERT(!cfg.enabled);
        distribution_config_clean_up(&cfg);
        free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *xml = (const char *)data;
    struct distribution_config cfg = {0};
    if (distribution_config_parse(xml, size, &cfg) == 0)
        fuzz_config_round_trip(&cfg);
    distribution_config_clean_up(&cfg);

    struct distribution_info info = {0};
    if (distribution_info_parse(xml, size, &info) == 0)
        FUZZ_ASSERT(info.id != NULL);
    distribution_info_clean_up(&info);

    fuzz_modify(xml, size);
    return 0;
}
