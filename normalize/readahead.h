/*
** readahead.h: the input stream read in a thread of its own.
**
** Promise: readahead_next() returns the records stream_read() would, in
** the same order, with the same contents (error records included, the
** reading stopping after one). Reading, the UTF-8 check, splitting and the
** document metadata scan (document.h, fed every record but errors and
** EOF) run in the second thread, a bounded number of records ahead (a few
** blocks of READAHEAD_CHUNK bytes: memory stays flat), so the normalizer
** itself only segments and repairs. A record is valid until the next
** readahead_next(). When a thread cannot be started, the same happens in
** the caller's thread, one record at a time.
**
** The metadata scan's out-of-memory is reported with the record it
** failed on (*observe_failed), as the sequential loop saw it. The doc
** belongs to the reading thread until readahead_next() has returned EOF
** or an error, or readahead_stop() has run.
*/
#ifndef BUDGET_NORMALIZE_READAHEAD_H
#define BUDGET_NORMALIZE_READAHEAD_H

#include <stdio.h>

#include "document.h"
#include "stream.h"

#define READAHEAD_CHUNK (256u * 1024u)

typedef struct readahead readahead;

/* NULL on OOM. in and doc must outlive the readahead. */
readahead *readahead_start(FILE *in, const char *name, doc_meta *doc);
stream_kind readahead_next(readahead *ra, stream_record *rec,
                           int *observe_failed);
/* Stops the reading thread and frees everything. A thread inside a read
** finishes that read first (a pipe that neither writes nor closes holds
** it; the stages of a pipeline all end their output). */
void readahead_stop(readahead *ra);

#endif
