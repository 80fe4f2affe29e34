/*
 * retry.h - which failures are retried and how long to wait: the AWS SDKs'
 * "standard" retry mode.
 *
 * Figures: the AWS SDKs' standard mode (AWS SDKs and Tools reference guide,
 * "Retry behavior"; botocore retries/standard.py) uses base 1 s, factor 2
 * and MAX_BACKOFF 20 s. We apply them as full jitter:
 *   delay before retry i (i = 0 for the first retry)
 *       = random[0,1) * min(max_backoff, base * 2^i)
 * so the ceilings run 1, 2, 4, 8, 16, 20, 20, ... s and the delay is uniform
 * below the ceiling. (The SDKs cap after multiplying by the random number,
 * min(random * 2^i, 20 s), which sits at 20 s for late retries; full jitter
 * spreads concurrent retries better and never waits longer.)
 * The SDK default of 3 attempts is replaced by the provider's max_retries
 * (default 25, as in the Terraform AWS provider), and, like that provider,
 * the client-side retry quota (token bucket) is not applied, so a long
 * throttling episode is ridden out instead of failing the apply.
 *
 * Retried: throttling codes (listed in retry.c, S3's SlowDown among them)
 * and HTTP 429; transient codes RequestTimeout, RequestTimeoutException,
 * PriorRequestNotComplete and S3's InternalError, ServiceUnavailable and
 * OperationAborted (409); HTTP 500, 502, 503, 504; connection failures,
 * resets and our own timeouts.
 * Never retried: every other 4xx, and cancellation.
 */
#ifndef LSMS_AWS_RETRY_H
#define LSMS_AWS_RETRY_H

#include <stdint.h>

#include "aws/error.h"

#define AWS_RETRY_BASE_DELAY_MS 1000u
#define AWS_RETRY_MAX_BACKOFF_MS 20000u
#define AWS_RETRY_DEFAULT_MAX_RETRIES 25

enum aws_retry_class {
    AWS_RETRY_NONE = 0,  /* final: do not retry */
    AWS_RETRY_THROTTLE,  /* throttling */
    AWS_RETRY_TRANSIENT, /* 5xx, timeouts, connection trouble */
};

struct aws_retry_policy {
    int max_retries;         /* retries after the first attempt */
    uint64_t base_delay_ms;  /* AWS_RETRY_BASE_DELAY_MS */
    uint64_t max_backoff_ms; /* AWS_RETRY_MAX_BACKOFF_MS */
};

/* Classifies a failed attempt from its code and HTTP status. */
enum aws_retry_class aws_retry_classify(const struct aws_error *err);
/* 1 when `code` is one of the throttling error codes. */
int aws_retry_is_throttling_code(const char *code);
/* The delay before retry `retry_index` (0-based) given a random number in
 * [0, 1), per the formula above. */
uint64_t aws_retry_delay_ms(const struct aws_retry_policy *p, int retry_index, double random_unit);

#endif
