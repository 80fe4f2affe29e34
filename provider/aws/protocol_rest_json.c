#include "aws/protocol_rest_json.h"

#include <stdlib.h>
#include <string.h>

#include "aws/protocol_json.h"

void aws_rest_json_error_parse(const struct aws_response *resp, struct aws_error *err)
{
    char *code = aws_json_error_code_sanitize(aws_headers_get(&resp->headers, "x-amzn-ErrorType"));
    aws_json_error_parse(resp, err);
    if (code) {
        char *message = err->message ? strdup(err->message) : NULL;
        char *rid = err->request_id ? strdup(err->request_id) : NULL;
        aws_error_set(err, code, message, resp->status, rid);
        free(message);
        free(rid);
        free(code);
    }
}

int aws_rest_json_request_build(const struct aws_rest_json_input *in, struct aws_request *req)
{
    if (aws_request_start(req, in->method, in->path, in->query, in->headers))
        return -1;
    if (in->body) {
        char *body = cJSON_PrintUnformatted(in->body);
        int rc = !body || buf_append_str(&req->body, body) ||
                 aws_headers_set(&req->headers, "Content-Type", "application/json");
        free(body);
        return rc ? -1 : 0;
    }
    if (in->raw_body) {
        if (buf_append(&req->body, in->raw_body, in->raw_body_len))
            return -1;
        if (in->content_type &&
            aws_headers_set(&req->headers, "Content-Type", in->content_type))
            return -1;
    }
    return 0;
}

int aws_rest_json_call_raw(struct aws_client *c, const char *service, const char *operation,
                           const struct aws_rest_json_input *in, struct aws_response *resp,
                           struct aws_error *err)
{
    struct aws_request req = {0};
    struct aws_call call = {.service = service,
                            .operation = operation,
                            .endpoint = in->endpoint,
                            .unsigned_payload = in->unsigned_payload,
                            .parse_error = aws_rest_json_error_parse};
    int rc = -1;
    if (aws_rest_json_request_build(in, &req))
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
    else
        rc = aws_client_send(c, &call, &req, resp, err);
    aws_request_clean_up(&req);
    return rc;
}

int aws_rest_json_call(struct aws_client *c, const char *service, const char *operation,
                       const struct aws_rest_json_input *in, cJSON **out, long *status_out,
                       struct aws_error *err)
{
    *out = NULL;
    struct aws_response resp = {0};
    int rc = -1;
    if (aws_rest_json_call_raw(c, service, operation, in, &resp, err))
        goto done;
    if (status_out)
        *status_out = resp.status;
    *out = resp.body.len ? cJSON_ParseWithLength(resp.body.data, resp.body.len)
                         : cJSON_CreateObject();
    if (!*out) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the answer is not JSON", resp.status,
                      aws_response_request_id(&resp));
        goto done;
    }
    rc = 0;
done:
    aws_response_clean_up(&resp);
    return rc;
}
