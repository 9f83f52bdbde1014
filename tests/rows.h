/*
** rows.h: table rows for the normalizer's unit tests, from the text a
** stream line holds. Header-only; include after the normalizer's headers.
*/
#ifndef BUDGET_TEST_ROWS_H
#define BUDGET_TEST_ROWS_H

#include <stdlib.h>
#include <string.h>

#include "table.h"

/* Splits a TAB-separated line into a row (owned by the caller). */
__attribute__((unused)) static trow *mkrow(const char *line)
{
  trow *r = calloc(1, sizeof *r);
  char *copy = strdup(line), *p = copy;
  for (;;) {
    char *tab = strchr(p, '\t');
    size_t len = tab ? (size_t)(tab - p) : strlen(p);
    row_set(r, r->n, p, len);
    if (!tab)
      break;
    p = tab + 1;
  }
  free(copy);
  return r;
}

__attribute__((unused)) static void freerow(trow *r)
{
  row_free(r);
  free(r);
}

#endif
