#include "pages.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "page_emit.h"
#include "page_text.h"
#include "stream.h"

/* What the helper notes after each of its pages. */
typedef struct page_note {
  int index;          /* the page, 0-based */
  int capped;         /* skipped as over PAGE_TEXT_MAX_CHARS */
  long end;           /* the scratch file's length after the page */
  page_context ctx;   /* the context the page leaves */
} page_note;

typedef struct helper {
  pid_t pid;          /* 0: none (not started, failed, or reaped) */
  int from;           /* its first page */
  FILE *text, *notes; /* scratch files, shared with it */
  page_note *note;    /* read once it has ended well */
  size_t nnote;
} helper;

/* Writes page i (after a form feed unless it is the first): 0, or -1 out
** of memory, -2 write error, as page_emit(). */
static int write_page(PopplerDocument *doc, int i, PopplerPage *given,
                      page_context *ctx, FILE *out, int *capped)
{
  *capped = 0;
  if (i > 0 && stream_write_page(out) != 0)
    return -2;
  PopplerPage *page = given ? given : poppler_document_get_page(doc, i);
  if (!page)
    return 0;
  size_t nchars;
  int e = page_emit(page, i + 1, ctx, out, &nchars, capped);
  g_object_unref(page);
  if (e == -1 && *capped)
    e = 0;
  return e;
}

/* A scratch file in $TMPDIR that vanishes when closed. */
static FILE *scratch_file(void)
{
  const char *dir = getenv("TMPDIR");
  char path[4096];
  if (!dir || !*dir)
    dir = "/tmp";
  if ((size_t)snprintf(path, sizeof path, "%s/budget-extract-XXXXXX", dir) >=
      sizeof path)
    return NULL;
  int fd = mkstemp(path);
  if (fd < 0)
    return NULL;
  unlink(path);
  FILE *f = fdopen(fd, "w+b");
  if (!f)
    close(fd);
  return f;
}

static void helper_run(const pages_job *job, helper *h)
{
  /* The helper dies with its parent, whatever kills the parent. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)
    _exit(1);
  page_context ctx = PAGE_CONTEXT_INIT;
  for (int i = h->from; i < job->npages; i++) {
    page_note n;
    memset(&n, 0, sizeof n);
    n.index = i;
    if (write_page(job->doc, i, NULL, &ctx, h->text, &n.capped) != 0 ||
        fflush(h->text) != 0)
      _exit(1);
    n.end = ftell(h->text);
    n.ctx = ctx;
    if (n.end < 0 || fwrite(&n, sizeof n, 1, h->notes) != 1 ||
        fflush(h->notes) != 0)
      _exit(1);
  }
  /* _exit: the parent's stdio buffers and exit handlers are not ours. */
  _exit(fflush(h->notes) == 0 ? 0 : 1);
}

static void helper_start(const pages_job *job, FILE *out, helper *h)
{
  memset(h, 0, sizeof *h);
  if (job->jobs < 2 || job->npages < PAGES_SPLIT_MIN)
    return;
  h->from = job->npages / 2;
  h->text = scratch_file();
  h->notes = h->text ? scratch_file() : NULL;
  /* Whatever sits in our buffers would be written twice. */
  if (!h->notes || fflush(out) != 0 || fflush(stderr) != 0)
    return;
  pid_t pid = fork();
  if (pid == 0)
    helper_run(job, h);
  if (pid > 0)
    h->pid = pid;
}

static void helper_stop(helper *h)
{
  if (h->pid > 0) {
    kill(h->pid, SIGKILL);
    while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  h->pid = 0;
  if (h->text)
    fclose(h->text);
  if (h->notes)
    fclose(h->notes);
  free(h->note);
  memset(h, 0, sizeof *h);
}

/* Note k as the helper has written it so far: 1, or 0 when it is not
** there yet. The notes are read with pread, which leaves the stream's
** position alone. */
static int helper_peek(const helper *h, size_t k, page_note *n)
{
  off_t at = (off_t)(k * sizeof *n);
  return pread(fileno(h->notes), n, sizeof *n, at) == (ssize_t)sizeof *n;
}

/* Waits for the helper to end: 1 when it ended well and its notes are
** read; -1 when it failed (it is then given up). */
static int helper_ready(helper *h)
{
  if (h->note)
    return 1;
  int status;
  pid_t r;
  while ((r = waitpid(h->pid, &status, 0)) < 0 && errno == EINTR)
    ;
  h->pid = 0;
  long size;
  if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
      fseek(h->notes, 0, SEEK_END) != 0 || (size = ftell(h->notes)) <= 0 ||
      size % (long)sizeof(page_note) != 0)
    return -1;
  h->nnote = (size_t)size / sizeof(page_note);
  h->note = malloc((size_t)size);
  rewind(h->notes);
  if (!h->note || fread(h->note, sizeof *h->note, h->nnote, h->notes) !=
                      h->nnote) {
    free(h->note);
    h->note = NULL;
    return -1;
  }
  return 1;
}

/* Copies the helper's output after note k to out: 0; 1 when its scratch
** file cannot be read (nothing is written then); -1 when it stops being
** readable midway; -2 on a write error. */
static int helper_splice(const pages_job *job, helper *h, size_t k, FILE *out)
{
  long from = h->note[k].end, to = h->note[h->nnote - 1].end;
  if (fseek(h->text, from, SEEK_SET) != 0)
    return 1;
  char buf[65536];
  int copied = 0;
  while (from < to) {
    size_t want = (size_t)(to - from) < sizeof buf ? (size_t)(to - from)
                                                   : sizeof buf;
    size_t got = fread(buf, 1, want, h->text);
    if (got == 0)
      return copied ? -1 : 1;
    if (fwrite(buf, 1, got, out) != got)
      return -2;
    copied = 1;
    from += (long)got;
  }
  for (size_t j = k + 1; j < h->nnote; j++)
    if (h->note[j].capped)
      diag_warn(job->name, "page %d: over %u characters, skipped",
                h->note[j].index + 1, PAGE_TEXT_MAX_CHARS);
  return 0;
}

int pages_write(const pages_job *job, FILE *out)
{
  helper h;
  helper_start(job, out, &h);
  page_context ctx = PAGE_CONTEXT_INIT;
  PopplerPage *first = job->first;
  int rc = BUDGET_EXIT_OK;
  for (int i = 0; i < job->npages; i++) {
    PopplerPage *given = i == job->first_index ? first : NULL;
    if (given)
      first = NULL; /* write_page owns it now */
    int capped, e = write_page(job->doc, i, given, &ctx, out, &capped);
    if (capped)
      diag_warn(job->name, "page %d: over %u characters, skipped", i + 1,
                PAGE_TEXT_MAX_CHARS);
    if (e == -1) {
      diag_error(job->name, "out of memory on page %d", i + 1);
      rc = BUDGET_EXIT_RESOURCE;
      break;
    }
    if (e == -2) {
      diag_error(NULL, "cannot write the stream: %s", strerror(errno));
      rc = BUDGET_EXIT_OUTPUT;
      break;
    }
    if (h.pid == 0 || i < h.from)
      continue;
    /* Once the helper's context after this page is ours, the rest of its
    ** output is ours too: wait for it rather than do its pages again. A
    ** page it has not reached yet, or left in another context, is done
    ** here and the next one tried. */
    size_t k = (size_t)(i - h.from);
    page_note seen;
    if (!helper_peek(&h, k, &seen) || !page_context_equal(&seen.ctx, &ctx))
      continue;
    if (helper_ready(&h) < 0 || k >= h.nnote) {
      helper_stop(&h); /* it failed: carry on alone */
      continue;
    }
    if (getenv("BUDGET_DEBUG_PAGES"))
      fprintf(stderr, "pages: helper's output taken after page %d\n", i + 1);
    e = helper_splice(job, &h, k, out);
    if (e == 1) { /* nothing copied: carry on alone */
      helper_stop(&h);
      continue;
    }
    if (e == -2)
      diag_error(NULL, "cannot write the stream: %s", strerror(errno));
    else if (e == -1)
      diag_error(job->name, "cannot read back a scratch file");
    rc = e == 0 ? BUDGET_EXIT_OK
                : e == -2 ? BUDGET_EXIT_OUTPUT : BUDGET_EXIT_RESOURCE;
    break;
  }
  if (first)
    g_object_unref(first);
  helper_stop(&h);
  return rc;
}
