/*
 * fuzz_json_error - aws_json_error_parse, the error parser of awsJson 1.0/1.1 (MediaStore, SSM, CloudWatch, Logs): __type / code, x-amzn-query-error.
 * Input: headers, a blank line, the body (see fuzz_response.h).
 */
#include "aws/protocol_json.h"
#include "fuzz_response.h"

FUZZ_ERROR_PARSER_TARGET(aws_json_error_parse)
