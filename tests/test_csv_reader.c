/* table_reader on hand-written table streams (docs/stream.md). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "table_reader.h"

typedef struct fixture {
  FILE *f;
  tbl_reader *r;
} fixture;

static fixture open_text(const char *text)
{
  fixture fx;
  fx.f = fmemopen((void *)text, strlen(text), "r");
  cr_assert_not_null(fx.f);
  fx.r = tbl_reader_new(fx.f, "t.stream");
  cr_assert_not_null(fx.r);
  return fx;
}

static void close_fx(fixture *fx)
{
  tbl_reader_free(fx->r);
  fclose(fx->f);
}

static const char *cell(const tbl_table *t, size_t row, size_t col)
{
  cr_assert(row < t->nrows && col < t->ncolumns);
  return t->cells[row * t->ncolumns + col];
}

static const char two_tables[] =
    "@@budget-stream\t1\n"
    "@@source\tdoc.pdf\t7\n"
    "2023年部门预算公开\n"
    "目录\n"
    "\f\n"
    "@@page\t2\t595\t842\t0\n"
    "@@table\t01\t部门收支预算表\t2023年部门收支总体情况表\t2\t3\t万元\n"
    "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
    "@@at\t10\t20\t30\t40\n"
    "一、一般公共预算拨款收入\t4596.71\t一、一般公共服务\t3795.95\n"
    "\f\n"
    "@@repair\t01\t2\t4\t883 50\t883.50\tsame value on page 4\n"
    "二、政府性基金\t\t二、外交\n"
    "@@end\n"
    "\n"
    "注：本表为示例。\n"
    "@@note\t10 was printed empty\n"
    "@@table\t10\t政府性基金支出预算表\t政府性基金预算支出预算表\t9\t9\t\n"
    "@@columns\t科目编码/类\t科目名称\t合计\n"
    "\t合计\t\n"
    "@@end\n";

Test(table_reader, reads_tables_in_order_with_their_metadata)
{
  fixture fx = open_text(two_tables);
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK, "%s",
               tbl_reader_error(fx.r));
  cr_assert_str_eq(t.id, "01");
  cr_assert_str_eq(t.canonical, "部门收支预算表");
  cr_assert_str_eq(t.printed, "2023年部门收支总体情况表");
  cr_assert_str_eq(t.first_page, "2");
  cr_assert_str_eq(t.last_page, "3");
  cr_assert_str_eq(t.unit, "万元");
  cr_assert_eq(t.lineno, 7);
  cr_assert_eq(t.ncolumns, 4);
  cr_assert_str_eq(t.columns[3], "支出/金额");
  cr_assert_eq(t.nrows, 2);
  cr_assert_str_eq(cell(&t, 0, 1), "4596.71");
  cr_assert_str_eq(cell(&t, 1, 2), "二、外交");
  cr_assert_str_eq(cell(&t, 1, 3), "", "a short row is padded");

  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK, "%s",
               tbl_reader_error(fx.r));
  cr_assert_str_eq(t.id, "10");
  cr_assert_str_eq(t.unit, "");
  cr_assert_eq(t.nrows, 1);
  cr_assert_str_eq(cell(&t, 0, 0), "");
  cr_assert_str_eq(cell(&t, 0, 1), "合计");
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_END);

  cr_assert_eq(tbl_reader_repairs(fx.r), 1);
  cr_assert_eq(tbl_reader_notes(fx.r), 1);
  cr_assert_str_eq(tbl_reader_notices(fx.r),
                   "@@repair 01 | 2 | 4 | 883 50 | 883.50 | same value on "
                   "page 4\n"
                   "@@note 10 was printed empty\n");
  close_fx(&fx);
}

Test(table_reader, missing_metadata_fields_are_empty_strings)
{
  fixture fx = open_text("@@table\t03\n@@columns\ta\tb\n1\t2\n@@end\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK);
  cr_assert_str_eq(t.canonical, "");
  cr_assert_str_eq(t.printed, "");
  cr_assert_str_eq(t.first_page, "");
  cr_assert_str_eq(t.unit, "");
  close_fx(&fx);
}

Test(table_reader, header_only_table_has_no_rows)
{
  fixture fx = open_text("@@table\t11\tx\n@@columns\ta\tb\n@@end\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK);
  cr_assert_eq(t.nrows, 0);
  cr_assert_eq(t.ncolumns, 2);
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_END);
  close_fx(&fx);
}

Test(table_reader, one_column_table_rows_without_tabs)
{
  fixture fx = open_text("@@table\tx1\t\t附表\n@@columns\t项目\n"
                         "第一行\n第二行\t\n@@end\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK, "%s",
               tbl_reader_error(fx.r));
  cr_assert_eq(t.ncolumns, 1);
  cr_assert_eq(t.nrows, 2);
  cr_assert_str_eq(cell(&t, 0, 0), "第一行");
  cr_assert_str_eq(cell(&t, 1, 0), "第二行");
  close_fx(&fx);
}

Test(table_reader, a_line_without_tab_in_a_wide_table_is_a_padded_row)
{
  fixture fx = open_text("@@table\t01\n@@title-ignored\n标题行\n"
                         "@@columns\ta\tb\t c\n仅一格\n@@end\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK, "%s",
               tbl_reader_error(fx.r));
  cr_assert_eq(t.nrows, 1, "the text before @@columns is not a row");
  cr_assert_str_eq(cell(&t, 0, 0), "仅一格");
  cr_assert_str_eq(cell(&t, 0, 2), "");
  close_fx(&fx);
}

Test(table_reader, extra_empty_cells_are_slack_but_text_there_is_an_error)
{
  fixture fx = open_text("@@table\t01\n@@columns\ta\tb\n1\t2\t\t\n@@end\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK);
  cr_assert_eq(t.nrows, 1);
  close_fx(&fx);

  fx = open_text("@@table\t01\n@@columns\ta\tb\n1\t2\t3\n@@end\n");
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_BAD_STREAM);
  cr_assert_str_eq(tbl_reader_error(fx.r),
                   "line 3: row has 3 cells, header has 2");
  close_fx(&fx);
}

static void expect_bad(const char *text, const char *error)
{
  fixture fx = open_text(text);
  tbl_table t;
  tbl_status st;
  while ((st = tbl_reader_next(fx.r, &t)) == TBL_OK)
    ;
  cr_assert_eq(st, TBL_BAD_STREAM, "for: %s", text);
  cr_assert_str_eq(tbl_reader_error(fx.r), error);
  close_fx(&fx);
}

Test(table_reader, malformed_streams_name_the_line)
{
  expect_bad("@@table\t01\n1\t2\n", "line 2: table row before @@columns");
  expect_bad("@@table\t01\n@@columns\ta\tb\n1\t2\n",
             "line 3: input ends inside table 01 (no @@end)");
  expect_bad("@@table\t01\n@@columns\ta\n@@table\t02\n",
             "line 3: @@table inside a table (missing @@end)");
  expect_bad("x\n@@end\n", "line 2: @@end outside a table");
  expect_bad("@@columns\ta\n", "line 1: @@columns outside a table");
  expect_bad("@@table\t01\n@@end\n", "line 2: table without @@columns");
  expect_bad("@@table\n", "line 1: @@table without an ID");
  expect_bad("@@table\t01\n@@columns\ta\n@@columns\tb\n",
             "line 3: a second @@columns line");
  expect_bad("@@table\t01\n@@columns\n", "line 2: @@columns without a column");
  expect_bad("@@table\t01\n@@columns\ta\tb\n\xff\t1\n@@end\n",
             "line 3: invalid UTF-8 at byte 1"
             " (GBK text? iconv -f GBK -t UTF-8)");
}

Test(table_reader, text_around_tables_only_is_no_table)
{
  fixture fx = open_text("目录\n一、部门收支预算表\n\f\n3\t4\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_END);
  close_fx(&fx);
}

Test(table_reader, bom_and_crlf_are_accepted)
{
  fixture fx = open_text("\xEF\xBB\xBF@@table\t01\r\n@@columns\ta\tb\r\n"
                         "1\t2\r\n@@end\r\n");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(fx.r, &t), TBL_OK, "%s",
               tbl_reader_error(fx.r));
  cr_assert_str_eq(t.id, "01");
  cr_assert_str_eq(cell(&t, 0, 1), "2");
  close_fx(&fx);
}
