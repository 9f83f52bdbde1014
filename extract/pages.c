#include "pages.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "exit_codes.h"
#include "page_emit.h"
#include "page_text.h"
#include "stream.h"

/* At most this many runs: each split costs the pages done twice until the
** contexts agree, and a few halvings already even the two out. */
#define MAX_SEGMENTS 8
/* A run with fewer pages left than this is not split: the pages done twice
** at the cut would eat what the other process saves. */
#define SPLIT_MIN_LEFT 2
/* No shared note table above this size (pages x runs x note): one process. */
#define NOTES_MAX_BYTES ((size_t)1 << 30)

enum { PARENT, HELPER };

/* What a run notes after each of its pages. */
typedef struct page_note {
  int capped;       /* skipped as over PAGE_TEXT_MAX_CHARS */
  long end;         /* its output file's length after the page */
  page_context ctx; /* the context the page leaves */
} page_note;

/* A run of pages one process does from a context it cannot know (a fresh
** one, or the one the run it was cut from had reached). Its output counts
** from the page after which the run before it left the same context (or
** from its first page, for run 0) to its `end`, where the next run's
** output takes over; run 0 goes to the real output, the others to their
** process's scratch file. */
typedef struct segment {
  int from;     /* first page */
  page_context start_ctx; /* the context it starts from: a guess */
  long start_off;         /* its process's file length when it started */
  int owner;    /* PARENT or HELPER */
  int done;     /* pages noted: from .. from + done - 1 */
  int end;      /* -1 while it runs; then the last page that counts */
  int next;     /* the run that starts after this one (-1: none) */
  int taken_by; /* after end: whose output follows (-1: none, it ran to the
                ** last page) */
  int failed;   /* it stopped on an error, or as not needed: none of its
                ** output counts */
} segment;

/* In memory both processes share (mapped before the fork). */
typedef struct shared {
  atomic_flag lock;
  int nseg;
  segment seg[MAX_SEGMENTS];
} shared;

typedef struct split {
  const pages_job *job;
  shared *sh;
  page_note *notes;   /* MAX_SEGMENTS x npages, shared too */
  size_t map_size;
  FILE *scratch[2];   /* each process's output for its later runs */
  pid_t helper;       /* 0: none, or reaped */
  int helper_ok;      /* once reaped: it ended well */
  PopplerPage *first; /* the caller's loaded page, until used */
} split;

static int helper_reap(split *sp, int nohang);

/* Takes the lock of the shared table. The parent also looks, now and then
** while it waits, whether the helper is still there: one killed while it
** held the lock (by the OOM killer, say) never gives it back. */
static void lock(split *sp)
{
  shared *sh = sp->sh;
  for (unsigned spins = 1;
       atomic_flag_test_and_set_explicit(&sh->lock, memory_order_acquire);
       spins++) {
    if (spins % 1024 == 0 && sp->helper > 0 && helper_reap(sp, 1))
      atomic_flag_clear_explicit(&sh->lock, memory_order_release);
    sched_yield();
  }
}

static void unlock(shared *sh)
{
  atomic_flag_clear_explicit(&sh->lock, memory_order_release);
}

static page_note *note_of(const split *sp, int k, int page)
{
  return &sp->notes[(size_t)k * (size_t)sp->job->npages + (size_t)page];
}

/* Writes page i (after a form feed unless it is the first): 0, or -1 out
** of memory, -2 write error, as page_emit(). */
static int write_page(split *sp, int i, page_context *ctx, FILE *out,
                      int *capped)
{
  *capped = 0;
  if (i > 0 && stream_write_page(out) != 0)
    return -2;
  PopplerPage *page = NULL;
  if (sp->first && i == sp->job->first_index) {
    page = sp->first; /* ours now */
    sp->first = NULL;
  } else {
    page = poppler_document_get_page(sp->job->doc, i);
  }
  if (!page)
    return 0;
  size_t nchars;
  int e = page_emit(page, i + 1, ctx, out, &nchars, capped);
  g_object_unref(page);
  if (e == -1 && *capped)
    e = 0;
  return e;
}

static void warn_capped(const pages_job *job, int i)
{
  diag_warn(job->name, "page %d: over %u characters, skipped", i + 1,
            PAGE_TEXT_MAX_CHARS);
}

/* The context run k leaves after page i, when it is known: the one it
** starts from for the page before its first. */
static const page_context *ctx_after(const split *sp, int k, int i)
{
  const segment *s = &sp->sh->seg[k];
  if (i == s->from - 1)
    return &s->start_ctx;
  return s->done > i - s->from ? &note_of(sp, k, i)->ctx : NULL;
}

/* Its output file's length after page i (as ctx_after()). */
static long end_after(const split *sp, int k, int i)
{
  const segment *s = &sp->sh->seg[k];
  return i == s->from - 1 ? s->start_off : note_of(sp, k, i)->end;
}

/* The run whose context after page i that of run k is to be compared
** with: the next run if it starts at or before page i + 1, or, when that
** one already ended before i, the run that took over from it. -1 when no
** run covers i yet. Called locked. */
static int covering_run(const split *sp, int k, int i)
{
  const shared *sh = sp->sh;
  int t = sh->seg[k].next;
  while (t >= 0 && sh->seg[t].from <= i + 1) {
    const segment *s = &sh->seg[t];
    if (s->failed)
      return -1;
    if (s->end < 0 || s->end >= i)
      return ctx_after(sp, t, i) ? t : -1;
    t = s->taken_by;
  }
  return -1;
}

/* 1 when the runs handed over from run 0 on reach the last page: every
** page of the output is done, whatever else still runs is not needed.
** Called locked. */
static int output_complete(const split *sp)
{
  const shared *sh = sp->sh;
  for (int k = 0, hops = 0; k >= 0 && hops <= MAX_SEGMENTS; hops++) {
    const segment *s = &sh->seg[k];
    if (s->failed || s->end < 0)
      return 0;
    if (s->end == sp->job->npages - 1)
      return 1;
    k = s->taken_by;
  }
  return 0;
}

/* Does run k from its first page until a later run leaves, after the page
** it has just done, the same context: from there that run's output is
** what this one would write. A run other than run 0 also stops when the
** output is complete without it. 0, or -1 out of memory, -2 write
** error. */
static int run_segment(split *sp, int k, FILE *out)
{
  const pages_job *job = sp->job;
  shared *sh = sp->sh;
  lock(sp);
  page_context ctx = sh->seg[k].start_ctx;
  long start = k > 0 ? ftell(out) : 0;
  sh->seg[k].start_off = start;
  if (start < 0)
    sh->seg[k].failed = 1;
  unlock(sh);
  if (start < 0)
    return -2;
  for (int i = sh->seg[k].from; i < job->npages; i++) {
    int capped, e = write_page(sp, i, &ctx, out, &capped);
    /* Run 0's output is never copied: its offsets are not needed (and a
    ** pipe has none). */
    long end = e == 0 && k > 0 ? ftell(out) : 0;
    if (end < 0)
      e = -2;
    if (e != 0) {
      lock(sp);
      sh->seg[k].failed = 1;
      unlock(sh);
      return e;
    }
    /* Run 0 is the real output: its pages always count. */
    if (k == 0 && capped)
      warn_capped(job, i);
    page_note *n = note_of(sp, k, i);
    n->capped = capped;
    n->end = end;
    n->ctx = ctx;
    lock(sp);
    segment *s = &sh->seg[k];
    s->done = i - s->from + 1;
    int t = covering_run(sp, k, i);
    if (t >= 0 && page_context_equal(ctx_after(sp, t, i), &ctx)) {
      s->end = i;
      s->taken_by = t;
      unlock(sh);
      return 0;
    }
    /* The runs before this one got to the end without it (they went on
    ** where their contexts never agreed with its own): it is not needed. */
    if (k > 0 && output_complete(sp)) {
      s->failed = 1;
      unlock(sh);
      return 0;
    }
    unlock(sh);
  }
  lock(sp);
  sh->seg[k].end = job->npages - 1;
  unlock(sh);
  return 0;
}

/* Reaps the helper, waiting for it unless `nohang`: 1 once it is reaped
** (sp->helper_ok then says whether it ended well), 0 while it runs. */
static int helper_reap(split *sp, int nohang)
{
  if (sp->helper <= 0)
    return 1;
  int status;
  pid_t r;
  while ((r = waitpid(sp->helper, &status, nohang ? WNOHANG : 0)) < 0 &&
         errno == EINTR)
    ;
  if (r == 0)
    return 0;
  sp->helper = 0;
  sp->helper_ok = r > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return 1;
}

/* When this process has no run left, it takes the second half of what the
** other process still has ahead in its run: a new run from there, which
** the other's run hands over to once their contexts agree. Returns the new
** run, or -1 when nothing is worth taking. */
static int take_half(split *sp, int me)
{
  shared *sh = sp->sh;
  /* A helper that has ended (or died) moves no run on: nothing to halve. */
  if (me == PARENT && helper_reap(sp, 1))
    return -1;
  lock(sp);
  if (output_complete(sp)) {
    unlock(sh);
    return -1;
  }
  int best = -1, best_left = 0;
  for (int r = 0; r < sh->nseg; r++) {
    const segment *s = &sh->seg[r];
    if (s->owner == me || s->end >= 0 || s->failed)
      continue;
    int limit = s->next >= 0 ? sh->seg[s->next].from : sp->job->npages;
    int left = limit - (s->from + s->done);
    if (left > best_left) {
      best = r;
      best_left = left;
    }
  }
  int x = -1;
  if (best >= 0 && best_left >= SPLIT_MIN_LEFT && sh->nseg < MAX_SEGMENTS) {
    segment *s = &sh->seg[best];
    /* The context the other run has reached: across a table that goes on
    ** past the cut it is the right one, and the runs agree at once. */
    const page_context *guess =
        s->done > 0 ? &note_of(sp, best, s->from + s->done - 1)->ctx
                    : &s->start_ctx;
    x = sh->nseg++;
    sh->seg[x] = (segment){.from = s->from + s->done + (best_left + 1) / 2,
                           .owner = me,
                           .end = -1,
                           .next = s->next,
                           .taken_by = -1};
    sh->seg[x].start_ctx = *guess;
    s->next = x;
  }
  unlock(sh);
  if (x >= 0 && getenv("BUDGET_DEBUG_PAGES"))
    fprintf(stderr, "pages: %s takes pages %d on (%d were left in a run)\n",
            me == HELPER ? "helper" : "this process", sh->seg[x].from + 1,
            best_left);
  return x;
}

/* Runs this process's share after its first run: halves taken from the
** other process until none is worth it. */
static int run_halves(split *sp, int me)
{
  int x, e = 0;
  while (e == 0 && (x = take_half(sp, me)) >= 0)
    e = run_segment(sp, x, sp->scratch[me]);
  /* Even after a failed run: the runs before it are read back by offset. */
  if (fflush(sp->scratch[me]) != 0 && e == 0)
    e = -2;
  return e;
}

static void helper_main(split *sp)
{
  /* The helper dies with its parent, whatever kills the parent. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1)
    _exit(1);
  int e = run_segment(sp, 1, sp->scratch[HELPER]);
  if (e == 0)
    e = run_halves(sp, HELPER);
  /* _exit: the parent's stdio buffers and exit handlers are not ours. */
  _exit(e == 0 ? 0 : 1);
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

/* The first cut: the middle page, or BUDGET_DEBUG_SPLIT's page (1-based;
** how the tests make the halves uneven). */
static int first_cut(int npages)
{
  const char *env = getenv("BUDGET_DEBUG_SPLIT");
  int at = env && *env ? atoi(env) - 1 : npages / 2;
  return at >= 1 && at < npages ? at : npages / 2;
}

static void split_end(split *sp)
{
  if (sp->helper > 0) {
    kill(sp->helper, SIGKILL);
    while (waitpid(sp->helper, NULL, 0) < 0 && errno == EINTR)
      ;
  }
  for (int w = 0; w < 2; w++)
    if (sp->scratch[w])
      fclose(sp->scratch[w]);
  if (sp->sh)
    munmap(sp->sh, sp->map_size);
  if (sp->first)
    g_object_unref(sp->first);
  memset(sp, 0, sizeof *sp);
}

/* Maps the shared table, makes the scratch files and starts the helper on
** run 1. 0, or -1 when the document is done on one process (the split
** then holds nothing but the caller's page). */
static int split_start(split *sp, const pages_job *job, FILE *out)
{
  memset(sp, 0, sizeof *sp);
  sp->job = job;
  sp->first = job->first;
  if (job->jobs < 2 || job->npages < PAGES_SPLIT_MIN)
    return -1;
  size_t notes = (size_t)MAX_SEGMENTS * (size_t)job->npages;
  if (notes > NOTES_MAX_BYTES / sizeof(page_note))
    return -1;
  /* The notes start on a page_note boundary after the table. */
  size_t head = (sizeof(shared) + sizeof(page_note) - 1) / sizeof(page_note) *
                sizeof(page_note);
  sp->map_size = head + notes * sizeof(page_note);
  void *map = mmap(NULL, sp->map_size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED)
    return -1;
  sp->sh = map;
  sp->notes = (page_note *)((char *)map + head);
  atomic_flag_clear(&sp->sh->lock);
  int cut = first_cut(job->npages);
  sp->sh->nseg = 2;
  sp->sh->seg[0] = (segment){.from = 0, .owner = PARENT, .end = -1,
                             .next = 1, .taken_by = -1};
  sp->sh->seg[1] = (segment){.from = cut, .owner = HELPER, .end = -1,
                             .next = -1, .taken_by = -1};
  sp->scratch[PARENT] = scratch_file();
  sp->scratch[HELPER] = sp->scratch[PARENT] ? scratch_file() : NULL;
  /* Whatever sits in our buffers would be written twice. */
  if (!sp->scratch[HELPER] || fflush(out) != 0 || fflush(stderr) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0)
    helper_main(sp);
  if (pid < 0)
    return -1;
  sp->helper = pid;
  return 0;
}

/* Copies bytes [from, to) of a scratch file to out: 0; 1 when nothing
** could be read (nothing written); -1 when it stops being readable midway;
** -2 on a write error. */
static int copy_range(FILE *f, long from, long to, FILE *out)
{
  char buf[65536];
  int copied = 0;
  while (from < to) {
    size_t want = (size_t)(to - from) < sizeof buf ? (size_t)(to - from)
                                                   : sizeof buf;
    ssize_t got = pread(fileno(f), buf, want, (off_t)from);
    if (got <= 0)
      return copied ? -1 : 1;
    if (fwrite(buf, 1, (size_t)got, out) != (size_t)got)
      return -2;
    copied = 1;
    from += (long)got;
  }
  return 0;
}

static int status_of(int e)
{
  if (e == -1)
    return BUDGET_EXIT_RESOURCE;
  if (e == -2) {
    diag_error(NULL, "cannot write the stream: %s", strerror(errno));
    return BUDGET_EXIT_OUTPUT;
  }
  return BUDGET_EXIT_OK;
}

/* Pages from..npages-1 on this process alone, after pages that left ctx. */
static int write_alone(split *sp, int from, page_context ctx, FILE *out)
{
  for (int i = from; i < sp->job->npages; i++) {
    int capped, e = write_page(sp, i, &ctx, out, &capped);
    if (capped)
      warn_capped(sp->job, i);
    if (e == -1) {
      diag_error(sp->job->name, "out of memory on page %d", i + 1);
      return BUDGET_EXIT_RESOURCE;
    }
    if (e != 0)
      return status_of(e);
  }
  return BUDGET_EXIT_OK;
}

/* After both processes are done: out already holds run 0's pages; the
** runs that took over follow, each from the page after the last one's end
** to its own. Where a run cannot be used (its process failed, its file
** cannot be read), the rest is done here. */
static int assemble(split *sp, int helper_ok, FILE *out)
{
  const shared *sh = sp->sh;
  int prev = 0, prev_end = sh->seg[0].end;
  for (int k = sh->seg[0].taken_by; k >= 0; k = sh->seg[k].taken_by) {
    const segment *s = &sh->seg[k];
    if (s->failed || s->end < 0 || (s->owner == HELPER && !helper_ok))
      break;
    int e = copy_range(sp->scratch[s->owner], end_after(sp, k, prev_end),
                       note_of(sp, k, s->end)->end, out);
    if (e == 1)
      break;
    if (e == -1) {
      diag_error(sp->job->name, "cannot read back a scratch file");
      return BUDGET_EXIT_RESOURCE;
    }
    if (e == -2)
      return status_of(e);
    if (s->end > prev_end && getenv("BUDGET_DEBUG_PAGES"))
      fprintf(stderr, "pages: %s output taken after page %d (to page %d)\n",
              s->owner == HELPER ? "helper's" : "this process's later",
              prev_end + 1, s->end + 1);
    for (int i = prev_end + 1; i <= s->end; i++)
      if (note_of(sp, k, i)->capped)
        warn_capped(sp->job, i);
    prev = k;
    prev_end = s->end;
  }
  if (getenv("BUDGET_DEBUG_PAGES")) {
    int done = 0;
    for (int k = 0; k < sh->nseg; k++)
      done += sh->seg[k].done;
    fprintf(stderr, "pages: %d runs did %d pages for %d\n", sh->nseg, done,
            sp->job->npages);
  }
  if (prev_end >= sp->job->npages - 1)
    return BUDGET_EXIT_OK;
  return write_alone(sp, prev_end + 1, note_of(sp, prev, prev_end)->ctx, out);
}

int pages_write(const pages_job *job, FILE *out)
{
  split sp;
  int rc;
  if (split_start(&sp, job, out) != 0) {
    if (sp.sh)
      munmap(sp.sh, sp.map_size);
    sp.sh = NULL;
    page_context ctx = PAGE_CONTEXT_INIT;
    rc = write_alone(&sp, 0, ctx, out);
    split_end(&sp);
    return rc;
  }
  int e = run_segment(&sp, 0, out);
  if (e != 0) {
    if (e == -1)
      diag_error(job->name, "out of memory on page %d",
                 sp.sh->seg[0].from + sp.sh->seg[0].done + 1);
    rc = e == -1 ? BUDGET_EXIT_RESOURCE : status_of(e);
    split_end(&sp);
    return rc;
  }
  /* A failed later run of ours only means its pages are done again. */
  run_halves(&sp, PARENT);
  helper_reap(&sp, 0);
  rc = assemble(&sp, sp.helper_ok, out);
  split_end(&sp);
  return rc;
}
