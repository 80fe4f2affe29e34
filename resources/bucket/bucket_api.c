/*
 * bucket_api.c - S3 calls of lsms_bucket (bucket_api.h).
 */
#include "resources/bucket/bucket_api.h"

#include <stdlib.h>
#include <string.h>

#include "aws/message.h"
#include "aws/protocol_s3.h"
#include "resources/bucket/bucket_xml.h"
#include "util/buf.h"

int bucket_api_call(struct aws_client *c, const struct bucket_api_request *req, xmlDoc **doc,
                    char **region_header, struct aws_error *err)
{
    struct aws_headers headers = {0};
    struct aws_s3_output out = {0};
    if (doc)
        *doc = NULL;
    if (region_header)
        *region_header = NULL;
    if (req->header_name && aws_headers_add(&headers, req->header_name, req->header_value) != 0)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    struct aws_s3_input in = {
        .operation = req->operation,
        .method = req->method,
        .bucket = req->bucket,
        .query = req->query,
        .headers = req->header_name ? &headers : NULL,
        .body = req->body,
        .content_md5 = req->content_md5,
        .region = req->region,
    };
    int rc = aws_s3_call(c, &in, &out, err);
    if (region_header) {
        const char *r = aws_headers_get(&out.headers, "x-amz-bucket-region");
        *region_header = r && *r ? strdup(r) : NULL;
    }
    if (rc == 0 && doc) {
        *doc = out.doc;
        out.doc = NULL;
    }
    aws_s3_output_clean_up(&out);
    aws_headers_clean_up(&headers);
    return rc;
}

bool bucket_api_is_gone(const struct aws_error *err)
{
    return aws_error_is(err, "NoSuchBucket") ||
           (aws_error_is(err, "NotFound") && err->http_status == 404);
}

/* "versions&max-keys=N[&key-marker=K[&version-id-marker=V]]", encoded. */
static int bucket_api_versions_query(struct buf *q, size_t page_size, const char *key_marker,
                                     const char *version_marker)
{
    buf_reset(q);
    if (buf_printf(q, "versions&max-keys=%zu", page_size) != 0)
        return -1;
    if (key_marker) {
        if (buf_append_str(q, "&key-marker=") != 0 ||
            aws_uri_encode(q, key_marker, strlen(key_marker), 0) != 0)
            return -1;
        if (version_marker && *version_marker &&
            (buf_append_str(q, "&version-id-marker=") != 0 ||
                               aws_uri_encode(q, version_marker, strlen(version_marker), 0) != 0))
            return -1;
    }
    return 0;
}

/* DeleteObjects of one listed page (its items, at most 1000). */
static int bucket_api_delete_page(struct aws_client *c, const char *bucket, const char *region,
                                  const struct bucket_versions_page *page, struct aws_error *err)
{
    char *body = bucket_xml_delete_build(page->items, page->n);
    if (!body)
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    struct bucket_api_request req = {.operation = "DeleteObjects", .method = "POST",
                                     .bucket = bucket, .region = region, .query = "delete",
                                     .body = body, .content_md5 = true};
    xmlDoc *answer = NULL;
    int rc = bucket_api_call(c, &req, &answer, NULL, err);
    free(body);
    if (rc != 0)
        return -1;
    /* DeleteObjects answers 200 and lists the keys it could not delete. */
    char *first = NULL;
    size_t failed = bucket_xml_delete_errors(answer, &first);
    xmlFreeDoc(answer);
    if (failed > 0) {
        aws_error_setf(err, "DeleteObjectsFailed", "%zu of %zu objects were not deleted, "
                                                   "first %s",
                       failed, page->n, first ? first : "(unknown)");
        free(first);
        return -1;
    }
    return 0;
}

int bucket_api_empty(struct aws_client *c, const char *bucket, const char *region,
                     size_t page_size, size_t *deleted, struct aws_error *err)
{
    struct buf query = {0};
    char *key_marker = NULL, *version_marker = NULL;
    int rc = -1;
    if (page_size == 0 || page_size > BUCKET_API_BATCH_MAX)
        page_size = BUCKET_API_BATCH_MAX;
    if (deleted)
        *deleted = 0;
    for (;;) {
        struct bucket_versions_page page = {0};
        xmlDoc *answer = NULL;
        if (bucket_api_versions_query(&query, page_size, key_marker, version_marker) != 0) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            break;
        }
        struct bucket_api_request req = {.operation = "ListObjectVersions", .bucket = bucket,
                                         .region = region, .query = query.data};
        if (bucket_api_call(c, &req, &answer, NULL, err) != 0)
            break;
        int parsed = bucket_xml_versions_page_read(answer, &page);
        xmlFreeDoc(answer);
        if (parsed != 0) {
            bucket_xml_versions_page_clean_up(&page);
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            break;
        }
        if (page.n > 0 && bucket_api_delete_page(c, bucket, region, &page, err) != 0) {
            bucket_xml_versions_page_clean_up(&page);
            break;
        }
        if (deleted)
            *deleted += page.n;
        /* A truncated page without a marker would list the same page again. */
        bool more = page.truncated && page.next_key_marker && *page.next_key_marker;
        free(key_marker);
        free(version_marker);
        key_marker = page.next_key_marker;
        version_marker = page.next_version_marker;
        page.next_key_marker = page.next_version_marker = NULL;
        bucket_xml_versions_page_clean_up(&page);
        if (!more) {
            rc = 0;
            break;
        }
    }
    free(key_marker);
    free(version_marker);
    buf_clean_up(&query);
    return rc;
}
