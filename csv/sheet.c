#include "sheet.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "strbuf.h"

/* Excel keeps 15 significant digits and shows more than 11 in exponent
** form: a longer run of digits is a code, never an amount, in these
** tables (amounts carry decimals or are small). */
#define EXCEL_MAX_PLAIN_DIGITS 11

int sheet_excel_code(const char *s)
{
  size_t n = strspn(s, "0123456789");
  if (!n || s[n])
    return 0;
  return (s[0] == '0' && n > 1) || n > EXCEL_MAX_PLAIN_DIGITS;
}

const char *sheet_id_text(const char *id, int excel, char buf[SHEET_ID_TEXT])
{
  if (!excel || !sheet_excel_code(id) ||
      (size_t)snprintf(buf, SHEET_ID_TEXT, "=\"%s\"", id) >= SHEET_ID_TEXT)
    return id;
  return buf;
}

int sheet_write_table(FILE *out, const tbl_table *t, const sheet_opts *o)
{
  if (!o->fill_down && !o->excel && !o->page_column)
    return csvout_write_table(out, t, o->bom);
  if ((o->bom || o->excel) && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  size_t nc = t->ncolumns, width = nc + (o->page_column ? 1 : 0);
  const char **fields = calloc(width + 1, sizeof *fields);
  /* The value each column showed in the row above, for the fill. */
  const char **above = calloc(nc + 1, sizeof *above);
  char **formulas = calloc(nc + 1, sizeof *formulas);
  int rc = fields && above && formulas ? 0 : -1;
  if (rc != 0)
    errno = ENOMEM;
  char page[16];
  for (size_t c = 0; c < nc && rc == 0; c++)
    fields[c] = t->columns[c];
  if (o->page_column)
    fields[nc] = "page";
  if (rc == 0)
    rc = csvout_write_record(out, fields, width);
  for (size_t r = 0; r < t->nrows && rc == 0; r++) {
    const char *const *row = (const char *const *)t->cells + r * nc;
    for (size_t c = 0; c < nc && rc == 0; c++) {
      const char *v = row[c];
      if (o->fill_down && t->covered && t->covered[r * nc + c] && above[c])
        v = above[c];
      above[c] = v;
      free(formulas[c]);
      formulas[c] = NULL;
      if (o->excel && sheet_excel_code(v)) {
        size_t len = strlen(v);
        if (!(formulas[c] = malloc(len + 4))) {
          errno = ENOMEM;
          rc = -1;
          break;
        }
        /* Digits need no escaping inside the formula's string. */
        snprintf(formulas[c], len + 4, "=\"%s\"", v);
        v = formulas[c];
      }
      fields[c] = v;
    }
    if (rc != 0)
      break;
    if (o->page_column) {
      int pg = t->origins ? t->origins[r].page : 0;
      if (pg > 0)
        snprintf(page, sizeof page, "%d", pg);
      else
        page[0] = '\0';
      fields[nc] = page;
    }
    rc = csvout_write_record(out, fields, width);
  }
  if (formulas)
    for (size_t c = 0; c < nc; c++)
      free(formulas[c]);
  free(formulas);
  free(above);
  free(fields);
  return rc != 0 || ferror(out) ? -1 : 0;
}
