#include "origin.h"

#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "numfmt.h"
#include "stream.h"

int origin_cover(trow *r, size_t col, int span_row, int block)
{
  if (col >= r->n || r->cells[col][0] || origin_is_covered(r, col))
    return 0;
  covered_cell *p = realloc(r->covered, (r->ncovered + 1) * sizeof *p);
  if (!p)
    return -1;
  r->covered = p;
  r->covered[r->ncovered++] = (covered_cell){r->cells[col], span_row, block};
  return 0;
}

static const covered_cell *find(const trow *r, size_t c)
{
  if (c >= r->n)
    return NULL;
  for (size_t k = 0; k < r->ncovered; k++)
    if (r->covered[k].cell == r->cells[c])
      return &r->covered[k];
  return NULL;
}

int origin_is_covered(const trow *r, size_t c)
{
  return find(r, c) != NULL && !r->cells[c][0];
}

/* The column r's covered cell e sits in now, or r->n when it left. */
static size_t column_of(const trow *r, const covered_cell *e)
{
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c] == e->cell)
      return c;
  return r->n;
}

void origin_settle(const ruleset *rs, table *t)
{
  for (size_t i = 0; i < t->body.n; i++) {
    trow *r = &t->body.rows[i];
    const trow *above = i ? &t->body.rows[i - 1] : NULL;
    size_t kept = 0;
    for (size_t k = 0; k < r->ncovered; k++) {
      covered_cell e = r->covered[k];
      size_t c = column_of(r, &e);
      int ok = above && c < r->n && !r->cells[c][0] && c < above->n;
      /* A span's rows are one grid's, in order: the row above must still
      ** be inside the span, else the span's first row was not kept as a
      ** body row (a header, a title) and there is nothing to repeat. */
      if (ok && e.span_row >= 0)
        ok = above->block == e.block && above->gridrow >= e.span_row;
      if (ok) {
        const char *src = above->cells[c];
        /* Digits alone are a code (a project's, a 类's) and a label; an
        ** amount repeated over rows would be counted once per row. */
        ok = src[0] ? !row_cell_is_amount(rs, above, c) ||
                          row_cell_is_code(rs, above, c)
                    : origin_is_covered(above, c);
      }
      if (ok)
        r->covered[kept++] = e;
    }
    r->ncovered = kept;
  }
}

int origin_write(FILE *out, const trow *r, size_t ncols)
{
  char page[NUMFMT_SIZE], x0[NUMFMT_SIZE] = "", y0[NUMFMT_SIZE] = "",
      x1[NUMFMT_SIZE] = "", y1[NUMFMT_SIZE] = "", line[NUMFMT_SIZE] = "";
  const row_origin *o = &r->origin;
  numfmt_long(page, r->page);
  if (o->has_box) {
    numfmt_tenths(x0, o->x0);
    numfmt_tenths(y0, o->y0);
    numfmt_tenths(x1, o->x1);
    numfmt_tenths(y1, o->y1);
  }
  if (o->line > 0)
    numfmt_long(line, o->line);
  char *args[] = {page, x0, y0, x1, y1, line};
  if (stream_write_directive(out, "from", args, 6) != 0)
    return -1;
  if (!ncols || !r->ncovered)
    return 0;
  /* At most r->ncovered columns; numbers are short. */
  char **cols = calloc(r->ncovered, sizeof *cols);
  char *nums = calloc(r->ncovered, NUMFMT_SIZE);
  size_t n = 0;
  int rc = cols && nums ? 0 : -1;
  for (size_t c = 0; c < ncols && c < r->n && rc == 0 && n < r->ncovered; c++)
    if (origin_is_covered(r, c)) {
      cols[n] = nums + NUMFMT_SIZE * n;
      numfmt_long(cols[n], (long)(c + 1));
      n++;
    }
  if (rc == 0 && n)
    rc = stream_write_directive(out, "covered", cols, n);
  free(cols);
  free(nums);
  return rc;
}
