/*
 * http.h - the transport: sends one aws_request and returns its answer.
 *
 * A function table, so tests script answers (tests/unit/test_aws_*.c) and
 * the real implementation uses libcurl. Sending must be safe from many
 * threads at once.
 */
#ifndef LSMS_AWS_HTTP_H
#define LSMS_AWS_HTTP_H

#include "aws/clock.h"
#include "aws/error.h"
#include "aws/message.h"

struct aws_transport;

struct aws_transport_vtable {
    /*
     * Sends `req` and fills `resp` (zeroed by the caller). Returns 0 when an
     * HTTP answer arrived, whatever its status; -1 with err->code
     * AWS_ERR_CONNECTION, AWS_ERR_TIMEOUT, AWS_ERR_CANCELLED or
     * AWS_ERR_NO_MEMORY otherwise.
     */
    int (*send)(struct aws_transport *t, const struct aws_request *req, struct aws_response *resp,
                struct aws_error *err);
    /* Frees the transport. */
    void (*destroy)(struct aws_transport *t);
};

struct aws_transport {
    const struct aws_transport_vtable *vtable;
    void *impl;
};

struct aws_http_options {
    long connect_timeout_ms; /* 0: 10 s */
    long timeout_ms;         /* whole transfer; 0: 120 s */
    int insecure;            /* skip TLS verification (local emulators only) */
    /* Borrowed; must outlive the transport. When set, transfers in flight
     * abort within about 50 ms and new ones fail with AWS_ERR_CANCELLED. */
    struct aws_stop *stop;
};

/*
 * The libcurl transport: a pool of easy handles (one in use per thread at a
 * time) sharing one connection cache, DNS cache and TLS session cache, so
 * connections are reused across calls and threads. Only http and https are
 * allowed, redirects are not followed, TLS peer and host verification are on
 * unless `insecure`. Returns NULL when libcurl cannot be set up.
 */
struct aws_transport *aws_transport_curl_new(const struct aws_http_options *opts);

/* Convenience wrappers over the table (NULL-safe destroy). */
int aws_transport_send(struct aws_transport *t, const struct aws_request *req,
                       struct aws_response *resp, struct aws_error *err);
void aws_transport_destroy(struct aws_transport *t);

#endif
