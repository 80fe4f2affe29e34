#include "plugin/workq.h"

#include <pthread.h>
#include <stdlib.h>

struct workq {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct workq_job *head, *tail;
    int stopping;
    int queued;  /* jobs in the list */
    int idle;    /* workers waiting on cv */
    int nthreads;
    int max_threads;
    pthread_t threads[];
};

static void *workq_main(void *arg)
{
    struct workq *q = arg;
    pthread_mutex_lock(&q->mu);
    for (;;) {
        while (!q->head && !q->stopping) {
            q->idle++;
            pthread_cond_wait(&q->cv, &q->mu);
            q->idle--;
        }
        struct workq_job *job = q->head;
        if (!job)
            break; /* stopping and drained */
        q->head = job->next;
        if (!q->head)
            q->tail = NULL;
        q->queued--;
        pthread_mutex_unlock(&q->mu);
        job->run(job);
        pthread_mutex_lock(&q->mu);
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

struct workq *workq_new(int max_threads)
{
    if (max_threads <= 0)
        return NULL;
    struct workq *q = calloc(1, sizeof(*q) + (size_t)max_threads * sizeof(pthread_t));
    if (!q)
        return NULL;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->max_threads = max_threads;
    return q;
}

/* With q->mu held: a worker for the job just queued, unless an idle one will
 * take it. A failed start is not fatal while other workers exist: they will
 * get to the job. */
static int workq_spawn_if_needed(struct workq *q)
{
    if (q->queued <= q->idle || q->nthreads >= q->max_threads)
        return 0;
    if (pthread_create(&q->threads[q->nthreads], NULL, workq_main, q) != 0)
        return q->nthreads > 0 ? 0 : -1;
    q->nthreads++;
    return 0;
}

int workq_push(struct workq *q, struct workq_job *job)
{
    pthread_mutex_lock(&q->mu);
    if (q->stopping) {
        pthread_mutex_unlock(&q->mu);
        return -1;
    }
    job->next = NULL;
    if (q->tail)
        q->tail->next = job;
    else
        q->head = job;
    q->tail = job;
    q->queued++;
    if (workq_spawn_if_needed(q) < 0) {
        /* No worker exists, so nothing was queued before: the job is alone. */
        q->head = q->tail = NULL;
        q->queued = 0;
        pthread_mutex_unlock(&q->mu);
        return -1;
    }
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

int workq_threads(struct workq *q)
{
    pthread_mutex_lock(&q->mu);
    int n = q->nthreads;
    pthread_mutex_unlock(&q->mu);
    return n;
}

void workq_destroy(struct workq *q)
{
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->stopping = 1;
    int n = q->nthreads;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    /* No thread is started once stopping is set, so n is final. */
    for (int i = 0; i < n; i++)
        pthread_join(q->threads[i], NULL);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q);
}
