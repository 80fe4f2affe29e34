/*
 * bucket_api.h - the S3 calls behind lsms_bucket: one bucket request with
 * an XML answer, and emptying a bucket (every object version and delete
 * marker) before it is deleted.
 *
 * Every function returns 0, or -1 with `err` filled (the AWS error, or one
 * of aws/error.h's own codes). The client is borrowed and thread-safe.
 */
#ifndef LSMS_RESOURCES_BUCKET_API_H
#define LSMS_RESOURCES_BUCKET_API_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "aws/client.h"
#include "aws/error.h"

/* S3 answers at most this many versions per ListObjectVersions page and
 * DeleteObjects takes at most this many keys. */
#define BUCKET_API_BATCH_MAX 1000

/* One bucket request. */
struct bucket_api_request {
    const char *operation; /* "PutBucketCors", for logs and errors */
    const char *method;    /* NULL: GET */
    const char *bucket;
    const char *region;    /* the bucket's region; NULL: the client's */
    const char *query;     /* encoded, without '?': "cors", "metrics&id=EntireBucket" */
    const char *body;      /* XML or NULL */
    bool content_md5;      /* the operation requires Content-MD5 (protocol_s3.h) */
    const char *header_name, *header_value; /* one extra header, or NULL */
};

/* Sends `req`. On success *doc (when doc is non-NULL) is the parsed XML
 * answer, NULL when it had no body; the caller frees it with xmlFreeDoc.
 * *region_header (when non-NULL) gets a malloc'd copy of the answer's
 * x-amz-bucket-region header, also on failure when S3 answered (a 301 names
 * the bucket's region there), else NULL. */
int bucket_api_call(struct aws_client *c, const struct bucket_api_request *req, xmlDoc **doc,
                    char **region_header, struct aws_error *err);

/* True for the errors that mean the bucket does not exist (NoSuchBucket, or
 * a body-less 404 of HeadBucket). */
bool bucket_api_is_gone(const struct aws_error *err);

/* Deletes every object version and delete marker of `bucket`: lists a page
 * of up to `page_size` (1 to BUCKET_API_BATCH_MAX; 0 means the maximum)
 * with ListObjectVersions, deletes it with one DeleteObjects, and goes on
 * from the page's NextKeyMarker/NextVersionIdMarker until a page is not
 * truncated. A key S3 refuses to delete fails the call with that key's
 * error. *deleted (may be NULL) counts what was deleted. */
int bucket_api_empty(struct aws_client *c, const char *bucket, const char *region,
                     size_t page_size, size_t *deleted, struct aws_error *err);

#endif
