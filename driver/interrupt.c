#include "interrupt.h"

#include <string.h>

static volatile sig_atomic_t caught;

static void note_signal(int sig) { caught = sig; }

void interrupt_catch(interrupt_saved *saved)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = note_signal;
  sigemptyset(&sa.sa_mask);
  caught = 0;
  sigaction(SIGINT, &sa, &saved->old_int);
  sigaction(SIGTERM, &sa, &saved->old_term);
}

void interrupt_release(const interrupt_saved *saved)
{
  sigaction(SIGINT, &saved->old_int, NULL);
  sigaction(SIGTERM, &saved->old_term, NULL);
}

int interrupt_caught(void) { return caught; }
