/*
** budget2csv: a budget document in, a folder of clean CSVs out.
**
** Checks the input before starting anything (missing file, a .pdf that is
** not one), picks the PDF or the text chain from pipeline.conf by sniffing
** "%PDF-", runs it (spawn.h) with budget-csv writing into a private
** staging folder, and only when every stage succeeded moves the CSVs into
** the output folder (or prints the one asked-for table). Exit status: the
** failing stage's own, BUDGET_EXIT_STAGE when it died by a signal.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "csv_options.h"
#include "diag.h"
#include "exit_codes.h"
#include "interrupt.h"
#include "outdir.h"
#include "self_path.h"
#include "spawn.h"
#include "strbuf.h"

enum {
  OPT_OUTPUT, OPT_TABLE, OPT_BOM, OPT_FILL_DOWN, OPT_EXCEL, OPT_PAGE_COLUMN,
  OPT_PASSWORD, OPT_RULES, OPT_CONFIG, OPT_HELP, OPT_VERSION
};

static const cli_option options[] = {
    [OPT_OUTPUT] = CSV_OPTION_OUTPUT,
    [OPT_TABLE] = CSV_OPTION_TABLE,
    [OPT_BOM] = CSV_OPTION_BOM,
    [OPT_FILL_DOWN] = CSV_OPTION_FILL_DOWN,
    [OPT_EXCEL] = CSV_OPTION_EXCEL,
    [OPT_PAGE_COLUMN] = CSV_OPTION_PAGE_COLUMN,
    [OPT_PASSWORD] = {"password", 0, "PW", "password of an encrypted PDF"},
    [OPT_RULES] = {"rules", 0, "DIR", "rules folder (default: pipeline.conf)"},
    [OPT_CONFIG] = {"config", 0, "FILE",
                    "pipeline.conf to use (default: $BUDGET_CONFIG, then "
                    "the installed one, then the source tree's)"},
    [OPT_HELP] = {"help", 'h', NULL, "show this help and exit"},
    [OPT_VERSION] = {"version", 0, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char usage[] =
    "budget2csv DOC (-o DIR | --table ID) [--bom] [--fill-down] [--excel]\n"
    "       [--page-column] [--password PW] [--rules DIR] [--config FILE]";
static const char description[] =
    "Turns a department-budget document into one clean CSV per standard\n"
    "table. DOC is a PDF, a text file (tab-separated rows from other tools)\n"
    "or - for stdin. Runs budget-extract, budget-normalize and budget-csv as\n"
    "pipeline.conf says; the output folder changes only if all succeed.";

/* Bytes read to decide PDF or text; the PDF spec allows junk before the
** header within the first 1024 bytes. */
#define SNIFF_BYTES 1024

typedef struct job {
  const char *doc;
  const char *outdir_path;
  const char *table_id;
  const char *password;
  const char *rules;
  const char *config_path;
  int bom, fill_down, excel, page_column;
} job;

static int ends_with_pdf(const char *s)
{
  size_t n = strlen(s);
  return n >= 4 && strcasecmp(s + n - 4, ".pdf") == 0;
}

static int looks_pdf(const char *buf, size_t n)
{
  for (size_t i = 0; i + 5 <= n; i++)
    if (memcmp(buf + i, "%PDF-", 5) == 0)
      return 1;
  return 0;
}

/* Reads up to SNIFF_BYTES from fd into buf; returns the count or -1. */
static ssize_t sniff(int fd, char *buf)
{
  size_t got = 0;
  while (got < SNIFF_BYTES) {
    ssize_t r = read(fd, buf + got, SNIFF_BYTES - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return -1;
    if (r == 0)
      break;
    got += (size_t)r;
  }
  return (ssize_t)got;
}

/* Next to budget2csv first (a build tree runs its own stages, not an
** installed older copy), then PATH. Returns malloc'd path or NULL. */
static char *find_program(const char *name, const char *dir)
{
  if (strchr(name, '/'))
    return strdup(name);
  strbuf b;
  strbuf_init(&b, PATH_MAX);
  if (dir && strbuf_printf(&b, "%s/%s", dir, name) == STRBUF_OK &&
      access(b.data, X_OK) == 0)
    return strbuf_take(&b);
  const char *path = getenv("PATH");
  while (path && *path) {
    const char *colon = strchr(path, ':');
    size_t len = colon ? (size_t)(colon - path) : strlen(path);
    strbuf_clear(&b);
    if (strbuf_printf(&b, "%.*s/%s", (int)len, len ? path : ".", name) ==
            STRBUF_OK &&
        access(b.data, X_OK) == 0)
      return strbuf_take(&b);
    path = colon ? colon + 1 : NULL;
  }
  strbuf_free(&b);
  return NULL;
}

/* --config, else $BUDGET_CONFIG, else the installed or source tree's copy
** (self_path.h). malloc'd; NULL when out of memory. */
static char *config_path(const job *j)
{
  if (j->config_path)
    return strdup(j->config_path);
  const char *env = getenv("BUDGET_CONFIG");
  if (env && *env)
    return strdup(env);
  char *data = budget_data_dir();
  strbuf b;
  strbuf_init(&b, PATH_MAX);
  char *path = data && strbuf_printf(&b, "%s/pipeline.conf", data) ==
                           STRBUF_OK
                   ? strbuf_take(&b)
                   : NULL;
  strbuf_free(&b);
  free(data);
  return path;
}

typedef struct argv_list {
  char *v[CONFIG_MAX_WORDS * 2 + 1];
  size_t n;
} argv_list;

static int push(argv_list *a, const char *s)
{
  if (a->n + 1 >= sizeof a->v / sizeof a->v[0])
    return -1;
  if (!(a->v[a->n] = strdup(s)))
    return -1;
  a->v[++a->n] = NULL;
  return 0;
}

static void argv_free(argv_list *a)
{
  for (size_t i = 0; i < a->n; i++)
    free(a->v[i]);
  a->n = 0;
}

/* Expands one stage template; the program is resolved. 0, or -1 with the
** exit status in *rc after printing why. */
static int expand(const config_stage *st, const job *j, const char *input,
                  const char *rules, const char *staged, const char *bindir,
                  argv_list *a, int *rc)
{
  char *prog = find_program(st->words[0], bindir);
  if (!prog) {
    diag_error(NULL, "cannot find stage program '%s' (next to budget2csv "
               "or on PATH)", st->words[0]);
    *rc = BUDGET_EXIT_STAGE;
    return -1;
  }
  int bad = push(a, prog);
  free(prog);
  for (size_t w = 1; w < st->nwords && !bad; w++) {
    const char *word = st->words[w];
    if (strcmp(word, "{input}") == 0)
      bad = push(a, input);
    else if (strcmp(word, "{password}") == 0) {
      if (j->password)
        bad = push(a, "--password") || push(a, j->password);
    } else if (strcmp(word, "{rules}") == 0) {
      if (rules)
        bad = push(a, "--rules") || push(a, rules);
    } else if (strcmp(word, "{output}") == 0) {
      bad = push(a, "-o") || push(a, staged);
      if (!bad && j->bom)
        bad = push(a, "--bom");
      if (!bad && j->fill_down)
        bad = push(a, "--fill-down");
      if (!bad && j->excel)
        bad = push(a, "--excel");
      if (!bad && j->page_column)
        bad = push(a, "--page-column");
      /* One table on stdout: no checks.csv to point the user to. */
      if (!bad && j->table_id)
        bad = push(a, "--no-checks");
    } else
      bad = push(a, word);
  }
  if (bad) {
    diag_error(NULL, "too many arguments for stage '%s'", st->words[0]);
    *rc = BUDGET_EXIT_RESOURCE;
    return -1;
  }
  return 0;
}

/* Names the failure when the stage left no line of its own. */
static void explain(const char *prog, int status)
{
  if (WIFSIGNALED(status))
    diag_error(NULL, "%s killed by signal %d (%s)", prog, WTERMSIG(status),
               strsignal(WTERMSIG(status)));
  else
    diag_error(NULL, "%s failed with exit status %d", prog,
               WEXITSTATUS(status));
}

static int status_to_exit(int status)
{
  if (WIFSIGNALED(status))
    return BUDGET_EXIT_STAGE;
  int code = WEXITSTATUS(status);
  return code >= BUDGET_EXIT_USAGE && code <= BUDGET_EXIT_STAGE
             ? code
             : BUDGET_EXIT_STAGE;
}

static int copy_to_stdout(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  char buf[65536];
  size_t r;
  int bad = 0;
  while (!bad && (r = fread(buf, 1, sizeof buf, f)) > 0)
    bad = fwrite(buf, 1, r, stdout) != r;
  fclose(f);
  return bad || fflush(stdout) != 0 ? -1 : 0;
}

/* Delivers the staged CSVs; returns an exit status. */
static int deliver(const job *j, const char *staged)
{
  char err[PATH_MAX + 256];
  if (j->outdir_path) {
    if (outdir_replace_from(staged, j->outdir_path, err, sizeof err) != 0) {
      diag_error(NULL, "%s", err);
      return BUDGET_EXIT_OUTPUT;
    }
    return BUDGET_EXIT_OK;
  }
  strbuf p;
  strbuf_init(&p, PATH_MAX);
  int rc = BUDGET_EXIT_OK;
  if (strbuf_printf(&p, "%s/%s.csv", staged, j->table_id) != STRBUF_OK) {
    rc = BUDGET_EXIT_RESOURCE;
  } else if (access(p.data, R_OK) != 0) {
    diag_error(j->doc, "no table %s in the document", j->table_id);
    rc = BUDGET_EXIT_NO_TABLES;
  } else if (copy_to_stdout(p.data) != 0) {
    /* A closed pipe (| head) is the reader's choice, not worth a line. */
    if (errno != EPIPE)
      diag_error("stdout", "%s", strerror(errno));
    rc = BUDGET_EXIT_OUTPUT;
  }
  strbuf_free(&p);
  return rc;
}

static int run(const job *j)
{
  /* Input checks come first: nothing starts for a file that is not there. */
  int in_fd = 0;
  char head[SNIFF_BYTES];
  int is_stdin = strcmp(j->doc, "-") == 0;
  const char *doc_name = is_stdin ? "<stdin>" : j->doc;
  if (!is_stdin) {
    struct stat st;
    if (stat(j->doc, &st) == 0 && S_ISDIR(st.st_mode)) {
      diag_error(j->doc, "is a folder, not a document");
      return BUDGET_EXIT_NO_INPUT;
    }
    in_fd = open(j->doc, O_RDONLY | O_CLOEXEC);
    if (in_fd < 0) {
      diag_error(j->doc, "%s", strerror(errno));
      return BUDGET_EXIT_NO_INPUT;
    }
  }
  ssize_t got = sniff(in_fd, head);
  if (got < 0) {
    diag_error(doc_name, "%s", strerror(errno));
    if (!is_stdin)
      close(in_fd);
    return BUDGET_EXIT_NO_INPUT;
  }
  if (!is_stdin)
    close(in_fd);
  int pdf = looks_pdf(head, (size_t)got);
  /* Someone who names a file .pdf expects a PDF: an HTML error page saved
  ** under that name is a failed download, not text to scan for tables. */
  if (!pdf && !is_stdin && ends_with_pdf(j->doc)) {
    diag_error(j->doc, got == 0 ? "not a PDF (empty file)"
                                : "not a PDF (no %%PDF- header)");
    return BUDGET_EXIT_NOT_PDF;
  }

  config cfg;
  char err[PATH_MAX + 256];
  char *conf = config_path(j);
  if (!conf) {
    diag_error(NULL, "out of memory");
    return BUDGET_EXIT_RESOURCE;
  }
  int loaded = config_load(conf, &cfg, err, sizeof err);
  free(conf);
  if (loaded != 0) {
    diag_error(NULL, "%s", err);
    return BUDGET_EXIT_BAD_RULES;
  }
  const config_chain *chain = pdf ? &cfg.pdf : &cfg.text;
  const char *rules = j->rules ? j->rules : cfg.rules_dir;

  /* budget-csv writes into a private folder; the user's folder is touched
  ** only after every stage succeeded. For --table the staging lives in a
  ** folder of our own in TMPDIR (mkdtemp: no name another user could
  ** guess and put a link at). */
  strbuf tmpbase;
  strbuf_init(&tmpbase, PATH_MAX);
  char *private_dir = NULL;
  if (!j->outdir_path) {
    const char *t = getenv("TMPDIR");
    const char *tdir = t && *t ? t : "/tmp";
    if (strbuf_printf(&tmpbase, "%s/budget2csv-XXXXXX", tdir) != STRBUF_OK ||
        !mkdtemp(tmpbase.data) || !(private_dir = strdup(tmpbase.data)) ||
        strbuf_append_str(&tmpbase, "/out") != STRBUF_OK) {
      diag_error(NULL, "%s: cannot make a staging folder there (TMPDIR): %s",
                 tdir, strerror(errno));
      if (private_dir)
        rmdir(private_dir);
      free(private_dir);
      strbuf_free(&tmpbase);
      config_free(&cfg);
      return BUDGET_EXIT_OUTPUT;
    }
  }
  outdir *stage_dir = outdir_begin(
      j->outdir_path ? j->outdir_path : strbuf_cstr(&tmpbase), err,
      sizeof err);
  strbuf_free(&tmpbase);
  if (!stage_dir) {
    diag_error(NULL, "%s", err);
    if (private_dir)
      outdir_remove_tree(private_dir);
    free(private_dir);
    config_free(&cfg);
    return BUDGET_EXIT_OUTPUT;
  }
  strbuf staged;
  strbuf_init(&staged, PATH_MAX);
  strbuf_printf(&staged, "%s/out", outdir_staging_path(stage_dir));

  int rc = BUDGET_EXIT_OK;
  strbuf held; /* stage stderr shown once the folder is delivered */
  strbuf_init(&held, STRBUF_CAP_LINE);
  char *bindir = self_dir();
  argv_list argvs[SPAWN_MAX_STAGES];
  char **vecs[SPAWN_MAX_STAGES];
  size_t n = 0;
  for (; n < chain->nstages && rc == BUDGET_EXIT_OK; n++) {
    argvs[n].n = 0;
    argvs[n].v[0] = NULL;
    if (expand(&chain->stages[n], j, is_stdin ? "-" : j->doc, rules,
               staged.data, bindir, &argvs[n], &rc) != 0) {
      argv_free(&argvs[n]);
      break;
    }
    vecs[n] = argvs[n].v;
  }
  free(bindir);

  if (rc == BUDGET_EXIT_OK) {
    /* The first stage reads the file itself ({input}); stdin is fed only
    ** when the document is stdin, with the sniffed bytes put back. */
    int devnull = is_stdin ? -1 : open("/dev/null", O_RDONLY | O_CLOEXEC);
    spawn_result res[SPAWN_MAX_STAGES];
    if (spawn_run(vecs, n, is_stdin ? 0 : devnull, is_stdin ? head : NULL,
                  (size_t)got, 1, res, err, sizeof err) != 0) {
      diag_error(NULL, "%s", err);
      rc = BUDGET_EXIT_STAGE;
    } else {
      int blame = spawn_blame(res, n);
      /* Stages after the failing one complain about the input it never
      ** gave them; only what led up to the failure is shown. */
      size_t show = blame < 0 ? n : (size_t)blame + 1;
      /* After a clean run the stages' lines (warnings, the checks line)
      ** wait for the delivery: if that fails, its error is the one line. */
      for (size_t i = 0; i < show; i++)
        if (blame >= 0)
          fputs(res[i].err, stderr);
        else if (strbuf_append_str(&held, res[i].err) != STRBUF_OK)
          fputs(res[i].err, stderr);
      if (blame >= 0) {
        if (res[blame].err[0] == '\0' || WIFSIGNALED(res[blame].status))
          explain(vecs[blame][0], res[blame].status);
        rc = status_to_exit(res[blame].status);
      } else if (interrupt_caught()) {
        rc = BUDGET_EXIT_STAGE;
      }
    }
    spawn_results_free(res, n);
    if (devnull >= 0)
      close(devnull);
  }
  if (rc == BUDGET_EXIT_OK)
    rc = deliver(j, staged.data);
  if (rc == BUDGET_EXIT_OK)
    fputs(strbuf_cstr(&held), stderr);
  strbuf_free(&held);
  for (size_t i = 0; i < n; i++)
    argv_free(&argvs[i]);
  outdir_remove_tree(staged.data);
  strbuf_free(&staged);
  outdir_free(stage_dir);
  if (private_dir)
    outdir_remove_tree(private_dir);
  free(private_dir);
  config_free(&cfg);
  return rc;
}

int main(int argc, char **argv)
{
  diag_set_program("budget2csv");
  /* A closed stdout must be an error we can report, not a silent death. */
  signal(SIGPIPE, SIG_IGN);
  job j = {0};
  cli_state cs = {1, 0};
  const char *v;
  int o;
  while ((o = cli_next(&cs, argc, argv, options, NOPTIONS, &v)) != CLI_END) {
    switch (o) {
    case CLI_ERROR:
      return BUDGET_EXIT_USAGE;
    case CLI_POSITIONAL:
      if (cli_one_input(&j.doc, v) != 0)
        return BUDGET_EXIT_USAGE;
      break;
    case OPT_OUTPUT: j.outdir_path = v; break;
    case OPT_TABLE: j.table_id = v; break;
    case OPT_BOM: j.bom = 1; break;
    case OPT_FILL_DOWN: j.fill_down = 1; break;
    case OPT_EXCEL: j.excel = 1; break;
    case OPT_PAGE_COLUMN: j.page_column = 1; break;
    case OPT_PASSWORD: j.password = v; break;
    case OPT_RULES: j.rules = v; break;
    case OPT_CONFIG: j.config_path = v; break;
    case OPT_HELP:
      cli_help(stdout, usage, description, options, NOPTIONS);
      return BUDGET_EXIT_OK;
    case OPT_VERSION:
      printf("budget2csv %s\n", BUDGET_VERSION);
      return BUDGET_EXIT_OK;
    }
  }
  if (!j.doc) {
    diag_error(NULL, "no document given (see --help)");
    return BUDGET_EXIT_USAGE;
  }
  if (!j.outdir_path == !j.table_id) {
    diag_error(NULL, "give either -o DIR or --table ID (see --help)");
    return BUDGET_EXIT_USAGE;
  }
  if (j.table_id && !outdir_valid_id(j.table_id)) {
    diag_error(NULL, "--table wants an ID such as 03 or x1, not '%s'",
               j.table_id);
    return BUDGET_EXIT_USAGE;
  }
  return run(&j);
}
