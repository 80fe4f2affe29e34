/*
 * distribution.c - lsms_distribution: the Amazon CloudFront distribution in
 * front of the origin, a MediaStore container (origin_endpoint) or an S3
 * bucket (origin_bucket).
 *
 * The file has two parts: the schema table (the public interface of design
 * §3), then the operations (plan, create/read/update/delete/import). The
 * DistributionConfig document itself is built and edited in
 * distribution_config.c; the S3 origin's Origin Access Control and bucket
 * policy statement are distribution_s3.c's.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>


#include "aws/message.h"
#include "aws/protocol_rest_xml.h"
#include "aws/waiter.h"
#include "aws/xml.h"
#include "framework/resource.h"
#include "framework/schema.h"
#include "resources/common.h"
#include "resources/distribution/distribution.h"
#include "resources/distribution/distribution_config.h"
#include "resources/distribution/distribution_grant.h"
#include "resources/distribution/distribution_s3.h"
#include "resources/provider.h"
#include "util/buf.h"
#include "util/random.h"

/* ======================= schema ======================= */

static const char *const distribution_price_classes[] = {"PriceClass_All", "PriceClass_200",
                                                         "PriceClass_100", NULL};
static const char *const distribution_http_versions[] = {"http1.1", "http2", "http3",
                                                         "http2and3", NULL};

/* Where the host starts in an origin_endpoint value: after "https://" (or
 * "http://", which local emulators' container endpoints use), else at the
 * start of a bare host name. */
static const char *distribution_origin_host_start(const char *s)
{
    if (strncmp(s, "https://", 8) == 0)
        return s + 8;
    if (strncmp(s, "http://", 7) == 0)
        return s + 7;
    return s;
}

/* The origin is the container endpoint: a URL or a bare host name. A URL
 * may carry a port and a path (a custom endpoint, an emulator's): CloudFront
 * connects to that port and prefixes that path (OriginPath). */
static void distribution_origin_check(const struct cty_value *v, const struct attr_path *path,
                                      struct diags *d)
{
    const char *s = cty_value_string(v);
    if (!s)
        return;
    const char *host = distribution_origin_host_start(s);
    size_t len = strcspn(host, ":/");
    struct distribution_origin o;
    /* A bare host name carries no path. */
    bool ok = distribution_origin_split(s, &o) == 0 && len <= 253 &&
              (host != s || *o.path == '\0') && strlen(o.path) <= 255;
    for (size_t i = 0; ok && i < len; i++)
        ok = isalnum((unsigned char)host[i]) || host[i] == '-' || host[i] == '.';
    /* The ports CloudFront connects to (CustomOriginConfig HTTPPort/HTTPSPort). */
    bool port_ok = !ok || o.port == 80 || o.port == 443 || (o.port >= 1024 && o.port <= 65535);
    distribution_origin_clean_up(&o);
    if (!ok)
        diags_add(d, DIAG_ERROR, path, "Invalid value for \"origin_endpoint\"",
                  "The value \"%s\" is neither an https URL nor a host name; expected the "
                  "container endpoint, such as https://abc123.data.mediastore.us-east-1."
                  "amazonaws.com.",
                  s);
    else if (!port_ok)
        diags_add(d, DIAG_ERROR, path, "Invalid value for \"origin_endpoint\"",
                  "The port of \"%s\" is one CloudFront cannot connect to: use 80, 443 or "
                  "1024 to 65535.",
                  s);
}

#define TTL_VALIDATORS                                                                         \
    ((const struct schema_validator[]){{.kind = VALIDATE_INT_RANGE, .min = 0, .max = 31536000}, \
                                       {0}})

static const struct schema_attribute distribution_attrs[] = {
    {.name = "origin_endpoint", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "The container endpoint (`lsms_container.endpoint`): an https URL or a host "
                    "name (http URLs are accepted for local emulators). CloudFront reaches it "
                    "over HTTPS only, or over HTTP for an http URL, on the URL's port and under "
                    "its path when it has them (an emulator's endpoint); import reads it back "
                    "in that URL form. Exactly one of `origin_endpoint` and `origin_bucket`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_FUNC, .func = distribution_origin_check}, {0}}},
    {.name = "origin_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "The S3 bucket to serve (`lsms_bucket.<name>.name`), instead of a "
                    "container. CloudFront reaches it on its regional domain name through an "
                    "Origin Access Control (SigV4, every request signed) created with the "
                    "distribution, and the bucket policy gets one statement letting only this "
                    "distribution read objects (see `grant_bucket_read`). Exactly one of "
                    "`origin_endpoint` and `origin_bucket`; changing between them, or to "
                    "another bucket, is an in-place update that keeps the distribution and "
                    "its domain name.",
     .validators = lsms_bucket_name_validators},
    {.name = "grant_bucket_read", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "With `origin_bucket`: keep, in the bucket policy, the statement that lets "
                    "this distribution (Principal `cloudfront.amazonaws.com`, condition "
                    "`AWS:SourceArn` = its ARN) `s3:GetObject` the bucket's objects; other "
                    "statements are left alone. Refresh sets it to false when the statement "
                    "is missing or was changed, so the plan shows it being put back. `false` "
                    "leaves the bucket policy to you (and removes the statement this "
                    "resource added). Ignored with `origin_endpoint`."},
    {.name = "origin_secret", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_SENSITIVE,
     .description = "Sent to the origin as the User-Agent header (`lsms_container."
                    "origin_secret`), so the container serves only this distribution. Not "
                    "allowed with `origin_bucket`, whose access control is the signed "
                    "request and the bucket policy."},
    {.name = "stream_path", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"stream/index\"",
     .description = "Path of the HLS output in the container, without extension.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_REGEX, .regex = "^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$",
          .message = "a relative path such as stream/index"},
         {0}}},
    {.name = "comment", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Comment shown in the CloudFront console (up to 128 characters).",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_LENGTH, .min = 0, .max = 128}, {0}}},
    {.name = "enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true", .description = "Whether the distribution serves requests."},
    {.name = "price_class", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"PriceClass_All\"",
     .description = "Edge locations used: `PriceClass_All`, `PriceClass_200` or "
                    "`PriceClass_100`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = distribution_price_classes}, {0}}},
    {.name = "ipv6_enabled", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true", .description = "Serve viewers over IPv6 too."},
    {.name = "http_version", .type = "string", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "\"http2and3\"",
     .description = "Highest HTTP version for viewers: `http1.1`, `http2`, `http3` or "
                    "`http2and3`.",
     .validators = (const struct schema_validator[]){
         {.kind = VALIDATE_ONE_OF, .one_of = distribution_http_versions}, {0}}},
    {.name = "manifest_ttl_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "2",
     .description = "Cache time of `*.m3u8` manifests in seconds (live manifests change every "
                    "segment).",
     .validators = TTL_VALIDATORS},
    {.name = "segment_ttl_seconds", .type = "number", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "86400", .description = "Cache time of media segments in seconds.",
     .validators = TTL_VALIDATORS},
    {.name = "error_caching_min_ttl", .type = "number",
     .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED, .default_json = "1",
     .description = "Cache time of error responses (400, 403, 404, 405, 414, 416, 500, 501, "
                    "502, 503, 504) in seconds, as in the seed.",
     .validators = TTL_VALIDATORS},
    {.name = "logging_bucket", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "S3 bucket domain for standard access logs (for example "
                    "`logs.s3.amazonaws.com`); unset disables them."},
    {.name = "logging_prefix", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "Key prefix of the access logs in `logging_bucket`."},
    {.name = "web_acl_id", .type = "string", .flags = SCHEMA_OPTIONAL,
     .description = "AWS WAF web ACL (ARN for WAFv2) to associate."},
    {.name = "wait_for_deployment", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "true",
     .description = "Wait until the distribution is `Deployed` on create and update."},
    {.name = "retain_on_delete", .type = "bool", .flags = SCHEMA_OPTIONAL | SCHEMA_COMPUTED,
     .default_json = "false",
     .description = "On destroy, disable the distribution but keep it instead of deleting it."},
    LSMS_TAGS_ATTRS,
    {.name = "id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Distribution ID."},
    {.name = "arn", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "ARN of the distribution."},
    {.name = "domain_name", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "CloudFront domain name, such as `d111111abcdef8.cloudfront.net`."},
    {.name = "hosted_zone_id", .type = "string", .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "Route 53 zone ID for alias records to the distribution."},
    {.name = "status", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "`InProgress` or `Deployed`; `Deleted` when a delete failed after removing "
                    "the distribution and before its origin access control, which the next "
                    "apply replaces (or destroy finishes)."},
    {.name = "etag", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Current ETag of the distribution config."},
    {.name = "live_stream_url", .type = "string", .flags = SCHEMA_COMPUTED,
     .description = "Playback URL: `https://<domain_name>/<stream_path>.m3u8`."},
    {.name = "origin_access_control_id", .type = "string",
     .flags = SCHEMA_COMPUTED | SCHEMA_USE_STATE,
     .description = "With `origin_bucket`: the ID of the Origin Access Control that signs "
                    "CloudFront's requests to the bucket; null with `origin_endpoint`."},
    {0}};

static const struct schema_attribute distribution_timeout_attrs[] = {
    LSMS_TIMEOUT_ATTR("create", "30m"),
    LSMS_TIMEOUT_ATTR("update", "30m"),
    LSMS_TIMEOUT_ATTR("delete", "45m"),
    {0}};

static const struct schema_block distribution_timeouts_block = {
    .attributes = distribution_timeout_attrs,
    .description = "Time limits of the slow operations."};

static const struct schema_block_type distribution_block_types[] = {
    {.name = "timeouts", .nesting = SCHEMA_NESTING_SINGLE, .block = &distribution_timeouts_block},
    {0}};

static const struct schema distribution_schema = {
    .version = 0,
    .block = {.attributes = distribution_attrs,
              .block_types = distribution_block_types,
              .description = "An Amazon CloudFront distribution delivering the live stream from "
                             "the container or the S3 bucket."},
};

/* ======================= operations ======================= */

#define DISTRIBUTION_TAGGING_PATH "/2020-05-31/tagging"
/* Route 53 zone of every CloudFront alias target (fixed by AWS). */
#define DISTRIBUTION_HOSTED_ZONE_ID "Z2FDTNDATAQYW2"
/* The one origin's Id, also the behaviours' TargetOriginId. */
#define DISTRIBUTION_ORIGIN_ID "lsms-container"
#define DISTRIBUTION_DEFAULT_STREAM_PATH "stream/index"
#define DISTRIBUTION_CREATE_TIMEOUT_MS (30ull * 60 * 1000)
#define DISTRIBUTION_UPDATE_TIMEOUT_MS (30ull * 60 * 1000)
#define DISTRIBUTION_DELETE_TIMEOUT_MS (45ull * 60 * 1000)

/* ---- CloudFront calls ---- */

/* What a call that returns a Distribution gives back. */
struct distribution_snapshot {
    struct distribution_info info;
    char *etag; /* owned; the ETag header */
};

static void distribution_snapshot_clean_up(struct distribution_snapshot *snap)
{
    distribution_info_clean_up(&snap->info);
    free(snap->etag);
    memset(snap, 0, sizeof(*snap));
}

/* One request on /2020-05-31/distribution[/<id>]<path_suffix>. */
static int distribution_call(struct aws_client *c, const char *operation, const char *method,
                             const char *id, const char *path_suffix, const char *query,
                             const char *if_match, const struct buf *body,
                             struct aws_rest_xml_output *out, struct aws_error *err)
{
    return distribution_cloudfront_call(c, operation, method, "distribution", id, path_suffix,
                                        query, if_match, body ? body->data : NULL,
                                        body ? body->len : 0, out, err);
}

/* Reads the Distribution document and ETag of a successful answer. */
static int distribution_snapshot_take(struct aws_rest_xml_output *out,
                                      struct distribution_snapshot *snap, struct aws_error *err)
{
    const char *etag = aws_headers_get(&out->headers, "ETag");
    if (distribution_info_read(out->doc, &snap->info) != 0 || !etag || !snap->info.arn ||
        !snap->info.domain_name || !snap->info.status)
        return aws_error_set(err, AWS_ERR_BAD_RESPONSE,
                             "the answer holds no complete Distribution with an ETag", out->status,
                             aws_headers_get(&out->headers, "x-amz-request-id"));
    snap->etag = strdup(etag);
    if (!snap->etag)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    return 0;
}

/* GetDistribution into *snap (cleaned up first). With `answer`, the answer
 * itself is kept there for the caller (who cleans it up), else dropped. */
static int distribution_get(struct aws_client *c, const char *id,
                            struct distribution_snapshot *snap,
                            struct aws_rest_xml_output *answer, struct aws_error *err)
{
    struct aws_rest_xml_output out = {0};
    distribution_snapshot_clean_up(snap);
    int rc = distribution_call(c, "GetDistribution", "GET", id, "", NULL, NULL, NULL, &out, err);
    if (rc == 0)
        rc = distribution_snapshot_take(&out, snap, err);
    if (answer)
        *answer = out;
    else
        aws_rest_xml_output_clean_up(&out);
    return rc;
}

/* UpdateDistribution with If-Match `etag` of `current` (a
 * GetDistributionConfig or GetDistribution answer, whose config is sent back
 * with the given changes applied: everything else, changed outside Terraform
 * or not managed here, as it is, since UpdateDistribution merges nothing).
 * *snap receives the answer. */
static int distribution_config_put(struct aws_client *c, const char *id,
                                   const struct aws_rest_xml_output *current,
                                   const struct distribution_config_changes *changes,
                                   struct distribution_snapshot *snap, struct aws_error *err)
{
    const char *etag = aws_headers_get(&current->headers, "ETag");
    size_t len = 0;
    struct buf body = {0};
    body.data = distribution_config_doc_modify(current->doc, changes, &len);
    body.len = len;
    body.cap = body.data ? len + 1 : 0;
    int rc = 0;
    if (!body.data || !etag)
        rc = aws_error_set(err, AWS_ERR_BAD_RESPONSE,
                           "the distribution config could not be edited (unexpected answer "
                           "to reading it)",
                           current->status, NULL);
    struct aws_rest_xml_output put = {0};
    if (rc == 0)
        rc = distribution_call(c, "UpdateDistribution", "PUT", id, "/config", NULL, etag, &body,
                               &put, err);
    if (rc == 0) {
        distribution_snapshot_clean_up(snap);
        rc = distribution_snapshot_take(&put, snap, err);
    }
    buf_clean_up_secret(&body); /* holds the origin secret */
    aws_rest_xml_output_clean_up(&put);
    return rc;
}

/* Edits the current config: GetDistributionConfig for the document and its
 * ETag, then distribution_config_put. A PreconditionFailed means someone
 * changed the distribution between our read and our write: read again and
 * retry once. *snap receives the answer. */
static int distribution_config_edit(struct aws_client *c, const char *id,
                                    const struct distribution_config_changes *changes,
                                    struct distribution_snapshot *snap, struct aws_error *err)
{
    int rc = -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        struct aws_rest_xml_output got = {0};
        rc = distribution_call(c, "GetDistributionConfig", "GET", id, "/config", NULL, NULL,
                               NULL, &got, err);
        if (rc == 0)
            rc = distribution_config_put(c, id, &got, changes, snap, err);
        aws_rest_xml_output_clean_up(&got);
        if (rc == 0 || !aws_error_is(err, "PreconditionFailed"))
            break;
    }
    return rc;
}

/* ---- waiting for Deployed ---- */

struct distribution_wait {
    struct aws_client *client;
    const char *id;
    struct distribution_snapshot *snap; /* the last answer */
};

static enum aws_wait_result distribution_deployed_poll(void *ctx, struct aws_error *err)
{
    struct distribution_wait *w = ctx;
    if (distribution_get(w->client, w->id, w->snap, NULL, err) != 0)
        return AWS_WAIT_FAILED;
    return strcmp(w->snap->info.status ? w->snap->info.status : "", "Deployed") == 0
               ? AWS_WAIT_DONE
               : AWS_WAIT_PENDING;
}

/* Polls GetDistribution until Status is Deployed (backoff, timeout_ms,
 * StopProvider); *snap holds the last answer, so its ETag is current. */
static int distribution_wait_deployed(struct aws_client *c, const char *id, uint64_t timeout_ms,
                                      struct distribution_snapshot *snap, struct aws_error *err)
{
    struct distribution_wait w = {.client = c, .id = id, .snap = snap};
    struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                    .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                    .max_delay_ms = 30000,
                                    .timeout_ms = timeout_ms,
                                    .what = "distribution Deployed"};
    return aws_client_wait(c, &cfg, distribution_deployed_poll, &w, err);
}

/* ---- tags ---- */

/* The Resource query parameter for the tagging API: "[Operation=..&]Resource=<arn>". */
static int distribution_tagging_query(struct buf *q, const char *operation, const char *arn)
{
    if (operation && buf_printf(q, "Operation=%s&", operation))
        return -1;
    return buf_append_str(q, "Resource=") || aws_uri_encode(q, arn, strlen(arn), 0);
}

/* One tagging call: POST Tag/Untag with a body, or GET (ListTagsForResource). */
static int distribution_tagging_call(struct aws_client *c, const char *operation,
                                     const char *query_op, const char *arn, char *xml,
                                     size_t len, struct aws_rest_xml_output *out,
                                     struct aws_error *err)
{
    struct buf query = {0};
    int rc = -1;
    if (distribution_tagging_query(&query, query_op, arn)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    } else {
        struct aws_rest_xml_input in = {.method = xml ? "POST" : "GET",
                                        .path = DISTRIBUTION_TAGGING_PATH,
                                        .query = query.data,
                                        .body = xml,
                                        .body_len = len};
        rc = aws_rest_xml_call(c, "cloudfront", operation, &in, out, err);
    }
    buf_clean_up(&query);
    return rc;
}

static struct cty_value *distribution_string_map_new(void)
{
    struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
    struct cty_value *m = t ? cty_collection_new(t) : NULL;
    cty_type_release(t);
    return m;
}

struct cty_value *distribution_tags_list(struct aws_client *c, const char *arn,
                                                struct aws_error *err)
{
    struct aws_rest_xml_output out = {0};
    struct cty_value *map = NULL;
    if (distribution_tagging_call(c, "ListTagsForResource", NULL, arn, NULL, 0, &out, err))
        goto done;
    map = distribution_string_map_new();
    xmlNode *items = out.doc ? aws_xml_find(xmlDocGetRootElement(out.doc), "Tags/Items") : NULL;
    for (xmlNode *t = items ? items->children : NULL; map && t; t = t->next) {
        if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "Tag") != 0)
            continue;
        char *key = aws_xml_find_text(t, "Key");
        char *value = aws_xml_find_text(t, "Value");
        struct cty_value *v = key ? cty_string_new(value ? value : "") : NULL;
        if (!v || cty_map_put(map, key, v) != 0) {
            cty_value_destroy(map);
            map = NULL;
        }
        free(key);
        free(value);
    }
    if (!map)
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
done:
    aws_rest_xml_output_clean_up(&out);
    return map;
}

/* The entries of map `a` that `b` lacks or holds with another value (all of
 * them when b is NULL), as tag structs borrowing a's strings. *n receives the
 * count; NULL with *n = 0 when there are none or memory runs out (*failed). */
static struct distribution_tag *distribution_tags_diff(const struct cty_value *a,
                                                       const struct cty_value *b, size_t *n,
                                                       bool *failed)
{
    size_t len = cty_value_length(a);
    struct distribution_tag *tags = len ? calloc(len, sizeof(*tags)) : NULL;
    *n = 0;
    if (len && !tags) {
        *failed = true;
        return NULL;
    }
    for (size_t i = 0; i < len; i++) {
        const char *key = cty_value_map_key(a, i);
        const struct cty_value *v = cty_value_index(a, i);
        const struct cty_value *old = b ? cty_value_map_get(b, key) : NULL;
        if (old && cty_value_equal(old, v))
            continue;
        tags[*n].key = key;
        tags[(*n)++].value = cty_value_string(v) ? cty_value_string(v) : "";
    }
    return tags;
}

/* The keys of map `old` that map `want` lacks, borrowed from old; *n
 * receives the count. NULL with *n = 0 when none or out of memory (*failed). */
static const char **distribution_tag_keys_removed(const struct cty_value *old,
                                                  const struct cty_value *want, size_t *n,
                                                  bool *failed)
{
    size_t len = cty_value_length(old);
    const char **keys = len ? calloc(len, sizeof(*keys)) : NULL;
    *n = 0;
    if (len && !keys)
        *failed = true;
    for (size_t i = 0; keys && i < len; i++)
        if (!cty_value_map_get(want, cty_value_map_key(old, i)))
            keys[(*n)++] = cty_value_map_key(old, i);
    return keys;
}

/* One TagResource or UntagResource call with a payload built by the caller
 * (NULL when that ran out of memory). Frees xml. */
static int distribution_tagging_send(struct aws_client *c, const char *operation,
                                     const char *query_op, const char *arn, char *xml,
                                     size_t len, struct aws_error *err)
{
    struct aws_rest_xml_output out = {0};
    int rc = xml ? distribution_tagging_call(c, operation, query_op, arn, xml, len, &out, err)
                 : aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    aws_rest_xml_output_clean_up(&out);
    free(xml);
    return rc;
}

/* Brings the distribution's tags from `old` to `want` (map(string) values):
 * UntagResource for keys no longer wanted, TagResource for new or changed
 * values; nothing when they are equal. */
static int distribution_tags_sync(struct aws_client *c, const char *arn,
                                  const struct cty_value *old, const struct cty_value *want,
                                  struct aws_error *err)
{
    bool failed = false;
    size_t n_removed = 0, n_set = 0, len = 0;
    const char **removed = distribution_tag_keys_removed(old, want, &n_removed, &failed);
    struct distribution_tag *set = distribution_tags_diff(want, old, &n_set, &failed);
    int rc = failed ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL) : 0;
    if (rc == 0 && n_removed) {
        char *xml = distribution_tag_keys_xml_new(removed, n_removed, &len);
        rc = distribution_tagging_send(c, "UntagResource", "Untag", arn, xml, len, err);
    }
    if (rc == 0 && n_set) {
        char *xml = distribution_tags_xml_new(set, n_set, &len);
        rc = distribution_tagging_send(c, "TagResource", "Tag", arn, xml, len, err);
    }
    free(removed);
    free(set);
    return rc;
}

/* ---- state <-> config ---- */

static long distribution_attr_long(const struct cty_value *obj, const char *name)
{
    return (long)cty_attr_int(obj, name, 0);
}

/* The config to create from the planned state; strings are borrowed from
 * it, from `origin` (origin_endpoint split, or the bucket's regional domain
 * with no path) and from oac_id (the S3 origin's Origin Access Control, NULL
 * for a container), and the caller reference. */
static void distribution_config_from_plan(const struct cty_value *plan, char *caller_reference,
                                          const struct distribution_origin *origin, char *oac_id,
                                          struct distribution_config *cfg)
{
    *cfg = (struct distribution_config){
        .caller_reference = caller_reference,
        .origin_domain = origin->domain,
        .origin_path = origin->path,
        .origin_port = origin->port,
        .origin_http = origin->http,
        .origin_id = DISTRIBUTION_ORIGIN_ID,
        .origin_access_control_id = oac_id,
        .origin_secret = (char *)cty_attr_string(plan, "origin_secret"),
        .comment = (char *)cty_attr_string(plan, "comment"),
        .enabled = cty_attr_bool(plan, "enabled", true),
        .price_class = (char *)cty_attr_string(plan, "price_class"),
        .ipv6_enabled = cty_attr_bool(plan, "ipv6_enabled", true),
        .http_version = (char *)cty_attr_string(plan, "http_version"),
        .manifest_ttl_seconds = distribution_attr_long(plan, "manifest_ttl_seconds"),
        .segment_ttl_seconds = distribution_attr_long(plan, "segment_ttl_seconds"),
        .error_caching_min_ttl = distribution_attr_long(plan, "error_caching_min_ttl"),
        .logging_bucket = (char *)cty_attr_string(plan, "logging_bucket"),
        .logging_prefix = (char *)cty_attr_string(plan, "logging_prefix"),
        .web_acl_id = (char *)cty_attr_string(plan, "web_acl_id"),
    };
}

/* Computed attributes from an answer: ids, status, etag and the URL. */
static int distribution_state_set_computed(struct cty_value *state,
                                           const struct distribution_snapshot *snap)
{
    const struct distribution_info *info = &snap->info;
    const char *path = cty_attr_string(state, "stream_path");
    struct buf url = {0};
    int rc = buf_printf(&url, "https://%s/%s.m3u8", info->domain_name ? info->domain_name : "",
                        path ? path : DISTRIBUTION_DEFAULT_STREAM_PATH);
    rc = rc || resource_set_string(state, "id", info->id) ||
         resource_set_string(state, "arn", info->arn) ||
         resource_set_string(state, "domain_name", info->domain_name) ||
         resource_set_string(state, "hosted_zone_id", DISTRIBUTION_HOSTED_ZONE_ID) ||
         resource_set_string(state, "status", info->status) ||
         resource_set_string(state, "etag", snap->etag) ||
         resource_set_string(state, "live_stream_url", url.data);
    buf_clean_up(&url);
    return rc ? -1 : 0;
}

/* An optional string without default: CloudFront answers "" for unset, so
 * "" stays null when the state has it null (and vice versa). */
static int distribution_state_set_optional(struct cty_value *state, const char *name,
                                           const char *remote)
{
    const char *prior = cty_attr_string(state, name);
    if ((!remote || !*remote) && (!prior || !*prior))
        return 0;
    return resource_set_string(state, name, remote);
}

/* origin_endpoint keeps its form (URL or host) while it names the origin
 * CloudFront has (host, port, path, protocol); a new origin (or an import)
 * becomes its canonical URL, the form lsms_container.endpoint has: so an
 * import reads back https://<host> for a real container and
 * http://127.0.0.1:<port>/_mediastore/<name> for an emulator's, as created. */
static int distribution_state_set_origin(struct cty_value *state,
                                         const struct distribution_config *cfg)
{
    long port = cfg->origin_port > 0 ? cfg->origin_port : cfg->origin_http ? 80 : 443;
    struct distribution_origin now = {.domain = cfg->origin_domain,
                                      .path = cfg->origin_path,
                                      .port = port,
                                      .http = cfg->origin_http};
    struct distribution_origin prior = {0};
    const char *text = cty_attr_string(state, "origin_endpoint");
    bool same = text && distribution_origin_split(text, &prior) == 0 &&
                distribution_origin_same(&prior, &now);
    distribution_origin_clean_up(&prior);
    if (same)
        return 0;
    char *url = distribution_origin_url_new(cfg->origin_domain, cfg->origin_path, port,
                                            cfg->origin_http);
    int rc = url ? resource_set_string(state, "origin_endpoint", url) : -1;
    free(url);
    return rc;
}

/* The arguments as CloudFront has them, so that drift shows in the plan. */
static int distribution_state_set_config(struct cty_value *state,
                                         const struct distribution_config *cfg)
{
    const char *secret = cty_attr_string(state, "origin_secret");
    /* An S3 origin on a bucket's regional domain is origin_bucket; any
     * other origin is an endpoint, as before buckets were supported. */
    char *bucket = NULL, *region = NULL;
    bool s3 = cfg->s3_origin &&
              distribution_s3_origin_domain_parse(cfg->origin_domain, &bucket, &region) == 0;
    int rc = s3 ? resource_set_string(state, "origin_bucket", bucket) ||
                      resource_set_string(state, "origin_endpoint", NULL)
                : resource_set_string(state, "origin_bucket", NULL) ||
                      distribution_state_set_origin(state, cfg);
    free(bucket);
    free(region);
    if (!cfg->origin_secret)
        rc = rc || (secret && *secret ? resource_set_string(state, "origin_secret", NULL) : 0);
    else
        rc = rc || resource_set_string(state, "origin_secret", cfg->origin_secret);
    rc = rc || distribution_state_set_optional(state, "comment", cfg->comment) ||
         distribution_state_set_optional(state, "logging_bucket", cfg->logging_bucket) ||
         distribution_state_set_optional(state, "logging_prefix", cfg->logging_prefix) ||
         distribution_state_set_optional(state, "web_acl_id", cfg->web_acl_id) ||
         resource_set_bool(state, "enabled", cfg->enabled) ||
         resource_set_string(state, "price_class", cfg->price_class) ||
         resource_set_bool(state, "ipv6_enabled", cfg->ipv6_enabled) ||
         resource_set_string(state, "http_version", cfg->http_version) ||
         resource_set_int(state, "manifest_ttl_seconds", cfg->manifest_ttl_seconds) ||
         resource_set_int(state, "segment_ttl_seconds", cfg->segment_ttl_seconds) ||
         resource_set_int(state, "error_caching_min_ttl", cfg->error_caching_min_ttl);
    return rc ? -1 : 0;
}

/* tags_all = what CloudFront has; tags = those not coming from the
 * provider's default_tags (unless the state already lists the key), so a
 * tag added outside Terraform shows as drift of `tags`. */
static int distribution_state_set_tags(const struct lsms_provider_data *pd,
                                       struct cty_value *state, const struct cty_value *remote)
{
    const struct cty_value *prior = cty_value_attr(state, "tags");
    struct cty_value *tags = distribution_string_map_new();
    for (size_t i = 0; tags && i < cty_value_length(remote); i++) {
        const char *key = cty_value_map_key(remote, i);
        const struct cty_value *v = cty_value_index(remote, i);
        const struct cty_value *dflt = cty_value_map_get(pd->default_tags, key);
        bool from_default = dflt && cty_value_equal(dflt, v) && !cty_value_map_get(prior, key);
        struct cty_value *copy = from_default ? NULL : cty_value_clone(v);
        /* cty_map_put consumes the copy, also when it fails. */
        if (!from_default && cty_map_put(tags, key, copy) != 0) {
            cty_value_destroy(tags);
            tags = NULL;
        }
    }
    if (tags && cty_value_length(tags) == 0 && (!prior || cty_value_is_null(prior))) {
        /* No tags configured and none found: keep null, as the config has it. */
        cty_value_destroy(tags);
        struct cty_type *t = cty_type_collection_new(CTY_MAP, cty_type_string());
        tags = t ? cty_null_new(t) : NULL;
        cty_type_release(t);
    }
    struct cty_value *all = cty_value_clone(remote);
    int rc = -1;
    if (tags && all && cty_object_set(state, "tags", tags) == 0) {
        tags = NULL;
        if (cty_object_set(state, "tags_all", all) == 0) {
            all = NULL;
            rc = 0;
        }
    }
    cty_value_destroy(tags);
    cty_value_destroy(all);
    return rc;
}

/* The changes from prior to planned, pointing into both values, into
 * `origin` (the planned origin_endpoint split, owned: clean it up) and into
 * what the update adds for a bucket origin (its domain and OAC id, owned
 * elsewhere). */
struct distribution_edit {
    struct distribution_config_changes changes;
    bool enabled, ipv6_enabled;
    long manifest_ttl_seconds, segment_ttl_seconds, error_caching_min_ttl;
    struct distribution_origin origin; /* owned */
};

static const char *distribution_string_or_empty(const struct cty_value *plan, const char *name)
{
    const char *s = cty_attr_string(plan, name);
    return s ? s : "";
}

/* The container origin's changes: its address (host, port, path, protocol)
 * when it changed, or when the origin was a bucket (prior has no endpoint),
 * which also turns the origin back into a custom origin.
 * The bucket origin's are made by the update, which needs the bucket's
 * region and its Origin Access Control first. */
static int distribution_edit_endpoint(struct distribution_edit *e, const struct cty_value *prior,
                                      const struct cty_value *plan)
{
    struct distribution_config_changes *ch = &e->changes;
    const char *new_origin = cty_attr_string(plan, "origin_endpoint");
    if (!new_origin)
        return 0;
    struct distribution_origin old = {0};
    if (distribution_origin_split(new_origin, &e->origin) != 0)
        return -1;
    if (distribution_origin_split(cty_attr_string(prior, "origin_endpoint"), &old) != 0 ||
        !distribution_origin_same(&old, &e->origin)) {
        ch->origin_domain = e->origin.domain;
        ch->origin_path = e->origin.path;
        ch->origin_port = e->origin.port;
        ch->origin_http = e->origin.http;
    }
    distribution_origin_clean_up(&old);
    if (cty_attr_string(prior, "origin_bucket"))
        ch->origin_access_control_id = "";
    return 0;
}

static bool distribution_changes_any(const struct distribution_config_changes *ch)
{
    return ch->origin_domain || ch->origin_secret || ch->origin_access_control_id ||
           ch->comment || ch->price_class || ch->http_version || ch->web_acl_id ||
           ch->enabled || ch->ipv6_enabled || ch->manifest_ttl_seconds ||
           ch->segment_ttl_seconds || ch->error_caching_min_ttl || ch->logging;
}

static int distribution_edit_init(struct distribution_edit *e, const struct cty_value *prior,
                                  const struct cty_value *plan)
{
    struct distribution_config_changes *ch = &e->changes;
    memset(e, 0, sizeof(*e));
    if (distribution_edit_endpoint(e, prior, plan) != 0)
        return -1;
    if (resource_attr_changed(prior, plan, "origin_secret"))
        ch->origin_secret = distribution_string_or_empty(plan, "origin_secret");
    if (resource_attr_changed(prior, plan, "comment"))
        ch->comment = distribution_string_or_empty(plan, "comment");
    if (resource_attr_changed(prior, plan, "price_class"))
        ch->price_class = cty_attr_string(plan, "price_class");
    if (resource_attr_changed(prior, plan, "http_version"))
        ch->http_version = cty_attr_string(plan, "http_version");
    if (resource_attr_changed(prior, plan, "web_acl_id"))
        ch->web_acl_id = distribution_string_or_empty(plan, "web_acl_id");
    e->enabled = cty_attr_bool(plan, "enabled", true);
    if (resource_attr_changed(prior, plan, "enabled"))
        ch->enabled = &e->enabled;
    e->ipv6_enabled = cty_attr_bool(plan, "ipv6_enabled", true);
    if (resource_attr_changed(prior, plan, "ipv6_enabled"))
        ch->ipv6_enabled = &e->ipv6_enabled;
    e->manifest_ttl_seconds = distribution_attr_long(plan, "manifest_ttl_seconds");
    if (resource_attr_changed(prior, plan, "manifest_ttl_seconds"))
        ch->manifest_ttl_seconds = &e->manifest_ttl_seconds;
    e->segment_ttl_seconds = distribution_attr_long(plan, "segment_ttl_seconds");
    if (resource_attr_changed(prior, plan, "segment_ttl_seconds"))
        ch->segment_ttl_seconds = &e->segment_ttl_seconds;
    e->error_caching_min_ttl = distribution_attr_long(plan, "error_caching_min_ttl");
    if (resource_attr_changed(prior, plan, "error_caching_min_ttl"))
        ch->error_caching_min_ttl = &e->error_caching_min_ttl;
    if (resource_attr_changed(prior, plan, "logging_bucket") ||
        resource_attr_changed(prior, plan, "logging_prefix")) {
        ch->logging = true;
        ch->logging_bucket = cty_attr_string(plan, "logging_bucket");
        ch->logging_prefix = cty_attr_string(plan, "logging_prefix");
    }
    return 0;
}

/* ---- the S3 origin ---- */

/* The distribution's grant (distribution_grant.h) on `bucket`, from the ids
 * in `state`. */
static struct distribution_grant distribution_grant_of(const struct cty_value *state,
                                                       const char *bucket)
{
    return (struct distribution_grant){.bucket = bucket,
                                       .distribution_id = cty_attr_string(state, "id"),
                                       .distribution_arn = cty_attr_string(state, "arn")};
}

/* Adds or removes the distribution's statement in `bucket`'s policy, with
 * one diagnostic on `attr` when that fails. */
static int distribution_grant_apply(struct resource_ctx *ctx, struct aws_client *c,
                                    const struct cty_value *state, const char *bucket,
                                    const char *region, bool grant, const char *attr)
{
    struct aws_error err = {0};
    struct distribution_grant g = distribution_grant_of(state, bucket);
    int rc = distribution_s3_grant_set(c, &g, region, grant, &err);
    if (rc != 0) {
        char summary[160];
        snprintf(summary, sizeof summary, "Cannot %s the bucket policy of %s",
                 grant ? "grant the distribution read access in" : "remove the distribution from",
                 bucket);
        resource_diag_aws(ctx->diags, attr, summary, &err);
    }
    aws_error_clean_up(&err);
    return rc;
}

/* HeadBucket with a diagnostic on `attr`. *region is malloc'd. A bucket
 * that does not exist is an error unless `missing_ok` (then *region stays
 * NULL and 0 is returned). */
static int distribution_bucket_region(struct resource_ctx *ctx, struct aws_client *c,
                                      const char *bucket, bool missing_ok, const char *attr,
                                      char **region)
{
    struct aws_error err = {0};
    int rc = distribution_s3_bucket_region(c, bucket, region, &err);
    if (rc != 0 && missing_ok && (aws_error_is(&err, "NotFound") ||
                                  aws_error_is(&err, "NoSuchBucket")))
        rc = 0;
    else if (rc != 0) {
        char summary[160];
        snprintf(summary, sizeof summary, "Cannot find the S3 bucket %s", bucket);
        resource_diag_aws(ctx->diags, attr, summary, &err);
    }
    aws_error_clean_up(&err);
    return rc;
}

/* Deletes an Origin Access Control this resource no longer uses. When
 * CloudFront still counts it as used (the distribution's change is still
 * deploying and the caller did not wait), waits for Deployed and tries once
 * more. */
static int distribution_oac_retire(struct resource_ctx *ctx, struct aws_client *c,
                                   const char *dist_id, const char *oac_id, uint64_t timeout_ms)
{
    struct aws_error err = {0};
    int rc = distribution_s3_oac_delete(c, oac_id, &err);
    if (rc != 0 && dist_id && aws_error_is(&err, "OriginAccessControlInUse")) {
        struct distribution_snapshot snap = {0};
        rc = distribution_wait_deployed(c, dist_id, timeout_ms, &snap, &err);
        distribution_snapshot_clean_up(&snap);
        if (rc == 0)
            rc = distribution_s3_oac_delete(c, oac_id, &err);
    }
    if (rc != 0) {
        char summary[160];
        snprintf(summary, sizeof summary, "Cannot delete the origin access control %s", oac_id);
        resource_diag_aws(ctx->diags, "origin_access_control_id", summary, &err);
    }
    aws_error_clean_up(&err);
    return rc;
}

/* The distribution's CallerReference (GetDistributionConfig), malloc'd. */
static int distribution_caller_reference(struct aws_client *c, const char *id, char **ref,
                                         struct aws_error *err)
{
    struct aws_rest_xml_output out = {0};
    int rc = distribution_call(c, "GetDistributionConfig", "GET", id, "/config", NULL, NULL,
                               NULL, &out, err);
    xmlNode *root = rc == 0 && out.doc ? xmlDocGetRootElement(out.doc) : NULL;
    *ref = root ? aws_xml_find_text(root, "CallerReference") : NULL;
    if (rc == 0 && !*ref)
        rc = aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the config holds no CallerReference",
                           out.status, NULL);
    aws_rest_xml_output_clean_up(&out);
    return rc;
}

/* The OAC for `bucket` (created or adopted, see distribution_s3_oac_ensure;
 * *created says which), with a diagnostic when that fails. */
static int distribution_oac_ensure(struct resource_ctx *ctx, struct aws_client *c,
                                   const char *bucket, const char *caller_reference,
                                   const char *dist_id, struct distribution_oac *oac,
                                   bool *created)
{
    struct aws_error err = {0};
    char *name = distribution_s3_oac_name(bucket, caller_reference, dist_id);
    int rc = name ? distribution_s3_oac_ensure(c, name, bucket, oac, created, &err)
                  : aws_error_set(&err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    if (rc != 0)
        resource_diag_aws(ctx->diags, "origin_bucket",
                          "Cannot create the CloudFront origin access control", &err);
    free(name);
    aws_error_clean_up(&err);
    return rc;
}

/* ---- create ---- */

/* CreateDistributionWithTags (one call, tags or not) into *snap, with the
 * origin at `origin`, signed by `oac_id` when not NULL. The
 * CallerReference `ref` is CloudFront's idempotency token: made once per
 * create, the same bytes go out on every automatic retry of the request. */
static int distribution_create_call(struct aws_client *c, const struct cty_value *plan,
                                    const struct cty_value *tags_all, char *ref,
                                    const struct distribution_origin *origin, char *oac_id,
                                    struct distribution_snapshot *snap, struct aws_error *err)
{
    bool failed = false;
    size_t n_tags = 0;
    struct distribution_tag *tags = distribution_tags_diff(tags_all, NULL, &n_tags, &failed);
    struct distribution_config cfg;
    distribution_config_from_plan(plan, ref, origin, oac_id, &cfg);
    struct buf body = {0};
    size_t len = 0;
    body.data = failed ? NULL : distribution_config_with_tags_xml_new(&cfg, tags, n_tags, &len);
    body.len = len;
    body.cap = body.data ? len + 1 : 0;
    struct aws_rest_xml_output out = {0};
    int rc = !body.data ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL)
                        : distribution_call(c, "CreateDistributionWithTags", "POST", NULL, "",
                                            "WithTags", NULL, &body, &out, err);
    if (rc == 0)
        rc = distribution_snapshot_take(&out, snap, err);
    aws_rest_xml_output_clean_up(&out);
    buf_clean_up_secret(&body);
    free(tags);
    return rc;
}

/* What create prepares for the origin before the distribution exists. */
struct distribution_origin_plan {
    /* owned: the container endpoint split, or the bucket's regional domain
     * (no path, no port: an S3 origin has no CustomOriginConfig) */
    struct distribution_origin origin;
    char *region;               /* owned: the bucket's region, NULL for a container */
    struct distribution_oac oac; /* the bucket's OAC; id NULL for a container */
};

static void distribution_origin_plan_clean_up(struct distribution_origin_plan *o)
{
    distribution_origin_clean_up(&o->origin);
    free(o->region);
    distribution_oac_clean_up(&o->oac);
}

/* The container endpoint split, or for a bucket: its region, then the OAC
 * (named after the bucket and `ref`), then the bucket's regional domain. */
static int distribution_origin_prepare(struct resource_ctx *ctx, struct aws_client *c,
                                       const struct cty_value *plan, const char *ref,
                                       struct distribution_origin_plan *o)
{
    const char *bucket = cty_attr_string(plan, "origin_bucket");
    if (!bucket) {
        /* The validator accepted the endpoint: only memory can fail here. */
        int rc = distribution_origin_split(cty_attr_string(plan, "origin_endpoint"), &o->origin);
        if (rc != 0)
            diags_error(ctx->diags, NULL, "Out of memory", "Cannot build the origin.");
        return rc;
    }
    /* Created or adopted, the OAC is this create's: its name holds the
     * create's fresh CallerReference. */
    bool created = false;
    if (distribution_bucket_region(ctx, c, bucket, false, "origin_bucket", &o->region) != 0 ||
        distribution_oac_ensure(ctx, c, bucket, ref, NULL, &o->oac, &created) != 0)
        return -1;
    o->origin.domain = distribution_s3_origin_domain(bucket, o->region);
    if (!o->origin.domain)
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot build the origin.");
    return o->origin.domain ? 0 : -1;
}

/* Deletes the OAC made for a create that then failed, so nothing is left
 * behind; says so when even that fails. */
static void distribution_create_undo_oac(struct resource_ctx *ctx, struct aws_client *c,
                                         const char *oac_id)
{
    struct aws_error err = {0};
    if (distribution_s3_oac_delete(c, oac_id, &err) != 0) {
        char summary[200];
        snprintf(summary, sizeof summary,
                 "The origin access control %s made for the distribution could not be deleted; "
                 "delete it by hand",
                 oac_id);
        resource_diag_aws(ctx->diags, "origin_bucket", summary, &err);
    }
    aws_error_clean_up(&err);
}

static enum resource_result distribution_create(struct resource_ctx *ctx,
                                                const struct cty_value *config,
                                                struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    aws_xml_init();
    struct aws_error err = {0};
    struct distribution_snapshot snap = {0};
    struct distribution_origin_plan origin = {0};
    enum resource_result result = RESOURCE_ERROR;
    char ref[8 + 32 + 1] = "lsms-";
    struct cty_value *tags_all = resource_tags_all(pd, cty_value_attr(state, "tags"));
    if (!tags_all || cty_object_set(state, "tags_all", tags_all) != 0 ||
        random_hex(ref + 5, 16) != 0) {
        diags_error(ctx->diags, NULL, "Out of memory",
                    "Cannot build the distribution's tags and caller reference.");
        return RESOURCE_ERROR;
    }
    if (distribution_origin_prepare(ctx, pd->client, state, ref, &origin) != 0)
        goto done;
    if (distribution_create_call(pd->client, state, tags_all, ref, &origin.origin,
                                 origin.oac.id, &snap, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "Cannot create the CloudFront distribution", &err);
        if (origin.oac.id)
            distribution_create_undo_oac(ctx, pd->client, origin.oac.id);
        goto done;
    }
    /* From here the distribution exists: failures return it as PARTIAL. */
    result = RESOURCE_PARTIAL;
    if (distribution_state_set_computed(state, &snap) != 0 ||
        resource_set_string(state, "origin_access_control_id", origin.oac.id)) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        goto done;
    }
    /* The statement names the distribution's ARN, so it comes now; a
     * failure leaves the distribution tracked (tainted), and its destroy
     * takes the OAC and any statement with it. */
    const char *bucket = cty_attr_string(state, "origin_bucket");
    if (bucket && cty_attr_bool(state, "grant_bucket_read", true) &&
        distribution_grant_apply(ctx, pd->client, state, bucket, origin.region, true,
                                 "grant_bucket_read") != 0) {
        resource_set_bool(state, "grant_bucket_read", false);
        goto done;
    }
    if (cty_attr_bool(state, "wait_for_deployment", true)) {
        char *id = strdup(snap.info.id);
        uint64_t timeout = resource_timeout_ms(state, "create", DISTRIBUTION_CREATE_TIMEOUT_MS);
        int rc = id ? distribution_wait_deployed(pd->client, id, timeout, &snap, &err)
                    : aws_error_set(&err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        free(id);
        if (rc != 0) {
            resource_diag_aws(ctx->diags, NULL,
                              "The CloudFront distribution was created but did not deploy",
                              &err);
            goto done;
        }
        if (distribution_state_set_computed(state, &snap) != 0) {
            diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
            goto done;
        }
    }
    result = RESOURCE_OK;
done:
    distribution_origin_plan_clean_up(&origin);
    distribution_snapshot_clean_up(&snap);
    aws_error_clean_up(&err);
    return result;
}

/* ---- read ---- */

/* For a bucket origin: origin_access_control_id = the origin's OAC when it
 * exists and still signs as the distribution needs (else null, which the
 * plan turns into a repair), and grant_bucket_read = whether the bucket
 * policy holds the statement. */
static int distribution_read_s3(struct resource_ctx *ctx, struct aws_client *c,
                                struct cty_value *state, const struct distribution_config *cfg)
{
    struct aws_error err = {0};
    struct distribution_oac oac = {0};
    char *bucket = NULL, *region = NULL;
    bool usable = false, present = false;
    int rc = distribution_s3_origin_domain_parse(cfg->origin_domain, &bucket, &region);
    if (rc == 0 && cfg->origin_access_control_id) {
        rc = distribution_s3_oac_get(c, cfg->origin_access_control_id, &oac, &err);
        if (rc != 0 && aws_error_is(&err, "NoSuchOriginAccessControl"))
            rc = 0;
        else if (rc != 0)
            resource_diag_aws(ctx->diags, "origin_access_control_id",
                              "Cannot read the CloudFront origin access control", &err);
        usable = rc == 0 && oac.id && oac.usable;
    }
    if (rc == 0) {
        struct distribution_grant g = distribution_grant_of(state, bucket);
        rc = distribution_s3_grant_check(c, &g, region, &present, &err);
        if (rc != 0)
            resource_diag_aws(ctx->diags, "grant_bucket_read",
                              "Cannot read the bucket policy of the distribution's origin", &err);
    }
    if (rc == 0 &&
        (resource_set_string(state, "origin_access_control_id", usable ? oac.id : NULL) ||
         resource_set_bool(state, "grant_bucket_read", present))) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        rc = -1;
    }
    distribution_oac_clean_up(&oac);
    aws_error_clean_up(&err);
    free(bucket);
    free(region);
    return rc;
}

/* The distribution is gone: is its Origin Access Control left, by a delete
 * that failed after DeleteDistribution (the OAC can only go after it)? Such
 * a distribution stays in state (status "Deleted"), so the plan replaces it
 * and delete removes the OAC; dropped, it would leave the OAC behind for
 * good. 0, or -1 with a diagnostic. */
static int distribution_oac_left(struct resource_ctx *ctx, struct aws_client *c,
                                 const struct cty_value *state, bool *left)
{
    const char *oac_id = cty_attr_string(state, "origin_access_control_id");
    *left = false;
    if (!oac_id)
        return 0;
    struct aws_error err = {0};
    struct distribution_oac oac = {0};
    int rc = distribution_s3_oac_get(c, oac_id, &oac, &err);
    if (rc == 0)
        *left = true;
    else if (aws_error_is(&err, "NoSuchOriginAccessControl"))
        rc = 0;
    else
        resource_diag_aws(ctx->diags, "origin_access_control_id",
                          "Cannot read the CloudFront origin access control", &err);
    distribution_oac_clean_up(&oac);
    aws_error_clean_up(&err);
    return rc;
}

/* read, or with `lookup` the data source's lookup: the bucket policy is
 * not read (grant_bucket_read stays as it is) and the OAC is the one the
 * config names, unchecked. */
static enum resource_result distribution_refresh(struct resource_ctx *ctx,
                                                 struct cty_value *state, bool *gone, bool lookup)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    aws_xml_init();
    const char *id = cty_attr_string(state, "id");
    struct aws_error err = {0};
    struct distribution_snapshot snap = {0};
    struct cty_value *tags = NULL;
    enum resource_result result = RESOURCE_ERROR;
    if (distribution_get(pd->client, id, &snap, NULL, &err) != 0) {
        if (aws_error_is(&err, "NoSuchDistribution")) {
            bool left = false;
            if (distribution_oac_left(ctx, pd->client, state, &left) != 0)
                goto done;
            if (left && resource_set_string(state, "status", "Deleted") != 0) {
                diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
                goto done;
            }
            *gone = !left;
            result = RESOURCE_OK;
        } else {
            resource_diag_aws(ctx->diags, NULL, "Cannot read the CloudFront distribution", &err);
        }
        goto done;
    }
    tags = distribution_tags_list(pd->client, snap.info.arn, &err);
    if (!tags) {
        resource_diag_aws(ctx->diags, "tags", "Cannot read the CloudFront distribution's tags",
                          &err);
        goto done;
    }
    if (distribution_state_set_config(state, &snap.info.config) != 0 ||
        distribution_state_set_computed(state, &snap) != 0 ||
        distribution_state_set_tags(pd, state, tags) != 0) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        goto done;
    }
    if (lookup) {
        if (resource_set_string(state, "origin_access_control_id",
                                snap.info.config.origin_access_control_id) != 0) {
            diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
            goto done;
        }
    } else if (cty_attr_string(state, "origin_bucket")) {
        if (distribution_read_s3(ctx, pd->client, state, &snap.info.config) != 0)
            goto done;
    } else if (resource_set_string(state, "origin_access_control_id", NULL) ||
               (cty_value_is_null(cty_value_attr(state, "grant_bucket_read")) &&
                resource_set_bool(state, "grant_bucket_read", true))) {
        /* A container origin has no OAC; grant_bucket_read keeps its
         * (ignored) value, its default for states written before it
         * existed. */
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        goto done;
    }
    result = RESOURCE_OK;
done:
    cty_value_destroy(tags);
    distribution_snapshot_clean_up(&snap);
    aws_error_clean_up(&err);
    return result;
}

static enum resource_result distribution_read(struct resource_ctx *ctx, struct cty_value *state,
                                              bool *gone)
{
    return distribution_refresh(ctx, state, gone, false);
}

enum resource_result distribution_lookup(struct resource_ctx *ctx, struct cty_value *state,
                                         bool *gone)
{
    return distribution_refresh(ctx, state, gone, true);
}

/* ---- update ---- */

/* status and etag are unchanged when only tags or provider-side settings
 * (wait_for_deployment, retain_on_delete, stream_path, timeouts) change:
 * tags do not make a new config version. */
static int distribution_state_keep(struct cty_value *state, const struct cty_value *prior)
{
    const char *domain = cty_attr_string(prior, "domain_name");
    const char *path = cty_attr_string(state, "stream_path");
    struct buf url = {0};
    int rc = buf_printf(&url, "https://%s/%s.m3u8", domain ? domain : "",
                        path ? path : DISTRIBUTION_DEFAULT_STREAM_PATH);
    rc = rc || resource_set_string(state, "status", cty_attr_string(prior, "status")) ||
         resource_set_string(state, "etag", cty_attr_string(prior, "etag")) ||
         resource_set_string(state, "live_stream_url", url.data);
    buf_clean_up(&url);
    return rc ? -1 : 0;
}

static bool distribution_str_eq(const char *a, const char *b)
{
    return a && b ? strcmp(a, b) == 0 : a == b;
}

/*
 * What an update does to the bucket side, decided from prior and planned:
 * the origin moves from old_bucket (NULL: a container) to new_bucket (NULL:
 * a container), the OAC is made (need_oac) when the origin becomes a bucket
 * or its OAC was lost, the statement is added to the new bucket and removed
 * from the old one.
 */
struct distribution_s3_update {
    const char *old_bucket, *new_bucket; /* borrowed */
    bool grant, need_oac, add_grant, remove_old_grant;
    bool oac_created;                    /* this update made u->oac */
    char *new_region, *old_region;       /* owned */
    char *caller_reference;              /* owned */
    char *domain;                        /* owned: the new bucket's regional domain */
    struct distribution_oac oac;         /* the new OAC when need_oac */
};

static void distribution_s3_update_clean_up(struct distribution_s3_update *u)
{
    free(u->new_region);
    free(u->old_region);
    free(u->caller_reference);
    free(u->domain);
    distribution_oac_clean_up(&u->oac);
}

static void distribution_s3_update_plan(struct distribution_s3_update *u,
                                        const struct cty_value *prior,
                                        const struct cty_value *plan)
{
    memset(u, 0, sizeof(*u));
    u->old_bucket = cty_attr_string(prior, "origin_bucket");
    u->new_bucket = cty_attr_string(plan, "origin_bucket");
    bool moved = !distribution_str_eq(u->old_bucket, u->new_bucket);
    bool granted = cty_attr_bool(prior, "grant_bucket_read", true);
    u->grant = cty_attr_bool(plan, "grant_bucket_read", true);
    u->need_oac =
        u->new_bucket && (moved || !cty_attr_string(prior, "origin_access_control_id"));
    u->add_grant = u->new_bucket && u->grant && (moved || !granted);
    u->remove_old_grant = u->old_bucket && (moved || (!u->grant && granted));
}

/* The first half, before the distribution changes: the new bucket's region,
 * its OAC and the statement in its policy, so that CloudFront can read the
 * new bucket from the moment it points to it. Adds the OAC id and the
 * domain to `ch`. On failure undoes what it did. */
static int distribution_s3_update_prepare(struct resource_ctx *ctx, struct aws_client *c,
                                          const struct cty_value *prior,
                                          struct distribution_s3_update *u,
                                          struct distribution_config_changes *ch)
{
    const char *id = cty_attr_string(prior, "id");
    if (!u->new_bucket || !(u->need_oac || u->add_grant))
        return 0;
    if (distribution_bucket_region(ctx, c, u->new_bucket, false, "origin_bucket",
                                   &u->new_region) != 0)
        return -1;
    if (u->need_oac) {
        struct aws_error err = {0};
        if (distribution_caller_reference(c, id, &u->caller_reference, &err) != 0) {
            resource_diag_aws(ctx->diags, NULL, "Cannot read the CloudFront distribution", &err);
            aws_error_clean_up(&err);
            return -1;
        }
        aws_error_clean_up(&err);
        if (distribution_oac_ensure(ctx, c, u->new_bucket, u->caller_reference, id, &u->oac,
                                    &u->oac_created) != 0)
            return -1;
        u->domain = distribution_s3_origin_domain(u->new_bucket, u->new_region);
        if (!u->domain) {
            diags_error(ctx->diags, NULL, "Out of memory", "Cannot build the origin.");
            return -1;
        }
        /* The whole address: a bucket origin has no OriginPath (an
         * endpoint's path goes), and its S3OriginConfig no port. */
        ch->origin_domain = u->domain;
        ch->origin_path = "";
        ch->origin_port = 0;
        ch->origin_http = false;
        ch->origin_access_control_id = u->oac.id;
    }
    if (u->add_grant && distribution_grant_apply(ctx, c, prior, u->new_bucket, u->new_region,
                                                 true, "grant_bucket_read") != 0) {
        /* An OAC this update made is not used yet: take it back. One it
         * adopted existed before (perhaps still on the origin): leave it. */
        if (u->oac_created)
            distribution_create_undo_oac(ctx, c, u->oac.id);
        return -1;
    }
    return 0;
}

/* When the distribution could not be changed: the new bucket's statement
 * and OAC go again (the old bucket keeps serving). */
static void distribution_s3_update_undo(struct resource_ctx *ctx, struct aws_client *c,
                                        const struct cty_value *prior,
                                        const struct distribution_s3_update *u)
{
    if (u->add_grant && !distribution_str_eq(u->old_bucket, u->new_bucket))
        distribution_grant_apply(ctx, c, prior, u->new_bucket, u->new_region, false,
                                 "grant_bucket_read");
    if (u->oac_created)
        distribution_create_undo_oac(ctx, c, u->oac.id);
}

/* The second half, once the distribution no longer uses them: the old
 * bucket's statement and the old OAC go. Every step is tried; 0 when all
 * went well. */
static int distribution_s3_update_finish(struct resource_ctx *ctx, struct aws_client *c,
                                         const struct cty_value *prior,
                                         struct distribution_s3_update *u, uint64_t timeout_ms)
{
    int rc = 0;
    if (u->remove_old_grant) {
        if (distribution_bucket_region(ctx, c, u->old_bucket, true, "origin_bucket",
                                       &u->old_region) != 0)
            rc = -1;
        else if (u->old_region &&
                 distribution_grant_apply(ctx, c, prior, u->old_bucket, u->old_region, false,
                                          "grant_bucket_read") != 0)
            rc = -1;
    }
    const char *old_oac = cty_attr_string(prior, "origin_access_control_id");
    const char *new_oac = u->need_oac ? u->oac.id : u->new_bucket ? old_oac : NULL;
    if (old_oac && !distribution_str_eq(old_oac, new_oac) &&
        distribution_oac_retire(ctx, c, cty_attr_string(prior, "id"), old_oac, timeout_ms) != 0)
        rc = -1;
    return rc;
}

static enum resource_result distribution_update(struct resource_ctx *ctx,
                                                const struct cty_value *prior,
                                                const struct cty_value *config,
                                                struct cty_value *state)
{
    (void)config;
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    aws_xml_init();
    const char *id = cty_attr_string(prior, "id");
    const char *arn = cty_attr_string(prior, "arn");
    uint64_t timeout = resource_timeout_ms(state, "update", DISTRIBUTION_UPDATE_TIMEOUT_MS);
    struct aws_error err = {0};
    struct distribution_snapshot snap = {0};
    struct distribution_edit edit;
    struct distribution_s3_update s3;
    distribution_s3_update_plan(&s3, prior, state);
    enum resource_result result = RESOURCE_ERROR;
    struct cty_value *tags_all = resource_tags_all(pd, cty_value_attr(state, "tags"));
    if (!tags_all || cty_object_set(state, "tags_all", tags_all) != 0 ||
        distribution_edit_init(&edit, prior, state) != 0) {
        cty_value_destroy(tags_all);
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot plan the distribution's update.");
        return RESOURCE_ERROR;
    }
    if (distribution_s3_update_prepare(ctx, pd->client, prior, &s3, &edit.changes) != 0)
        goto done;
    bool any = distribution_changes_any(&edit.changes);
    if (any && distribution_config_edit(pd->client, id, &edit.changes, &snap, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL, "Cannot update the CloudFront distribution", &err);
        distribution_s3_update_undo(ctx, pd->client, prior, &s3);
        goto done;
    }
    /* The distribution has changed: from here a failure still reports the
     * new state (PARTIAL), and the cleanup of the old origin is tried
     * whatever else fails, so nothing is left that the state forgets. */
    result = RESOURCE_PARTIAL;
    const char *oac_id = s3.need_oac ? s3.oac.id
                         : s3.new_bucket ? cty_attr_string(prior, "origin_access_control_id")
                                         : NULL;
    bool failed = false;
    if (resource_set_string(state, "origin_access_control_id", oac_id)) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        failed = true;
    }
    if (distribution_tags_sync(pd->client, arn, cty_value_attr(prior, "tags_all"), tags_all,
                               &err) != 0) {
        resource_diag_aws(ctx->diags, "tags", "Cannot tag the CloudFront distribution", &err);
        failed = true;
    }
    if (any && cty_attr_bool(state, "wait_for_deployment", true) &&
        distribution_wait_deployed(pd->client, id, timeout, &snap, &err) != 0) {
        resource_diag_aws(ctx->diags, NULL,
                          "The CloudFront distribution was updated but did not deploy", &err);
        failed = true;
    }
    if (distribution_s3_update_finish(ctx, pd->client, prior, &s3, timeout) != 0)
        failed = true;
    if (any ? distribution_state_set_computed(state, &snap) : distribution_state_keep(state, prior)) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot record the distribution.");
        failed = true;
    }
    if (!failed)
        result = RESOURCE_OK;
done:
    distribution_origin_clean_up(&edit.origin);
    distribution_s3_update_clean_up(&s3);
    distribution_snapshot_clean_up(&snap);
    aws_error_clean_up(&err);
    return result;
}

/* ---- delete ---- */

/* One round of the delete: read; disable unless already disabled (an
 * already-disabled distribution is not updated again, hashicorp #3077);
 * wait for Deployed; then, unless retain, DeleteDistribution with the
 * latest ETag. */
static int distribution_delete_round(struct aws_client *c, const char *id, bool retain,
                                     uint64_t timeout_ms, struct aws_error *err)
{
    struct distribution_snapshot snap = {0};
    struct aws_rest_xml_output got = {0};
    int rc = distribution_get(c, id, &snap, &got, err);
    /* GetDistribution holds the config and the ETag UpdateDistribution
     * needs: no GetDistributionConfig. A change in between is a
     * PreconditionFailed, and the caller runs the round again. */
    if (rc == 0 && snap.info.config.enabled) {
        static const bool disabled = false;
        struct distribution_config_changes ch = {.enabled = &disabled};
        rc = distribution_config_put(c, id, &got, &ch, &snap, err);
    }
    aws_rest_xml_output_clean_up(&got);
    if (rc == 0 && strcmp(snap.info.status ? snap.info.status : "", "Deployed") != 0)
        rc = distribution_wait_deployed(c, id, timeout_ms, &snap, err);
    if (rc == 0 && !retain) {
        struct aws_rest_xml_output out = {0};
        rc = distribution_call(c, "DeleteDistribution", "DELETE", id, "", NULL, snap.etag, NULL,
                               &out, err);
        aws_rest_xml_output_clean_up(&out);
    }
    distribution_snapshot_clean_up(&snap);
    return rc;
}

/* The bucket side of a delete, first: the statement leaves the bucket
 * policy (the policy itself when it was the only statement). A bucket
 * already gone has nothing to remove. */
static int distribution_delete_grant(struct resource_ctx *ctx, struct aws_client *c,
                                     const struct cty_value *prior)
{
    const char *bucket = cty_attr_string(prior, "origin_bucket");
    char *region = NULL;
    if (!bucket)
        return 0;
    int rc = distribution_bucket_region(ctx, c, bucket, true, "origin_bucket", &region);
    if (rc == 0 && region)
        rc = distribution_grant_apply(ctx, c, prior, bucket, region, false, "grant_bucket_read");
    free(region);
    return rc;
}

static enum resource_result distribution_delete(struct resource_ctx *ctx,
                                                const struct cty_value *prior)
{
    struct lsms_provider_data *pd = resource_provider(ctx);
    if (!pd)
        return RESOURCE_ERROR;
    aws_xml_init();
    const char *id = cty_attr_string(prior, "id");
    bool retain = cty_attr_bool(prior, "retain_on_delete", false);
    uint64_t timeout = resource_timeout_ms(prior, "delete", DISTRIBUTION_DELETE_TIMEOUT_MS);
    /* retain_on_delete keeps the distribution serving the bucket: its
     * statement and OAC stay with it. */
    if (!retain && distribution_delete_grant(ctx, pd->client, prior) != 0)
        return RESOURCE_ERROR;
    struct aws_error err = {0};
    int rc = distribution_delete_round(pd->client, id, retain, timeout, &err);
    /* Changed or re-enabled by someone else between our steps: once more. */
    if (rc != 0 && (aws_error_is(&err, "PreconditionFailed") ||
                    aws_error_is(&err, "DistributionNotDisabled")))
        rc = distribution_delete_round(pd->client, id, retain, timeout, &err);
    if (rc != 0 && aws_error_is(&err, "NoSuchDistribution"))
        rc = 0;
    if (rc != 0)
        resource_diag_aws(ctx->diags, NULL, "Cannot delete the CloudFront distribution", &err);
    aws_error_clean_up(&err);
    const char *oac_id = cty_attr_string(prior, "origin_access_control_id");
    if (rc == 0 && !retain && oac_id &&
        distribution_oac_retire(ctx, pd->client, NULL, oac_id, timeout) != 0)
        rc = -1;
    return rc == 0 ? RESOURCE_OK : RESOURCE_ERROR;
}

/* ---- import ---- */

/* Import by distribution id. The settings CloudFront does not store get
 * their defaults, so a plan right after import is empty for a configuration
 * that leaves them unset; read fills the rest (for a bucket origin also the
 * OAC and whether the bucket policy grants the distribution). */
enum resource_result distribution_import(struct resource_ctx *ctx, const char *id,
                                         struct cty_value *state)
{
    if (resource_set_string(state, "id", id) ||
        resource_set_bool(state, "wait_for_deployment", true) ||
        resource_set_bool(state, "retain_on_delete", false) ||
        resource_set_bool(state, "grant_bucket_read", true) ||
        resource_set_string(state, "stream_path", DISTRIBUTION_DEFAULT_STREAM_PATH)) {
        diags_error(ctx->diags, NULL, "Out of memory", "Cannot import the distribution.");
        return RESOURCE_ERROR;
    }
    return RESOURCE_OK;
}

/* ---- plan ---- */

/* Exactly one origin, and no origin secret for a bucket (its reads are
 * signed by the OAC and allowed by the bucket policy). Unknown values are
 * judged once known. */
static void distribution_validate(const struct cty_value *config, struct diags *d)
{
    const struct cty_value *endpoint = cty_value_attr(config, "origin_endpoint");
    const struct cty_value *bucket = cty_value_attr(config, "origin_bucket");
    bool endpoint_null = resource_value_absent(endpoint);
    bool bucket_null = resource_value_absent(bucket);
    if (resource_value_given(endpoint) && resource_value_given(bucket))
        diags_error(d, "origin_bucket", "Conflicting arguments",
                    "Set either origin_endpoint (a MediaStore container) or origin_bucket (an "
                    "S3 bucket), not both.");
    else if (endpoint_null && bucket_null)
        diags_error(d, "origin_bucket", "Missing origin",
                    "Set origin_bucket (an S3 bucket, such as lsms_bucket.origin.name) or "
                    "origin_endpoint (a MediaStore container, lsms_container.origin.endpoint).");
    if (!bucket_null && resource_value_given(cty_value_attr(config, "origin_secret")))
        diags_error(d, "origin_secret", "Argument not allowed with origin_bucket",
                    "origin_secret is the User-Agent a MediaStore container policy checks; a "
                    "bucket origin is protected by the origin access control and the bucket "
                    "policy instead. Remove origin_secret.");
}

/* live_stream_url follows from domain_name, which is only known once the
 * distribution exists (kept from state on update); until then it stays
 * unknown. origin_access_control_id is null for a container origin; for a
 * bucket it is made anew (unknown) when the origin becomes a bucket, moves
 * to another one, or lost its OAC (read found it gone or changed): that is
 * how such drift shows in the plan. */
static void distribution_modify_plan(struct resource_ctx *ctx, const struct cty_value *prior,
                                     const struct cty_value *config, struct cty_value *planned)
{
    const char *domain = cty_attr_string(planned, "domain_name");
    const char *path = cty_attr_string(planned, "stream_path");
    if (domain && path) {
        struct buf url = {0};
        if (buf_printf(&url, "https://%s/%s.m3u8", domain, path) == 0)
            lsms_plan_set_string(planned, "live_stream_url", url.data);
        buf_clean_up(&url);
    }
    const struct cty_value *bucket = cty_value_attr(planned, "origin_bucket");
    if (bucket && cty_value_is_known(bucket) && cty_value_is_null(bucket)) {
        (void)resource_set_string(planned, "origin_access_control_id", NULL);
    } else if (prior) {
        bool same = cty_value_equal(bucket, cty_value_attr(prior, "origin_bucket"));
        /* The repair changes the distribution's config: its status and
         * ETag change too, even when no argument does. */
        static const char *const changing[] = {"origin_access_control_id", "status", "etag"};
        for (size_t i = 0; (!same || !cty_attr_string(prior, "origin_access_control_id")) &&
                           i < sizeof changing / sizeof changing[0];
             i++) {
            struct cty_value *u = cty_unknown_new(cty_type_string());
            if (u)
                (void)cty_object_set(planned, changing[i], u);
        }
    }
    lsms_tags_all_plan(ctx, config, planned);
}

/* A distribution read found deleted with its OAC left
 * (distribution_oac_left) is replaced: "status" Deleted -> known after apply. */
static const char *distribution_partial_attr(const struct cty_value *prior)
{
    const char *status = cty_attr_string(prior, "status");
    return status && strcmp(status, "Deleted") == 0 ? "status" : NULL;
}

const struct lsms_resource lsms_distribution_resource = {
    .type_name = "lsms_distribution",
    .schema = &distribution_schema,
    .validate = distribution_validate,
    .modify_plan = distribution_modify_plan,
    .partial_attr = distribution_partial_attr,
    .create = distribution_create,
    .read = distribution_read,
    .update = distribution_update,
    .delete = distribution_delete,
    .import = distribution_import,
    .upgrade_state = NULL, /* schema version 0: nothing to upgrade */
    .identity = &distribution_identity,            /* distribution_identity.c */
    .list = &distribution_list,                    /* distribution_list.c */
    .generate_config = NULL, /* the framework's derivation plans no change */
};
