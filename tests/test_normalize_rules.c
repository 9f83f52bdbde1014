/* Rule files: loading, load errors naming FILE:LINE, and the exit status
** and stderr line of budget-normalize for a broken rule file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rules.h"

static char err[1024];

Test(normalize_rules, repo_rules_load)
{
  ruleset rs;
  int rc = ruleset_load_dir(&rs, TEST_SOURCE_DIR "/rules", err, sizeof err);
  cr_assert_eq(rc, 0, "load failed: %s", err);
  cr_assert_not_null(rules_table(&rs, "01"));
  cr_assert_not_null(rules_table(&rs, "15"));
  cr_assert(rules_table(&rs, "14")->form, "14 is a form");
  cr_assert_not(rules_table(&rs, "03")->form);
  ruleset_free(&rs);
}

static void expect_error(const char *text, const char *want)
{
  ruleset rs;
  int rc = ruleset_load_text(&rs, "t.rules", text, err, sizeof err);
  cr_assert_eq(rc, -1, "loaded '%s'", text);
  cr_assert(strstr(err, want), "error '%s' lacks '%s'", err, want);
}

Test(normalize_rules, errors_name_file_and_line)
{
  expect_error("# fine\ncel bad x => y\n", "t.rules:2: unknown rule kind 'cel'");
  expect_error("\n\nnote broken (abc\n", "t.rules:3: pattern error");
  expect_error("cell wrap \\s+\n", "t.rules:1: cell rule needs '=> REPLACEMENT'");
  expect_error("note n abc => x\n", "t.rules:1: note rule takes no replacement");
  expect_error("table 01 部门收支预算表 from\n", "t.rules:1: unknown table flag 'from'");
  expect_error("skip lonely\n", "t.rules:1: skip rule without a pattern");
  expect_error("cell c (a) => ${9\n", "t.rules:1: bad replacement");
  expect_error("value v \\d => x\n", "t.rules:1: value rule takes no replacement");
  expect_error("value-column v (指标值\n", "t.rules:1: pattern error");
  expect_error("value-colum v 指标值$\n", "t.rules:1: unknown rule kind 'value-colum'");
}

Test(normalize_rules, rewrite_in_order_and_quoted_space)
{
  ruleset rs;
  cr_assert_eq(ruleset_load_text(&rs, "t.rules",
                                 "cell a x => y\n"
                                 "cell b y => z\n"
                                 "cell sp _ => \" \"\n",
                                 err, sizeof err),
               0, "%s", err);
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_CELL);
  strbuf_append_str(&b, "x_x");
  cr_assert_eq(rules_apply_all(&rs, RULE_CELL, &b), 3);
  cr_assert_str_eq(b.data, "z z");
  strbuf_free(&b);
  ruleset_free(&rs);
}

Test(normalize_rules, dir_without_rules_is_an_error)
{
  char dir[] = "/tmp/normrulesXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  ruleset rs;
  cr_assert_eq(ruleset_load_dir(&rs, dir, err, sizeof err), -1);
  cr_assert(strstr(err, "no *.rules files"), "%s", err);
  rmdir(dir);
}

/* The program: a broken rule file -> exit 8 and exactly one stderr line
** "budget-normalize: FILE:LINE: problem", before any input is read. */
Test(normalize_rules, program_exit_8_one_line)
{
  const char *bin = getenv("BUDGET_BIN_DIR");
  if (!bin)
    bin = TEST_BINARY_DIR "/bin";
  char dir[] = "/tmp/normrulesXXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[512], cmd[2048], errpath[600];
  snprintf(path, sizeof path, "%s/bad.rules", dir);
  FILE *f = fopen(path, "w");
  fputs("# a comment\n\ncell ok a => b\nnumber oops [0-9 => x\n", f);
  fclose(f);
  snprintf(errpath, sizeof errpath, "%s/stderr", dir);
  snprintf(cmd, sizeof cmd,
           "printf 'x\\ty\\n' | %s/budget-normalize --rules %s >/dev/null 2>%s",
           bin, dir, errpath);
  int st = system(cmd);
  cr_assert(WIFEXITED(st));
  cr_assert_eq(WEXITSTATUS(st), 8);
  f = fopen(errpath, "r");
  char line[1024] = "", extra[16];
  cr_assert_not_null(fgets(line, sizeof line, f));
  cr_assert_null(fgets(extra, sizeof extra, f), "more than one line");
  fclose(f);
  char want[600];
  snprintf(want, sizeof want, "budget-normalize: %s:4: pattern error", path);
  cr_assert(strncmp(line, want, strlen(want)) == 0, "got: %s", line);
  unlink(path);
  unlink(errpath);
  rmdir(dir);
}
