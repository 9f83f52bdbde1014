#include "shape.h"

#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "header.h"
#include "strbuf.h"

static size_t count_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

static int column_empty(const table *t, size_t c)
{
  for (size_t i = 0; i < t->body.n; i++)
    if (c < t->body.rows[i].n && t->body.rows[i].cells[c][0])
      return 0;
  return 1;
}

/* Columns an extractor invented: no header text of their own (an empty
** path, or the path of the column next to them, from a parent's text that
** was not in its leftmost slot) and no body text at all. They carry
** nothing, and dropping them puts the real columns where they belong. A
** form keeps its five columns. Of a run of equal paths one column stays. */
void shape_drop_phantoms(table *t)
{
  if (t->form || t->ncols < 2)
    return;
  unsigned char *drop = calloc(t->ncols, 1);
  if (!drop)
    return; /* keeping them is always correct */
  size_t ndrop = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    if (!column_empty(t, c))
      continue;
    int phantom = !t->paths[c][0];
    /* An equal path to its left stays; to its right, one with text does. */
    if (!phantom && c > 0 && !strcmp(t->paths[c - 1], t->paths[c]))
      phantom = 1;
    for (size_t d = c + 1; !phantom && d < t->ncols &&
                           !strcmp(t->paths[d], t->paths[c]);
         d++)
      phantom = !column_empty(t, d);
    drop[c] = (unsigned char)phantom;
    ndrop += (size_t)phantom;
  }
  if (!ndrop || ndrop == t->ncols) {
    free(drop);
    return;
  }
  size_t keep = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    if (drop[c]) {
      free(t->paths[c]);
      continue;
    }
    t->paths[keep++] = t->paths[c];
  }
  for (size_t i = 0; i < t->body.n; i++) {
    trow *r = &t->body.rows[i];
    size_t k = 0;
    for (size_t c = 0; c < r->n; c++) {
      if (c < t->ncols && drop[c]) {
        free(r->cells[c]);
        continue;
      }
      r->cells[k++] = r->cells[c];
    }
    r->n = k;
  }
  t->ncols = keep;
  free(drop);
}


int shape_header_sig(const table *t, const char *sig)
{
  for (size_t i = 0; i < t->nh; i++)
    if (!strcmp(t->hsig[i], sig))
      return 1;
  return 0;
}

/* 1 when squeezed text s is a whole cell of some header row. */
static int header_field(const table *t, const char *s)
{
  size_t n = strlen(s);
  for (size_t i = 0; i < t->nh; i++)
    for (const char *p = t->hsig[i]; (p = strstr(p, s)) != NULL; p++)
      if ((p == t->hsig[i] || p[-1] == '\x1f') &&
          (p[n] == '\0' || p[n] == '\x1f'))
        return 1;
  return 0;
}

/* A row at the top of a continuation page that repeats the header, wrapped
** differently (so its signature differs): no body row, and every cell is a
** header cell, or a piece of one (at least two characters, in a row of
** several cells; a lone short piece may be a wrapped body cell). */
int shape_repeats_header(const ruleset *rs, const table *t, const trow *r)
{
  if (header_is_body(rs, r))
    return 0;
  size_t cells = 0;
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0])
      cells++;
  if (!cells)
    return 0;
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_CELL);
  int rc = 1;
  for (size_t c = 0; c < r->n && rc == 1; c++) {
    if (!r->cells[c][0])
      continue;
    if (cells_squeeze(r->cells[c], &b) < 0) {
      rc = -1;
      break;
    }
    if (header_field(t, b.data))
      continue;
    if (cells < 2 || count_chars(b.data) < 2) {
      rc = 0;
      break;
    }
    int piece = 0;
    for (size_t i = 0; i < t->nh && !piece; i++)
      piece = strstr(t->hsig[i], b.data) != NULL;
    if (!piece)
      rc = 0;
  }
  strbuf_free(&b);
  return rc;
}

static int cell_kind(const ruleset *rs, const char *c)
{
  return cell_is_amount(rs, c) || cell_is_code(rs, c) ? KIND_NUMBER : KIND_TEXT;
}

int shape_note_kinds(const ruleset *rs, table *t, const trow *r)
{
  if (t->nkinds < r->n) {
    unsigned char *k = realloc(t->kinds, r->n);
    if (!k)
      return -1;
    memset(k + t->nkinds, 0, r->n - t->nkinds);
    t->kinds = k;
    t->nkinds = r->n;
  }
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0])
      t->kinds[c] |= (unsigned char)cell_kind(rs, r->cells[c]);
  return 0;
}

/* Rows that do not look like the table are another table whose title was
** lost (or no table), and are dropped rather than spliced in. A table with
** fewer body rows than MIN_PROFILE_ROWS has no profile yet. */
#define MIN_PROFILE_ROWS 3
int shape_continues(const ruleset *rs, const table *t, const tblock *b)
{
  /* A form changes shape down the page (table 14: task list, then the
  ** indicator grid): it has no column profile. */
  if (t->form || t->body.n < MIN_PROFILE_ROWS)
    return 1;
  size_t cells = 0, conflicts = 0;
  for (size_t i = 0; i < b->rows.n; i++) {
    const trow *r = &b->rows.rows[i];
    if (r->drop || (b->header_rows > 0 && r->gridrow < b->header_rows))
      continue;
    char *sig = header_signature(r);
    int rep = sig && shape_header_sig(t, sig);
    free(sig);
    if (rep)
      continue; /* the header repeated on the continuation page */
    for (size_t c = 0; c < r->n; c++) {
      const char *s = r->cells[c];
      while (*s == ' ')
        s++;
      if (!*s)
        continue;
      cells++;
      int k = cell_kind(rs, s);
      if (c >= t->nkinds || !(t->kinds[c] & k))
        conflicts++;
    }
  }
  return cells == 0 || conflicts * 2 < cells;
}

int shape_add_repair(table *t, size_t row, size_t col, const char *before,
                     const char *after, const char *rule_name)
{
  char **v = realloc(t->repairs, (t->nrepairs + 1) * sizeof *v);
  if (!v)
    return -1;
  t->repairs = v;
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  if (strbuf_printf(&b, "%zu\t%zu\t%s\t%s\t%s", row, col + 1, before, after,
                    rule_name) != STRBUF_OK) {
    strbuf_free(&b);
    return -1;
  }
  if (!(t->repairs[t->nrepairs] = strbuf_take(&b)))
    return -1;
  t->nrepairs++;
  return 0;
}


int shape_widen(table *t, size_t w)
{
  char **p = realloc(t->paths, w * sizeof *p);
  if (!p)
    return -1;
  t->paths = p;
  for (size_t i = t->ncols; i < w; i++)
    if (!(p[i] = strdup("")))
      return -1;
  t->ncols = w;
  return 0;
}
