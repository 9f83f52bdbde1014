#include "shape.h"

#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "header.h"
#include "strbuf.h"
#include "utf8.h"

static void remove_column(table *t, size_t c);
static int body_empty(const table *t, size_t c);

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
  if (ndrop && ndrop < t->ncols)
    for (size_t c = t->ncols; c-- > 0;)
      if (drop[c])
        remove_column(t, c);
  free(drop);
}


int shape_header_sig(const table *t, const char *sig)
{
  for (size_t i = 0; i < t->nh; i++)
    if (!strcmp(t->hsig[i], sig))
      return 1;
  return 0;
}

int shape_may_repeat_header(const table *t, const trow *r)
{
  /* A signature's first part is the squeezed first cell (header.c). */
  if (!r->n || !row_width(r))
    return 1;
  for (size_t i = 0; i < t->nh; i++) {
    size_t m = cells_squeezed_prefix(r->cells[0], t->hsig[i]);
    if (m != (size_t)-1 && (t->hsig[i][m] == '\x1f' || !t->hsig[i][m]))
      return 1;
  }
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
** header cell, or a piece of one, or header cells run together (at least
** two characters, in a row of several cells; a lone short piece may be a
** wrapped body cell). */
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
    if (cells < 2 || utf8_chars(b.data) < 2) {
      rc = 0;
      break;
    }
    /* A piece of one header cell, or header cells run together (two
    ** cells whose texts touched came out as one). */
    int piece = 0;
    for (size_t i = 0; i < t->nh && !piece; i++) {
      char *joined = strdup(t->hsig[i]);
      if (!joined) {
        rc = -1;
        break;
      }
      char *w = joined;
      for (const char *q = joined; *q; q++)
        if (*q != '\x1f')
          *w++ = *q;
      *w = '\0';
      piece = strstr(joined, b.data) != NULL;
      free(joined);
    }
    if (rc < 0)
      break;
    if (!piece)
      rc = 0;
  }
  strbuf_free(&b);
  return rc;
}

static int cell_kind(const ruleset *rs, const trow *r, size_t c)
{
  return row_cell_is_number(rs, r, c) ? KIND_NUMBER : KIND_TEXT;
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
  /* A column that has held both kinds stays so: its cells need no test. */
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0] && t->kinds[c] != (KIND_NUMBER | KIND_TEXT))
      t->kinds[c] |= (unsigned char)cell_kind(rs, r, c);
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
    if (shape_may_repeat_header(t, r)) {
      char *sig = header_signature(r);
      int rep = sig && shape_header_sig(t, sig);
      free(sig);
      if (rep)
        continue; /* the header repeated on the continuation page */
    }
    for (size_t c = 0; c < r->n; c++) {
      const char *s = r->cells[c];
      while (*s == ' ')
        s++;
      if (!*s)
        continue;
      cells++;
      /* Leading spaces skipped make another text than the cell's. */
      int k = s == r->cells[c] ? cell_kind(rs, r, c)
                               : cell_is_number(rs, s) ? KIND_NUMBER
                                                       : KIND_TEXT;
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

int shape_regrid(table *t, size_t want)
{
  size_t h = t->hrows.n, w = t->ncols;
  if (t->form || t->hspanned || t->body.n || h < 2 || !want || want >= w)
    return 0;
  const trow *leaf = &t->hrows.rows[h - 1];
  unsigned char *drop = calloc(w, 1);
  size_t *slot = calloc(w, sizeof *slot); /* kept column -> new index */
  if (!drop || !slot) {
    free(drop);
    free(slot);
    return -1;
  }
  size_t ndrop = 0, k = 0;
  for (size_t c = 0; c < w; c++) {
    drop[c] = c >= leaf->n || !leaf->cells[c][0];
    ndrop += drop[c];
    slot[c] = k;
    k += !drop[c];
  }
  int rc = 0;
  rowvec nr;
  rowvec_init(&nr);
  char **empty = calloc(want, sizeof *empty);
  if (!empty) {
    rc = -1;
    goto done;
  }
  for (size_t i = 0; i < want; i++)
    empty[i] = "";
  if (ndrop != w - want)
    goto done;
  for (size_t r = 0; r < h; r++) {
    const trow *src = &t->hrows.rows[r];
    trow *dst = rowvec_add(&nr, empty, want);
    if (!dst) {
      rc = -1;
      goto done;
    }
    for (size_t c = 0; c < w && c < src->n; c++) {
      const char *text = src->cells[c];
      if (!text[0])
        continue;
      size_t to = slot[c];
      if (drop[c]) {
        /* slot[c] is the kept column right of c; its left neighbour is
        ** the nearest kept column on the left. */
        int left = to > 0 && !dst->cells[to - 1][0];
        int right = to < want && !dst->cells[to][0];
        if (left)
          to--;
        else if (!right) {
          rc = 0;
          goto done; /* nowhere to put it: leave the table as it is */
        }
      } else if (dst->cells[to][0]) {
        rc = 0;
        goto done;
      }
      if (row_set(dst, to, text, strlen(text)) != 0) {
        rc = -1;
        goto done;
      }
    }
  }
  char **paths = calloc(want, sizeof *paths);
  char **sigs = calloc(h, sizeof *sigs);
  trow **rows = calloc(h, sizeof *rows);
  if (!paths || !sigs || !rows) {
    free(paths), free(sigs), free(rows);
    rc = -1;
    goto done;
  }
  for (size_t r = 0; r < h; r++)
    rows[r] = &nr.rows[r];
  int bad = header_flatten(rows, h, want, NULL, 0, paths) != 0;
  for (size_t r = 0; r < h && !bad; r++)
    bad = !(sigs[r] = header_signature(rows[r]));
  free(rows);
  if (bad) {
    for (size_t r = 0; r < h; r++)
      free(sigs[r]);
    free(sigs);
    free(paths);
    rc = -1;
    goto done;
  }
  for (size_t c = 0; c < w; c++)
    free(t->paths[c]);
  free(t->paths);
  t->paths = paths;
  for (size_t r = 0; r < t->nh; r++)
    free(t->hsig[r]);
  free(t->hsig);
  t->hsig = sigs;
  t->nh = h;
  rowvec_clear(&t->hrows);
  t->hrows = nr;
  rowvec_init(&nr);
  t->ncols = want;
  t->grid_ncols = (int)want;
  rc = 1;
done:
  rowvec_clear(&nr);
  free(empty);
  free(drop);
  free(slot);
  return rc;
}

static const char *hcell(const table *t, size_t r, size_t c)
{
  const trow *row = &t->hrows.rows[r];
  return c < row->n ? row->cells[c] : "";
}

static int body_has_numbers(const ruleset *rs, const table *t)
{
  for (size_t i = 0; i < t->body.n; i++)
    for (size_t c = 0; c < t->body.rows[i].n; c++) {
      if (row_cell_is_number(rs, &t->body.rows[i], c))
        return 1;
    }
  return 0;
}

/* Removes column c from the header rows, the body and the spans. */
static void remove_column(table *t, size_t c)
{
  for (size_t i = 0; i < t->hrows.n; i++) {
    trow *r = &t->hrows.rows[i];
    if (c < r->n) {
      row_cell_free(r, r->cells[c]);
      memmove(&r->cells[c], &r->cells[c + 1], (r->n - c - 1) * sizeof *r->cells);
      r->n--;
    }
  }
  for (size_t i = 0; i < t->body.n; i++) {
    trow *r = &t->body.rows[i];
    if (c < r->n) {
      row_cell_free(r, r->cells[c]);
      memmove(&r->cells[c], &r->cells[c + 1], (r->n - c - 1) * sizeof *r->cells);
      r->n--;
    }
  }
  hspan *hs = t->hspans;
  for (size_t s = 0; s < t->nhspans; s++) {
    if (hs[s].c0 > c)
      hs[s].c0--;
    if (hs[s].c1 > c)
      hs[s].c1--;
  }
  free(t->paths[c]);
  memmove(&t->paths[c], &t->paths[c + 1], (t->ncols - c - 1) * sizeof *t->paths);
  t->ncols--;
}

/* 1 when nothing printed in rows 0..r stands above column c: no text, no
** header span covering it. */
static int orphan(const table *t, size_t r, size_t c)
{
  for (size_t k = 0; k <= r; k++)
    if (hcell(t, k, c)[0])
      return 0;
  const hspan *hs = t->hspans;
  for (size_t s = 0; s < t->nhspans; s++)
    if (hs[s].r0 <= r && c >= hs[s].c0 && c < hs[s].c1)
      return 0;
  return 1;
}

int shape_centred_parents(const ruleset *rs, table *t)
{
  size_t h = t->hrows.n, removed = 0;
  if (t->form || h < 2 || t->ncols < 3 || !body_has_numbers(rs, t))
    return 0;
  for (size_t c = 1; c + 1 < t->ncols; c++) {
    /* Its data, if any, belongs to the child right of it (the header was
    ** printed a column off): that child must have none of its own. */
    int empty = body_empty(t, c);
    if (!empty && !body_empty(t, c + 1))
      continue;
    size_t r = h, texts = 0;
    for (size_t k = 0; k < h; k++)
      if (hcell(t, k, c)[0]) {
        r = k;
        texts++;
      }
    /* The children sit in the lowest header row, the parent right above:
    ** deeper in a tall header, text between two cells is as likely a leaf
    ** centred vertically over several rows. */
    if (texts != 1 || r + 2 != h)
      continue;
    if (!hcell(t, r + 1, c - 1)[0] || !hcell(t, r + 1, c + 1)[0] ||
        !orphan(t, r, c - 1) || !orphan(t, r, c + 1))
      continue;
    trow *row = &t->hrows.rows[r];
    const char *text = row->cells[c];
    if (row_set(row, c - 1, text, strlen(text)) != 0)
      return -1;
    if (!empty)
      for (size_t i = 0; i < t->body.n; i++) {
        trow *b = &t->body.rows[i];
        if (c + 1 < b->n) {
          char *tmp = b->cells[c + 1];
          b->cells[c + 1] = b->cells[c];
          b->cells[c] = tmp;
        }
      }
    if (t->nhspans) {
      hspan *hs = realloc(t->hspans, (t->nhspans + 1) * sizeof *hs);
      if (!hs)
        return -1;
      t->hspans = hs;
      hs[t->nhspans++] = (hspan){r, r + 1, c - 1, c + 2};
    }
    remove_column(t, c);
    removed++;
    c--;
  }
  if (!removed)
    return 0;
  trow **rows = calloc(h, sizeof *rows);
  char **paths = calloc(t->ncols, sizeof *paths);
  char **sigs = calloc(h, sizeof *sigs);
  if (!rows || !paths || !sigs) {
    free(rows), free(paths), free(sigs);
    return -1;
  }
  for (size_t k = 0; k < h; k++)
    rows[k] = &t->hrows.rows[k];
  int bad = header_flatten(rows, h, t->ncols, t->hspans, t->nhspans, paths) != 0;
  for (size_t k = 0; k < h && !bad; k++)
    bad = !(sigs[k] = header_signature(rows[k]));
  free(rows);
  if (bad) {
    for (size_t k = 0; k < h; k++)
      free(sigs[k]);
    free(sigs);
    free(paths);
    return -1;
  }
  for (size_t c = 0; c < t->ncols; c++)
    free(t->paths[c]);
  free(t->paths);
  t->paths = paths;
  for (size_t k = 0; k < t->nh; k++)
    free(t->hsig[k]);
  free(t->hsig);
  t->hsig = sigs;
  t->nh = h;
  return (int)removed;
}

static int body_empty(const table *t, size_t c)
{
  for (size_t i = 0; i < t->body.n; i++)
    if (c < t->body.rows[i].n && t->body.rows[i].cells[c][0])
      return 0;
  return 1;
}

size_t shape_merge_offset(table *t)
{
  if (t->form || !t->body.n)
    return 0;
  size_t merged = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    if (t->paths[c][0] || body_empty(t, c))
      continue;
    size_t to;
    if (c > 0 && t->paths[c - 1][0] && body_empty(t, c - 1))
      to = c - 1;
    else if (c + 1 < t->ncols && t->paths[c + 1][0] && body_empty(t, c + 1))
      to = c + 1;
    else
      continue;
    /* The data moves under the header; the header-less column goes. */
    for (size_t i = 0; i < t->body.n; i++) {
      trow *r = &t->body.rows[i];
      if (c < r->n && to < r->n) {
        char *tmp = r->cells[to];
        r->cells[to] = r->cells[c];
        r->cells[c] = tmp;
      }
    }
    for (size_t i = 0; i < t->hrows.n; i++) {
      trow *r = &t->hrows.rows[i];
      if (c < r->n && to < r->n && !r->cells[to][0]) {
        char *tmp = r->cells[to];
        r->cells[to] = r->cells[c];
        r->cells[c] = tmp;
      }
    }
    remove_column(t, c);
    merged++;
    if (to < c)
      c--;
  }
  return merged;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The header's content: its squeezed cell texts, sorted, \x1f-joined. */
static char *header_key(const table *t)
{
  size_t n = 0;
  for (size_t i = 0; i < t->hrows.n; i++)
    for (size_t c = 0; c < t->hrows.rows[i].n; c++)
      n += t->hrows.rows[i].cells[c][0] != '\0';
  if (!n)
    return NULL;
  char **parts = calloc(n, sizeof *parts);
  if (!parts)
    return NULL;
  size_t k = 0;
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  int bad = 0;
  for (size_t i = 0; i < t->hrows.n && !bad; i++)
    for (size_t c = 0; c < t->hrows.rows[i].n && !bad; c++) {
      const char *cell = t->hrows.rows[i].cells[c];
      if (!cell[0])
        continue;
      if (cells_squeeze(cell, &b) < 0 || !(parts[k] = strbuf_take(&b)))
        bad = 1;
      else
        k++;
    }
  char *key = NULL;
  if (!bad) {
    qsort(parts, k, sizeof *parts, cmp_str);
    for (size_t i = 0; i < k && !bad; i++)
      bad = (i && strbuf_append_char(&b, '\x1f') != STRBUF_OK) ||
            strbuf_append_str(&b, parts[i]) != STRBUF_OK;
    if (!bad)
      key = strbuf_take(&b);
  }
  for (size_t i = 0; i < k; i++)
    free(parts[i]);
  free(parts);
  strbuf_free(&b);
  return key;
}

static size_t empty_paths(char *const *paths, size_t n)
{
  size_t e = 0;
  for (size_t c = 0; c < n; c++)
    e += !paths[c][0];
  return e;
}

int shape_book_repair(shape_book *bk, table *t)
{
  if (t->form || !t->hrows.n || !empty_paths(t->paths, t->ncols))
    return 0;
  char *key = header_key(t);
  if (!key)
    return 0;
  const shape_memo *best = NULL;
  for (size_t i = 0; i < bk->n; i++) {
    const shape_memo *m = &bk->v[i];
    if (m->ncols == t->ncols && !strcmp(m->key, key) &&
        m->empties < empty_paths(t->paths, t->ncols) &&
        (!best || m->empties < best->empties))
      best = m;
  }
  free(key);
  if (!best)
    return 0;
  int changed = 0;
  for (size_t c = 0; c < t->ncols; c++) {
    if (!strcmp(t->paths[c], best->paths[c]))
      continue;
    char *p = strdup(best->paths[c]);
    if (!p || shape_add_repair(t, 0, c, t->paths[c], p, "same-header") != 0) {
      free(p);
      return -1;
    }
    free(t->paths[c]);
    t->paths[c] = p;
    changed++;
  }
  return changed;
}

int shape_book_add(shape_book *bk, const table *t)
{
  if (t->form || !t->hrows.n || bk->n == SHAPE_BOOK_MAX)
    return 0;
  char *key = header_key(t);
  if (!key)
    return 0;
  shape_memo *m = &bk->v[bk->n];
  m->key = key;
  m->ncols = t->ncols;
  m->empties = empty_paths(t->paths, t->ncols);
  m->paths = calloc(t->ncols ? t->ncols : 1, sizeof *m->paths);
  if (!m->paths) {
    free(key);
    return -1;
  }
  for (size_t c = 0; c < t->ncols; c++)
    if (!(m->paths[c] = strdup(t->paths[c]))) {
      for (size_t d = 0; d < c; d++)
        free(m->paths[d]);
      free(m->paths);
      free(key);
      return -1;
    }
  bk->n++;
  return 0;
}

void shape_book_free(shape_book *bk)
{
  for (size_t i = 0; i < bk->n; i++) {
    for (size_t c = 0; c < bk->v[i].ncols; c++)
      free(bk->v[i].paths[c]);
    free(bk->v[i].paths);
    free(bk->v[i].key);
  }
  bk->n = 0;
}
