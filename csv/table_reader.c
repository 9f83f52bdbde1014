#include "table_reader.h"

#include <stdlib.h>
#include <string.h>

#include "stream.h"
#include "strbuf.h"

/* Notices are for a human reading stderr; a stream with millions of them
** is broken, so the kept text is capped while the counts stay exact. */
#define NOTICES_CAP (1024u * 1024u)

struct tbl_reader {
  stream_reader *in;
  const char *name;
  char error[600];
  /* The table being returned; every string is malloc'd and owned here. */
  char *meta[6];        /* id, canonical, printed, first, last, unit */
  char **columns;
  size_t ncolumns;
  char **cells;
  size_t ncells, cells_cap;
  size_t bytes;         /* text held by the current table, for the cap */
  tbl_origin *origins;  /* one per row */
  size_t origins_cap;
  unsigned char *covered; /* one per cell, NULL until a @@covered */
  size_t covered_cap;
  tbl_origin next_origin; /* from @@from, for the next row */
  size_t *next_covered; /* from @@covered, for the next row (0-based) */
  size_t nnext_covered, next_covered_cap;
  strbuf notices;
  size_t repairs, notes;
  char *document[TBL_DOCUMENT_FIELDS]; /* @@document, when seen */
};

tbl_reader *tbl_reader_new(FILE *in, const char *name)
{
  tbl_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->in = stream_reader_new(in, name);
  if (!r->in) {
    free(r);
    return NULL;
  }
  r->name = name;
  strbuf_init(&r->notices, NOTICES_CAP);
  return r;
}

static void drop_table(tbl_reader *r)
{
  for (size_t i = 0; i < 6; i++) {
    free(r->meta[i]);
    r->meta[i] = NULL;
  }
  for (size_t i = 0; i < r->ncolumns; i++)
    free(r->columns[i]);
  free(r->columns);
  r->columns = NULL;
  r->ncolumns = 0;
  for (size_t i = 0; i < r->ncells; i++)
    free(r->cells[i]);
  free(r->cells);
  r->cells = NULL;
  r->ncells = r->cells_cap = 0;
  r->bytes = 0;
  free(r->origins);
  r->origins = NULL;
  r->origins_cap = 0;
  free(r->covered);
  r->covered = NULL;
  r->covered_cap = 0;
  memset(&r->next_origin, 0, sizeof r->next_origin);
  r->nnext_covered = 0;
}

void tbl_reader_free(tbl_reader *r)
{
  if (!r)
    return;
  drop_table(r);
  for (size_t i = 0; i < TBL_DOCUMENT_FIELDS; i++)
    free(r->document[i]);
  free(r->next_covered);
  stream_reader_free(r->in);
  strbuf_free(&r->notices);
  free(r);
}

const char *tbl_reader_error(const tbl_reader *r) { return r->error; }

const char *tbl_reader_document(const tbl_reader *r, size_t i)
{
  return i < TBL_DOCUMENT_FIELDS ? r->document[i] : NULL;
}

/* The last @@document wins; its fields are short (the line cap holds). */
static tbl_status keep_document(tbl_reader *r, const stream_record *rec)
{
  for (size_t i = 0; i < TBL_DOCUMENT_FIELDS; i++) {
    free(r->document[i]);
    r->document[i] = strdup(i < rec->nfields ? rec->fields[i] : "");
    if (!r->document[i])
      return TBL_NO_MEMORY;
  }
  return TBL_OK;
}
size_t tbl_reader_repairs(const tbl_reader *r) { return r->repairs; }
size_t tbl_reader_notes(const tbl_reader *r) { return r->notes; }
const char *tbl_reader_notices(const tbl_reader *r)
{
  return strbuf_cstr(&r->notices);
}

static tbl_status fail(tbl_reader *r, tbl_status st, long lineno,
                       const char *what)
{
  snprintf(r->error, sizeof r->error, "line %ld: %s", lineno, what);
  return st;
}

/* Copies s, counting it against the per-table cap. */
static tbl_status keep(tbl_reader *r, const char *s, char **out)
{
  size_t n = strlen(s);
  if (n > TBL_CAP_BYTES || r->bytes > TBL_CAP_BYTES - n)
    return TBL_TOO_BIG;
  char *p = malloc(n + 1);
  if (!p)
    return TBL_NO_MEMORY;
  memcpy(p, s, n + 1);
  r->bytes += n;
  *out = p;
  return TBL_OK;
}

static tbl_status push_cell(tbl_reader *r, const char *s)
{
  if (r->ncells == r->cells_cap) {
    size_t cap = r->cells_cap ? r->cells_cap * 2 : 256;
    char **p = realloc(r->cells, cap * sizeof *p);
    if (!p)
      return TBL_NO_MEMORY;
    r->cells = p;
    r->cells_cap = cap;
  }
  tbl_status st = keep(r, s, &r->cells[r->ncells]);
  if (st == TBL_OK)
    r->ncells++;
  return st;
}

static void keep_notice(tbl_reader *r, const stream_record *rec)
{
  /* Past the cap the text is dropped on purpose: counts still tell. */
  strbuf_append_str(&r->notices, "@@");
  strbuf_append_str(&r->notices, rec->keyword);
  for (size_t i = 0; i < rec->nfields; i++) {
    strbuf_append_str(&r->notices, i ? " | " : " ");
    strbuf_append_str(&r->notices, rec->fields[i]);
  }
  strbuf_append_char(&r->notices, '\n');
}

static tbl_status start_table(tbl_reader *r, const stream_record *rec)
{
  if (rec->nfields < 1 || rec->fields[0][0] == '\0')
    return fail(r, TBL_BAD_STREAM, rec->lineno, "@@table without an ID");
  for (size_t i = 0; i < 6; i++) {
    tbl_status st = keep(r, i < rec->nfields ? rec->fields[i] : "",
                         &r->meta[i]);
    if (st != TBL_OK)
      return st;
  }
  return TBL_OK;
}

static tbl_status set_columns(tbl_reader *r, const stream_record *rec)
{
  if (r->columns)
    return fail(r, TBL_BAD_STREAM, rec->lineno, "a second @@columns line");
  if (rec->nfields == 0)
    return fail(r, TBL_BAD_STREAM, rec->lineno, "@@columns without a column");
  r->columns = calloc(rec->nfields, sizeof *r->columns);
  if (!r->columns)
    return TBL_NO_MEMORY;
  r->ncolumns = rec->nfields;
  for (size_t i = 0; i < rec->nfields; i++) {
    tbl_status st = keep(r, rec->fields[i], &r->columns[i]);
    if (st != TBL_OK)
      return st;
  }
  return TBL_OK;
}

/* Grows *v (elements of size each, *cap of them) to hold at least want. */
static int reserve(void **v, size_t *cap, size_t want, size_t size)
{
  if (want <= *cap)
    return 0;
  size_t n = *cap ? *cap : 64;
  while (n < want)
    n *= 2;
  void *p = realloc(*v, n * size);
  if (!p)
    return -1;
  if (n > *cap)
    memset((char *)p + *cap * size, 0, (n - *cap) * size);
  *v = p;
  *cap = n;
  return 0;
}

/* The pending @@from / @@covered go to row (just added); they are spent. */
static tbl_status row_marks(tbl_reader *r, size_t row)
{
  if (reserve((void **)&r->origins, &r->origins_cap, row + 1,
              sizeof *r->origins) != 0)
    return TBL_NO_MEMORY;
  r->origins[row] = r->next_origin;
  memset(&r->next_origin, 0, sizeof r->next_origin);
  /* Once one cell is covered, every row gets its flags (zero: none). */
  if ((r->nnext_covered || r->covered) &&
      reserve((void **)&r->covered, &r->covered_cap,
              (row + 1) * r->ncolumns, 1) != 0)
    return TBL_NO_MEMORY;
  for (size_t k = 0; k < r->nnext_covered; k++) {
    size_t c = r->next_covered[k];
    /* Only an empty cell can be covered; text there is data. */
    if (c < r->ncolumns && !r->cells[row * r->ncolumns + c][0])
      r->covered[row * r->ncolumns + c] = 1;
  }
  r->nnext_covered = 0;
  return TBL_OK;
}

static int parse_coord(const char *s, double *v)
{
  char *end;
  double d = strtod(s, &end);
  if (!*s || *end || !(d > -1e6 && d < 1e6))
    return 0;
  *v = d;
  return 1;
}

static long parse_count(const char *s, long max)
{
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < 0 || v > max)
    return 0;
  return v;
}

/* @@from PAGE X0 Y0 X1 Y1 LINE: a field that is no number is not given. */
static void set_origin(tbl_reader *r, const stream_record *rec)
{
  tbl_origin o = {0};
  const char *f[6] = {"", "", "", "", "", ""};
  for (size_t i = 0; i < 6 && i < rec->nfields; i++)
    f[i] = rec->fields[i];
  o.page = (int)parse_count(f[0], 1000000);
  o.has_box = parse_coord(f[1], &o.x0) && parse_coord(f[2], &o.y0) &&
              parse_coord(f[3], &o.x1) && parse_coord(f[4], &o.y1);
  if (!o.has_box)
    o.x0 = o.y0 = o.x1 = o.y1 = 0;
  o.line = parse_count(f[5], 2000000000L);
  r->next_origin = o;
}

/* @@covered COL...: 1-based columns; others are ignored. */
static tbl_status set_covered(tbl_reader *r, const stream_record *rec)
{
  r->nnext_covered = 0;
  if (reserve((void **)&r->next_covered, &r->next_covered_cap,
              rec->nfields + 1, sizeof *r->next_covered) != 0)
    return TBL_NO_MEMORY;
  for (size_t i = 0; i < rec->nfields; i++) {
    long c = parse_count(rec->fields[i], 1L << 20);
    if (c >= 1)
      r->next_covered[r->nnext_covered++] = (size_t)(c - 1);
  }
  return TBL_OK;
}

static tbl_status add_row(tbl_reader *r, const stream_record *rec)
{
  if (!r->columns)
    return fail(r, TBL_BAD_STREAM, rec->lineno, "table row before @@columns");
  /* Trailing empty cells beyond the header are a writer's slack; text
  ** there would be silently lost, so it is an error instead. */
  for (size_t i = r->ncolumns; i < rec->nfields; i++)
    if (rec->fields[i][0] != '\0') {
      char what[160];
      snprintf(what, sizeof what, "row has %zu cells, header has %zu",
               rec->nfields, r->ncolumns);
      return fail(r, TBL_BAD_STREAM, rec->lineno, what);
    }
  size_t row = r->ncells / r->ncolumns;
  for (size_t i = 0; i < r->ncolumns; i++) {
    tbl_status st = push_cell(r, i < rec->nfields ? rec->fields[i] : "");
    if (st != TBL_OK)
      return st;
  }
  return row_marks(r, row);
}

static void fill(tbl_reader *r, tbl_table *t, long lineno)
{
  t->id = r->meta[0];
  t->canonical = r->meta[1];
  t->printed = r->meta[2];
  t->first_page = r->meta[3];
  t->last_page = r->meta[4];
  t->unit = r->meta[5];
  t->columns = r->columns;
  t->ncolumns = r->ncolumns;
  t->cells = r->cells;
  t->nrows = r->ncolumns ? r->ncells / r->ncolumns : 0;
  t->origins = r->origins;
  t->covered = r->covered;
  t->lineno = lineno;
}

tbl_status tbl_reader_next(tbl_reader *r, tbl_table *t)
{
  memset(t, 0, sizeof *t);
  drop_table(r);
  int inside = 0;
  long table_line = 0;
  for (;;) {
    stream_record rec;
    stream_kind k = stream_read(r->in, &rec);
    tbl_status st = TBL_OK;
    switch (k) {
    case STREAM_ERROR:
      snprintf(r->error, sizeof r->error, "%s", rec.error);
      return TBL_BAD_STREAM;
    case STREAM_EOF:
      if (inside) {
        char what[80];
        snprintf(what, sizeof what, "input ends inside table %s (no @@end)",
                 r->meta[0]);
        return fail(r, TBL_BAD_STREAM, rec.lineno, what);
      }
      return TBL_END;
    case STREAM_ROW:
      if (inside)
        st = add_row(r, &rec);
      break;
    case STREAM_TEXT:
      /* A one-column table's rows carry no TAB; in a wider table a line
      ** without TAB is a row of one cell, padded like any short row, so
      ** no text inside a table is ever dropped. Before @@columns it is
      ** the writer's business (a title, say) and skipped. */
      if (inside && r->columns)
        st = add_row(r, &rec);
      break;
    case STREAM_BLANK:
    case STREAM_PAGE:
      break;
    case STREAM_DIRECTIVE:
      if (strcmp(rec.keyword, "table") == 0) {
        if (inside)
          return fail(r, TBL_BAD_STREAM, rec.lineno,
                      "@@table inside a table (missing @@end)");
        inside = 1;
        table_line = rec.lineno;
        st = start_table(r, &rec);
      } else if (strcmp(rec.keyword, "columns") == 0) {
        if (!inside)
          return fail(r, TBL_BAD_STREAM, rec.lineno,
                      "@@columns outside a table");
        st = set_columns(r, &rec);
      } else if (strcmp(rec.keyword, "end") == 0) {
        if (!inside)
          return fail(r, TBL_BAD_STREAM, rec.lineno, "@@end outside a table");
        if (!r->columns)
          return fail(r, TBL_BAD_STREAM, rec.lineno,
                      "table without @@columns");
        fill(r, t, table_line);
        return TBL_OK;
      } else if (strcmp(rec.keyword, "from") == 0) {
        if (inside)
          set_origin(r, &rec);
      } else if (strcmp(rec.keyword, "covered") == 0) {
        if (inside)
          st = set_covered(r, &rec);
      } else if (strcmp(rec.keyword, "repair") == 0) {
        r->repairs++;
        keep_notice(r, &rec);
      } else if (strcmp(rec.keyword, "note") == 0) {
        r->notes++;
        keep_notice(r, &rec);
      } else if (strcmp(rec.keyword, "document") == 0) {
        st = keep_document(r, &rec);
      }
      /* Other directives (@@at, @@grid, @@page...) are not ours. */
      break;
    }
    if (st == TBL_TOO_BIG)
      return fail(r, st, rec.lineno, "table over the 256 MiB limit");
    if (st == TBL_NO_MEMORY)
      return fail(r, st, rec.lineno, "out of memory");
    if (st != TBL_OK)
      return st;
  }
}
