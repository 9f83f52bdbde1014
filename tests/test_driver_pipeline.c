/*
** budget2csv end to end on a hand-written table stream, through fake
** pipeline.conf files: the chain runs, the folder is replaced only when
** every stage succeeded, failures are one stderr line with the right exit
** status, and nothing is left behind.
*/
#include <criterion/criterion.h>

#include "exit_codes.h"
#include "helpers.h"

static char *tmp;    /* private folder of the test */
static char *b2c;    /* the built budget2csv */

static void setup(void)
{
  tmp = h_tmpdir();
  b2c = h_bin("budget2csv");
}

static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
  free(b2c);
}

TestSuite(pipeline, .init = setup, .fini = teardown);

/* The budget-normalize output budget-csv expects (docs/stream.md). */
static const char stream[] =
    "@@budget-stream\t1\n"
    "@@table\t01\t部门收支预算表\t2024年部门收支预算表\t2\t2\t万元\n"
    "@@columns\t收入/项目\t收入/金额\t支出/项目\t支出/金额\n"
    "一、一般公共预算拨款收入\t6045.44\t一、一般公共服务支出\t\n"
    "本年收入合计\t6351.62\t本年支出合计\t6351.62\n"
    "@@end\n"
    "\n"
    "@@table\t09\t一般公共预算“三公”经费预算表\t2024年\"三公\"经费支出预算表"
    "\t5\t5\t万元\n"
    "@@columns\t项目\t预算数\n"
    "共计\t28.60\n"
    "说明：含\"接待\",培训\t0.00\n"
    "@@end\n";

static const char want01[] =
    "收入/项目,收入/金额,支出/项目,支出/金额\r\n"
    "一、一般公共预算拨款收入,6045.44,一、一般公共服务支出,\r\n"
    "本年收入合计,6351.62,本年支出合计,6351.62\r\n";
static const char want09[] = "项目,预算数\r\n"
                             "共计,28.60\r\n"
                             "\"说明：含\"\"接待\"\",培训\",0.00\r\n";
static const char want_index[] =
    "id,canonical_title,printed_title,first_page,last_page,rows,columns,"
    "unit\r\n"
    "01,部门收支预算表,2024年部门收支预算表,2,2,2,4,万元\r\n"
    "09,一般公共预算“三公”经费预算表,\"2024年\"\"三公\"\"经费支出预算表\",5,"
    "5,2,2,万元\r\n";

/* TMP/name with text; returns the path. */
static char *file(const char *name, const char *text)
{
  char *p = h_fmt("%s/%s", tmp, name);
  h_write_str(p, text);
  return p;
}

/* An executable shell script TMP/name. */
static char *script(const char *name, const char *body)
{
  char *p = file(name, body);
  cr_assert_eq(chmod(p, 0755), 0);
  return p;
}

/* A pipeline.conf whose text chain is text_chain (pdf chain too unless
** given). */
static char *conf(const char *text_chain, const char *pdf_chain)
{
  char *body = h_fmt("pdf = %s\ntext = %s\n",
                     pdf_chain ? pdf_chain : text_chain, text_chain);
  char *p = file("pipeline.conf", body);
  free(body);
  return p;
}

static void check_file(const char *dir, const char *name, const char *want)
{
  char *p = h_fmt("%s/%s", dir, name);
  size_t len;
  char *got = h_read(p, &len);
  cr_assert_not_null(got, "%s missing", p);
  cr_assert_eq(len, strlen(want), "%s: %zu bytes, want %zu:\n%s", p, len,
               strlen(want), got);
  cr_assert_str_eq(got, want, "%s", p);
  free(got);
  free(p);
}

/* The output folder's parent holds out and nothing staged. */
static void no_leftovers(void)
{
  cr_assert_not(h_has_entry_prefix(tmp, ".budget"),
                "staging left in %s", tmp);
}

#define CAT_CHAIN "cat {input} | budget-csv {output}"

Test(pipeline, text_stream_through_cat_and_budget_csv)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  /* The stream's 01 and 09 print less than their totals: findings. */
  cr_assert_str_eq(r.err, "budget-csv: checks: 3 sums checked, 2 do not add "
                          "up as printed (see checks.csv; a finding about "
                          "the document, not a tool error)\n");
  cr_assert_str_eq(r.out, "", "stdout stays empty with -o");
  char *l = h_listing(out);
  cr_assert_str_eq(l, "01.csv\n09.csv\nchecks.csv\nprovenance.csv\n"
                      "tables.csv\n");
  free(l);
  check_file(out, "01.csv", want01);
  check_file(out, "09.csv", want09);
  check_file(out, "tables.csv", want_index);
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, config_from_the_environment)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *env_entry = h_fmt("BUDGET_CONFIG=%s", cf);
  char *argv[] = {b2c, doc, "-o", out, NULL};
  char *env[] = {env_entry, NULL};
  h_result r = h_run_env(argv, NULL, NULL, env);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  check_file(out, "09.csv", want09);
  h_result_free(&r);
  free(env_entry);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, stdin_document_keeps_the_sniffed_bytes)
{
  /* Longer than the 1024 bytes budget2csv reads to tell PDF from text. */
  char *big = malloc(200000);
  cr_assert_not_null(big);
  strcpy(big, "@@table\t03\t部门支出预算表\t部门支出预算表\t1\t9\t万元\n"
              "@@columns\t科目编码/类\t单位（科目名称）\t合计\n");
  char *want = malloc(200000);
  cr_assert_not_null(want);
  strcpy(want, "科目编码/类,单位（科目名称）,合计\r\n");
  for (int i = 0; i < 2000; i++) {
    sprintf(big + strlen(big), "%d\t行政运行\t%d.%02d\n", 200 + i, i, i % 100);
    sprintf(want + strlen(want), "%d,行政运行,%d.%02d\r\n", 200 + i, i,
            i % 100);
  }
  strcat(big, "@@end\n");
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", big);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, "-", "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, doc);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  check_file(out, "03.csv", want);
  h_result_free(&r);
  free(big);
  free(want);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, stdin_starting_with_pdf_header_takes_the_pdf_chain)
{
  char *pdf_stage = script("pdfstage.sh", "#!/bin/sh\n"
                                          "echo \"pdf chain: $1\" >&2\n"
                                          "exit 4\n");
  char *pdf_chain = h_fmt("%s {input} | budget-csv {output}", pdf_stage);
  char *cf = conf(CAT_CHAIN, pdf_chain);
  char *doc = file("doc.bin", "junk\n%PDF-1.4\nrest\n");
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, "-", "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, doc);
  cr_assert_eq(r.status, BUDGET_EXIT_NOT_PDF, "stderr: %s", r.err);
  cr_assert_str_eq(r.err, "pdf chain: -\n");
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
  free(pdf_chain);
  free(pdf_stage);
}

Test(pipeline, table_option_prints_one_table)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *argv[] = {b2c, doc, "--table", "09", "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, want09);
  cr_assert_str_eq(r.err, "");
  h_result_free(&r);

  char *argv2[] = {b2c, doc, "--table", "05", "--config", cf, NULL};
  r = h_run(argv2, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_NO_TABLES);
  cr_assert_str_eq(r.out, "");
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "05") && strstr(r.err, doc), "%s", r.err);
  h_result_free(&r);
  free(doc);
  free(cf);
}

Test(pipeline, table_option_stages_in_tmpdir_and_cleans_up)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *t = h_fmt("%s/tmpdir", tmp);
  cr_assert_eq(mkdir(t, 0777), 0);
  char *env_entry = h_fmt("TMPDIR=%s", t);
  char *env[] = {env_entry, NULL};
  char *argv[] = {b2c, doc, "--table", "01", "--config", cf, NULL};
  h_result r = h_run_env(argv, NULL, NULL, env);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  cr_assert_str_eq(r.out, want01);
  h_result_free(&r);
  char *argv2[] = {b2c, doc, "--table", "07", "--config", cf, NULL};
  r = h_run_env(argv2, NULL, NULL, env);
  cr_assert_eq(r.status, BUDGET_EXIT_NO_TABLES, "stderr: %s", r.err);
  h_result_free(&r);
  char *l = h_listing(t);
  cr_assert_str_eq(l, "", "left in TMPDIR: %s", l);
  free(l);
  free(env_entry);
  free(t);
  free(doc);
  free(cf);
}

/* --table stages in a folder of its own made in TMPDIR; a TMPDIR that is
** not there is one line naming it, status 10, and nothing made. */
Test(pipeline, table_option_with_a_missing_tmpdir_is_status_10)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *t = h_fmt("%s/no-such-tmpdir", tmp);
  char *env_entry = h_fmt("TMPDIR=%s", t);
  char *env[] = {env_entry, NULL};
  char *argv[] = {b2c, doc, "--table", "01", "--config", cf, NULL};
  h_result r = h_run_env(argv, NULL, NULL, env);
  /* Under tools/memcheck.sh valgrind needs TMPDIR itself. */
  if (strstr(r.err, "valgrind: Unable to start")) {
    h_result_free(&r);
    free(env_entry);
    free(t);
    free(doc);
    free(cf);
    teardown(); /* cr_skip_test() skips the suite's .fini */
    cr_skip_test("valgrind needs TMPDIR itself");
  }
  cr_assert_eq(r.status, BUDGET_EXIT_OUTPUT, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, t), "%s", r.err);
  cr_assert_str_eq(r.out, "");
  cr_assert_not(h_exists(t), "TMPDIR was made");
  h_result_free(&r);
  free(env_entry);
  free(t);
  free(doc);
  free(cf);
}

Test(pipeline, bom_reaches_every_csv)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, "--bom", "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  char *bom01 = h_fmt("\xEF\xBB\xBF%s", want01);
  check_file(out, "01.csv", bom01);
  char *p = h_fmt("%s/tables.csv", out);
  char *idx = h_read(p, NULL);
  cr_assert(strncmp(idx, "\xEF\xBB\xBFid,", 6) == 0);
  free(idx);
  free(p);
  free(bom01);
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

/* An output folder from an earlier run, with a file of the user's. */
static char *old_output(void)
{
  char *out = h_fmt("%s/out", tmp);
  cr_assert_eq(mkdir(out, 0777), 0);
  const char *names[] = {"03.csv", "tables.csv", "my-notes.txt"};
  for (size_t i = 0; i < 3; i++) {
    char *p = h_fmt("%s/%s", out, names[i]);
    h_write_str(p, "old");
    free(p);
  }
  return out;
}

static void old_output_untouched(const char *out)
{
  char *l = h_listing(out);
  cr_assert_str_eq(l, "03.csv\nmy-notes.txt\ntables.csv\n");
  free(l);
  check_file(out, "03.csv", "old");
  check_file(out, "tables.csv", "old");
  no_leftovers();
}

Test(pipeline, a_second_run_replaces_managed_files_only)
{
  char *out = old_output();
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "stderr: %s", r.err);
  char *l = h_listing(out);
  cr_assert_str_eq(l, "01.csv\n09.csv\nchecks.csv\nmy-notes.txt\n"
                      "provenance.csv\ntables.csv\n");
  free(l);
  check_file(out, "my-notes.txt", "old");
  check_file(out, "tables.csv", want_index);
  no_leftovers();
  h_result_free(&r);
  free(doc);
  free(cf);
  free(out);
}

Test(pipeline, failing_stage_keeps_its_exit_status_and_the_old_folder)
{
  char *out = old_output();
  char *stage = script("fail.sh", "#!/bin/sh\n"
                                  "echo \"fake: $1: broken\" >&2\n"
                                  "exit 9\n");
  char *chain = h_fmt("%s {input} | budget-csv {output}", stage);
  char *cf = conf(chain, NULL), *doc = file("doc.txt", stream);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_BAD_TEXT, "stderr: %s", r.err);
  /* budget-csv's complaint about its empty input is not shown. */
  char *want = h_fmt("fake: %s: broken\n", doc);
  cr_assert_str_eq(r.err, want);
  free(want);
  old_output_untouched(out);
  h_result_free(&r);
  free(doc);
  free(cf);
  free(chain);
  free(stage);
  free(out);
}

Test(pipeline, silent_failure_gets_one_line_and_status_12)
{
  char *out = old_output();
  char *cf = conf("false | budget-csv {output}", NULL);
  char *doc = file("doc.txt", stream);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_STAGE, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "budget2csv: ") == r.err, "%s", r.err);
  cr_assert(strstr(r.err, "false failed with exit status 1"), "%s", r.err);
  old_output_untouched(out);
  h_result_free(&r);
  free(doc);
  free(cf);
  free(out);
}

Test(pipeline, killed_last_stage_leaves_nothing_behind)
{
  char *out = old_output();
  /* Writes into its -o folder, nested junk included, then dies. */
  char *stage = script("die.sh", "#!/bin/sh\n"
                                 "cat >/dev/null\n"
                                 "mkdir -p \"$2/sub/deeper\"\n"
                                 "echo x > \"$2/01.csv\"\n"
                                 "echo x > \"$2/sub/deeper/f\"\n"
                                 "mkdir -p \"$2/../.budget-csv-junk\"\n"
                                 "kill -9 $$\n");
  char *chain = h_fmt("cat {input} | %s {output}", stage);
  char *cf = conf(chain, NULL), *doc = file("doc.txt", stream);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_STAGE, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "killed by signal 9"), "%s", r.err);
  old_output_untouched(out);
  h_result_free(&r);
  free(doc);
  free(cf);
  free(chain);
  free(stage);
  free(out);
}

Test(pipeline, missing_stage_program)
{
  char *cf = conf("no-such-stage-xyz {input} | budget-csv {output}", NULL);
  char *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_STAGE, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "no-such-stage-xyz"), "%s", r.err);
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, stream_without_tables_is_status_7)
{
  char *cf = conf(CAT_CHAIN, NULL);
  char *doc = file("doc.txt", "目录\n一、部门收支预算表\n");
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_NO_TABLES, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, bad_config_is_status_8_naming_file_and_line)
{
  char *cf = file("pipeline.conf", "pdf = a\ntext = b\nbogus line\n");
  char *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_BAD_RULES, "stderr: %s", r.err);
  char *want = h_fmt("budget2csv: %s: line 3: expected key = value\n", cf);
  cr_assert_str_eq(r.err, want);
  free(want);
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, output_path_that_is_a_file_is_status_10)
{
  char *cf = conf(CAT_CHAIN, NULL), *doc = file("doc.txt", stream);
  char *out = file("out", "precious");
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OUTPUT, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, out), "%s", r.err);
  char *got = h_read(out, NULL);
  cr_assert_str_eq(got, "precious");
  free(got);
  no_leftovers();
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
}

Test(pipeline, output_under_a_file_is_status_10_before_any_stage_runs)
{
  /* The stage would leave a mark (mark.sh.ran) if it ran. */
  char *stage = script("mark.sh", "#!/bin/sh\ntouch \"$0.ran\"\ncat\n");
  char *chain = h_fmt("%s {input} | budget-csv {output}", stage);
  char *cf = conf(chain, NULL), *doc = file("doc.txt", stream);
  char *blocker = file("blocker", "x");
  char *out = h_fmt("%s/out", blocker);
  char *argv[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OUTPUT, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, blocker), "%s", r.err);
  char *ran = h_fmt("%s.ran", stage);
  cr_assert_not(h_exists(ran), "the stage ran");
  free(ran);
  h_result_free(&r);
  free(out);
  free(blocker);
  free(doc);
  free(cf);
  free(chain);
  free(stage);
}

static void expect_usage(char *const argv[])
{
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_USAGE, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert_str_eq(r.out, "");
  h_result_free(&r);
}

Test(pipeline, usage_errors_are_status_2)
{
  char *a1[] = {b2c, NULL};
  expect_usage(a1);
  char *a2[] = {b2c, "doc.pdf", NULL};
  expect_usage(a2);
  char *a3[] = {b2c, "doc.pdf", "-o", "x", "--table", "01", NULL};
  expect_usage(a3);
  char *a4[] = {b2c, "doc.pdf", "--table", "../x", NULL};
  expect_usage(a4);
  char *a5[] = {b2c, "doc.pdf", "-o", "x", "--frobnicate", NULL};
  expect_usage(a5);
  char *a6[] = {b2c, "a.pdf", "b.pdf", "-o", "x", NULL};
  expect_usage(a6);
  char *a7[] = {b2c, "a.pdf", "-o", NULL};
  expect_usage(a7);
}

Test(pipeline, help_and_version_go_to_stdout)
{
  char *a1[] = {b2c, "--help", NULL};
  h_result r = h_run(a1, NULL);
  cr_assert_eq(r.status, 0);
  cr_assert(strstr(r.out, "usage: budget2csv"), "%s", r.out);
  cr_assert(strstr(r.out, "--password"), "%s", r.out);
  cr_assert_str_eq(r.err, "");
  h_result_free(&r);
  char *a2[] = {b2c, "--version", NULL};
  r = h_run(a2, NULL);
  cr_assert_eq(r.status, 0);
  cr_assert(strncmp(r.out, "budget2csv ", 11) == 0, "%s", r.out);
  h_result_free(&r);
}

Test(pipeline, folder_as_document_is_status_3)
{
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, tmp, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_NO_INPUT, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, tmp), "%s", r.err);
  cr_assert_not(h_exists(out));
  h_result_free(&r);
  free(out);
}

Test(pipeline, password_and_rules_reach_the_stages)
{
  char *stage = script("args.sh", "#!/bin/sh\n"
                                  "echo \"args: $*\" >&2\n"
                                  "exit 7\n");
  char *chain = h_fmt("%s {password} {rules} {input} | budget-csv {output}",
                      stage);
  char *cf = conf(chain, NULL), *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c,        doc,     "-o",      out,       "--config", cf,
                  "--password", "s3cret", "--rules", "/r/dir", NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_NO_TABLES, "stderr: %s", r.err);
  char *want = h_fmt("args: --password s3cret --rules /r/dir %s\n", doc);
  cr_assert_str_eq(r.err, want);
  free(want);
  h_result_free(&r);

  /* Without the options the placeholders vanish; {rules} falls back to
  ** the config's rules key (none here). */
  char *argv2[] = {b2c, doc, "-o", out, "--config", cf, NULL};
  r = h_run(argv2, NULL);
  want = h_fmt("args: %s\n", doc);
  cr_assert_str_eq(r.err, want);
  free(want);
  h_result_free(&r);
  free(out);
  free(doc);
  free(cf);
  free(chain);
  free(stage);
}

/* SIGTERM to budget2csv while a stage runs: the stage gets it too (none is
** left running), budget2csv says which stage it killed in one line and
** exits 12, and neither output nor staging is left. */
Test(pipeline, terminated_run_passes_the_signal_on_and_leaves_nothing)
{
  char *mark = h_fmt("%s/started", tmp);
  char *stage = h_slow_stage(tmp, mark, 30);
  char *chain = h_fmt("%s {input} | budget-csv {output}", stage);
  char *cf = conf(chain, NULL), *doc = file("doc.txt", stream);
  char *out = h_fmt("%s/out", tmp);
  char *cmd = h_fmt("'%s' '%s' -o '%s' --config '%s'", b2c, doc, out, cf);
  h_result r = h_run_terminated(cmd, mark);
  cr_assert_str_eq(r.out, "status 12\n", "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "killed by signal 15"), "%s", r.err);
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(cmd);
  free(out);
  free(doc);
  free(cf);
  free(chain);
  free(stage);
  free(mark);
}

/* A stage that stops reading a document on stdin early leaves the feeder
** (which passes stdin on behind the sniffed bytes) waiting for more input;
** budget2csv stops it and returns while the writer still holds stdin open,
** instead of waiting for the writer to end. */
Test(pipeline, early_stage_exit_does_not_wait_for_stdin_to_end)
{
  char *stage = script("quit.sh", "#!/bin/sh\nhead -c 10 >/dev/null\nexit 9\n");
  char *chain = h_fmt("%s | budget-csv {output}", stage);
  char *cf = conf(chain, NULL);
  char *fifo = h_fmt("%s/stdin.fifo", tmp), *out = h_fmt("%s/out", tmp);
  cr_assert_eq(mkfifo(fifo, 0600), 0);
  /* Exactly the sniffed 1024 bytes, then a writer that stays. */
  char *cmd = h_fmt("(head -c 1024 /dev/zero | tr '\\0' x; exec sleep 30) > '%s' & "
                    "w=$!; '%s' - -o '%s' --config '%s' < '%s'; "
                    "echo \"status $?\"; kill -0 $w 2>/dev/null && "
                    "echo writer still there; kill $w",
                    fifo, b2c, out, cf, fifo);
  char *argv[] = {"/bin/sh", "-c", cmd, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_str_eq(r.out, "status 9\nwriter still there\n", "stderr: %s",
                   r.err);
  cr_assert_not(h_exists(out));
  no_leftovers();
  h_result_free(&r);
  free(cmd);
  free(out);
  free(fifo);
  free(cf);
  free(chain);
  free(stage);
}
