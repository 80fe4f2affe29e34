/*
 * protocol_rest_json.h - the restJson1 protocol (MediaLive; the MediaStore
 * data plane): method + path + query, JSON body, errors from the
 * x-amzn-ErrorType header or the body.
 *
 * Example:
 *     struct aws_rest_json_input in = { .method = "GET", .path = "/prod/inputs/1234" };
 *     if (aws_rest_json_call(client, "medialive", "DescribeInput", &in, &out, &err)) ...
 * Path labels must be percent-encoded by the caller (aws_uri_encode).
 */
#ifndef LSMS_AWS_PROTOCOL_REST_JSON_H
#define LSMS_AWS_PROTOCOL_REST_JSON_H

#include <cjson/cJSON.h>

#include "aws/engine.h"

struct aws_rest_json_input {
    const char *method; /* "GET", "POST", "PUT", "DELETE" */
    const char *path;   /* encoded, "/prod/inputs" */
    const char *query;  /* encoded, without '?'; may be NULL */
    const cJSON *body;  /* JSON body or NULL */
    /* Or a raw body (MediaStore data PutObject), with its content type. */
    const char *raw_body;
    size_t raw_body_len;
    const char *content_type;
    const struct aws_headers *headers; /* extra headers, may be NULL */
    /* Per-container data endpoint (MediaStore data plane); NULL: default. */
    const char *endpoint;
    int unsigned_payload; /* sign as UNSIGNED-PAYLOAD (PutObject) */
};

/*
 * Sends the request. On 2xx *out is the parsed JSON answer ({} for an empty
 * body), owned by the caller; *status_out (may be NULL) gets the HTTP status
 * (MediaLive answers 201 to creates). -1 with err otherwise.
 */
int aws_rest_json_call(struct aws_client *c, const char *service, const char *operation,
                       const struct aws_rest_json_input *in, cJSON **out, long *status_out,
                       struct aws_error *err);

/*
 * As aws_rest_json_call, for operations whose answer is not JSON (the
 * MediaStore data plane's GetObject bytes, DescribeObject's headers): on 2xx
 * returns 0 with `resp` (zeroed by the caller, who cleans it up in every
 * case) holding the status, headers and body as received. -1 with err
 * otherwise.
 */
int aws_rest_json_call_raw(struct aws_client *c, const char *service, const char *operation,
                           const struct aws_rest_json_input *in, struct aws_response *resp,
                           struct aws_error *err);

/* Builds the unsigned request. 0 or -1. */
int aws_rest_json_request_build(const struct aws_rest_json_input *in, struct aws_request *req);

/* Error from a rest-json answer: x-amzn-ErrorType header, else body
 * `__type`/`code`/`Code`; message from `message`/`Message`. */
void aws_rest_json_error_parse(const struct aws_response *resp, struct aws_error *err);

#endif
