/*
** batch_jobs.h: run many commands, a fixed number at a time.
**
** Promise: jobs_run() starts jobs[0], jobs[1], … in order, keeping at most
** `parallel` of them running, and calls done() for each as it finishes
** (in the order they finish), with the waitpid() status. A job's stdin is
** /dev/null, its stdout is discarded, and its stderr goes to the job's
** err_path (created or truncated), so the caller reads what it said. A job
** that cannot be executed exits BUDGET_EXIT_STAGE, its reason in err_path.
** SIGINT / SIGTERM received while running stop the starting of new jobs
** and are passed on to the running ones; jobs_run() then waits for them
** and returns the signal number. Every child is waited for before
** jobs_run() returns: nothing is left running.
**
** Failure: returns -1 when a job could not be started (fork, or its
** err_path could not be created; err says why); the running ones are
** still waited for, and done() is called for them.
*/
#ifndef BUDGET_BATCH_JOBS_H
#define BUDGET_BATCH_JOBS_H

#include <stddef.h>

typedef struct job {
  char **argv;          /* argv[0] is the program's path; NULL-terminated */
  const char *err_path; /* the job's stderr */
} job;

typedef void (*job_done_fn)(void *ctx, size_t index, int status);

/* 0 when every job ran, a signal number when interrupted, -1 on failure. */
int jobs_run(const job *jobs, size_t n, int parallel, job_done_fn done,
             void *ctx, char *err, size_t errsz);

/* The number of online CPUs, at least 1. */
int jobs_default_parallel(void);

#endif
