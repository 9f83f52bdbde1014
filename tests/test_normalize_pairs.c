/* repair.c's label/value pair repairs on their own, with the repo's rules:
** the rows are those of a real table 15 as another tool extracted it
** (tests/data/normalize/seed-001-excerpt.txt), cut down to the pair run.
** Columns: 0 code, 1 name, 2 amount, 3 成本 label, 4 its value, 5 产出
** label, 6 value, 7 效益 label, 8 value. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "repair.h"
#include "rows.h"
#include "project_rules.h"

static ruleset rs;
static pair_run pr;
static const unsigned char used[] = {1, 1, 1, 0, 0, 1, 1, 1, 1};

static char *paths[] = {"单位编码", "项目名称", "资金总额",
                        "绩效目标/成本指标/三级指标", "绩效目标/成本指标/指标值",
                        "绩效目标/产出指标/三级指标", "绩效目标/产出指标/指标值",
                        "绩效目标/效益指标/三级指标", "绩效目标/效益指标/指标值"};

static void setup(void)
{
  load_project_rules(&rs);
  cr_assert_eq(repair_pair_run(&rs, paths, 9, &pr), 1);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(normalize_pairs, .init = setup, .fini = teardown);


/* The row as a TAB-joined line without trailing empty cells. */
static char *joined(const trow *r)
{
  static char buf[1024];
  size_t len = 0, w = row_width(r);
  buf[0] = '\0';
  for (size_t c = 0; c < w; c++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", c ? "\t" : "",
                            r->cells[c]);
  return buf;
}

static void shifted(const char *in, const char *want, int moved)
{
  trow *r = mkrow(in);
  cr_assert_eq(repair_shift_pairs(&rs, &pr, r, used, sizeof used), moved, "%s",
               in);
  cr_assert_str_eq(joined(r), want);
  freerow(r);
}

Test(normalize_pairs, run_found_from_value_columns)
{
  cr_assert_eq(pr.lo, 3);
  cr_assert_eq(pr.hi, 8);
  pair_run none;
  char *plain[] = {"科目编码", "科目名称", "合计", "人员经费"};
  cr_assert_eq(repair_pair_run(&rs, plain, 4, &none), 0);
  cr_assert(none.hi < none.lo);
}

Test(normalize_pairs, row_printed_a_column_early_moves_right)
{
  /* 采办各项资料期数 ≥80期 sat in the 成本 value and 产出 label columns. */
  shifted("410800220000000022715\t报刊杂志费\t3.00\t\t采办各项资料期数\t≥80期\t无\t无",
          "410800220000000022715\t报刊杂志费\t3.00\t\t\t采办各项资料期数\t≥80期\t无\t无",
          1);
  /* Only the part before the gap was off (中原经济协作区日常工作). */
  shifted("\t\t\t\t参与或组织市长联席会议\t1次\t\t会议精神贯彻情况\t良好",
          "\t\t\t\t\t参与或组织市长联席会议\t1次\t会议精神贯彻情况\t良好", 1);
  /* A pair straddling two pairs: 无 | 无 (no value rule says so). */
  shifted("\t\t\t\t\t\t无\t无", "\t\t\t\t\t\t\t无\t无", 1);
}

Test(normalize_pairs, row_printed_a_column_late_moves_left)
{
  /* The last value column holds a label: it can only move left. */
  shifted("\t\t\t\t\t\t\t\t书籍编纂质量合格率",
          "\t\t\t\t\t\t\t书籍编纂质量合格率", 1);
  /* No room on the right (无 is in the last column). */
  shifted("\t\t\t\t\t\t印刷品一次性验收合格率\t≥98%\t无",
          "\t\t\t\t\t印刷品一次性验收合格率\t≥98%\t\t无", 1);
  /* In place already. */
  shifted("\t\t\t\t\t\t\t印刷品一次性验收合格率\t≥98%",
          "\t\t\t\t\t\t\t印刷品一次性验收合格率\t≥98%", 0);
}

Test(normalize_pairs, rows_in_place_stay)
{
  shifted("410800220000000022625\t办公耗材\t2.00\t\t\t办公用品、耗材采购批次\t≥80批\t无\t无",
          "410800220000000022625\t办公耗材\t2.00\t\t\t办公用品、耗材采购批次\t≥80批\t无\t无",
          0);
  /* A label without its value is no damage by itself. */
  shifted("\t\t\t\t\t成果合格率\t\t共政策制定等的影响程度\t≥99%",
          "\t\t\t\t\t成果合格率\t\t共政策制定等的影响程度\t≥99%", 0);
  /* Short words (明显, 无) prove nothing. */
  shifted("\t\t\t\t\t\t明显\t\t", "\t\t\t\t\t\t明显", 0);
  /* Outside a table of pairs nothing moves. */
  pair_run none = {1, 0};
  trow *r = mkrow("\t\t≥80批\t采办各项资料期数");
  cr_assert_eq(repair_shift_pairs(&rs, &none, r, used, sizeof used), 0);
  freerow(r);
}

Test(normalize_pairs, label_wrapped_over_a_page_break)
{
  trow *prev = mkrow("\t\t\t\t\t资料订\t100%\t采办\t100%");
  trow *tail = mkrow("\t\t\t\t\t阅合格率\t\t杂志使用率\t");
  cr_assert_eq(repair_split_row(&rs, prev, tail, &pr), 1);
  cr_assert_str_eq(prev->cells[5], "资料订阅合格率");
  cr_assert_str_eq(prev->cells[7], "采办杂志使用率");
  freerow(tail);

  /* A new indicator row has its values: never a tail. */
  trow *next = mkrow("\t\t\t\t\t会议召开及时率\t100%\t无\t无");
  cr_assert_eq(repair_split_row(&rs, prev, next, &pr), 0);
  freerow(next);
  /* Text in a value column (明显 under 100%) is a row of its own. */
  trow *own = mkrow("\t\t\t\t\t\t\t对单位履职的提升程度\t明显");
  cr_assert_eq(repair_split_row(&rs, prev, own, &pr), 0);
  freerow(own);
  freerow(prev);
  /* Without the run, an end longer than its head is a row of its own. */
  trow *head = mkrow("\t\t\t\t\t资料订\t100%\t采办\t100%");
  trow *again = mkrow("\t\t\t\t\t阅合格率\t\t杂志使用率\t");
  cr_assert_eq(repair_split_row(&rs, head, again, NULL), 0);
  freerow(head), freerow(again);

  /* Outside the run the old guard holds: amounts above, ends no longer
  ** than their heads (《政策创新动 | 态)经费). */
  trow *proj = mkrow("41080022\t《政策创新动\t3.00\t\t\t出版《每周政务\t≥30期");
  trow *ends = mkrow("\t态)经费\t\t\t\t资讯)期数\t");
  cr_assert_eq(repair_split_row(&rs, proj, ends, &pr), 1);
  cr_assert_str_eq(proj->cells[1], "《政策创新动态)经费");
  cr_assert_str_eq(proj->cells[5], "出版《每周政务资讯)期数");
  freerow(proj), freerow(ends);
}

Test(normalize_pairs, value_printed_above_its_row)
{
  trow *lone = mkrow("\t\t\t\t\t\t\t\t≥99%");
  trow *next = mkrow("\t\t\t\t\t会议出勤率\t100%\t政策宣传覆盖率\t");
  cr_assert_eq(repair_lone_values(&rs, &pr, lone, next), 1);
  cr_assert_str_eq(joined(next), "\t\t\t\t\t会议出勤率\t100%\t政策宣传覆盖率\t≥99%");
  /* The same value printed again below is the same cell. */
  cr_assert_eq(repair_lone_values(&rs, &pr, lone, next), 1);
  freerow(next);
  /* No room below: it stays a row. */
  trow *full = mkrow("\t\t\t\t\t会议出勤率\t100%\t政策宣传覆盖率\t100%");
  cr_assert_eq(repair_lone_values(&rs, &pr, lone, full), 0);
  freerow(full);
  /* Not above a project's row, and not a label. */
  trow *proj = mkrow("41080022\t调研专款\t11.00\t\t\t全年调研课题数量\t≥12项\t\t");
  cr_assert_eq(repair_lone_values(&rs, &pr, lone, proj), 0);
  trow *label = mkrow("\t\t\t\t\t\t\t环境保护程度\t");
  trow *below = mkrow("\t\t\t\t\t会议出勤率\t100%\t\t");
  cr_assert_eq(repair_lone_values(&rs, &pr, label, below), 0);
  freerow(lone), freerow(proj), freerow(label), freerow(below);
}

Test(normalize_pairs, two_values_on_one_line)
{
  trow *prev = mkrow("\t\t\t\t\t举行电视电话会议次数\t≥25次\t管理和服务水平的提高程度\t明显 ≥99%");
  trow *r = mkrow("\t\t\t\t\t成果合格率\t\t共政策制定等的影响程度\t");
  cr_assert_eq(repair_double_values(&rs, &pr, prev, r), 1);
  cr_assert_str_eq(prev->cells[8], "明显");
  cr_assert_str_eq(r->cells[8], "≥99%");
  /* A value with a space of its own and no row below it to take one. */
  trow *one = mkrow("\t\t\t\t\t会议参会人数\t≥200 人次");
  trow *none = mkrow("\t\t\t\t\t会议出勤率\t\t环境保护程度\t好");
  cr_assert_eq(repair_double_values(&rs, &pr, one, none), 0);
  cr_assert_str_eq(one->cells[6], "≥200 人次");
  freerow(prev), freerow(r), freerow(one), freerow(none);
}
