#include "aws/protocol_query.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"

/* Query and rest-xml errors share this shape; rest-xml also has <Type>. The
 * <Error> element is either the root (S3 style) or under <ErrorResponse>. */
void aws_query_error_parse(const struct aws_response *resp, struct aws_error *err)
{
    xmlDoc *doc = aws_xml_parse(resp->body.data, resp->body.len);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    xmlNode *error = root && strcmp((const char *)root->name, "Error") == 0
                         ? root
                         : aws_xml_find(root, "ErrorResponse/Error");
    /* moto's signature errors use <ErrorResponse><Errors><Error>. */
    if (!error)
        error = aws_xml_find(root, "ErrorResponse/Errors/Error");
    if (!error)
        error = aws_xml_find(root, "Response/Errors/Error");
    char *code = aws_xml_find_text(error, "Code");
    char *message = aws_xml_find_text(error, "Message");
    char *rid = aws_xml_find_text(root, "RequestId");
    if (!rid)
        rid = aws_xml_find_text(root, "RequestID");
    if (!rid)
        rid = aws_xml_find_text(root, "Response/RequestID");
    const char *hdr_rid = aws_response_request_id(resp);
    aws_error_set(err, code && *code ? code : "UnknownError",
                  message ? message : (!doc && resp->body.len ? "the answer is not XML" : NULL),
                  resp->status, rid && *rid ? rid : hdr_rid);
    free(code);
    free(message);
    free(rid);
    xmlFreeDoc(doc);
}

static int form_append(struct buf *b, const char *name, const char *value)
{
    if (b->len && buf_append_char(b, '&'))
        return -1;
    if (aws_uri_encode(b, name, strlen(name), 0) || buf_append_char(b, '='))
        return -1;
    return aws_uri_encode(b, value ? value : "", value ? strlen(value) : 0, 0);
}

int aws_query_request_build(const char *action, const char *version, const char *const *params,
                            struct aws_request *req)
{
    if (aws_request_set_line(req, "POST", "/", NULL) ||
        aws_headers_set(&req->headers, "Content-Type",
                        "application/x-www-form-urlencoded; charset=utf-8"))
        return -1;
    buf_reset(&req->body);
    if (form_append(&req->body, "Action", action) || form_append(&req->body, "Version", version))
        return -1;
    for (size_t i = 0; params && params[i]; i += 2)
        if (form_append(&req->body, params[i], params[i + 1]))
            return -1;
    return 0;
}

int aws_query_call(struct aws_client *c, const char *service, const char *action,
                   const char *const *params, xmlDoc **out, struct aws_error *err)
{
    *out = NULL;
    const struct aws_service_info *s = aws_service_find(service);
    if (!s)
        return aws_error_setf(err, AWS_ERR_CONFIG, "unknown AWS service \"%s\"",
                              service ? service : "(null)");
    struct aws_request req = {0};
    struct aws_response resp = {0};
    struct aws_call call = {.service = service,
                            .operation = action,
                            .parse_error = aws_query_error_parse};
    int rc = -1;
    if (aws_query_request_build(action, s->api_version, params, &req)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    if (aws_client_send(c, &call, &req, &resp, err))
        goto done;
    *out = aws_xml_parse(resp.body.data, resp.body.len);
    if (!*out) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the answer is not XML", resp.status,
                      aws_response_request_id(&resp));
        goto done;
    }
    rc = 0;
done:
    aws_request_clean_up(&req);
    aws_response_clean_up(&resp);
    return rc;
}
