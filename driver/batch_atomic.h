/*
** batch_atomic.h: a file that appears whole or not at all.
**
** Promise: atomic_open() creates a hidden temporary file next to path
** (same folder, so the rename is atomic); atomic_commit() flushes, closes
** and renames it over path, so a reader sees the old file or the new one,
** never half of one. atomic_abort() removes the temporary file.
**
** Failure: atomic_open() returns NULL and atomic_commit() -1 with one line
** in err naming the file and the system's reason; after a failed commit
** the temporary file is gone and path is as it was.
*/
#ifndef BUDGET_BATCH_ATOMIC_H
#define BUDGET_BATCH_ATOMIC_H

#include <stddef.h>
#include <stdio.h>

typedef struct atomic_file atomic_file;

atomic_file *atomic_open(const char *path, char *err, size_t errsz);
FILE *atomic_stream(atomic_file *a);
int atomic_commit(atomic_file *a, char *err, size_t errsz);
/* Removes the temporary file and frees; NULL is a no-op. */
void atomic_abort(atomic_file *a);

#endif
