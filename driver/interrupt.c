/* pipe2() is GNU/Linux. */
#define _GNU_SOURCE
#include "interrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught;
/* The self-pipe: the handlers write a byte, the waiting loop polls it. */
static int wake[2] = {-1, -1};

static void poke(void)
{
  int saved_errno = errno;
  if (wake[1] >= 0 && write(wake[1], "", 1) < 0) {
    /* full: a wake-up is pending already */
  }
  errno = saved_errno;
}

static void note_signal(int sig)
{
  caught = sig;
  poke();
}

static void note_child(int sig)
{
  (void)sig;
  poke();
}

void interrupt_catch(interrupt_saved *saved, int children)
{
  if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0)
    wake[0] = wake[1] = -1;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = note_signal;
  sigemptyset(&sa.sa_mask);
  caught = 0;
  sigaction(SIGINT, &sa, &saved->old_int);
  sigaction(SIGTERM, &sa, &saved->old_term);
  saved->children = children;
  if (children) {
    sa.sa_handler = note_child;
    sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
    sigaction(SIGCHLD, &sa, &saved->old_chld);
  }
}

void interrupt_release(const interrupt_saved *saved)
{
  sigaction(SIGINT, &saved->old_int, NULL);
  sigaction(SIGTERM, &saved->old_term, NULL);
  if (saved->children)
    sigaction(SIGCHLD, &saved->old_chld, NULL);
  for (int i = 0; i < 2; i++)
    if (wake[i] >= 0) {
      close(wake[i]);
      wake[i] = -1;
    }
}

int interrupt_caught(void) { return caught; }

int interrupt_fd(void) { return wake[0]; }

void interrupt_drain(void)
{
  char buf[64];
  while (wake[0] >= 0 && read(wake[0], buf, sizeof buf) > 0)
    ;
}
