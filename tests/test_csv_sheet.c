/*
** csv/sheet.c: the spreadsheet options on tables read from real streams
** (through tbl_reader, as budget-csv reads them), and budget-csv's
** --excel: codes kept as text, the BOM implied, default bytes unchanged.
*/
#include <criterion/criterion.h>
#include <stdio.h>

#include "csv_writer.h"
#include "helpers.h"
#include "sheet.h"
#include "table_reader.h"

/* A 15-like table: a code and a name merged down over two indicator rows
** (@@covered), an amount column. */
static const char stream[] =
    "@@budget-stream\t1\n"
    "@@table\t15\t项目支出绩效目标表\t项目绩效目标表\t4\t5\t万元\n"
    "@@columns\t项目编码\t项目名称\t资金\t指标\n"
    "@@from\t4\t46.2\t233.0\t796.5\t268.3\t113\n"
    "411002240000000012345\t校舍维修\t120.00\t维修面积\n"
    "@@from\t5\t46.2\t40.0\t796.5\t60.0\t130\n"
    "@@covered\t1\t2\t3\n"
    "\t\t\t完工时间\n"
    "@@from\t5\t46.2\t60.0\t796.5\t80.0\t132\n"
    "@@covered\t1\t2\t4\n"
    "\t\t\t验收\n"
    "03\t其他\t0.00\t\n"
    "@@end\n";

static char *write_with(const sheet_opts *o)
{
  FILE *in = fmemopen((void *)stream, sizeof stream - 1, "r");
  tbl_reader *rd = tbl_reader_new(in, "test");
  tbl_table t;
  cr_assert_eq(tbl_reader_next(rd, &t), TBL_OK, "%s", tbl_reader_error(rd));
  char *buf;
  size_t len;
  FILE *out = open_memstream(&buf, &len);
  cr_assert_eq(sheet_write_table(out, &t, o), 0);
  fclose(out);
  tbl_reader_free(rd);
  fclose(in);
  return buf;
}

Test(sheet, no_option_is_the_clean_csv)
{
  sheet_opts o = {0};
  char *got = write_with(&o);
  cr_assert_str_eq(got, "项目编码,项目名称,资金,指标\r\n"
                        "411002240000000012345,校舍维修,120.00,维修面积\r\n"
                        ",,,完工时间\r\n"
                        ",,,验收\r\n"
                        "03,其他,0.00,\r\n");
  free(got);
}

Test(sheet, fill_down_repeats_covered_cells_only)
{
  sheet_opts o = {.fill_down = 1};
  char *got = write_with(&o);
  /* budget-csv fills exactly what the stream marks (budget-normalize marks
  ** no amount: that is its call); a marked cell holding text (row 3,
  ** column 4) keeps it; the row without @@covered stays as it is. */
  cr_assert_str_eq(got, "项目编码,项目名称,资金,指标\r\n"
                        "411002240000000012345,校舍维修,120.00,维修面积\r\n"
                        "411002240000000012345,校舍维修,120.00,完工时间\r\n"
                        "411002240000000012345,校舍维修,,验收\r\n"
                        "03,其他,0.00,\r\n");
  free(got);
}

Test(sheet, excel_keeps_codes_text_and_starts_with_a_bom)
{
  sheet_opts o = {.excel = 1, .page_column = 1};
  char *got = write_with(&o);
  cr_assert_str_eq(got, CSVOUT_BOM "项目编码,项目名称,资金,指标,page\r\n"
                        "\"=\"\"411002240000000012345\"\"\",校舍维修,120.00,"
                        "维修面积,4\r\n"
                        ",,,完工时间,5\r\n"
                        ",,,验收,5\r\n"
                        "\"=\"\"03\"\"\",其他,0.00,,\r\n");
  free(got);
}

Test(sheet, which_codes_excel_would_mangle)
{
  cr_assert(sheet_excel_code("03"));
  cr_assert(sheet_excel_code("0"  "1"));
  cr_assert(sheet_excel_code("411002240000000012345"));
  cr_assert(sheet_excel_code("123456789012"));
  cr_assert_not(sheet_excel_code("0"));
  cr_assert_not(sheet_excel_code("201"));
  cr_assert_not(sheet_excel_code("12345678901"));
  cr_assert_not(sheet_excel_code("0.00"));
  cr_assert_not(sheet_excel_code("03a"));
  cr_assert_not(sheet_excel_code(""));
}

/* budget-csv on the same stream: --excel implies the BOM, plain output is
** byte for byte what it was. */
Test(sheet, budget_csv_excel_option)
{
  char *dir = h_tmpdir();
  char *in = h_fmt("%s/t.stream", dir);
  h_write_str(in, stream);
  char *bc = h_bin("budget-csv");
  char *argv[] = {bc, "--table", "15", "--excel", in, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(!strncmp(r.out, CSVOUT_BOM "项目编码", strlen(CSVOUT_BOM) + 12));
  cr_assert(strstr(r.out, "\r\n\"=\"\"03\"\"\",其他,0.00,\r\n"), "%s", r.out);
  h_result_free(&r);
  char *argv2[] = {bc, "--table", "15", in, NULL};
  r = h_run(argv2, NULL);
  cr_assert_eq(r.status, 0);
  cr_assert(!strncmp(r.out, "项目编码,", 13));
  cr_assert(strstr(r.out, "\r\n03,其他,0.00,\r\n"));
  h_result_free(&r);
  free(bc);
  free(in);
  h_rm_rf(dir);
  free(dir);
}

/* A covered cell early in a long table: the rows after it keep their text
** (the flags cover every row read after the first mark, not only the
** rows up to it). */
Test(sheet, rows_after_the_last_covered_cell_keep_their_text)
{
  char *s = h_fmt("%s", "@@table\t05\tT\tT\t1\t1\t万元\n@@columns\t类\t名称\t金额\n"
                        "201\t一般公共服务\t1.00\n@@covered\t1\n\t行政运行\t2.00\n");
  for (int i = 0; i < 200; i++) {
    char *t = h_fmt("%s%d\t项目%d\t%d.00\n", s, 300 + i, i, i);
    free(s);
    s = t;
  }
  char *t = h_fmt("%s@@end\n", s);
  free(s);
  FILE *in = fmemopen(t, strlen(t), "r");
  tbl_reader *rd = tbl_reader_new(in, "test");
  tbl_table tb;
  cr_assert_eq(tbl_reader_next(rd, &tb), TBL_OK, "%s", tbl_reader_error(rd));
  char *buf;
  size_t len;
  FILE *out = open_memstream(&buf, &len);
  sheet_opts o = {.fill_down = 1};
  cr_assert_eq(sheet_write_table(out, &tb, &o), 0);
  fclose(out);
  cr_assert(strstr(buf, "\r\n201,行政运行,2.00\r\n300,项目0,0.00\r\n"), "%s", buf);
  cr_assert(strstr(buf, "\r\n499,项目199,199.00\r\n"));
  free(buf);
  tbl_reader_free(rd);
  fclose(in);
  free(t);
}

/* budget-csv -o --excel: the index and provenance name table 05 as text
** too (="05"; Excel would read 05 as the number 5); without --excel they
** hold 05 as it is. */
Test(sheet, excel_ids_stay_text_in_the_index_and_provenance)
{
  char *dir = h_tmpdir();
  char *in = h_fmt("%s/t.stream", dir);
  char *s05 = h_fmt("%s", stream);
  char *id = strstr(s05, "@@table\t15\t");
  cr_assert_not_null(id);
  memcpy(id + 8, "05", 2);
  h_write_str(in, s05);
  char *out = h_fmt("%s/out", dir);
  char *bc = h_bin("budget-csv");
  const char *opt[] = {"--excel", "--bom"};
  const char *want[] = {"\r\n\"=\"\"05\"\"\",", "\r\n05,"};
  for (int i = 0; i < 2; i++) {
    char *argv[] = {bc, "-o", out, (char *)opt[i], in, NULL};
    h_result r = h_run(argv, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    h_result_free(&r);
    const char *files[] = {"tables.csv", "provenance.csv"};
    for (int f = 0; f < 2; f++) {
      char *p = h_fmt("%s/%s", out, files[f]);
      char *got = h_read(p, NULL);
      cr_assert_not_null(got, "%s", p);
      cr_assert(strstr(got, want[i]), "%s %s: %s", opt[i], files[f], got);
      free(got);
      free(p);
    }
  }
  free(bc);
  free(out);
  free(s05);
  free(in);
  h_rm_rf(dir);
  free(dir);
}
