/*
 * distribution_s3.h - the AWS calls behind lsms_distribution's S3 origin:
 * where the bucket lives (HeadBucket), the CloudFront Origin Access Control
 * that signs the distribution's requests to it, and the bucket policy
 * statement that lets the distribution read it (distribution_grant.h).
 *
 * Every function returns 0, or -1 with `err` filled (the AWS error, or one
 * of aws/error.h's own codes). The client is borrowed and thread-safe; so
 * are these functions: the bucket policy is edited under a lock per bucket
 * held for the whole read-modify-write, so that two distributions of one
 * apply (OpenTofu runs ten operations at once) cannot lose each other's
 * statement.
 */
#ifndef LSMS_RESOURCES_DISTRIBUTION_S3_H
#define LSMS_RESOURCES_DISTRIBUTION_S3_H

#include <stdbool.h>

#include "aws/client.h"
#include "aws/error.h"
#include "aws/protocol_rest_xml.h"
#include "resources/distribution/distribution_grant.h"

/* ---- CloudFront ---- */

/*
 * One CloudFront (API 2020-05-31) REST call on `resource` ("distribution",
 * "origin-access-control"): path /2020-05-31/<resource>, then "/<id>" with
 * the id percent-encoded when id is non-NULL, then `suffix` ("/config"; may
 * be NULL). If-Match is sent when if_match is non-NULL; body (may be NULL)
 * is body_len bytes (0: strlen). `out` is cleaned up by the caller.
 */
int distribution_cloudfront_call(struct aws_client *c, const char *operation, const char *method,
                                 const char *resource, const char *id, const char *suffix,
                                 const char *query, const char *if_match, const char *body,
                                 size_t body_len, struct aws_rest_xml_output *out,
                                 struct aws_error *err);

/* ---- the bucket ---- */

/* HeadBucket: the bucket's region (x-amz-bucket-region, also read from the
 * redirect S3 answers when the bucket is in another region than the
 * client's) into *region, malloc'd. A missing bucket is err code "NotFound"
 * (HTTP 404). */
int distribution_s3_bucket_region(struct aws_client *c, const char *bucket, char **region,
                                  struct aws_error *err);

/* The bucket's regional domain name, the S3 origin's DomainName:
 * "<bucket>.s3.<region>.amazonaws.com" ("...amazonaws.com.cn" in the China
 * regions). malloc'd; NULL when out of memory. */
char *distribution_s3_origin_domain(const char *bucket, const char *region);

/* The way back: *bucket and *region (malloc'd) of a regional S3 domain name
 * as distribution_s3_origin_domain writes it; -1 (both NULL) for any other
 * host, a legacy global "<bucket>.s3.amazonaws.com" included. */
int distribution_s3_origin_domain_parse(const char *domain, char **bucket, char **region);

/* ---- the Origin Access Control ---- */

/* One Origin Access Control as CloudFront reports it. Strings owned. */
struct distribution_oac {
    char *id;
    char *etag;
    char *name;
    /* OriginAccessControlOriginType s3, SigningBehavior always and
     * SigningProtocol sigv4: what the distribution needs. */
    bool usable;
};
void distribution_oac_clean_up(struct distribution_oac *oac);

/* The OAC name for `bucket` and the distribution: up to 47 characters of the
 * bucket name, '-', and 16 letters or digits of the distribution's
 * CallerReference (which lsms_distribution makes random: "lsms-" and 32 hex
 * digits), so the name is unique in the account (CloudFront requires it,
 * OriginAccessControlAlreadyExists) and the same every time it is asked
 * for the same distribution and bucket. When the reference has fewer than 8
 * letters or digits (a distribution made elsewhere and imported),
 * `distribution_id` stands in for it. At most 64 characters (CloudFront's
 * limit); malloc'd, NULL when out of memory. */
char *distribution_s3_oac_name(const char *bucket, const char *caller_reference,
                               const char *distribution_id);

/* GetOriginAccessControl. A missing OAC is err code NoSuchOriginAccessControl. */
int distribution_s3_oac_get(struct aws_client *c, const char *id, struct distribution_oac *out,
                            struct aws_error *err);

/*
 * The OAC named `name` (see distribution_s3_oac_name), usable: created
 * (CreateOriginAccessControl, s3/always/sigv4, a description naming the
 * bucket) or, when CloudFront answers OriginAccessControlAlreadyExists (an
 * earlier create whose answer was lost, or one left detached), found by
 * name (ListOriginAccessControls) and adopted, its settings put back with
 * UpdateOriginAccessControl when someone changed them. *created says which.
 * *out is filled (cleaned up first).
 */
int distribution_s3_oac_ensure(struct aws_client *c, const char *name, const char *bucket,
                               struct distribution_oac *out, bool *created,
                               struct aws_error *err);

/* DeleteOriginAccessControl with the current ETag (GetOriginAccessControl
 * first; once more when it changed in between). An OAC already gone is
 * success; one still used by a distribution fails with
 * OriginAccessControlInUse. */
int distribution_s3_oac_delete(struct aws_client *c, const char *id, struct aws_error *err);

/* ---- the bucket policy statement ---- */

/* Adds (grant true) or removes (grant false) the distribution's statement
 * in the policy of g->bucket (in `region`): GetBucketPolicy (none:
 * NoSuchBucketPolicy), the edit, then PutBucketPolicy, or
 * DeleteBucketPolicy when the statement was the only one; nothing is written
 * when there is nothing to change. Removing from a bucket that no longer
 * exists is success. Other statements are left as they are. */
int distribution_s3_grant_set(struct aws_client *c, const struct distribution_grant *g,
                              const char *region, bool grant, struct aws_error *err);

/* *present: the policy of g->bucket holds the statement exactly
 * (distribution_grant_present); false when the bucket has no policy or no
 * longer exists. */
int distribution_s3_grant_check(struct aws_client *c, const struct distribution_grant *g,
                                const char *region, bool *present, struct aws_error *err);

#endif
