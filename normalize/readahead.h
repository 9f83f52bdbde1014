/*
** readahead.h: the input stream read in a thread of its own.
**
** Promise: readahead_next() returns the records stream_read() would, in
** the same order, with the same contents (error records included, the
** reading stopping after one). Reading, the UTF-8 check, splitting, the
** document metadata scan (document.h, fed every record but errors and
** EOF) and the caller's note on each record run in the second thread, a
** bounded number of records ahead (a few blocks of READAHEAD_CHUNK bytes:
** memory stays flat), so the normalizer itself only segments and
** repairs. A record is valid until the next readahead_next(). When a
** thread cannot be started, or the input is a regular file of at most
** READAHEAD_CHUNK / 2 bytes (read whole at once, it leaves a thread
** nothing to overlap), the same happens in the caller's thread, one
** record at a time.
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

/* A note on a record, made in the reading thread as the record is read
** (preread.h makes the rules' reading of it): len bytes, NULL for none,
** valid until its next call; ctx is the function's own. */
typedef const void *(*readahead_note_fn)(void *ctx, const stream_record *rec,
                                         size_t *len);

/* NULL on OOM. in and doc (and note's ctx) must outlive the readahead;
** note may be NULL. */
readahead *readahead_start(FILE *in, const char *name, doc_meta *doc,
                           readahead_note_fn note, void *note_ctx);
/* What readahead_start() does when no thread can be started: everything
** in the caller's thread, one record at a time (the tests of that path). */
readahead *readahead_start_unthreaded(FILE *in, const char *name,
                                      doc_meta *doc, readahead_note_fn note,
                                      void *note_ctx);
/* 1 when the reading is done in a thread of its own. */
int readahead_is_threaded(const readahead *ra);
/* *note and *note_len: the record's note (NULL, 0 for none), valid as
** long as the record. */
stream_kind readahead_next(readahead *ra, stream_record *rec,
                           int *observe_failed, const void **note,
                           size_t *note_len);
/* Stops the reading thread and frees everything. A thread inside a read
** finishes that read first (a pipe that neither writes nor closes holds
** it; the stages of a pipeline all end their output). */
void readahead_stop(readahead *ra);

#endif
