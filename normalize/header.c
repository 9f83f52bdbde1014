#include "header.h"

#include <stdlib.h>
#include <string.h>

#include "cells.h"

int header_is_body(const ruleset *rs, const trow *r)
{
  int labels = 0, text = 0;
  for (size_t i = 0; i < r->n; i++) {
    const char *c = r->cells[i];
    if (!*c)
      continue;
    if (row_cell_is_number(rs, r, i))
      return 1;
    if (rules_any(rs, RULE_TOTAL, c, strlen(c)))
      labels++;
    else
      text++;
  }
  return labels > 0 && text == 0;
}

size_t header_infer(const ruleset *rs, trow *const *rows, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (header_is_body(rs, rows[i]))
      return i;
  return n;
}

static const char *cell_at(trow *const *rows, size_t r, size_t c)
{
  return c < rows[r]->n ? rows[r]->cells[c] : "";
}

/* 1 when column c has text in some row below r. */
static int has_below(trow *const *rows, size_t h, size_t r, size_t c)
{
  for (size_t k = r + 1; k < h; k++)
    if (*cell_at(rows, k, c))
      return 1;
  return 0;
}

static int is_bracketed(const char *s)
{
  size_t n = strlen(s);
  return (!strncmp(s, "（", 3) && n > 6 && !strcmp(s + n - 3, "）")) ||
         (s[0] == '(' && n > 2 && s[n - 1] == ')');
}

int header_flatten(trow *const *rows, size_t h, size_t ncols,
                   const hspan *spans, size_t nspans, char **paths)
{
  /* owner[r*ncols+c]: the slot whose text covers (r, c), or -1. */
  long *owner = malloc((h * ncols + 1) * sizeof *owner);
  if (!owner)
    return -1;
  for (size_t r = 0; r < h; r++)
    for (size_t c = 0; c < ncols; c++)
      owner[r * ncols + c] = *cell_at(rows, r, c) ? (long)(r * ncols + c) : -1;
  if (nspans) {
    for (size_t s = 0; s < nspans; s++) {
      const hspan *sp = &spans[s];
      if (sp->r0 >= h || sp->c0 >= ncols || !*cell_at(rows, sp->r0, sp->c0))
        continue;
      long o = (long)(sp->r0 * ncols + sp->c0);
      for (size_t r = sp->r0; r < sp->r1 && r < h; r++)
        for (size_t c = sp->c0; c < sp->c1 && c < ncols; c++)
          owner[r * ncols + c] = o;
    }
  } else {
    /* Text sits in the leftmost slot of a merged parent; the empty slots
    ** to its right are the parent's only where both have children. */
    for (size_t r = 0; r < h; r++) {
      for (size_t c = 1; c < ncols; c++) {
        if (owner[r * ncols + c] >= 0 || !has_below(rows, h, r, c))
          continue;
        size_t p = c - 1;
        long o = owner[r * ncols + p];
        if (o < 0)
          continue;
        size_t pc = (size_t)o % ncols;
        if (!has_below(rows, h, r, pc))
          continue;
        if (r > 0 && owner[(r - 1) * ncols + c] != owner[(r - 1) * ncols + pc])
          continue;
        owner[r * ncols + c] = o;
      }
    }
  }
  strbuf path, part;
  strbuf_init(&path, STRBUF_CAP_CELL);
  strbuf_init(&part, STRBUF_CAP_CELL);
  int rc = 0;
  size_t done = 0;
  for (size_t c = 0; c < ncols && !rc; c++) {
    strbuf_clear(&path);
    long last = -1;
    for (size_t r = 0; r < h && !rc; r++) {
      long o = owner[r * ncols + c];
      if (o < 0 || o == last)
        continue;
      last = o;
      const char *text = cell_at(rows, (size_t)o / ncols, (size_t)o % ncols);
      if (cells_squeeze(text, &part) < 0)
        rc = -1;
      /* A part that is only a bracketed qualifier ("（项目编码）") is the
      ** wrapped end of the cell above, not a child of it. */
      else if (part.len &&
               ((path.len && !is_bracketed(part.data) &&
                 strbuf_append_char(&path, '/') != STRBUF_OK) ||
                strbuf_append(&path, part.data, part.len) != STRBUF_OK))
        rc = -1;
    }
    if (!rc && !(paths[c] = strbuf_take(&path)))
      rc = -1;
    if (!rc)
      done++;
  }
  if (rc)
    for (size_t c = 0; c < done; c++)
      free(paths[c]);
  strbuf_free(&path);
  strbuf_free(&part);
  free(owner);
  return rc;
}

int header_fix_shifted(trow *const *rows, size_t h, size_t ncols)
{
  int moved = 0;
  for (size_t r = 0; r + 1 < h; r++) {
    for (size_t c = 1; c < ncols; c++) {
      trow *row = rows[r];
      if (c >= row->n || !row->cells[c][0])
        continue;
      if (*cell_at(rows, r + 1, c) || !has_below(rows, h, r + 1, c) ||
          !*cell_at(rows, r + 1, c - 1))
        continue;
      /* The group below started left of c: the parent belongs where the
      ** row below starts its next cell. */
      size_t to = c + 1;
      while (to < ncols && !*cell_at(rows, r + 1, to))
        to++;
      if (to >= ncols || *cell_at(rows, r, to))
        continue;
      for (size_t k = c + 1; k < to; k++)
        if (*cell_at(rows, r, k))
          goto next;
      if (row_set(row, to, row->cells[c], strlen(row->cells[c])) != 0)
        return -1;
      row->cells[c][0] = '\0';
      moved++;
    next:;
    }
  }
  return moved;
}

/* 1 when s opens a full-width bracket it never closes. */
static int unclosed(const char *s, size_t n)
{
  int depth = 0;
  for (size_t i = 0; i + 3 <= n; i++) {
    if (!memcmp(s + i, "（", 3))
      depth++;
    else if (!memcmp(s + i, "）", 3) && depth > 0)
      depth--;
  }
  return depth > 0;
}

int header_complete(const ruleset *rs, char **path, const rule **which)
{
  const char *p = *path;
  for (const char *part = p; *part;) {
    const char *slash = strchr(part, '/');
    size_t n = slash ? (size_t)(slash - part) : strlen(part);
    if (n && unclosed(part, n)) {
      const rule *hit = NULL;
      int hits = 0;
      for (const rule *r = rules_begin(rs, RULE_HEADER);
           r < rules_end(rs, RULE_HEADER); r++) {
        size_t tn = strlen(r->pattern);
        if (tn > n && !memcmp(r->pattern, part, n) && (!hit || strcmp(hit->pattern, r->pattern))) {
          hit = r;
          hits++;
        }
      }
      if (hits == 1) {
        size_t tn = strlen(hit->pattern), before = (size_t)(part - p);
        size_t after = strlen(part + n);
        char *q = malloc(before + tn + after + 1);
        if (!q)
          return -1;
        memcpy(q, p, before);
        memcpy(q + before, hit->pattern, tn);
        memcpy(q + before + tn, part + n, after + 1);
        free(*path);
        *path = q;
        *which = hit;
        return 1;
      }
    }
    part += n + (slash ? 1 : 0);
  }
  return 0;
}

char *header_signature(const trow *r)
{
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  size_t w = row_width(r);
  for (size_t i = 0; i < w; i++) {
    /* Squeezed straight into the signature; each cell's part keeps the
    ** cell cap it had in a buffer of its own. */
    size_t before = b.len + (i ? 1 : 0);
    if ((i && strbuf_append_char(&b, '\x1f') != STRBUF_OK) ||
        cells_squeeze_append(r->cells[i], &b) < 0 ||
        b.len - before > STRBUF_CAP_CELL) {
      strbuf_free(&b);
      return NULL;
    }
  }
  return strbuf_take(&b);
}
