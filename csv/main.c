/*
** budget-csv: the table-segmented stream in, clean CSV files out.
**
** Reads `@@table/@@columns/rows/@@end` (docs/stream.md) one table at a
** time. With -o it writes <ID>.csv per table and the tables.csv index into
** a staging folder and replaces the output folder's managed files only
** when everything was written (outdir.h); with --table it writes one
** table to stdout. All status-to-exit mapping lives here.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "checks_report.h"
#include "cli.h"
#include "csv_options.h"
#include "csv_writer.h"
#include "diag.h"
#include "exit_codes.h"
#include "outdir.h"
#include "provenance.h"
#include "sheet.h"
#include "table_reader.h"

enum {
  OPT_OUTPUT, OPT_TABLE, OPT_BOM, OPT_FILL_DOWN, OPT_EXCEL, OPT_PAGE_COLUMN,
  OPT_NO_CHECKS, OPT_VERBOSE, OPT_HELP, OPT_VERSION
};

static const cli_option options[] = {
    [OPT_OUTPUT] = CSV_OPTION_OUTPUT,
    [OPT_TABLE] = CSV_OPTION_TABLE,
    [OPT_BOM] = CSV_OPTION_BOM,
    [OPT_FILL_DOWN] = CSV_OPTION_FILL_DOWN,
    [OPT_EXCEL] = CSV_OPTION_EXCEL,
    [OPT_PAGE_COLUMN] = CSV_OPTION_PAGE_COLUMN,
    [OPT_NO_CHECKS] = {"no-checks", 0, NULL,
                       "with -o: no checks.csv and no checks line"},
    [OPT_VERBOSE] = {"verbose", 'v', NULL,
                     "list the stream's @@repair and @@note lines on stderr"},
    [OPT_HELP] = {"help", 'h', NULL, "show this help and exit"},
    [OPT_VERSION] = {"version", 0, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char usage[] =
    "budget-csv (-o DIR | --table ID) [--bom] [--fill-down] [--excel]\n"
    "       [--page-column] [--no-checks] [--verbose] [FILE|-]";
static const char description[] =
    "Reads the table stream written by budget-normalize (FILE, or stdin\n"
    "when FILE is - or absent) and writes one clean CSV per table: UTF-8,\n"
    "RFC 4180 quoting, CRLF, one header row. With -o, provenance.csv says\n"
    "where each row came from (table, row, page, box, line), and checks.csv\n"
    "lists the printed sums that do not add up, with one line about them on\n"
    "stderr (a finding never changes the exit status). Exit statuses:\n"
    "see README or man budget-csv.";

typedef struct run {
  const char *outdir_path;
  const char *table_id;
  int bom, verbose, no_checks;
  sheet_opts sheet;       /* --bom, --fill-down, --excel, --page-column */
  const char *input_name; /* for messages */
  outdir *out;
  FILE *index;
  FILE *provenance;
  chk_run *checks;        /* -o: the sums checked, for checks.csv */
  char **seen;            /* IDs written so far, to refuse duplicates */
  size_t nseen;
  int found;              /* --table: the table was written */
} run;

static int seen_before(run *r, const char *id)
{
  for (size_t i = 0; i < r->nseen; i++)
    if (strcmp(r->seen[i], id) == 0)
      return 1;
  char **p = realloc(r->seen, (r->nseen + 1) * sizeof *p);
  if (!p)
    return -1;
  r->seen = p;
  if (!(r->seen[r->nseen] = strdup(id)))
    return -1;
  r->nseen++;
  return 0;
}

/* Writes one table into the staging folder; returns an exit status. */
static int write_to_folder(run *r, const tbl_table *t)
{
  if (!r->out) {
    char err[4400];
    r->out = outdir_begin(r->outdir_path, err, sizeof err);
    if (!r->out) {
      diag_error(NULL, "%s", err);
      return BUDGET_EXIT_OUTPUT;
    }
    r->index = outdir_open(r->out, "tables.csv");
    if (!r->index || csvout_write_index_header(r->index, r->bom) != 0)
      goto fail;
    r->provenance = outdir_open(r->out, PROVENANCE_FILE);
    if (!r->provenance || provenance_write_header(r->provenance, r->bom) != 0)
      goto fail;
  }
  char name[32];
  snprintf(name, sizeof name, "%s.csv", t->id);
  FILE *f = outdir_open(r->out, name);
  if (!f)
    goto fail;
  int bad = sheet_write_table(f, t, &r->sheet) != 0;
  if (outdir_close(r->out, f) != 0 || bad)
    goto fail;
  /* The index and provenance name the table as its file does not: with
  ** --excel its ID must stay text there too. */
  char idbuf[SHEET_ID_TEXT];
  tbl_table shown = *t;
  shown.id = sheet_id_text(t->id, r->sheet.excel, idbuf);
  if (csvout_write_index_row(r->index, &shown) != 0 ||
      provenance_write_table(r->provenance, &shown) != 0)
    goto fail;
  if (r->checks && chk_add_table(r->checks, t) != 0) {
    diag_error(NULL, "out of memory");
    return BUDGET_EXIT_RESOURCE;
  }
  return BUDGET_EXIT_OK;
fail:
  diag_error(NULL, "%s", outdir_error(r->out)[0] ? outdir_error(r->out)
                                                 : r->outdir_path);
  return BUDGET_EXIT_OUTPUT;
}

static int write_to_stdout(run *r, const tbl_table *t)
{
  if (strcmp(t->id, r->table_id) != 0)
    return BUDGET_EXIT_OK;
  r->found = 1;
  if (sheet_write_table(stdout, t, &r->sheet) != 0 || fflush(stdout) != 0) {
    diag_error("stdout", "%s", strerror(errno));
    return BUDGET_EXIT_OUTPUT;
  }
  return BUDGET_EXIT_OK;
}

/* document.csv from the stream's @@document (none: no file). The source
** is written without its folder, so the file does not depend on where the
** document was read from. */
static int write_document(run *r, tbl_reader *rd)
{
  if (!tbl_reader_document(rd, 0))
    return BUDGET_EXIT_OK;
  const char *src = tbl_reader_document(rd, 2);
  const char *slash = strrchr(src, '/');
  const char *fields[4] = {slash ? slash + 1 : src,
                           tbl_reader_document(rd, 0),
                           tbl_reader_document(rd, 1),
                           tbl_reader_document(rd, 3)};
  FILE *f = outdir_open(r->out, "document.csv");
  int bad = !f || csvout_write_document(f, fields, r->bom) != 0;
  if ((f && outdir_close(r->out, f) != 0) || bad) {
    diag_error(NULL, "%s", outdir_error(r->out));
    return BUDGET_EXIT_OUTPUT;
  }
  return BUDGET_EXIT_OK;
}

static int reader_status(run *r, tbl_reader *rd, tbl_status st)
{
  diag_error(r->input_name, "%s", tbl_reader_error(rd));
  return st == TBL_BAD_STREAM ? BUDGET_EXIT_BAD_TEXT : BUDGET_EXIT_RESOURCE;
}

static int convert(run *r, FILE *in)
{
  tbl_reader *rd = tbl_reader_new(in, r->input_name);
  if (!rd) {
    diag_error(NULL, "out of memory");
    return BUDGET_EXIT_RESOURCE;
  }
  int rc = BUDGET_EXIT_OK;
  size_t tables = 0;
  tbl_table t;
  tbl_status st;
  while (rc == BUDGET_EXIT_OK && (st = tbl_reader_next(rd, &t)) != TBL_END) {
    if (st != TBL_OK) {
      rc = reader_status(r, rd, st);
      break;
    }
    if (!outdir_valid_id(t.id)) {
      diag_error(r->input_name, "line %ld: table ID '%s' is not 01..15 or xN",
                 t.lineno, t.id);
      rc = BUDGET_EXIT_BAD_TEXT;
      break;
    }
    int dup = seen_before(r, t.id);
    if (dup != 0) {
      if (dup < 0)
        diag_error(NULL, "out of memory");
      else
        diag_error(r->input_name, "line %ld: table %s appears twice",
                   t.lineno, t.id);
      rc = dup < 0 ? BUDGET_EXIT_RESOURCE : BUDGET_EXIT_BAD_TEXT;
      break;
    }
    tables++;
    rc = r->outdir_path ? write_to_folder(r, &t) : write_to_stdout(r, &t);
  }
  if (rc == BUDGET_EXIT_OK && tables == 0) {
    diag_error(r->input_name,
               "no table in the input (expects budget-normalize output)");
    rc = BUDGET_EXIT_NO_TABLES;
  } else if (rc == BUDGET_EXIT_OK && r->table_id && !r->found) {
    diag_error(r->input_name, "no table %s in the input", r->table_id);
    rc = BUDGET_EXIT_NO_TABLES;
  }
  if (rc == BUDGET_EXIT_OK && r->out)
    rc = write_document(r, rd);
  if (rc == BUDGET_EXIT_OK && r->checks && chk_finish(r->checks) != 0) {
    diag_error(NULL, "out of memory");
    rc = BUDGET_EXIT_RESOURCE;
  }
  if (rc == BUDGET_EXIT_OK && r->out) {
    FILE *index = r->index, *prov = r->provenance;
    r->index = r->provenance = NULL;
    int bad = outdir_close(r->out, prov) != 0;
    if (outdir_close(r->out, index) != 0 || bad ||
        (r->checks &&
         chk_write_file(r->checks, r->out, r->bom, r->sheet.excel) != 0) ||
        outdir_commit(r->out) != 0) {
      diag_error(NULL, "%s", outdir_error(r->out));
      rc = BUDGET_EXIT_OUTPUT;
    } else if (r->checks) {
      chk_print_summary(r->checks, stderr);
    }
  }
  if (rc == BUDGET_EXIT_OK) {
    size_t rep = tbl_reader_repairs(rd), notes = tbl_reader_notes(rd);
    if (rep || notes)
      diag_warn(NULL, "%zu value%s repaired, %zu note%s%s", rep,
                rep == 1 ? "" : "s", notes, notes == 1 ? "" : "s",
                r->verbose ? ":" : " (--verbose lists them)");
    if ((rep || notes) && r->verbose)
      fputs(tbl_reader_notices(rd), stderr);
  }
  tbl_reader_free(rd);
  return rc;
}

int main(int argc, char **argv)
{
  diag_set_program("budget-csv");
  run r = {0};
  const char *file = NULL;
  cli_state cs = {1, 0};
  const char *v;
  int o;
  while ((o = cli_next(&cs, argc, argv, options, NOPTIONS, &v)) != CLI_END) {
    switch (o) {
    case CLI_ERROR:
      return BUDGET_EXIT_USAGE;
    case CLI_POSITIONAL:
      if (cli_one_input(&file, v) != 0)
        return BUDGET_EXIT_USAGE;
      break;
    case OPT_OUTPUT: r.outdir_path = v; break;
    case OPT_TABLE: r.table_id = v; break;
    case OPT_BOM: r.bom = 1; break;
    case OPT_FILL_DOWN: r.sheet.fill_down = 1; break;
    case OPT_EXCEL: r.sheet.excel = 1; break;
    case OPT_PAGE_COLUMN: r.sheet.page_column = 1; break;
    case OPT_NO_CHECKS: r.no_checks = 1; break;
    case OPT_VERBOSE: r.verbose = 1; break;
    case OPT_HELP:
      cli_help(stdout, usage, description, options, NOPTIONS);
      return BUDGET_EXIT_OK;
    case OPT_VERSION:
      printf("budget-csv %s\n", BUDGET_VERSION);
      return BUDGET_EXIT_OK;
    }
  }
  r.bom |= r.sheet.excel; /* Excel misreads UTF-8 without it */
  r.sheet.bom = r.bom;
  if (!r.outdir_path == !r.table_id) {
    diag_error(NULL, "give either -o DIR or --table ID (see --help)");
    return BUDGET_EXIT_USAGE;
  }
  FILE *in = stdin;
  r.input_name = "<stdin>";
  if (file && strcmp(file, "-") != 0) {
    r.input_name = file;
    in = fopen(file, "rb");
    if (!in) {
      diag_error(file, "%s", strerror(errno));
      return BUDGET_EXIT_NO_INPUT;
    }
  }
  int rc = BUDGET_EXIT_RESOURCE;
  if (r.outdir_path && !r.no_checks && !(r.checks = chk_new()))
    diag_error(NULL, "out of memory");
  else
    rc = convert(&r, in);
  if (in != stdin)
    fclose(in);
  if (r.index)
    fclose(r.index);
  if (r.provenance)
    fclose(r.provenance);
  outdir_free(r.out);
  chk_free(r.checks);
  for (size_t i = 0; i < r.nseen; i++)
    free(r.seen[i]);
  free(r.seen);
  return rc;
}
