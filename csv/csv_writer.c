#include "csv_writer.h"

#include <csv.h>
#include <string.h>

static int needs_quotes(const char *s)
{
  return strpbrk(s, ",\"\r\n") != NULL;
}

int csvout_write_record(FILE *out, const char *const *fields, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    const char *f = fields[i] ? fields[i] : "";
    if (i && putc(',', out) == EOF)
      return -1;
    /* A lone empty field would make an empty line, which readers skip. */
    if (needs_quotes(f) || (n == 1 && f[0] == '\0')) {
      if (csv_fwrite(out, f, strlen(f)) != 0)
        return -1;
    } else if (fputs(f, out) == EOF) {
      return -1;
    }
  }
  return fputs("\r\n", out) == EOF ? -1 : 0;
}

int csvout_write_table(FILE *out, const tbl_table *t, int bom)
{
  if (bom && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  if (csvout_write_record(out, (const char *const *)t->columns,
                          t->ncolumns) != 0)
    return -1;
  for (size_t r = 0; r < t->nrows; r++)
    if (csvout_write_record(out,
                            (const char *const *)t->cells + r * t->ncolumns,
                            t->ncolumns) != 0)
      return -1;
  return ferror(out) ? -1 : 0;
}

int csvout_write_index_header(FILE *out, int bom)
{
  static const char *const head[] = {
      "id",        "canonical_title", "printed_title", "first_page",
      "last_page", "rows",            "columns",       "unit"};
  if (bom && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  return csvout_write_record(out, head, sizeof head / sizeof head[0]);
}

int csvout_write_index_row(FILE *out, const tbl_table *t)
{
  char rows[32], cols[32];
  snprintf(rows, sizeof rows, "%zu", t->nrows);
  snprintf(cols, sizeof cols, "%zu", t->ncolumns);
  const char *const rec[] = {t->id,         t->canonical, t->printed,
                             t->first_page, t->last_page, rows,
                             cols,          t->unit};
  return csvout_write_record(out, rec, sizeof rec / sizeof rec[0]);
}

int csvout_write_document(FILE *out, const char *const fields[4], int bom)
{
  static const char *const head[] = {"source", "department", "year",
                                     "pages"};
  if (bom && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  if (csvout_write_record(out, head, 4) != 0)
    return -1;
  return csvout_write_record(out, fields, 4);
}
