/* The budget-csv program: options, exit statuses, one-line errors. */
#include <criterion/criterion.h>

#include "exit_codes.h"
#include "helpers.h"

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

TestSuite(budget_csv, .init = setup, .fini = teardown);

static char *file(const char *name, const char *text)
{
  char *p = h_fmt("%s/%s", tmp, name);
  h_write_str(p, text);
  return p;
}

static const char one_table[] =
    "@@table\t09\t一般公共预算“三公”经费预算表\t三公经费\t5\t5\t万元\n"
    "@@columns\t“三公”经费合计\t公务接待费\n"
    "62.80\t12.12\n"
    "@@end\n";

/* Runs budget-csv with args on input; checks status and a one-line
** stderr when it fails. */
static h_result run(char *const args[], const char *input, int status)
{
  char *argv[16] = {prog};
  size_t n = 1;
  for (; args[n - 1]; n++)
    argv[n] = args[n - 1];
  argv[n] = NULL;
  char *in = input ? file("in.stream", input) : NULL;
  h_result r = h_run(argv, in);
  free(in);
  cr_assert_eq(r.status, status, "exit %d, want %d; stderr: %s", r.status,
               status, r.err);
  if (status != 0)
    cr_assert_eq(h_lines(r.err), 1, "want one line, got: %s", r.err);
  return r;
}

Test(budget_csv, folder_from_stdin)
{
  char *out = h_fmt("%s/out", tmp);
  char *args[] = {"-o", out, NULL};
  h_result r = run(args, one_table, 0);
  /* 62.80 is not 12.12: the one sum the table prints is a finding. */
  cr_assert_str_eq(r.err, "budget-csv: checks: 1 sum checked, 1 does not add "
                          "up as printed (see checks.csv; a finding about "
                          "the document, not a tool error)\n");
  char *p = h_fmt("%s/09.csv", out);
  char *got = h_read(p, NULL);
  cr_assert_str_eq(got, "“三公”经费合计,公务接待费\r\n62.80,12.12\r\n");
  free(got);
  free(p);
  h_result_free(&r);
  free(out);
}

Test(budget_csv, table_to_stdout_from_a_file)
{
  char *in = file("t.stream", one_table);
  char *args[] = {"--table", "09", in, NULL};
  h_result r = run(args, NULL, 0);
  cr_assert_str_eq(r.out, "“三公”经费合计,公务接待费\r\n62.80,12.12\r\n");
  h_result_free(&r);
  char *args2[] = {"--table", "03", in, NULL};
  r = run(args2, NULL, BUDGET_EXIT_NO_TABLES);
  cr_assert(strstr(r.err, "no table 03"), "%s", r.err);
  h_result_free(&r);
  free(in);
}

Test(budget_csv, usage_errors)
{
  char *a1[] = {NULL};
  h_result r = run(a1, one_table, BUDGET_EXIT_USAGE);
  h_result_free(&r);
  char *a2[] = {"-o", "x", "--table", "01", NULL};
  r = run(a2, one_table, BUDGET_EXIT_USAGE);
  h_result_free(&r);
  char *a3[] = {"-o", "x", "a", "b", NULL};
  r = run(a3, one_table, BUDGET_EXIT_USAGE);
  h_result_free(&r);
  char *a4[] = {"--bogus", NULL};
  r = run(a4, one_table, BUDGET_EXIT_USAGE);
  h_result_free(&r);
  char *a5[] = {"--bom=yes", "-o", "x", NULL};
  r = run(a5, one_table, BUDGET_EXIT_USAGE);
  h_result_free(&r);
}

Test(budget_csv, missing_input_file_is_3)
{
  char *missing = h_fmt("%s/none.stream", tmp);
  char *out = h_fmt("%s/out", tmp);
  char *args[] = {"-o", out, missing, NULL};
  h_result r = run(args, NULL, BUDGET_EXIT_NO_INPUT);
  cr_assert(strstr(r.err, missing), "%s", r.err);
  cr_assert_not(h_exists(out));
  h_result_free(&r);
  free(out);
  free(missing);
}

/* A bad stream writes nothing, not even the tables before the problem. */
static void expect_bad_stream(const char *text, const char *what)
{
  char *out = h_fmt("%s/out", tmp);
  char *args[] = {"-o", out, NULL};
  h_result r = run(args, text, BUDGET_EXIT_BAD_TEXT);
  cr_assert(strstr(r.err, what), "want '%s' in: %s", what, r.err);
  cr_assert(strstr(r.err, "<stdin>"), "names the input: %s", r.err);
  cr_assert_not(h_exists(out), "nothing written");
  cr_assert_not(h_has_entry_prefix(tmp, ".budget"), "staging left");
  h_result_free(&r);
  free(out);
}

Test(budget_csv, bad_streams_are_9_and_write_nothing)
{
  char *twice = h_fmt("%s%s", one_table, one_table);
  expect_bad_stream(twice, "line 5: table 09 appears twice");
  free(twice);
  char *then_bad = h_fmt("%s%s", one_table, "@@table\t../x\n@@columns\ta\n"
                                            "@@end\n");
  expect_bad_stream(then_bad, "table ID '../x' is not 01..15 or xN");
  free(then_bad);
  expect_bad_stream("@@table\t01\n@@columns\ta\n", "no @@end");
  expect_bad_stream("@@table\t01\n@@columns\ta\n\xc3(\n@@end\n",
                    "invalid UTF-8");
}

Test(budget_csv, no_table_is_7)
{
  char *out = h_fmt("%s/out", tmp);
  char *args[] = {"-o", out, NULL};
  h_result r = run(args, "目录\n一、部门收支预算表\n", BUDGET_EXIT_NO_TABLES);
  cr_assert_not(h_exists(out));
  h_result_free(&r);
  free(out);
}

Test(budget_csv, unwritable_output_is_10)
{
  char *out = file("out", "a file, not a folder");
  char *args[] = {"-o", out, NULL};
  h_result r = run(args, one_table, BUDGET_EXIT_OUTPUT);
  cr_assert(strstr(r.err, out), "%s", r.err);
  cr_assert_not(h_has_entry_prefix(tmp, ".budget"), "staging left");
  h_result_free(&r);
  free(out);
}

Test(budget_csv, repairs_and_notes_are_counted_and_listed_when_verbose)
{
  char *text = h_fmt("@@note\t10 printed empty\n%s"
                     "@@repair\t09\t1\t1\t62 80\t62.80\tsame total on p3\n",
                     one_table);
  char *out = h_fmt("%s/out", tmp);
  char *args[] = {"-o", out, "--no-checks", NULL};
  h_result r = run(args, text, 0);
  cr_assert_str_eq(r.err, "budget-csv: warning: 1 value repaired, 1 note "
                          "(--verbose lists them)\n");
  h_result_free(&r);
  char *args2[] = {"-o", out, "-v", "--no-checks", NULL};
  r = run(args2, text, 0);
  cr_assert_str_eq(r.err, "budget-csv: warning: 1 value repaired, 1 note:\n"
                          "@@note 10 printed empty\n"
                          "@@repair 09 | 1 | 1 | 62 80 | 62.80 | same total "
                          "on p3\n");
  h_result_free(&r);
  free(out);
  free(text);
}

Test(budget_csv, help_lists_every_option)
{
  char *args[] = {"--help", NULL};
  h_result r = run(args, NULL, 0);
  const char *opts[] = {"--output", "--table", "--bom", "--verbose", "--help",
                        "--version"};
  for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
    cr_assert(strstr(r.out, opts[i]), "%s missing from:\n%s", opts[i], r.out);
  h_result_free(&r);
}

/* Garbage in: a clean refusal (7 or 9) with one line, never a crash. */
Test(budget_csv, garbage_input_is_refused_cleanly)
{
  unsigned seed = 12345;
  for (int round = 0; round < 20; round++) {
    char buf[4096];
    size_t n = 0;
    /* Mostly stream-like pieces, with random bytes between them. */
    static const char *const bits[] = {"@@table\t01\n", "@@columns\ta\tb\n",
                                       "@@end\n",       "x\ty\n",
                                       "\f",            "@@repair\t\n",
                                       "\t\t\t\n",      "合计\n"};
    while (n < sizeof buf - 64) {
      seed = seed * 1103515245u + 12345u;
      unsigned r = (seed >> 16) & 0x7fff;
      if (r % 5 == 0) {
        buf[n++] = (char)(r & 0xff);
      } else {
        const char *b = bits[r % 8];
        memcpy(buf + n, b, strlen(b));
        n += strlen(b);
      }
    }
    buf[n] = '\0';
    char *in = h_fmt("%s/g.stream", tmp);
    h_write(in, buf, n);
    char *out = h_fmt("%s/out", tmp);
    char *argv[] = {prog, "-o", out, in, NULL};
    h_result r = h_run(argv, NULL);
    cr_assert(r.status == 0 || r.status == BUDGET_EXIT_NO_TABLES ||
                  r.status == BUDGET_EXIT_BAD_TEXT,
              "round %d: exit %d: %s", round, r.status, r.err);
    if (r.status != 0)
      cr_assert_eq(h_lines(r.err), 1, "round %d: %s", round, r.err);
    h_result_free(&r);
    h_rm_rf(out);
    free(out);
    free(in);
  }
}
