/*
** tools/accuracy.sh on a small SHARED tree the test builds: a good PDF, a
** broken one and a text seed. Every document is run (a failure is listed
** and does not stop the run), outputs land in OUT/<set>/<id>/, score.py is
** called with the truth and output roots, and a missing SHARED is a
** message, not a failure. score.py here is a stand-in that prints its
** arguments: the real one comes with the shared corpus, not the repo.
*/
#include <criterion/criterion.h>

#include "helpers.h"

static char *tmp;
static void setup(void) { tmp = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
}

TestSuite(accuracy, .init = setup, .fini = teardown, .timeout = 240);

static void mkdirs(const char *path)
{
  char *cmd[] = {"/bin/mkdir", "-p", (char *)path, NULL};
  h_result r = h_run(cmd, NULL);
  cr_assert_eq(r.status, 0, "mkdir -p %s: %s", path, r.err);
  h_result_free(&r);
}

static void copy(const char *from, const char *to)
{
  size_t n;
  char *data = h_read(from, &n);
  cr_assert_not_null(data, "%s", from);
  h_write(to, data, n);
  free(data);
}

static char *script_path(void)
{
  return h_fmt("%s/tools/accuracy.sh", h_home());
}

Test(accuracy, runs_every_document_and_scores_each_set)
{
  char *shared = h_fmt("%s/shared", tmp), *out = h_fmt("%s/out", tmp);
  char *p;
  /* corpus/dev: one good PDF, one that is not a PDF. */
  p = h_fmt("%s/corpus/dev/good-1/truth", shared);
  mkdirs(p);
  free(p);
  p = h_fmt("%s/corpus/dev/bad-2/truth", shared);
  mkdirs(p);
  free(p);
  char *src = h_fmt("%s/samples/qingshan-agri/doc.pdf", h_home());
  p = h_fmt("%s/corpus/dev/good-1/doc.pdf", shared);
  copy(src, p);
  free(p);
  free(src);
  p = h_fmt("%s/corpus/dev/bad-2/doc.pdf", shared);
  h_write_str(p, "<html>not a pdf</html>\n");
  free(p);
  /* seeds: one text document. */
  p = h_fmt("%s/seeds/seed-a/truth", shared);
  mkdirs(p);
  free(p);
  src = h_fmt("%s/samples/text-paste/doc.txt", h_home());
  p = h_fmt("%s/seeds/seed-a/doc.txt", shared);
  copy(src, p);
  free(p);
  free(src);
  p = h_fmt("%s/corpus/score.py", shared);
  h_write_str(p, "import sys\nprint('SCORE', sys.argv[1], sys.argv[2])\n");
  free(p);

  char *sh = script_path();
  char *argv[] = {"/bin/sh", sh, (char *)h_bin_dir(), shared, out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "exit %d\n%s\n%s", r.status, r.out, r.err);
  char *want = h_fmt("SCORE %s/corpus/dev %s/dev", shared, out);
  cr_assert(strstr(r.out, want), "no dev score line in:\n%s", r.out);
  free(want);
  want = h_fmt("SCORE %s/seeds %s/seeds", shared, out);
  cr_assert(strstr(r.out, want), "no seeds score line in:\n%s", r.out);
  free(want);
  cr_assert(strstr(r.out, "accuracy: dev/bad-2: exit 4:"),
            "the failed document is listed:\n%s", r.out);
  cr_assert(strstr(r.out, "accuracy: dev: 2 documents, 1 failed"), "%s",
            r.out);
  cr_assert(strstr(r.out, "accuracy: seeds: 1 documents, 0 failed"), "%s",
            r.out);
  p = h_fmt("%s/dev/good-1/tables.csv", out);
  cr_assert(h_exists(p), "no output for the good PDF");
  free(p);
  p = h_fmt("%s/seeds/seed-a/01.csv", out);
  cr_assert(h_exists(p), "no output for the seed");
  free(p);
  p = h_fmt("%s/dev/bad-2", out);
  cr_assert_not(h_exists(p), "a failed document leaves no folder");
  free(p);
  h_result_free(&r);

  /* A second run starts each folder afresh: a document that fails now
  ** keeps no CSVs from the run before. */
  p = h_fmt("%s/corpus/dev/good-1/doc.pdf", shared);
  h_write_str(p, "");
  free(p);
  r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  p = h_fmt("%s/dev/good-1", out);
  cr_assert_not(h_exists(p), "stale output of a now failing document");
  free(p);
  h_result_free(&r);
  free(sh);
  free(out);
  free(shared);
}

Test(accuracy, without_shared_it_skips)
{
  char *sh = script_path();
  char *missing = h_fmt("%s/none", tmp), *out = h_fmt("%s/out", tmp);
  char *argv[] = {"/bin/sh", sh, (char *)h_bin_dir(), missing, out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert(strstr(r.out, "skipped"), "%s", r.out);
  cr_assert_not(h_exists(out));
  h_result_free(&r);
  char *bad[] = {"/bin/sh", sh, NULL};
  r = h_run(bad, NULL);
  cr_assert_eq(r.status, 2);
  h_result_free(&r);
  free(out);
  free(missing);
  free(sh);
}
