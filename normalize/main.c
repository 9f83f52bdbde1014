/*
** budget-normalize: budget stream (or TSV from other tools) in, the
** table-segmented stream budget-csv reads out.
**
**   budget-normalize [--rules DIR] [FILE|-]
**
** The work is in segment.c; this file only parses options, loads the rule
** files and maps failures to the exit codes of common/exit_codes.h, each
** with one line on stderr.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "exit_codes.h"
#include "rules.h"
#include "segment.h"

static const char usage[] = "usage: budget-normalize [--rules DIR] [FILE|-]\n";

static const char help[] =
    "Reads a budget stream (budget-extract's output, or tab-separated text\n"
    "from other tools) and writes one @@table block per budget table found:\n"
    "titles recognised by the rule files, headers flattened to paths, rows\n"
    "cleaned, then one @@document line (department, budget year, source,\n"
    "pages; docs/stream.md). Rules: --rules DIR, else $BUDGET_RULES, else\n"
    "the source tree's rules/ folder.\n";

int main(int argc, char **argv)
{
  diag_set_program("budget-normalize");
  const char *rules_dir = NULL, *file = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--rules") && i + 1 < argc)
      rules_dir = argv[++i];
    else if (!strncmp(a, "--rules=", 8))
      rules_dir = a + 8;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      fputs(usage, stdout);
      fputs(help, stdout);
      return BUDGET_EXIT_OK;
    } else if (!strcmp(a, "--version")) {
      printf("budget-normalize %s\n", BUDGET_VERSION);
      return BUDGET_EXIT_OK;
    } else if (a[0] == '-' && a[1]) {
      diag_error(NULL, "unknown option '%s' (%s)", a, "try --help");
      return BUDGET_EXIT_USAGE;
    } else if (!file)
      file = a;
    else {
      diag_error(NULL, "more than one input given");
      return BUDGET_EXIT_USAGE;
    }
  }
  if (!rules_dir)
    rules_dir = getenv("BUDGET_RULES");
  if (!rules_dir || !*rules_dir)
    rules_dir = BUDGET_SOURCE_DIR "/rules";

  ruleset rs;
  char err[1024];
  if (ruleset_load_dir(&rs, rules_dir, err, sizeof err) != 0) {
    diag_error(NULL, "%s", err);
    return BUDGET_EXIT_BAD_RULES;
  }
  FILE *in = stdin;
  const char *name = "<stdin>";
  if (file && strcmp(file, "-") != 0) {
    in = fopen(file, "rb");
    if (!in) {
      diag_error(file, "cannot open: %s", strerror(errno));
      ruleset_free(&rs);
      return BUDGET_EXIT_NO_INPUT;
    }
    name = file;
  }
  norm_stats st;
  int rc = normalize_stream(&rs, in, name, stdout, &st, err, sizeof err);
  if (rc != BUDGET_EXIT_OK)
    diag_error(NULL, "%s", err);
  if (in != stdin)
    fclose(in);
  ruleset_free(&rs);
  return rc;
}
