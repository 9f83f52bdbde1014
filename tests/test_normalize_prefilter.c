/* The rules' prefilter (rule_may_match) only ever skips PCRE2 calls that
** could not match: every rule of the repo's rule set is run, unfiltered,
** over every line (and every tab-separated cell) of the normalizer's test
** inputs and the text sample, and wherever PCRE2 itself finds a match the prefilter must have
** let the subject through. Also: it does skip subjects that lack what a
** pattern needs, and inline caseless patterns are not skipped wrongly. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <criterion/criterion.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cells.h"
#include "rules.h"
#include "project_rules.h"

static ruleset rs;
static pcre2_code *fresh[1024]; /* the rules' patterns, compiled here */

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void)
{
  ruleset_free(&rs);
  for (size_t i = 0; i < 1024; i++) {
    pcre2_code_free(fresh[i]);
    fresh[i] = NULL;
  }
}

TestSuite(normalize_prefilter, .init = setup, .fini = teardown);

/* PCRE2 on its own, with the options rules.c compiles with. */
static int pcre2_says(const char *pattern, const char *s, size_t n)
{
  int ec;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
  cr_assert_not_null(code, "%s", pattern);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  pcre2_code_free(code);
  return rc >= 0;
}

/* Every rule against one subject; returns how many PCRE2 matched. Also,
** per kind, rules_any_bytes() (which looks rules up by the subject's
** bytes when a kind has many) agrees with PCRE2 over the whole kind. */
static size_t check_subject(const char *s, size_t n)
{
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  for (int k = RULE_TITLE; k < RULE_KIND_COUNT; k++) {
    int any = 0;
    for (const rule *r = rules_begin(&rs, k); r < rules_end(&rs, k) && !any; r++)
      any = pcre2_says(r->pattern, s, n);
    subject_bytes kb;
    subject_bytes_of(s, n, &kb);
    cr_assert_eq(rules_any_bytes(&rs, k, s, n, &kb), any,
                 "kind %d on '%.*s': PCRE2 says %d", k, (int)n, s, any);
  }
  /* What the noise rules make of the squeezed subject: where a title or
  ** generic rule matches that, the subject's own bytes may not rule it
  ** out (title.c skips the rewrite on that answer). */
  char *copy = strndup(s, n);
  strbuf sq;
  strbuf_init(&sq, STRBUF_CAP_LINE);
  cr_assert_not_null(copy);
  cr_assert_eq(cells_squeeze(copy, &sq), 0);
  cr_assert_geq(rules_apply_all(&rs, RULE_TITLE_NOISE, &sq), 0);
  for (int k = RULE_TITLE; k <= RULE_GENERIC; k++)
    if (rules_any(&rs, k, strbuf_cstr(&sq), sq.len)) {
      subject_bytes lb;
      subject_bytes_of(s, n, &lb);
      cr_assert_eq(rules_may_any_rewritten(&rs, k, &lb, RULE_TITLE_NOISE), 1,
                   "kind %d matches the rewrite '%s' of '%.*s' but its "
                   "bytes ruled it out", k, strbuf_cstr(&sq), (int)n, s);
    }
  strbuf_free(&sq);
  free(copy);
  size_t matched = 0;
  for (const rule *r = rs.rules; r < rs.rules + rs.n; r++) {
    if (r->kind == RULE_TABLE)
      continue;
    if (pcre2_says(r->pattern, s, n)) {
      matched++;
      cr_assert_eq(rule_may_match(r, &sb), 1,
                   "rule %s (%s:%d) matches '%.*s' but the prefilter "
                   "skipped it",
                   r->name, r->file, r->line, (int)n, s);
    }
  }
  return matched;
}

/* The compiled rules (rules.c may put a lookahead in front of a pattern)
** find what the pattern as written finds: the same match, and for a
** rewriting rule the same result. Fresh codes are kept, one per rule. */

static void check_compiled(const char *s, size_t n)
{
  pcre2_match_data *md = pcre2_match_data_create(32, NULL);
  cr_assert_not_null(md);
  for (size_t i = 0; i < rs.n && i < 1024; i++) {
    const rule *r = &rs.rules[i];
    if (r->kind == RULE_TABLE)
      continue;
    if (!fresh[i]) {
      int ec;
      PCRE2_SIZE off;
      fresh[i] = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                               PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
      cr_assert_not_null(fresh[i]);
    }
    size_t st = 0, en = 0;
    int got = rule_match(&rs, r, s, n, &st, &en);
    int want = pcre2_match(fresh[i], (PCRE2_SPTR)s, n, 0, 0, md, NULL) >= 0;
    cr_assert_eq(got, want, "rule %s on '%.*s'", r->name, (int)n, s);
    if (want) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      cr_assert(st == ov[0] && en == ov[1], "rule %s on '%.*s': %zu-%zu, "
                "not %zu-%zu", r->name, (int)n, s, st, en, (size_t)ov[0],
                (size_t)ov[1]);
    }
    if (!r->replacement)
      continue;
    char out[16384];
    PCRE2_SIZE outlen = sizeof out;
    int rc = pcre2_substitute(
        fresh[i], (PCRE2_SPTR)s, n, 0,
        PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_UNSET_EMPTY, md, NULL,
        (PCRE2_SPTR)r->replacement, PCRE2_ZERO_TERMINATED,
        (PCRE2_UCHAR *)out, &outlen);
    cr_assert_geq(rc, 0);
    strbuf b;
    strbuf_init(&b, STRBUF_CAP_LINE);
    cr_assert_eq(strbuf_append(&b, s, n), STRBUF_OK);
    cr_assert_geq(rule_apply(&rs, r, &b), 0);
    cr_assert(b.len == outlen && !memcmp(strbuf_cstr(&b), out, outlen),
              "rule %s on '%.*s' gives '%s', not '%.*s'", r->name, (int)n, s,
              strbuf_cstr(&b), (int)outlen, out);
    strbuf_free(&b);
  }
  pcre2_match_data_free(md);
}

static size_t check_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  char line[8192];
  size_t matched = 0;
  while (fgets(line, sizeof line, f)) {
    size_t n = strcspn(line, "\n");
    matched += check_subject(line, n);
    check_compiled(line, n);
    for (char *c = line, *e; c < line + n; c = e + 1) {
      e = memchr(c, '\t', (size_t)(line + n - c));
      if (!e)
        e = line + n;
      matched += check_subject(c, (size_t)(e - c));
    }
  }
  fclose(f);
  return matched;
}

Test(normalize_prefilter, never_skips_a_match_on_test_inputs)
{
  static const char *const files[] = {
      "clean-tables.txt", "evidence.txt", "seed-000-excerpt.txt",
      "seed-001-excerpt.txt"};
  size_t matched = 0;
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/normalize/%s",
             TEST_SOURCE_DIR, files[i]);
    matched += check_file(path);
  }
  /* And the project's own text sample, as other tools extract one. */
  matched += check_file(TEST_SOURCE_DIR "/samples/text-paste/doc.txt");
  /* The inputs exercise the rules: many matches were checked. */
  cr_assert_gt(matched, 1000);
}

Test(normalize_prefilter, never_skips_a_match_on_rewrite_cases)
{
  static const char *const cases[] = {
      "a\xc2\xa0\x62" /* a, U+00A0, b */, "x\\geq 5", "1 \\times 2", "50\\%", "$12.5$",
      "<b>合计</b>", "&nbsp;&lt;&gt;&amp;", "€ 80", "|一般公共预算",
      "《预算法)", "（万元)", "(万元）", "a    b", "单 位 ： 万 元",
      "一般公共预算财政拨款支出预算表", "", " "};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    check_subject(cases[i], strlen(cases[i]));
    check_compiled(cases[i], strlen(cases[i]));
  }
}

static const rule *rule_named(const ruleset *set, rule_kind k,
                              const char *name)
{
  for (const rule *r = rules_begin(set, k); r < rules_end(set, k); r++)
    if (!strcmp(r->name, name))
      return r;
  cr_assert_fail("no %s rule", name);
  return NULL;
}

Test(normalize_prefilter, skips_subjects_without_the_needed_bytes)
{
  subject_bytes sb;
  const char *s = "工资福利支出\t1,234.00";
  subject_bytes_of(s, strlen(s), &sb);
  cr_assert_eq(rule_may_match(rule_named(&rs, RULE_CELL, "html-amp"), &sb), 0);
  cr_assert_eq(rule_may_match(rule_named(&rs, RULE_CELL, "geq"), &sb), 0);
  cr_assert_eq(rule_may_match(rule_named(&rs, RULE_CELL, "latex-math"), &sb),
               0);
}

Test(normalize_prefilter, rewritten_subjects_count_the_replacements)
{
  ruleset own;
  char err[512];
  cr_assert_eq(ruleset_load_text(&own, "t.rules",
                                 "title-noise add 续 => 表\n"
                                 "title t 总表$\n",
                                 err, sizeof err),
               0, "%s", err);
  subject_bytes sb;
  /* 总续 becomes 总表: the replacement's 表 counts. */
  subject_bytes_of("总续", strlen("总续"), &sb);
  cr_assert_eq(rules_may_any_rewritten(&own, RULE_TITLE, &sb,
                                       RULE_TITLE_NOISE), 1);
  /* Without 总, no rewrite can match. */
  subject_bytes_of("收支", strlen("收支"), &sb);
  cr_assert_eq(rules_may_any_rewritten(&own, RULE_TITLE, &sb,
                                       RULE_TITLE_NOISE), 0);
  ruleset_free(&own);
  /* The repo's rules: a plain cell names no table however it is read. */
  subject_bytes_of("行政运行", strlen("行政运行"), &sb);
  cr_assert_eq(rules_may_any_rewritten(&rs, RULE_TITLE, &sb, RULE_TITLE_NOISE),
               0);
  subject_bytes_of("部门收支预算表", strlen("部门收支预算表"), &sb);
  cr_assert_eq(rules_may_any_rewritten(&rs, RULE_TITLE, &sb, RULE_TITLE_NOISE),
               1);
}

/* An anchored rule (skip page-num: ^\s*\d{1,4}\s*$) is refused by the
** subject's first byte alone, and only then. */
Test(normalize_prefilter, anchored_rules_look_at_the_first_byte)
{
  const rule *r = rule_named(&rs, RULE_SKIP, "page-num");
  cr_assert(r->first_known);
  static const char *const refused[] = {"行政运行 12", "第12", "x 3"};
  static const char *const passed[] = {"12", " 12 ", "\t7", "1 行政"};
  for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
    subject_bytes sb;
    subject_bytes_of(refused[i], strlen(refused[i]), &sb);
    cr_assert_eq(rule_may_match(r, &sb), 0, "'%s'", refused[i]);
  }
  for (size_t i = 0; i < sizeof passed / sizeof *passed; i++) {
    subject_bytes sb;
    subject_bytes_of(passed[i], strlen(passed[i]), &sb);
    cr_assert_eq(rule_may_match(r, &sb), 1, "'%s'", passed[i]);
  }
  /* Not anchored: nothing is known of its first byte. */
  cr_assert_not(rule_named(&rs, RULE_NOTE, "nodata")->first_known);
}

Test(normalize_prefilter, inline_caseless_patterns_still_match)
{
  ruleset own;
  char err[512];
  cr_assert_eq(ruleset_load_text(&own, "t.rules",
                                 "skip a (?i)total\n"
                                 "skip b x(?i:yz)\n"
                                 "skip c (?i)é+\n",
                                 err, sizeof err),
               0, "%s", err);
  cr_assert_eq(rules_any(&own, RULE_SKIP, "TOTAL", 5), 1);
  cr_assert_eq(rules_any(&own, RULE_SKIP, "xYZ", 3), 1);
  cr_assert_eq(rules_any(&own, RULE_SKIP, "\xc3\x89", 2), 1); /* É */
  cr_assert_eq(rules_any(&own, RULE_SKIP, "none", 4), 0);
  ruleset_free(&own);
}

/* A rule whose pattern matches the empty string (a rule file may well
** hold one: a filler for an empty cell, a blank-line skip) is let through
** on an empty subject, as PCRE2 would match it. */
Test(normalize_prefilter, rules_matching_nothing_see_the_empty_subject)
{
  char dir[] = "/tmp/budget-prefilter-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/e.rules", dir);
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f);
  fputs("skip blank ^\\s*$\n"
        "cell filler ^$ => -\n"
        "skip maybe x?\n",
        f);
  fclose(f);
  ruleset set;
  char err[1024];
  cr_assert_eq(ruleset_load_dir(&set, dir, err, sizeof err), 0, "%s", err);
  remove(path);
  rmdir(dir);
  for (const rule *r = rules_begin(&set, RULE_SKIP);
       r < rules_end(&set, RULE_SKIP); r++) {
    subject_bytes sb;
    subject_bytes_of("", 0, &sb);
    cr_assert(pcre2_says(r->pattern, "", 0));
    cr_assert(rule_may_match(r, &sb), "%s skipped on the empty subject",
              r->name);
  }
  cr_assert(rules_any(&set, RULE_SKIP, "", 0));
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  cr_assert_eq(rules_apply_all(&set, RULE_CELL, &b), 1);
  cr_assert_str_eq(strbuf_cstr(&b), "-");
  strbuf_free(&b);
  ruleset_free(&set);
}
