/* budget-normalize end to end (normalize_stream with the repo's rules):
** stream or seed-like TSV in, the table-segmented stream out. The rows'
** @@from and @@covered lines are left out of the comparisons here (run_n
** removes them): test_normalize_origin.c checks them. */
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

TestSuite(normalize_stream, .init = setup, .fini = teardown);

typedef struct result {
  int status;
  char *out;
  char err[1024];
  norm_stats st;
} result;

static result run_n(const char *input, size_t n)
{
  result r;
  memset(&r, 0, sizeof r);
  FILE *in = fmemopen((void *)input, n, "r");
  size_t outlen;
  FILE *out = open_memstream(&r.out, &outlen);
  cr_assert(in && out);
  r.status = normalize_stream(&rs, in, "test.txt", out, &r.st, r.err,
                              sizeof r.err);
  fclose(in);
  fclose(out);
  /* Drop the origin lines in place. */
  char *w = r.out;
  for (const char *p = r.out; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p);
    if (strncmp(p, "@@from\t", 7) && strncmp(p, "@@covered\t", 10)) {
      memmove(w, p, len);
      w += len;
    }
    p += len;
  }
  *w = '\0';
  return r;
}

static result run(const char *input) { return run_n(input, strlen(input)); }

/* The tables written; the @@document line that ends every stream is
** test_normalize_document.c's business. */
static void expect(const char *input, const char *want)
{
  result r = run(input);
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "status %d: %s", r.status, r.err);
  char *doc = strstr(r.out, "@@document\t");
  cr_assert_not_null(doc, "%s", r.out);
  *doc = '\0';
  cr_assert_str_eq(r.out, want);
  free(r.out);
}

Test(normalize_stream, seed_tsv_header_wrap_and_continuation_row)
{
  expect("目录\n"
         "- 五、一般公共预算支出预算表\n"
         "\n"
         "2023年一般公共预算支出预算表\n"
         "\n"
         "单位名称： 漯河市人民政府办公室\n"
         "\n"
         "单位：万元\n"
         "\n"
         "科目编码\t\t\t单位代 码\t单位（科目名称）\t总计\t基本支出\t\n"
         "类\t款\t项\t\t\t\t小计\t工资福利支 出\n"
         "\t\t\t\t合计\t4,596.71\t3,138.66\t2,679.43\n"
         "201\t03\t02\t\t一般行政管理事\t80.00\t\t\n"
         "\n"
         "\t\t\t\t务\t\t\t\n"
         "201\t03\t01\t\t行政运行\t1,397.59\t1,397.59\t1,217.8 1\n"
         "\n"
         "备注：本表反映一般公共预算支出。\n",
         "@@budget-stream\t1\n"
         "@@table\t05\t一般公共预算支出预算表\t2023年一般公共预算支出预算表\t1\t1\t万元\n"
         "@@columns\t科目编码/类\t科目编码/款\t科目编码/项\t单位代码\t"
         "单位（科目名称）\t总计\t基本支出/小计\t基本支出/工资福利支出\n"
         "\t\t\t\t合计\t4596.71\t3138.66\t2679.43\n"
         "201\t03\t02\t\t一般行政管理事务\t80.00\t\t\n"
         "201\t03\t01\t\t行政运行\t1397.59\t1397.59\t1217.81\n"
         "@@end\n");
}

Test(normalize_stream, grid_spans_and_continuation_page)
{
  expect("@@budget-stream\t1\n"
         "@@page\t1\t595\t842\t0\n"
         "预算03表\n"
         "2023 年部门支出预算表\n"
         "部门（单位）名称：某局 金额单位：万元\n"
         "@@grid\t4\t10\t10\t500\t300\truled\t2\n"
         "@@span\t0\t0\t1\t2\n"
         "@@span\t0\t2\t2\t1\n"
         "@@span\t0\t3\t2\t1\n"
         "@@at\t10\t10\t500\t20\n"
         "科目编码\t\t名称\t金额\n"
         "类\t款\t\t\n"
         "201\t\t一般公共服务支出\t1,000.00\n"
         "\n"
         "第 1 页\n"
         "@@page\t2\t595\t842\t0\n"
         "@@grid\t4\t10\t10\t500\t300\truled\t2\n"
         "@@span\t0\t0\t1\t2\n"
         "@@span\t0\t2\t2\t1\n"
         "@@span\t0\t3\t2\t1\n"
         "科目编码\t\t名称\t金额\n"
         "类\t款\t\t\n"
         "201\t03\t机关事业单位基本养老保 险缴费支出\t500.00\n"
         "\t\t\t\n"
         "\n"
         "第 2 页\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023 年部门支出预算表\t1\t2\t万元\n"
         "@@columns\t科目编码/类\t科目编码/款\t名称\t金额\n"
         "201\t\t一般公共服务支出\t1000.00\n"
         "201\t03\t机关事业单位基本养老保险缴费支出\t500.00\n"
         "@@end\n");
}

Test(normalize_stream, empty_tables_keep_header_and_total_row)
{
  expect("2023年政府性基金预算支出预算表\n"
         "单位：万元\n"
         "科目编码\t\t名称\t合计\n"
         "类\t款\t\t\n"
         "合计\t\t\t\n"
         "\n"
         "我部门没有政府性基金收入，也没有使用政府性基金安排的支出，故此表无数据。\n"
         "\f2023年国有资本经营支出预算表\n"
         "单位：万元\n"
         "项目\t金额\n"
         "\n"
         "注：此表无数据。\n",
         "@@budget-stream\t1\n"
         "@@table\t10\t政府性基金支出预算表\t2023年政府性基金预算支出预算表\t1\t1\t万元\n"
         "@@columns\t科目编码/类\t科目编码/款\t名称\t合计\n"
         "合计\t\t\t\n"
         "@@end\n"
         "@@table\t11\t国有资本经营支出预算表\t2023年国有资本经营支出预算表\t2\t2\t万元\n"
         "@@columns\t项目\t金额\n"
         "@@note\ttable 11 is printed with its header only\n"
         "@@end\n");
}

Test(normalize_stream, clean_input_passes_through)
{
  expect("部门收支预算表\n"
         "收入\t\t支出\t\n"
         "项目\t金额\t项目\t金额\n"
         "一、一般公共预算拨款收入\t4596.71\t一、一般公共服务\t3795.95\n"
         "二、政府性基金预算拨款收入\t\t二、外交\t\n"
         "收入总计\t4596.71\t支出总计\t4596.71\n",
         "@@budget-stream\t1\n"
         "@@table\t01\t部门收支预算表\t部门收支预算表\t1\t1\t\n"
         "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
         "一、一般公共预算拨款收入\t4596.71\t一、一般公共服务\t3795.95\n"
         "二、政府性基金预算拨款收入\t\t二、外交\t\n"
         "收入总计\t4596.71\t支出总计\t4596.71\n"
         "@@end\n");
}

Test(normalize_stream, generic_and_repeated_ids)
{
  result r = run("政府采购预算表\n"
                 "项目\t金额\n"
                 "办公设备\t1.00\n"
                 "\n"
                 "项目支出预算表\n"
                 "项目\t金额\n"
                 "甲\t2.00\n"
                 "\n"
                 "政府采购预算表\n"
                 "项目\t金额\n"
                 "\n"
                 "项目支出预算表\n"
                 "项目\t金额\n"
                 "乙\t3.00\n");
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_assert(strstr(r.out, "@@table\tx1\t政府采购预算表\t政府采购预算表\t"));
  cr_assert(strstr(r.out, "@@table\t12\t项目支出预算表\t"));
  /* The second 政府采购预算表 has a header and no rows: not a table (only
  ** 10 and 11 are marked `empty` in the catalog). */
  cr_assert(strstr(r.out, "@@note\ta title with a header but no rows"));
  cr_assert(strstr(r.out, "@@note\ttable 12 printed a second time"));
  cr_assert(strstr(r.out, "@@table\tx2\t项目支出预算表\t"));
  cr_assert_null(strstr(r.out, "@@table\tx3\t"));
  cr_assert_eq(r.st.tables, 3);
  cr_assert_eq(r.st.generic, 2);
  free(r.out);
}

/* A 目录 printed as a grid, a header and titles as its rows, takes no
** table's ID: the real table after it keeps its own. */
Test(normalize_stream, header_only_list_takes_no_id)
{
  result r = run("财政拨款收支预算总表\n"
                 "序号\t报表名称\n"
                 "五、\t财政拨款支出预算表\n"
                 "\n"
                 "财政拨款收支预算总表\n"
                 "项目\t金额\n"
                 "一、一般公共预算\t24458.43\n");
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_assert(strstr(r.out, "@@table\t04\t"), "%s", r.out);
  cr_assert_null(strstr(r.out, "@@table\tx1\t"), "%s", r.out);
  free(r.out);
}

Test(normalize_stream, form_table_keeps_merged_text_left)
{
  expect("本级部门（单位）整体绩效目标表\n"
         "（2023年度）\n"
         "@@grid\t5\t0\t0\t500\t500\truled\t0\n"
         "@@span\t0\t1\t1\t4\n"
         "@@span\t1\t1\t1\t4\n"
         "单位名称\t某局\t\t\t\n"
         "年度履职目标\t目标1：保障 运转\t\t\t\n"
         "一级指标\t二级指标\t三级指标\t指标值\t指标值说明\n"
         "产出指标\t数量指标\t培训人次\t≥95%\t\n",
         "@@budget-stream\t1\n"
         "@@table\t14\t部门（单位）整体绩效目标表\t本级部门（单位）整体绩效目标表\t1\t1\t\n"
         "@@columns\t单位名称\t某局\t\t\t\n"
         "年度履职目标\t目标1：保障运转\t\t\t\n"
         "一级指标\t二级指标\t三级指标\t指标值\t指标值说明\n"
         "产出指标\t数量指标\t培训人次\t≥95%\t\n"
         "@@end\n");
}

Test(normalize_stream, toc_and_citations_are_no_tables)
{
  result r = run("目录\n"
                 "一、部门收支预算表\n"
                 "二、部门收入预算表\n"
                 "第一部分 概况\n"
                 "详见《收支预算总表》，本部门2023年收入总计100万元。\n"
                 "四、财政拨款收支预算总表情况说明\n"
                 "收入\t100\n");
  cr_assert_eq(r.status, BUDGET_EXIT_NO_TABLES, "status %d", r.status);
  cr_assert(strstr(r.err, "test.txt: no budget table found"), "%s", r.err);
  free(r.out);
}

Test(normalize_stream, bad_utf8_names_line)
{
  static const char in[] = "2023年部门收支预算表\n项目\t金额\n\xff\xfe\t1\n";
  result r = run_n(in, sizeof in - 1);
  cr_assert_eq(r.status, BUDGET_EXIT_BAD_TEXT);
  cr_assert(strstr(r.err, "test.txt: line 3: invalid UTF-8"), "%s", r.err);
  free(r.out);
}

Test(normalize_stream, title_inside_grid_and_furniture_rows)
{
  expect("@@grid\t3\t0\t0\t500\t500\tunruled\t0\n"
         "2023年项目支出表\t\t\n"
         "单位名称：某局\t\t单位：万元\n"
         "项目名称\t合计\t备注\n"
         "专项经费\t12.00\t\n"
         "注：本表反映项目支出。\t\t\n",
         "@@budget-stream\t1\n"
         "@@table\t12\t项目支出预算表\t2023年项目支出表\t1\t1\t万元\n"
         "@@columns\t项目名称\t合计\t备注\n"
         "专项经费\t12.00\t\n"
         "@@end\n");
}

Test(normalize_stream, wrapped_title_unit_on_title_line_and_yuan)
{
  expect("2018年度江苏省高级人民法院一般公共预算\n"
         "支出预算表\n"
         "金额单位：元\n"
         "项目\t金额\n"
         "合计\t91,016,775.35\n"
         "\n"
         "2023年部门收支预算表 单位：万元\n"
         "项目\t金额\n"
         "合计\t1.00\n",
         "@@budget-stream\t1\n"
         "@@table\t05\t一般公共预算支出预算表\t"
         "2018年度江苏省高级人民法院一般公共预算支出预算表\t1\t1\t元\n"
         "@@columns\t项目\t金额\n"
         "合计\t91016775.35\n"
         "@@end\n"
         "@@table\t01\t部门收支预算表\t2023年部门收支预算表 单位：万元\t1\t1\t万元\n"
         "@@columns\t项目\t金额\n"
         "合计\t1.00\n"
         "@@end\n");
}

/* Rows after a table, without a title, that do not look like it (text
** where it has codes and amounts) are another table that lost its title:
** they are not spliced into it. */
Test(normalize_stream, stray_rows_are_not_a_continuation)
{
  expect("2023年部门支出预算表\n"
         "科目编码\t名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "20103\t政府办公厅（室）及相关机构事务\t10.00\n"
         "2010301\t行政运行\t10.00\n"
         "\n"
         "（四）财政专户管理资金收入\t（五）教育支出\t\n"
         "（五）单位资金\t（六）科学技术支出\t\n"
         "\n"
         "2010302\t一般行政管理事务\t5.00\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门支出预算表\t1\t1\t\n"
         "@@columns\t科目编码\t名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "20103\t政府办公厅（室）及相关机构事务\t10.00\n"
         "2010301\t行政运行\t10.00\n"
         "2010302\t一般行政管理事务\t5.00\n"
         "@@end\n");
}

/* The header repeated on a continuation page but wrapped differently: its
** pieces are header text, so those rows are dropped too. */
Test(normalize_stream, repeated_header_wrapped_differently)
{
  expect("2023年项目支出表\n"
         "@@grid\t3\t0\t0\t500\t500\truled\t0\n"
         "功能分类科目编码\t项目名称\t预算金额\n"
         "2010301\t办公经费\t1.00\n"
         "\n"
         "\f@@grid\t3\t0\t0\t500\t500\truled\t0\n"
         "功能分类\t项目\t预算\n"
         "科目编码\t名称\t金额\n"
         "2010302\t会议经费\t2.00\n",
         "@@budget-stream\t1\n"
         "@@table\t12\t项目支出预算表\t2023年项目支出表\t1\t2\t\n"
         "@@columns\t功能分类科目编码\t项目名称\t预算金额\n"
         "2010301\t办公经费\t1.00\n"
         "2010302\t会议经费\t2.00\n"
         "@@end\n");
}

/* The header repeated on a continuation page with two of its cells run
** together (their texts touched there): still the header, not a row. */
Test(normalize_stream, repeated_header_with_cells_run_together)
{
  expect("2023年项目支出表\n"
         "@@grid\t4\t0\t0\t500\t500\truled\t0\n"
         "项目名称\t合计\t一般公共预算\t政府性基金预算\n"
         "办公经费\t1.00\t1.00\t\n"
         "\n"
         "\f@@grid\t4\t0\t0\t500\t500\truled\t0\n"
         "项目名称\t合计一般公共预算\t\t政府性基金预算\n"
         "会议经费\t2.00\t2.00\t\n",
         "@@budget-stream\t1\n"
         "@@table\t12\t项目支出预算表\t2023年项目支出表\t1\t2\t\n"
         "@@columns\t项目名称\t合计\t一般公共预算\t政府性基金预算\n"
         "办公经费\t1.00\t1.00\t\n"
         "会议经费\t2.00\t2.00\t\n"
         "@@end\n");
}

/* A title block printed as rows of the grid, title and label on one row. */
Test(normalize_stream, title_row_with_label_and_unit_cells)
{
  expect("@@grid\t3\t0\t0\t500\t500\truled\t0\n"
         "2023年部门收支预算表\t\t预算01表\n"
         "部门名称：某局\t\t单位：万元\n"
         "项目\t金额\t备注\n"
         "合计\t1.00\t\n",
         "@@budget-stream\t1\n"
         "@@table\t01\t部门收支预算表\t2023年部门收支预算表\t1\t1\t万元\n"
         "@@columns\t项目\t金额\t备注\n"
         "合计\t1.00\t\n"
         "@@end\n");
}

/* Its own output is valid input, and normalizing it again changes nothing
** (no wrapped-row repair on rows that are clean already). */
Test(normalize_stream, idempotent_on_its_own_output)
{
  const char *doc = "2023年项目支出表\n"
                    "单位：万元\n"
                    "项目名称\t项目单位\t金额\n"
                    "会议经费\t某局办公室（综合科）\t1,000.00\n"
                    "\t某局\t\n"
                    "政府采购预算表\n"
                    "项目\t金额\n"
                    "合计\t\n";
  result a = run(doc);
  cr_assert_eq(a.status, BUDGET_EXIT_OK, "%s", a.err);
  result b = run(a.out);
  cr_assert_eq(b.status, BUDGET_EXIT_OK, "%s", b.err);
  cr_assert_str_eq(b.out, a.out);
  cr_assert(strstr(a.out, "@@table\tx1\t"));
  free(a.out);
  free(b.out);
}

/* Columns an extractor invented (no header text of their own, no body
** text) are dropped; an empty column with a header of its own stays. */
Test(normalize_stream, phantom_columns_dropped)
{
  expect("2023年机关（机构）运行经费\n"
         "@@grid\t6\t0\t0\t500\t500\thrule\t0\n"
         "\t科目\t\t\t运行经费\t备注\n"
         "\t编码\t名称\t名称\t合计\t\n"
         "\t30201\t办公费\t\t8.62\t\n",
         "@@budget-stream\t1\n"
         "@@table\t13\t机关（机构）运行经费\t2023年机关（机构）运行经费\t1\t1\t\n"
         "@@columns\t科目/编码\t科目/名称\t运行经费/合计\t备注\n"
         "30201\t办公费\t8.62\t\n"
         "@@end\n");
}

/* A header cell cut off inside its bracket is completed from the header
** vocabulary of the rules, and the repair is reported, never silent. */
Test(normalize_stream, truncated_header_completed_and_reported)
{
  expect("2023年部门支出预算表\n"
         "项目支出\t\n"
         "小计\t运转类经费 （专项业\n"
         "1.00\t1.00\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门支出预算表\t1\t1\t\n"
         "@@columns\t项目支出/小计\t项目支出/运转类经费（专项业务）\n"
         "1.00\t1.00\n"
         "@@repair\t03\t0\t2\t项目支出/运转类经费（专项业\t"
         "项目支出/运转类经费（专项业务）\trun-special\n"
         "@@end\n");
}

/* A merged-down cell is printed in the first row of its span only, even
** when an extractor repeats its text in the covered slots; a different
** text under the span is kept. */
Test(normalize_stream, merged_down_text_only_in_first_row)
{
  expect("2023年一般公共预算基本支出明细表\n"
         "@@grid\t3\t0\t0\t500\t500\truled\t1\n"
         "@@span\t1\t0\t3\t1\n"
         "项目单位\t项目名称\t合计\n"
         "某局\t基本工资\t1.00\n"
         "某局\t津贴补贴\t2.00\n"
         "另局\t奖金\t3.00\n",
         "@@budget-stream\t1\n"
         "@@table\t07\t一般公共预算基本支出明细表\t2023年一般公共预算基本支出明细表\t1\t1\t\n"
         "@@columns\t项目单位\t项目名称\t合计\n"
         "某局\t基本工资\t1.00\n"
         "\t津贴补贴\t2.00\n"
         "另局\t奖金\t3.00\n"
         "@@end\n");
}

/* A parent printed centred over its two children got a column of its own
** between them (hrule header, qingshan-agri 01): its text goes onto the
** left child and the column goes. */
Test(normalize_stream, centred_parent_column_removed)
{
  expect("2024年部门收支预算表\n"
         "@@grid\t5\t0\t0\t500\t500\thrule\t0\n"
         "@@span\t0\t0\t1\t2\n"
         "收入\t\t\t支出\t\n"
         "项目\t金额\t项目\t\t金额\n"
         "一、一般公共预算拨款收入\t6,045.44\t一、一般公共服务支出\t\t\n"
         "五、事业收入\t306.18\t五、社会保障和就业支出\t\t279.36\n",
         "@@budget-stream\t1\n"
         "@@table\t01\t部门收支预算表\t2024年部门收支预算表\t1\t1\t\n"
         "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
         "一、一般公共预算拨款收入\t6045.44\t一、一般公共服务支出\t\n"
         "五、事业收入\t306.18\t五、社会保障和就业支出\t279.36\n"
         "@@end\n");
}

/* The header came as a grid of its own, with two more columns than the
** body grid (parents centred in columns of their own): the header is
** re-gridded onto the body's columns. */
Test(normalize_stream, header_grid_regridded_onto_body_grid)
{
  expect("2024年部门收支预算表\n"
         "@@grid\t6\t0\t0\t500\t30\thrule\t0\n"
         "\t收入\t\t\t支出\t\n"
         "项目\t\t金额\t项目\t\t金额\n"
         "\n"
         "@@grid\t4\t0\t30\t500\t300\tunruled\t0\n"
         "一、一般公共预算拨款收入\t6,045.44\t一、一般公共服务支出\t\n"
         "五、事业收入\t306.18\t五、社会保障和就业支出\t279.36\n",
         "@@budget-stream\t1\n"
         "@@table\t01\t部门收支预算表\t2024年部门收支预算表\t1\t1\t\n"
         "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
         "一、一般公共预算拨款收入\t6045.44\t一、一般公共服务支出\t\n"
         "五、事业收入\t306.18\t五、社会保障和就业支出\t279.36\n"
         "@@end\n");
}

/* Header cells printed one column off their data (baihe-school 01): a
** column with data but no header text joins its header-only neighbour. */
Test(normalize_stream, header_one_column_off_its_data)
{
  expect("2024年单位收支总体情况表\n"
         "@@grid\t7\t0\t0\t500\t300\tunruled\t0\n"
         "收入\t\t\t\t支出\t\t\n"
         "项目\t金额\t\t项目\t\t金额\t\n"
         "一、一般公共预算拨款收入\t\t883.5\t一、教育支出\t\t\t742.16\n"
         "收入总计\t\t895.80\t支出总计\t\t\t895.80\n",
         "@@budget-stream\t1\n"
         "@@table\t01\t部门收支预算表\t2024年单位收支总体情况表\t1\t1\t\n"
         "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
         "一、一般公共预算拨款收入\t883.5\t一、教育支出\t742.16\n"
         "收入总计\t895.80\t支出总计\t895.80\n"
         "@@end\n");
}

/* A row split by a page break (its name wrapped onto the next page): the
** first row of the continuation page ends the last row of the page before.
** An indicator row of values (≥3次) at the top of a page is a row. */
Test(normalize_stream, row_split_by_page_break)
{
  expect("2023年部门支出预算表\n"
         "@@grid\t3\t0\t0\t500\t500\truled\t1\n"
         "科目编码\t科目名称\t合计\n"
         "2080505\t机关事业单位基本养老保\t324.83\n"
         "\n"
         "@@page\t2\t842\t595\t0\n"
         "@@grid\t3\t0\t0\t500\t500\truled\t0\n"
         "\t险缴费支出\t\n"
         "2080506\t机关事业单位职业年金缴费支出\t114.43\n"
         "\n"
         "2023年部门预算项目绩效目标表\n"
         "@@grid\t4\t0\t0\t500\t500\truled\t1\n"
         "项目编码\t项目名称\t三级指标\t指标值\n"
         "411100220000000007009\t参事事务费\t参事工作完成率\t100%\n"
         "\n"
         "@@page\t3\t842\t595\t0\n"
         "@@grid\t4\t0\t0\t500\t500\truled\t0\n"
         "\t\t调研课题数\t≥12个\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门支出预算表\t1\t2\t\n"
         "@@columns\t科目编码\t科目名称\t合计\n"
         "2080505\t机关事业单位基本养老保险缴费支出\t324.83\n"
         "2080506\t机关事业单位职业年金缴费支出\t114.43\n"
         "@@end\n"
         "@@table\t15\t部门预算项目绩效目标表\t2023年部门预算项目绩效目标表\t2\t3\t\n"
         "@@columns\t项目编码\t项目名称\t三级指标\t指标值\n"
         "411100220000000007009\t参事事务费\t参事工作完成率\t100%\n"
         "\t\t调研课题数\t≥12个\n"
         "@@end\n");
}

/* A header damaged by the tool that extracted it (a row interleaved, a
** path left empty) is repaired from the same header printed whole in an
** earlier table of the document, and the repair is reported. */
Test(normalize_stream, header_repaired_from_same_header_elsewhere)
{
  result r = run("2023年部门支出预算表\n"
                 "科目编码\t\t名称\t基本支出\t\n"
                 "类\t款\t\t小计\t工资\n"
                 "201\t03\t行政运行\t1.00\t1.00\n"
                 "\n"
                 "2023年一般公共预算支出预算表\n"
                 "科目编码\t\t名称\t基本支出\t\n"
                 "\t\t\t小计\t\n"
                 "类\t款\t工资\t\t\n"
                 "201\t03\t行政运行\t1.00\t1.00\n");
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  const char *cols = "@@columns\t科目编码/类\t科目编码/款\t名称\t基本支出/小计\t"
                     "基本支出/工资\n";
  const char *first = strstr(r.out, cols);
  cr_assert_not_null(first, "%s", r.out);
  cr_assert_not_null(strstr(first + 1, cols), "05 repaired: %s", r.out);
  cr_assert(strstr(r.out, "@@repair\t05\t0\t"), "%s", r.out);
  free(r.out);
}

/* Title-block text an unruled grid cut into cells reads as one line. */
Test(normalize_stream, title_block_cut_into_cells)
{
  expect("@@grid\t3\t0\t0\t500\t500\tunruled\t0\n"
         "预算03\t表\t\n"
         "2023年部门\t支出预算表\t\n"
         "单位：\t万元\t\n"
         "项目\t合计\t备注\n"
         "行政运行\t1.00\t\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门 支出预算表\t1\t1\t万元\n"
         "@@columns\t项目\t合计\t备注\n"
         "行政运行\t1.00\t\n"
         "@@end\n");
}

/* A continuation grid with other columns than the table's (an empty column
** more) that repeats the header: its columns are mapped by header path. */
Test(normalize_stream, continuation_columns_mapped_by_repeated_header)
{
  expect("2023年部门支出预算表\n"
         "@@grid\t3\t0\t0\t500\t500\tunruled\t0\n"
         "科目编码\t科目名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "\n"
         "@@page\t2\t842\t595\t0\n"
         "@@grid\t4\t0\t0\t500\t500\tunruled\t0\n"
         "科目编码\t科目名称\t\t合计\n"
         "208\t社会保障和就业支出\t\t5.00\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门支出预算表\t1\t2\t\n"
         "@@columns\t科目编码\t科目名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "208\t社会保障和就业支出\t5.00\n"
         "@@end\n");
}

/* A title wrapped after its year and department: the printed title is
** both lines, though the second alone already names the table. */
Test(normalize_stream, printed_title_keeps_its_first_line)
{
  result r = run("公开01表\n"
                 "2024年度青枫县市场监督管理局\n"
                 "收支预算总表\n"
                 "编制单位：青枫县市场监督管理局 单位：元\n"
                 "项目\t金额\n"
                 "合计\t29016300.00\n");
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_assert(strstr(r.out, "@@table\t01\t部门收支预算表\t"
                          "2024年度青枫县市场监督管理局收支预算总表\t1\t1\t元\n"),
            "%s", r.out);
  free(r.out);
}

/* Text printed centred in a merged cell, given in a covered slot: it moves
** to the top-left slot, where the convention keeps it. */
Test(normalize_stream, centred_merged_text_moves_to_first_row)
{
  expect("2023年一般公共预算基本支出明细表\n"
         "@@grid\t3\t0\t0\t500\t500\truled\t1\n"
         "@@span\t1\t0\t3\t1\n"
         "项目单位\t项目名称\t合计\n"
         "\t基本工资\t1.00\n"
         "某局\t津贴补贴\t2.00\n"
         "\t奖金\t3.00\n",
         "@@budget-stream\t1\n"
         "@@table\t07\t一般公共预算基本支出明细表\t2023年一般公共预算基本支出明细表\t1\t1\t\n"
         "@@columns\t项目单位\t项目名称\t合计\n"
         "某局\t基本工资\t1.00\n"
         "\t津贴补贴\t2.00\n"
         "\t奖金\t3.00\n"
         "@@end\n");
}

/* The title printed again over a continuation page (（续）): one table. */
Test(normalize_stream, title_repeated_on_continuation_page)
{
  expect("2023年部门支出预算表\n"
         "科目编码\t名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "\f2023年部门支出预算表（续）\n"
         "科目编码\t名称\t合计\n"
         "208\t社会保障和就业支出\t5.00\n",
         "@@budget-stream\t1\n"
         "@@table\t03\t部门支出预算表\t2023年部门支出预算表\t1\t2\t\n"
         "@@columns\t科目编码\t名称\t合计\n"
         "201\t一般公共服务支出\t10.00\n"
         "208\t社会保障和就业支出\t5.00\n"
         "@@end\n");
}

/* A parent printed centred in a column of its own that also holds the data
** of the child right of it (hexi-water 13): the data joins that child, the
** parent heads both children, the header one column off its data joins. */
Test(normalize_stream, centred_parent_over_offset_data)
{
  expect("2024年机关运行经费支出预算表\n"
         "@@grid\t5\t0\t0\t500\t500\tunruled\t0\n"
         "\t部门预算支出经济分类科目\t\t机构运行经费支出\t\n"
         "科目编码\t\t科目名称\t合计\t\n"
         "\t合计\t\t\t96.50\n"
         "30201\t办公费\t\t\t18.00\n",
         "@@budget-stream\t1\n"
         "@@table\t13\t机关（机构）运行经费\t2024年机关运行经费支出预算表\t1\t1\t\n"
         "@@columns\t部门预算支出经济分类科目/科目编码\t部门预算支出经济分类科目/科目名称\t"
         "机构运行经费支出/合计\n"
         "\t合计\t96.50\n"
         "30201\t办公费\t18.00\n"
         "@@end\n");
}

/* A table with no standard ID whose title is printed again on the next
** page goes on as one table. */
Test(normalize_stream, generic_title_repeated_on_next_page_continues)
{
  result r = run("2017年政府采购预算表\n"
                 "项目\t金额\n"
                 "办公设备\t1.00\n"
                 "\f"
                 "2017年政府采购预算表\n"
                 "项目\t金额\n"
                 "印刷服务\t2.00\n");
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_assert(strstr(r.out, "@@table\tx1\t"), "%s", r.out);
  cr_assert_null(strstr(r.out, "@@table\tx2\t"), "%s", r.out);
  cr_assert(strstr(r.out, "印刷服务\t2.00"), "%s", r.out);
  free(r.out);
}
