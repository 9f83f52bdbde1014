/*
** provenance.csv writes its numbers without printf on the common path: the
** coordinates must read exactly as "%.1f" prints them (ties, negative
** zero, large values included), and the counts as "%ld".
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provenance.h"

static const double values[] = {
    0.0,   -0.0,   0.04,  -0.04,  0.05,   -0.05,   0.15,   0.25,
    0.35,  1.45,   2.5,   84.3,   123.45, 654.35,  595.28, 841.89,
    -12.34, 999.95, 99999.95, 999999.95, 1e6,   -1e6,   1e7,    3.0e-9,
    0.9499999, 0.9500001, 17.7500001, 4.4444};

Test(provenance_numbers, coordinates_read_as_printf_prints_them)
{
  size_t n = sizeof values / sizeof values[0];
  tbl_origin *o = calloc(n, sizeof *o);
  for (size_t i = 0; i < n; i++) {
    o[i].page = (int)i + 1;
    o[i].has_box = 1;
    o[i].x0 = values[i];
    o[i].y0 = -values[i];
    o[i].x1 = values[i] * 3;
    o[i].y1 = values[i] / 7;
    o[i].line = 1000000L + (long)i;
  }
  tbl_table t = {.id = "03", .nrows = n, .origins = o};
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  cr_assert_not_null(out);
  cr_assert_eq(provenance_write_table(out, &t), 0);
  fclose(out);

  char *line = buf;
  for (size_t i = 0; i < n; i++) {
    char want[256];
    snprintf(want, sizeof want, "03,%zu,%d,%.1f,%.1f,%.1f,%.1f,%ld", i + 1,
             o[i].page, o[i].x0, o[i].y0, o[i].x1, o[i].y1, o[i].line);
    char *end = strstr(line, "\r\n");
    cr_assert_not_null(end, "record %zu missing", i);
    *end = '\0';
    cr_assert_str_eq(line, want, "value %.17g", values[i]);
    line = end + 2;
  }
  cr_assert_str_eq(line, "");
  free(buf);
  free(o);
}
