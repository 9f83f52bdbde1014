#include "origin.h"

#include <stdlib.h>
#include <string.h>

#include "cells.h"
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

static void fmt_coord(char *buf, size_t n, int has, double v)
{
  if (has)
    snprintf(buf, n, "%.1f", v);
  else
    buf[0] = '\0';
}

/* "%ld" of v, without snprintf's cost on every row (buf >= 24 bytes). */
static void fmt_long(char *buf, long v)
{
  char tmp[24];
  size_t n = 0;
  unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
  do
    tmp[n++] = (char)('0' + u % 10);
  while (u /= 10);
  size_t o = 0;
  if (v < 0)
    buf[o++] = '-';
  while (n)
    buf[o++] = tmp[--n];
  buf[o] = '\0';
}

int origin_write(FILE *out, const trow *r, size_t ncols)
{
  char page[24], x0[32], y0[32], x1[32], y1[32], line[24];
  const row_origin *o = &r->origin;
  fmt_long(page, r->page);
  fmt_coord(x0, sizeof x0, o->has_box, o->x0);
  fmt_coord(y0, sizeof y0, o->has_box, o->y0);
  fmt_coord(x1, sizeof x1, o->has_box, o->x1);
  fmt_coord(y1, sizeof y1, o->has_box, o->y1);
  if (o->line > 0)
    fmt_long(line, o->line);
  else
    line[0] = '\0';
  char *args[] = {page, x0, y0, x1, y1, line};
  if (stream_write_directive(out, "from", args, 6) != 0)
    return -1;
  if (!ncols || !r->ncovered)
    return 0;
  /* At most r->ncovered columns; numbers are short. */
  char **cols = calloc(r->ncovered, sizeof *cols);
  char *nums = calloc(r->ncovered, 24);
  size_t n = 0;
  int rc = cols && nums ? 0 : -1;
  for (size_t c = 0; c < ncols && c < r->n && rc == 0 && n < r->ncovered; c++)
    if (origin_is_covered(r, c)) {
      cols[n] = nums + 24 * n;
      fmt_long(cols[n], (long)(c + 1));
      n++;
    }
  if (rc == 0 && n)
    rc = stream_write_directive(out, "covered", cols, n);
  free(cols);
  free(nums);
  return rc;
}
