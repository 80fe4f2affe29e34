/*
 * protocol_json.h - the awsJson 1.0 / 1.1 protocol (MediaStore, SSM, Logs:
 * 1.1; CloudWatch: 1.0): POST / with X-Amz-Target and a JSON body.
 *
 * Example:
 *     struct aws_error err = {0}; cJSON *out = NULL;
 *     if (aws_json_call(client, "mediastore", "MediaStore_20170901.DescribeContainer",
 *                       input, &out, &err) != 0) { ... err.code ... }
 */
#ifndef LSMS_AWS_PROTOCOL_JSON_H
#define LSMS_AWS_PROTOCOL_JSON_H

#include <cjson/cJSON.h>

#include "aws/engine.h"

/*
 * Calls `target` ("Prefix.Operation") of `service` (a key of aws/endpoints.h)
 * with `input` (borrowed; NULL sends {}). On success *out is the parsed
 * answer ({} when the body is empty), owned by the caller (cJSON_Delete).
 * On failure returns -1, *out stays NULL and err holds the AWS error.
 */
int aws_json_call(struct aws_client *c, const char *service, const char *target,
                  const cJSON *input, cJSON **out, struct aws_error *err);

/* Builds the request (method, path, headers, body) without endpoint or
 * signature. `json_version` is "1.0" or "1.1". 0 or -1 (no memory). */
int aws_json_request_build(const char *json_version, const char *target, const cJSON *input,
                           struct aws_request *req);

/*
 * Error from a JSON answer: code from `__type` (text before '#' and after ':'
 * dropped) or `code`/`Code`, message from `message`/`Message`. For
 * awsQueryCompatible services (CloudWatch) the x-amzn-query-error header
 * ("Code;Sender") gives the query-era code and wins.
 */
void aws_json_error_parse(const struct aws_response *resp, struct aws_error *err);

/* Shared with rest-json: "ns#Code:extra" -> "Code" (malloc'd) or NULL. */
char *aws_json_error_code_sanitize(const char *raw);

#endif
