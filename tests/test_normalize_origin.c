/*
** normalize/origin.c through normalize_stream: each body row's @@from
** (page, the @@at box, the input line), a row joined from a wrapped
** continuation keeping its first line, pages from form feeds for text
** input, and @@covered exactly where a grid's span covers an empty cell
** under a label (never under an amount, never without a span).
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "segment.h"
#include "project_rules.h"

static ruleset rs;

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(origin, .init = setup, .fini = teardown);

static char *norm(const char *input)
{
  FILE *in = fmemopen((void *)input, strlen(input), "r");
  char *out;
  size_t len;
  FILE *o = open_memstream(&out, &len);
  char err[1024];
  int rc = normalize_stream(&rs, in, "t", o, NULL, err, sizeof err);
  fclose(in);
  fclose(o);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", err);
  return out;
}

/* A 12-like grid on page 3: 类型 merged down over two rows (span 2 0 2 1),
** an amount merged down too (span 2 3 2 1). */
static const char grid[] =
    "@@budget-stream\t1\n"
    "@@page\t3\t842.0\t595.0\t0\n"
    "2024年项目支出预算表\n"
    "单位：万元\n"
    "@@grid\t4\t40.0\t80.0\t800.0\t200.0\truled\t0\n"
    "@@span\t2\t0\t2\t1\n"
    "@@span\t2\t3\t2\t1\n"
    "@@at\t40.0\t80.0\t800.0\t100.0\n"
    "类型\t项目名称\t项目单位\t合计\n"
    "@@at\t40.0\t100.0\t800.0\t120.0\n"
    "合计\t\t\t94.50\n"
    "@@at\t40.0\t120.0\t800.0\t140.0\n"
    "其他运转类\t防汛值班\t河西区水利局\t36.00\n"
    "@@at\t40.0\t140.0\t800.0\t160.0\n"
    "\t水利工程运行维护\t河西区水利局\t\n"
    "\n";

Test(origin, rows_carry_page_box_and_line)
{
  char *out = norm(grid);
  cr_assert(strstr(out, "@@from\t3\t40.0\t100.0\t800.0\t120.0\t11\n合计\t"),
            "%s", out);
  cr_assert(strstr(out, "@@from\t3\t40.0\t120.0\t800.0\t140.0\t13\n其他运转类"),
            "%s", out);
  /* The header row is no body row: no @@from for it. */
  cr_assert_null(strstr(out, "\t9\n"), "%s", out);
  free(out);
}

Test(origin, span_covers_label_not_amount)
{
  char *out = norm(grid);
  cr_assert(strstr(out, "@@from\t3\t40.0\t140.0\t800.0\t160.0\t15\n"
                        "@@covered\t1\n\t水利工程运行维护\t"),
            "%s", out);
  /* Only one @@covered: column 4 under 36.00 is an amount's. */
  const char *c = strstr(out, "@@covered");
  cr_assert_null(strstr(c + 1, "@@covered"), "%s", out);
  free(out);
}

Test(origin, no_span_no_covered_cell)
{
  /* The same grid without its spans: empty cells are only empty. */
  char *g = strdup(grid);
  for (char *p; (p = strstr(g, "@@span"));)
    memcpy(p, "@@junk", 6);
  char *out = norm(g);
  cr_assert_null(strstr(out, "@@covered"), "%s", out);
  free(out);
  free(g);
}

Test(origin, own_output_read_back_keeps_origins)
{
  char *once = norm(grid);
  char *twice = norm(once);
  cr_assert_str_eq(twice, once);
  free(once);
  free(twice);
}

/* Text input: pages by form feed, lines as in the file, a wrapped name's
** tail row joined into the row above, which keeps its own line. */
Test(origin, text_lines_form_feeds_and_wrapped_rows)
{
  const char *txt =
      "2024年部门支出预算表\n"          /* 1 */
      "单位：万元\n"                    /* 2 */
      "科目名称\t合计\t基本支出\n"      /* 3 */
      "合计\t10.00\t10.00\n"            /* 4 */
      "\f2024年部门支出预算表（续）\n"  /* 5, page 2 */
      "科目名称\t合计\t基本支出\n"      /* 6 */
      "机关事业单位基本养老保\t6.00\t6.00\n" /* 7 */
      "险缴费支出\t\t\n"                /* 8 */
      "行政运行\t4.00\t4.00\n";         /* 9 */
  char *out = norm(txt);
  cr_assert(strstr(out, "@@from\t1\t\t\t\t\t4\n合计\t10.00"), "%s", out);
  cr_assert(strstr(out, "@@from\t2\t\t\t\t\t7\n机关事业单位基本养老保险缴费支出\t"),
            "%s", out);
  cr_assert(strstr(out, "@@from\t2\t\t\t\t\t9\n行政运行\t"), "%s", out);
  cr_assert_null(strstr(out, "@@covered"), "%s", out);
  free(out);
}
