#include "aws/protocol_rest_xml.h"

#include <libxml/parser.h>
#include <string.h>

#include "aws/protocol_query.h"
#include "aws/xml.h"

void aws_rest_xml_error_parse(const struct aws_response *resp, struct aws_error *err)
{
    /* Same document shape as query errors; <Type> (Sender/Receiver) adds
     * nothing the HTTP status does not say. */
    aws_query_error_parse(resp, err);
}

int aws_rest_xml_request_build(const struct aws_rest_xml_input *in, struct aws_request *req)
{
    if (aws_request_start(req, in->method, in->path, in->query, in->headers))
        return -1;
    if (in->body) {
        size_t len = in->body_len ? in->body_len : strlen(in->body);
        if (buf_append(&req->body, in->body, len) ||
            aws_headers_set(&req->headers, "Content-Type", "application/xml"))
            return -1;
    }
    return 0;
}

int aws_rest_xml_call(struct aws_client *c, const char *service, const char *operation,
                      const struct aws_rest_xml_input *in, struct aws_rest_xml_output *out,
                      struct aws_error *err)
{
    struct aws_request req = {0};
    struct aws_response resp = {0};
    struct aws_call call = {.service = service,
                            .operation = operation,
                            .parse_error = aws_rest_xml_error_parse};
    int rc = -1;
    if (aws_rest_xml_request_build(in, &req)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    if (aws_client_send(c, &call, &req, &resp, err))
        goto done;
    out->status = resp.status;
    /* Hand the headers over instead of copying them. */
    out->headers = resp.headers;
    memset(&resp.headers, 0, sizeof(resp.headers));
    if (resp.body.len) {
        out->doc = aws_xml_parse(resp.body.data, resp.body.len);
        if (!out->doc) {
            aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the answer is not XML", resp.status,
                          aws_headers_get(&out->headers, "x-amz-request-id"));
            goto done;
        }
    }
    rc = 0;
done:
    aws_request_clean_up(&req);
    aws_response_clean_up(&resp);
    return rc;
}

void aws_rest_xml_output_clean_up(struct aws_rest_xml_output *out)
{
    aws_headers_clean_up(&out->headers);
    xmlFreeDoc(out->doc);
    memset(out, 0, sizeof(*out));
}
