/*
** pages.h: a document's pages written as the budget stream, in order, on
** one process or split over two.
**
** A page's output depends on the page and on the page_context the pages
** before it leave (page_emit.h), nothing else. So with two jobs a helper
** process starts at the middle page with a fresh context, writes into a
** scratch file and notes after each page its context and the file's
** length; this process works from the first page on, and from the middle
** page on, as soon as the helper's note for the page it has just done
** shows the same context, it waits for the helper to end and takes over
** its output after that page. From there the bytes are the ones one
** process would have written. When the contexts never agree, or the helper fails
** (no scratch file, out of memory, killed), this process simply goes on
** to the last page: the output is byte-identical whatever happens, and
** the wall time is never worse than one job's.
**
** Promise: pages_write() writes pages 0 .. npages-1 of doc to out, a form
** feed between pages, and warns (diag.h, naming `name`) of each page
** skipped as over PAGE_TEXT_MAX_CHARS. `first`, when not NULL, is page
** `first_index` already loaded (its text is kept with it); pages_write()
** takes it over. Returns an exit status of exit_codes.h: BUDGET_EXIT_OK,
** BUDGET_EXIT_RESOURCE (out of memory) or BUDGET_EXIT_OUTPUT (write
** error), after one stderr line. No helper outlives the call, or the
** caller's death (it is killed with it).
*/
#ifndef BUDGET_PAGES_H
#define BUDGET_PAGES_H

#include <poppler.h>
#include <stdio.h>

/* Documents shorter than this are done on one process: the helper's
** start-up and the pages both do twice would eat the gain. */
#define PAGES_SPLIT_MIN 8

typedef struct pages_job {
  PopplerDocument *doc;
  int npages;
  PopplerPage *first; /* may be NULL */
  int first_index;
  const char *name;   /* the document, for messages */
  int jobs;           /* 1, or 2 to split */
} pages_job;

int pages_write(const pages_job *job, FILE *out);

#endif
