/*
 * fuzz_query_error - aws_query_error_parse, the error parser of awsQuery (IAM, STS): <ErrorResponse><Error>.
 * Input: headers, a blank line, the body (see fuzz_response.h).
 */
#include "aws/protocol_query.h"
#include <libxml/xmlerror.h>

#define FUZZ_AFTER_INPUT() xmlResetLastError()
#include "fuzz_response.h"

FUZZ_ERROR_PARSER_TARGET(aws_query_error_parse)
