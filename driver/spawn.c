/* pipe2() and O_CLOEXEC pipes are GNU/Linux. */
#define _GNU_SOURCE
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exit_codes.h"
#include "interrupt.h"
#include "strbuf.h"

/* Writes all of buf; returns -1 on error (EPIPE when the stage quit). */
static int write_all(int fd, const char *buf, size_t n)
{
  while (n) {
    ssize_t w = write(fd, buf, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

static void feeder(int in_fd, int out_fd, const char *prefix, size_t len)
{
  /* Our noting handlers would keep it reading (EINTR, read again) when it
  ** is told to stop. */
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (write_all(out_fd, prefix, len) != 0)
    _exit(0);
  char buf[65536];
  for (;;) {
    ssize_t r = read(in_fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0 || write_all(out_fd, buf, (size_t)r) != 0)
      break;
  }
  _exit(0);
}

static void child(char **argv, int in, int out, int errfd)
{
  signal(SIGPIPE, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
    _exit(BUDGET_EXIT_STAGE);
  execv(argv[0], argv);
  /* The stage never ran, so this is the only line the user gets. */
  char msg[512];
  int n = snprintf(msg, sizeof msg, "budget2csv: %s: cannot run: %s\n",
                   argv[0], strerror(errno));
  if (n > 0)
    write_all(2, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
  _exit(BUDGET_EXIT_STAGE);
}

static void close_if(int *fd)
{
  if (*fd >= 0)
    close(*fd);
  *fd = -1;
}

int spawn_run(char **const argvs[], size_t n, int in_fd, const char *prefix,
              size_t prefix_len, int out_fd, spawn_result results[],
              char *err, size_t errsz)
{
  if (n == 0 || n > SPAWN_MAX_STAGES) {
    snprintf(err, errsz, "bad stage count %zu", n);
    return -1;
  }
  interrupt_saved saved;
  interrupt_catch(&saved, 0);

  pid_t pids[SPAWN_MAX_STAGES + 1];
  int errfds[SPAWN_MAX_STAGES];
  strbuf errs[SPAWN_MAX_STAGES];
  size_t started = 0;
  pid_t feeder_pid = -1;
  int next_in = in_fd, own_in = -1;
  int rc = 0;
  for (size_t i = 0; i < n; i++) {
    errfds[i] = -1;
    strbuf_init(&errs[i], SPAWN_STDERR_CAP);
    results[i].status = 0;
    results[i].err = NULL;
  }

  /* The feeder is forked before any stage pipe exists, so it holds no
  ** pipe end that would keep a stage from seeing EOF. */
  if (prefix) {
    int fp[2];
    if (pipe2(fp, O_CLOEXEC) != 0) {
      snprintf(err, errsz, "pipe: %s", strerror(errno));
      rc = -1;
      goto out;
    }
    feeder_pid = fork();
    if (feeder_pid == 0) {
      close(fp[0]);
      feeder(in_fd, fp[1], prefix, prefix_len);
    }
    close(fp[1]);
    if (feeder_pid < 0) {
      close(fp[0]);
      snprintf(err, errsz, "fork: %s", strerror(errno));
      rc = -1;
      goto out;
    }
    next_in = own_in = fp[0];
  }

  for (size_t i = 0; i < n; i++) {
    int data[2] = {-1, -1}, ep[2];
    if (pipe2(ep, O_CLOEXEC) != 0 ||
        (i + 1 < n && pipe2(data, O_CLOEXEC) != 0)) {
      snprintf(err, errsz, "pipe: %s", strerror(errno));
      rc = -1;
      break;
    }
    int out = i + 1 < n ? data[1] : out_fd;
    pid_t pid = fork();
    if (pid == 0)
      child(argvs[i], next_in, out, ep[1]);
    close(ep[1]);
    close_if(&data[1]);
    close_if(&own_in);
    if (pid < 0) {
      close(ep[0]);
      close_if(&data[0]);
      snprintf(err, errsz, "fork: %s", strerror(errno));
      rc = -1;
      break;
    }
    pids[started++] = pid;
    errfds[i] = ep[0];
    next_in = own_in = data[0];
  }
  close_if(&own_in);

  /* Drain every stderr pipe until all stages have closed theirs; the
  ** signal pipe in the same poll wakes it for a SIGINT/SIGTERM. */
  int forwarded = 0;
  for (;;) {
    if (interrupt_caught() && !forwarded) {
      for (size_t i = 0; i < started; i++)
        kill(pids[i], interrupt_caught());
      forwarded = 1;
    }
    struct pollfd pfd[SPAWN_MAX_STAGES + 1];
    size_t idx[SPAWN_MAX_STAGES], np = 0;
    for (size_t i = 0; i < started; i++)
      if (errfds[i] >= 0) {
        pfd[np].fd = errfds[i];
        pfd[np].events = POLLIN;
        idx[np++] = i;
      }
    if (np == 0)
      break;
    pfd[np].fd = interrupt_fd(); /* -1: poll skips it */
    pfd[np].events = POLLIN;
    if (poll(pfd, np + 1, -1) < 0)
      continue;
    if (pfd[np].revents & POLLIN)
      interrupt_drain();
    for (size_t k = 0; k < np; k++) {
      if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      char buf[4096];
      ssize_t r = read(pfd[k].fd, buf, sizeof buf);
      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0) {
        close_if(&errfds[idx[k]]);
        continue;
      }
      /* Past the cap the rest is dropped: one line is the contract. */
      strbuf_append(&errs[idx[k]], buf, (size_t)r);
    }
  }
  for (size_t i = 0; i < started; i++) {
    while (waitpid(pids[i], &results[i].status, 0) < 0 && errno == EINTR)
      ;
  }
  if (feeder_pid > 0) {
    /* A stage that stopped reading early leaves the feeder blocked on
    ** stdin (a terminal, say); it has nothing left to do. */
    kill(feeder_pid, SIGTERM);
    int st;
    while (waitpid(feeder_pid, &st, 0) < 0 && errno == EINTR)
      ;
  }
out:
  for (size_t i = 0; i < n; i++) {
    results[i].err = strbuf_take(&errs[i]);
    if (!results[i].err)
      results[i].err = strdup("");
    strbuf_free(&errs[i]);
  }
  interrupt_release(&saved);
  return rc;
}

void spawn_results_free(spawn_result results[], size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(results[i].err);
    results[i].err = NULL;
  }
}

static int failed(int status)
{
  return !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int spawn_blame(const spawn_result results[], size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (failed(results[i].status) &&
        !(WIFSIGNALED(results[i].status) &&
          WTERMSIG(results[i].status) == SIGPIPE))
      return (int)i;
  for (size_t i = 0; i < n; i++)
    if (failed(results[i].status))
      return (int)i;
  return -1;
}
