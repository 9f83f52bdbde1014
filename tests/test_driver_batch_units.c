/*
** budget-batch's modules one by one: the input lister (batch_inputs.h),
** the long-format writer on hand-made folders (batch_long.h), the atomic
** file (batch_atomic.h) and the job runner (batch_jobs.h).
*/
#include <criterion/criterion.h>

#include "batch_atomic.h"
#include "batch_inputs.h"
#include "batch_jobs.h"
#include "batch_long.h"
#include "exit_codes.h"
#include "helpers.h"

static char *tmp;
static void setup(void) { tmp = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
}
TestSuite(batch_units, .init = setup, .fini = teardown);

static void put(const char *name, const char *text)
{
  char *p = h_fmt("%s/%s", tmp, name);
  h_write_str(p, text);
  free(p);
}

static void dir(const char *name)
{
  char *p = h_fmt("%s/%s", tmp, name);
  cr_assert_eq(mkdir(p, 0755), 0);
  free(p);
}

/* ---- inputs ------------------------------------------------------------ */

Test(batch_units, folder_sorted_documents_only_names_unique)
{
  dir("in");
  put("in/b.pdf", "x");
  put("in/a.PDF", "x");
  put("in/a.txt", "x");
  put("in/long.csv.txt", "x");
  put("in/.hidden.pdf", "x");
  put("in/readme.md", "x");
  dir("in/c.pdf"); /* a folder named like a document */
  put("solo", "x");
  char *folder = h_fmt("%s/in", tmp), *file = h_fmt("%s/solo", tmp);
  char *inputs[] = {folder, file};
  batch_list l;
  char err[512];
  cr_assert_eq(batch_inputs_collect(inputs, 2, &l, err, sizeof err),
               BUDGET_EXIT_OK, "%s", err);
  const char *paths[] = {"in/a.PDF", "in/a.txt", "in/b.pdf",
                         "in/long.csv.txt", "solo"};
  const char *names[] = {"a", "a-2", "b", "long.csv-2", "solo"};
  cr_assert_eq(l.n, 5);
  for (size_t i = 0; i < l.n; i++) {
    char *want = h_fmt("%s/%s", tmp, paths[i]);
    cr_expect_str_eq(l.docs[i].path, want);
    cr_expect_str_eq(l.docs[i].name, names[i]);
    free(want);
  }
  batch_inputs_free(&l);
  free(folder);
  free(file);
}

/* A file name several folders share (the usual one folder per
** department, each with its doc.pdf) is named by its folder too; where
** that still meets (two doc.* in one folder), numbers part them. */
Test(batch_units, a_shared_file_name_takes_its_folders_name)
{
  dir("x");
  dir("y");
  put("x/doc.pdf", "x");
  put("x/doc.txt", "x");
  put("y/doc.pdf", "x");
  put("solo.pdf", "x");
  char *x = h_fmt("%s/x", tmp), *y = h_fmt("%s/y", tmp);
  char *solo = h_fmt("%s/solo.pdf", tmp);
  char *inputs[] = {x, y, solo};
  batch_list l;
  char err[512];
  cr_assert_eq(batch_inputs_collect(inputs, 3, &l, err, sizeof err),
               BUDGET_EXIT_OK, "%s", err);
  const char *names[] = {"doc", "doc-2", "y_doc", "solo"};
  cr_assert_eq(l.n, 4);
  for (size_t i = 0; i < l.n; i++)
    cr_expect_str_eq(l.docs[i].name, names[i], "%s", l.docs[i].path);
  batch_inputs_free(&l);
  free(x);
  free(y);
  free(solo);
}

Test(batch_units, missing_input_is_named)
{
  char *missing = h_fmt("%s/none", tmp);
  char *inputs[] = {missing};
  batch_list l;
  char err[512];
  cr_assert_eq(batch_inputs_collect(inputs, 1, &l, err, sizeof err),
               BUDGET_EXIT_NO_INPUT);
  cr_assert(strstr(err, "/none: No such file or directory"), "%s", err);
  cr_assert_eq(l.n, 0);
  free(missing);
}

/* ---- long format ----------------------------------------------------- */

static char *long_of_opts(const char *folder_name, const long_opts *o,
                          int *rc)
{
  char *folder = h_fmt("%s/%s", tmp, folder_name);
  char *buf = NULL;
  size_t len = 0, n = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_not_null(f);
  char err[512] = "";
  *rc = long_add_document(f, "doc", folder, o, &n, err, sizeof err);
  fclose(f);
  free(folder);
  if (*rc != BUDGET_EXIT_OK) {
    free(buf);
    return strdup(err);
  }
  cr_assert_eq((size_t)h_lines(buf), n);
  return buf;
}

static char *long_of(const char *folder_name, int *rc)
{
  long_opts none = {0, 0, 0};
  return long_of_opts(folder_name, &none, rc);
}

Test(batch_units, halves_codes_placeholders_and_the_form)
{
  dir("d");
  put("d/document.csv", "source,department,year,pages\r\n"
                        "x.pdf,某县财政局,2024,9\r\n");
  put("d/tables.csv",
      "id,canonical_title,printed_title,first_page,last_page,rows,columns,"
      "unit\r\n01,a,a,1,1,2,4,万元\r\n05,b,b,2,2,4,6,元\r\n"
      "14,c,c,3,3,1,2,\r\n");
  put("d/01.csv", "收入/项目,收入/金额,支出/项目,支出/金额\r\n"
                  "一、拨款收入,10.00,一、教育支出,8.00\r\n"
                  ",,二、卫生支出,-\r\n");
  put("d/05.csv", "科目编码/类,科目编码/款,科目编码/项,科目名称,"
                  "政府性基金,合计\r\n"
                  ",,,合计,,\"1,5\"\r\n"
                  "208,,,社会保障,,7\r\n"
                  ",05,,养老,,7\r\n"
                  ",,01,行政单位,,3\r\n");
  put("d/14.csv", "部门（单位）名称,某县财政局\r\n预算总额,100.00\r\n");
  int rc;
  char *got = long_of("d", &rc);
  /* "1,5" is not an amount: 合计 is a text column then, and gives none */
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got,
                   "doc,某县财政局,2024,01,1,,一、拨款收入,收入/金额,10.00,万元\r\n"
                   "doc,某县财政局,2024,01,1,,一、教育支出,支出/金额,8.00,万元\r\n");
  free(got);
  put("d/05.csv", "科目编码/类,科目编码/款,科目编码/项,科目名称,"
                  "政府性基金,合计\r\n"
                  ",,,合计,,15\r\n"
                  "208,,,社会保障,,7\r\n"
                  ",05,,养老,,7\r\n"
                  ",,01,行政单位,,3\r\n"
                  "210,,,卫生,,8\r\n");
  got = long_of("d", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert(strstr(got, "doc,某县财政局,2024,05,1,,合计,合计,15,元\r\n"
                        "doc,某县财政局,2024,05,2,208,社会保障,合计,7,元\r\n"
                        "doc,某县财政局,2024,05,3,20805,养老,合计,7,元\r\n"
                        "doc,某县财政局,2024,05,4,2080501,行政单位,合计,3,元\r\n"
                        "doc,某县财政局,2024,05,5,210,卫生,合计,8,元\r\n"),
            "%s", got);
  cr_assert_null(strstr(got, ",14,"), "%s", got);
  free(got);
}

/* 06 as dev documents print it: the 部门 and the 政府 economic
** classification side by side, each with its code and its name (a name
** column under a 科目编码 parent is a name). */
Test(batch_units, two_classifications_side_by_side)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n06,万元\r\n");
  put("d/06.csv", "类科目/科目编码,类科目/科目名称,科目编码/科目编码,"
                  "科目编码/科目名称,合计\r\n"
                  "合计,,,,4.00\r\n"
                  "30239,其他交通费用,50502,商品和服务支出,1.22\r\n"
                  ",,50502,商品和服务支出,0.33\r\n");
  int rc;
  char *got = long_of("d", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got, "doc,,,06,1,,合计,合计,4.00,万元\r\n"
                        "doc,,,06,2,30239,其他交通费用,合计,1.22,万元\r\n"
                        "doc,,,06,3,50502,商品和服务支出,合计,0.33,万元\r\n");
  free(got);
}

/* 01 in three parts, as Jiangsu prints it: a 小计 label printed across
** the 功能分类 and 支出用途 parts sits in the first of them. */
Test(batch_units, label_printed_across_two_parts)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n01,万元\r\n");
  put("d/01.csv", "收入/项目名称,收入/金额,支出/功能分类/功能科目名称,"
                  "支出/功能分类/金额,支出/支出用途/项目名称,"
                  "支出/支出用途/金额\r\n"
                  "一、财政拨款,9.00,一、一般公共服务支出,9.00,一、基本支出,6.00\r\n"
                  "当年收入小计,9.00,当年支出小计,,,9.00\r\n");
  int rc;
  char *got = long_of("d", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert(strstr(got, "doc,,,01,2,,当年支出小计,支出/支出用途/金额,9.00,"
                        "万元\r\n"),
            "%s", got);
  cr_assert(strstr(got, "doc,,,01,1,,一、基本支出,支出/支出用途/金额,6.00,"),
            "%s", got);
  free(got);
}

Test(batch_units, folder_without_document_csv_or_index)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n09,万元\r\n");
  put("d/09.csv", "合计,公务接待费\r\n3.60,1.20\r\n");
  int rc;
  char *got = long_of("d", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got, "doc,,,09,1,,,合计,3.60,万元\r\n"
                        "doc,,,09,1,,,公务接待费,1.20,万元\r\n");
  free(got);
  dir("e");
  got = long_of("e", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_NO_INPUT);
  cr_assert(strstr(got, "e/tables.csv: No such file"), "%s", got);
  free(got);
  put("d/09.csv", "合计,\"公务接待费\r\n3.60");
  got = long_of("d", &rc);
  cr_assert_eq(rc, BUDGET_EXIT_BAD_TEXT, "%s", got);
  cr_assert(strstr(got, "09.csv: not a valid CSV"), "%s", got);
  free(got);
}

/* --page-column: the last column `page` gives no values; it is each
** record's 11th field. */
Test(batch_units, page_column_is_where_not_what)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n05,万元\r\n");
  put("d/05.csv", "科目编码/类,科目名称,合计,page\r\n"
                  ",合计,15,4\r\n"
                  "208,社会保障,7,5\r\n");
  long_opts o = {0, 1, 0};
  int rc;
  char *got = long_of_opts("d", &o, &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got, "doc,,,05,1,,合计,合计,15,万元,4\r\n"
                        "doc,,,05,2,208,社会保障,合计,7,万元,5\r\n");
  free(got);
  /* a folder written without the column: the page is empty */
  put("d/05.csv", "科目编码/类,科目名称,合计\r\n208,社会保障,7\r\n");
  got = long_of_opts("d", &o, &rc);
  cr_assert_str_eq(got, "doc,,,05,1,208,社会保障,合计,7,万元,\r\n");
  free(got);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(long_write_header(f, &o), 0);
  fclose(f);
  cr_assert_str_eq(buf, "document,department,year,table_id,row,code,"
                        "row_label,column,value,unit,page\r\n");
  free(buf);
}

/* --excel: ="208" read back as 208, so the levels join; long.csv writes
** what Excel would turn into a number as a formula again. */
Test(batch_units, excel_formulas_are_codes)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n05,万元\r\n");
  put("d/05.csv", "科目编码/类,科目编码/款,科目编码/项,科目名称,合计\r\n"
                  "\"=\"\"208\"\"\",\"=\"\"05\"\"\",\"=\"\"01\"\"\",行政单位,3\r\n"
                  ",,\"=\"\"02\"\"\",\"=\"\"007\"\"\",4\r\n");
  long_opts o = {1, 0, 1};
  int rc;
  char *got = long_of_opts("d", &o, &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got,
                   "doc,,,\"=\"\"05\"\"\",1,2080501,行政单位,合计,3,万元\r\n"
                   "doc,,,\"=\"\"05\"\"\",2,2080502,\"=\"\"007\"\"\",合计,4,"
                   "万元\r\n");
  free(got);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert_eq(long_write_header(f, &o), 0);
  fclose(f);
  cr_assert(!strncmp(buf, "\xEF\xBB\xBF" "document,", 12));
  free(buf);
}

/* --fill-down: a 项目名称 merged over two rows is repeated in the second,
** which then takes it as its row label, as the first row does; without
** the fill the second row falls back to its own rightmost text. */
Test(batch_units, filled_label_is_the_row_label)
{
  dir("d");
  put("d/tables.csv", "id,unit\r\n12,万元\r\n");
  put("d/12.csv", "项目名称,资金来源,金额\r\n"
                  "校舍维修,财政拨款,10.00\r\n"
                  "校舍维修,单位自筹,5.00\r\n");
  long_opts o = {0, 0, 0};
  int rc;
  char *got = long_of_opts("d", &o, &rc);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", got);
  cr_assert_str_eq(got, "doc,,,12,1,,校舍维修,金额,10.00,万元\r\n"
                        "doc,,,12,2,,校舍维修,金额,5.00,万元\r\n");
  free(got);
  put("d/12.csv", "项目名称,资金来源,金额\r\n"
                  "校舍维修,财政拨款,10.00\r\n"
                  ",单位自筹,5.00\r\n");
  got = long_of_opts("d", &o, &rc);
  cr_assert(strstr(got, "doc,,,12,2,,单位自筹,金额,5.00,万元\r\n"), "%s", got);
  free(got);
}

/* ---- atomic file ----------------------------------------------------- */

Test(batch_units, atomic_file_replaces_whole_or_not_at_all)
{
  char *path = h_fmt("%s/long.csv", tmp);
  h_write_str(path, "old\n");
  char err[512];
  atomic_file *a = atomic_open(path, err, sizeof err);
  cr_assert_not_null(a, "%s", err);
  fputs("new\n", atomic_stream(a));
  atomic_abort(a);
  char *t = h_read(path, NULL);
  cr_assert_str_eq(t, "old\n");
  free(t);
  a = atomic_open(path, err, sizeof err);
  cr_assert_not_null(a, "%s", err);
  fputs("new\n", atomic_stream(a));
  cr_assert_eq(atomic_commit(a, err, sizeof err), 0, "%s", err);
  t = h_read(path, NULL);
  cr_assert_str_eq(t, "new\n");
  free(t);
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "long.csv\n");
  free(l);
  char *nodir = h_fmt("%s/missing/long.csv", tmp);
  cr_assert_null(atomic_open(nodir, err, sizeof err));
  cr_assert(strstr(err, "missing/long.csv: No such file"), "%s", err);
  free(nodir);
  free(path);
}

/* ---- jobs -------------------------------------------------------------- */

typedef struct seen {
  int status[8];
  int calls;
} seen;

static void note(void *ctx, size_t i, int status)
{
  seen *s = ctx;
  s->status[i] = status;
  s->calls++;
}

Test(batch_units, jobs_all_run_status_and_stderr_kept)
{
  char *e[4];
  job js[4];
  char *argvs[4][4] = {
      {"/bin/sh", "-c", "echo one >&2; exit 0", NULL},
      {"/bin/sh", "-c", "echo two >&2; exit 4", NULL},
      {"/bin/sh", "-c", "kill -9 $$", NULL},
      {"/nonexistent/program", NULL, NULL, NULL},
  };
  for (int i = 0; i < 4; i++) {
    e[i] = h_fmt("%s/%d.err", tmp, i);
    js[i] = (job){argvs[i], e[i]};
  }
  for (int parallel = 1; parallel <= 3; parallel++) {
    seen s = {{0}, 0};
    char err[256];
    cr_assert_eq(jobs_run(js, 4, parallel, note, &s, err, sizeof err), 0);
    cr_assert_eq(s.calls, 4);
    cr_assert(WIFEXITED(s.status[0]) && WEXITSTATUS(s.status[0]) == 0);
    cr_assert(WIFEXITED(s.status[1]) && WEXITSTATUS(s.status[1]) == 4);
    cr_assert(WIFSIGNALED(s.status[2]) && WTERMSIG(s.status[2]) == 9);
    char *t = h_read(e[3], NULL);
    cr_assert(WIFEXITED(s.status[3]) &&
                  WEXITSTATUS(s.status[3]) == BUDGET_EXIT_STAGE,
              "status 0x%x, stderr: %s", (unsigned)s.status[3], t);
    free(t);
    t = h_read(e[1], NULL);
    cr_assert_str_eq(t, "two\n");
    free(t);
    t = h_read(e[3], NULL);
    cr_assert(strstr(t, "/nonexistent/program: cannot run: No such file"),
              "%s", t);
    free(t);
  }
  for (int i = 0; i < 4; i++)
    free(e[i]);
  cr_assert_geq(jobs_default_parallel(), 1);
}
