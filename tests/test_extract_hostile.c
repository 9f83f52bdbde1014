/*
** budget-extract and budget2csv on odd PDFs the test draws itself with
** cairo: a huge page, a page of prose only, a page dense with numbers, a
** page rotated by /Rotate. Each must end in its documented status, fast,
** with the usual one line on stderr where it fails.
*/
#include <cairo-pdf.h>
#include <cairo.h>
#include <math.h>

#include "helpers.h"

/* Draws pages of text with cairo's toy API: each string at (x, y). */
typedef struct text_at {
  double x, y;
  const char *s;
} text_at;

/* sideways: the content is drawn turned a quarter left on a portrait
** page, as producers do for a landscape page they then mark /Rotate 90. */
static void draw_pdf_turned(const char *path, double w, double h,
                            const text_at *t, size_t n, int dense,
                            int sideways)
{
  cairo_surface_t *s = cairo_pdf_surface_create(path, w, h);
  cairo_t *cr = cairo_create(s);
  if (sideways) {
    cairo_translate(cr, 0, h);
    cairo_rotate(cr, -M_PI / 2);
  }
  cairo_select_font_face(cr, "WenQuanYi Micro Hei", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 10);
  for (size_t i = 0; i < n; i++) {
    cairo_move_to(cr, t[i].x, t[i].y);
    cairo_show_text(cr, t[i].s);
  }
  if (dense) {
    char num[16];
    for (int r = 0; r < 70; r++)
      for (int c = 0; c < 18; c++) {
        snprintf(num, sizeof num, "%d.%02d", (r * 31 + c * 7) % 997, c);
        cairo_move_to(cr, 20 + c * 32, 20 + r * 11);
        cairo_show_text(cr, num);
      }
  }
  cairo_destroy(cr);
  cairo_surface_destroy(s);
}

static void draw_pdf(const char *path, double w, double h,
                     const text_at *t, size_t n, int dense)
{
  draw_pdf_turned(path, w, h, t, n, dense, 0);
}

static h_result run_extract(const char *pdf)
{
  char *bin = h_bin("budget-extract");
  char *argv[] = {bin, (char *)pdf, NULL};
  h_result r = h_run(argv, NULL);
  free(bin);
  return r;
}

/* Each test's private folder; teardown() removes it even when an
** assertion ends the test early. */
static char *dir;
static void setup(void) { dir = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(dir);
  free(dir);
}

TestSuite(hostile, .init = setup, .fini = teardown, .timeout = 120);

Test(hostile, huge_page_is_read_without_its_bitmap)
{
  char *pdf = h_fmt("%s/huge.pdf", dir);
  text_at t[] = {{100, 100, "2024年部门收支预算表"}, {100, 130, "项目"},
                 {400, 130, "金额"}, {100, 150, "合计"}, {400, 150, "12.50"}};
  draw_pdf(pdf, 14000, 14000, t, sizeof t / sizeof *t, 0);
  h_result r = run_extract(pdf);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_not_null(strstr(r.out, "@@page\t1\t14000.0\t14000.0\t"));
  cr_assert_not_null(strstr(r.out, "2024年部门收支预算表"));
  h_result_free(&r);
  free(pdf);
}

Test(hostile, prose_only_pdf_is_no_tables)
{
  char *pdf = h_fmt("%s/prose.pdf", dir);
  char *out = h_fmt("%s/out", dir);
  text_at t[] = {{60, 80, "一、部门主要职责"},
                 {60, 100, "负责本行政区域内的市场监督管理工作。"},
                 {60, 120, "二、部门预算情况说明"}};
  draw_pdf(pdf, 595, 842, t, sizeof t / sizeof *t, 0);
  char *bin = h_bin("budget2csv");
  char *argv[] = {bin, pdf, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 7, "status %d, stderr: %s", r.status, r.err);
  cr_assert_eq(h_lines(r.err), 1, "stderr: %s", r.err);
  cr_assert(!h_exists(out), "no output folder for a document without tables");
  h_result_free(&r);
  free(bin);
  free(out);
  free(pdf);
}

Test(hostile, dense_page_of_numbers_ends)
{
  char *pdf = h_fmt("%s/dense.pdf", dir);
  draw_pdf(pdf, 595, 842, NULL, 0, 1);
  h_result r = run_extract(pdf);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_not_null(strstr(r.out, "@@page\t1\t"));
  h_result_free(&r);
  free(pdf);
}

/* A landscape page stored sideways with /Rotate 90 (A3 tables in Word
** exports): text and rules are read as displayed, upright. */
Test(hostile, rotated_page_is_read_as_displayed)
{
  char *flat = h_fmt("%s/flat.pdf", dir);
  char *pdf = h_fmt("%s/rotated.pdf", dir);
  text_at t[] = {{100, 100, "收支预算总表"}, {100, 130, "项目"},
                 {300, 130, "金额"}, {100, 150, "合计"}, {300, 150, "9.00"},
                 {100, 170, "其他"}, {300, 170, "1.00"}};
  draw_pdf_turned(flat, 595, 842, t, sizeof t / sizeof *t, 0, 1);
  char *cmd = h_fmt("qpdf --rotate=+90 '%s' '%s'", flat, pdf);
  int rc = system(cmd);
  cr_assert_eq(rc, 0, "qpdf --rotate failed");
  h_result r = run_extract(pdf);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_not_null(strstr(r.out, "@@page\t1\t842.0\t595.0\t"), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "\n收支预算总表\n"), "%s", r.out);
  cr_assert_not_null(strstr(r.out, "合计\t9.00"), "%s", r.out);
  h_result_free(&r);
  free(cmd);
  free(pdf);
  free(flat);
}
