/*
** pages.h: a document's pages written as the budget stream, in order, on
** one process or split over two.
**
** A page's output depends on the page and on the page_context the pages
** before it leave (page_emit.h), nothing else. So with two jobs a helper
** process starts at the middle page with a fresh context while this one
** starts at the first; each run notes, in memory both share, its context
** and output length after every page. A run ends at the first page where
** the next run has done the same page and left the same context: from
** there the next run's output is what it would write. A process that
** runs out of pages starts a new run at the middle of what the other
** process's run still has ahead. The first run writes to `out`, later ones
** to their process's scratch file; at the end this process copies the
** runs in order, each from where the one before handed over. When
** contexts never agree, or the helper fails (no scratch file, out of
** memory, killed), the pages no usable run holds are done here: the
** output is byte-identical whatever happens.
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
