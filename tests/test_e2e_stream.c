/*
** The contract between budget-extract and budget-normalize: the stream
** budget-extract writes for each bundled sample PDF follows docs/stream.md
** ("Directives written by budget-extract"). Checked here, on the real
** program's output: the header directives, one @@page per page and one
** form feed before each page after the first, and every @@grid block
** well formed (its spans right after it and inside it, every row exactly
** COLUMNS cells, its header rows no more than its rows), no TAB row
** outside a grid, @@at boxes inside their page. Then the same for what
** budget-normalize makes of it ("Directives written by budget-normalize"):
** every @@table with its six fields, an ID budget-csv accepts, pages in
** order, a unit of 万元, 元 or none, and between @@columns and @@end
** every row exactly as wide as the header.
*/
#include <criterion/criterion.h>

#include "helpers.h"
#include "stream.h"

static char *tmp;
static void setup(void) { tmp = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
}

TestSuite(stream_contract, .init = setup, .fini = teardown, .timeout = 120);

typedef struct grid {
  int open;
  long line;       /* the @@grid line */
  long columns;
  long header_rows;
  long rows;
  int rows_started;
  long max_span_row; /* ROW + ROWS of the widest span */
} grid;

static double num(const char *s, const char *what, long line)
{
  char *end;
  double v = strtod(s, &end);
  cr_assert(end != s && *end == '\0', "line %ld: %s '%s' is not a number",
            line, what, s);
  return v;
}

static void close_grid(grid *g, const char *doc)
{
  if (!g->open)
    return;
  cr_assert(g->rows > 0, "%s line %ld: @@grid without rows", doc, g->line);
  cr_assert(g->header_rows <= g->rows,
            "%s line %ld: HEADER_ROWS %ld > %ld rows", doc, g->line,
            g->header_rows, g->rows);
  cr_assert(g->max_span_row <= g->rows,
            "%s line %ld: a span reaches row %ld of %ld", doc, g->line,
            g->max_span_row, g->rows);
  g->open = 0;
}

static void check_stream(const char *name)
{
  char *doc = h_fmt("%s/samples/%s/doc.pdf", h_home(), name);
  char *out = h_fmt("%s/%s.stream", tmp, name);
  char *ex = h_bin("budget-extract");
  char *argv[] = {ex, doc, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s: exit %d: %s", name, r.status, r.err);
  h_write(out, r.out, r.outlen);
  h_result_free(&r);

  FILE *f = fopen(out, "rb");
  cr_assert_not_null(f);
  stream_reader *rd = stream_reader_new(f, out);
  stream_record rec;
  stream_kind k;
  long records = 0, pages_said = -1, pages_seen = 0;
  double page_w = 0, page_h = 0;
  grid g = {0};
  while ((k = stream_read(rd, &rec)) != STREAM_EOF) {
    cr_assert_neq(k, STREAM_ERROR, "%s: %s", name, rec.error);
    records++;
    if (records == 1) {
      cr_assert(k == STREAM_DIRECTIVE &&
                    strcmp(rec.keyword, "budget-stream") == 0 &&
                    rec.nfields >= 1 && strcmp(rec.fields[0], "1") == 0,
                "%s: the first line must be @@budget-stream 1", name);
      continue;
    }
    if (k == STREAM_BLANK || k == STREAM_PAGE) {
      close_grid(&g, name);
      continue;
    }
    if (k == STREAM_ROW) {
      cr_assert(g.open, "%s line %ld: a TAB row outside a grid", name,
                rec.lineno);
      size_t n = rec.nfields;
      /* A one-cell row is written with a trailing TAB. */
      if (g.columns == 1 && n == 2 && rec.fields[1][0] == '\0')
        n = 1;
      cr_assert_eq((long)n, g.columns,
                   "%s line %ld: a row of %zu cells in a %ld-column grid",
                   name, rec.lineno, rec.nfields, g.columns);
      g.rows++;
      g.rows_started = 1;
      continue;
    }
    if (k == STREAM_TEXT) {
      if (g.open && g.columns == 1) {
        g.rows++;
        g.rows_started = 1;
      } else {
        cr_assert_not(g.open, "%s line %ld: a text line inside a %ld-column "
                      "grid", name, rec.lineno, g.columns);
      }
      continue;
    }
    /* Directives. */
    const char *kw = rec.keyword;
    if (strcmp(kw, "source") == 0) {
      cr_assert_eq(rec.nfields, 2, "%s: @@source NAME PAGES", name);
      pages_said = (long)num(rec.fields[1], "PAGES", rec.lineno);
    } else if (strcmp(kw, "page") == 0) {
      close_grid(&g, name);
      cr_assert_geq(rec.nfields, 4, "%s line %ld: @@page N W H ROT", name,
                    rec.lineno);
      pages_seen++;
      long n = (long)num(rec.fields[0], "N", rec.lineno);
      cr_assert_eq(n, pages_seen, "%s line %ld: @@page %ld, expected %ld",
                   name, rec.lineno, n, pages_seen);
      cr_assert_eq(rec.page, n,
                   "%s line %ld: @@page %ld on form-feed page %d", name,
                   rec.lineno, n, rec.page);
      page_w = num(rec.fields[1], "WIDTH", rec.lineno);
      page_h = num(rec.fields[2], "HEIGHT", rec.lineno);
    } else if (strcmp(kw, "grid") == 0) {
      close_grid(&g, name);
      cr_assert_eq(rec.nfields, 7,
                   "%s line %ld: @@grid COLUMNS X0 Y0 X1 Y1 KIND "
                   "HEADER_ROWS",
                   name, rec.lineno);
      g = (grid){1, rec.lineno, 0, 0, 0, 0, 0};
      g.columns = (long)num(rec.fields[0], "COLUMNS", rec.lineno);
      cr_assert_geq(g.columns, 1);
      const char *kind = rec.fields[5];
      cr_assert(strcmp(kind, "ruled") == 0 || strcmp(kind, "hrule") == 0 ||
                    strcmp(kind, "unruled") == 0,
                "%s line %ld: grid KIND '%s'", name, rec.lineno, kind);
      g.header_rows = (long)num(rec.fields[6], "HEADER_ROWS", rec.lineno);
      cr_assert_geq(g.header_rows, 0);
    } else if (strcmp(kw, "span") == 0) {
      cr_assert(g.open && !g.rows_started,
                "%s line %ld: @@span must follow its @@grid, before the rows",
                name, rec.lineno);
      cr_assert_eq(rec.nfields, 4, "%s line %ld: @@span ROW COL ROWS COLS",
                   name, rec.lineno);
      long row = (long)num(rec.fields[0], "ROW", rec.lineno);
      long col = (long)num(rec.fields[1], "COL", rec.lineno);
      long rows = (long)num(rec.fields[2], "ROWS", rec.lineno);
      long cols = (long)num(rec.fields[3], "COLS", rec.lineno);
      cr_assert(row >= 0 && col >= 0 && rows >= 1 && cols >= 1,
                "%s line %ld: bad span", name, rec.lineno);
      cr_assert(col + cols <= g.columns,
                "%s line %ld: span to column %ld of %ld", name, rec.lineno,
                col + cols, g.columns);
      if (row + rows > g.max_span_row)
        g.max_span_row = row + rows;
    } else if (strcmp(kw, "at") == 0) {
      cr_assert_eq(rec.nfields, 4, "%s line %ld: @@at X0 Y0 X1 Y1", name,
                   rec.lineno);
      double x0 = num(rec.fields[0], "X0", rec.lineno);
      double y0 = num(rec.fields[1], "Y0", rec.lineno);
      double x1 = num(rec.fields[2], "X1", rec.lineno);
      double y1 = num(rec.fields[3], "Y1", rec.lineno);
      cr_assert(x0 <= x1 && y0 <= y1, "%s line %ld: box inside out", name,
                rec.lineno);
      cr_assert(x0 >= -1 && y0 >= -1 && x1 <= page_w + 1 && y1 <= page_h + 1,
                "%s line %ld: box outside the %gx%g page", name, rec.lineno,
                page_w, page_h);
    }
  }
  close_grid(&g, name);
  cr_assert_geq(pages_said, 1, "%s: no @@source", name);
  cr_assert_eq(pages_seen, pages_said, "%s: %ld @@page of %ld pages", name,
               pages_seen, pages_said);
  stream_reader_free(rd);
  fclose(f);
  free(ex);
  free(out);
  free(doc);
}

static int valid_id(const char *id)
{
  size_t n = strlen(id);
  if (n == 2 && id[0] >= '0' && id[0] <= '1' && id[1] >= '0' && id[1] <= '9')
    return strcmp(id, "00") != 0 && strcmp(id, "15") <= 0;
  if (n < 2 || id[0] != 'x')
    return 0;
  for (size_t i = 1; i < n; i++)
    if (id[i] < '0' || id[i] > '9')
      return 0;
  return 1;
}

static void check_tables(const char *name)
{
  char *doc = h_fmt("%s/samples/%s/doc.pdf", h_home(), name);
  char *mid = h_fmt("%s/%s.stream", tmp, name);
  char *out = h_fmt("%s/%s.tables", tmp, name);
  char *ex = h_bin("budget-extract"), *nz = h_bin("budget-normalize");
  char *rules = h_fmt("%s/rules", h_home());
  char *a1[] = {ex, doc, NULL};
  h_result r = h_run(a1, NULL);
  cr_assert_eq(r.status, 0, "%s: extract exit %d: %s", name, r.status,
               r.err);
  h_write(mid, r.out, r.outlen);
  h_result_free(&r);
  char *a2[] = {nz, "--rules", rules, mid, NULL};
  r = h_run(a2, NULL);
  cr_assert_eq(r.status, 0, "%s: normalize exit %d: %s", name, r.status,
               r.err);
  h_write(out, r.out, r.outlen);
  h_result_free(&r);

  FILE *f = fopen(out, "rb");
  cr_assert_not_null(f);
  stream_reader *rd = stream_reader_new(f, out);
  stream_record rec;
  stream_kind k;
  int inside = 0;
  long width = -1, tables = 0;
  while ((k = stream_read(rd, &rec)) != STREAM_EOF) {
    cr_assert_neq(k, STREAM_ERROR, "%s: %s", name, rec.error);
    if (k == STREAM_DIRECTIVE && strcmp(rec.keyword, "table") == 0) {
      cr_assert_not(inside, "%s line %ld: @@table inside a table", name,
                    rec.lineno);
      cr_assert_eq(rec.nfields, 6,
                   "%s line %ld: @@table ID CANONICAL PRINTED FIRST LAST "
                   "UNIT",
                   name, rec.lineno);
      cr_assert(valid_id(rec.fields[0]), "%s line %ld: table ID '%s'", name,
                rec.lineno, rec.fields[0]);
      double first = num(rec.fields[3], "FIRST", rec.lineno);
      double last = num(rec.fields[4], "LAST", rec.lineno);
      cr_assert(first >= 1 && first <= last, "%s line %ld: pages %g-%g",
                name, rec.lineno, first, last);
      const char *unit = rec.fields[5];
      cr_assert(strcmp(unit, "万元") == 0 || strcmp(unit, "元") == 0 ||
                    unit[0] == '\0',
                "%s line %ld: unit '%s'", name, rec.lineno, unit);
      inside = 1;
      width = -1;
      tables++;
    } else if (k == STREAM_DIRECTIVE && strcmp(rec.keyword, "columns") == 0) {
      cr_assert(inside && width < 0, "%s line %ld: stray @@columns", name,
                rec.lineno);
      width = (long)rec.nfields;
      cr_assert_geq(width, 1);
    } else if (k == STREAM_DIRECTIVE && strcmp(rec.keyword, "end") == 0) {
      cr_assert(inside && width >= 1, "%s line %ld: stray @@end", name,
                rec.lineno);
      inside = 0;
    } else if (inside && (k == STREAM_ROW || k == STREAM_TEXT)) {
      cr_assert_geq(width, 1, "%s line %ld: a row before @@columns", name,
                    rec.lineno);
      size_t n = k == STREAM_TEXT ? 1 : rec.nfields;
      if (width == 1 && n == 2 && rec.fields[1][0] == '\0')
        n = 1;
      cr_assert_eq((long)n, width,
                   "%s line %ld: a row of %zu cells under %ld columns", name,
                   rec.lineno, n, width);
    }
  }
  cr_assert_not(inside, "%s: the last table has no @@end", name);
  cr_assert_geq(tables, 1, "%s: no table", name);
  stream_reader_free(rd);
  fclose(f);
  free(rules);
  free(nz);
  free(ex);
  free(out);
  free(mid);
  free(doc);
}

Test(stream_contract, tables_qingshan_agri) { check_tables("qingshan-agri"); }
Test(stream_contract, tables_baihe_school) { check_tables("baihe-school"); }
Test(stream_contract, tables_hexi_water) { check_tables("hexi-water"); }
Test(stream_contract, tables_nanshan_edu) { check_tables("nanshan-edu"); }
Test(stream_contract, tables_qingfeng_market)
{
  check_tables("qingfeng-market");
}

Test(stream_contract, qingshan_agri) { check_stream("qingshan-agri"); }
Test(stream_contract, baihe_school) { check_stream("baihe-school"); }
Test(stream_contract, hexi_water) { check_stream("hexi-water"); }
Test(stream_contract, nanshan_edu) { check_stream("nanshan-edu"); }
Test(stream_contract, qingfeng_market) { check_stream("qingfeng-market"); }
