/*
** provenance.csv on the bundled samples: every CSV row of every table has
** one record, numbered as the CSV numbers its body rows; its page is one
** the table spans and holds the row's text; its box lies inside that page
** and is the @@at the extractor wrote before the very stream line the
** record names. For the text sample, the line is the document's own line
** holding the row, on the page its form feeds give. --page-column adds
** that page to the table and changes nothing else.
*/
#include <criterion/criterion.h>

#include "csvparse.h"
#include "helpers.h"

static char *tmp;
static void setup(void) { tmp = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
}

TestSuite(provenance, .init = setup, .fini = teardown, .timeout = 120);

/* s without spaces (ASCII, U+3000) and thousands commas: a cell as clean
** CSV has it and the same text as the page prints it compare equal. */
static char *squeeze(const char *s)
{
  char *o = malloc(strlen(s) + 1), *w = o;
  while (*s) {
    if (*s == ' ' || *s == '\t' || *s == ',' || *s == '\f')
      s++;
    else if (!strncmp(s, "\xE3\x80\x80", 3))
      s += 3;
    else
      *w++ = *s++;
  }
  *w = '\0';
  return o;
}

/* The stream split into lines (1-based: lines[1] is the first). */
typedef struct lines {
  char **v;
  size_t n;
} lines;

static lines split_lines(char *s)
{
  lines L = {calloc(2, sizeof(char *)), 1};
  for (char *p = s; *p;) {
    char *nl = strchr(p, '\n');
    if (nl)
      *nl = '\0';
    L.v = realloc(L.v, (L.n + 2) * sizeof *L.v);
    L.v[L.n++] = p;
    if (!nl)
      break;
    p = nl + 1;
  }
  return L;
}

static char *run_folder(const char *doc, const char *out, const char *extra)
{
  char *b2c = h_bin("budget2csv");
  char *argv[] = {b2c, (char *)doc, "-o", (char *)out, (char *)extra, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s: exit %d: %s", doc, r.status, r.err);
  h_result_free(&r);
  free(b2c);
  return h_fmt("%s/provenance.csv", out);
}

static csv_doc read_csv(const char *dir, const char *name)
{
  char *p = h_fmt("%s/%s", dir, name);
  char *s = h_read(p, NULL);
  cr_assert_not_null(s, "%s not written", p);
  csv_doc d = csv_parse(s);
  free(s);
  free(p);
  return d;
}

/* The first non-empty cell of a CSV record. */
static const char *first_text(const csv_doc *d, size_t r)
{
  for (size_t c = 0; c < d->widths[r]; c++)
    if (d->rows[r][c][0])
      return d->rows[r][c];
  return "";
}

/* Checks the record counts and numbering against tables.csv; calls
** row_check(table csv, row, provenance record) for each row. */
typedef void (*row_fn)(const char *sample, const csv_doc *t, size_t row,
                       const csv_doc *prov, size_t rec, void *ctx);

static void check_records(const char *sample, const char *out, row_fn fn,
                          void *ctx)
{
  csv_doc idx = read_csv(out, "tables.csv");
  csv_doc prov = read_csv(out, "provenance.csv");
  cr_assert_str_eq(csv_at(&prov, 0, 0), "table");
  cr_assert_str_eq(csv_at(&prov, 0, 7), "line");
  size_t rec = 1, total = 0;
  for (size_t i = 1; i < idx.nrows; i++) {
    const char *id = csv_at(&idx, i, 0);
    int first = atoi(csv_at(&idx, i, 3)), last = atoi(csv_at(&idx, i, 4));
    size_t rows = (size_t)atol(csv_at(&idx, i, 5));
    char *name = h_fmt("%s.csv", id);
    csv_doc t = read_csv(out, name);
    cr_assert_eq(t.nrows, rows + 1, "%s/%s rows", sample, name);
    for (size_t r = 1; r <= rows; r++, rec++) {
      cr_assert_lt(rec, prov.nrows, "%s: provenance.csv ends early", sample);
      cr_assert_str_eq(csv_at(&prov, rec, 0), id, "%s: record %zu", sample,
                       rec);
      cr_assert_eq(atol(csv_at(&prov, rec, 1)), (long)r, "%s: %s row", sample,
                   id);
      int page = atoi(csv_at(&prov, rec, 2));
      cr_assert(page >= first && page <= last,
                "%s: %s row %zu on page %d, table spans %d-%d", sample, id, r,
                page, first, last);
      fn(sample, &t, r, &prov, rec, ctx);
    }
    total += rows;
    csv_free(&t);
    free(name);
  }
  cr_assert_eq(prov.nrows, total + 1, "%s: provenance.csv has %zu records "
               "for %zu rows", sample, prov.nrows - 1, total);
  csv_free(&idx);
  csv_free(&prov);
}

/* ---- PDF samples --------------------------------------------------------- */

typedef struct pdf_ctx {
  lines L;           /* budget-extract's stream */
  size_t *page_at;   /* per stream line: its page */
  double w[64], h[64];
} pdf_ctx;

static void pdf_row(const char *sample, const csv_doc *t, size_t r,
                    const csv_doc *prov, size_t rec, void *vctx)
{
  pdf_ctx *x = vctx;
  int page = atoi(csv_at(prov, rec, 2));
  double x0 = atof(csv_at(prov, rec, 3)), y0 = atof(csv_at(prov, rec, 4));
  double x1 = atof(csv_at(prov, rec, 5)), y1 = atof(csv_at(prov, rec, 6));
  long line = atol(csv_at(prov, rec, 7));
  cr_assert(csv_at(prov, rec, 3)[0], "%s: record %zu has no box", sample, rec);
  cr_assert(page > 0 && page < 64);
  cr_assert(x0 >= 0 && x0 < x1 && x1 <= x->w[page] && y0 >= 0 && y0 < y1 &&
                y1 <= x->h[page],
            "%s: record %zu box %.1f %.1f %.1f %.1f outside page %d", sample,
            rec, x0, y0, x1, y1, page);
  cr_assert(line > 1 && (size_t)line < x->L.n, "%s: record %zu line %ld",
            sample, rec, line);
  cr_assert_eq(x->page_at[line], (size_t)page, "%s: line %ld is not on page %d",
               sample, line, page);
  const char *row = x->L.v[line], *at = x->L.v[line - 1];
  cr_assert(strchr(row, '\t'), "%s: line %ld is no row: %s", sample, line, row);
  char *want_at = h_fmt("@@at\t%s\t%s\t%s\t%s", csv_at(prov, rec, 3),
                        csv_at(prov, rec, 4), csv_at(prov, rec, 5),
                        csv_at(prov, rec, 6));
  cr_assert_str_eq(at, want_at, "%s: the box is not the row's @@at", sample);
  /* The row's text is on that line (a wrapped cell's lines are joined
  ** there too). */
  char *cell = squeeze(first_text(t, r)), *got = squeeze(row);
  cr_assert(strstr(got, cell), "%s: row %zu ('%s') is not line %ld: %s",
            sample, r, first_text(t, r), line, row);
  free(cell);
  free(got);
  free(want_at);
}

static void check_pdf(const char *sample)
{
  char *doc = h_fmt("%s/samples/%s/doc.pdf", h_home(), sample);
  char *out = h_fmt("%s/out", tmp);
  free(run_folder(doc, out, NULL));
  char *bx = h_bin("budget-extract");
  char *argv[] = {bx, doc, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0);
  pdf_ctx x;
  memset(&x, 0, sizeof x);
  x.L = split_lines(r.out);
  x.page_at = calloc(x.L.n + 1, sizeof *x.page_at);
  size_t page = 0;
  for (size_t i = 1; i < x.L.n; i++) {
    int pg;
    double w, h;
    if (sscanf(x.L.v[i], "@@page\t%d\t%lf\t%lf", &pg, &w, &h) == 3 && pg < 64) {
      page = (size_t)pg;
      x.w[pg] = w;
      x.h[pg] = h;
    }
    x.page_at[i] = page;
  }
  check_records(sample, out, pdf_row, &x);
  free(x.page_at);
  free(x.L.v);
  h_result_free(&r);
  free(bx);
  free(out);
  free(doc);
}

Test(provenance, qingshan_agri) { check_pdf("qingshan-agri"); }
Test(provenance, baihe_school) { check_pdf("baihe-school"); }
Test(provenance, hexi_water) { check_pdf("hexi-water"); }
Test(provenance, nanshan_edu) { check_pdf("nanshan-edu"); }
Test(provenance, qingfeng_market) { check_pdf("qingfeng-market"); }

/* 07 of nanshan-edu runs over pages 2 and 3 (tools/mksample.c): the rows
** printed on page 3 say so, one by one. */
Test(provenance, table_over_two_pages_gives_each_row_its_page)
{
  char *doc = h_fmt("%s/samples/nanshan-edu/doc.pdf", h_home());
  char *out = h_fmt("%s/out", tmp);
  free(run_folder(doc, out, NULL));
  csv_doc prov = read_csv(out, "provenance.csv");
  csv_doc t = read_csv(out, "07.csv");
  int seen2 = 0, seen3 = 0;
  for (size_t i = 1; i < prov.nrows; i++) {
    if (strcmp(csv_at(&prov, i, 0), "07"))
      continue;
    size_t row = (size_t)atol(csv_at(&prov, i, 1));
    int page = atoi(csv_at(&prov, i, 2));
    seen2 |= page == 2;
    seen3 |= page == 3;
    if (!strcmp(csv_at(&t, row, 0), "南山区第二实验小学"))
      cr_assert_eq(page, 3, "the first row of page 3 is on page %d", page);
  }
  cr_assert(seen2 && seen3, "07 rows not on both pages");
  csv_free(&t);
  csv_free(&prov);
  free(out);
  free(doc);
}

/* ---- the text sample ----------------------------------------------------- */

typedef struct text_ctx {
  lines L;
  int *page_at;
} text_ctx;

static void text_row(const char *sample, const csv_doc *t, size_t r,
                     const csv_doc *prov, size_t rec, void *vctx)
{
  text_ctx *x = vctx;
  for (int c = 3; c <= 6; c++)
    cr_assert_str_eq(csv_at(prov, rec, (size_t)c), "",
                     "%s: text input has no box", sample);
  long line = atol(csv_at(prov, rec, 7));
  cr_assert(line >= 1 && (size_t)line < x->L.n, "%s: record %zu line %ld",
            sample, rec, line);
  cr_assert_eq(x->page_at[line], atoi(csv_at(prov, rec, 2)),
               "%s: line %ld is on page %d", sample, line, x->page_at[line]);
  char *cell = squeeze(first_text(t, r)), *got = squeeze(x->L.v[line]);
  cr_assert(strstr(got, cell), "%s: row %zu ('%s') is not line %ld: %s",
            sample, r, first_text(t, r), line, x->L.v[line]);
  free(cell);
  free(got);
}

Test(provenance, text_input_names_line_and_form_feed_page)
{
  char *doc = h_fmt("%s/samples/text-paste/doc.txt", h_home());
  char *out = h_fmt("%s/out", tmp);
  free(run_folder(doc, out, NULL));
  char *text = h_read(doc, NULL);
  cr_assert_not_null(text);
  text_ctx x;
  x.L = split_lines(text);
  x.page_at = calloc(x.L.n + 1, sizeof *x.page_at);
  int page = 1;
  for (size_t i = 1; i < x.L.n; i++) {
    for (const char *p = x.L.v[i]; *p == '\f'; p++)
      page++;
    x.page_at[i] = page;
  }
  cr_assert_gt(page, 1, "the text sample has form feeds");
  check_records("text-paste", out, text_row, &x);
  free(x.page_at);
  free(x.L.v);
  free(text);
  free(out);
  free(doc);
}

/* ---- --page-column ------------------------------------------------------- */

Test(provenance, page_column_adds_the_page_and_nothing_else)
{
  char *doc = h_fmt("%s/samples/nanshan-edu/doc.pdf", h_home());
  char *a = h_fmt("%s/a", tmp), *b = h_fmt("%s/b", tmp);
  free(run_folder(doc, a, NULL));
  free(run_folder(doc, b, "--page-column"));
  csv_doc prov = read_csv(a, "provenance.csv");
  const char *ids[] = {"07", "14", "15"};
  for (size_t k = 0; k < 3; k++) {
    char *name = h_fmt("%s.csv", ids[k]);
    csv_doc plain = read_csv(a, name), paged = read_csv(b, name);
    cr_assert_eq(plain.nrows, paged.nrows);
    for (size_t r = 0; r < plain.nrows; r++) {
      size_t w = plain.widths[r];
      cr_assert_eq(paged.widths[r], w + 1, "%s row %zu", name, r);
      for (size_t c = 0; c < w; c++)
        cr_assert_str_eq(paged.rows[r][c], plain.rows[r][c]);
      if (r == 0) {
        cr_assert_str_eq(paged.rows[0][w], "page");
        continue;
      }
      const char *want = "";
      for (size_t i = 1; i < prov.nrows; i++)
        if (!strcmp(csv_at(&prov, i, 0), ids[k]) &&
            (size_t)atol(csv_at(&prov, i, 1)) == r)
          want = csv_at(&prov, i, 2);
      cr_assert(want[0]);
      cr_assert_str_eq(paged.rows[r][w], want, "%s row %zu", name, r);
    }
    csv_free(&plain);
    csv_free(&paged);
    free(name);
  }
  csv_free(&prov);
  free(a);
  free(b);
  free(doc);
}

/* --table writes one CSV to stdout and no sidecar anywhere. */
Test(provenance, table_to_stdout_writes_no_sidecar)
{
  char *doc = h_fmt("%s/samples/hexi-water/doc.pdf", h_home());
  char *b2c = h_bin("budget2csv");
  char *argv[] = {b2c, doc, "--table", "12", NULL};
  h_result r = h_run_env(argv, NULL, tmp, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "");
  free(l);
  h_result_free(&r);
  free(b2c);
  free(doc);
}
