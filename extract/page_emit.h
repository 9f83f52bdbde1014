/*
** page_emit.h: one page of a PDF written as budget-stream records.
**
** Promise: page_emit() writes, for page number pageno (1-based), the
** "@@page" directive, then the page's content top to bottom: each table
** grid found by grid.h as "@@grid", its "@@span" lines and its rows (each
** preceded by "@@at") and a blank line; every other visual line as one text
** record. Page boundaries are the caller's (a form feed between pages).
** Memory is the page's only; what is carried to the next page is in *ctx:
** the column layout (grid.h) and whether a table page is to be expected.
**
** Failure: returns 0; -1 on out-of-memory; -2 on a write error (errno set).
** *nchars receives the number of visible characters (0 for an image-only
** page), *capped is set when the page was over PAGE_TEXT_MAX_CHARS.
*/
#ifndef BUDGET_PAGE_EMIT_H
#define BUDGET_PAGE_EMIT_H

#include <poppler.h>
#include <stdio.h>

#include "grid.h"

/* What one page leaves for the next; start from PAGE_CONTEXT_INIT. */
typedef struct page_context {
  grid_memory columns;  /* the last table's column layout */
  int expect_table;     /* the last page had columnar lines */
} page_context;
#define PAGE_CONTEXT_INIT {{{0}, 0}, 0}
/* 1 when a and b make the next page come out the same bytes. */
int page_context_equal(const page_context *a, const page_context *b);

int page_emit(PopplerPage *page, int pageno, page_context *ctx, FILE *out,
              size_t *nchars, int *capped);

#endif
