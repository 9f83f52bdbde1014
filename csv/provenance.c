#include "provenance.h"

#include "csv_writer.h"

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
    char row[24], page[16] = "", x0[32] = "", y0[32] = "", x1[32] = "",
                  y1[32] = "", line[24] = "";
    snprintf(row, sizeof row, "%zu", r + 1);
    if (o->page > 0)
      snprintf(page, sizeof page, "%d", o->page);
    if (o->has_box) {
      snprintf(x0, sizeof x0, "%.1f", o->x0);
      snprintf(y0, sizeof y0, "%.1f", o->y0);
      snprintf(x1, sizeof x1, "%.1f", o->x1);
      snprintf(y1, sizeof y1, "%.1f", o->y1);
    }
    if (o->line > 0)
      snprintf(line, sizeof line, "%ld", o->line);
    const char *const rec[] = {t->id, row, page, x0, y0, x1, y1, line};
    if (csvout_write_record(out, rec, sizeof rec / sizeof rec[0]) != 0)
      return -1;
  }
  return ferror(out) ? -1 : 0;
}
