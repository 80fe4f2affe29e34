/*
 * Retry decisions of the client engine (standard mode), driven by a scripted
 * transport and a fake clock so no test sleeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "aws/client.h"
#include "aws/protocol_json.h"
#include "aws/retry.h"

struct scripted_answer {
    long status;     /* 0: transport failure with `code` */
    const char *code;
    const char *body;
    const char *header_name, *header_value;
};

struct fake {
    struct aws_transport base;
    const struct scripted_answer *answers;
    size_t count, next;
    char *last_auth[8];
    uint64_t now_ms;
    uint64_t sleeps[64];
    size_t sleep_count;
    double random;
    int stop_after_sends; /* trigger stop on this send number (1-based); 0 never */
    struct aws_stop *stop;
};

static int fake_send(struct aws_transport *t, const struct aws_request *req,
                     struct aws_response *resp, struct aws_error *err)
{
    struct fake *f = t->impl;
    if (f->next < 8)
        f->last_auth[f->next] = strdup(aws_headers_get(&req->headers, "Authorization"));
    assert_true(f->next < f->count);
    const struct scripted_answer *a = &f->answers[f->next++];
    f->now_ms += 5;
    if (f->stop_after_sends && (int)f->next == f->stop_after_sends)
        aws_stop_trigger(f->stop);
    if (!a->status)
        return aws_error_set(err, a->code, "scripted", 0, NULL);
    resp->status = a->status;
    if (a->header_name)
        aws_headers_add(&resp->headers, a->header_name, a->header_value);
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
    return 1440938160;
}
static int fake_sleep(void *ctx, uint64_t ms, struct aws_stop *stop)
{
    struct fake *f = ctx;
    if (f->sleep_count < 64)
        f->sleeps[f->sleep_count++] = ms;
    f->now_ms += ms;
    return aws_stop_is_set(stop) ? -1 : 0;
}
static double fake_random(void *ctx)
{
    return ((struct fake *)ctx)->random;
}

static struct aws_client *client_with(struct fake *f, struct aws_clock *clock, int max_retries)
{
    f->base.vtable = &fake_vtable;
    f->base.impl = f;
    *clock = (struct aws_clock){fake_now, fake_wall, fake_sleep, fake_random, f};
    struct aws_client_config cfg = {
        .region = "us-east-1",
        .credentials = {.access_key = "AKIDEXAMPLE", .secret_key = "SECRETEXAMPLE"},
        .max_retries = max_retries,
        .skip_credentials_validation = 1,
        .skip_requesting_account_id = 1,
        .transport = &f->base,
        .clock = clock,
    };
    struct aws_error err = {0};
    struct aws_client *c = aws_client_new(&cfg, &err);
    assert_non_null(c);
    f->stop = aws_client_stop_flag(c);
    return c;
}

static void fake_free(struct fake *f)
{
    for (int i = 0; i < 8; i++)
        free(f->last_auth[i]);
}

static int call_dashboard(struct aws_client *c, struct aws_error *err)
{
    cJSON *out = NULL;
    int rc = aws_json_call(c, "cloudwatch", "GraniteServiceVersion20100801.GetDashboard", NULL,
                           &out, err);
    cJSON_Delete(out);
    return rc;
}

static void test_retry_throttling_then_success(void **state)
{
    (void)state;
    static const struct scripted_answer answers[] = {
        {400, NULL, "{\"__type\":\"Throttling\",\"message\":\"Rate exceeded\"}", NULL, NULL},
        {429, NULL, "{\"__type\":\"SomethingElse\"}", NULL, NULL},
        {200, NULL, "{\"DashboardName\":\"d\"}", NULL, NULL},
    };
    struct fake f = {.answers = answers, .count = 3, .random = 0.5};
    struct aws_clock clock;
    struct aws_client *c = client_with(&f, &clock, 25);
    struct aws_error err = {0};
    assert_int_equal(call_dashboard(c, &err), 0);
    assert_int_equal(f.next, 3);
    /* full jitter below 1 s, then below 2 s */
    assert_int_equal(f.sleep_count, 2);
    assert_int_equal(f.sleeps[0], 500);
    assert_int_equal(f.sleeps[1], 1000);
    /* each attempt is signed afresh */
    assert_non_null(f.last_auth[0]);
    assert_non_null(f.last_auth[2]);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
    fake_free(&f);
}

static void test_retry_transient_5xx_and_connection(void **state)
{
    (void)state;
    static const struct scripted_answer answers[] = {
        {500, NULL, "{\"__type\":\"InternalServiceError\"}", NULL, NULL},
        {502, NULL, "<html>bad gateway</html>", NULL, NULL},
        {503, NULL, "", NULL, NULL},
        {504, NULL, "", NULL, NULL},
        {0, AWS_ERR_CONNECTION, NULL, NULL, NULL},
        {0, AWS_ERR_TIMEOUT, NULL, NULL, NULL},
        {400, NULL, "{\"__type\":\"RequestTimeoutException\"}", NULL, NULL},
        {200, NULL, "{}", NULL, NULL},
    };
    struct fake f = {.answers = answers, .count = 8, .random = 0.0};
    struct aws_clock clock;
    struct aws_client *c = client_with(&f, &clock, 25);
    struct aws_error err = {0};
    assert_int_equal(call_dashboard(c, &err), 0);
    assert_int_equal(f.next, 8);
    assert_int_equal(f.sleep_count, 7);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
    fake_free(&f);
}

static void test_retry_never_for_other_4xx(void **state)
{
    (void)state;
    static const struct scripted_answer answers[] = {
        {404, NULL, "{\"__type\":\"ResourceNotFound\",\"message\":\"Dashboard does not exist\"}",
         "x-amzn-RequestId", "rid-1"},
        {200, NULL, "{}", NULL, NULL},
    };
    struct fake f = {.answers = answers, .count = 2};
    struct aws_clock clock;
    struct aws_client *c = client_with(&f, &clock, 25);
    struct aws_error err = {0};
    assert_int_equal(call_dashboard(c, &err), -1);
    assert_int_equal(f.next, 1);
    assert_int_equal(f.sleep_count, 0);
    assert_string_equal(err.code, "ResourceNotFound");
    assert_int_equal(err.http_status, 404);
    assert_string_equal(err.request_id, "rid-1");
    char *msg = aws_error_format(&err);
    assert_string_equal(msg, "ResourceNotFound: Dashboard does not exist (HTTP 404, request id rid-1)");
    free(msg);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
    fake_free(&f);
}

static void test_retry_gives_up_after_max_retries(void **state)
{
    (void)state;
    static struct scripted_answer answers[4];
    for (int i = 0; i < 4; i++)
        answers[i] = (struct scripted_answer){503, NULL, "{\"__type\":\"ServiceUnavailable\"}", NULL, NULL};
    struct fake f = {.answers = answers, .count = 4, .random = 0.999};
    struct aws_clock clock;
    struct aws_client *c = client_with(&f, &clock, 3);
    struct aws_error err = {0};
    assert_int_equal(call_dashboard(c, &err), -1);
    assert_int_equal(f.next, 4); /* 1 attempt + 3 retries */
    assert_int_equal(f.sleep_count, 3);
    assert_true(f.sleeps[0] < 1000 && f.sleeps[0] >= 990);
    assert_true(f.sleeps[1] < 2000 && f.sleeps[1] >= 1990);
    assert_true(f.sleeps[2] < 4000 && f.sleeps[2] >= 3990);
    assert_string_equal(err.code, "ServiceUnavailable");
    assert_int_equal(err.http_status, 503);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
    fake_free(&f);
}

static void test_retry_stop_ends_backoff(void **state)
{
    (void)state;
    static const struct scripted_answer answers[] = {
        {400, NULL, "{\"__type\":\"ThrottlingException\"}", NULL, NULL},
        {200, NULL, "{}", NULL, NULL},
    };
    struct fake f = {.answers = answers, .count = 2, .stop_after_sends = 1};
    struct aws_clock clock;
    struct aws_client *c = client_with(&f, &clock, 25);
    struct aws_error err = {0};
    assert_int_equal(call_dashboard(c, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CANCELLED);
    assert_int_equal(f.next, 1);
    /* and later calls fail at once without sending */
    assert_int_equal(call_dashboard(c, &err), -1);
    assert_int_equal(f.next, 1);
    aws_error_clean_up(&err);
    aws_client_destroy(c);
    fake_free(&f);
}

static void test_retry_classify_codes(void **state)
{
    (void)state;
    static const char *const throttles[] = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException"};
    for (size_t i = 0; i < sizeof(throttles) / sizeof(*throttles); i++) {
        struct aws_error e = {.code = (char *)throttles[i], .http_status = 400};
        assert_int_equal(aws_retry_classify(&e), AWS_RETRY_THROTTLE);
    }
    struct aws_error e400 = {.code = "ValidationException", .http_status = 400};
    struct aws_error e403 = {.code = "AccessDenied", .http_status = 403};
    struct aws_error e501 = {.code = "NotImplemented", .http_status = 501};
    struct aws_error cancelled = {.code = AWS_ERR_CANCELLED};
    struct aws_error conn = {.code = AWS_ERR_CONNECTION};
    assert_int_equal(aws_retry_classify(&e400), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(&e403), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(&e501), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(&cancelled), AWS_RETRY_NONE);
    assert_int_equal(aws_retry_classify(&conn), AWS_RETRY_TRANSIENT);
}

static void test_retry_delay_ceiling_and_cap(void **state)
{
    (void)state;
    struct aws_retry_policy p = {25, AWS_RETRY_BASE_DELAY_MS, AWS_RETRY_MAX_BACKOFF_MS};
    assert_int_equal(aws_retry_delay_ms(&p, 0, 0.5), 500);
    assert_int_equal(aws_retry_delay_ms(&p, 3, 0.5), 4000);
    assert_int_equal(aws_retry_delay_ms(&p, 4, 0.5), 8000);
    assert_int_equal(aws_retry_delay_ms(&p, 5, 0.5), 10000); /* ceiling 20 s */
    assert_int_equal(aws_retry_delay_ms(&p, 24, 0.5), 10000);
    assert_true(aws_retry_delay_ms(&p, 60, 0.9999) < 20000);
    assert_true(aws_retry_delay_ms(&p, 60, 0.9999) >= 19990);
    assert_int_equal(aws_retry_delay_ms(&p, 4, 0.0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_retry_throttling_then_success),
        cmocka_unit_test(test_retry_transient_5xx_and_connection),
        cmocka_unit_test(test_retry_never_for_other_4xx),
        cmocka_unit_test(test_retry_gives_up_after_max_retries),
        cmocka_unit_test(test_retry_stop_ends_backoff),
        cmocka_unit_test(test_retry_classify_codes),
        cmocka_unit_test(test_retry_delay_ceiling_and_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
