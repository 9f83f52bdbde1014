/*
** budget-extract: a PDF in, the budget stream (docs/stream.md) out.
**
** Opens the document with Poppler, refuses what is not a readable PDF with
** text (missing, not a PDF, encrypted, a scan) with one stderr line and
** the exit status of exit_codes.h, then writes page after page; only one
** page's text and bitmap are held at a time.
*/
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "diag.h"
#include "exit_codes.h"
#include "pages.h"
#include "page_text.h"
#include "rulings.h"
#include "stream.h"

enum { OPT_PASSWORD, OPT_JOBS, OPT_HELP, OPT_VERSION };

static const cli_option options[] = {
    [OPT_PASSWORD] = {"password", 0, "PW", "password of an encrypted PDF"},
    [OPT_JOBS] = {"jobs", 'j', "N",
                  "1, or 2 processes for the document (same output)"},
    [OPT_HELP] = {"help", 'h', NULL, "show this help and exit"},
    [OPT_VERSION] = {"version", 0, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char usage[] =
    "budget-extract [--password PW] [--jobs N] DOC.pdf|-";
static const char description[] =
    "Writes the budget stream of a PDF to stdout: page by page, the tables\n"
    "rebuilt as grids of cells from the page geometry (ruling lines, text\n"
    "alignment) and every other line as text.";

/* Poppler reports syntax problems of damaged files on stderr by itself;
** the user is owed one line from us instead, so its chatter is muted. */
static void quiet_poppler_errors(int on)
{
  static int saved = -1;
  if (on) {
    fflush(stderr);
    saved = dup(STDERR_FILENO);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, STDERR_FILENO);
      close(null);
    }
  } else if (saved >= 0) {
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    saved = -1;
  }
}

static GBytes *read_all(FILE *in)
{
  size_t cap = 1 << 20, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    size_t got = fread(buf + n, 1, cap - n, in);
    n += got;
    if (got == 0)
      break;
    if (n == cap) {
      if (cap >= (size_t)512 << 20) {
        free(buf);
        return NULL;
      }
      char *p = realloc(buf, cap * 2);
      if (!p) {
        free(buf);
        return NULL;
      }
      buf = p;
      cap *= 2;
    }
  }
  return buf ? g_bytes_new_take(buf, n) : NULL;
}

static int has_pdf_header(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return 0;
  char buf[1025];
  size_t n = fread(buf, 1, 1024, f);
  fclose(f);
  buf[n] = '\0';
  for (size_t i = 0; i + 5 <= n; i++)
    if (memcmp(buf + i, "%PDF-", 5) == 0)
      return 1;
  return 0;
}

static PopplerDocument *open_document(const char *path, const char *password,
                                      int *status)
{
  GError *gerr = NULL;
  PopplerDocument *doc = NULL;
  const char *name = path;
  if (strcmp(path, "-") == 0) {
    name = "<stdin>";
    GBytes *bytes = read_all(stdin);
    if (!bytes) {
      diag_error(name, "cannot read the input (over 512 MiB?)");
      *status = BUDGET_EXIT_RESOURCE;
      return NULL;
    }
    quiet_poppler_errors(1);
    doc = poppler_document_new_from_bytes(bytes, password, &gerr);
    quiet_poppler_errors(0);
    g_bytes_unref(bytes);
  } else {
    if (access(path, R_OK) != 0) {
      diag_error(path, "cannot open: %s", strerror(errno));
      *status = BUDGET_EXIT_NO_INPUT;
      return NULL;
    }
    if (!has_pdf_header(path)) {
      diag_error(path, "not a PDF (no %%PDF- header)");
      *status = BUDGET_EXIT_NOT_PDF;
      return NULL;
    }
    char *abs = g_canonicalize_filename(path, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &gerr);
    g_free(abs);
    if (uri) {
      quiet_poppler_errors(1);
      doc = poppler_document_new_from_file(uri, password, &gerr);
      quiet_poppler_errors(0);
      g_free(uri);
    }
  }
  if (!doc) {
    if (gerr && gerr->domain == POPPLER_ERROR &&
        gerr->code == POPPLER_ERROR_ENCRYPTED) {
      diag_error(name, password ? "encrypted, and the password is wrong"
                                : "encrypted (give --password)");
      *status = BUDGET_EXIT_ENCRYPTED;
    } else {
      diag_error(name, "not a readable PDF (%s)",
                 gerr ? gerr->message : "damaged");
      *status = BUDGET_EXIT_NOT_PDF;
    }
  }
  if (gerr)
    g_error_free(gerr);
  return doc;
}

/* A scan has pages but no characters; checking the pages up to the first
** one with text costs one page for ordinary documents. That page is handed
** back (with its index), so its text, which Poppler keeps with the page,
** is not extracted a second time; NULL when no page has text. */
static PopplerPage *first_text_page(PopplerDocument *doc, int npages,
                                    int *index)
{
  for (int i = 0; i < npages; i++) {
    PopplerPage *p = poppler_document_get_page(doc, i);
    if (!p)
      continue;
    char *t = poppler_page_get_text(p);
    int any = 0;
    for (const char *s = t; s && *s && !any; s++)
      any = (unsigned char)*s > ' ';
    g_free(t);
    if (any) {
      *index = i;
      return p;
    }
    g_object_unref(p);
  }
  return NULL;
}

/* "1" or "2" (more is taken as 2: one document splits in two); -1 else. */
static int parse_jobs(const char *s)
{
  int n;
  if (cli_count(s, INT_MAX, &n) != 0)
    return -1;
  return n >= 2 ? 2 : 1;
}

static int default_jobs(void)
{
  const char *env = getenv("BUDGET_EXTRACT_JOBS");
  int n = env && *env ? parse_jobs(env) : -1;
  if (n > 0)
    return n;
  return sysconf(_SC_NPROCESSORS_ONLN) >= 2 ? 2 : 1;
}

int main(int argc, char **argv)
{
  diag_set_program("budget-extract");
  const char *path = NULL, *password = NULL, *value;
  int jobs = default_jobs();
  cli_state st = {1, 0};
  int opt;
  while ((opt = cli_next(&st, argc, argv, options, NOPTIONS, &value)) !=
         CLI_END) {
    switch (opt) {
    case CLI_ERROR:
      return BUDGET_EXIT_USAGE;
    case CLI_POSITIONAL:
      if (cli_one_input(&path, value) != 0)
        return BUDGET_EXIT_USAGE;
      break;
    case OPT_PASSWORD:
      password = value;
      break;
    case OPT_JOBS:
      if ((jobs = parse_jobs(value)) < 0) {
        diag_error(NULL, "--jobs wants 1 or 2, not '%s'", value);
        return BUDGET_EXIT_USAGE;
      }
      break;
    case OPT_HELP:
      cli_help(stdout, usage, description, options, NOPTIONS);
      return BUDGET_EXIT_OK;
    case OPT_VERSION:
      printf("budget-extract %s (poppler %s)\n", BUDGET_VERSION,
             poppler_get_version());
      return BUDGET_EXIT_OK;
    }
  }
  if (!path) {
    diag_error(NULL, "no document given (see --help)");
    return BUDGET_EXIT_USAGE;
  }
  int status = 0;
  PopplerDocument *doc = open_document(path, password, &status);
  if (!doc)
    return status;
  const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
  int npages = poppler_document_get_n_pages(doc);
  int text_index = -1;
  PopplerPage *text_page =
      npages > 0 ? first_text_page(doc, npages, &text_index) : NULL;
  if (!text_page) {
    diag_error(name, npages <= 0 ? "the PDF has no pages"
                                 : "no text layer (a scanned document?)");
    g_object_unref(doc);
    return BUDGET_EXIT_NO_TEXT;
  }
  fprintf(stdout, "@@budget-stream\t1\n@@source\t%s\t%d\n", name, npages);
  pages_job job = {doc, npages, text_page, text_index, name, jobs};
  int rc = pages_write(&job, stdout);
  if (rc == BUDGET_EXIT_OK && fflush(stdout) != 0) {
    diag_error(NULL, "cannot write the stream: %s", strerror(errno));
    rc = BUDGET_EXIT_OUTPUT;
  }
  rulings_release_bitmap();
  g_object_unref(doc);
  return rc;
}
