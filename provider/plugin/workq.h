/*
 * workq.h - a pool of up to N worker threads running queued jobs in FIFO order.
 *
 * Threads are started on demand: a push that finds no idle worker starts one,
 * until N are running; they then stay until workq_destroy. A provider that
 * only answers GetProviderSchema (tofu validate, every tofu start) thus never
 * pays for threads it does not use, and each thread's stack and malloc arena
 * exist only when the concurrency needed them.
 *
 * Jobs are intrusive: the caller embeds a struct workq_job in its own object
 * and keeps that object alive until the job has run (the job function usually
 * takes it over). The queue never allocates per job.
 */
#ifndef LSMS_PLUGIN_WORKQ_H
#define LSMS_PLUGIN_WORKQ_H

struct workq_job {
    struct workq_job *next; /* owned by the queue while queued */
    void (*run)(struct workq_job *job);
};

struct workq;

/* A queue that runs at most `max_threads` jobs at once. No thread is started
 * yet. Returns NULL on failure. Threads are created with the signal mask of
 * the thread that pushes the job that starts them. */
struct workq *workq_new(int max_threads);

/* Queues `job` (borrowed until job->run is called), starting a worker when
 * none is idle and fewer than max_threads run. Thread-safe. Returns 0, or -1
 * when the queue is stopping or no worker exists and none can be started
 * (the job is not run). */
int workq_push(struct workq *q, struct workq_job *job);

/* How many worker threads have been started so far. Thread-safe. */
int workq_threads(struct workq *q);

/* Lets queued jobs finish, stops and joins every worker, frees the queue.
 * Blocks for as long as the running jobs take. */
void workq_destroy(struct workq *q);

#endif
