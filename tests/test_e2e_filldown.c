/*
** --fill-down end to end on the samples: a label merged down over rows is
** repeated in every row of its span, and nothing else changes: every cell
** is the expected clean CSV's, or, where that is empty, the filled value
** of the cell above; amounts are never repeated; a document without span
** information (text input) comes out exactly as without the option.
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

TestSuite(filldown, .init = setup, .fini = teardown, .timeout = 120);

static csv_doc run_table(const char *sample, const char *ext, const char *id,
                         const char *opt)
{
  char *doc = h_fmt("%s/samples/%s/doc.%s", h_home(), sample, ext);
  char *b2c = h_bin("budget2csv");
  char *argv[] = {b2c, doc, "--table", (char *)id, (char *)opt, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s %s: exit %d: %s", sample, id, r.status, r.err);
  csv_doc d = csv_parse(r.out);
  h_result_free(&r);
  free(b2c);
  free(doc);
  return d;
}

static csv_doc expected(const char *sample, const char *id)
{
  char *p = h_fmt("%s/samples/%s/expected/%s.csv", h_home(), sample, id);
  char *s = h_read(p, NULL);
  cr_assert_not_null(s, "%s", p);
  csv_doc d = csv_parse(s);
  free(s);
  free(p);
  return d;
}

/* An amount as the clean CSVs write them: digits with decimals. */
static int amount(const char *s)
{
  const char *dot = strchr(s, '.');
  return dot && dot > s && strspn(s, "-0123456789.") == strlen(s);
}

/* Compares the filled table with expected/; returns the cells filled. */
static size_t check_filled(const char *sample, const char *id)
{
  csv_doc want = expected(sample, id);
  csv_doc got = run_table(sample, "pdf", id, "--fill-down");
  cr_assert_eq(got.nrows, want.nrows, "%s %s rows", sample, id);
  size_t filled = 0;
  for (size_t r = 0; r < want.nrows; r++) {
    cr_assert_eq(got.widths[r], want.widths[r]);
    for (size_t c = 0; c < want.widths[r]; c++) {
      const char *g = got.rows[r][c], *w = want.rows[r][c];
      if (!strcmp(g, w))
        continue;
      cr_assert(r > 1 && !w[0], "%s %s row %zu col %zu: '%s' for '%s'", sample,
                id, r, c + 1, g, w);
      cr_assert_str_eq(g, got.rows[r - 1][c],
                       "%s %s row %zu col %zu: a fill repeats the row above",
                       sample, id, r, c + 1);
      cr_assert(!amount(g), "%s %s row %zu: amount %s repeated", sample, id,
                r, g);
      filled++;
    }
  }
  csv_free(&got);
  csv_free(&want);
  return filled;
}

/* 12: 类型 and 项目单位 merged down, their text centred over the span. */
Test(filldown, hexi_water_12_types_and_units)
{
  cr_assert_eq(check_filled("hexi-water", "12"), 6);
  csv_doc got = run_table("hexi-water", "pdf", "12", "--fill-down");
  cr_assert_str_eq(csv_at(&got, 3, 0), "其他运转类");
  cr_assert_str_eq(csv_at(&got, 3, 2), "河西区水利局");
  cr_assert_str_eq(csv_at(&got, 6, 0), "特定目标类");
  cr_assert_str_eq(csv_at(&got, 6, 2), "河西区水利工程服务中心");
  /* The 合计 row is no span's: its empty cells stay empty. */
  cr_assert_str_eq(csv_at(&got, 1, 1), "");
  csv_free(&got);
}

/* 07 over two pages: 项目单位 and 类型 merged down, on each page. */
Test(filldown, nanshan_edu_07_over_two_pages)
{
  cr_assert_gt(check_filled("nanshan-edu", "07"), 10);
  csv_doc got = run_table("nanshan-edu", "pdf", "07", "--fill-down");
  for (size_t r = 2; r < got.nrows; r++)
    for (size_t c = 0; c < 2; c++)
      cr_assert(csv_at(&got, r, c)[0], "07 row %zu col %zu empty", r, c + 1);
  cr_assert_str_eq(csv_at(&got, 12, 0), "南山区第二实验小学");
  cr_assert_str_eq(csv_at(&got, 12, 1), "公用经费");
  csv_free(&got);
}

/* 15: the project's code and name merged down over its indicator rows;
** its amounts, merged down too, are not repeated. */
Test(filldown, nanshan_edu_15_codes_not_amounts)
{
  check_filled("nanshan-edu", "15");
  csv_doc got = run_table("nanshan-edu", "pdf", "15", "--fill-down");
  csv_doc want = expected("nanshan-edu", "15");
  size_t code_rows = 0;
  for (size_t r = 2; r < got.nrows; r++) {
    cr_assert_eq(strlen(csv_at(&got, r, 0)), 21, "row %zu code", r);
    cr_assert(csv_at(&got, r, 1)[0]);
    cr_assert_str_eq(csv_at(&got, r, 2), csv_at(&want, r, 2));
    code_rows++;
  }
  cr_assert_gt(code_rows, 3);
  csv_free(&want);
  csv_free(&got);
}

/* The 14 form's cells merged down (labels over their rows) fill too, and
** every other table of every PDF sample only gains fills. */
Test(filldown, every_pdf_table_only_gains_fills)
{
  const char *samples[] = {"qingshan-agri", "baihe-school", "hexi-water",
                           "nanshan-edu", "qingfeng-market"};
  for (size_t i = 0; i < 5; i++) {
    char *p = h_fmt("%s/samples/%s/expected", h_home(), samples[i]);
    char *l = h_listing(p);
    for (char *n = l; *n;) {
      char *nl = strchr(n, '\n');
      *nl = '\0';
      /* Tables only: 01.csv … 15.csv, x1.csv … (not tables.csv,
      ** document.csv). */
      if ((n[0] == 'x' || (n[0] >= '0' && n[0] <= '9')) &&
          n[1] >= '0' && n[1] <= '9') {
        n[strlen(n) - 4] = '\0';
        check_filled(samples[i], n);
      }
      n = nl + 1;
    }
    free(l);
    free(p);
  }
}

/* Text input carries no spans: nothing is filled. */
Test(filldown, text_input_is_left_as_it_is)
{
  const char *ids[] = {"01", "05", "09"};
  for (size_t k = 0; k < 3; k++) {
    char *p = h_fmt("%s/samples/text-paste/expected/%s.csv", h_home(), ids[k]);
    if (!h_exists(p)) {
      free(p);
      continue;
    }
    char *want = h_read(p, NULL);
    char *doc = h_fmt("%s/samples/text-paste/doc.txt", h_home());
    char *b2c = h_bin("budget2csv");
    char *argv[] = {b2c, doc, "--table", (char *)ids[k], "--fill-down", NULL};
    h_result r = h_run(argv, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, want, "text-paste %s changed", ids[k]);
    h_result_free(&r);
    free(b2c);
    free(doc);
    free(want);
    free(p);
  }
}
