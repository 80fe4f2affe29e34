#include "aws/waiter.h"

int aws_waiter_run(const struct aws_waiter_config *cfg, const struct aws_clock *clock,
                   struct aws_stop *stop, aws_wait_poll_fn poll, void *ctx, struct aws_error *err)
{
    uint64_t delay = cfg->initial_delay_ms ? cfg->initial_delay_ms : 1000;
    uint64_t max_delay = cfg->max_delay_ms ? cfg->max_delay_ms : 30000;
    uint64_t growth = cfg->growth_percent > 100 ? cfg->growth_percent : 200;
    uint64_t timeout = cfg->timeout_ms ? cfg->timeout_ms : 20ull * 60 * 1000;
    const char *what = cfg->what ? cfg->what : "the expected state";
    uint64_t deadline = clock->now_ms(clock->ctx) + timeout;
    for (;;) {
        if (aws_stop_is_set(stop))
            return aws_error_setf(err, AWS_ERR_CANCELLED, "stopped while waiting for %s", what);
        aws_error_clean_up(err);
        enum aws_wait_result r = poll(ctx, err);
        if (r == AWS_WAIT_DONE) {
            aws_error_clean_up(err);
            return 0;
        }
        if (r == AWS_WAIT_FAILED) {
            if (!err->code)
                aws_error_setf(err, AWS_ERR_WAIT_FAILED, "%s will not be reached", what);
            return -1;
        }
        uint64_t now = clock->now_ms(clock->ctx);
        if (now >= deadline)
            return aws_error_setf(err, AWS_ERR_WAIT_TIMEOUT,
                                  "timed out after %llu s waiting for %s",
                                  (unsigned long long)(timeout / 1000), what);
        uint64_t sleep = delay < deadline - now ? delay : deadline - now;
        if (clock->sleep_ms(clock->ctx, sleep, stop))
            return aws_error_setf(err, AWS_ERR_CANCELLED, "stopped while waiting for %s", what);
        uint64_t next = delay * growth / 100;
        if (next <= delay)
            next = delay + 1;
        delay = next < max_delay ? next : max_delay;
    }
}

int aws_client_wait(struct aws_client *c, const struct aws_waiter_config *cfg,
                    aws_wait_poll_fn poll, void *ctx, struct aws_error *err)
{
    return aws_waiter_run(cfg, aws_client_clock(c), aws_client_stop_flag(c), poll, ctx, err);
}
