/*
** interrupt.h: SIGINT and SIGTERM noted, not obeyed, while a driver waits
** for its children, so it can pass the signal on to them and clean up
** (no staging folder left behind) before it exits.
**
** Promise: interrupt_catch() forgets any signal noted before and installs
** the noting handler for both signals; interrupt_release() puts back the
** handlers it replaced; interrupt_caught() is the signal noted since the
** last catch (it stays readable after the release), or 0. The handler
** only notes, so a blocking call returns EINTR and the caller decides.
** One catch at a time per process.
*/
#ifndef BUDGET_INTERRUPT_H
#define BUDGET_INTERRUPT_H

#include <signal.h>

typedef struct interrupt_saved {
  struct sigaction old_int, old_term;
} interrupt_saved;

void interrupt_catch(interrupt_saved *saved);
void interrupt_release(const interrupt_saved *saved);
int interrupt_caught(void);

#endif
