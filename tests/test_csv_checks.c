/* checks: the sums of a document's tables, on real tables and on the same
** tables with one figure made wrong. */
#include <criterion/criterion.h>
#include <csv.h>
#include <dirent.h>

#include "checks.h"
#include "exit_codes.h"
#include "helpers.h"
#include "table_reader.h"

/* tests/data/checks/document.tables: eight tables of one corpus document
** (01 03 04 05 06 09 12 13), as budget-normalize writes them. */
static char *document(void)
{
  char *p = h_fmt("%s/tests/data/checks/document.tables", h_home());
  char *text = h_read(p, NULL);
  cr_assert_not_null(text, "%s", p);
  free(p);
  return text;
}

/* text with its one occurrence of old (after the first `after`, when
** given) replaced by new. */
static char *replace_once(const char *text, const char *after,
                          const char *old, const char *new)
{
  const char *from = after ? strstr(text, after) : text;
  cr_assert_not_null(from, "no '%s'", after);
  const char *at = strstr(from, old);
  cr_assert_not_null(at, "no '%s'", old);
  if (!after)
    cr_assert_null(strstr(at + 1, old), "'%s' occurs twice", old);
  return h_fmt("%.*s%s%s", (int)(at - text), text, new, at + strlen(old));
}

static chk_run *check_stream(const char *text)
{
  FILE *in = fmemopen((void *)text, strlen(text), "r");
  cr_assert_not_null(in);
  tbl_reader *rd = tbl_reader_new(in, "test");
  chk_run *c = chk_new();
  cr_assert(rd && c);
  tbl_table t;
  tbl_status st;
  while ((st = tbl_reader_next(rd, &t)) == TBL_OK)
    cr_assert_eq(chk_add_table(c, &t), 0);
  cr_assert_eq(st, TBL_END, "%s", tbl_reader_error(rd));
  cr_assert_eq(chk_finish(c), 0);
  tbl_reader_free(rd);
  fclose(in);
  return c;
}

/* The findings as checks.csv (table IDs for Excel when excel is set),
** header line dropped, CRLF as LF. */
static char *findings_as(const chk_run *c, int excel)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  cr_assert_eq(chk_write_csv(c, f, 0, excel), 0);
  fclose(f);
  char *body = strstr(buf, "\r\n");
  cr_assert_not_null(body);
  char *out = h_fmt("%s", body + 2);
  free(buf);
  char *w = out;
  for (const char *r = out; *r; r++)
    if (*r != '\r')
      *w++ = *r;
  *w = '\0';
  return out;
}

static char *findings(const chk_run *c) { return findings_as(c, 0); }

static void expect_findings(const char *text, const char *want)
{
  chk_run *c = check_stream(text);
  char *got = findings(c);
  cr_expect_str_eq(got, want);
  cr_expect_gt(chk_checked(c), 0);
  free(got);
  chk_free(c);
}

Test(checks, the_document_adds_up)
{
  char *text = document();
  chk_run *c = check_stream(text);
  char *got = findings(c);
  cr_expect_str_eq(got, "");
  cr_expect_eq(chk_differs(c), 0);
  /* Every table takes part: 03's rows alone are some fifty sums. */
  cr_expect_gt(chk_checked(c), 300, "%zu", chk_checked(c));
  free(got);
  chk_free(c);
  free(text);
}

Test(checks, a_wrong_column_total_is_that_one_finding)
{
  char *text = document();
  char *bad = replace_once(text, NULL, "62.80\t\t50.68", "62.90\t\t50.68");
  expect_findings(bad,
                  "09,2,“三公”经费合计,column total,62.80,62.90,0.10\n");
  free(bad);
  free(text);
}

/* --excel: the table ID 09 would be the number 9 in a spreadsheet. */
Test(checks, excel_keeps_the_table_id_text)
{
  char *text = document();
  char *bad = replace_once(text, NULL, "62.80\t\t50.68", "62.90\t\t50.68");
  chk_run *c = check_stream(bad);
  char *got = findings_as(c, 1);
  cr_expect_str_eq(got, "\"=\"\"09\"\"\",2,“三公”经费合计,column total,62.80,"
                        "62.90,0.10\n");
  free(got);
  chk_free(c);
  free(bad);
  free(text);
}

Test(checks, a_wrong_subtotal_shows_where_it_is_a_total_and_a_part)
{
  /* 03's 行政运行 row: its 基本支出/小计 is the sum of the row's 基本支出
  ** columns, a part of the row's 合计, and a part of the 款 row above. */
  char *text = document();
  char *bad = replace_once(text, "@@table\t03",
                           "行政运行\t2034.33\t2034.33",
                           "行政运行\t2034.33\t2034.34");
  expect_findings(
      bad, "03,6,合计,column total,2034.34,2034.33,-0.01\n"
           "03,6,基本支出/小计,column subtotal,2034.33,2034.34,0.01\n"
           "03,5,基本支出/小计,row subtotal,3206.54,3206.53,-0.01\n");
  free(bad);
  free(text);
}

Test(checks, a_wrong_row_total_reaches_the_tables_that_repeat_it)
{
  char *text = document();
  char *bad = replace_once(text, NULL, "本年支出合计\t6380.86",
                           "本年支出合计\t6380.96");
  expect_findings(bad,
                  "01,32,支出/金额,row total,6380.86,6380.96,0.10\n"
                  "01,34,支出/金额,row total,6380.96,6380.86,-0.10\n"
                  "03,2,合计,03 合计 = 01 本年支出合计,6380.96,6380.86,"
                  "-0.10\n");
  free(bad);
  free(text);
}

/* Two tables that each add up, but disagree with each other. */
static const char cross[] =
    "@@table\t03\t部门支出预算表\t部门支出预算表\t1\t1\t万元\n"
    "@@columns\t科目编码/类\t科目编码/款\t科目编码/项\t单位代码\t"
    "单位（科目名称）\t合计\t基本支出/小计\t项目支出/小计\n"
    "\t\t\t\t合计\t150.00\t50.00\t100.00\n"
    "201\t\t\t\t一般公共服务支出\t150.00\t50.00\t100.00\n"
    "201\t03\t\t\t政府办公厅（室）及相关机构事务\t150.00\t50.00\t100.00\n"
    "201\t03\t01\t\t行政运行\t50.00\t50.00\t\n"
    "201\t03\t02\t\t一般行政管理事务\t100.00\t\t100.00\n"
    "@@end\n"
    "@@table\t12\t项目支出预算表\t项目支出表\t2\t2\t万元\n"
    "@@columns\t类型\t项目名称\t项目单位\t合计\t本年拨款/一般公共预算\n"
    "\t合计\t\t90.00\t90.00\n"
    "特定目标类\t信息化运维\t办公室\t90.00\t90.00\n"
    "@@end\n";

Test(checks, a_cross_table_total_that_disagrees_is_one_finding)
{
  expect_findings(cross, "12,2,合计,12 合计 = 03 项目支出,100.00,90.00,"
                         "-10.00\n");
}

Test(checks, cells_that_are_not_amounts_are_not_checked)
{
  static const char text[] =
      "@@table\t09\t一般公共预算“三公”经费预算表\t三公\t1\t1\t万元\n"
      "@@columns\t“三公”经费合计\t因公出国（境）费\t公务接待费\n"
      "62.80\t—\t12.12\n"        /* a dash part: not checked */
      "见说明\t1.00\t2.00\n"     /* a text total: not checked */
      "5.00\t\t\n"               /* every part empty: not checked */
      "1,000.00\t500.00\t500.00\n" /* not a clean amount: text */
      "12345678901234\t1\t2\n"   /* past 13 digits: text */
      "@@end\n";
  chk_run *c = check_stream(text);
  cr_expect_eq(chk_checked(c), 0);
  cr_expect_eq(chk_differs(c), 0);
  chk_free(c);
}

Test(checks, an_empty_column_total_over_amounts_is_a_finding)
{
  /* A 合计 cell left empty beside its parts: most often a header read
  ** wrong, so the amounts sit under another column. */
  static const char text[] =
      "@@table\t09\t一般公共预算“三公”经费预算表\t三公\t1\t1\t万元\n"
      "@@columns\t“三公”经费合计\t因公出国（境）费\t公务接待费\n"
      "\t1.00\t2.00\n"
      "\t0.00\t\n"
      "@@end\n";
  expect_findings(text, "09,2,“三公”经费合计,column total,3.00,,-3.00\n");
}

Test(checks, the_expected_sum_has_the_decimals_of_its_most_precise_cell)
{
  static const char text[] =
      "@@table\t09\t一般公共预算“三公”经费预算表\t三公\t1\t1\t元\n"
      "@@columns\t“三公”经费合计\t因公出国（境）费\t公务接待费\n"
      "3.7\t1.5\t2.25\n"
      "28456300\t28456300\t1\n"
      "-1.00\t-0.5\t-0.5\n"
      "@@end\n";
  expect_findings(text, "09,2,“三公”经费合计,column total,3.75,3.7,-0.05\n"
                        "09,3,“三公”经费合计,column total,28456301,"
                        "28456300,-1\n");
}

Test(checks, a_vertical_list_nests_by_its_numbering)
{
  /* 09 as a list: 3、 is the sum of its （1）（2）, 共计 of 1、 2、 3、. */
  static const char text[] =
      "@@table\t09\t一般公共预算“三公”经费预算表\t三公\t1\t1\t万元\n"
      "@@columns\t项目\t2024年“三公”经费预算数\n"
      "共计\t28.60\n"
      "1、因公出国（境）费\t0.00\n"
      "2、公务接待费\t7.20\n"
      "3、公务用车购置及运行费\t21.40\n"
      "其中：（1）公务用车购置费\t1.00\n"
      "（2）公务用车运行费\t21.40\n"
      "@@end\n";
  expect_findings(text, "09,5,2024年“三公”经费预算数,row subtotal,22.40,"
                        "21.40,-1.00\n");
}

Test(checks, a_total_printed_under_the_last_side_of_its_label)
{
  /* Jiangsu's 01: 当年支出小计 spans 功能分类 and 支出用途 and prints its
  ** amount in the last column; the 功能分类 side has no total to check. */
  static const char text[] =
      "@@table\t01\t部门收支预算表\t收支预算总表\t1\t1\t万元\n"
      "@@columns\t收入/项目名称\t收入/金额\t支出/功能分类/功能科目名称\t"
      "支出/功能分类/金额\t支出/支出用途/项目名称\t支出/支出用途/金额\n"
      "一、财政拨款\t100.00\t一、一般公共服务支出\t60.00\t一、基本支出\t70.00\n"
      "1.一般公共预算\t100.00\t二、公共安全支出\t40.00\t二、项目支出\t30.00\n"
      "二、其他资金\t\t\t\t\t\n"
      "当年收入小计\t100.00\t当年支出小计\t\t\t100.00\n"
      "上年结转资金\t5.00\t结转下年资金\t\t\t5.00\n"
      "收入合计\t105.00\t支出合计\t\t\t106.00\n"
      "@@end\n";
  expect_findings(text,
                  "01,7,支出/支出用途/金额,row total,105.00,106.00,1.00\n"
                  "01,7,支出/支出用途/金额,01 支出总计 = 01 收入总计,"
                  "105.00,106.00,1.00\n");
}

Test(checks, jiangsu_names_its_totals_otherwise_and_they_still_compare)
{
  /* 当年支出小计 is Jiangsu's 本年支出合计; its 03 is one row, no codes. */
  static const char text[] =
      "@@table\t01\t部门收支预算表\t收支预算总表\t1\t1\t万元\n"
      "@@columns\t收入/项目名称\t收入/金额\t支出/功能分类/功能科目名称\t"
      "支出/功能分类/金额\t支出/支出用途/项目名称\t支出/支出用途/金额\n"
      "一、财政拨款\t100.00\t一、公共安全支出\t100.00\t一、基本支出\t100.00\n"
      "当年收入小计\t100.00\t当年支出小计\t\t\t100.00\n"
      "@@end\n"
      "@@table\t03\t部门支出预算表\t支出预算总表\t1\t1\t万元\n"
      "@@columns\t合计\t基本支出\t项目支出\n"
      "90.00\t60.00\t30.00\n"
      "@@end\n";
  expect_findings(text, "03,2,合计,03 合计 = 01 本年支出合计,100.00,90.00,"
                        "-10.00\n");
}

/* ---- samples: their expected CSVs give their expected checks.csv ------ */

typedef struct conv {
  FILE *f;
  size_t field, record;
} conv;

static void on_field(void *s, size_t n, void *data)
{
  conv *c = data;
  if (c->record == 0 && c->field == 0)
    fputs("@@columns\t", c->f);
  else if (c->field)
    fputc('\t', c->f);
  if (n)
    fwrite(s, 1, n, c->f);
  c->field++;
}

static void on_record(int ch, void *data)
{
  conv *c = data;
  (void)ch;
  fputc('\n', c->f);
  c->field = 0;
  c->record++;
}

/* Appends one clean CSV to f as a table of the stream. */
static void csv_to_stream(FILE *f, const char *id, const char *path)
{
  size_t len;
  char *text = h_read(path, &len);
  cr_assert_not_null(text, "%s", path);
  fprintf(f, "@@table\t%s\t\t\t\t\t\n", id);
  struct csv_parser p;
  cr_assert_eq(csv_init(&p, 0), 0);
  conv c = {f, 0, 0};
  cr_assert_eq(csv_parse(&p, text, len, on_field, on_record, &c), len);
  csv_fini(&p, on_field, on_record, &c);
  csv_free(&p);
  fputs("@@end\n", f);
  free(text);
}

/* The IDs of an index, in its (the document's) order. */
static void index_ids(const char *path, char ids[][16], size_t *n)
{
  char *text = h_read(path, NULL);
  cr_assert_not_null(text, "%s", path);
  *n = 0;
  for (char *line = strstr(text, "\r\n"); line && line[2]; ) {
    line += 2;
    char *comma = strchr(line, ',');
    cr_assert_not_null(comma);
    cr_assert_lt(*n, 64);
    snprintf(ids[*n], 16, "%.*s", (int)(comma - line), line);
    (*n)++;
    line = strstr(line, "\r\n");
  }
  free(text);
}

Test(checks, each_samples_expected_csvs_give_its_expected_checks_csv)
{
  char *root = h_fmt("%s/samples", h_home());
  DIR *d = opendir(root);
  cr_assert_not_null(d);
  struct dirent *e;
  size_t samples = 0, with_findings = 0;
  while ((e = readdir(d))) {
    char *exp = h_fmt("%s/%s/expected", root, e->d_name);
    char *ip = h_fmt("%s/tables.csv", exp);
    if (e->d_name[0] == '.' || !h_exists(ip)) {
      free(exp);
      free(ip);
      continue;
    }
    char ids[64][16];
    size_t n;
    index_ids(ip, ids, &n);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    for (size_t i = 0; i < n; i++) {
      char *tp = h_fmt("%s/%s.csv", exp, ids[i]);
      csv_to_stream(f, ids[i], tp);
      free(tp);
    }
    fclose(f);
    chk_run *c = check_stream(buf);
    char *got = findings(c);
    char *cp = h_fmt("%s/checks.csv", exp);
    char *want = h_read(cp, NULL);
    cr_assert_not_null(want, "%s", cp);
    char *w = want;
    for (const char *r = want; *r; r++)
      if (*r != '\r')
        *w++ = *r;
    *w = '\0';
    cr_expect_str_eq(got, strchr(want, '\n') + 1, "%s", e->d_name);
    cr_expect_gt(chk_checked(c), 0, "%s: nothing checked", e->d_name);
    samples++;
    with_findings += chk_differs(c) > 0;
    free(want);
    free(cp);
    free(got);
    chk_free(c);
    free(buf);
    free(exp);
    free(ip);
  }
  closedir(d);
  free(root);
  cr_expect_geq(samples, 6);
  /* text-paste's 01 is the one sample that does not add up. */
  cr_expect_eq(with_findings, 1);
}

/* ---- budget-csv -o ---------------------------------------------------- */

static char *tmp, *prog;

static void setup(void)
{
  tmp = h_tmpdir();
  prog = h_bin("budget-csv");
}

static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
  free(prog);
}

TestSuite(budget_csv_checks, .init = setup, .fini = teardown);

Test(budget_csv_checks, a_finding_is_written_and_summed_up_and_exits_0)
{
  char *in = h_fmt("%s/cross.tables", tmp), *out = h_fmt("%s/out", tmp);
  h_write_str(in, cross);
  char *argv[] = {prog, "-o", out, in, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_expect_str_eq(r.err, "budget-csv: checks: 19 sums checked, 1 does not "
                          "add up as printed (see checks.csv; a finding "
                          "about the document, not a tool error)\n");
  char *cp = h_fmt("%s/checks.csv", out);
  char *got = h_read(cp, NULL);
  cr_expect_str_eq(got, "table,row,column,check,expected,printed,"
                        "difference\r\n"
                        "12,2,合计,12 合计 = 03 项目支出,100.00,90.00,"
                        "-10.00\r\n");
  free(got);
  h_result_free(&r);

  /* --no-checks: no file, no line; a stale checks.csv goes. */
  char *argv2[] = {prog, "-o", out, "--no-checks", in, NULL};
  r = h_run(argv2, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_expect_str_eq(r.err, "");
  cr_expect_not(h_exists(cp));
  h_result_free(&r);
  free(cp);
  free(in);
  free(out);
}

Test(budget_csv_checks, sums_that_add_up_say_so_with_a_header_only_file)
{
  char *text = document();
  char *in = h_fmt("%s/doc.tables", tmp), *out = h_fmt("%s/out", tmp);
  h_write_str(in, text);
  char *argv[] = {prog, "-o", out, "--bom", in, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "%s", r.err);
  cr_expect(strstr(r.err, " sums checked, all add up\n"), "%s", r.err);
  cr_expect_eq(h_lines(r.err), 1, "%s", r.err);
  char *cp = h_fmt("%s/checks.csv", out);
  char *got = h_read(cp, NULL);
  cr_expect_str_eq(got, "\xEF\xBB\xBFtable,row,column,check,expected,"
                        "printed,difference\r\n");
  free(got);
  free(cp);
  h_result_free(&r);
  free(in);
  free(out);
  free(text);
}
