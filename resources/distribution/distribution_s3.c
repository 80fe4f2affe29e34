/*
 * distribution_s3.c - HeadBucket, Origin Access Controls and the bucket
 * policy statement of lsms_distribution's S3 origin. See distribution_s3.h.
 */
#include "resources/distribution/distribution_s3.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "aws/message.h"
#include "aws/protocol_rest_xml.h"
#include "aws/protocol_s3.h"
#include "aws/xml.h"
#include "util/buf.h"

#define OAC_XMLNS "http://cloudfront.amazonaws.com/doc/2020-05-31/"
/* CloudFront's limit on an OAC name ("You can specify up to 64 characters",
 * botocore OriginAccessControlConfig.Name). */
#define OAC_NAME_MAX 64
#define OAC_SUFFIX_LEN 16

/* ---- the bucket ---- */

/* S3's errors do not say which request failed ("Access Denied"): put the
 * operation in front of the message, for the diagnostic. */
static void s3_error_name(struct aws_error *err, const char *operation)
{
    struct buf b = {0};
    if (buf_printf(&b, "%s: %s", operation, err->message ? err->message : "failed") != 0) {
        buf_clean_up(&b);
        return;
    }
    free(err->message);
    err->message = buf_detach(&b);
}

int distribution_s3_bucket_region(struct aws_client *c, const char *bucket, char **region,
                                  struct aws_error *err)
{
    *region = NULL;
    struct aws_s3_input in = {.operation = "HeadBucket", .method = "HEAD", .bucket = bucket};
    struct aws_s3_output out = {0};
    int rc = aws_s3_call(c, &in, &out, err);
    /* S3 names the bucket's region on a success and on the redirect (301,
     * or 400 for a request signed for the wrong region) it answers when the
     * bucket lives elsewhere: either way that is the answer sought. */
    const char *r = aws_headers_get(&out.headers, "x-amz-bucket-region");
    bool found = r && *r && (rc == 0 || out.status == 301 || out.status == 307 ||
                             out.status == 400);
    if (found) {
        *region = strdup(r);
        rc = *region ? 0 : aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    } else if (rc == 0) {
        rc = aws_error_set(err, AWS_ERR_BAD_RESPONSE,
                           "HeadBucket answered without x-amz-bucket-region", out.status,
                           aws_headers_get(&out.headers, "x-amz-request-id"));
    } else {
        s3_error_name(err, "HeadBucket");
    }
    aws_s3_output_clean_up(&out);
    return rc;
}

static const char *s3_dns_suffix(const char *region)
{
    return strncmp(region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
}

char *distribution_s3_origin_domain(const char *bucket, const char *region)
{
    struct buf b = {0};
    if (buf_printf(&b, "%s.s3.%s.%s", bucket, region, s3_dns_suffix(region)) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

int distribution_s3_origin_domain_parse(const char *domain, char **bucket, char **region)
{
    *bucket = *region = NULL;
    if (!domain)
        return -1;
    /* <bucket>.s3.<region>.<suffix>: bucket names here have no dots (the
     * schema refuses them), regions are one label. */
    const char *dot = strchr(domain, '.');
    if (!dot || dot == domain || strncmp(dot, ".s3.", 4) != 0)
        return -1;
    const char *reg = dot + 4;
    size_t reg_len = strcspn(reg, ".");
    if (reg_len == 0 || reg[reg_len] != '.')
        return -1;
    for (size_t i = 0; i < reg_len; i++)
        if (!(islower((unsigned char)reg[i]) || isdigit((unsigned char)reg[i]) || reg[i] == '-'))
            return -1;
    char *r = strndup(reg, reg_len);
    char *b = strndup(domain, (size_t)(dot - domain));
    if (!r || !b || strcmp(reg + reg_len + 1, s3_dns_suffix(r)) != 0) {
        free(r);
        free(b);
        return -1;
    }
    *bucket = b;
    *region = r;
    return 0;
}

/* ---- Origin Access Control calls ---- */

void distribution_oac_clean_up(struct distribution_oac *oac)
{
    free(oac->id);
    free(oac->etag);
    free(oac->name);
    memset(oac, 0, sizeof(*oac));
}

char *distribution_s3_oac_name(const char *bucket, const char *caller_reference,
                               const char *distribution_id)
{
    char suffix[OAC_SUFFIX_LEN + 1];
    size_t n = 0;
    /* The last 16 letters or digits of the reference (its random part). */
    size_t len = caller_reference ? strlen(caller_reference) : 0;
    for (size_t i = len; i > 0 && n < OAC_SUFFIX_LEN; i--) {
        unsigned char ch = (unsigned char)caller_reference[i - 1];
        if (isalnum(ch))
            suffix[OAC_SUFFIX_LEN - 1 - n++] = (char)tolower(ch);
    }
    const char *tail = suffix + OAC_SUFFIX_LEN - n;
    suffix[OAC_SUFFIX_LEN] = '\0';
    char id_suffix[OAC_SUFFIX_LEN + 1];
    if (n < 8 && distribution_id) {
        size_t m = 0;
        for (const char *p = distribution_id; *p && m < OAC_SUFFIX_LEN; p++)
            if (isalnum((unsigned char)*p))
                id_suffix[m++] = (char)tolower((unsigned char)*p);
        id_suffix[m] = '\0';
        tail = id_suffix;
    }
    size_t room = OAC_NAME_MAX - 1 - strlen(tail);
    struct buf b = {0};
    if (buf_printf(&b, "%.*s-%s", (int)room, bucket ? bucket : "", tail) != 0) {
        buf_clean_up(&b);
        return NULL;
    }
    return buf_detach(&b);
}

int distribution_cloudfront_call(struct aws_client *c, const char *operation, const char *method,
                                 const char *resource, const char *id, const char *suffix,
                                 const char *query, const char *if_match, const char *body,
                                 size_t body_len, struct aws_rest_xml_output *out,
                                 struct aws_error *err)
{
    struct buf path = {0};
    struct aws_headers headers = {0};
    int rc = -1;
    if (buf_printf(&path, "/2020-05-31/%s", resource) ||
        (id && (buf_append_char(&path, '/') || aws_uri_encode(&path, id, strlen(id), 0))) ||
        (suffix && buf_append_str(&path, suffix)) ||
        (if_match && aws_headers_set(&headers, "If-Match", if_match))) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    struct aws_rest_xml_input in = {.method = method,
                                    .path = path.data,
                                    .query = query,
                                    .headers = &headers,
                                    .body = body,
                                    .body_len = body_len};
    rc = aws_rest_xml_call(c, "cloudfront", operation, &in, out, err);
done:
    aws_headers_clean_up(&headers);
    buf_clean_up(&path);
    return rc;
}

/* One Origin Access Control request: /2020-05-31/origin-access-control[/<id>][suffix]. */
static int oac_call(struct aws_client *c, const char *operation, const char *method,
                    const char *id, const char *suffix, const char *query, const char *if_match,
                    const char *body, struct aws_rest_xml_output *out, struct aws_error *err)
{
    return distribution_cloudfront_call(c, operation, method, "origin-access-control", id, suffix,
                                        query, if_match, body, 0, out, err);
}

static bool oac_text_is(const xmlNode *config, const char *name, const char *want)
{
    char *t = aws_xml_find_text(config, name);
    bool eq = t && strcmp(t, want) == 0;
    free(t);
    return eq;
}

/* Fills *out from an OriginAccessControl answer and its ETag. */
static int oac_take(const struct aws_rest_xml_output *ans, struct distribution_oac *out,
                    struct aws_error *err)
{
    distribution_oac_clean_up(out);
    xmlNode *root = ans->doc ? xmlDocGetRootElement(ans->doc) : NULL;
    xmlNode *config = root ? aws_xml_child(root, "OriginAccessControlConfig") : NULL;
    const char *etag = aws_headers_get(&ans->headers, "ETag");
    out->id = root ? aws_xml_find_text(root, "Id") : NULL;
    out->name = config ? aws_xml_find_text(config, "Name") : NULL;
    out->etag = etag ? strdup(etag) : NULL;
    out->usable = config && oac_text_is(config, "OriginAccessControlOriginType", "s3") &&
                  oac_text_is(config, "SigningBehavior", "always") &&
                  oac_text_is(config, "SigningProtocol", "sigv4");
    if (!out->id || !out->etag || !config) {
        distribution_oac_clean_up(out);
        return aws_error_set(err, AWS_ERR_BAD_RESPONSE,
                             "the answer holds no OriginAccessControl with an Id and an ETag",
                             ans->status, NULL);
    }
    return 0;
}

int distribution_s3_oac_get(struct aws_client *c, const char *id, struct distribution_oac *out,
                            struct aws_error *err)
{
    struct aws_rest_xml_output ans = {0};
    int rc = oac_call(c, "GetOriginAccessControl", "GET", id, NULL, NULL, NULL, NULL, &ans, err);
    if (rc == 0)
        rc = oac_take(&ans, out, err);
    aws_rest_xml_output_clean_up(&ans);
    return rc;
}

/* The OriginAccessControlConfig payload (shape member order: Name,
 * Description, SigningProtocol, SigningBehavior,
 * OriginAccessControlOriginType). malloc'd; NULL when out of memory. */
static char *oac_config_xml(const char *name, const char *bucket)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = doc ? xmlNewNode(NULL, BAD_CAST "OriginAccessControlConfig") : NULL;
    xmlNsPtr ns = root ? xmlNewNs(root, BAD_CAST OAC_XMLNS, NULL) : NULL;
    char description[160];
    snprintf(description, sizeof description,
             "lsms_distribution: CloudFront reads bucket %s signed with SigV4", bucket);
    bool ok = ns != NULL;
    if (root) {
        xmlSetNs(root, ns);
        xmlDocSetRootElement(doc, root);
    }
    const char *const members[][2] = {
        {"Name", name}, {"Description", description}, {"SigningProtocol", "sigv4"},
        {"SigningBehavior", "always"}, {"OriginAccessControlOriginType", "s3"}};
    for (size_t i = 0; ok && i < sizeof members / sizeof members[0]; i++)
        ok = xmlNewTextChild(root, ns, BAD_CAST members[i][0], BAD_CAST members[i][1]) != NULL;
    xmlChar *mem = NULL;
    int size = 0;
    if (ok)
        xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    xmlFreeDoc(doc);
    char *text = mem && size >= 0 ? strndup((const char *)mem, (size_t)size) : NULL;
    xmlFree(mem);
    return text;
}

/* ListOriginAccessControls, every page, for the one called `name`:
 * *id malloc'd, or NULL when there is none. */
static int oac_find_by_name(struct aws_client *c, const char *name, char **id,
                            struct aws_error *err)
{
    *id = NULL;
    char *marker = NULL;
    int rc = 0;
    do {
        struct buf query = {0};
        struct aws_rest_xml_output ans = {0};
        rc = buf_append_str(&query, "MaxItems=100") ||
                     (marker && (buf_append_str(&query, "&Marker=") ||
                                 aws_uri_encode(&query, marker, strlen(marker), 0)))
                 ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL)
                 : oac_call(c, "ListOriginAccessControls", "GET", NULL, NULL, query.data, NULL,
                            NULL, &ans, err);
        free(marker);
        marker = NULL;
        xmlNode *root = rc == 0 && ans.doc ? xmlDocGetRootElement(ans.doc) : NULL;
        xmlNode *items = root ? aws_xml_child(root, "Items") : NULL;
        for (xmlNode *s = items ? items->children : NULL; s && !*id; s = s->next) {
            if (s->type != XML_ELEMENT_NODE || !oac_text_is(s, "Name", name))
                continue;
            *id = aws_xml_find_text(s, "Id");
        }
        if (root && !*id && oac_text_is(root, "IsTruncated", "true"))
            marker = aws_xml_find_text(root, "NextMarker");
        aws_rest_xml_output_clean_up(&ans);
        buf_clean_up(&query);
    } while (rc == 0 && marker && *marker);
    free(marker);
    return rc;
}

/* UpdateOriginAccessControl back to s3/always/sigv4 (If-Match: oac->etag);
 * *oac is refreshed from the answer. */
static int oac_repair(struct aws_client *c, const char *bucket, struct distribution_oac *oac,
                      struct aws_error *err)
{
    char *body = oac_config_xml(oac->name ? oac->name : "", bucket);
    struct aws_rest_xml_output ans = {0};
    int rc = !body ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL)
                   : oac_call(c, "UpdateOriginAccessControl", "PUT", oac->id, "/config", NULL,
                              oac->etag, body, &ans, err);
    if (rc == 0)
        rc = oac_take(&ans, oac, err);
    aws_rest_xml_output_clean_up(&ans);
    free(body);
    return rc;
}

int distribution_s3_oac_ensure(struct aws_client *c, const char *name, const char *bucket,
                               struct distribution_oac *out, bool *created,
                               struct aws_error *err)
{
    *created = false;
    distribution_oac_clean_up(out);
    char *body = oac_config_xml(name, bucket);
    struct aws_rest_xml_output ans = {0};
    int rc = body ? oac_call(c, "CreateOriginAccessControl", "POST", NULL, NULL, NULL, NULL,
                             body, &ans, err)
                  : aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    free(body);
    if (rc == 0) {
        *created = true;
        rc = oac_take(&ans, out, err);
    }
    aws_rest_xml_output_clean_up(&ans);
    if (rc == 0 || !aws_error_is(err, "OriginAccessControlAlreadyExists"))
        return rc;
    /* The name is ours (distribution_s3_oac_name): an earlier create of this
     * distribution made it. Adopt it rather than orphan it. */
    char *id = NULL;
    rc = oac_find_by_name(c, name, &id, err);
    if (rc == 0 && !id)
        rc = aws_error_setf(err, "OriginAccessControlAlreadyExists",
                            "CloudFront says an origin access control named %s exists, but "
                            "ListOriginAccessControls does not show it",
                            name);
    if (rc == 0)
        rc = distribution_s3_oac_get(c, id, out, err);
    if (rc == 0 && !out->usable)
        rc = oac_repair(c, bucket, out, err);
    free(id);
    return rc;
}

int distribution_s3_oac_delete(struct aws_client *c, const char *id, struct aws_error *err)
{
    int rc = 0;
    for (int attempt = 0; rc == 0 && attempt < 2; attempt++) {
        struct distribution_oac oac = {0};
        struct aws_rest_xml_output ans = {0};
        rc = distribution_s3_oac_get(c, id, &oac, err);
        if (rc == 0)
            rc = oac_call(c, "DeleteOriginAccessControl", "DELETE", id, NULL, NULL, oac.etag,
                          NULL, &ans, err);
        aws_rest_xml_output_clean_up(&ans);
        distribution_oac_clean_up(&oac);
        if (rc == 0 || !aws_error_is(err, "PreconditionFailed"))
            break;
        /* Changed between our read and our delete: read the new ETag. */
        rc = attempt == 0 ? 0 : -1;
    }
    if (rc != 0 && aws_error_is(err, "NoSuchOriginAccessControl"))
        rc = 0;
    return rc;
}

/* ---- the bucket policy, one editor per bucket at a time ---- */

struct grant_lock {
    char *bucket;
    pthread_mutex_t mutex;
    unsigned users;
    struct grant_lock *next;
};

static pthread_mutex_t grant_locks_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct grant_lock *grant_locks;

/* Locks `bucket`'s policy for this process; NULL when out of memory. */
static struct grant_lock *grant_lock_acquire(const char *bucket)
{
    pthread_mutex_lock(&grant_locks_mutex);
    struct grant_lock *l = grant_locks;
    while (l && strcmp(l->bucket, bucket) != 0)
        l = l->next;
    if (!l) {
        l = calloc(1, sizeof(*l));
        if (l && !(l->bucket = strdup(bucket))) {
            free(l);
            l = NULL;
        }
        if (l) {
            pthread_mutex_init(&l->mutex, NULL);
            l->next = grant_locks;
            grant_locks = l;
        }
    }
    if (l)
        l->users++;
    pthread_mutex_unlock(&grant_locks_mutex);
    if (l)
        pthread_mutex_lock(&l->mutex);
    return l;
}

static void grant_lock_release(struct grant_lock *l)
{
    pthread_mutex_unlock(&l->mutex);
    pthread_mutex_lock(&grant_locks_mutex);
    if (--l->users == 0) {
        struct grant_lock **p = &grant_locks;
        while (*p != l)
            p = &(*p)->next;
        *p = l->next;
        pthread_mutex_destroy(&l->mutex);
        free(l->bucket);
        free(l);
    }
    pthread_mutex_unlock(&grant_locks_mutex);
}

/* GetBucketPolicy: *policy malloc'd, NULL when the bucket has none
 * (NoSuchBucketPolicy) or, with *gone, no longer exists (NoSuchBucket). */
static int grant_policy_get(struct aws_client *c, const char *bucket, const char *region,
                            char **policy, bool *gone, struct aws_error *err)
{
    *policy = NULL;
    *gone = false;
    struct aws_s3_input in = {.operation = "GetBucketPolicy",
                              .bucket = bucket,
                              .query = "policy",
                              .region = region,
                              .raw_output = 1};
    struct aws_s3_output out = {0};
    int rc = aws_s3_call(c, &in, &out, err);
    if (rc == 0) {
        *policy = strndup(out.body.data ? out.body.data : "", out.body.len);
        if (!*policy)
            rc = aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    } else if (aws_error_is(err, "NoSuchBucketPolicy")) {
        rc = 0;
    } else if (aws_error_is(err, "NoSuchBucket")) {
        *gone = true;
        rc = 0;
    } else {
        s3_error_name(err, in.operation);
    }
    aws_s3_output_clean_up(&out);
    return rc;
}

/* PutBucketPolicy of `policy`, or DeleteBucketPolicy when it is NULL. */
static int grant_policy_put(struct aws_client *c, const char *bucket, const char *region,
                            const char *policy, struct aws_error *err)
{
    struct aws_s3_input in = {.operation = policy ? "PutBucketPolicy" : "DeleteBucketPolicy",
                              .method = policy ? "PUT" : "DELETE",
                              .bucket = bucket,
                              .query = "policy",
                              .region = region,
                              .body = policy,
                              /* httpChecksumRequired for PutBucketPolicy */
                              .content_md5 = policy != NULL,
                              /* AWS answers 204 without a body; nothing in
                               * an answer body matters here. */
                              .raw_output = 1};
    struct aws_s3_output out = {0};
    int rc = aws_s3_call(c, &in, &out, err);
    if (rc != 0)
        s3_error_name(err, in.operation);
    aws_s3_output_clean_up(&out);
    return rc;
}

int distribution_s3_grant_set(struct aws_client *c, const struct distribution_grant *g,
                              const char *region, bool grant, struct aws_error *err)
{
    struct grant_lock *lock = grant_lock_acquire(g->bucket);
    if (!lock)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    char *policy = NULL, *edited = NULL;
    bool gone = false, removed = false;
    const char *why = NULL;
    int rc = grant_policy_get(c, g->bucket, region, &policy, &gone, err);
    if (rc == 0 && grant && gone) {
        rc = aws_error_setf(err, "NoSuchBucket", "the bucket %s does not exist", g->bucket);
    } else if (rc == 0 && grant) {
        edited = distribution_grant_add(policy, g, &why);
        rc = edited ? grant_policy_put(c, g->bucket, region, edited, err)
                    : aws_error_setf(err, "MalformedPolicy",
                                     "cannot add the distribution's statement: %s", why);
    } else if (rc == 0 && !gone) {
        if (distribution_grant_remove(policy, g->distribution_id, &edited, &removed, &why) != 0)
            rc = aws_error_setf(err, "MalformedPolicy",
                                "cannot remove the distribution's statement: %s", why);
        else if (removed)
            rc = grant_policy_put(c, g->bucket, region, edited, err);
    }
    grant_lock_release(lock);
    free(policy);
    free(edited);
    return rc;
}

int distribution_s3_grant_check(struct aws_client *c, const struct distribution_grant *g,
                                const char *region, bool *present, struct aws_error *err)
{
    char *policy = NULL;
    bool gone = false;
    *present = false;
    int rc = grant_policy_get(c, g->bucket, region, &policy, &gone, err);
    if (rc == 0)
        *present = distribution_grant_present(policy, g);
    free(policy);
    return rc;
}
