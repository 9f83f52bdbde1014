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

#include "cli.h"
#include "diag.h"
#include "exit_codes.h"
#include "rules.h"
#include "segment.h"
#include "self_path.h"

enum { OPT_RULES, OPT_HELP, OPT_VERSION };

static const cli_option options[] = {
    [OPT_RULES] = {"rules", 0, "DIR",
                   "rule files (default: $BUDGET_RULES, else the installed "
                   "rules/, else the source tree's)"},
    [OPT_HELP] = {"help", 'h', NULL, "show this help and exit"},
    [OPT_VERSION] = {"version", 0, NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof options / sizeof options[0])

static const char usage[] = "budget-normalize [--rules DIR] [FILE|-]";

static const char description[] =
    "Reads a budget stream (budget-extract's output, or tab-separated text\n"
    "from other tools) and writes one @@table block per budget table found:\n"
    "titles recognised by the rule files, headers flattened to paths, rows\n"
    "cleaned, each after its @@from (page, box, line), then one @@document\n"
    "line (department, budget year, source, pages; docs/stream.md).";

int main(int argc, char **argv)
{
  diag_set_program("budget-normalize");
  const char *rules_dir = NULL, *file = NULL;
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
    case OPT_RULES: rules_dir = v; break;
    case OPT_HELP:
      cli_help(stdout, usage, description, options, NOPTIONS);
      return BUDGET_EXIT_OK;
    case OPT_VERSION:
      printf("budget-normalize %s\n", BUDGET_VERSION);
      return BUDGET_EXIT_OK;
    }
  }
  if (!rules_dir)
    rules_dir = getenv("BUDGET_RULES");
  /* The installed rules next to this program, else the source tree's
  ** (self_path.h). */
  char *default_rules = NULL;
  if (!rules_dir || !*rules_dir) {
    char *data = budget_data_dir();
    size_t size = data ? strlen(data) + sizeof "/rules" : 0;
    if (data && (default_rules = malloc(size)) != NULL)
      snprintf(default_rules, size, "%s/rules", data);
    free(data);
    if (!default_rules) {
      diag_error(NULL, "out of memory");
      return BUDGET_EXIT_RESOURCE;
    }
    rules_dir = default_rules;
  }

  ruleset rs;
  char err[1024];
  int loaded = ruleset_load_dir(&rs, rules_dir, err, sizeof err);
  free(default_rules);
  if (loaded != 0) {
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
