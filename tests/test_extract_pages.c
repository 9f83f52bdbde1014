/*
** budget-extract --jobs 2 (extract/pages.h): a document split over two
** processes gives the very bytes one process writes, whether the second
** process's output is taken or cannot be (no room for its scratch file).
** The long document is the samples joined with qpdf, 23 pages.
*/
#include "helpers.h"

#define TAKEN "helper's output taken after page"

static char *dir, *long_pdf;

static void join_samples(void)
{
  dir = h_tmpdir();
  long_pdf = h_fmt("%s/long.pdf", dir);
  if (access("/usr/bin/qpdf", X_OK) != 0)
    return;
  const char *names[] = {"baihe-school", "hexi-water", "nanshan-edu",
                         "qingfeng-market", "qingshan-agri"};
  char *argv[16];
  char *pdfs[5];
  int n = 0;
  argv[n++] = "/usr/bin/qpdf";
  argv[n++] = "--empty";
  argv[n++] = "--pages";
  for (int i = 0; i < 5; i++)
    argv[n++] = pdfs[i] = h_fmt("%s/samples/%s/doc.pdf", h_home(), names[i]);
  argv[n++] = "--";
  argv[n++] = long_pdf;
  argv[n] = NULL;
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "qpdf: %s", r.err);
  h_result_free(&r);
  for (int i = 0; i < 5; i++)
    free(pdfs[i]);
}

/* Also called before cr_skip_test(), which skips the suite's .fini. */
static void cleanup(void)
{
  if (dir)
    h_rm_rf(dir);
  free(dir);
  free(long_pdf);
  dir = long_pdf = NULL;
}

static h_result extract(const char *pdf, const char *jobs, char *const env[])
{
  char *bin = h_bin("budget-extract");
  char *argv[] = {bin, "--jobs", (char *)jobs, (char *)pdf, NULL};
  h_result r = h_run_env(argv, NULL, NULL, env);
  free(bin);
  return r;
}

static void assert_same_stream(const h_result *a, const h_result *b)
{
  cr_assert_eq(a->status, 0, "%s", a->err);
  cr_assert_eq(b->status, 0, "%s", b->err);
  cr_assert_eq(a->outlen, b->outlen, "streams of %zu and %zu bytes",
               a->outlen, b->outlen);
  cr_assert(memcmp(a->out, b->out, a->outlen) == 0);
}

TestSuite(extract_pages, .init = join_samples, .fini = cleanup);

Test(extract_pages, split_document_gives_the_same_bytes)
{
  if (!h_exists(long_pdf))
    cr_skip_test("qpdf is not installed (tools/install-deps.sh)");
  char *debug[] = {"BUDGET_DEBUG_PAGES=1", NULL};
  h_result one = extract(long_pdf, "1", debug);
  h_result two = extract(long_pdf, "2", debug);
  assert_same_stream(&one, &two);
  cr_assert_null(strstr(one.err, TAKEN), "one job split: %s", one.err);
  /* The second process's output was used, not only made. */
  cr_assert_not_null(strstr(two.err, TAKEN), "stderr: %s", two.err);
  /* 23 pages: 22 form feeds, 23 @@page lines, none twice. */
  int feeds = 0;
  for (size_t i = 0; i < two.outlen; i++)
    feeds += two.out[i] == '\f';
  cr_assert_eq(feeds, 22);
  for (int p = 1; p <= 23; p++) {
    char *tag = h_fmt("@@page\t%d\t", p);
    const char *at = strstr(two.out, tag);
    cr_assert_not_null(at, "no page %d", p);
    cr_assert_null(strstr(at + 1, tag), "page %d twice", p);
    free(tag);
  }
  h_result_free(&one);
  h_result_free(&two);
}

/* A cut near either end leaves one process with most of the pages: the
** other takes halves of them, run after run, and the runs still join into
** the one process's bytes. */
Test(extract_pages, uneven_cuts_give_the_same_bytes)
{
  if (!h_exists(long_pdf))
    cr_skip_test("qpdf is not installed (tools/install-deps.sh)");
  h_result one = extract(long_pdf, "1", NULL);
  const char *cuts[] = {"BUDGET_DEBUG_SPLIT=2", "BUDGET_DEBUG_SPLIT=6",
                        "BUDGET_DEBUG_SPLIT=17", "BUDGET_DEBUG_SPLIT=23"};
  for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
    char *env[] = {(char *)cuts[i], "BUDGET_DEBUG_PAGES=1", NULL};
    h_result two = extract(long_pdf, "2", env);
    assert_same_stream(&one, &two);
    h_result_free(&two);
  }
  h_result_free(&one);
}

Test(extract_pages, no_room_for_the_scratch_file_means_one_process)
{
  if (!h_exists(long_pdf))
    cr_skip_test("qpdf is not installed (tools/install-deps.sh)");
  char *nowhere[] = {"BUDGET_DEBUG_PAGES=1", "TMPDIR=/nonexistent-budget-dir",
                     NULL};
  h_result one = extract(long_pdf, "1", NULL);
  h_result two = extract(long_pdf, "2", nowhere);
  /* Under tools/memcheck.sh valgrind keeps its own files in TMPDIR. */
  if (two.status != 0 && strstr(two.err, "valgrind: Unable to start")) {
    h_result_free(&one);
    h_result_free(&two);
    cleanup();
    cr_skip_test("valgrind needs TMPDIR itself");
  }
  assert_same_stream(&one, &two);
  cr_assert_str_empty(two.err);
  h_result_free(&one);
  h_result_free(&two);
}

Test(extract_pages, environment_sets_the_default)
{
  if (!h_exists(long_pdf))
    cr_skip_test("qpdf is not installed (tools/install-deps.sh)");
  char *bin = h_bin("budget-extract");
  char *argv[] = {bin, long_pdf, NULL};
  char *one_job[] = {"BUDGET_DEBUG_PAGES=1", "BUDGET_EXTRACT_JOBS=1", NULL};
  h_result r = h_run_env(argv, NULL, NULL, one_job);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_str_empty(r.err);
  h_result_free(&r);
  free(bin);
}

Test(extract_pages, short_document_is_not_split)
{
  char *pdf = h_fmt("%s/samples/qingshan-agri/doc.pdf", h_home());
  char *debug[] = {"BUDGET_DEBUG_PAGES=1", NULL};
  h_result r = extract(pdf, "2", debug);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_assert_str_empty(r.err);
  h_result_free(&r);
  free(pdf);
}

Test(extract_pages, bad_job_count_is_a_usage_error)
{
  char *pdf = h_fmt("%s/samples/qingshan-agri/doc.pdf", h_home());
  const char *bad[] = {"0", "two", "-1", ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    h_result r = extract(pdf, bad[i], NULL);
    cr_assert_eq(r.status, 2, "--jobs '%s': exit %d", bad[i], r.status);
    cr_assert_eq(h_lines(r.err), 1, "--jobs '%s': %s", bad[i], r.err);
    cr_assert_eq(r.outlen, 0);
    h_result_free(&r);
  }
  free(pdf);
}
