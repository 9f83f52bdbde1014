/*
** csvparse.h: a small RFC 4180 reader for the tests (quoted fields with
** doubled quotes, CRLF or LF), so a test reads the CSVs the tools write
** without trusting the tools' own code. A whole file at a time.
*/
#ifndef BUDGET_TEST_CSVPARSE_H
#define BUDGET_TEST_CSVPARSE_H

#include <stdlib.h>
#include <string.h>

typedef struct csv_doc {
  char ***rows;    /* nrows records of widths[i] malloc'd fields */
  size_t *widths;
  size_t nrows;
} csv_doc;

__attribute__((unused)) static csv_doc csv_parse(const char *s)
{
  csv_doc d = {0};
  if (!strncmp(s, "\xEF\xBB\xBF", 3))
    s += 3;
  while (*s) {
    char **f = NULL;
    size_t n = 0;
    for (;;) {
      size_t cap = strlen(s) + 1, len = 0;
      char *v = malloc(cap);
      if (*s == '"') {
        s++;
        while (*s && !(*s == '"' && s[1] != '"')) {
          if (*s == '"')
            s++;
          v[len++] = *s++;
        }
        if (*s == '"')
          s++;
      }
      while (*s && *s != ',' && *s != '\r' && *s != '\n')
        v[len++] = *s++;
      v[len] = '\0';
      f = realloc(f, (n + 1) * sizeof *f);
      f[n++] = v;
      if (*s == ',') {
        s++;
        continue;
      }
      break;
    }
    if (*s == '\r')
      s++;
    if (*s == '\n')
      s++;
    d.rows = realloc(d.rows, (d.nrows + 1) * sizeof *d.rows);
    d.widths = realloc(d.widths, (d.nrows + 1) * sizeof *d.widths);
    d.rows[d.nrows] = f;
    d.widths[d.nrows++] = n;
  }
  return d;
}

/* Field c of record r, "" when the record is shorter. */
__attribute__((unused)) static const char *csv_at(const csv_doc *d, size_t r,
                                                  size_t c)
{
  return r < d->nrows && c < d->widths[r] ? d->rows[r][c] : "";
}

__attribute__((unused)) static void csv_free(csv_doc *d)
{
  for (size_t r = 0; r < d->nrows; r++) {
    for (size_t c = 0; c < d->widths[r]; c++)
      free(d->rows[r][c]);
    free(d->rows[r]);
  }
  free(d->rows);
  free(d->widths);
  memset(d, 0, sizeof *d);
}

#endif
