/*
** self_path.h: where the running executable lives.
**
** Promise: self_dir() returns the folder holding this process's executable
** (read from /proc/self/exe), as a string the caller frees, or NULL when
** it cannot be read (no /proc, or out of memory). budget2csv and
** budget-batch use it to find the programs built next to them.
*/
#ifndef BUDGET_SELF_PATH_H
#define BUDGET_SELF_PATH_H

char *self_dir(void);

#endif
