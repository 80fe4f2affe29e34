/*
 * player_api.c - object calls of lsms_player on an S3 bucket or a MediaStore
 * container (player_api.h).
 */
#include "resources/player/player_api.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "aws/message.h"
#include "aws/protocol_rest_json.h"
#include "aws/protocol_s3.h"
#include "aws/xml.h"

void player_object_info_clean_up(struct player_object_info *info)
{
    free(info->etag);
    free(info->content_type);
    free(info->cache_control);
    buf_clean_up(&info->body);
    memset(info, 0, sizeof *info);
}

static char *player_header_dup(const struct aws_headers *h, const char *name)
{
    const char *v = aws_headers_get(h, name);
    return v ? strdup(v) : NULL;
}

/* Fills info from an answer's headers (and takes its body when `body`). */
static int player_info_from(struct player_object_info *info, struct aws_headers *headers,
                            struct buf *body, struct aws_error *err)
{
    info->found = true;
    info->etag = player_header_dup(headers, "ETag");
    info->content_type = player_header_dup(headers, "Content-Type");
    info->cache_control = player_header_dup(headers, "Cache-Control");
    if (body) {
        info->body = *body;
        memset(body, 0, sizeof *body);
    }
    if ((aws_headers_get(headers, "ETag") && !info->etag) ||
        (aws_headers_get(headers, "Content-Type") && !info->content_type) ||
        (aws_headers_get(headers, "Cache-Control") && !info->cache_control))
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    return 0;
}

/* ---- S3 ---- */

static bool player_s3_missing_key(const struct aws_error *err)
{
    /* HEAD answers a bare 404; GET and DELETE name it. */
    return aws_error_is(err, "NoSuchKey") ||
           (aws_error_is(err, "NotFound") && err->http_status == 404);
}

static int player_s3_put(const struct player_origin *o, const char *key, const void *body,
                         size_t len, const char *content_type, const char *cache_control,
                         char **etag, struct aws_error *err)
{
    struct aws_headers headers = {0};
    struct aws_s3_output out = {0};
    int rc = -1;
    if (aws_headers_add(&headers, "Content-Type", content_type) ||
        aws_headers_add(&headers, "Cache-Control", cache_control)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    /* An empty body is sent as such: body_len 0 would mean strlen. */
    struct aws_s3_input in = {.operation = "PutObject", .method = "PUT", .bucket = o->bucket,
                              .key = key, .headers = &headers, .body = len ? body : NULL,
                              .body_len = len};
    if (aws_s3_call(o->client, &in, &out, err) != 0)
        goto done;
    if (etag) {
        *etag = player_header_dup(&out.headers, "ETag");
        if (aws_headers_get(&out.headers, "ETag") && !*etag) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            goto done;
        }
    }
    rc = 0;
done:
    aws_s3_output_clean_up(&out);
    aws_headers_clean_up(&headers);
    return rc;
}

static int player_s3_read(const struct player_origin *o, const char *key, bool with_body,
                          struct player_object_info *info, struct aws_error *err)
{
    struct aws_s3_output out = {0};
    struct aws_s3_input in = {.operation = with_body ? "GetObject" : "HeadObject",
                              .method = with_body ? "GET" : "HEAD", .bucket = o->bucket,
                              .key = key, .raw_output = 1};
    int rc = aws_s3_call(o->client, &in, &out, err);
    if (rc != 0 && player_s3_missing_key(err)) {
        aws_error_clean_up(err);
        info->found = false;
        rc = 0;
    } else if (rc == 0) {
        rc = player_info_from(info, &out.headers, with_body ? &out.body : NULL, err);
    }
    aws_s3_output_clean_up(&out);
    return rc;
}

static int player_s3_delete(const struct player_origin *o, const char *key,
                            struct aws_error *err)
{
    struct aws_s3_output out = {0};
    struct aws_s3_input in = {.operation = "DeleteObject", .method = "DELETE",
                              .bucket = o->bucket, .key = key};
    int rc = aws_s3_call(o->client, &in, &out, err);
    aws_s3_output_clean_up(&out);
    /* S3 answers 204 for a key that is not there; a bucket that is gone
     * holds none of our objects either. */
    if (rc != 0 && (player_s3_missing_key(err) || aws_error_is(err, "NoSuchBucket"))) {
        aws_error_clean_up(err);
        rc = 0;
    }
    return rc;
}

static bool player_xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

int player_key_page_read(const xmlDoc *doc, struct player_key_page *page)
{
    const xmlNode *root = doc ? xmlDocGetRootElement((xmlDoc *)doc) : NULL;
    size_t count = 0;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next)
        count += player_xml_is(c, "Contents");
    page->keys = count ? calloc(count, sizeof *page->keys) : NULL;
    if (count && !page->keys)
        return -1;
    for (const xmlNode *c = root ? root->children : NULL; c; c = c->next) {
        if (!player_xml_is(c, "Contents"))
            continue;
        char *key = aws_xml_find_text(c, "Key");
        if (key && *key)
            page->keys[page->n++] = key;
        else
            free(key);
    }
    char *truncated = root ? aws_xml_find_text(root, "IsTruncated") : NULL;
    if (truncated && strcmp(truncated, "true") == 0) {
        page->next_token = aws_xml_find_text(root, "NextContinuationToken");
        if (page->next_token && !*page->next_token) {
            free(page->next_token);
            page->next_token = NULL;
        }
    }
    free(truncated);
    return 0;
}

void player_key_page_clean_up(struct player_key_page *page)
{
    for (size_t i = 0; i < page->n; i++)
        free(page->keys[i]);
    free(page->keys);
    free(page->next_token);
    memset(page, 0, sizeof *page);
}

int player_origin_list_page(const struct player_origin *o, const char *token,
                            struct player_key_page *page, struct aws_error *err)
{
    if (!o->bucket)
        return aws_error_set(err, AWS_ERR_CONFIG,
                             "only an S3 bucket's players can be listed", 0, NULL);
    struct buf query = {0};
    if (buf_append_str(&query, "list-type=2") ||
        (token && (buf_append_str(&query, "&continuation-token=") ||
                   aws_uri_encode(&query, token, strlen(token), 0)))) {
        buf_clean_up(&query);
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    struct aws_s3_output out = {0};
    struct aws_s3_input in = {.operation = "ListObjectsV2", .bucket = o->bucket,
                              .query = query.data};
    int rc = aws_s3_call(o->client, &in, &out, err);
    if (rc == 0 && player_key_page_read(out.doc, page) != 0) {
        player_key_page_clean_up(page);
        rc = aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    }
    aws_s3_output_clean_up(&out);
    buf_clean_up(&query);
    return rc;
}

/* ---- MediaStore data plane (rest-json, on the container's endpoint) ---- */

#define MEDIASTORE_DATA "mediastore"

/* "/<key>", encoded with '/' kept. 0 or -1. */
static int player_mediastore_path(struct buf *path, const char *key)
{
    return buf_append_char(path, '/') || aws_uri_encode(path, key, strlen(key), 1) ? -1 : 0;
}

static int player_mediastore_put(const struct player_origin *o, const char *key,
                                 const void *body, size_t len, const char *content_type,
                                 const char *cache_control, char **etag, struct aws_error *err)
{
    struct buf path = {0};
    struct aws_headers headers = {0};
    cJSON *out = NULL;
    int rc = -1;
    if (player_mediastore_path(&path, key) ||
        aws_headers_add(&headers, "Cache-Control", cache_control)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    /* PutObject is signed with an unsigned payload (botocore: authtype
     * v4-unsigned-body); its answer names the new object's ETag. */
    struct aws_rest_json_input in = {.method = "PUT", .path = path.data, .raw_body = body,
                                     .raw_body_len = len, .content_type = content_type,
                                     .headers = &headers, .endpoint = o->container_endpoint,
                                     .unsigned_payload = 1};
    if (aws_rest_json_call(o->client, MEDIASTORE_DATA, "PutObject", &in, &out, NULL, err) != 0)
        goto done;
    if (etag) {
        const char *got = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(out, "ETag"));
        *etag = got ? strdup(got) : NULL;
        if (got && !*etag) {
            aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
            goto done;
        }
    }
    rc = 0;
done:
    cJSON_Delete(out);
    aws_headers_clean_up(&headers);
    buf_clean_up(&path);
    return rc;
}

static bool player_mediastore_missing_object(const struct aws_error *err)
{
    return aws_error_is(err, "ObjectNotFoundException") ||
           (err->http_status == 404 && !aws_error_is(err, "ContainerNotFoundException"));
}

static int player_mediastore_read(const struct player_origin *o, const char *key,
                                  bool with_body, struct player_object_info *info,
                                  struct aws_error *err)
{
    struct buf path = {0};
    struct aws_response resp = {0};
    if (player_mediastore_path(&path, key))
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    struct aws_rest_json_input in = {.method = with_body ? "GET" : "HEAD", .path = path.data,
                                     .endpoint = o->container_endpoint};
    int rc = aws_rest_json_call_raw(o->client, MEDIASTORE_DATA,
                                    with_body ? "GetObject" : "DescribeObject", &in, &resp, err);
    if (rc != 0 && player_mediastore_missing_object(err)) {
        aws_error_clean_up(err);
        info->found = false;
        rc = 0;
    } else if (rc == 0) {
        rc = player_info_from(info, &resp.headers, with_body ? &resp.body : NULL, err);
    }
    aws_response_clean_up(&resp);
    buf_clean_up(&path);
    return rc;
}

static int player_mediastore_delete(const struct player_origin *o, const char *key,
                                    struct aws_error *err)
{
    struct buf path = {0};
    cJSON *out = NULL;
    if (player_mediastore_path(&path, key))
        return aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    struct aws_rest_json_input in = {.method = "DELETE", .path = path.data,
                                     .endpoint = o->container_endpoint};
    int rc = aws_rest_json_call(o->client, MEDIASTORE_DATA, "DeleteObject", &in, &out, NULL, err);
    cJSON_Delete(out);
    buf_clean_up(&path);
    /* Gone already, with its container or by itself: that is the goal. */
    if (rc != 0 && (aws_error_is(err, "ObjectNotFoundException") ||
                    aws_error_is(err, "ContainerNotFoundException"))) {
        aws_error_clean_up(err);
        rc = 0;
    }
    return rc;
}

/* ---- either origin ---- */

int player_origin_put(const struct player_origin *o, const char *key, const void *body,
                      size_t len, const char *content_type, const char *cache_control,
                      char **etag, struct aws_error *err)
{
    if (etag)
        *etag = NULL;
    return o->bucket ? player_s3_put(o, key, body, len, content_type, cache_control, etag, err)
                     : player_mediastore_put(o, key, body, len, content_type, cache_control,
                                             etag, err);
}

int player_origin_head(const struct player_origin *o, const char *key,
                       struct player_object_info *info, struct aws_error *err)
{
    return o->bucket ? player_s3_read(o, key, false, info, err)
                     : player_mediastore_read(o, key, false, info, err);
}

int player_origin_get(const struct player_origin *o, const char *key,
                      struct player_object_info *info, struct aws_error *err)
{
    return o->bucket ? player_s3_read(o, key, true, info, err)
                     : player_mediastore_read(o, key, true, info, err);
}

int player_origin_delete(const struct player_origin *o, const char *key, struct aws_error *err)
{
    return o->bucket ? player_s3_delete(o, key, err) : player_mediastore_delete(o, key, err);
}

const char *player_origin_operation(const struct player_origin *o, const char *verb)
{
    if (strcmp(verb, "put") == 0)
        return "PutObject";
    if (strcmp(verb, "get") == 0)
        return "GetObject";
    if (strcmp(verb, "delete") == 0)
        return "DeleteObject";
    return o->bucket ? "HeadObject" : "DescribeObject";
}

bool player_origin_is_gone(const struct aws_error *err)
{
    return aws_error_is(err, "NoSuchBucket") || aws_error_is(err, "ContainerNotFoundException");
}
