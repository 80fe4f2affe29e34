/* The libcurl transport aborts a call in flight promptly when the stop flag
 * is set (StopProvider): the peer below accepts the connection (the kernel
 * completes the handshake on a listening socket) and never answers. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "aws/http.h"

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A listening socket on 127.0.0.1 that never accepts; returns its fd. */
static int silent_peer(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    return fd;
}

struct stopper {
    struct aws_stop *stop;
    uint64_t stopped_at;
};

static void *stop_later(void *arg)
{
    struct stopper *s = arg;
    usleep(200 * 1000);
    s->stopped_at = mono_ms();
    aws_stop_trigger(s->stop);
    return NULL;
}

/* One call to a silent peer, stopped 200 ms in; returns how long after the
 * stop the call returned, in ms. */
static uint64_t stopped_call_latency_ms(void)
{
    int port = 0;
    int fd = silent_peer(&port);
    struct aws_stop stop;
    aws_stop_init(&stop);
    struct aws_http_options o = {.timeout_ms = 30000, .stop = &stop};
    struct aws_transport *t = aws_transport_curl_new(&o);
    assert_non_null(t);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    struct aws_request req = {0};
    assert_int_equal(aws_request_set_line(&req, "GET", "/", NULL), 0);
    assert_int_equal(aws_request_set_endpoint(&req, url), 0);
    struct aws_response resp = {0};
    struct aws_error err = {0};
    struct stopper s = {.stop = &stop};
    pthread_t th;
    pthread_create(&th, NULL, stop_later, &s);
    assert_int_equal(aws_transport_send(t, &req, &resp, &err), -1);
    uint64_t returned_at = mono_ms();
    pthread_join(th, NULL);
    assert_string_equal(err.code, AWS_ERR_CANCELLED);
    /* libcurl's progress callback alone runs about once a second while a
     * transfer waits, which let a stop take up to a second. */
    printf("stop latency %llu ms\n", (unsigned long long)(returned_at - s.stopped_at));
    assert_true(returned_at - s.stopped_at < 250);
    aws_error_clean_up(&err);
    aws_response_clean_up(&resp);
    aws_request_clean_up(&req);
    aws_transport_destroy(t);
    aws_stop_clean_up(&stop);
    close(fd);
    return returned_at - s.stopped_at;
}

static void test_stop_aborts_call_in_flight(void **unused)
{
    (void)unused;
    /* libcurl's progress callback alone runs about once a second while a
     * transfer waits, so a stop used to take 0 to 1000 ms depending on the
     * phase: several calls make that visible. */
    for (int i = 0; i < 5; i++) {
        uint64_t ms = stopped_call_latency_ms();
        if (ms >= 250)
            fail_msg("call %d returned %llu ms after the stop", i, (unsigned long long)ms);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stop_aborts_call_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
