/* Rule files: loading, load errors naming FILE:LINE, and the exit status
** and stderr line of budget-normalize for a broken rule file. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "helpers.h"
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
  expect_error("dept-title t ^(?<year>\\d{4})年\n",
               "t.rules:1: dept-title rule needs the group (?<dept>...)");
  expect_error("\nyear-title y ^(\\d{4})年\n",
               "t.rules:2: year-title rule needs the group (?<year>...)");
  expect_error("dept-title t ^x\n", "t.rules:1: dept-title rule needs the "
                                    "group (?<dept>...) and the group (?<year>...)");
  expect_error("dept-name n (?<name>局)$\n",
               "t.rules:1: dept-name rule needs the group (?<dept>...)");
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

/* The substitution buffer is kept from rewrite to rewrite and sized by
** what one needs: thousands of rewrites leave it small, and an output
** longer than the buffer (a replacement that multiplies the text) is
** still written whole. */
Test(normalize_rules, rewrite_buffer_stays_small_and_grows_on_demand)
{
  ruleset rs;
  cr_assert_eq(ruleset_load_text(&rs, "t.rules",
                                 "cell a x => yy\n"
                                 "number b q => qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq\n",
                                 err, sizeof err),
               0, "%s", err);
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  for (int i = 0; i < 5000; i++) {
    strbuf_clear(&b);
    cr_assert_eq(strbuf_append_str(&b, "axbxc"), STRBUF_OK);
    cr_assert_eq(rules_apply_all(&rs, RULE_CELL, &b), 1);
    cr_assert_str_eq(strbuf_cstr(&b), "ayybyyc");
  }
  cr_assert_lt(rs.subsize, 4096, "buffer grew to %zu bytes", rs.subsize);
  /* 200 q become 6400: past the buffer, so it is sized again. */
  strbuf_clear(&b);
  for (int i = 0; i < 200; i++)
    cr_assert_eq(strbuf_append_char(&b, 'q'), STRBUF_OK);
  cr_assert_eq(rules_apply_all(&rs, RULE_NUMBER, &b), 1);
  cr_assert_eq(b.len, 6400);
  cr_assert_eq(strspn(strbuf_cstr(&b), "q"), 6400);
  strbuf_free(&b);
  ruleset_free(&rs);
}

/* What PCRE2's own global substitution makes of subject by pattern. */
static char *pcre2_says(const char *pattern, const char *rep,
                        const char *subject)
{
  int ec;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
  cr_assert_not_null(code, "%s", pattern);
  static char out[1024];
  PCRE2_SIZE outlen = sizeof out;
  int rc = pcre2_substitute(code, (PCRE2_SPTR)subject, PCRE2_ZERO_TERMINATED,
                            0, PCRE2_SUBSTITUTE_GLOBAL, NULL, NULL,
                            (PCRE2_SPTR)rep, PCRE2_ZERO_TERMINATED,
                            (PCRE2_UCHAR *)out, &outlen);
  cr_assert_geq(rc, 0, "%s on %s", pattern, subject);
  pcre2_code_free(code);
  return out;
}

/* A rule with literal replacement text is applied by a search-and-replace
** loop of the project's own (rules.c): it must give what PCRE2's global
** substitution gives, lookbehinds seeing text before each search's start,
** \K and empty matches included. */
Test(normalize_rules, literal_rewrites_match_pcre2_substitution)
{
  static const struct {
    const char *pattern, *rep, *subject;
  } cases[] = {
      {"(?<=[\\p{Han}])\\s+|\\s+(?=[\\p{Han}])", "", "收 入  合 计 12 34 元"},
      {"(?<=a)b", "X", "abababbab"},
      {"(?<=x)x", "Y", "xxxx"},
      {"ab\\Kc", "_", "abcabcab"},
      {"(?<=x)\\Ky", "Z", "xyxyyx"},
      {"\\s{2,}", " ", "  a   b c    "},
      {"\\d(?=\\d)", "", "1234 56 7"},
      {"x*", "-", "axxb"},
      {"\\x{3000}", " ", "　单位　万元　"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[256];
    snprintf(text, sizeof text, "cell c %s => \"%s\"\n", cases[i].pattern,
             cases[i].rep);
    ruleset rs;
    cr_assert_eq(ruleset_load_text(&rs, "t.rules", text, err, sizeof err), 0,
                 "%s", err);
    strbuf b;
    strbuf_init(&b, STRBUF_CAP_LINE);
    cr_assert_eq(strbuf_append_str(&b, cases[i].subject), STRBUF_OK);
    cr_assert_geq(rules_apply_all(&rs, RULE_CELL, &b), 0);
    char pat[128];
    snprintf(pat, sizeof pat, "%s", cases[i].pattern);
    cr_assert_str_eq(strbuf_cstr(&b),
                     pcre2_says(pat, cases[i].rep, cases[i].subject),
                     "%s on '%s'", cases[i].pattern, cases[i].subject);
    strbuf_free(&b);
    ruleset_free(&rs);
  }
}

/* A rule's JIT code is compiled once the rule has run often, not at load
** (most rules run a few times a document); matching is the same before
** and after. */
Test(normalize_rules, jit_compiled_once_a_rule_runs_often)
{
  uint32_t has_jit = 0;
  pcre2_config(PCRE2_CONFIG_JIT, &has_jit);
  const char *no_jit = getenv("BUDGET_NO_JIT");
  if (!has_jit || (no_jit && *no_jit))
    cr_skip_test("PCRE2 without JIT, or BUDGET_NO_JIT set");
  ruleset rs;
  cr_assert_eq(ruleset_load_text(&rs, "t.rules", "cell c (?<=a)b => X\n",
                                 err, sizeof err),
               0, "%s", err);
  const rule *r = rules_begin(&rs, RULE_CELL);
  cr_assert_not(r->jit, "JIT compiled at load");
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  int first_jit = -1;
  for (int i = 0; i < 200; i++) {
    strbuf_clear(&b);
    cr_assert_eq(strbuf_append_str(&b, "abab cb"), STRBUF_OK);
    cr_assert_eq(rules_apply_all(&rs, RULE_CELL, &b), 1);
    cr_assert_str_eq(strbuf_cstr(&b), "aXaX cb", "run %d", i);
    if (r->jit && first_jit < 0)
      first_jit = i;
  }
  cr_assert_gt(first_jit, 0, "JIT compiled after the first run or never");
  strbuf_free(&b);
  ruleset_free(&rs);
}

Test(normalize_rules, dir_without_rules_is_an_error)
{
  char *dir = h_tmpdir();
  ruleset rs;
  cr_assert_eq(ruleset_load_dir(&rs, dir, err, sizeof err), -1);
  cr_assert(strstr(err, "no *.rules files"), "%s", err);
  h_rm_rf(dir);
  free(dir);
}

/* The program: a broken rule file -> exit 8 and exactly one stderr line
** "budget-normalize: FILE:LINE: problem", before any input is read. */
Test(normalize_rules, program_exit_8_one_line)
{
  char *dir = h_tmpdir();
  char *rules = h_fmt("%s/bad.rules", dir), *in = h_fmt("%s/in", dir);
  h_write_str(rules, "# a comment\n\ncell ok a => b\nnumber oops [0-9 => x\n");
  h_write_str(in, "x\ty\n");
  char *bin = h_bin("budget-normalize");
  char *argv[] = {bin, "--rules", dir, NULL};
  h_result r = h_run(argv, in);
  cr_assert_eq(r.status, 8, "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "more than one line: %s", r.err);
  char *want = h_fmt("budget-normalize: %s:4: pattern error", rules);
  cr_assert(strncmp(r.err, want, strlen(want)) == 0, "got: %s", r.err);
  h_result_free(&r);
  free(want);
  free(bin);
  free(in);
  free(rules);
  h_rm_rf(dir);
  free(dir);
}
