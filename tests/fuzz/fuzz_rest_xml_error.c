/*
 * fuzz_rest_xml_error - the restXml error parsers: aws_rest_xml_error_parse
 * (CloudFront: <ErrorResponse><Error>) and aws_s3_error_parse (S3: <Error> at
 * the root, codes named from the status for body-less answers), the second
 * replacing what the first left in the error, as a retry does.
 * Input: headers, a blank line, the body (see fuzz_response.h).
 */
#include "aws/protocol_rest_xml.h"
#include "aws/protocol_s3.h"
#include <libxml/xmlerror.h>

#define FUZZ_AFTER_INPUT() xmlResetLastError()
#include "fuzz_response.h"

static void rest_xml_errors_parse(const struct aws_response *resp, struct aws_error *err)
{
    aws_rest_xml_error_parse(resp, err);
    fuzz_error_check(err);
    aws_s3_error_parse(resp, err);
}

FUZZ_ERROR_PARSER_TARGET(rest_xml_errors_parse)
