#include "emit.h"

#include <stdlib.h>
#include <string.h>

#include "origin.h"
#include "stream.h"

int emit_table(FILE *out, const table *t, const char *id)
{
  char first[16], last[16];
  snprintf(first, sizeof first, "%d", t->first_page);
  snprintf(last, sizeof last, "%d",
           t->last_page > t->first_page ? t->last_page : t->first_page);
  char *args[] = {(char *)id, t->canonical ? t->canonical : "",
                  t->printed ? t->printed : "", first, last,
                  (char *)t->unit};
  if (stream_write_directive(out, "table", args, 6) != 0 ||
      stream_write_directive(out, "columns", t->paths, t->ncols) != 0)
    return -1;
  /* Rows were sized to ncols when appended, but the table may have been
  ** widened by a later row: pad on the way out. */
  char **cells = calloc(t->ncols ? t->ncols : 1, sizeof *cells);
  if (!cells)
    return -1;
  for (size_t i = 0; i < t->body.n; i++) {
    const trow *r = &t->body.rows[i];
    for (size_t c = 0; c < t->ncols; c++)
      cells[c] = c < r->n ? r->cells[c] : "";
    if (origin_write(out, r, t->ncols) != 0 ||
        stream_write_row(out, cells, t->ncols) != 0) {
      free(cells);
      return -1;
    }
  }
  free(cells);
  for (size_t i = 0; i < t->nrepairs; i++) {
    /* ROW COLUMN BEFORE AFTER RULE, split back into arguments. */
    char *copy = strdup(t->repairs[i]);
    if (!copy)
      return -1;
    char *rargs[6] = {(char *)id};
    size_t na = 1;
    for (char *f = copy; na < 6; na++) {
      rargs[na] = f;
      char *tab = strchr(f, '\t');
      if (!tab) {
        na++;
        break;
      }
      *tab = '\0';
      f = tab + 1;
    }
    int rc = stream_write_directive(out, "repair", rargs, na);
    free(copy);
    if (rc != 0)
      return -1;
  }
  if (!t->body.n) {
    char note[96];
    snprintf(note, sizeof note, "table %s is printed with its header only",
             id);
    char *nargs[] = {note};
    if (stream_write_directive(out, "note", nargs, 1) != 0)
      return -1;
  }
  return stream_write_directive(out, "end", NULL, 0);
}
