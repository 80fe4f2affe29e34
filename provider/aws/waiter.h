/*
 * waiter.h - polls until something reaches a state, with backoff, a
 * timeout and cancellation by the stop flag.
 *
 * Example (wait for a container to become ACTIVE):
 *     static enum aws_wait_result poll(void *ctx, struct aws_error *err) {
 *         ... DescribeContainer ...; return active ? AWS_WAIT_DONE : AWS_WAIT_PENDING;
 *     }
 *     struct aws_waiter_config w = { .initial_delay_ms = 2000, .max_delay_ms = 30000,
 *                                    .timeout_ms = 20 * 60 * 1000, .what = "container ACTIVE" };
 *     if (aws_client_wait(client, &w, poll, ctx, &err)) ... err.code ...
 */
#ifndef LSMS_AWS_WAITER_H
#define LSMS_AWS_WAITER_H

#include <stdint.h>

#include "aws/engine.h"
#include "aws/clock.h"
#include "aws/error.h"

enum aws_wait_result {
    AWS_WAIT_PENDING = 0, /* not yet: poll again */
    AWS_WAIT_DONE,        /* reached the wanted state */
    AWS_WAIT_FAILED,      /* will never get there; the poll filled err */
};

/* Called once per poll; fills err when returning AWS_WAIT_FAILED (if it
 * leaves err empty, the waiter sets AWS_ERR_WAIT_FAILED). */
typedef enum aws_wait_result (*aws_wait_poll_fn)(void *ctx, struct aws_error *err);

/* The schedule for state transitions (a container ACTIVE, a distribution
 * Deployed, a channel RUNNING): some settle within a second, others take
 * minutes, and an apply waits for them in turn. Starting at 100 ms and
 * growing by a fifth, the waiter notices a state at most ~20% of the time
 * waited after it is reached (until max_delay), for more polls on the slow
 * ones: a 3-minute CloudFront deployment takes ~33 GetDistribution calls. */
#define AWS_WAITER_FIRST_DELAY_MS 100
#define AWS_WAITER_GROWTH_PERCENT 120

struct aws_waiter_config {
    uint64_t initial_delay_ms; /* delay after the first pending poll; 0: 1 s */
    uint64_t max_delay_ms;     /* the delay grows up to this; 0: 30 s */
    unsigned growth_percent;   /* each delay is the previous × this / 100; 0: 200 */
    uint64_t timeout_ms;       /* overall; 0: 20 min */
    const char *what;          /* for messages: "distribution Deployed" */
};

/*
 * Polls at once, then after initial_delay, growing up to max_delay, until
 * DONE (returns 0), FAILED (-1, err from the poll), the timeout passes (-1,
 * AWS_ERR_WAIT_TIMEOUT) or `stop` is set (-1, AWS_ERR_CANCELLED). The last
 * poll happens no later than the deadline.
 */
int aws_waiter_run(const struct aws_waiter_config *cfg, const struct aws_clock *clock,
                   struct aws_stop *stop, aws_wait_poll_fn poll, void *ctx, struct aws_error *err);

/* aws_waiter_run with the client's clock and stop flag. */
int aws_client_wait(struct aws_client *c, const struct aws_waiter_config *cfg,
                    aws_wait_poll_fn poll, void *ctx, struct aws_error *err);

#endif
