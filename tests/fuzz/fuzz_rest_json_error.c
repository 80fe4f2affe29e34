/*
 * fuzz_rest_json_error - aws_rest_json_error_parse, the error parser of restJson1 (MediaLive, MediaStore data): x-amzn-ErrorType header or body.
 * Input: headers, a blank line, the body (see fuzz_response.h).
 */
#include "aws/protocol_rest_json.h"
#include "fuzz_response.h"

FUZZ_ERROR_PARSER_TARGET(aws_rest_json_error_parse)
