/* Request bytes and error parsing of each protocol codec, no network. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/protocol_json.h"
#include "aws/protocol_query.h"
#include "aws/protocol_rest_json.h"
#include "aws/protocol_rest_xml.h"

static void answer(struct aws_response *r, long status, const char *hname, const char *hvalue,
                   const char *body)
{
    memset(r, 0, sizeof(*r));
    r->status = status;
    if (hname)
        aws_headers_add(&r->headers, hname, hvalue);
    buf_append_str(&r->body, body);
}

static void test_json_request_bytes(void **state)
{
    (void)state;
    struct aws_request req = {0};
    cJSON *in = cJSON_Parse("{\"ContainerName\":\"live\"}");
    assert_int_equal(aws_json_request_build("1.1", "MediaStore_20170901.DescribeContainer", in, &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.path, "/");
    assert_string_equal(aws_headers_get(&req.headers, "Content-Type"), "application/x-amz-json-1.1");
    assert_string_equal(aws_headers_get(&req.headers, "X-Amz-Target"), "MediaStore_20170901.DescribeContainer");
    assert_string_equal(req.body.data, "{\"ContainerName\":\"live\"}");
    assert_int_equal(aws_request_set_endpoint(&req, "http://127.0.0.1:5000"), 0);
    assert_string_equal(req.host, "127.0.0.1:5000");
    assert_string_equal(req.scheme, "http");
    aws_request_clean_up(&req);
    assert_int_equal(aws_json_request_build("1.0", "GraniteServiceVersion20100801.GetDashboard", NULL, &req), 0);
    assert_string_equal(aws_headers_get(&req.headers, "Content-Type"), "application/x-amz-json-1.0");
    assert_string_equal(req.body.data, "{}");
    aws_request_clean_up(&req);
    cJSON_Delete(in);
}

static void test_json_errors(void **state)
{
    (void)state;
    struct aws_response r;
    struct aws_error err = {0};
    answer(&r, 404, "x-amzn-RequestId", "rid-9",
           "{\"__type\":\"GraniteServiceVersion20100801#ResourceNotFound\",\"message\":\"Dashboard does not exist\"}");
    aws_json_error_parse(&r, &err);
    assert_string_equal(err.code, "ResourceNotFound");
    assert_string_equal(err.message, "Dashboard does not exist");
    assert_string_equal(err.request_id, "rid-9");
    aws_response_clean_up(&r);
    /* awsQueryCompatible: the header's query-era code wins */
    answer(&r, 400, "x-amzn-query-error", "InvalidParameterInput;Sender",
           "{\"__type\":\"com.amazonaws.cloudwatch#DashboardInvalidInputError\",\"Message\":\"bad body\"}");
    aws_json_error_parse(&r, &err);
    assert_string_equal(err.code, "InvalidParameterInput");
    assert_string_equal(err.message, "bad body");
    aws_response_clean_up(&r);
    answer(&r, 500, NULL, NULL, "<html>oops</html>");
    aws_json_error_parse(&r, &err);
    assert_string_equal(err.code, "UnknownError");
    assert_int_equal(err.http_status, 500);
    aws_response_clean_up(&r);
    /* A type or header naming no code never gives an empty code (fuzz). */
    answer(&r, 400, "x-amzn-query-error", ";Sender", "{\"__type\":\"com.amazonaws.mediastore#\"}");
    aws_json_error_parse(&r, &err);
    assert_string_equal(err.code, "UnknownError");
    aws_response_clean_up(&r);
    answer(&r, 400, NULL, NULL, "{\"__type\":\":x\",\"code\":\"Throttling\"}");
    aws_json_error_parse(&r, &err);
    assert_string_equal(err.code, "Throttling");
    aws_response_clean_up(&r);
    aws_error_clean_up(&err);
}

static void test_rest_json_request_and_errors(void **state)
{
    (void)state;
    cJSON *body = cJSON_Parse("{\"name\":\"in\"}");
    struct aws_rest_json_input in = {.method = "POST", .path = "/prod/inputs", .body = body};
    struct aws_request req = {0};
    assert_int_equal(aws_rest_json_request_build(&in, &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.path, "/prod/inputs");
    assert_null(req.query);
    assert_string_equal(aws_headers_get(&req.headers, "Content-Type"), "application/json");
    assert_string_equal(req.body.data, "{\"name\":\"in\"}");
    aws_request_clean_up(&req);
    cJSON_Delete(body);
    struct aws_response r;
    struct aws_error err = {0};
    answer(&r, 404, "x-amzn-ErrorType", "NotFoundException:http://internal.amazon.com/",
           "{\"message\":\"Input 1 not found\"}");
    aws_rest_json_error_parse(&r, &err);
    assert_string_equal(err.code, "NotFoundException");
    assert_string_equal(err.message, "Input 1 not found");
    assert_int_equal(err.http_status, 404);
    aws_response_clean_up(&r);
    aws_error_clean_up(&err);
}

static void test_query_request_and_errors(void **state)
{
    (void)state;
    const char *params[] = {"RoleName", "a b", "AssumeRolePolicyDocument", "{\"x\":1}", NULL};
    struct aws_request req = {0};
    assert_int_equal(aws_query_request_build("CreateRole", "2010-05-08", params, &req), 0);
    assert_string_equal(req.body.data, "Action=CreateRole&Version=2010-05-08&RoleName=a%20b&"
                                       "AssumeRolePolicyDocument=%7B%22x%22%3A1%7D");
    assert_string_equal(aws_headers_get(&req.headers, "Content-Type"),
                        "application/x-www-form-urlencoded; charset=utf-8");
    aws_request_clean_up(&req);
    struct aws_response r;
    struct aws_error err = {0};
    answer(&r, 404, NULL, NULL,
           "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>"
           "<Code>NoSuchEntity</Code><Message>Role x not found</Message></Error>"
           "<RequestId>abc</RequestId></ErrorResponse>");
    aws_query_error_parse(&r, &err);
    assert_string_equal(err.code, "NoSuchEntity");
    assert_string_equal(err.message, "Role x not found");
    assert_string_equal(err.request_id, "abc");
    aws_response_clean_up(&r);
    /* moto's signature failures */
    answer(&r, 403, NULL, NULL,
           "<?xml version=\"1.0\" encoding=\"utf-8\"?><ErrorResponse><Errors><Error>"
           "<Code>SignatureDoesNotMatch</Code><Message>no</Message></Error></Errors></ErrorResponse>");
    aws_query_error_parse(&r, &err);
    assert_string_equal(err.code, "SignatureDoesNotMatch");
    aws_response_clean_up(&r);
    aws_error_clean_up(&err);
}

static void test_rest_xml_request_and_errors(void **state)
{
    (void)state;
    struct aws_headers h = {0};
    aws_headers_add(&h, "If-Match", "E2QWRUHAPOMQZL");
    struct aws_rest_xml_input in = {.method = "PUT", .path = "/2020-05-31/distribution/E1/config",
                                    .headers = &h, .body = "<DistributionConfig/>"};
    struct aws_request req = {0};
    assert_int_equal(aws_rest_xml_request_build(&in, &req), 0);
    assert_string_equal(req.method, "PUT");
    assert_string_equal(aws_headers_get(&req.headers, "If-Match"), "E2QWRUHAPOMQZL");
    assert_string_equal(req.body.data, "<DistributionConfig/>");
    aws_request_clean_up(&req);
    aws_headers_clean_up(&h);
    struct aws_response r;
    struct aws_error err = {0};
    answer(&r, 412, NULL, NULL,
           "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
           "<Error><Type>Sender</Type><Code>PreconditionFailed</Code><Message>stale</Message></Error>"
           "<RequestId>r-1</RequestId></ErrorResponse>");
    aws_rest_xml_error_parse(&r, &err);
    assert_string_equal(err.code, "PreconditionFailed");
    assert_string_equal(err.request_id, "r-1");
    char *s = aws_error_format(&err);
    assert_string_equal(s, "PreconditionFailed: stale (HTTP 412, request id r-1)");
    free(s);
    aws_response_clean_up(&r);
    aws_error_clean_up(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_request_bytes),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_rest_json_request_and_errors),
        cmocka_unit_test(test_query_request_and_errors),
        cmocka_unit_test(test_rest_xml_request_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
