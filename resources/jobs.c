/*
 * jobs.c - runs a resource operation's independent AWS calls together
 * (jobs.h).
 */
#include "resources/jobs.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "resources/common.h"

static void *resource_job_thread(void *arg)
{
    struct resource_job *job = arg;
    job->rc = job->run(job->arg, &job->err);
    return NULL;
}

int resource_jobs_run(struct resource_job *jobs, size_t n)
{
    pthread_t *threads = calloc(n ? n : 1, sizeof *threads);
    bool *started = calloc(n ? n : 1, sizeof *started);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        /* Without memory or a thread the job still runs, just not in parallel. */
        if (threads && started &&
            pthread_create(&threads[i], NULL, resource_job_thread, &jobs[i]) == 0)
            started[i] = true;
        else
            resource_job_thread(&jobs[i]);
    }
    for (size_t i = 0; i < n; i++) {
        if (started && started[i])
            pthread_join(threads[i], NULL);
        if (jobs[i].rc != 0)
            rc = -1;
    }
    free(threads);
    free(started);
    return rc;
}

void resource_jobs_diagnose(const struct resource_job *jobs, size_t n, struct diags *d)
{
    for (size_t i = 0; i < n; i++)
        if (jobs[i].rc != 0)
            resource_diag_aws(d, jobs[i].attr, jobs[i].summary, &jobs[i].err);
}
