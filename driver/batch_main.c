/*
** budget-batch: many budget documents at once.
**
**   budget-batch -o OUTROOT [-j N] [--bom] [--fill-down] [--excel]
**                [--page-column] [--rules DIR] [--config FILE] INPUT...
**
** Lists the documents (batch_inputs.h), runs budget2csv (found next to
** this program) on each into OUTROOT/<name>/, N at a time (batch_jobs.h),
** and writes OUTROOT/failures.csv and OUTROOT/long.csv (batch_long.h),
** each whole or not at all (batch_atomic.h). A failed document is listed
** and skipped; the batch goes on. This file holds the option parsing, the
** progress lines and the mapping to exit statuses.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "batch_atomic.h"
#include "batch_inputs.h"
#include "batch_jobs.h"
#include "batch_long.h"
#include "cli.h"
#include "csv_writer.h"
#include "diag.h"
#include "exit_codes.h"
#include "outdir.h"
#include "self_path.h"
#include "strbuf.h"

enum {
  OPT_OUTPUT, OPT_JOBS, OPT_BOM, OPT_FILL_DOWN, OPT_EXCEL, OPT_PAGE_COLUMN,
  OPT_RULES, OPT_CONFIG, OPT_HELP, OPT_VERSION
};

static const cli_option options[] = {
    [OPT_OUTPUT] = {"output", 'o', "OUTROOT",
                    "one folder per document, failures.csv and long.csv "
                    "in OUTROOT"},
    [OPT_JOBS] = {"jobs", 'j', "N",
                  "documents converted at once (default: online CPUs)"},
    [OPT_BOM] = {"bom", 0, NULL, "start every CSV with a UTF-8 BOM (Excel)"},
    [OPT_FILL_DOWN] = {"fill-down", 0, NULL,
                       "repeat a label merged down over rows in each row "
                       "(long.csv takes it as the row label)"},
    [OPT_EXCEL] = {"excel", 0, NULL,
                   "keep codes such as 03 text in Excel (=\"03\"), in "
                   "long.csv too; implies --bom"},
    [OPT_PAGE_COLUMN] = {"page-column", 0, NULL,
                         "add a last column 'page' to every table CSV and "
                         "to long.csv"},
    [OPT_RULES] = {"rules", 0, "DIR", "rules folder, passed to budget2csv"},
    [OPT_CONFIG] = {"config", 0, "FILE", "pipeline.conf, passed to budget2csv"},
    [OPT_HELP] = {"help", 'h', NULL, "show this help and exit"},
    [OPT_VERSION] = {"version", 0, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char usage[] =
    "budget-batch -o OUTROOT [-j N] [--bom] [--fill-down] [--excel]\n"
    "       [--page-column] [--rules DIR] [--config FILE] INPUT...";
static const char description[] =
    "Runs budget2csv on every document: each INPUT is a PDF or text file,\n"
    "or a folder whose *.pdf and *.txt files are taken (sorted, not\n"
    "recursive). Writes OUTROOT/<name>/ per document, OUTROOT/failures.csv\n"
    "and OUTROOT/long.csv (one record per amount: document, department,\n"
    "year, table_id, row, code, row_label, column, value, unit, and page\n"
    "with --page-column). --bom, --fill-down, --excel and --page-column\n"
    "are passed to budget2csv. A failed document is listed and skipped.\n"
    "Exit 0: all succeeded; 13: some failed (see README).";

#define MAX_JOBS 256

typedef struct outcome {
  int done;
  int status;   /* exit status as budget2csv gave it (12 if killed) */
  int signal;   /* killed by this signal, or 0 */
  int tables;   /* when ok: records in tables.csv */
  char *error;  /* when failed: budget2csv's error line */
} outcome;

typedef struct batch {
  const char *outroot;
  char *staging;        /* OUTROOT/.batch-XXXXXX: the jobs' stderr */
  batch_list docs;
  outcome *out;
  size_t finished;
  int progress;         /* stderr is a terminal */
} batch;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
/* A malloc'd string; NULL on OOM. */
static char *fmt(const char *f, ...)
{
  va_list ap;
  va_start(ap, f);
  char *s = NULL;
  int n = vasprintf(&s, f, ap);
  va_end(ap);
  return n < 0 ? NULL : s;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
  char buf[PATH_MAX];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
    errno = ENAMETOOLONG;
    return -1;
  }
  for (char *p = buf + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
      *p = '/';
    }
  if (mkdir(buf, 0777) != 0 && errno != EEXIST)
    return -1;
  struct stat st;
  if (stat(buf, &st) != 0)
    return -1;
  if (!S_ISDIR(st.st_mode)) {
    errno = ENOTDIR;
    return -1;
  }
  return 0;
}

/* The line budget2csv's failure left: its last line that is not a
** warning (a stage may warn before it fails). malloc'd, never NULL unless
** out of memory. */
static char *error_line(const char *path)
{
  FILE *f = fopen(path, "rb");
  char line[2048], best[2048] = "", any[2048] = "";
  if (f) {
    while (fgets(line, sizeof line, f)) {
      line[strcspn(line, "\r\n")] = '\0';
      if (!line[0])
        continue;
      snprintf(any, sizeof any, "%s", line);
      if (!strstr(line, ": warning: "))
        snprintf(best, sizeof best, "%s", line);
    }
    fclose(f);
  }
  return strdup(best[0] ? best : any);
}

static int count_tables(const char *outroot, const char *name)
{
  char *p = fmt("%s/%s/tables.csv", outroot, name);
  FILE *f = p ? fopen(p, "rb") : NULL;
  free(p);
  if (!f)
    return 0;
  int lines = 0, c;
  while ((c = fgetc(f)) != EOF)
    lines += c == '\n';
  fclose(f);
  return lines > 0 ? lines - 1 : 0;
}

static void on_done(void *ctx, size_t i, int status)
{
  batch *b = ctx;
  outcome *o = &b->out[i];
  o->done = 1;
  if (WIFEXITED(status))
    o->status = WEXITSTATUS(status);
  else {
    o->status = BUDGET_EXIT_STAGE;
    o->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  b->finished++;
  if (o->status == BUDGET_EXIT_OK)
    o->tables = count_tables(b->outroot, b->docs.docs[i].name);
  else {
    char *ep = fmt("%s/%zu.err", b->staging, i);
    o->error = ep ? error_line(ep) : NULL;
    free(ep);
    if (o->signal && o->error && !o->error[0]) {
      free(o->error);
      o->error = fmt("budget2csv killed by signal %d", o->signal);
    }
  }
  if (b->progress) {
    if (o->status == BUDGET_EXIT_OK)
      fprintf(stderr, "[%zu/%zu] %s: ok, %d table%s\n", b->finished,
              b->docs.n, b->docs.docs[i].name, o->tables,
              o->tables == 1 ? "" : "s");
    else
      fprintf(stderr, "[%zu/%zu] %s: failed, exit %d (%s)\n", b->finished,
              b->docs.n, b->docs.docs[i].name, o->status,
              budget_exit_name((budget_exit)o->status));
  }
}

/* The options given to budget2csv, which long.csv must read back. */
typedef struct pass_on {
  int bom, fill_down, excel, page_column;
  const char *rules, *config;
} pass_on;

/* Ends a file written through a, replacing OUTROOT/name only when every
** write succeeded (bad == 0); an exit status. */
static int finish_file(atomic_file *a, int bad, const char *outroot,
                       const char *name)
{
  char err[PATH_MAX + 256];
  if (bad) {
    diag_error(NULL, "%s/%s: %s", outroot, name, strerror(errno));
    atomic_abort(a);
    return BUDGET_EXIT_OUTPUT;
  }
  if (atomic_commit(a, err, sizeof err) != 0) {
    diag_error(NULL, "%s", err);
    return BUDGET_EXIT_OUTPUT;
  }
  return BUDGET_EXIT_OK;
}

/* OUTROOT/name opened to be written whole or not at all; NULL after one
** stderr line. */
static atomic_file *open_in_outroot(const batch *b, const char *name)
{
  char err[PATH_MAX + 256];
  char *path = fmt("%s/%s", b->outroot, name);
  atomic_file *a = path ? atomic_open(path, err, sizeof err) : NULL;
  int named = path != NULL; /* the pointer is not read once freed */
  free(path);
  if (!a)
    diag_error(NULL, "%s", named ? err : "out of memory");
  return a;
}

static int write_failures(batch *b, int bom, size_t *nfailed)
{
  atomic_file *a = open_in_outroot(b, "failures.csv");
  if (!a)
    return BUDGET_EXIT_OUTPUT;
  FILE *f = atomic_stream(a);
  static const char *const head[] = {"document", "input", "status",
                                     "status_name", "error"};
  int bad = (bom && fputs(CSVOUT_BOM, f) == EOF) ||
            csvout_write_record(f, head, 5) != 0;
  *nfailed = 0;
  for (size_t i = 0; i < b->docs.n; i++) {
    outcome *o = &b->out[i];
    if (o->status == BUDGET_EXIT_OK)
      continue;
    (*nfailed)++;
    char st[16];
    snprintf(st, sizeof st, "%d", o->status);
    const char *rec[] = {b->docs.docs[i].name, b->docs.docs[i].path, st,
                         budget_exit_name((budget_exit)o->status),
                         o->error ? o->error : ""};
    bad |= csvout_write_record(f, rec, 5) != 0;
    diag_error(b->docs.docs[i].path, "failed, exit %d (%s): %s", o->status,
               budget_exit_name((budget_exit)o->status),
               o->error && o->error[0] ? o->error : "no message");
  }
  return finish_file(a, bad, b->outroot, "failures.csv");
}

/* One document's records, gathered apart so a folder that cannot be read
** leaves nothing half in long.csv: that document is then a failure. */
static int add_to_long(batch *b, size_t i, const long_opts *lo, FILE *out,
                       size_t *total)
{
  char *buf = NULL;
  size_t len = 0, n = 0;
  FILE *mem = open_memstream(&buf, &len);
  char *folder = fmt("%s/%s", b->outroot, b->docs.docs[i].name);
  char err[PATH_MAX + 256];
  int rc = BUDGET_EXIT_RESOURCE;
  snprintf(err, sizeof err, "out of memory");
  if (mem && folder)
    rc = long_add_document(mem, b->docs.docs[i].name, folder, lo, &n, err,
                           sizeof err);
  if (mem && fclose(mem) != 0 && rc == BUDGET_EXIT_OK)
    rc = BUDGET_EXIT_RESOURCE;
  free(folder);
  if (rc == BUDGET_EXIT_OK) {
    if (len && fwrite(buf, 1, len, out) != len)
      rc = -1; /* long.csv itself: the caller says so */
    *total += n;
  } else {
    outcome *o = &b->out[i];
    o->status = rc;
    free(o->error);
    o->error = strdup(err);
  }
  free(buf);
  return rc;
}

static int write_long(batch *b, const long_opts *lo, size_t *values)
{
  atomic_file *a = open_in_outroot(b, "long.csv");
  if (!a)
    return BUDGET_EXIT_OUTPUT;
  FILE *f = atomic_stream(a);
  int bad = long_write_header(f, lo) != 0;
  *values = 0;
  for (size_t i = 0; i < b->docs.n && !bad; i++)
    if (b->out[i].status == BUDGET_EXIT_OK)
      bad = add_to_long(b, i, lo, f, values) < 0;
  return finish_file(a, bad, b->outroot, "long.csv");
}

static int parse_jobs(const char *v, int *jobs)
{
  if (cli_count(v, MAX_JOBS, jobs) != 0) {
    diag_error(NULL, "-j wants a number from 1 to %d, not '%s'", MAX_JOBS, v);
    return -1;
  }
  return 0;
}

/* budget2csv DOC -o OUTROOT/NAME [--bom] [--fill-down] [--excel]
** [--page-column] [--rules DIR] [--config FILE] */
static char **job_argv(const char *prog, const batch_doc *d,
                       const char *outroot, const pass_on *p)
{
  char **v = calloc(16, sizeof *v);
  if (!v)
    return NULL;
  size_t n = 0;
  v[n++] = strdup(prog);
  v[n++] = strdup(d->path);
  v[n++] = strdup("-o");
  v[n++] = fmt("%s/%s", outroot, d->name);
  if (p->bom)
    v[n++] = strdup("--bom");
  if (p->fill_down)
    v[n++] = strdup("--fill-down");
  if (p->excel)
    v[n++] = strdup("--excel");
  if (p->page_column)
    v[n++] = strdup("--page-column");
  if (p->rules) {
    v[n++] = strdup("--rules");
    v[n++] = strdup(p->rules);
  }
  if (p->config) {
    v[n++] = strdup("--config");
    v[n++] = strdup(p->config);
  }
  for (size_t i = 0; i < n; i++)
    if (!v[i]) {
      for (size_t k = 0; k < n; k++)
        free(v[k]);
      free(v);
      return NULL;
    }
  return v;
}

static void argv_free(char **v)
{
  for (size_t i = 0; v && v[i]; i++)
    free(v[i]);
  free(v);
}

int main(int argc, char **argv)
{
  diag_set_program("budget-batch");
  const char *outroot = NULL;
  pass_on pass = {0};
  int jobs = 0;
  char **inputs = calloc((size_t)argc, sizeof *inputs);
  size_t ninputs = 0;
  if (!inputs) {
    diag_error(NULL, "out of memory");
    return BUDGET_EXIT_RESOURCE;
  }
  cli_state cs = {1, 0};
  const char *v;
  int o;
  while ((o = cli_next(&cs, argc, argv, options, NOPTIONS, &v)) != CLI_END) {
    switch (o) {
    case CLI_ERROR:
      free(inputs);
      return BUDGET_EXIT_USAGE;
    case CLI_POSITIONAL: inputs[ninputs++] = (char *)v; break;
    case OPT_OUTPUT: outroot = v; break;
    case OPT_JOBS:
      if (parse_jobs(v, &jobs) != 0) {
        free(inputs);
        return BUDGET_EXIT_USAGE;
      }
      break;
    case OPT_BOM: pass.bom = 1; break;
    case OPT_FILL_DOWN: pass.fill_down = 1; break;
    case OPT_EXCEL: pass.excel = 1; break;
    case OPT_PAGE_COLUMN: pass.page_column = 1; break;
    case OPT_RULES: pass.rules = v; break;
    case OPT_CONFIG: pass.config = v; break;
    case OPT_HELP:
      cli_help(stdout, usage, description, options, NOPTIONS);
      free(inputs);
      return BUDGET_EXIT_OK;
    case OPT_VERSION:
      printf("budget-batch %s\n", BUDGET_VERSION);
      free(inputs);
      return BUDGET_EXIT_OK;
    }
  }
  if (!outroot || !*outroot || !ninputs) {
    diag_error(NULL, "give -o OUTROOT and at least one INPUT (see --help)");
    free(inputs);
    return BUDGET_EXIT_USAGE;
  }
  if (!jobs)
    jobs = jobs_default_parallel();
  /* Documents side by side already use the cores; one document split over
  ** two processes as well would only add the split's overhead. */
  if (jobs >= 2)
    setenv("BUDGET_EXTRACT_JOBS", "1", 0);

  batch b = {0};
  b.outroot = outroot;
  b.progress = isatty(STDERR_FILENO);
  char err[PATH_MAX + 256];
  int rc = batch_inputs_collect(inputs, ninputs, &b.docs, err, sizeof err);
  free(inputs);
  if (rc != BUDGET_EXIT_OK) {
    diag_error(NULL, "%s", err);
    return rc;
  }
  if (!b.docs.n) {
    diag_error(NULL, "no .pdf or .txt document in the inputs");
    return BUDGET_EXIT_NO_INPUT;
  }
  char *dir = self_dir();
  char *prog = dir ? fmt("%s/budget2csv", dir) : NULL;
  free(dir);
  if (!prog || access(prog, X_OK) != 0) {
    diag_error(prog, "cannot find budget2csv next to budget-batch");
    free(prog);
    batch_inputs_free(&b.docs);
    return BUDGET_EXIT_STAGE;
  }
  if (make_dirs(outroot) != 0) {
    diag_error(outroot, "cannot create the output folder: %s",
               strerror(errno));
    free(prog);
    batch_inputs_free(&b.docs);
    return BUDGET_EXIT_OUTPUT;
  }
  b.staging = fmt("%s/.batch-XXXXXX", outroot);
  if (!b.staging || !mkdtemp(b.staging)) {
    diag_error(outroot, "cannot create a staging folder: %s",
               strerror(errno));
    free(b.staging);
    free(prog);
    batch_inputs_free(&b.docs);
    return BUDGET_EXIT_OUTPUT;
  }
  b.out = calloc(b.docs.n, sizeof *b.out);
  job *js = calloc(b.docs.n, sizeof *js);
  char **errs = calloc(b.docs.n, sizeof *errs);
  rc = b.out && js && errs ? BUDGET_EXIT_OK : BUDGET_EXIT_RESOURCE;
  for (size_t i = 0; i < b.docs.n && rc == BUDGET_EXIT_OK; i++) {
    js[i].argv = job_argv(prog, &b.docs.docs[i], outroot, &pass);
    errs[i] = fmt("%s/%zu.err", b.staging, i);
    js[i].err_path = errs[i];
    if (!js[i].argv || !errs[i])
      rc = BUDGET_EXIT_RESOURCE;
  }
  if (rc != BUDGET_EXIT_OK)
    diag_error(NULL, "out of memory");
  int run = 0;
  if (rc == BUDGET_EXIT_OK) {
    run = jobs_run(js, b.docs.n, jobs, on_done, &b, err, sizeof err);
    if (run < 0) {
      diag_error(NULL, "%s", err);
      rc = BUDGET_EXIT_STAGE;
    } else if (run > 0) {
      diag_error(NULL, "interrupted by signal %d after %zu of %zu documents: "
                 "long.csv and failures.csv not written", run, b.finished,
                 b.docs.n);
      rc = BUDGET_EXIT_STAGE;
    }
  }
  size_t values = 0, nfailed = 0;
  /* --excel implies the BOM, for budget2csv's CSVs and for ours */
  long_opts lo = {pass.bom || pass.excel, pass.page_column, pass.excel};
  if (rc == BUDGET_EXIT_OK)
    rc = write_long(&b, &lo, &values);
  /* after long.csv: a folder it could not read is a failure too */
  if (rc == BUDGET_EXIT_OK)
    rc = write_failures(&b, lo.bom, &nfailed);
  if (rc == BUDGET_EXIT_OK && nfailed)
    rc = BUDGET_EXIT_PARTIAL;
  if (b.progress && (rc == BUDGET_EXIT_OK || rc == BUDGET_EXIT_PARTIAL))
    fprintf(stderr, "%zu document%s, %zu failed; long.csv: %zu values\n",
            b.docs.n, b.docs.n == 1 ? "" : "s", nfailed, values);
  outdir_remove_tree(b.staging);
  for (size_t i = 0; i < b.docs.n; i++) {
    if (js)
      argv_free(js[i].argv);
    if (errs)
      free(errs[i]);
    if (b.out)
      free(b.out[i].error);
  }
  free(js);
  free(errs);
  free(b.out);
  free(b.staging);
  free(prog);
  batch_inputs_free(&b.docs);
  return rc;
}
