/*
 * clock.h - time, sleeping, randomness and the client-wide stop flag, behind
 * a small function table so retry and waiter logic can be tested instantly
 * with a fake clock (style.md §7).
 */
#ifndef LSMS_AWS_CLOCK_H
#define LSMS_AWS_CLOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

/*
 * The stop flag StopProvider sets. Once triggered it stays set; every
 * aws_stop_sleep_ms in progress returns at once and transfers abort.
 * Caller-owned: aws_stop_init / aws_stop_clean_up.
 */
struct aws_stop {
    atomic_int stopped;
    pthread_mutex_t mu;
    pthread_cond_t cv;
};

void aws_stop_init(struct aws_stop *s);
void aws_stop_clean_up(struct aws_stop *s);
/* Sets the flag and wakes every sleeper. Safe from any thread. */
void aws_stop_trigger(struct aws_stop *s);
/* 1 once triggered (NULL-safe: NULL is never stopped). */
int aws_stop_is_set(struct aws_stop *s);
/* Sleeps `ms` milliseconds or until the flag is set. 0 when the full time
 * passed, -1 when stopped. A NULL stop sleeps uninterrupted. */
int aws_stop_sleep_ms(struct aws_stop *s, uint64_t ms);

struct aws_clock {
    /* Monotonic milliseconds, for durations and deadlines. */
    uint64_t (*now_ms)(void *ctx);
    /* Wall-clock seconds (UTC), for signing. */
    time_t (*wall_time)(void *ctx);
    /* Sleeps like aws_stop_sleep_ms: 0 after the full time, -1 when stopped. */
    int (*sleep_ms)(void *ctx, uint64_t ms, struct aws_stop *stop);
    /* A uniform random number in [0, 1), for jitter. */
    double (*random_unit)(void *ctx);
    void *ctx;
};

/* The real clock (CLOCK_MONOTONIC, time(), OpenSSL RAND_bytes). Static. */
const struct aws_clock *aws_clock_system(void);

#endif
