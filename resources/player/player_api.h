/*
 * player_api.h - the object calls of lsms_player on either origin: an S3
 * bucket (PutObject, HeadObject, GetObject, DeleteObject, and ListObjectsV2
 * for the list resource) or a MediaStore container's data plane (PutObject,
 * DescribeObject, GetObject, DeleteObject).
 *
 * Every function returns 0, or -1 with `err` filled (the AWS error, or one
 * of aws/error.h's own codes). The client is borrowed and thread-safe, so
 * the calls of one operation may run together (resources/jobs.h).
 */
#ifndef LSMS_RESOURCES_PLAYER_API_H
#define LSMS_RESOURCES_PLAYER_API_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "aws/client.h"
#include "aws/error.h"
#include "util/buf.h"

/* Where the objects live: exactly one of bucket and container_endpoint
 * (borrowed). */
struct player_origin {
    struct aws_client *client;
    const char *bucket;             /* S3 bucket name, in the client's region */
    const char *container_endpoint; /* MediaStore data endpoint URL */
};

/* What the origin says about one object. Owned strings; NULL when the
 * answer did not carry them. */
struct player_object_info {
    bool found;          /* false: the object does not exist */
    char *etag;          /* as the origin sends it (S3 quotes it) */
    char *content_type;
    char *cache_control;
    struct buf body;     /* player_origin_get only */
};

void player_object_info_clean_up(struct player_object_info *info);

/* Writes `key` with `body` and its Content-Type and Cache-Control. *etag
 * (may be NULL) gets the new object's ETag, malloc'd, or NULL when the
 * answer has none. */
int player_origin_put(const struct player_origin *o, const char *key, const void *body,
                      size_t len, const char *content_type, const char *cache_control,
                      char **etag, struct aws_error *err);

/* The object's metadata (HeadObject, DescribeObject) into `info` (zeroed by
 * the caller). A missing object is 0 with info->found false; a missing
 * bucket or container is -1 (player_origin_is_gone tells). */
int player_origin_head(const struct player_origin *o, const char *key,
                       struct player_object_info *info, struct aws_error *err);

/* As player_origin_head, with the object's bytes in info->body. */
int player_origin_get(const struct player_origin *o, const char *key,
                      struct player_object_info *info, struct aws_error *err);

/* Deletes `key`; an object already gone is success. */
int player_origin_delete(const struct player_origin *o, const char *key, struct aws_error *err);

/* One page of a bucket's keys (ListObjectsV2), for the list resource:
 * owned strings. */
struct player_key_page {
    char **keys;
    size_t n;
    char *next_token; /* NextContinuationToken when the page is truncated, else NULL */
};

/* Lists one page of `o->bucket`'s keys (S3 only: -1 with AWS_ERR_CONFIG for
 * a container), from `token` (NULL: the first page), into `page` (zeroed
 * by the caller). */
int player_origin_list_page(const struct player_origin *o, const char *token,
                            struct player_key_page *page, struct aws_error *err);

/* Reads a ListBucketResult document: each <Contents><Key> that is not
 * empty, and <NextContinuationToken> when <IsTruncated> is true and the
 * token is not empty. 0, or -1 when out of memory. */
int player_key_page_read(const xmlDoc *doc, struct player_key_page *page);
void player_key_page_clean_up(struct player_key_page *page);

/* The AWS operation behind a call on `o`, for diagnostics: `verb` is one
 * of "put", "head", "get", "delete" ("HeadObject" for S3 and
 * "DescribeObject" for MediaStore, ...). Static string. */
const char *player_origin_operation(const struct player_origin *o, const char *verb);

/* True when err says the bucket or the container itself does not exist. */
bool player_origin_is_gone(const struct aws_error *err);

#endif
