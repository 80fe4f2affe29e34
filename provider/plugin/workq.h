/*
 * workq.h - a fixed pool of worker threads running queued jobs in FIFO order.
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

/* Starts `threads` workers. Returns NULL on failure (nothing left running).
 * Threads are created with the caller's signal mask. */
struct workq *workq_new(int threads);

/* Queues `job` (borrowed until job->run is called). Thread-safe.
 * Returns 0, or -1 when the queue is stopping (the job is not run). */
int workq_push(struct workq *q, struct workq_job *job);

/* Lets queued jobs finish, stops and joins every worker, frees the queue.
 * Blocks for as long as the running jobs take. */
void workq_destroy(struct workq *q);

#endif
