#include "aws/clock.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdlib.h>

void aws_stop_init(struct aws_stop *s)
{
    atomic_init(&s->stopped, 0);
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    /* Monotonic, so a wall-clock jump neither cuts nor stretches a sleep. */
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &attr);
    pthread_condattr_destroy(&attr);
}

void aws_stop_clean_up(struct aws_stop *s)
{
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
}

void aws_stop_trigger(struct aws_stop *s)
{
    pthread_mutex_lock(&s->mu);
    atomic_store(&s->stopped, 1);
    pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int aws_stop_is_set(struct aws_stop *s)
{
    return s && atomic_load(&s->stopped);
}

int aws_stop_sleep_ms(struct aws_stop *s, uint64_t ms)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += (time_t)(ms / 1000);
    deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    if (!s) {
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL) == EINTR)
            ;
        return 0;
    }
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    while (!atomic_load(&s->stopped)) {
        if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT)
            break;
    }
    if (atomic_load(&s->stopped))
        rc = -1;
    pthread_mutex_unlock(&s->mu);
    return rc;
}

static uint64_t system_now_ms(void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static time_t system_wall_time(void *ctx)
{
    (void)ctx;
    return time(NULL);
}

static int system_sleep_ms(void *ctx, uint64_t ms, struct aws_stop *stop)
{
    (void)ctx;
    return aws_stop_sleep_ms(stop, ms);
}

static double system_random_unit(void *ctx)
{
    (void)ctx;
    uint64_t r = 0;
    if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
        r = (uint64_t)random() << 11; /* jitter only; quality matters little */
    return (double)(r >> 11) / (double)(1ULL << 53);
}

static const struct aws_clock system_clock = {
    .now_ms = system_now_ms,
    .wall_time = system_wall_time,
    .sleep_ms = system_sleep_ms,
    .random_unit = system_random_unit,
    .ctx = NULL,
};

const struct aws_clock *aws_clock_system(void)
{
    return &system_clock;
}
