/*
 * distribution_config.h - the CloudFront DistributionConfig document of
 * lsms_distribution (REST-XML, namespace
 * http://cloudfront.amazonaws.com/doc/2020-05-31/): build it from a plain
 * struct, read it back for drift detection, and edit a few fields of an
 * existing document for UpdateDistribution, which takes the full config and
 * merges nothing.
 *
 * Pure functions over libxml2: no I/O, no AWS client.
 *
 * The distribution is shaped after the seed: one origin, either a custom
 * origin (the MediaStore container, HTTPS only, TLSv1.2, with the origin
 * secret sent as the User-Agent header the container policy checks; a custom
 * endpoint's port, path and plain http go to HTTPSPort/HTTPPort, OriginPath
 * and the protocol policy) or an S3
 * origin (the bucket's regional domain, an empty S3OriginConfig and an
 * Origin Access Control that signs CloudFront's requests), a `*.m3u8` cache
 * behaviour for manifests and a default behaviour for segments (legacy
 * ForwardedValues/TTL form, forwarding Origin and the two CORS request
 * headers), viewer HTTPS redirect, GET/HEAD/OPTIONS allowed and GET/HEAD
 * cached, and error responses 400..504 cached for error_caching_min_ttl.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_CONFIG_H
#define LSMS_RESOURCES_DISTRIBUTION_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#define DISTRIBUTION_CONFIG_XMLNS "http://cloudfront.amazonaws.com/doc/2020-05-31/"

/* The path pattern of the manifest cache behaviour. */
#define DISTRIBUTION_CONFIG_MANIFEST_PATTERN "*.m3u8"

/*
 * The settings lsms_distribution manages. distribution_config_xml_new only
 * reads it, so a caller may point the strings at text it owns elsewhere.
 * distribution_config_parse fills it with malloc'd copies that belong to the
 * struct and are released by distribution_config_clean_up (which also wipes
 * origin_secret). A zeroed struct is valid to clean up.
 */
struct distribution_config {
    char *caller_reference;       /* required; never changes after create */
    char *origin_domain;          /* required: container endpoint host or bucket domain */
    char *origin_path;            /* OriginPath: NULL or "" for none, else "/a/b" */
    /* A custom origin's CustomOriginConfig (ignored when writing an S3
     * origin; parsed: http false and port -1 when the origin has none). */
    long origin_port;             /* port CloudFront connects to; <= 0: the scheme's default */
    bool origin_http;             /* http-only (plain-http endpoint of an emulator), else https-only */
    char *origin_id;              /* required: also the behaviours' target */
    char *origin_secret;          /* User-Agent origin header; NULL or "" for none */
    /* Non-empty: the origin is an S3 origin signed by this Origin Access
     * Control (S3OriginConfig with an empty OriginAccessIdentity, no
     * CustomOriginConfig). NULL or "": a custom origin. Parsed: the target
     * origin's OriginAccessControlId, NULL when it has none. */
    char *origin_access_control_id;
    /* Parsed only: the target origin has an S3OriginConfig whose
     * OriginAccessIdentity is empty (an S3 origin that an OAC, not a legacy
     * OAI, may sign). */
    bool s3_origin;
    char *comment;                /* NULL is sent as "" */
    bool enabled;
    char *price_class;            /* NULL: PriceClass_All */
    bool ipv6_enabled;
    char *http_version;           /* NULL: http2and3 */
    long manifest_ttl_seconds;    /* *.m3u8 DefaultTTL/MaxTTL; -1 when parsed and absent */
    long segment_ttl_seconds;     /* default behaviour DefaultTTL/MaxTTL; -1 likewise */
    long error_caching_min_ttl;   /* for every error code; -1 when parsed and not uniform */
    char *logging_bucket;         /* NULL or "": logging disabled */
    char *logging_prefix;
    char *web_acl_id;             /* NULL is sent as "" */
};

/* What GetDistribution / CreateDistribution return around the config. All
 * strings are malloc'd and owned by the struct. */
struct distribution_info {
    char *id;
    char *arn;
    char *status;                 /* "InProgress" | "Deployed" */
    char *domain_name;            /* "d111111abcdef8.cloudfront.net" */
    char *last_modified_time;     /* as sent, ISO 8601 */
    struct distribution_config config;
};

/* Fields distribution_config_xml_modify may change. A NULL member keeps the
 * document's value; the pointees are only read. */
struct distribution_config_changes {
    const bool *enabled;
    const char *comment;
    const long *manifest_ttl_seconds;
    const long *segment_ttl_seconds;
    const long *error_caching_min_ttl;
    const char *origin_domain;    /* of the origin the default behaviour targets */
    /* With origin_domain, the rest of the origin's address (as in struct
     * distribution_config): OriginPath (NULL or "" for none, which is what
     * an S3 origin gets), and the port and the protocol, which go to the
     * origin's CustomOriginConfig when it has (or gets) one. */
    const char *origin_path;
    long origin_port;
    bool origin_http;
    const char *origin_secret;    /* "" removes the User-Agent origin header */
    /* Non-empty: make that origin an S3 origin signed by this OAC (its
     * CustomOriginConfig gives way to an empty S3OriginConfig); "": make it a
     * custom origin again (as distribution_config_xml_new writes it: HTTPS on
     * 443, or the port and protocol of origin_domain's address when that is
     * given too), without S3OriginConfig or OriginAccessControlId. A switch
     * comes with origin_domain and origin_path, so that OriginPath follows
     * the kind (the endpoint's path, or none for a bucket). */
    const char *origin_access_control_id;
    const char *price_class;
    const bool *ipv6_enabled;
    const char *http_version;
    const char *web_acl_id;       /* "" for none */
    bool logging;                 /* set logging from the two members below */
    const char *logging_bucket;   /* NULL or "": logging disabled */
    const char *logging_prefix;
};

/*
 * An origin_endpoint value as CloudFront's Origin holds it: a container
 * endpoint "https://host", a bare "host", or a custom endpoint with a port
 * and a path ("http://127.0.0.1:4566/_mediastore/live", as an emulator's)
 * becomes DomainName = host, OriginPath = path, the port in HTTPSPort (or
 * HTTPPort for http) and the protocol policy. Strings malloc'd, owned by the
 * struct; a zeroed struct is valid to clean up.
 */
struct distribution_origin {
    char *domain; /* host, without port */
    char *path;   /* "" or "/a/b" (trailing slashes dropped) */
    long port;    /* as written, else 443 (https or no scheme) or 80 (http) */
    bool http;    /* the endpoint is plain http */
};

/* Splits endpoint into *out (zeroed first). 0, or -1 when it is not a URL
 * or host of that form (no host, a port that is not 1..65535, a scheme
 * other than http/https) or memory runs out. */
int distribution_origin_split(const char *endpoint, struct distribution_origin *out);

/* The canonical endpoint of an origin: "https://host" (":port" when not the
 * scheme's default, then the path), "http://..." for http. A port <= 0 is
 * the scheme's default; path NULL is none. malloc'd, NULL on failure. This is
 * what lsms_distribution reads back on import, and equals what a user writes
 * for lsms_container.endpoint (real or emulated). */
char *distribution_origin_url_new(const char *domain, const char *path, long port, bool http);

/* Whether two split endpoints name the same origin. */
bool distribution_origin_same(const struct distribution_origin *a,
                              const struct distribution_origin *b);

void distribution_origin_clean_up(struct distribution_origin *o);

/* One resource tag; both strings are only read. */
struct distribution_tag {
    const char *key;
    const char *value;
};

/* The error codes whose responses are cached for error_caching_min_ttl, in
 * document order; *count receives how many. Static data. */
const int *distribution_config_error_codes(size_t *count);

/* Serializes cfg as a DistributionConfig document (the CreateDistribution
 * and UpdateDistribution payload), members in the botocore model's order,
 * which CloudFront enforces. Returns a malloc'd UTF-8 string the caller frees
 * (it contains the origin secret: wipe it when it holds one), with its
 * length in *len when len is not NULL; NULL when a required member is
 * missing, a TTL is negative, or memory runs out. */
char *distribution_config_xml_new(const struct distribution_config *cfg, size_t *len);

/* The CreateDistributionWithTags payload: DistributionConfigWithTags holding
 * cfg (as distribution_config_xml_new writes it) and the n tags (none is
 * fine). Ownership and failures as distribution_config_xml_new. */
char *distribution_config_with_tags_xml_new(const struct distribution_config *cfg,
                                            const struct distribution_tag *tags, size_t n,
                                            size_t *len);

/* The TagResource payload <Tags><Items><Tag>..</Tag></Items></Tags> and the
 * UntagResource payload <TagKeys><Items><Key>..</Key></Items></TagKeys>.
 * malloc'd (length in *len when not NULL); NULL when out of memory. */
char *distribution_tags_xml_new(const struct distribution_tag *tags, size_t n, size_t *len);
char *distribution_tag_keys_xml_new(const char *const *keys, size_t n, size_t *len);

/* Reads a DistributionConfig from xml: the root may be DistributionConfig
 * (GetDistributionConfig) or Distribution (GetDistribution, Create...), in
 * which case its DistributionConfig child is read. On success fills *out
 * (which must be zeroed or cleaned up) and returns 0; on malformed input
 * returns -1 and leaves *out zeroed. */
int distribution_config_parse(const char *xml, size_t len, struct distribution_config *out);

/* Reads a Distribution document (Id, ARN, Status, DomainName,
 * LastModifiedTime and the config). 0 on success, -1 (and *out zeroed) when
 * the document is not a Distribution or lacks its Id. */
int distribution_info_parse(const char *xml, size_t len, struct distribution_info *out);

/* distribution_info_parse of an already parsed document (the answer of
 * aws_rest_xml_call); the document is only read. */
int distribution_info_read(const xmlDoc *doc, struct distribution_info *out);

/* Frees what a parse put into the struct and zeroes it. */
void distribution_config_clean_up(struct distribution_config *cfg);
void distribution_info_clean_up(struct distribution_info *info);

/* Takes an existing config document (root DistributionConfig or
 * Distribution, as above) and returns a DistributionConfig document equal to
 * it except for the fields set in changes. Everything else, CallerReference
 * included, is kept as it was, since UpdateDistribution replaces the whole
 * config. Returns a malloc'd string (length in *out_len when not NULL) the
 * caller frees, or NULL when the input is malformed, a change targets an
 * element the document lacks (a manifest TTL without the *.m3u8 behaviour,
 * an origin change without CustomHeaders),
 * a TTL is negative, or memory runs out. */
char *distribution_config_xml_modify(const char *xml, size_t len,
                                     const struct distribution_config_changes *changes,
                                     size_t *out_len);

/* distribution_config_xml_modify of an already parsed document (the answer
 * of GetDistributionConfig or GetDistribution), which is only read. */
char *distribution_config_doc_modify(const xmlDoc *doc,
                                     const struct distribution_config_changes *changes,
                                     size_t *out_len);

#endif
