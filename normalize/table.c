#include "table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void rowvec_init(rowvec *v) { memset(v, 0, sizeof *v); }

/* 1 when s is one of the strings in r's text block (freed with the row). */
static int in_text(const trow *r, const char *s)
{
  return (uintptr_t)s - (uintptr_t)r->text < r->textlen;
}

void row_cell_free(const trow *r, char *s)
{
  if (!in_text(r, s))
    free(s);
}

void row_cell_replace(trow *r, size_t c, char *s)
{
  row_cell_free(r, r->cells[c]);
  r->cells[c] = s;
}

unsigned char *row_cell_facts(const trow *r, size_t c)
{
  char *s = r->cells[c];
  return in_text(r, s) ? (unsigned char *)s - 1 : NULL;
}

void row_free(trow *r)
{
  for (size_t i = 0; i < r->n; i++)
    row_cell_free(r, r->cells[i]);
  free(r->cells);
  free(r->text);
  free(r->covered);
  free(r->pending);
  memset(r, 0, sizeof *r);
}

void rowvec_clear(rowvec *v)
{
  for (size_t i = 0; i < v->n; i++)
    row_free(&v->rows[i]);
  free(v->rows);
  rowvec_init(v);
}

static trow *grow(rowvec *v)
{
  if (v->n == v->cap) {
    /* Small at first (a table's header rows are a few): a request past
    ** glibc's small sizes makes it merge its free lists first, which
    ** costs as much as a table's cells. */
    size_t cap = v->cap ? v->cap * 2 : 8;
    trow *p = realloc(v->rows, cap * sizeof *p);
    if (!p)
      return NULL;
    v->rows = p;
    v->cap = cap;
  }
  trow *r = &v->rows[v->n];
  memset(r, 0, sizeof *r);
  return r;
}

trow *rowvec_add(rowvec *v, char *const *cells, size_t n)
{
  return rowvec_add_cleaned(v, cells, NULL, n);
}

/* One text block string: its facts byte (nothing known of the text
** yet), the k bytes of c and a NUL. Returns where the next one goes. */
static char *put_text(char *p, const char *c, size_t k, char **at)
{
  *p++ = 0;
  if (!k)
    *p = '\0'; /* most cells of a row: no call for one byte */
  else
    memcpy(p, c, k + 1);
  *at = p;
  return p + k + 1;
}

trow *rowvec_add_cleaned(rowvec *v, char *const *cells,
                         const char *const *cleaned, size_t n)
{
  trow *r = grow(v);
  if (!r)
    return NULL;
  /* The cells back to back in one block, each after its facts byte and
  ** with its NUL (an empty cell is a byte of its own: cells are told apart
  ** by address, origin.h), then the cleaned cells. One allocation a row,
  ** not one a cell. */
  size_t len = 0, lens[32]; /* the lengths of a row that narrow, kept */
  int any_cleaned = 0;
  for (size_t i = 0; i < n; i++) {
    size_t k = cells[i] && cells[i][0] ? strlen(cells[i]) : 0;
    if (i < sizeof lens / sizeof *lens)
      lens[i] = k;
    len += k + 2;
    if (cleaned && cleaned[i]) {
      len += strlen(cleaned[i]) + 2;
      any_cleaned = 1;
    }
  }
  r->cells = malloc((n ? n : 1) * sizeof *r->cells);
  r->text = malloc(len ? len : 1);
  r->pending = any_cleaned ? calloc(n, sizeof *r->pending) : NULL;
  if (!r->cells || !r->text || (any_cleaned && !r->pending)) {
    free(r->cells);
    free(r->text);
    free(r->pending);
    memset(r, 0, sizeof *r);
    return NULL;
  }
  r->textlen = len;
  char *p = r->text;
  for (size_t i = 0; i < n; i++) {
    const char *c = cells[i] ? cells[i] : "";
    size_t k = i < sizeof lens / sizeof *lens ? lens[i] : strlen(c);
    p = put_text(p, c, k, &r->cells[i]);
  }
  for (size_t i = 0; any_cleaned && i < n; i++)
    if (cleaned[i])
      p = put_text(p, cleaned[i], strlen(cleaned[i]), &r->pending[i]);
  r->n = n;
  r->npending = any_cleaned ? n : 0;
  r->precleaned = cleaned != NULL;
  v->n++;
  return r;
}

void row_take_cleaned(trow *r)
{
  if (!r->pending)
    return;
  for (size_t i = 0; i < r->npending && i < r->n; i++)
    if (r->pending[i])
      row_cell_replace(r, i, r->pending[i]);
  free(r->pending);
  r->pending = NULL;
}

trow *rowvec_take(rowvec *v, trow *src)
{
  trow *r = grow(v);
  if (!r)
    return NULL;
  *r = *src;
  memset(src, 0, sizeof *src);
  v->n++;
  return r;
}

void rowvec_remove(rowvec *v, size_t i)
{
  row_free(&v->rows[i]);
  memmove(&v->rows[i], &v->rows[i + 1], (v->n - i - 1) * sizeof *v->rows);
  v->n--;
}

size_t row_width(const trow *r)
{
  size_t n = r->n;
  while (n && !r->cells[n - 1][0])
    n--;
  return n;
}

int row_empty(const trow *r) { return row_width(r) == 0; }

int row_resize(trow *r, size_t n)
{
  if (n < r->n) {
    for (size_t i = n; i < r->n; i++)
      row_cell_free(r, r->cells[i]);
    r->n = n;
    return 0;
  }
  if (n == r->n)
    return 0;
  char **v = realloc(r->cells, n * sizeof *v);
  if (!v)
    return -1;
  r->cells = v;
  for (size_t i = r->n; i < n; i++) {
    r->cells[i] = calloc(1, 1);
    if (!r->cells[i]) {
      r->n = i;
      return -1;
    }
  }
  r->n = n;
  return 0;
}

int row_set(trow *r, size_t c, const char *text, size_t n)
{
  if (c >= r->n && row_resize(r, c + 1) != 0)
    return -1;
  char *s = malloc(n + 1);
  if (!s)
    return -1;
  memcpy(s, text, n);
  s[n] = '\0';
  row_cell_replace(r, c, s);
  return 0;
}

void block_init(tblock *b) { memset(b, 0, sizeof *b); }

void block_clear(tblock *b)
{
  rowvec_clear(&b->rows);
  free(b->spans);
  block_init(b);
}

void block_reset(tblock *b)
{
  rowvec keep = b->rows;
  for (size_t i = 0; i < keep.n; i++)
    row_free(&keep.rows[i]);
  keep.n = 0;
  free(b->spans);
  block_init(b);
  b->rows = keep;
}

int block_add_span(tblock *b, tspan s)
{
  if (b->nspans == b->spancap) {
    size_t cap = b->spancap ? b->spancap * 2 : 16;
    tspan *p = realloc(b->spans, cap * sizeof *p);
    if (!p)
      return -1;
    b->spans = p;
    b->spancap = cap;
  }
  b->spans[b->nspans++] = s;
  return 0;
}

void table_init(table *t)
{
  memset(t, 0, sizeof *t);
  rowvec_init(&t->body);
  rowvec_init(&t->hrows);
}

void table_clear(table *t)
{
  rowvec_clear(&t->body);
  rowvec_clear(&t->hrows);
  free(t->hspans);
  for (size_t i = 0; i < t->ncols; i++)
    free(t->paths[i]);
  free(t->paths);
  for (size_t i = 0; i < t->nh; i++)
    free(t->hsig[i]);
  free(t->hsig);
  for (size_t i = 0; i < t->nrepairs; i++)
    free(t->repairs[i]);
  free(t->repairs);
  free(t->kinds);
  free(t->canonical);
  free(t->printed);
  table_init(t);
}

void table_reset(table *t)
{
  rowvec keep = t->body;
  for (size_t i = 0; i < keep.n; i++)
    row_free(&keep.rows[i]);
  keep.n = 0;
  rowvec_init(&t->body);
  table_clear(t);
  t->body = keep;
}
