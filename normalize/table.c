#include "table.h"

#include <stdlib.h>
#include <string.h>

void table_init(table *t)
{
  memset(t, 0, sizeof *t);
  t->header_rows = -1;
}

static void row_free(trow *r)
{
  for (size_t i = 0; i < r->n; i++)
    free(r->cells[i]);
  free(r->cells);
  free(r->at);
}

void table_clear(table *t)
{
  for (size_t i = 0; i < t->nrows; i++)
    row_free(&t->rows[i]);
  free(t->rows);
  free(t->canonical);
  free(t->printed);
  table_init(t);
}

trow *table_add(table *t, char *const *cells, size_t n, const char *at)
{
  if (t->nrows == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    trow *v = realloc(t->rows, cap * sizeof *v);
    if (!v)
      return NULL;
    t->rows = v;
    t->cap = cap;
  }
  trow *r = &t->rows[t->nrows];
  memset(r, 0, sizeof *r);
  r->cells = calloc(n ? n : 1, sizeof *r->cells);
  if (!r->cells)
    return NULL;
  for (size_t i = 0; i < n; i++) {
    r->cells[i] = strdup(cells[i]);
    if (!r->cells[i]) {
      r->n = i;
      row_free(r);
      return NULL;
    }
  }
  r->n = n;
  if (at && !(r->at = strdup(at))) {
    row_free(r);
    return NULL;
  }
  r->block = t->blocks;
  t->nrows++;
  return r;
}

void table_remove(table *t, size_t i)
{
  row_free(&t->rows[i]);
  memmove(&t->rows[i], &t->rows[i + 1], (t->nrows - i - 1) * sizeof *t->rows);
  t->nrows--;
}

size_t row_width(const trow *r)
{
  size_t n = r->n;
  while (n && !r->cells[n - 1][0])
    n--;
  return n;
}

int row_empty(const trow *r) { return row_width(r) == 0; }

int row_set(trow *r, size_t c, const char *text, size_t n)
{
  if (c >= r->n) {
    char **v = realloc(r->cells, (c + 1) * sizeof *v);
    if (!v)
      return -1;
    r->cells = v;
    for (size_t i = r->n; i <= c; i++) {
      r->cells[i] = calloc(1, 1);
      if (!r->cells[i]) {
        r->n = i;
        return -1;
      }
    }
    r->n = c + 1;
  }
  char *s = malloc(n + 1);
  if (!s)
    return -1;
  memcpy(s, text, n);
  s[n] = '\0';
  free(r->cells[c]);
  r->cells[c] = s;
  return 0;
}
