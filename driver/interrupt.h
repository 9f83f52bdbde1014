/*
** interrupt.h: SIGINT and SIGTERM noted, not obeyed, while a driver waits
** for its children, so it can pass the signal on to them and clean up
** (no staging folder left behind) before it exits.
**
** Promise: interrupt_catch() forgets any signal noted before and installs
** the noting handler for both signals (with `children`, SIGCHLD is noted
** too, as a wake-up only); interrupt_release() puts back the handlers it
** replaced; interrupt_caught() is the SIGINT/SIGTERM noted since the last
** catch (it stays readable after the release), or 0. interrupt_fd() turns
** readable whenever a handler ran: a wait that polls it with its other
** descriptors cannot miss a signal that lands just before it blocks (a
** blocking call would, EINTR coming only while it blocks); -1 when no
** pipe could be made. interrupt_drain() empties it. One catch at a time
** per process.
*/
#ifndef BUDGET_INTERRUPT_H
#define BUDGET_INTERRUPT_H

#include <signal.h>

typedef struct interrupt_saved {
  struct sigaction old_int, old_term, old_chld;
  int children;
} interrupt_saved;

void interrupt_catch(interrupt_saved *saved, int children);
void interrupt_release(const interrupt_saved *saved);
int interrupt_caught(void);
int interrupt_fd(void);
void interrupt_drain(void);

#endif
