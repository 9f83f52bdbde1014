/*
** exit_codes.h: the one list of process exit statuses.
**
** Every executable of the project (budget-extract, budget-normalize,
** budget-csv, budget2csv, budget-batch) exits with one of these values, and only with
** these. The README lists them for users; scripts may rely on the numbers,
** so never renumber an existing entry: append new ones.
*/
#ifndef BUDGET_EXIT_CODES_H
#define BUDGET_EXIT_CODES_H

typedef enum budget_exit {
  BUDGET_EXIT_OK = 0,           /* success: output written */
  BUDGET_EXIT_USAGE = 2,        /* bad command line */
  BUDGET_EXIT_NO_INPUT = 3,     /* input missing or unreadable */
  BUDGET_EXIT_NOT_PDF = 4,      /* not a PDF, or damaged beyond opening */
  BUDGET_EXIT_ENCRYPTED = 5,    /* encrypted and no usable password */
  BUDGET_EXIT_NO_TEXT = 6,      /* PDF without a text layer (a scan) */
  BUDGET_EXIT_NO_TABLES = 7,    /* readable, but no standard table found */
  BUDGET_EXIT_BAD_RULES = 8,    /* a rule file or pipeline.conf is invalid */
  BUDGET_EXIT_BAD_TEXT = 9,     /* input text is not valid UTF-8 / binary */
  BUDGET_EXIT_OUTPUT = 10,      /* cannot write output (permissions, disk) */
  BUDGET_EXIT_RESOURCE = 11,    /* out of memory, or input over a hard cap */
  BUDGET_EXIT_STAGE = 12,       /* a pipeline stage failed or was killed */
  BUDGET_EXIT_PARTIAL = 13      /* budget-batch: some documents failed (the
                                   others were written) */
} budget_exit;

/* A short English name for a status, for messages ("encrypted"). Never NULL. */
const char *budget_exit_name(budget_exit code);

#endif
