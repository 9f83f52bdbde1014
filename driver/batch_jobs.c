#include "batch_jobs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit_codes.h"
#include "interrupt.h"

int jobs_default_parallel(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 1024 ? 1024 : (int)n;
}

/* In the child: stdin from /dev/null, stdout away, stderr to the file. */
static void child(const job *j, int errfd)
{
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGPIPE, SIG_DFL);
  int null = open("/dev/null", O_RDWR);
  if (null >= 0) {
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    if (null > STDERR_FILENO)
      close(null);
  }
  dup2(errfd, STDERR_FILENO);
  if (errfd > STDERR_FILENO)
    close(errfd);
  execv(j->argv[0], j->argv);
  dprintf(STDERR_FILENO, "%s: cannot run: %s\n", j->argv[0], strerror(errno));
  _exit(BUDGET_EXIT_STAGE);
}

typedef struct slot {
  pid_t pid;
  size_t index;
} slot;

/* Calls done() for each job that has ended; when none has, waits until
** one ends or a signal comes (the signal pipe, polled: a signal landing
** just before a blocking waitpid() would go unseen until a job ends). */
static void reap(slot *slots, int *running, job_done_fn done, void *ctx)
{
  int reaped = 0, fd = interrupt_fd();
  for (;;) {
    int status;
    pid_t pid = waitpid(-1, &status, fd >= 0 ? WNOHANG : 0);
    if (pid == 0)
      break;
    if (pid < 0) {
      if (errno == ECHILD)
        *running = 0; /* nothing left to wait for */
      return;
    }
    for (int i = 0; i < *running; i++)
      if (slots[i].pid == pid) {
        size_t index = slots[i].index;
        slots[i] = slots[--*running];
        done(ctx, index, status);
        break;
      }
    reaped = 1;
    if (fd < 0)
      return;
  }
  if (!reaped) {
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, -1) > 0)
      interrupt_drain();
  }
}

int jobs_run(const job *jobs, size_t n, int parallel, job_done_fn done,
             void *ctx, char *err, size_t errsz)
{
  if (parallel < 1)
    parallel = 1;
  slot *slots = calloc((size_t)parallel, sizeof *slots);
  if (!slots) {
    snprintf(err, errsz, "out of memory");
    return -1;
  }
  interrupt_saved saved;
  interrupt_catch(&saved, 1);
  int running = 0, failed = 0, forwarded = 0;
  size_t next = 0;
  while ((next < n && !interrupt_caught() && !failed) || running > 0) {
    if (next < n && !interrupt_caught() && !failed && running < parallel) {
      const job *j = &jobs[next];
      int errfd = open(j->err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                       0644);
      if (errfd < 0) {
        snprintf(err, errsz, "%s: %s", j->err_path, strerror(errno));
        failed = 1;
        continue;
      }
      pid_t pid = fork();
      if (pid == 0)
        child(j, errfd);
      close(errfd);
      if (pid < 0) {
        snprintf(err, errsz, "cannot start %s: %s", j->argv[0],
                 strerror(errno));
        failed = 1;
        continue;
      }
      slots[running++] = (slot){pid, next++};
      continue;
    }
    if (interrupt_caught() && !forwarded) {
      /* once: the running jobs get the signal the batch got */
      for (int i = 0; i < running; i++)
        kill(slots[i].pid, interrupt_caught());
      forwarded = 1;
    }
    reap(slots, &running, done, ctx);
  }
  interrupt_release(&saved);
  free(slots);
  if (failed)
    return -1;
  return interrupt_caught();
}
