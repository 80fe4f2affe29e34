/*
 * protocol_rest_xml.h - the restXml protocol (CloudFront): method + path +
 * headers (If-Match), XML body, XML answers whose headers matter (ETag).
 *
 * Example:
 *     struct aws_rest_xml_input in = { .method = "GET",
 *                                      .path = "/2020-05-31/distribution/E123/config" };
 *     struct aws_rest_xml_output out = {0};
 *     if (aws_rest_xml_call(client, "cloudfront", "GetDistributionConfig", &in, &out, &err)) ...
 *     const char *etag = aws_headers_get(&out.headers, "ETag");
 *     aws_rest_xml_output_clean_up(&out);
 */
#ifndef LSMS_AWS_PROTOCOL_REST_XML_H
#define LSMS_AWS_PROTOCOL_REST_XML_H

#include <libxml/tree.h>

#include "aws/engine.h"

struct aws_rest_xml_input {
    const char *method;
    const char *path;  /* encoded */
    const char *query; /* encoded, without '?'; may be NULL */
    const struct aws_headers *headers; /* e.g. If-Match; may be NULL */
    const char *body;  /* XML document text or NULL */
    size_t body_len;   /* 0: strlen(body) */
};

struct aws_rest_xml_output {
    long status;
    struct aws_headers headers; /* response headers (ETag, Location) */
    xmlDoc *doc;                /* NULL when the answer had no body (204) */
};

/* Sends the request. On 2xx fills `out` (zeroed by the caller; clean up
 * with aws_rest_xml_output_clean_up also after failure). -1 with err. */
int aws_rest_xml_call(struct aws_client *c, const char *service, const char *operation,
                      const struct aws_rest_xml_input *in, struct aws_rest_xml_output *out,
                      struct aws_error *err);
void aws_rest_xml_output_clean_up(struct aws_rest_xml_output *out);

/* Builds the unsigned request. 0 or -1. */
int aws_rest_xml_request_build(const struct aws_rest_xml_input *in, struct aws_request *req);

/* Error from <ErrorResponse><Error><Type/><Code/><Message/></Error>
 * <RequestId/></ErrorResponse>. */
void aws_rest_xml_error_parse(const struct aws_response *resp, struct aws_error *err);

#endif
