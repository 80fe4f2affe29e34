#include "aws/protocol_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *aws_json_error_code_sanitize(const char *raw)
{
    if (!raw || !*raw)
        return NULL;
    const char *hash = strrchr(raw, '#');
    const char *start = hash ? hash + 1 : raw;
    size_t len = strcspn(start, ":");
    /* "ns#" or ":extra" name no code: the caller falls back to another
     * field or UnknownError instead of reporting an empty code. */
    return len ? strndup(start, len) : NULL;
}

static const char *json_string(const cJSON *obj, const char *a, const char *b)
{
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, a));
    if (!v && b)
        v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, b));
    return v;
}

void aws_json_error_parse(const struct aws_response *resp, struct aws_error *err)
{
    cJSON *body = resp->body.len ? cJSON_ParseWithLength(resp->body.data, resp->body.len) : NULL;
    char *code = NULL;
    const char *qerr = aws_headers_get(&resp->headers, "x-amzn-query-error");
    if (qerr && strcspn(qerr, ";") > 0)
        code = strndup(qerr, strcspn(qerr, ";"));
    if (!code)
        code = aws_json_error_code_sanitize(json_string(body, "__type", NULL));
    if (!code)
        code = aws_json_error_code_sanitize(json_string(body, "code", "Code"));
    const char *message = json_string(body, "message", "Message");
    if (!message)
        message = json_string(body, "errorMessage", NULL);
    if (!code && !body && resp->body.len)
        message = "the answer is not JSON";
    aws_error_set(err, code ? code : "UnknownError", message, resp->status,
                  aws_response_request_id(resp));
    free(code);
    cJSON_Delete(body);
}

int aws_json_request_build(const char *json_version, const char *target, const cJSON *input,
                           struct aws_request *req)
{
    char content_type[40];
    snprintf(content_type, sizeof(content_type), "application/x-amz-json-%s",
             json_version ? json_version : "1.1");
    char *body = input ? cJSON_PrintUnformatted(input) : NULL;
    int rc = -1;
    if (input && !body)
        return -1;
    if (aws_request_set_line(req, "POST", "/", NULL) ||
        aws_headers_set(&req->headers, "Content-Type", content_type) ||
        aws_headers_set(&req->headers, "X-Amz-Target", target))
        goto done;
    buf_reset(&req->body);
    if (buf_append_str(&req->body, body ? body : "{}"))
        goto done;
    rc = 0;
done:
    free(body);
    return rc;
}

int aws_json_call(struct aws_client *c, const char *service, const char *target,
                  const cJSON *input, cJSON **out, struct aws_error *err)
{
    *out = NULL;
    const struct aws_service_info *s = aws_service_find(service);
    if (!s || !s->json_version)
        return aws_error_setf(err, AWS_ERR_CONFIG, "%s does not speak the JSON protocol",
                              service ? service : "(null)");
    struct aws_request req = {0};
    struct aws_response resp = {0};
    const char *dot = strrchr(target, '.');
    struct aws_call call = {.service = service,
                            .operation = dot ? dot + 1 : target,
                            .parse_error = aws_json_error_parse};
    int rc = -1;
    if (aws_json_request_build(s->json_version, target, input, &req)) {
        aws_error_set(err, AWS_ERR_NO_MEMORY, NULL, 0, NULL);
        goto done;
    }
    if (aws_client_send(c, &call, &req, &resp, err))
        goto done;
    *out = resp.body.len ? cJSON_ParseWithLength(resp.body.data, resp.body.len)
                         : cJSON_CreateObject();
    if (!*out) {
        aws_error_set(err, AWS_ERR_BAD_RESPONSE, "the answer is not JSON", resp.status,
                      aws_response_request_id(&resp));
        goto done;
    }
    rc = 0;
done:
    aws_request_clean_up(&req);
    aws_response_clean_up(&resp);
    return rc;
}
