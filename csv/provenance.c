#include "provenance.h"

#include <math.h>
#include <stdio.h>

#include "csv_writer.h"

/* The digits of u, written backwards into d; returns how many. */
static size_t digits_rev(unsigned long u, char *d)
{
  size_t n = 0;
  do
    d[n++] = (char)('0' + u % 10);
  while ((u /= 10) != 0);
  return n;
}

/* "%lu" of u (buf >= 24 bytes), as fast as the coordinates below. */
static void fmt_count(char *buf, unsigned long u)
{
  char d[24];
  size_t n = digits_rev(u, d), o = 0;
  while (n)
    buf[o++] = d[--n];
  buf[o] = '\0';
}

/* "%.1f" of v without printf's cost on every row (its floating-point
** path was a third of this stage's work). v * 10 is rounded here where
** that is exact: |v| < 1e6 (coordinates are), not within 1e-6 of a tie
** and no negative zero; printf decides the rest, as it did. */
static void fmt_tenths(char *buf, size_t size, double v)
{
  double t = v * 10.0, r = floor(t + 0.5);
  if (!(fabs(v) < 1e6) || fabs(fabs(t - r) - 0.5) < 1e-6 ||
      (r == 0 && signbit(v)) || size < 24) {
    snprintf(buf, size, "%.1f", v);
    return;
  }
  long k = (long)r;
  unsigned long u = k < 0 ? 0UL - (unsigned long)k : (unsigned long)k;
  char digits[24];
  size_t n = digits_rev(u, digits);
  if (n == 1)
    digits[n++] = '0'; /* 0.x */
  size_t o = 0;
  if (k < 0)
    buf[o++] = '-';
  while (n > 1)
    buf[o++] = digits[--n];
  buf[o++] = '.';
  buf[o++] = digits[0];
  buf[o] = '\0';
}

int provenance_write_header(FILE *out, int bom)
{
  static const char *const head[] = {"table", "row", "page", "x0",
                                     "y0",    "x1",  "y1",   "line"};
  if (bom && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  return csvout_write_record(out, head, sizeof head / sizeof head[0]);
}

int provenance_write_table(FILE *out, const tbl_table *t)
{
  for (size_t r = 0; r < t->nrows; r++) {
    static const tbl_origin none = {0};
    const tbl_origin *o = t->origins ? &t->origins[r] : &none;
    char row[24], page[24] = "", x0[32] = "", y0[32] = "", x1[32] = "",
                  y1[32] = "", line[24] = "";
    fmt_count(row, (unsigned long)(r + 1));
    if (o->page > 0)
      fmt_count(page, (unsigned long)o->page);
    if (o->has_box) {
      fmt_tenths(x0, sizeof x0, o->x0);
      fmt_tenths(y0, sizeof y0, o->y0);
      fmt_tenths(x1, sizeof x1, o->x1);
      fmt_tenths(y1, sizeof y1, o->y1);
    }
    if (o->line > 0)
      fmt_count(line, (unsigned long)o->line);
    const char *const rec[] = {t->id, row, page, x0, y0, x1, y1, line};
    if (csvout_write_record(out, rec, sizeof rec / sizeof rec[0]) != 0)
      return -1;
  }
  return ferror(out) ? -1 : 0;
}
