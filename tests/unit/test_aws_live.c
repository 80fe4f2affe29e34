/*
 * Every protocol codec against a live AWS-compatible endpoint (moto server
 * in auth mode in our runs). Needs LSMS_TEST_ENDPOINT (e.g.
 * http://127.0.0.1:5000) and credentials through the usual chain (or
 * LSMS_TEST_ACCESS_KEY_ID / LSMS_TEST_SECRET_ACCESS_KEY). Without
 * LSMS_TEST_ENDPOINT each test prints that it was SKIPPED and is reported as
 * skipped by cmocka, never as passed. Unit tests proper never need a server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/client.h"
#include "aws/protocol_json.h"
#include "aws/protocol_query.h"
#include "aws/protocol_rest_json.h"
#include "aws/protocol_rest_xml.h"
#include "aws/protocol_s3.h"
#include "aws/xml.h"

static char suffix[32];

/* moto in auth mode (INITIAL_NO_AUTH_ACTION_COUNT) recomputes signatures of
 * body-less GET requests differently from botocore's own client (boto3 gets
 * SignatureDoesNotMatch for the same calls), so GET steps run only against a
 * server without auth; LSMS_TEST_AUTH=1 says the server checks signatures. */
static int server_checks_auth(void)
{
    const char *v = getenv("LSMS_TEST_AUTH");
    return v && strcmp(v, "1") == 0;
}

static struct aws_client *live_client_with(const char *secret_override, int skip_validation,
                                           struct aws_error *err)
{
    const char *ep = getenv("LSMS_TEST_ENDPOINT");
    if (!ep || !*ep) {
        printf("SKIPPED: LSMS_TEST_ENDPOINT is not set; this live test did NOT run\n");
        skip();
    }
    struct aws_client_config cfg = {
        .region = "us-east-1",
        .credentials = {.access_key = getenv("LSMS_TEST_ACCESS_KEY_ID"),
                        .secret_key = secret_override ? secret_override
                                                      : getenv("LSMS_TEST_SECRET_ACCESS_KEY")},
        .endpoints = {ep, ep, ep, ep, ep, ep, ep, ep, ep},
        .max_retries = 2,
        .skip_credentials_validation = skip_validation,
    };
    return aws_client_new(&cfg, err);
}

static struct aws_client *live_client(const char *secret_override, struct aws_error *err)
{
    return live_client_with(secret_override, 0, err);
}

static void test_live_sts_get_caller_identity(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    if (!c)
        fail_msg("client: %s %s", err.code, err.message ? err.message : "");
    printf("account id: %s\n", aws_client_account_id(c));
    assert_true(strlen(aws_client_account_id(c)) == 12);
    aws_client_destroy(c);
}

static void test_live_wrong_secret_is_a_clean_error(void **state)
{
    (void)state;
    struct aws_error err = {0};
    if (!server_checks_auth()) {
        printf("SKIPPED: LSMS_TEST_AUTH is not 1, the server does not check signatures\n");
        skip();
    }
    struct aws_client *c = live_client("wrong-secret-key-0000000000000000000000", &err);
    assert_null(c);
    char *msg = aws_error_format(&err);
    printf("wrong secret: %s\n", msg);
    assert_true(aws_error_is(&err, "SignatureDoesNotMatch") ||
                aws_error_is(&err, "InvalidClientTokenId"));
    assert_int_equal(err.http_status, 403);
    assert_null(strstr(msg, "wrong-secret"));
    free(msg);
    aws_error_clean_up(&err);
}

static void test_live_cloudwatch_json10_dashboards(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    char name[64];
    snprintf(name, sizeof(name), "lsms-live-%s", suffix);
    cJSON *in = cJSON_CreateObject(), *out = NULL;
    cJSON_AddStringToObject(in, "DashboardName", name);
    cJSON_AddStringToObject(in, "DashboardBody", "{\"widgets\":[]}");
    assert_int_equal(aws_json_call(c, "cloudwatch", "GraniteServiceVersion20100801.PutDashboard",
                                   in, &out, &err), 0);
    cJSON_Delete(out);
    cJSON_DeleteItemFromObject(in, "DashboardBody");
    assert_int_equal(aws_json_call(c, "cloudwatch", "GraniteServiceVersion20100801.GetDashboard",
                                   in, &out, &err), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out, "DashboardBody")),
                        "{\"widgets\":[]}");
    cJSON_Delete(out);
    cJSON *del = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(del, "DashboardNames");
    cJSON_AddItemToArray(names, cJSON_CreateString(name));
    assert_int_equal(aws_json_call(c, "cloudwatch", "GraniteServiceVersion20100801.DeleteDashboards",
                                   del, &out, &err), 0);
    cJSON_Delete(out);
    assert_int_equal(aws_json_call(c, "cloudwatch", "GraniteServiceVersion20100801.GetDashboard",
                                   in, &out, &err), -1);
    char *msg = aws_error_format(&err);
    printf("GetDashboard after delete: %s\n", msg);
    free(msg);
    assert_string_equal(err.code, "ResourceNotFound");
    assert_int_equal(err.http_status, 404);
    cJSON_Delete(in);
    cJSON_Delete(del);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
}

static void test_live_mediastore_json11_container(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    char name[64];
    snprintf(name, sizeof(name), "lsms_live_%s", suffix);
    cJSON *in = cJSON_CreateObject(), *out = NULL;
    cJSON_AddStringToObject(in, "ContainerName", name);
    assert_int_equal(aws_json_call(c, "mediastore", "MediaStore_20170901.CreateContainer", in, &out,
                                   &err), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Container"), "Name")), name);
    cJSON_Delete(out);
    assert_int_equal(aws_json_call(c, "mediastore", "MediaStore_20170901.DescribeContainer", in,
                                   &out, &err), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "Container"), "Status")), "ACTIVE");
    cJSON_Delete(out);
    cJSON_ReplaceItemInObject(in, "ContainerName", cJSON_CreateString("does-not-exist"));
    assert_int_equal(aws_json_call(c, "mediastore", "MediaStore_20170901.DescribeContainer", in,
                                   &out, &err), -1);
    printf("DescribeContainer unknown: %s (HTTP %ld)\n", err.code, err.http_status);
    /* API_DescribeContainer.html; the emulator corrects moto's
     * ResourceNotFoundException (tests/emulator/README.md §2). */
    assert_string_equal(err.code, "ContainerNotFoundException");
    cJSON_Delete(in);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
}

static void test_live_medialive_rest_json_input(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    cJSON *body = cJSON_CreateObject(), *out = NULL;
    char name[64], rid[64];
    snprintf(name, sizeof(name), "lsms-live-%s", suffix);
    snprintf(rid, sizeof(rid), "req-%s", suffix);
    cJSON_AddStringToObject(body, "name", name);
    cJSON_AddStringToObject(body, "type", "RTMP_PUSH");
    cJSON_AddStringToObject(body, "requestId", rid);
    struct aws_rest_json_input in = {.method = "POST", .path = "/prod/inputs", .body = body};
    long status = 0;
    if (aws_rest_json_call(c, "medialive", "CreateInput", &in, &out, &status, &err))
        fail_msg("CreateInput: %s %s (HTTP %ld)", err.code, err.message ? err.message : "", err.http_status);
    assert_int_equal(status, 201);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(out, "input"), "id"));
    assert_non_null(id);
    char path[128];
    snprintf(path, sizeof(path), "/prod/inputs/%s", id);
    cJSON_Delete(out);
    if (server_checks_auth()) {
        printf("NOTE: DescribeInput (GET) not checked in auth mode (see server_checks_auth)\n");
        cJSON_Delete(body);
        aws_client_destroy(c);
        return;
    }
    struct aws_rest_json_input get = {.method = "GET", .path = path};
    assert_int_equal(aws_rest_json_call(c, "medialive", "DescribeInput", &get, &out, &status, &err), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(out, "name")), name);
    printf("DescribeInput %s: state %s\n", path,
           cJSON_GetStringValue(cJSON_GetObjectItem(out, "state")));
    cJSON_Delete(out);
    cJSON_Delete(body);
    aws_client_destroy(c);
}

static void test_live_cloudfront_rest_xml(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    char body[2048];
    snprintf(body, sizeof(body),
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
             "<DistributionConfig xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\">"
             "<CallerReference>lsms-%s</CallerReference>"
             "<Origins><Quantity>1</Quantity><Items><Origin><Id>ms</Id>"
             "<DomainName>abc.data.mediastore.us-east-1.amazonaws.com</DomainName>"
             "<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>"
             "<OriginProtocolPolicy>https-only</OriginProtocolPolicy></CustomOriginConfig>"
             "</Origin></Items></Origins>"
             "<DefaultCacheBehavior><TargetOriginId>ms</TargetOriginId>"
             "<ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>"
             "<MinTTL>0</MinTTL><ForwardedValues><QueryString>false</QueryString>"
             "<Cookies><Forward>none</Forward></Cookies></ForwardedValues>"
             "</DefaultCacheBehavior>"
             "<Comment>lsms live test</Comment><Enabled>true</Enabled></DistributionConfig>",
             suffix);
    struct aws_rest_xml_input in = {.method = "POST", .path = "/2020-05-31/distribution",
                                    .body = body};
    struct aws_rest_xml_output out = {0};
    if (aws_rest_xml_call(c, "cloudfront", "CreateDistribution", &in, &out, &err))
        fail_msg("CreateDistribution: %s %s", err.code, err.message ? err.message : "");
    assert_int_equal(out.status, 201);
    const char *etag = aws_headers_get(&out.headers, "ETag");
    assert_non_null(etag);
    char *id = aws_xml_find_text(xmlDocGetRootElement(out.doc), "Distribution/Id");
    assert_non_null(id);
    printf("CreateDistribution: id %s, ETag %s\n", id, etag);
    aws_rest_xml_output_clean_up(&out);
    if (server_checks_auth()) {
        printf("NOTE: ListDistributions/GetDistribution (GET) not checked in auth mode\n");
        free(id);
        aws_client_destroy(c);
        return;
    }
    struct aws_rest_xml_input list = {.method = "GET", .path = "/2020-05-31/distribution"};
    if (aws_rest_xml_call(c, "cloudfront", "ListDistributions", &list, &out, &err))
        fail_msg("ListDistributions: %s %s (HTTP %ld)", err.code, err.message ? err.message : "", err.http_status);
    xmlNode *items = aws_xml_find(xmlDocGetRootElement(out.doc), "DistributionList/Items");
    int found = 0;
    for (xmlNode *n = items ? items->children : NULL; n; n = n->next) {
        char *nid = n->type == XML_ELEMENT_NODE ? aws_xml_find_text(n, "Id") : NULL;
        found |= nid && strcmp(nid, id) == 0;
        free(nid);
    }
    assert_true(found);
    aws_rest_xml_output_clean_up(&out);
    char path[128];
    snprintf(path, sizeof(path), "/2020-05-31/distribution/%s", "NOSUCHID");
    struct aws_rest_xml_input get = {.method = "GET", .path = path};
    assert_int_equal(aws_rest_xml_call(c, "cloudfront", "GetDistribution", &get, &out, &err), -1);
    printf("GetDistribution unknown: %s (HTTP %ld)\n", err.code, err.http_status);
    assert_string_equal(err.code, "NoSuchDistribution");
    assert_int_equal(err.http_status, 404);
    aws_rest_xml_output_clean_up(&out);
    free(id);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
}

static void test_live_iam_query_role(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    char name[64];
    snprintf(name, sizeof(name), "lsms-live-%s", suffix);
    const char *trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        "\"Principal\":{\"Service\":\"medialive.amazonaws.com\"},"
                        "\"Action\":\"sts:AssumeRole\"}]}";
    const char *create[] = {"RoleName", name, "AssumeRolePolicyDocument", trust, "Path", "/lsms/",
                            NULL};
    xmlDoc *doc = NULL;
    assert_int_equal(aws_query_call(c, "iam", "CreateRole", create, &doc, &err), 0);
    xmlFreeDoc(doc);
    const char *get[] = {"RoleName", name, NULL};
    assert_int_equal(aws_query_call(c, "iam", "GetRole", get, &doc, &err), 0);
    char *arn = aws_xml_find_text(xmlDocGetRootElement(doc), "GetRoleResponse/GetRoleResult/Role/Arn");
    printf("GetRole: %s\n", arn);
    assert_non_null(strstr(arn, ":role/lsms/"));
    free(arn);
    xmlFreeDoc(doc);
    const char *missing[] = {"RoleName", "lsms-no-such-role", NULL};
    assert_int_equal(aws_query_call(c, "iam", "GetRole", missing, &doc, &err), -1);
    printf("GetRole unknown: %s (HTTP %ld)\n", err.code, err.http_status);
    assert_string_equal(err.code, "NoSuchEntity");
    assert_int_equal(err.http_status, 404);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
}

/* One S3 call; fails the test with the error when it does not succeed. */
static void s3_ok(struct aws_client *c, const struct aws_s3_input *in, struct aws_s3_output *out)
{
    struct aws_error err = {0};
    aws_s3_output_clean_up(out);
    if (aws_s3_call(c, in, out, &err)) {
        char *msg = aws_error_format(&err);
        fail_msg("%s: %s", in->operation, msg ? msg : "?");
    }
    printf("%s: HTTP %ld\n", in->operation, out->status);
}

/* In auth mode: the same calls signed with a wrong secret are refused, so
 * the passes of test_live_s3_bucket_policy_objects are real signature
 * checks, HEAD and body-less GETs included. */
static void s3_refused_with_wrong_secret(const char *bucket, const char *key, const char *policy)
{
    struct aws_error err = {0};
    struct aws_client *bad = live_client_with("wrong-secret-key-0000000000000000000000", 1, &err);
    assert_non_null(bad);
    const struct aws_s3_input calls[] = {
        {.operation = "HeadBucket", .method = "HEAD", .bucket = bucket},
        {.operation = "PutBucketPolicy", .method = "PUT", .bucket = bucket, .query = "policy",
         .body = policy, .content_md5 = 1},
        {.operation = "GetBucketPolicy", .bucket = bucket, .query = "policy", .raw_output = 1},
        {.operation = "PutObject", .method = "PUT", .bucket = bucket, .key = key, .body = "x"},
        {.operation = "ListObjectsV2", .bucket = bucket, .query = "list-type=2"},
        {.operation = "DeleteBucket", .method = "DELETE", .bucket = bucket},
    };
    for (size_t i = 0; i < sizeof(calls) / sizeof(*calls); i++) {
        struct aws_s3_output out = {0};
        assert_int_equal(aws_s3_call(bad, &calls[i], &out, &err), -1);
        printf("%s with a wrong secret: %s (HTTP %ld)\n", calls[i].operation, err.code,
               err.http_status);
        assert_int_equal(err.http_status, 403);
        /* HEAD has no body to carry the code */
        assert_string_equal(err.code, i == 0 ? "Forbidden" : "SignatureDoesNotMatch");
        aws_s3_output_clean_up(&out);
    }
    aws_error_clean_up(&err);
    aws_client_destroy(bad);
}

/* S3 through aws_s3_call, path-style on the emulator: bucket, policy, an
 * object whose key has spaces, '+' and slashes, listing, deletes, and the
 * body-less 404 of HEAD once the bucket is gone. In auth mode every step,
 * GETs and HEADs included, is signature-checked by the server. */
static void test_live_s3_bucket_policy_objects(void **state)
{
    (void)state;
    struct aws_error err = {0};
    struct aws_client *c = live_client(NULL, &err);
    assert_non_null(c);
    char bucket[64], policy[512];
    snprintf(bucket, sizeof(bucket), "lsms-live-%s", suffix);
    snprintf(policy, sizeof(policy),
             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"LsmsLive\","
             "\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"cloudfront.amazonaws.com\"},"
             "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%s/*\"}]}",
             bucket);
    const char *key = "stream one/a+b~c/seg 00.ts";
    struct aws_s3_output out = {0};
    s3_ok(c, &(struct aws_s3_input){.operation = "CreateBucket", .method = "PUT",
                                    .bucket = bucket}, &out);
    if (server_checks_auth())
        s3_refused_with_wrong_secret(bucket, key, policy);
    /* AWS answers PutBucketPolicy with 204 and no body; moto 5.2.5 with 200
     * and the text "True". Nothing in the answer is read, so it is not parsed. */
    s3_ok(c, &(struct aws_s3_input){.operation = "PutBucketPolicy", .method = "PUT",
                                    .bucket = bucket, .query = "policy", .body = policy,
                                    .content_md5 = 1, .raw_output = 1}, &out);
    s3_ok(c, &(struct aws_s3_input){.operation = "GetBucketPolicy", .bucket = bucket,
                                    .query = "policy", .raw_output = 1}, &out);
    assert_non_null(out.body.data);
    assert_non_null(strstr(out.body.data, "LsmsLive"));
    struct aws_headers h = {0};
    aws_headers_add(&h, "Content-Type", "video/mp2t");
    s3_ok(c, &(struct aws_s3_input){.operation = "PutObject", .method = "PUT", .bucket = bucket,
                                    .key = key, .headers = &h, .body = "\x47segment",
                                    .body_len = 8}, &out);
    aws_headers_clean_up(&h);
    assert_non_null(aws_headers_get(&out.headers, "ETag"));
    s3_ok(c, &(struct aws_s3_input){.operation = "ListObjectsV2", .bucket = bucket,
                                    .query = "list-type=2&prefix=stream%20one%2F"}, &out);
    char *listed = aws_xml_find_text(xmlDocGetRootElement(out.doc), "ListBucketResult/Contents/Key");
    char *count = aws_xml_find_text(xmlDocGetRootElement(out.doc), "ListBucketResult/KeyCount");
    printf("ListObjectsV2: %s key(s), first \"%s\"\n", count, listed);
    assert_string_equal(listed, key);
    assert_string_equal(count, "1");
    free(listed);
    free(count);
    s3_ok(c, &(struct aws_s3_input){.operation = "HeadObject", .method = "HEAD",
                                    .bucket = bucket, .key = key}, &out);
    assert_string_equal(aws_headers_get(&out.headers, "Content-Length"), "8");
    s3_ok(c, &(struct aws_s3_input){.operation = "DeleteObject", .method = "DELETE",
                                    .bucket = bucket, .key = key}, &out);
    assert_int_equal(out.status, 204);
    /* x-amz-content-sha256: UNSIGNED-PAYLOAD is accepted as well */
    s3_ok(c, &(struct aws_s3_input){.operation = "PutObject", .method = "PUT", .bucket = bucket,
                                    .key = "unsigned/index.m3u8", .body = "#EXTM3U\n",
                                    .unsigned_payload = 1}, &out);
    s3_ok(c, &(struct aws_s3_input){.operation = "DeleteObject", .method = "DELETE",
                                    .bucket = bucket, .key = "unsigned/index.m3u8"}, &out);
    s3_ok(c, &(struct aws_s3_input){.operation = "DeleteBucket", .method = "DELETE",
                                    .bucket = bucket}, &out);
    aws_s3_output_clean_up(&out);
    struct aws_s3_input head = {.operation = "HeadBucket", .method = "HEAD", .bucket = bucket};
    assert_int_equal(aws_s3_call(c, &head, &out, &err), -1);
    printf("HeadBucket after delete: %s (HTTP %ld)\n", err.code, err.http_status);
    assert_string_equal(err.code, "NotFound");
    assert_int_equal(err.http_status, 404);
    assert_int_equal(out.status, 404);
    aws_s3_output_clean_up(&out);
    struct aws_s3_input get = {.operation = "GetBucketPolicy", .bucket = bucket,
                               .query = "policy", .raw_output = 1};
    assert_int_equal(aws_s3_call(c, &get, &out, &err), -1);
    printf("GetBucketPolicy after delete: %s (HTTP %ld)\n", err.code, err.http_status);
    assert_string_equal(err.code, "NoSuchBucket");
    aws_s3_output_clean_up(&out);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
}

int main(void)
{
    snprintf(suffix, sizeof(suffix), "%ld%d", (long)time(NULL), (int)(clock() % 1000));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_live_sts_get_caller_identity),
        cmocka_unit_test(test_live_wrong_secret_is_a_clean_error),
        cmocka_unit_test(test_live_cloudwatch_json10_dashboards),
        cmocka_unit_test(test_live_mediastore_json11_container),
        cmocka_unit_test(test_live_medialive_rest_json_input),
        cmocka_unit_test(test_live_cloudfront_rest_xml),
        cmocka_unit_test(test_live_iam_query_role),
        cmocka_unit_test(test_live_s3_bucket_policy_objects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
