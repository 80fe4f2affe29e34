/*
 * fuzz_rest_xml_error - aws_rest_xml_error_parse, the error parser of restXml (CloudFront): <ErrorResponse><Error>.
 * Input: headers, a blank line, the body (see fuzz_response.h).
 */
#include "aws/protocol_rest_xml.h"
#include <libxml/xmlerror.h>

#define FUZZ_AFTER_INPUT() xmlResetLastError()
#include "fuzz_response.h"

FUZZ_ERROR_PARSER_TARGET(aws_rest_xml_error_parse)
