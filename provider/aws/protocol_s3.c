#include "aws/protocol_s3.h"

#include <libxml/parser.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"

#define S3_DEFAULT_SCHEME "https://"

int aws_s3_bucket_virtual_hostable(const char *bucket)
{
    size_t n = bucket ? strlen(bucket) : 0;
    if (n < 3 || n > 63)
        return 0;
    /* No dots allowed, so no IPv4 address can pass either. */
    for (size_t i = 0; i < n; i++) {
        char ch = bucket[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return 0;
    }
    return bucket[0] != '-' && bucket[n - 1] != '-';
}

/* S3's codes for answers without an error document (HEAD has no body; some
 * 301/403/404 answers come without one too). */
static const struct {
    long status;
    const char *code;
    const char *reason;
} s3_status_codes[] = {
    {301, "PermanentRedirect", "Moved Permanently"},
    {304, "NotModified", "Not Modified"},
    {307, "TemporaryRedirect", "Temporary Redirect"},
    {400, "BadRequest", "Bad Request"},
    {403, "Forbidden", "Forbidden"},
    {404, "NotFound", "Not Found"},
    {405, "MethodNotAllowed", "Method Not Allowed"},
    {409, "Conflict", "Conflict"},
    {412, "PreconditionFailed", "Precondition Failed"},
    {500, "InternalError", "Internal Server Error"},
    {503, "ServiceUnavailable", "Service Unavailable"},
};

static xmlNode *s3_error_element(xmlDoc *doc)
{
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (root && strcmp((const char *)root->name, "Error") == 0)
        return root;
    /* The restXml wrapper other services (and test proxies) use. */
    return aws_xml_find(root, "ErrorResponse/Error");
}

void aws_s3_error_parse(const struct aws_response *resp, struct aws_error *err)
{
    xmlDoc *doc = aws_xml_parse(resp->body.data, resp->body.len);
    xmlNode *error = s3_error_element(doc);
    char *code = aws_xml_find_text(error, "Code");
    char *message = aws_xml_find_text(error, "Message");
    char *rid = aws_xml_find_text(error, "RequestId");
    if (!rid)
        rid = aws_xml_find_text(error, "RequestID"); /* moto's spelling */
    struct buf text = {0};
    if (!code || !*code) {
        /* No error document: name the status, as S3 documents HEAD errors. */
        const char *name = "HttpError", *reason = NULL;
        for (size_t i = 0; i < sizeof(s3_status_codes) / sizeof(*s3_status_codes); i++)
            if (s3_status_codes[i].status == resp->status) {
                name = s3_status_codes[i].code;
                reason = s3_status_codes[i].reason;
            }
        free(code);
        code = strdup(name);
        /* Out of memory below only shortens the message. */
        if (reason)
            buf_printf(&text, "%s (HTTP %ld without an error document)", reason, resp->status);
        else
            buf_printf(&text, "HTTP status %ld without an error document", resp->status);
    } else if (message) {
        buf_append_str(&text, message);
    }
    /* A redirect names the bucket's region in a header; say it, since the
     * fix is to call that region. */
    const char *region = aws_headers_get(&resp->headers, "x-amz-bucket-region");
    if (region && *region && (resp->status == 301 || resp->status == 307))
        buf_printf(&text, "%sThe bucket is in region %s.", text.len ? " " : "", region);
    const char *hdr_rid = aws_headers_get(&resp->headers, "x-amz-request-id");
    if (!hdr_rid)
        hdr_rid = aws_response_request_id(resp);
    aws_error_set(err, code ? code : AWS_ERR_NO_MEMORY, text.data, resp->status,
                  rid && *rid ? rid : hdr_rid);
    buf_clean_up(&text);
    free(code);
    free(message);
    free(rid);
    xmlFreeDoc(doc);
}

/* base64(MD5(body)) into `out` (25 bytes). 0 or -1. */
static int s3_content_md5(const char *body, size_t len, char out[25])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (!EVP_Digest(body ? body : "", len, md, &md_len, EVP_md5(), NULL) || md_len != 16)
        return -1;
    return EVP_EncodeBlock((unsigned char *)out, md, 16) == 24 ? 0 : -1;
}

/* The endpoint URL and request path of a call: see the header for the
 * addressing rules. `url` and `path` are reset first. 0 or -1 with err. */
static int s3_address(struct aws_client *c, const struct aws_s3_input *in, struct buf *url,
                      struct buf *path, struct aws_error *err)
{
    struct aws_endpoint ep = {0};
    if (aws_client_endpoint_resolve(c, "s3", in->region, &ep, err))
        return -1;
    int path_style = !in->bucket || aws_client_s3_use_path_style(c) || ep.overridden ||
                     !aws_s3_bucket_virtual_hostable(in->bucket) ||
                     strncmp(ep.url, S3_DEFAULT_SCHEME, strlen(S3_DEFAULT_SCHEME)) != 0;
    int rc;
    buf_reset(url);
    buf_reset(path);
    if (path_style)
        rc = buf_append_str(url, ep.url);
    else
        rc = buf_printf(url, S3_DEFAULT_SCHEME "%s.%s", in->bucket,
                        ep.url + strlen(S3_DEFAULT_SCHEME));
    if (!rc)
        rc = buf_append_char(path, '/');
    if (!rc && in->bucket && path_style) {
        rc = aws_uri_encode(path, in->bucket, strlen(in->bucket), 0);
        if (!rc && in->key)
            rc = buf_append_char(path, '/');
    }
    if (!rc && in->key)
        rc = aws_uri_encode(path, in->key, strlen(in->key), 1);
    aws_endpoint_clean_up(&ep);
    return rc ? aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL) : 0;
}

static int s3_input_check(const struct aws_s3_input *in, struct aws_error *err)
{
    if (in->bucket && !*in->bucket)
        return aws_error_setf(err, AWS_ERR_CONFIG, "%s: the bucket name is empty",
                              in->operation ? in->operation : "S3 call");
    if (in->key && (!*in->key || !in->bucket))
        return aws_error_setf(err, AWS_ERR_CONFIG, "%s: %s",
                              in->operation ? in->operation : "S3 call",
                              in->bucket ? "the object key is empty"
                                         : "an object key needs a bucket");
    return 0;
}

static int s3_request_build(const struct aws_s3_input *in, const char *path,
                            struct aws_request *req)
{
    if (aws_request_start(req, in->method, path, in->query, in->headers))
        return -1;
    size_t len = in->body ? (in->body_len ? in->body_len : strlen(in->body)) : 0;
    if (len && buf_append(&req->body, in->body, len))
        return -1;
    if (in->content_md5) {
        char md5[25];
        if (s3_content_md5(req->body.data, req->body.len, md5) ||
            aws_headers_set(&req->headers, "Content-MD5", md5))
            return -1;
    }
    return 0;
}

int aws_s3_call(struct aws_client *c, const struct aws_s3_input *in, struct aws_s3_output *out,
                struct aws_error *err)
{
    struct aws_request req = {0};
    struct aws_response resp = {0};
    struct buf url = {0}, path = {0};
    int rc = -1;
    if (s3_input_check(in, err) || s3_address(c, in, &url, &path, err))
        goto done;
    if (s3_request_build(in, path.data, &req)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    struct aws_call call = {.service = "s3",
                            .operation = in->operation,
                            .endpoint = url.data,
                            .region = in->region,
                            .s3 = 1,
                            .unsigned_payload = in->unsigned_payload,
                            .parse_error = aws_s3_error_parse};
    int sent = aws_client_send(c, &call, &req, &resp, err);
    if (resp.status) {
        out->status = resp.status;
        /* Hand headers and body over instead of copying them. */
        out->headers = resp.headers;
        out->body = resp.body;
        memset(&resp.headers, 0, sizeof(resp.headers));
        memset(&resp.body, 0, sizeof(resp.body));
    }
    if (sent)
        goto done;
    if (out->body.len && !in->raw_output) {
        out->doc = aws_xml_parse(out->body.data, out->body.len);
        if (!out->doc) {
            aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the answer is not XML", out->status,
                          aws_headers_get(&out->headers, "x-amz-request-id"));
            goto done;
        }
    }
    rc = 0;
done:
    buf_clean_up(&url);
    buf_clean_up(&path);
    aws_request_clean_up(&req);
    aws_response_clean_up(&resp);
    return rc;
}

void aws_s3_output_clean_up(struct aws_s3_output *out)
{
    aws_headers_clean_up(&out->headers);
    xmlFreeDoc(out->doc);
    /* Objects and policies may be anything the user stored. */
    buf_clean_up_secret(&out->body);
    memset(out, 0, sizeof(*out));
}
