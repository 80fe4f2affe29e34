/*
 * protocol_s3.h - Amazon S3: restXml with S3's own rules for addressing,
 * object keys, signing, checksums and errors.
 *
 * Addressing. A bucket call goes to
 *   - path-style     <endpoint>/<bucket>[/<key>]            when the provider's
 *     s3_use_path_style is true, when the S3 endpoint is overridden (endpoints
 *     block, AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL: emulators serve one host),
 *     or when the bucket name cannot be a DNS label (dots, upper case, '_'...:
 *     a dotted name would not match the *.s3 TLS certificate);
 *   - virtual-hosted https://<bucket>.s3.<region>.amazonaws.com/[<key>] otherwise.
 * A service call (bucket NULL: ListBuckets) goes to <endpoint>/.
 * The region is in->region (the bucket's, for a bucket outside the client's
 * region) or else the client's: it picks the default endpoint
 * (https://s3.<region>.amazonaws.com, us-east-1 included) and is the SigV4
 * signing region. An overridden endpoint serves every region as it is.
 *
 * Encoding. The key is raw (UTF-8) and encoded here once, per RFC 3986 with
 * '/' kept: "live/a b+c~é.ts" -> "live/a%20b%2Bc~%C3%A9.ts"; "//" and "."
 * segments reach S3 as they are, and SigV4 signs that path as sent (S3 rules,
 * sigv4.h). The query is given already encoded (aws_uri_encode its values,
 * space as %20), without '?'.
 *
 * Signing. x-amz-content-sha256 is always sent and signed: the body's
 * SHA-256, or UNSIGNED-PAYLOAD when in->unsigned_payload.
 *
 * Content-MD5. S3 refuses a request without Content-MD5 (or a flexible
 * checksum header) for every operation the botocore model marks
 * httpChecksum.requestChecksumRequired (or httpChecksumRequired). The ones a
 * bucket resource uses: PutBucketPolicy, PutBucketCors,
 * PutBucketLifecycleConfiguration, PutBucketLogging, PutBucketTagging,
 * PutBucketOwnershipControls, PutPublicAccessBlock, PutBucketVersioning,
 * PutBucketEncryption, PutBucketAcl and DeleteObjects (also PutObjectAcl,
 * PutObjectTagging, PutBucketReplication, PutBucketWebsite, ...). Not
 * required: CreateBucket, PutBucketMetricsConfiguration, PutObject. Set
 * in->content_md5 for those: the layer adds Content-MD5 = base64(MD5(body)).
 *
 * Errors. err gets S3's <Error><Code/><Message/><RequestId/></Error> (the
 * request id falls back to x-amz-request-id). An answer without a body (HEAD,
 * or a 301/403/404 with none) gets a code from its status: 301
 * PermanentRedirect, 307 TemporaryRedirect, 304 NotModified, 400 BadRequest,
 * 403 Forbidden, 404 NotFound (HeadBucket/HeadObject of a missing bucket or
 * key), 405 MethodNotAllowed, 409 Conflict, 412 PreconditionFailed, 500
 * InternalError, 503 ServiceUnavailable, else HttpError. On a 301/307 the
 * message names the bucket's region from x-amz-bucket-region. Retries
 * (aws/retry.h) cover S3's SlowDown, InternalError, ServiceUnavailable,
 * RequestTimeout and OperationAborted.
 *
 * Example:
 *     struct aws_s3_input in = {.operation = "PutBucketPolicy", .method = "PUT",
 *                               .bucket = "live-origin", .query = "policy",
 *                               .body = policy_json, .content_md5 = 1};
 *     struct aws_s3_output out = {0};
 *     int rc = aws_s3_call(client, &in, &out, &err);
 *     aws_s3_output_clean_up(&out);
 */
#ifndef LSMS_AWS_PROTOCOL_S3_H
#define LSMS_AWS_PROTOCOL_S3_H

#include <libxml/tree.h>

#include "aws/engine.h"

struct aws_s3_input {
    const char *operation; /* for logs: "PutBucketPolicy" */
    const char *method;    /* NULL: GET */
    const char *bucket;    /* NULL: a service call (ListBuckets) */
    const char *key;       /* raw object key, NULL for bucket calls; never "" */
    /* Encoded, without '?': "policy", "metrics&id=EntireBucket",
     * "list-type=2&prefix=stream%2F", "versions&key-marker=a%20b"; may be NULL. */
    const char *query;
    const struct aws_headers *headers; /* Content-Type, x-amz-*, ...; may be NULL */
    const char *body;                  /* request body or NULL */
    size_t body_len;                   /* 0: strlen(body) */
    int content_md5;                   /* add Content-MD5 of the body (see above) */
    int unsigned_payload;              /* x-amz-content-sha256: UNSIGNED-PAYLOAD */
    const char *region;                /* the bucket's region; NULL: the client's */
    /* 1: the answer's body is not XML (GetBucketPolicy's JSON, GetObject's
     * bytes): keep it in out->body only and leave out->doc NULL. */
    int raw_output;
};

struct aws_s3_output {
    long status;
    struct aws_headers headers; /* response headers (ETag, x-amz-bucket-region, ...) */
    xmlDoc *doc;                /* the XML answer; NULL when empty or raw_output */
    struct buf body;            /* the answer's bytes as received */
};

/*
 * Sends one S3 request through the client engine (aws_client_send: retries,
 * re-signing, stop flag, debug log). On 2xx returns 0 with `out` (zeroed by
 * the caller) filled. Otherwise -1 with err filled; when S3 answered
 * (err->http_status != 0), out->status, out->headers and out->body hold that
 * answer too (a 301 or 403 carries x-amz-bucket-region), out->doc stays NULL.
 * A bad input (empty bucket or key, key without bucket) is AWS_ERR_CONFIG
 * with nothing sent. Clean `out` up with aws_s3_output_clean_up in every case.
 */
int aws_s3_call(struct aws_client *c, const struct aws_s3_input *in, struct aws_s3_output *out,
                struct aws_error *err);
void aws_s3_output_clean_up(struct aws_s3_output *out);

/* Fills err from an S3 error answer, as described above (replacing what err
 * held). Used by aws_s3_call; public for tests and fuzzing. */
void aws_s3_error_parse(const struct aws_response *resp, struct aws_error *err);

/* 1 when `bucket` can be the first label of a virtual-hosted host name over
 * TLS: 3-63 characters of a-z, 0-9 and '-', starting and ending with a
 * letter or digit, not an IPv4 address. */
int aws_s3_bucket_virtual_hostable(const char *bucket);

#endif
