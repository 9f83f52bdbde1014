/* Real document excerpts (tests/data/normalize/seed-*-excerpt.txt, as
** another tool extracted them) against their hand-made truth CSVs: every
** header path and body cell equal. seed-000: tables 03, 06 and 09, nothing
** else found (the 14 title at the end has no rows after it). seed-001: a
** table 15 whose rows are printed a column off, split by page breaks,
** wrapped character by character and with values a row high. And clean
** text (the truth itself, as TSV) passes through unchanged. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "segment.h"
#include "project_rules.h"

#define DATA TEST_SOURCE_DIR "/tests/data/normalize/"

static ruleset rs;

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(normalize_seed, .init = setup, .fini = teardown);

/* The lines of table ID in the normalized stream: "@@columns" fields and
** rows, each turned into a CSV-like line (cells joined by ','). */
static char *table_as_csv(const char *stream, const char *id)
{
  char head[32];
  snprintf(head, sizeof head, "@@table\t%s\t", id);
  const char *p = strstr(stream, head);
  if (!p)
    return NULL;
  p = strchr(p, '\n') + 1;
  size_t cap = strlen(p) + 1, len = 0;
  char *out = malloc(cap);
  while (*p && strncmp(p, "@@end", 5)) {
    const char *e = strchr(p, '\n');
    size_t n = (size_t)(e - p);
    const char *line = p;
    if (!strncmp(line, "@@columns\t", 10)) {
      line += 10;
      n -= 10;
    }
    if (strncmp(line, "@@", 2)) { /* skip @@repair / @@note */
      for (size_t i = 0; i < n; i++)
        out[len++] = line[i] == '\t' ? ',' : line[i];
      out[len++] = '\n';
    }
    p = e + 1;
  }
  out[len] = '\0';
  return out;
}

static char *slurp(const char *path, int strip_cr)
{
  FILE *f = fopen(path, "rb");
  cr_assert_not_null(f, "%s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = malloc((size_t)n + 1);
  size_t got = fread(s, 1, (size_t)n, f);
  fclose(f);
  s[got] = '\0';
  if (strip_cr) {
    char *w = s;
    for (char *r = s; *r; r++)
      if (*r != '\r')
        *w++ = *r;
    *w = '\0';
  }
  return s;
}

Test(normalize_seed, tables_equal_their_truth)
{
  FILE *in = fopen(DATA "seed-000-excerpt.txt", "rb");
  cr_assert_not_null(in);
  char *out = NULL, err[1024];
  size_t outlen;
  FILE *o = open_memstream(&out, &outlen);
  norm_stats st;
  int rc = normalize_stream(&rs, in, "seed-000-excerpt.txt", o, &st, err,
                            sizeof err);
  fclose(in);
  fclose(o);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", err);
  cr_assert_eq(st.tables, 3, "tables: %d", st.tables);
  const char *ids[] = {"03", "06", "09"};
  for (size_t i = 0; i < 3; i++) {
    char path[512];
    snprintf(path, sizeof path, DATA "seed-000-%s.csv", ids[i]);
    char *want = slurp(path, 1), *got = table_as_csv(out, ids[i]);
    cr_assert_not_null(got, "table %s not found", ids[i]);
    cr_assert_str_eq(got, want, "table %s", ids[i]);
    free(want);
    free(got);
  }
  /* 运转类经费 （专项业 was completed, and said so. */
  cr_assert(strstr(out, "@@repair\t03\t0\t13\t"), "%s", out);
  free(out);
}

/* Normalizes one file of tests/data/normalize; the stream is returned. */
static char *normalize_file(const char *name, norm_stats *st)
{
  char path[512];
  snprintf(path, sizeof path, DATA "%s", name);
  FILE *in = fopen(path, "rb");
  cr_assert_not_null(in, "%s", path);
  char *out = NULL, err[1024];
  size_t outlen;
  FILE *o = open_memstream(&out, &outlen);
  int rc = normalize_stream(&rs, in, name, o, st, err, sizeof err);
  fclose(in);
  fclose(o);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", err);
  return out;
}

static void expect_table(const char *out, const char *id, const char *csv)
{
  char path[512];
  snprintf(path, sizeof path, DATA "%s", csv);
  char *want = slurp(path, 1), *got = table_as_csv(out, id);
  cr_assert_not_null(got, "table %s not found", id);
  cr_assert_str_eq(got, want, "table %s", id);
  free(want);
  free(got);
}

Test(normalize_seed, pairs_table_repaired_to_its_truth)
{
  norm_stats st;
  char *out = normalize_file("seed-001-excerpt.txt", &st);
  cr_assert_eq(st.tables, 1, "tables: %d", st.tables);
  expect_table(out, "15", "seed-001-15-excerpt.csv");
  free(out);
}

Test(normalize_seed, clean_text_passes_unchanged)
{
  norm_stats st;
  char *out = normalize_file("clean-tables.txt", &st);
  cr_assert_eq(st.tables, 2, "tables: %d", st.tables);
  expect_table(out, "06", "seed-000-06.csv");
  expect_table(out, "15", "seed-001-15.csv");
  cr_assert_null(strstr(out, "@@repair"), "%s", out);
  free(out);
}

Test(normalize_seed, amounts_repaired_only_where_the_document_proves_them)
{
  norm_stats st;
  char *out = normalize_file("evidence.txt", &st);
  cr_assert_eq(st.tables, 2, "tables: %d", st.tables);
  /* 883.50 and 1235.04 are printed in table 01: the damaged forms in 05
  ** become them, and say so. */
  cr_assert(strstr(out, "201\t一般公共服务支出\t883.50\t1235.04\t10.00\n"), "%s", out);
  cr_assert(strstr(out, "@@repair\t05\t1\t3\t883 50\t883.50\tpoint-as-space\n"), "%s", out);
  cr_assert(strstr(out, "@@repair\t05\t1\t4\t1235.0\t1235.04\tlost-decimal\n"), "%s", out);
  /* 777.10 is printed nowhere: kept, and reported. */
  cr_assert(strstr(out, "20101\t人大事务\t777 10\t0.50\t1.25\n"), "%s", out);
  cr_assert(strstr(out, "@@note\ttable 05 row 2 column 3: '777 10' looks damaged"), "%s", out);
  /* A short value in a column of two-place decimals is no lost decimal. */
  cr_assert(strstr(out, "20102\t政协事务\t1.5\t2.50\t3.75\n"), "%s", out);
  cr_assert_null(strstr(out, "'1.5'"), "%s", out);
  free(out);
}
