/*
** cmake --install: this build installed into a fresh temporary prefix must
** give working commands. The installed budget2csv, run with a clean
** environment (no $BUDGET_* but BUDGET_NO_JIT, PATH of the system only)
** from a folder outside the source tree, must write exactly
** samples/<name>/expected/,
** reading the pipeline.conf and rules/ of its own prefix: with the
** installed rules/ removed it must fail naming them, not fall back to
** the source tree (which stays untouched). The installed budget-batch
** runs the installed budget2csv; --config, $BUDGET_CONFIG and --rules
** still override the installed defaults.
*/
#include <criterion/criterion.h>

#include "helpers.h"

#ifndef TEST_CMAKE_COMMAND
#define TEST_CMAKE_COMMAND "cmake"
#endif

static char *prefix, *work;

static void install_prefix(void)
{
  work = h_tmpdir();
  prefix = h_fmt("%s/prefix", work);
  /* argv[0] may be a bare "cmake" when CMake did not say where it is. */
  char *const argv[] = {"/usr/bin/env", TEST_CMAKE_COMMAND, "--install",
                        TEST_BINARY_DIR, "--prefix", prefix, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "cmake --install failed (%d): %s%s", r.status,
               r.out, r.err);
  h_result_free(&r);
}

static void remove_prefix(void)
{
  h_rm_rf(work);
  free(work);
  free(prefix);
}

TestSuite(install, .init = install_prefix, .fini = remove_prefix,
          .timeout = 240);

/* Runs prefix/bin/<prog> with argv in cwd with only a system PATH (and
** the sanitizer's settings, which are not ours to read): whatever the
** installed program finds, it found by itself. */
static h_result run_installed_env(const char *prog, char *const args[],
                                  const char *cwd, const char *extra_env)
{
  char *argv[16];
  size_t n = 0;
  argv[n++] = h_fmt("%s/bin/%s", prefix, prog);
  for (size_t i = 0; args[i]; i++) {
    cr_assert_lt(n, 15);
    argv[n++] = args[i];
  }
  argv[n] = NULL;
  char *envp[8];
  size_t e = 0;
  envp[e++] = "PATH=/usr/bin:/bin";
  size_t first_owned = e;
  if (extra_env)
    envp[e++] = h_fmt("%s", extra_env);
  /* BUDGET_NO_JIT too: tools/memcheck.sh sets it because valgrind cannot
  ** follow PCRE2's JIT code; it changes no output. */
  static const char *const keep[] = {"LSAN_OPTIONS", "ASAN_OPTIONS",
                                     "UBSAN_OPTIONS", "BUDGET_NO_JIT"};
  for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
    if (getenv(keep[i]))
      envp[e++] = h_fmt("%s=%s", keep[i], getenv(keep[i]));
  envp[e] = NULL;

  h_result r = h_run_exact_env(argv, cwd, envp);
  free(argv[0]);
  for (size_t i = first_owned; i < e; i++)
    free(envp[i]);
  return r;
}

static h_result run_installed(const char *prog, char *const args[],
                              const char *cwd)
{
  return run_installed_env(prog, args, cwd, NULL);
}

Test(install, puts_programs_rules_and_config_in_the_standard_places)
{
  static const char *const files[] = {
      "bin/budget2csv",        "bin/budget-extract",
      "bin/budget-normalize",  "bin/budget-csv",
      "bin/budget-batch",      "share/budget2csv/pipeline.conf",
      "share/budget2csv/rules/README.md",
      "share/man/man1/budget2csv.1", "share/man/man1/budget-batch.1"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    char *p = h_fmt("%s/%s", prefix, files[i]);
    cr_expect(h_exists(p), "not installed: %s", files[i]);
    if (strncmp(files[i], "bin/", 4) == 0)
      cr_expect(access(p, X_OK) == 0, "not executable: %s", files[i]);
    free(p);
  }
  /* Every rule file of the source tree, each the same bytes. */
  char *src = h_fmt("%s/rules", h_home());
  char *dst = h_fmt("%s/share/budget2csv/rules", prefix);
  char *want = h_listing(src), *got = h_listing(dst);
  cr_assert_not_null(got);
  cr_expect_str_eq(got, want);
  for (char *name = want; *name;) {
    char *nl = strchr(name, '\n');
    *nl = '\0';
    char *a = h_fmt("%s/%s", src, name), *b = h_fmt("%s/%s", dst, name);
    char *ta = h_read(a, NULL), *tb = h_read(b, NULL);
    cr_expect(tb && strcmp(ta, tb) == 0, "rules/%s differs", name);
    free(ta);
    free(tb);
    free(a);
    free(b);
    name = nl + 1;
  }
  free(want);
  free(got);
  free(src);
  free(dst);
}

/* The installed budget2csv on samples/<name>/<doc> writes every file of
** expected/ byte for byte. */
static void expect_sample(const char *name, const char *doc)
{
  char *in = h_fmt("%s/samples/%s/%s", h_home(), name, doc);
  char *out = h_fmt("%s/out-%s", work, name);
  char *args[] = {in, "-o", out, NULL};
  h_result r = run_installed("budget2csv", args, work);
  cr_assert_eq(r.status, 0, "%s: exit %d: %s", name, r.status, r.err);
  char *expected = h_fmt("%s/samples/%s/expected", h_home(), name);
  char *list = h_listing(expected);
  cr_assert_not_null(list);
  int compared = 0;
  for (char *f = list; *f;) {
    char *nl = strchr(f, '\n');
    *nl = '\0';
    char *wp = h_fmt("%s/%s", expected, f), *gp = h_fmt("%s/%s", out, f);
    size_t wn, gn;
    char *w = h_read(wp, &wn), *g = h_read(gp, &gn);
    cr_expect_not_null(g, "%s: %s not written", name, f);
    cr_expect(g && gn == wn && memcmp(g, w, wn) == 0, "%s: %s differs",
              name, f);
    compared++;
    free(w);
    free(g);
    free(wp);
    free(gp);
    f = nl + 1;
  }
  cr_expect_gt(compared, 2, "%s: expected/ is nearly empty", name);
  free(list);
  free(expected);
  h_result_free(&r);
  free(in);
  free(out);
}

Test(install, installed_budget2csv_converts_a_pdf_sample)
{
  expect_sample("qingshan-agri", "doc.pdf");
}

Test(install, installed_budget2csv_converts_a_text_sample)
{
  expect_sample("text-paste", "doc.txt");
}

/* Without its installed rules/ the installed copy fails and says which
** folder it wanted: proof that it read its own prefix, since the source
** tree's rules/ are still there. */
Test(install, installed_programs_read_their_own_prefix)
{
  char *rules = h_fmt("%s/share/budget2csv/rules", prefix);
  h_rm_rf(rules);
  char *in = h_fmt("%s/samples/text-paste/doc.txt", h_home());
  char *out = h_fmt("%s/out", work);
  char *args[] = {in, "-o", out, NULL};
  h_result r = run_installed("budget2csv", args, work);
  cr_expect_eq(r.status, 8, "budget2csv exit %d: %s", r.status, r.err);
  cr_expect(strstr(r.err, rules) != NULL, "error does not name %s: %s",
            rules, r.err);
  cr_expect_not(h_exists(out), "a failed run left %s", out);
  h_result_free(&r);

  char *nargs[] = {in, NULL};
  r = run_installed("budget-normalize", nargs, work);
  cr_expect_eq(r.status, 8, "budget-normalize exit %d: %s", r.status,
               r.err);
  cr_expect(strstr(r.err, rules) != NULL, "error does not name %s: %s",
            rules, r.err);
  h_result_free(&r);
  free(rules);
  free(in);
  free(out);
}

/* The installed budget-batch runs the installed budget2csv beside it. */
Test(install, installed_budget_batch_runs_installed_budget2csv)
{
  char *in = h_fmt("%s/samples/qingshan-agri/doc.pdf", h_home());
  char *out = h_fmt("%s/batch", work);
  char *args[] = {"-o", out, "-j", "1", in, NULL};
  h_result r = run_installed("budget-batch", args, work);
  cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
  char *p = h_fmt("%s/doc/03.csv", out), *w =
      h_fmt("%s/samples/qingshan-agri/expected/03.csv", h_home());
  char *got = h_read(p, NULL), *want = h_read(w, NULL);
  cr_assert_not_null(got);
  cr_expect_str_eq(got, want);
  free(got);
  free(want);
  free(p);
  free(w);
  p = h_fmt("%s/long.csv", out);
  got = h_read(p, NULL);
  cr_assert_not_null(got);
  cr_expect_gt(h_lines(got), 50, "%s", got);
  free(got);
  free(p);
  h_result_free(&r);
  free(in);
  free(out);
}

/* --config, $BUDGET_CONFIG and --rules still win over the installed
** defaults. */
Test(install, options_override_the_installed_defaults)
{
  char *conf = h_fmt("%s/my.conf", work);
  h_write_str(conf, "pdf = budget-extract {input} | budget-normalize {rules}"
                    " | budget-csv {output}\n"
                    "text = budget-normalize {rules} {input} | budget-csv "
                    "{output}\nrules = no-such-rules\n");
  char *in = h_fmt("%s/samples/text-paste/doc.txt", h_home());
  char *out = h_fmt("%s/out", work);
  char *args[] = {in, "-o", out, "--config", conf, NULL};
  h_result r = run_installed("budget2csv", args, work);
  cr_expect_eq(r.status, 8, "exit %d: %s", r.status, r.err);
  cr_expect(strstr(r.err, "no-such-rules") != NULL, "%s", r.err);
  h_result_free(&r);

  char *env = h_fmt("BUDGET_CONFIG=%s", conf);
  char *args_env[] = {in, "-o", out, NULL};
  r = run_installed_env("budget2csv", args_env, work, env);
  cr_expect_eq(r.status, 8, "exit %d: %s", r.status, r.err);
  cr_expect(strstr(r.err, "no-such-rules") != NULL, "%s", r.err);
  h_result_free(&r);
  free(env);

  char *rules = h_fmt("%s/rules", h_home());
  char *args2[] = {in, "-o", out, "--config", conf, "--rules", rules, NULL};
  r = run_installed("budget2csv", args2, work);
  cr_expect_eq(r.status, 0, "exit %d: %s", r.status, r.err);
  h_result_free(&r);
  free(rules);
  free(conf);
  free(in);
  free(out);
}
