/*
** End to end on bad inputs the tests make at run time: a missing file, a
** text file or an HTML page saved as .pdf, empty and truncated PDFs, an
** encrypted PDF, a PDF whose page is only an image, a line past the 4 MiB
** cap, a full disk. Each must end with its own exit status
** (common/exit_codes.h), exactly one line on stderr naming the file (or
** the cause, for a full disk), no output folder and no staging left
** behind. A 1 MB line, under the cap, must come through whole.
*/
#include <criterion/criterion.h>

#include "exit_codes.h"
#include "helpers.h"

static char *tmp;
static char *b2c;

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

TestSuite(errors, .init = setup, .fini = teardown, .timeout = 120);

/* cr_skip_test() ends the test without running teardown(): the private
** folder goes first, or every skipped test leaves one in $TMPDIR. */
static void skip(const char *why)
{
  h_rm_rf(tmp);
  cr_skip_test("%s", why);
}

static char *sample_pdf(void)
{
  return h_fmt("%s/samples/qingshan-agri/doc.pdf", h_home());
}

static char *file(const char *name, const void *data, size_t len)
{
  char *p = h_fmt("%s/%s", tmp, name);
  h_write(p, data, len);
  return p;
}

/* Runs budget2csv doc -o TMP/out [extra] and checks the failure shape. */
static void expect_failure(const char *doc, int status, const char *extra)
{
  char *out = h_fmt("%s/out", tmp);
  char *argv[8] = {b2c, (char *)doc, "-o", out, NULL};
  if (extra) {
    argv[4] = "--password";
    argv[5] = (char *)extra;
    argv[6] = NULL;
  }
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, status, "%s: exit %d (%s), want %d; stderr: %s",
               doc, r.status, r.status == 12 ? "stage" : "", status, r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s: want one stderr line, got:\n%s", doc,
               r.err);
  cr_assert(strstr(r.err, doc) != NULL, "stderr does not name %s: %s", doc,
            r.err);
  cr_assert_str_eq(r.out, "");
  cr_assert_not(h_exists(out), "%s: output folder was created", doc);
  cr_assert_not(h_has_entry_prefix(tmp, ".budget"), "staging left behind");
  h_result_free(&r);
  free(out);
}

Test(errors, missing_file_is_3)
{
  char *doc = h_fmt("%s/no-such-file.pdf", tmp);
  expect_failure(doc, BUDGET_EXIT_NO_INPUT, NULL);
  free(doc);
}

Test(errors, unreadable_file_is_3)
{
  if (geteuid() == 0)
    skip("root reads any file");
  char *doc = file("locked.pdf", "%PDF-1.4\n", 9);
  cr_assert_eq(chmod(doc, 0), 0);
  expect_failure(doc, BUDGET_EXIT_NO_INPUT, NULL);
  free(doc);
}

Test(errors, text_file_named_pdf_is_4)
{
  const char text[] = "2024年部门收支预算表\n项目\t金额\n";
  char *doc = file("notes.pdf", text, sizeof text - 1);
  expect_failure(doc, BUDGET_EXIT_NOT_PDF, NULL);
  free(doc);
}

Test(errors, html_saved_as_pdf_is_4)
{
  const char html[] = "<!DOCTYPE html>\n<html><head><title>404 Not Found"
                      "</title></head><body><h1>Not Found</h1></body></html>\n";
  char *doc = file("download.PDF", html, sizeof html - 1);
  expect_failure(doc, BUDGET_EXIT_NOT_PDF, NULL);
  free(doc);
}

Test(errors, zero_byte_pdf_is_4)
{
  char *doc = file("empty.pdf", "", 0);
  expect_failure(doc, BUDGET_EXIT_NOT_PDF, NULL);
  free(doc);
}

Test(errors, truncated_pdf_is_4)
{
  char *src = sample_pdf();
  size_t len;
  char *data = h_read(src, &len);
  cr_assert_not_null(data, "%s", src);
  char *doc = file("truncated.pdf", data, len / 2);
  expect_failure(doc, BUDGET_EXIT_NOT_PDF, NULL);
  free(doc);
  free(data);
  free(src);
}

Test(errors, header_only_pdf_is_4)
{
  const char head[] = "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n";
  char *doc = file("header.pdf", head, sizeof head - 1);
  expect_failure(doc, BUDGET_EXIT_NOT_PDF, NULL);
  free(doc);
}

/* qpdf --encrypt USER OWNER 256 -- sample out; NULL when qpdf is absent. */
static char *encrypted(const char *user)
{
  if (access("/usr/bin/qpdf", X_OK) != 0)
    return NULL;
  char *src = sample_pdf();
  char *doc = h_fmt("%s/locked-%s.pdf", tmp, user[0] ? user : "none");
  char *argv[] = {"/usr/bin/qpdf", "--encrypt", (char *)user, "owner-pw",
                  "256",           "--",        src,          doc,
                  NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "qpdf: %s", r.err);
  h_result_free(&r);
  free(src);
  return doc;
}

Test(errors, encrypted_pdf_is_5)
{
  char *doc = encrypted("user-pw");
  if (!doc)
    skip("qpdf is not installed (tools/install-deps.sh)");
  expect_failure(doc, BUDGET_EXIT_ENCRYPTED, NULL);
  free(doc);
}

Test(errors, encrypted_pdf_with_a_wrong_password_is_5)
{
  char *doc = encrypted("user-pw");
  if (!doc)
    skip("qpdf is not installed (tools/install-deps.sh)");
  expect_failure(doc, BUDGET_EXIT_ENCRYPTED, "not-it");
  free(doc);
}

/* With the right password, or none needed to open it, the document is
** read like any other: the sample's own tables come out. */
static void expect_tables(const char *doc, const char *password)
{
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c,  (char *)doc, "-o", out, password ? "--password" : NULL,
                  (char *)password, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s: exit %d, stderr: %s", doc, r.status, r.err);
  char *want = h_fmt("%s/samples/qingshan-agri/expected/09.csv", h_home());
  char *got_p = h_fmt("%s/09.csv", out);
  char *w = h_read(want, NULL), *g = h_read(got_p, NULL);
  cr_assert_not_null(g, "no 09.csv from %s", doc);
  cr_assert_str_eq(g, w);
  free(w);
  free(g);
  free(got_p);
  free(want);
  h_result_free(&r);
  free(out);
}

Test(errors, encrypted_pdf_opens_with_its_password)
{
  char *doc = encrypted("user-pw");
  if (!doc)
    skip("qpdf is not installed (tools/install-deps.sh)");
  expect_tables(doc, "user-pw");
  free(doc);
}

Test(errors, pdf_with_only_an_owner_password_needs_none)
{
  char *doc = encrypted("");
  if (!doc)
    skip("qpdf is not installed (tools/install-deps.sh)");
  expect_tables(doc, NULL);
  free(doc);
}

Test(errors, image_only_pdf_is_6)
{
  char *mk = h_bin("mksample");
  char *doc = h_fmt("%s/scan.pdf", tmp);
  char *argv[] = {mk, "--image-only", doc, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "mksample: %s", r.err);
  h_result_free(&r);
  expect_failure(doc, BUDGET_EXIT_NO_TEXT, NULL);
  free(doc);
  free(mk);
}

Test(errors, a_failed_run_creates_no_parent_folders)
{
  char *doc = encrypted("user-pw");
  if (!doc)
    skip("qpdf is not installed (tools/install-deps.sh)");
  char *out = h_fmt("%s/new/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_ENCRYPTED, "stderr: %s", r.err);
  char *parent = h_fmt("%s/new", tmp);
  cr_assert_not(h_exists(parent), "%s was left behind", parent);
  free(parent);
  h_result_free(&r);
  free(out);
  free(doc);
}

Test(errors, a_failed_run_leaves_an_existing_folder_as_it_was)
{
  char *out = h_fmt("%s/out", tmp);
  cr_assert_eq(mkdir(out, 0777), 0);
  char *old = h_fmt("%s/03.csv", out);
  h_write_str(old, "from an earlier run\r\n");
  char *doc = file("empty.pdf", "", 0);
  char *argv[] = {b2c, doc, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_NOT_PDF, "stderr: %s", r.err);
  char *l = h_listing(out);
  cr_assert_str_eq(l, "03.csv\n");
  char *got = h_read(old, NULL);
  cr_assert_str_eq(got, "from an earlier run\r\n");
  cr_assert_not(h_has_entry_prefix(tmp, ".budget"));
  free(got);
  free(l);
  h_result_free(&r);
  free(doc);
  free(old);
  free(out);
}

/* A text file holding a three-column table whose one data row's last
** cell is cell_bytes of one repeated CJK character. */
static char *long_cell_doc(size_t cell_bytes)
{
  static const char head[] =
      "2023年部门收支预算表\n项目\t金额\t备注\n一般公共预算\t12.5\t";
  size_t n = sizeof head - 1 + cell_bytes + 1;
  char *text = malloc(n);
  cr_assert_not_null(text);
  memcpy(text, head, sizeof head - 1);
  for (size_t i = 0; i + 3 <= cell_bytes; i += 3)
    memcpy(text + sizeof head - 1 + i, "说", 3);
  text[n - 1] = '\n';
  char *p = file("long.txt", text, n);
  free(text);
  return p;
}

Test(errors, a_one_megabyte_cell_reaches_the_csv_whole)
{
  char *doc = long_cell_doc(3u * 350000u);
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OK, "stderr: %s", r.err);
  char *csv = h_fmt("%s/01.csv", out);
  size_t len;
  char *got = h_read(csv, &len);
  cr_assert_not_null(got);
  cr_assert_gt(len, 3u * 350000u);
  cr_assert_not_null(strstr(got, "一般公共预算,12.5,说说说"));
  free(got);
  free(csv);
  h_result_free(&r);
  free(out);
  free(doc);
}

Test(errors, a_line_past_the_4_mib_cap_is_11)
{
  char *doc = long_cell_doc(3u * 1500000u);
  expect_failure(doc, BUDGET_EXIT_RESOURCE, NULL);
  free(doc);
}

/* A full disk, where the system can simulate one: every program that
** writes to stdout fails with 10 and one line, not a silent short file. */
static void expect_full_disk(const char *cmd)
{
  if (access("/dev/full", W_OK) != 0)
    skip("no /dev/full");
  char *line = h_fmt("exec %s >/dev/full", cmd);
  char *argv[] = {"/bin/sh", "-c", line, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, BUDGET_EXIT_OUTPUT, "%s: exit %d; stderr: %s", cmd,
               r.status, r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s: want one stderr line, got:\n%s", cmd,
               r.err);
  cr_assert(strstr(r.err, "No space left on device") != NULL, "%s", r.err);
  h_result_free(&r);
  free(line);
}

Test(errors, a_full_disk_is_10_for_every_program)
{
  char *pdf = sample_pdf();
  static const char tsv[] =
      "2023年部门收支预算表\n项目\t金额\n一般公共预算\t12.5\n合计\t12.5\n";
  char *txt = file("doc.txt", tsv, sizeof tsv - 1);
  const char *progs[] = {"budget-extract", "budget-normalize", "budget2csv"};
  const char *docs[] = {pdf, txt, pdf};
  const char *extra[] = {"", "", " --table 01"};
  for (size_t i = 0; i < 3; i++) {
    char *bin = h_bin(progs[i]);
    char *cmd = h_fmt("%s '%s'%s", bin, docs[i], extra[i]);
    expect_full_disk(cmd);
    free(cmd);
    free(bin);
  }
  free(txt);
  free(pdf);
}

/* Text from other tools that is not UTF-8: binary bytes, or a GBK file
** (what many Chinese Windows tools write). */
Test(errors, binary_text_is_9)
{
  static const char bytes[] = "abc\0\1\2\377\376 binary\n";
  char *doc = file("binary.txt", bytes, sizeof bytes - 1);
  expect_failure(doc, BUDGET_EXIT_BAD_TEXT, NULL);
  free(doc);
}

Test(errors, gbk_text_is_9)
{
  /* 2023年部门收支预算表 / 项目<TAB>金额 / 部门<TAB>1, the last row GBK. */
  static const char bytes[] = "2023\xe5\xb9\xb4\xe9\x83\xa8\xe9\x97\xa8"
                              "\xe6\x94\xb6\xe6\x94\xaf\xe9\xa2\x84\xe7\xae"
                              "\x97\xe8\xa1\xa8\n\xe9\xa1\xb9\xe7\x9b\xae\t"
                              "\xe9\x87\x91\xe9\xa2\x9d\n\xb2\xbf\xc3\xc5\t1\n";
  char *doc = file("gbk.txt", bytes, sizeof bytes - 1);
  expect_failure(doc, BUDGET_EXIT_BAD_TEXT, NULL);
  /* The one line says how to fix it. */
  char *out = h_fmt("%s/out", tmp);
  char *argv[] = {b2c, doc, "-o", out, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert(strstr(r.err, "line 3: invalid UTF-8") != NULL, "%s", r.err);
  cr_assert(strstr(r.err, "iconv -f GBK") != NULL, "%s", r.err);
  h_result_free(&r);
  free(out);
  free(doc);
}

/* Two inputs where a program takes one: a usage error (2) whose one line
** names both, whichever program it is, and nothing read or written. */
Test(errors, two_inputs_are_a_usage_error_for_every_program)
{
  const char *progs[] = {"budget-extract", "budget-normalize", "budget-csv",
                         "budget2csv"};
  for (size_t i = 0; i < sizeof progs / sizeof *progs; i++) {
    char *bin = h_bin(progs[i]);
    char *out = h_fmt("%s/out", tmp);
    char *argv[] = {bin, "first.pdf", "second.pdf", "-o", out, NULL};
    /* budget-extract and budget-normalize take no -o: stop before it. */
    if (i < 2)
      argv[3] = NULL;
    h_result r = h_run(argv, NULL);
    cr_assert_eq(r.status, BUDGET_EXIT_USAGE, "%s: exit %d: %s", progs[i],
                 r.status, r.err);
    cr_assert_eq(h_lines(r.err), 1, "%s: %s", progs[i], r.err);
    cr_assert(strstr(r.err, "first.pdf") && strstr(r.err, "second.pdf"),
              "%s: %s", progs[i], r.err);
    cr_assert_str_eq(r.out, "");
    cr_assert_not(h_exists(out), "%s made the output folder", progs[i]);
    h_result_free(&r);
    free(out);
    free(bin);
  }
}
