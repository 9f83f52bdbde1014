/* header.c and repair.c on their own: where a header ends, how its rows
** flatten to paths (with spans, and with parents inferred from TSV), and
** when a TSV row is the wrapped tail of the cell above. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "header.h"
#include "repair.h"
#include "rows.h"
#include "project_rules.h"

static ruleset rs;

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(normalize_header, .init = setup, .fini = teardown);


static void expect_paths(trow **rows, size_t h, size_t ncols,
                         const hspan *spans, size_t nspans,
                         const char *const *want)
{
  char **paths = calloc(ncols, sizeof *paths);
  cr_assert_eq(header_flatten(rows, h, ncols, spans, nspans, paths), 0);
  for (size_t c = 0; c < ncols; c++) {
    cr_assert_str_eq(paths[c], want[c], "column %zu", c);
    free(paths[c]);
  }
  free(paths);
}

Test(normalize_header, body_rows)
{
  trow *a = mkrow("项目\t金额\t项目\t合计");
  trow *b = mkrow("一、一般公共预算拨款收入\t4596.71\t一、一般公共服务\t");
  trow *c = mkrow("合计\t\t\t");
  trow *d = mkrow("\t\t\t合计\t一般公共预算");
  trow *e = mkrow("一、一般公共预算拨款收入\t\t一、一般公共服务\t");
  cr_assert_not(header_is_body(&rs, a));
  cr_assert(header_is_body(&rs, b));
  cr_assert(header_is_body(&rs, c), "an empty table's 合计 row");
  cr_assert_not(header_is_body(&rs, d), "合计 among header words");
  cr_assert(header_is_body(&rs, e), "numbered row labels only");
  trow *rows[] = {a, d, b, c};
  cr_assert_eq(header_infer(&rs, rows, 4), 2);
  trow *only[] = {a, d};
  cr_assert_eq(header_infer(&rs, only, 2), 2, "header only: all rows");
  freerow(a), freerow(b), freerow(c), freerow(d), freerow(e);
}

Test(normalize_header, tsv_parents_inferred)
{
  trow *r0 = mkrow("科目编码\t\t\t单位代 码\t单位（科目名称）\t合计\t基本支出\t\t\t项目支出\t");
  trow *r1 = mkrow("类\t款\t项\t\t\t\t小计\t人员经费\t\t小计\t特定 目标 类");
  trow *r2 = mkrow("\t\t\t\t\t\t\t工资福利支 出\t对个人和家 庭的补助\t\t");
  trow *rows[] = {r0, r1, r2};
  const char *want[] = {
      "科目编码/类", "科目编码/款", "科目编码/项", "单位代码", "单位（科目名称）",
      "合计", "基本支出/小计", "基本支出/人员经费/工资福利支出",
      "基本支出/人员经费/对个人和家庭的补助", "项目支出/小计",
      "项目支出/特定目标类"};
  expect_paths(rows, 3, 11, NULL, 0, want);
  freerow(r0), freerow(r1), freerow(r2);
}

Test(normalize_header, spans_decide_and_brackets_join)
{
  /* 收入 spans 2 columns, 合计 spans 2 rows; （项目编码） is a wrapped end. */
  trow *r0 = mkrow("收入\t\t合计\t单位编码");
  trow *r1 = mkrow("项目\t金额\t\t（项目编码）");
  trow *rows[] = {r0, r1};
  hspan spans[] = {{0, 1, 0, 2}, {0, 2, 2, 3}};
  const char *want[] = {"收入/项目", "收入/金额", "合计", "单位编码（项目编码）"};
  expect_paths(rows, 2, 4, spans, 2, want);
  freerow(r0), freerow(r1);
}

Test(normalize_header, signature_ignores_layout_spaces)
{
  trow *a = mkrow("科目 编码\t名称\t\t");
  trow *b = mkrow("科目编码\t名 称");
  char *sa = header_signature(a), *sb = header_signature(b);
  cr_assert_str_eq(sa, sb);
  free(sa), free(sb);
  freerow(a), freerow(b);
}

Test(normalize_header, continuation_rows)
{
  trow *prev = mkrow("201\t03\t02\t\t一般行政管理事\t25.15");
  trow *tail = mkrow("\t\t\t\t务\t");
  cr_assert_eq(repair_continuation(&rs, prev, tail), 1);
  cr_assert_str_eq(prev->cells[4], "一般行政管理事务");

  trow *label = mkrow("本年收入合计\t3356.28\t本年支出合计\t3356.28");
  trow *next = mkrow("上年结转结余\t\t\t");
  cr_assert_eq(repair_continuation(&rs, label, next), 0, "two rows");

  trow *item = mkrow("\t\t十、卫生健康\t183.23");
  trow *item2 = mkrow("\t\t十一、节能环保\t");
  cr_assert_eq(repair_continuation(&rs, item, item2), 0, "a numbered item");

  trow *amount = mkrow("\t\t\t\t12.00\t");
  cr_assert_eq(repair_continuation(&rs, prev, amount), 0, "an amount");
  cr_assert_eq(repair_continuation(&rs, NULL, tail), 0, "nothing above");
  freerow(prev), freerow(tail), freerow(label), freerow(next);
  freerow(item), freerow(item2), freerow(amount);
}

Test(normalize_header, complete_from_vocabulary)
{
  char *p = strdup("项目支出/运转类经费（专项业");
  const rule *which = NULL;
  cr_assert_eq(header_complete(&rs, &p, &which), 1);
  cr_assert_str_eq(p, "项目支出/运转类经费（专项业务）");
  cr_assert_str_eq(which->name, "run-special");
  cr_assert_eq(header_complete(&rs, &p, &which), 0, "whole already");
  free(p);
  p = strdup("单位（");
  cr_assert_eq(header_complete(&rs, &p, &which), 1);
  cr_assert_str_eq(p, "单位（科目名称）");
  free(p);
  p = strdup("部门（单位");
  cr_assert_eq(header_complete(&rs, &p, &which), 0, "two terms start so");
  cr_assert_str_eq(p, "部门（单位");
  free(p);
}

Test(normalize_header, parent_shifted_right_moves_back)
{
  /* 项目支出 printed over 公用经费's second child (seed damage). */
  trow *r0 = mkrow("基本支出\t\t\t\t项目支出\t");
  trow *r1 = mkrow("小计\t人员经费\t\t公用经费\t\t小计");
  trow *r2 = mkrow("\t工资\t补助\t商品\t资本\t");
  trow *rows[] = {r0, r1, r2};
  cr_assert_eq(header_fix_shifted(rows, 3, 6), 1);
  const char *want[] = {"基本支出/小计", "基本支出/人员经费/工资",
                        "基本支出/人员经费/补助", "基本支出/公用经费/商品",
                        "基本支出/公用经费/资本", "项目支出/小计"};
  expect_paths(rows, 3, 6, NULL, 0, want);
  /* A well-formed header is left alone. */
  cr_assert_eq(header_fix_shifted(rows, 3, 6), 0);
  freerow(r0), freerow(r1), freerow(r2);
}
