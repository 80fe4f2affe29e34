/*
 * The S3 codec (aws/protocol_s3.h) through the client engine with a scripted
 * transport and a fixed clock: the exact requests it sends (URL, headers,
 * body, signature) for path-style and virtual-hosted addressing, key and
 * query encoding, Content-MD5 and a bucket in another region; S3's error
 * answers; and which of them are retried.
 *
 * Expected signatures were computed with botocore's S3SigV4Auth over the
 * same requests (credentials of the AWS signing suite, 20150830T123600Z).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/protocol_s3.h"
#include "aws/retry.h"
#include "aws/xml.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SCOPE(region) "Credential=AKIDEXAMPLE/20150830/" region "/s3/aws4_request, "
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define MAX_SENT 8

struct answer {
    long status;
    const char *body;
    const char *hname[2], *hvalue[2];
};

/* What one attempt put on the wire. */
struct sent {
    char *method, *url;
    struct aws_headers headers;
    struct buf body;
};

struct fake {
    struct aws_transport base;
    const struct answer *answers;
    size_t count, next;
    struct sent sent[MAX_SENT];
    uint64_t now_ms;
    size_t sleeps;
};

static int fake_send(struct aws_transport *t, const struct aws_request *req,
                     struct aws_response *resp, struct aws_error *err)
{
    (void)err;
    struct fake *f = t->impl;
    assert_true(f->next < f->count && f->next < MAX_SENT);
    struct sent *s = &f->sent[f->next];
    s->method = strdup(req->method);
    s->url = aws_request_url(req);
    for (size_t i = 0; i < req->headers.count; i++)
        aws_headers_add(&s->headers, req->headers.items[i].name, req->headers.items[i].value);
    buf_append(&s->body, req->body.data ? req->body.data : "", req->body.len);
    const struct answer *a = &f->answers[f->next++];
    resp->status = a->status;
    for (int i = 0; i < 2; i++)
        if (a->hname[i])
            aws_headers_add(&resp->headers, a->hname[i], a->hvalue[i]);
    buf_append_str(&resp->body, a->body ? a->body : "");
    return 0;
}

static void fake_destroy(struct aws_transport *t)
{
    (void)t; /* owned by the test */
}

static const struct aws_transport_vtable fake_vtable = {fake_send, fake_destroy};

static uint64_t fake_now(void *ctx)
{
    return ((struct fake *)ctx)->now_ms;
}
static time_t fake_wall(void *ctx)
{
    (void)ctx;
    return 1440938160; /* 20150830T123600Z */
}
static int fake_sleep(void *ctx, uint64_t ms, struct aws_stop *stop)
{
    struct fake *f = ctx;
    f->sleeps++;
    f->now_ms += ms;
    return aws_stop_is_set(stop) ? -1 : 0;
}
static double fake_random(void *ctx)
{
    (void)ctx;
    return 0.0;
}

struct setup {
    const char *region;
    const char *s3_endpoint; /* NULL: the AWS default */
    int path_style;
};

static struct aws_client *client_with(struct fake *f, struct aws_clock *clock,
                                      const struct setup *s)
{
    unsetenv("AWS_ENDPOINT_URL");
    unsetenv("AWS_ENDPOINT_URL_S3");
    f->base.vtable = &fake_vtable;
    f->base.impl = f;
    *clock = (struct aws_clock){fake_now, fake_wall, fake_sleep, fake_random, f};
    struct aws_client_config cfg = {
        .region = s->region,
        .credentials = {.access_key = "AKIDEXAMPLE", .secret_key = SECRET},
        .endpoints = {.s3 = s->s3_endpoint},
        .max_retries = 5,
        .skip_credentials_validation = 1,
        .skip_requesting_account_id = 1,
        .s3_use_path_style = s->path_style,
        .transport = &f->base,
        .clock = clock,
    };
    struct aws_error err = {0};
    struct aws_client *c = aws_client_new(&cfg, &err);
    assert_non_null(c);
    return c;
}

static void fake_free(struct fake *f)
{
    for (size_t i = 0; i < MAX_SENT; i++) {
        free(f->sent[i].method);
        free(f->sent[i].url);
        aws_headers_clean_up(&f->sent[i].headers);
        buf_clean_up(&f->sent[i].body);
    }
}

static const char *sent_header(const struct fake *f, size_t i, const char *name)
{
    return aws_headers_get(&f->sent[i].headers, name);
}

/* One call against one scripted answer list; returns aws_s3_call's result. */
static int run(const struct setup *s, const struct answer *answers, size_t n,
               const struct aws_s3_input *in, struct fake *f, struct aws_s3_output *out,
               struct aws_error *err)
{
    struct aws_clock clock;
    *f = (struct fake){.answers = answers, .count = n};
    struct aws_client *c = client_with(f, &clock, s);
    int rc = aws_s3_call(c, in, out, err);
    aws_client_destroy(c);
    return rc;
}

static const struct answer ok_empty[] = {{200, NULL, {NULL}, {NULL}}};

/* ---- request bytes ---- */

static void test_s3_path_style_on_overridden_endpoint(void **state)
{
    (void)state;
    struct aws_headers h = {0};
    aws_headers_add(&h, "Content-Type", "video/mp2t");
    struct aws_s3_input in = {.operation = "PutObject", .method = "PUT", .bucket = "lsms-origin",
                              .key = "stream one/a+b~c/\xc3\xa9t\xc3\xa9//seg 00.ts",
                              .headers = &h, .body = "\x47segment", .body_len = 8};
    struct setup s = {.region = "us-east-1", .s3_endpoint = "http://127.0.0.1:5000"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, ok_empty, 1, &in, &f, &out, &err), 0);
    assert_int_equal(f.next, 1);
    assert_string_equal(f.sent[0].method, "PUT");
    assert_string_equal(f.sent[0].url, "http://127.0.0.1:5000/lsms-origin/"
                                       "stream%20one/a%2Bb~c/%C3%A9t%C3%A9//seg%2000.ts");
    assert_string_equal(sent_header(&f, 0, "Host"), "127.0.0.1:5000");
    assert_string_equal(sent_header(&f, 0, "Content-Type"), "video/mp2t");
    assert_string_equal(sent_header(&f, 0, "X-Amz-Date"), "20150830T123600Z");
    assert_string_equal(sent_header(&f, 0, "x-amz-content-sha256"),
                        "b2be4f7c4d0219fe0f4673a09b95f2fdfe678a467a357c8d155bde8d091df260");
    assert_null(sent_header(&f, 0, "Content-MD5"));
    assert_string_equal(sent_header(&f, 0, "Authorization"),
                        "AWS4-HMAC-SHA256 " SCOPE("us-east-1")
                        "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, "
                        "Signature=32b07b3e44cbd32fb7bbb31b8903bf98c2cb84e4acdac466d322ecdf8ee671a6");
    assert_int_equal(f.sent[0].body.len, 8);
    assert_memory_equal(f.sent[0].body.data, "\x47segment", 8);
    assert_int_equal(out.status, 200);
    assert_null(out.doc);
    aws_s3_output_clean_up(&out);
    aws_headers_clean_up(&h);
    fake_free(&f);
}

static void test_s3_virtual_hosted_with_content_md5(void **state)
{
    (void)state;
    struct aws_s3_input in = {.operation = "PutBucketCors", .method = "PUT",
                              .bucket = "lsms-origin", .query = "cors",
                              .body = "<CORSConfiguration/>", .content_md5 = 1};
    struct setup s = {.region = "eu-west-1"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, ok_empty, 1, &in, &f, &out, &err), 0);
    assert_string_equal(f.sent[0].url, "https://lsms-origin.s3.eu-west-1.amazonaws.com/?cors");
    assert_string_equal(sent_header(&f, 0, "Host"), "lsms-origin.s3.eu-west-1.amazonaws.com");
    /* base64(MD5("<CORSConfiguration/>")) */
    assert_string_equal(sent_header(&f, 0, "Content-MD5"), "X2DwA3ZNuD6gUGkUJg8PDg==");
    assert_string_equal(sent_header(&f, 0, "x-amz-content-sha256"),
                        "bf2af1371571c20389c0e74d0f5c1dd63e3165f640f0b6a7e791c3fd1b21c0bc");
    assert_string_equal(sent_header(&f, 0, "Authorization"),
                        "AWS4-HMAC-SHA256 " SCOPE("eu-west-1")
                        "SignedHeaders=content-md5;host;x-amz-content-sha256;x-amz-date, "
                        "Signature=d93335fe70232bfa61f3375198f71c555e0f65e6d84ed01db535865d7a3982b4");
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

/* The MD5 of an empty body is still sent when asked for. */
static void test_s3_content_md5_of_empty_body(void **state)
{
    (void)state;
    struct aws_s3_input in = {.operation = "PutBucketTagging", .method = "PUT",
                              .bucket = "lsms-origin", .query = "tagging", .content_md5 = 1};
    struct setup s = {.region = "us-east-1"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, ok_empty, 1, &in, &f, &out, &err), 0);
    assert_string_equal(sent_header(&f, 0, "Content-MD5"), "1B2M2Y8AsgTpgAmY7PhCfg==");
    assert_string_equal(sent_header(&f, 0, "x-amz-content-sha256"), EMPTY_SHA256);
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

/* A bucket in another region: the endpoint host and the signing region
 * follow in->region; the query goes out exactly as given. */
static void test_s3_region_override_and_query(void **state)
{
    (void)state;
    struct aws_s3_input in = {.operation = "ListObjectVersions", .bucket = "lsms-origin",
                              .query = "versions&key-marker=a%20b&prefix=stream%2F",
                              .region = "ap-southeast-2"};
    struct setup s = {.region = "us-east-1"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, ok_empty, 1, &in, &f, &out, &err), 0);
    assert_string_equal(f.sent[0].method, "GET");
    assert_string_equal(f.sent[0].url, "https://lsms-origin.s3.ap-southeast-2.amazonaws.com/"
                                       "?versions&key-marker=a%20b&prefix=stream%2F");
    assert_string_equal(sent_header(&f, 0, "x-amz-content-sha256"), EMPTY_SHA256);
    assert_string_equal(sent_header(&f, 0, "Authorization"),
                        "AWS4-HMAC-SHA256 " SCOPE("ap-southeast-2")
                        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                        "Signature=39432b1a4e565ac74a52be1c0522ee958395dcedc8b1b88592e5660c692e3f28");
    aws_s3_output_clean_up(&out);
    fake_free(&f);

    /* An overridden endpoint stays the URL; only the signing region moves. */
    struct setup emu = {.region = "us-east-1", .s3_endpoint = "http://127.0.0.1:5000/base/"};
    assert_int_equal(run(&emu, ok_empty, 1, &in, &f, &out, &err), 0);
    assert_string_equal(f.sent[0].url, "http://127.0.0.1:5000/base/lsms-origin"
                                       "?versions&key-marker=a%20b&prefix=stream%2F");
    assert_non_null(strstr(sent_header(&f, 0, "Authorization"), SCOPE("ap-southeast-2")));
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

/* Which URL each addressing rule gives. */
static void test_s3_addressing_rules(void **state)
{
    (void)state;
    static const struct {
        struct setup s;
        const char *bucket, *key, *query;
        const char *url;
    } cases[] = {
        /* virtual-hosted by default, us-east-1 regional too */
        {{"us-east-1", NULL, 0}, "lsms-origin", NULL, "policy",
         "https://lsms-origin.s3.us-east-1.amazonaws.com/?policy"},
        {{"eu-west-1", NULL, 0}, "lsms-origin", "stream/index.m3u8", NULL,
         "https://lsms-origin.s3.eu-west-1.amazonaws.com/stream/index.m3u8"},
        /* s3_use_path_style */
        {{"eu-west-1", NULL, 1}, "lsms-origin", NULL, "policy",
         "https://s3.eu-west-1.amazonaws.com/lsms-origin?policy"},
        {{"eu-west-1", NULL, 1}, "lsms-origin", "a b", NULL,
         "https://s3.eu-west-1.amazonaws.com/lsms-origin/a%20b"},
        /* names that cannot be a TLS host label stay path-style */
        {{"eu-west-1", NULL, 0}, "my.logs.bucket", NULL, "logging",
         "https://s3.eu-west-1.amazonaws.com/my.logs.bucket?logging"},
        {{"eu-west-1", NULL, 0}, "Legacy_Bucket", NULL, NULL,
         "https://s3.eu-west-1.amazonaws.com/Legacy_Bucket"},
        /* service call */
        {{"eu-west-1", NULL, 0}, NULL, NULL, NULL, "https://s3.eu-west-1.amazonaws.com/"},
        {{"us-east-1", "http://127.0.0.1:5000", 0}, NULL, NULL, NULL, "http://127.0.0.1:5000/"},
        /* China partition host */
        {{"cn-north-1", NULL, 0}, "lsms-origin", NULL, NULL,
         "https://lsms-origin.s3.cn-north-1.amazonaws.com.cn/"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        struct aws_s3_input in = {.operation = "Test", .bucket = cases[i].bucket,
                                  .key = cases[i].key, .query = cases[i].query};
        struct fake f;
        struct aws_s3_output out = {0};
        struct aws_error err = {0};
        assert_int_equal(run(&cases[i].s, ok_empty, 1, &in, &f, &out, &err), 0);
        if (strcmp(f.sent[0].url, cases[i].url) != 0)
            fail_msg("case %zu: %s, expected %s", i, f.sent[0].url, cases[i].url);
        aws_s3_output_clean_up(&out);
        fake_free(&f);
    }
}

/* AWS_ENDPOINT_URL_S3 counts as an override: path-style. */
static void test_s3_env_endpoint_is_path_style(void **state)
{
    (void)state;
    struct fake f = {.answers = ok_empty, .count = 1};
    struct aws_clock clock;
    struct setup s = {.region = "us-east-1"};
    struct aws_client *c = client_with(&f, &clock, &s);
    setenv("AWS_ENDPOINT_URL_S3", "http://localhost:4566", 1);
    struct aws_s3_input in = {.operation = "HeadBucket", .method = "HEAD", .bucket = "lsms-origin"};
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(aws_s3_call(c, &in, &out, &err), 0);
    unsetenv("AWS_ENDPOINT_URL_S3");
    assert_string_equal(f.sent[0].method, "HEAD");
    assert_string_equal(f.sent[0].url, "http://localhost:4566/lsms-origin");
    aws_s3_output_clean_up(&out);
    aws_client_destroy(c);
    fake_free(&f);
}

/* Input errors are refused before anything is sent. */
static void test_s3_bad_input_sends_nothing(void **state)
{
    (void)state;
    static const struct aws_s3_input bad[] = {
        {.operation = "HeadBucket", .method = "HEAD", .bucket = ""},
        {.operation = "PutObject", .method = "PUT", .bucket = "b-1", .key = ""},
        {.operation = "GetObject", .key = "k"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
        struct setup s = {.region = "us-east-1"};
        struct fake f;
        struct aws_s3_output out = {0};
        struct aws_error err = {0};
        assert_int_equal(run(&s, ok_empty, 1, &bad[i], &f, &out, &err), -1);
        assert_int_equal(f.next, 0);
        assert_string_equal(err.code, AWS_ERR_CONFIG);
        assert_non_null(strstr(err.message, bad[i].operation));
        aws_error_clean_up(&err);
        aws_s3_output_clean_up(&out);
        fake_free(&f);
    }
}

/* ---- answers ---- */

static void test_s3_xml_raw_and_empty_answers(void **state)
{
    (void)state;
    static const struct answer list[] = {
        {200,
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
         "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>lsms-origin</Name>"
         "<KeyCount>1</KeyCount><Contents><Key>a b/c.ts</Key></Contents></ListBucketResult>",
         {"x-amz-request-id", NULL}, {"RID1", NULL}}};
    struct aws_s3_input in = {.operation = "ListObjectsV2", .bucket = "lsms-origin",
                              .query = "list-type=2&prefix=a%20b%2F"};
    struct setup s = {.region = "us-east-1", .s3_endpoint = "http://127.0.0.1:5000"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, list, 1, &in, &f, &out, &err), 0);
    assert_string_equal(f.sent[0].url,
                        "http://127.0.0.1:5000/lsms-origin?list-type=2&prefix=a%20b%2F");
    assert_non_null(out.doc);
    char *key = aws_xml_find_text(xmlDocGetRootElement(out.doc), "ListBucketResult/Contents/Key");
    assert_string_equal(key, "a b/c.ts");
    free(key);
    assert_string_equal(aws_headers_get(&out.headers, "x-amz-request-id"), "RID1");
    assert_true(out.body.len > 0);
    aws_s3_output_clean_up(&out);
    fake_free(&f);

    /* GetBucketPolicy answers JSON: raw_output keeps it as bytes */
    static const struct answer policy[] = {{200, "{\"Version\":\"2012-10-17\"}", {NULL}, {NULL}}};
    struct aws_s3_input get = {.operation = "GetBucketPolicy", .bucket = "lsms-origin",
                               .query = "policy", .raw_output = 1};
    assert_int_equal(run(&s, policy, 1, &get, &f, &out, &err), 0);
    assert_null(out.doc);
    assert_int_equal(out.body.len, strlen("{\"Version\":\"2012-10-17\"}"));
    assert_memory_equal(out.body.data, "{\"Version\":\"2012-10-17\"}", out.body.len);
    aws_s3_output_clean_up(&out);
    fake_free(&f);

    /* ... and without raw_output a body that is not XML is an error */
    get.raw_output = 0;
    assert_int_equal(run(&s, policy, 1, &get, &f, &out, &err), -1);
    assert_string_equal(err.code, AWS_ERR_BAD_RESPONSE);
    aws_error_clean_up(&err);
    aws_s3_output_clean_up(&out);
    fake_free(&f);

    /* 204 without a body */
    static const struct answer deleted[] = {{204, NULL, {NULL}, {NULL}}};
    struct aws_s3_input del = {.operation = "DeleteBucketPolicy", .method = "DELETE",
                               .bucket = "lsms-origin", .query = "policy"};
    assert_int_equal(run(&s, deleted, 1, &del, &f, &out, &err), 0);
    assert_int_equal(out.status, 204);
    assert_null(out.doc);
    assert_int_equal(out.body.len, 0);
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

/* S3's error document, through the call: code, message, request id, and the
 * answer's status and headers left in `out`. */
static void test_s3_error_document(void **state)
{
    (void)state;
    static const struct answer missing[] = {
        {404,
         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucket</Code>"
         "<Message>The specified bucket does not exist</Message><BucketName>nope-1</BucketName>"
         "<RequestId>4442587FB7D0A2F9</RequestId><HostId>h0st</HostId></Error>",
         {"x-amz-request-id", "Content-Type"}, {"HDR-RID", "application/xml"}}};
    struct aws_s3_input in = {.operation = "GetBucketPolicy", .bucket = "nope-1",
                              .query = "policy", .raw_output = 1};
    struct setup s = {.region = "us-east-1"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, missing, 1, &in, &f, &out, &err), -1);
    assert_int_equal(f.next, 1);
    assert_string_equal(err.code, "NoSuchBucket");
    assert_string_equal(err.message, "The specified bucket does not exist");
    assert_string_equal(err.request_id, "4442587FB7D0A2F9");
    assert_int_equal(err.http_status, 404);
    assert_int_equal(out.status, 404);
    assert_null(out.doc);
    assert_string_equal(aws_headers_get(&out.headers, "Content-Type"), "application/xml");
    char *text = aws_error_format(&err);
    assert_string_equal(text, "NoSuchBucket: The specified bucket does not exist "
                              "(HTTP 404, request id 4442587FB7D0A2F9)");
    free(text);
    aws_error_clean_up(&err);
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

static void response(struct aws_response *r, long status, const char *hname, const char *hvalue,
                     const char *body)
{
    memset(r, 0, sizeof(*r));
    r->status = status;
    if (hname)
        aws_headers_add(&r->headers, hname, hvalue);
    buf_append_str(&r->body, body ? body : "");
}

static void test_s3_error_parse_variants(void **state)
{
    (void)state;
    struct aws_response r;
    struct aws_error err = {0};

    /* HEAD of a missing bucket or key: no body, the status names it */
    response(&r, 404, "x-amz-request-id", "RID404", NULL);
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "NotFound");
    assert_string_equal(err.request_id, "RID404");
    assert_int_equal(err.http_status, 404);
    assert_non_null(strstr(err.message, "Not Found"));
    aws_response_clean_up(&r);

    response(&r, 403, NULL, NULL, NULL);
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "Forbidden");
    assert_null(err.request_id);
    aws_response_clean_up(&r);

    /* a bucket in another region: the header says which */
    response(&r, 301, "x-amz-bucket-region", "eu-west-1", NULL);
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "PermanentRedirect");
    assert_non_null(strstr(err.message, "The bucket is in region eu-west-1."));
    aws_response_clean_up(&r);

    response(&r, 301, "x-amz-bucket-region", "eu-west-1",
             "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to "
             "access must be addressed using the specified endpoint.</Message>"
             "<Endpoint>b.s3.eu-west-1.amazonaws.com</Endpoint><Bucket>b</Bucket>"
             "<RequestId>R3</RequestId></Error>");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "PermanentRedirect");
    assert_string_equal(err.message, "The bucket you are attempting to access must be addressed "
                                     "using the specified endpoint. The bucket is in region "
                                     "eu-west-1.");
    assert_string_equal(err.request_id, "R3");
    aws_response_clean_up(&r);

    /* moto spells RequestID */
    response(&r, 409, NULL, NULL,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>BucketNotEmpty</Code>"
             "<Message>The bucket you tried to delete is not empty</Message>"
             "<BucketName>b</BucketName><RequestID>MOTO-RID</RequestID></Error>");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "BucketNotEmpty");
    assert_string_equal(err.request_id, "MOTO-RID");
    aws_response_clean_up(&r);

    /* the restXml wrapper (a proxy's answer) is read as well */
    response(&r, 400, NULL, NULL,
             "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidArgument</Code>"
             "<Message>bad</Message></Error><RequestId>W1</RequestId></ErrorResponse>");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "InvalidArgument");
    assert_string_equal(err.message, "bad");
    aws_response_clean_up(&r);

    /* a body that is not S3's document (a load balancer's HTML) */
    response(&r, 503, "x-amz-request-id", "LB", "<html><body>busy</body></html>");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "ServiceUnavailable");
    assert_string_equal(err.request_id, "LB");
    aws_response_clean_up(&r);

    response(&r, 418, NULL, NULL, "not xml at all");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "HttpError");
    assert_non_null(strstr(err.message, "418"));
    aws_response_clean_up(&r);

    /* an empty <Code/> never gives an empty code */
    response(&r, 400, NULL, NULL, "<Error><Code></Code><Message>m</Message></Error>");
    aws_s3_error_parse(&r, &err);
    assert_string_equal(err.code, "BadRequest");
    aws_response_clean_up(&r);
    aws_error_clean_up(&err);
}

/* ---- retries ---- */

static void test_s3_transient_errors_are_retried(void **state)
{
    (void)state;
    static const struct answer answers[] = {
        {503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message>"
              "</Error>", {NULL}, {NULL}},
        {500, "<Error><Code>InternalError</Code><Message>Try again.</Message></Error>",
         {NULL}, {NULL}},
        {409, "<Error><Code>OperationAborted</Code><Message>A conflicting conditional operation "
              "is currently in progress against this resource.</Message></Error>", {NULL}, {NULL}},
        {400, "<Error><Code>RequestTimeout</Code><Message>idle</Message></Error>", {NULL}, {NULL}},
        {503, NULL, {NULL}, {NULL}},
        {200, NULL, {NULL}, {NULL}},
    };
    struct aws_s3_input in = {.operation = "PutObject", .method = "PUT", .bucket = "lsms-origin",
                              .key = "a b/c", .body = "x"};
    struct setup s = {.region = "us-east-1", .s3_endpoint = "http://127.0.0.1:5000"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, answers, 6, &in, &f, &out, &err), 0);
    assert_int_equal(f.next, 6);
    assert_int_equal(f.sleeps, 5);
    /* every attempt sends the same path and body; signing it again (same
     * fixed clock) gives the same signature, so nothing was encoded twice */
    for (size_t i = 1; i < 6; i++) {
        assert_string_equal(f.sent[i].url, "http://127.0.0.1:5000/lsms-origin/a%20b/c");
        assert_string_equal(sent_header(&f, i, "Authorization"),
                            sent_header(&f, 0, "Authorization"));
        assert_int_equal(f.sent[i].body.len, 1);
    }
    aws_s3_output_clean_up(&out);
    fake_free(&f);
}

static void test_s3_final_errors_are_not_retried(void **state)
{
    (void)state;
    static const struct answer answers[] = {
        {409, "<Error><Code>BucketNotEmpty</Code><Message>not empty</Message></Error>",
         {NULL}, {NULL}},
        {200, NULL, {NULL}, {NULL}},
    };
    struct aws_s3_input in = {.operation = "DeleteBucket", .method = "DELETE",
                              .bucket = "lsms-origin"};
    struct setup s = {.region = "us-east-1"};
    struct fake f;
    struct aws_s3_output out = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&s, answers, 2, &in, &f, &out, &err), -1);
    assert_int_equal(f.next, 1);
    assert_int_equal(f.sleeps, 0);
    assert_string_equal(err.code, "BucketNotEmpty");
    aws_error_clean_up(&err);
    aws_s3_output_clean_up(&out);
    fake_free(&f);

    static const struct {
        const char *code;
        long status;
        enum aws_retry_class cls;
    } classes[] = {
        {"SlowDown", 503, AWS_RETRY_THROTTLE},
        {"InternalError", 500, AWS_RETRY_TRANSIENT},
        {"ServiceUnavailable", 503, AWS_RETRY_TRANSIENT},
        {"RequestTimeout", 400, AWS_RETRY_TRANSIENT},
        {"OperationAborted", 409, AWS_RETRY_TRANSIENT},
        {"BucketNotEmpty", 409, AWS_RETRY_NONE},
        {"NoSuchBucket", 404, AWS_RETRY_NONE},
        {"NotFound", 404, AWS_RETRY_NONE},
        {"PermanentRedirect", 301, AWS_RETRY_NONE},
        {"AccessDenied", 403, AWS_RETRY_NONE},
        {"BucketAlreadyOwnedByYou", 409, AWS_RETRY_NONE},
        {"MalformedXML", 400, AWS_RETRY_NONE},
    };
    for (size_t i = 0; i < sizeof(classes) / sizeof(*classes); i++) {
        struct aws_error e = {.code = (char *)classes[i].code, .http_status = classes[i].status};
        if (aws_retry_classify(&e) != classes[i].cls)
            fail_msg("%s: class %d", classes[i].code, (int)aws_retry_classify(&e));
    }
}

static void test_s3_bucket_virtual_hostable(void **state)
{
    (void)state;
    assert_true(aws_s3_bucket_virtual_hostable("lsms-origin"));
    assert_true(aws_s3_bucket_virtual_hostable("abc"));
    assert_true(aws_s3_bucket_virtual_hostable("123"));
    assert_false(aws_s3_bucket_virtual_hostable("ab"));
    assert_false(aws_s3_bucket_virtual_hostable(NULL));
    assert_false(aws_s3_bucket_virtual_hostable("a.b.c"));
    assert_false(aws_s3_bucket_virtual_hostable("192.168.0.1"));
    assert_false(aws_s3_bucket_virtual_hostable("-abc"));
    assert_false(aws_s3_bucket_virtual_hostable("abc-"));
    assert_false(aws_s3_bucket_virtual_hostable("Abc"));
    assert_false(aws_s3_bucket_virtual_hostable("a_bc"));
    char long_name[65];
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    assert_false(aws_s3_bucket_virtual_hostable(long_name));
    long_name[63] = '\0';
    assert_true(aws_s3_bucket_virtual_hostable(long_name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_s3_path_style_on_overridden_endpoint),
        cmocka_unit_test(test_s3_virtual_hosted_with_content_md5),
        cmocka_unit_test(test_s3_content_md5_of_empty_body),
        cmocka_unit_test(test_s3_region_override_and_query),
        cmocka_unit_test(test_s3_addressing_rules),
        cmocka_unit_test(test_s3_env_endpoint_is_path_style),
        cmocka_unit_test(test_s3_bad_input_sends_nothing),
        cmocka_unit_test(test_s3_xml_raw_and_empty_answers),
        cmocka_unit_test(test_s3_error_document),
        cmocka_unit_test(test_s3_error_parse_variants),
        cmocka_unit_test(test_s3_transient_errors_are_retried),
        cmocka_unit_test(test_s3_final_errors_are_not_retried),
        cmocka_unit_test(test_s3_bucket_virtual_hostable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
