/*
** budget-extract on the project's own sample PDFs: the stream it writes
** (docs/stream.md) and that the same input gives the same bytes.
*/
#include "helpers.h"

static h_result extract(const char *sample)
{
  char *bin = h_bin("budget-extract");
  char *pdf = h_fmt("%s/samples/%s/doc.pdf", h_home(), sample);
  char *argv[] = {bin, pdf, NULL};
  h_result r = h_run(argv, NULL);
  free(bin);
  free(pdf);
  return r;
}

static int count(const char *s, const char *needle)
{
  int n = 0;
  for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
    n++;
  return n;
}

/* The first line of a grid directive, or NULL. */
static const char *nth_grid(const char *s, int n)
{
  const char *p = s;
  for (int i = 0; i <= n; i++) {
    p = strstr(p, "\n@@grid\t");
    if (!p)
      return NULL;
    p++;
  }
  return p;
}

Test(extract_program, stream_has_pages_and_a_ruled_grid)
{
  h_result r = extract("qingshan-agri");
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_empty(r.err);
  cr_assert(strncmp(r.out, "@@budget-stream\t1\n@@source\t", 27) == 0);
  /* Six pages: five form feeds between them, one @@page each. */
  cr_assert_eq(count(r.out, "\n@@page\t"), 6);
  cr_assert_eq(count(r.out, "\f"), 5);
  /* The 03 table on page 3 is fully ruled, twelve columns, and its
  ** 科目编码 header spans 类 款 项. */
  const char *page3 = strstr(r.out, "@@page\t3\t");
  cr_assert_not_null(page3);
  const char *g = strstr(page3, "@@grid\t12\t");
  cr_assert_not_null(g, "no 12-column grid on page 3");
  cr_assert(strstr(g, "\truled\t") && strstr(g, "\truled\t") < strchr(g, '\n'));
  cr_assert_not_null(strstr(g, "\n@@span\t0\t0\t1\t3\n"));
  cr_assert_not_null(strstr(g, "\n科目编码\t\t\t"));
  h_result_free(&r);
}

Test(extract_program, same_input_same_bytes)
{
  h_result a = extract("nanshan-edu"), b = extract("nanshan-edu");
  cr_assert_eq(a.status, 0);
  cr_assert_eq(a.outlen, b.outlen);
  cr_assert(memcmp(a.out, b.out, a.outlen) == 0);
  h_result_free(&a);
  h_result_free(&b);
}

/* Every grid row carries as many cells as its @@grid says. */
Test(extract_program, grid_rows_have_their_column_count)
{
  const char *samples[] = {"qingshan-agri", "hexi-water", "nanshan-edu",
                           "baihe-school"};
  for (size_t s = 0; s < sizeof samples / sizeof *samples; s++) {
    h_result r = extract(samples[s]);
    cr_assert_eq(r.status, 0, "%s: %s", samples[s], r.err);
    int grids = 0;
    for (const char *g; (g = nth_grid(r.out, grids)); grids++) {
      int cols = atoi(g + strlen("@@grid\t"));
      const char *line = strchr(g, '\n') + 1;
      while (*line && *line != '\n') {
        const char *end = strchr(line, '\n');
        cr_assert_not_null(end);
        if (strncmp(line, "@@", 2) != 0) {
          int tabs = 0;
          for (const char *c = line; c < end; c++)
            tabs += *c == '\t';
          cr_assert_eq(tabs + 1, cols, "%s: row of %d cells in a %d-column grid",
                       samples[s], tabs + 1, cols);
        }
        line = end + 1;
      }
    }
    cr_assert_gt(grids, 0, "%s: no grid", samples[s]);
    h_result_free(&r);
  }
}
