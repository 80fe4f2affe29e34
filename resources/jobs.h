/*
 * jobs.h - independent AWS calls of one resource operation run together:
 * lsms_container's policy puts and reads, lsms_bucket's configuration calls
 * (the aws client is thread-safe).
 */
#ifndef LSMS_RESOURCES_JOBS_H
#define LSMS_RESOURCES_JOBS_H

#include <stddef.h>

#include "aws/error.h"
#include "framework/diag.h"

/* One independent call. `run` fills `err` and returns 0 or -1. */
struct resource_job {
    int (*run)(void *arg, struct aws_error *err);
    void *arg;
    const char *summary; /* diagnostic summary when it fails */
    const char *attr;    /* attribute the diagnostic concerns, or NULL */
    int rc;              /* result, set by resource_jobs_run */
    struct aws_error err; /* filled on failure; the caller cleans it up */
};

/* Runs every job, each on its own thread (inline when a thread cannot be
 * started), and returns when all are done: 0 when all succeeded, else -1. */
int resource_jobs_run(struct resource_job *jobs, size_t n);

/* One error diagnostic (resource_diag_aws) for each job that failed. */
void resource_jobs_diagnose(const struct resource_job *jobs, size_t n, struct diags *d);

#endif
