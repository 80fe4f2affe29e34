/* Waiter backoff, timeout and cancellation with a fake clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "aws/waiter.h"

struct fake_clock {
    uint64_t now;
    uint64_t sleeps[32];
    int n_sleeps;
    int polls, done_at, fail_at, stop_at;
    struct aws_stop *stop;
};

static uint64_t now_ms(void *c) { return ((struct fake_clock *)c)->now; }
static time_t wall(void *c) { (void)c; return 0; }
static double rnd(void *c) { (void)c; return 0; }
static int sleep_ms(void *c, uint64_t ms, struct aws_stop *stop)
{
    struct fake_clock *f = c;
    f->sleeps[f->n_sleeps++] = ms;
    f->now += ms;
    return aws_stop_is_set(stop) ? -1 : 0;
}

static enum aws_wait_result poll_fn(void *ctx, struct aws_error *err)
{
    struct fake_clock *f = ctx;
    f->polls++;
    if (f->stop_at && f->polls == f->stop_at)
        aws_stop_trigger(f->stop);
    if (f->fail_at && f->polls == f->fail_at) {
        aws_error_set(err, "CREATE_FAILED", "channel failed", 0, NULL);
        return AWS_WAIT_FAILED;
    }
    return f->done_at && f->polls >= f->done_at ? AWS_WAIT_DONE : AWS_WAIT_PENDING;
}

static int run(struct fake_clock *f, uint64_t timeout_ms, struct aws_error *err)
{
    struct aws_clock clock = {now_ms, wall, sleep_ms, rnd, f};
    struct aws_stop stop;
    aws_stop_init(&stop);
    f->stop = &stop;
    struct aws_waiter_config cfg = {.initial_delay_ms = 1000, .max_delay_ms = 5000,
                                    .timeout_ms = timeout_ms, .what = "x"};
    int rc = aws_waiter_run(&cfg, &clock, &stop, poll_fn, f, err);
    aws_stop_clean_up(&stop);
    return rc;
}

static void test_waiter_backoff_until_done(void **state)
{
    (void)state;
    struct fake_clock f = {.done_at = 6};
    struct aws_error err = {0};
    assert_int_equal(run(&f, 60000, &err), 0);
    assert_int_equal(f.polls, 6);
    uint64_t want[] = {1000, 2000, 4000, 5000, 5000};
    assert_int_equal(f.n_sleeps, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(f.sleeps[i], want[i]);
    assert_null(err.code);
}

/* The transition schedule: a fifth longer each time, so a state is seen at
 * most ~20% of the waited time after it is reached, up to max_delay. */
static void test_waiter_transition_schedule(void **state)
{
    (void)state;
    struct fake_clock f = {.done_at = 8};
    struct aws_clock clock = {now_ms, wall, sleep_ms, rnd, &f};
    struct aws_stop stop;
    aws_stop_init(&stop);
    f.stop = &stop;
    struct aws_waiter_config cfg = {.initial_delay_ms = AWS_WAITER_FIRST_DELAY_MS,
                                    .growth_percent = AWS_WAITER_GROWTH_PERCENT,
                                    .max_delay_ms = 200,
                                    .timeout_ms = 60000,
                                    .what = "x"};
    struct aws_error err = {0};
    assert_int_equal(aws_waiter_run(&cfg, &clock, &stop, poll_fn, &f, &err), 0);
    uint64_t want[] = {100, 120, 144, 172, 200, 200, 200};
    assert_int_equal(f.n_sleeps, 7);
    for (int i = 0; i < 7; i++)
        assert_int_equal(f.sleeps[i], want[i]);
    aws_stop_clean_up(&stop);
}

static void test_waiter_timeout(void **state)
{
    (void)state;
    struct fake_clock f = {0};
    struct aws_error err = {0};
    assert_int_equal(run(&f, 10000, &err), -1);
    assert_string_equal(err.code, AWS_ERR_WAIT_TIMEOUT);
    assert_int_equal(f.now, 10000); /* last sleep shortened to the deadline */
    aws_error_clean_up(&err);
}

static void test_waiter_failed_state(void **state)
{
    (void)state;
    struct fake_clock f = {.fail_at = 2};
    struct aws_error err = {0};
    assert_int_equal(run(&f, 60000, &err), -1);
    assert_string_equal(err.code, "CREATE_FAILED");
    aws_error_clean_up(&err);
}

static void test_waiter_stop(void **state)
{
    (void)state;
    struct fake_clock f = {.stop_at = 2};
    struct aws_error err = {0};
    assert_int_equal(run(&f, 60000, &err), -1);
    assert_string_equal(err.code, AWS_ERR_CANCELLED);
    assert_int_equal(f.polls, 2);
    aws_error_clean_up(&err);
}

/* The real stop flag wakes a real sleeper promptly. */
static void *trigger_later(void *arg)
{
    struct timespec ts = {0, 50 * 1000000L};
    nanosleep(&ts, NULL);
    aws_stop_trigger(arg);
    return NULL;
}

static void test_stop_wakes_real_sleep(void **state)
{
    (void)state;
    struct aws_stop stop;
    aws_stop_init(&stop);
    pthread_t t;
    pthread_create(&t, NULL, trigger_later, &stop);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_int_equal(aws_stop_sleep_ms(&stop, 10000), -1);
    clock_gettime(CLOCK_MONOTONIC, &b);
    pthread_join(t, NULL);
    assert_true(b.tv_sec - a.tv_sec < 2);
    aws_stop_clean_up(&stop);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiter_backoff_until_done),
        cmocka_unit_test(test_waiter_transition_schedule),
        cmocka_unit_test(test_waiter_timeout),
        cmocka_unit_test(test_waiter_failed_state),
        cmocka_unit_test(test_waiter_stop),
        cmocka_unit_test(test_stop_wakes_real_sleep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
