#include "provenance.h"

#include "csv_writer.h"
#include "numfmt.h"

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
    char row[NUMFMT_SIZE], page[NUMFMT_SIZE] = "", x0[NUMFMT_SIZE] = "",
        y0[NUMFMT_SIZE] = "", x1[NUMFMT_SIZE] = "", y1[NUMFMT_SIZE] = "",
        line[NUMFMT_SIZE] = "";
    numfmt_long(row, (long)(r + 1));
    if (o->page > 0)
      numfmt_long(page, o->page);
    if (o->has_box) {
      numfmt_tenths(x0, o->x0);
      numfmt_tenths(y0, o->y0);
      numfmt_tenths(x1, o->x1);
      numfmt_tenths(y1, o->y1);
    }
    if (o->line > 0)
      numfmt_long(line, o->line);
    const char *const rec[] = {t->id, row, page, x0, y0, x1, y1, line};
    if (csvout_write_record(out, rec, sizeof rec / sizeof rec[0]) != 0)
      return -1;
  }
  return ferror(out) ? -1 : 0;
}
