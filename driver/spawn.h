/*
** spawn.h: run a chain of programs joined by pipes, as a shell would.
**
** spawn_run() forks one process per stage, stdout of each into stdin of
** the next, and waits for all of them. The first stage reads in_fd; when
** a prefix is given (bytes the caller already consumed from in_fd to
** sniff the input type), a feeder process writes the prefix and then
** copies the rest of in_fd, so the stage sees the input whole. The last
** stage writes out_fd. Each stage's stderr is collected separately (up to
** SPAWN_STDERR_CAP bytes) so the caller can decide whose messages the user
** sees: when an upstream stage fails, the complaints of downstream stages
** about their empty input are noise.
**
** Children get the default SIGPIPE disposition back: an upstream stage
** whose reader exited dies quietly by SIGPIPE, and spawn_blame() does not
** count that as the failure. SIGINT/SIGTERM received by the caller while
** waiting are passed on to the stages.
**
** Ownership: results[i].err is malloc'd; spawn_results_free() releases it.
** Failure: spawn_run() returns -1 only when the chain could not be started
** (pipe/fork failed; err says why, nothing is left running); a stage that
** cannot be executed reports on its stderr and exits BUDGET_EXIT_STAGE.
*/
#ifndef BUDGET_SPAWN_H
#define BUDGET_SPAWN_H

#include <stddef.h>

#define SPAWN_MAX_STAGES 8
#define SPAWN_STDERR_CAP (64u * 1024u)

typedef struct spawn_result {
  int status;  /* as from waitpid() */
  char *err;   /* the stage's stderr, NUL-terminated, never NULL after run */
} spawn_result;

int spawn_run(char **const argvs[], size_t n, int in_fd, const char *prefix,
              size_t prefix_len, int out_fd, spawn_result results[],
              char *err, size_t errsz);

void spawn_results_free(spawn_result results[], size_t n);

/* The stage to blame: the first that failed other than by SIGPIPE, else
** the first that failed at all; -1 when all succeeded. */
int spawn_blame(const spawn_result results[], size_t n);

#endif
