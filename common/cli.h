/*
** cli.h: one option table per program drives both parsing and --help.
**
** Each program declares a static array of cli_option; cli_next() walks
** argv with it (long "--name", "--name=value", short "-o value", "-" and
** anything not starting with '-' are positionals, "--" ends options) and
** cli_help() prints usage and the table, so --help can never disagree
** with what is parsed.
**
** Ownership: values point into argv. Failure: cli_next() prints one
** diag_error() line for an unknown option or a missing value and returns
** CLI_ERROR; the caller exits with BUDGET_EXIT_USAGE.
*/
#ifndef BUDGET_CLI_H
#define BUDGET_CLI_H

#include <stdio.h>

typedef struct cli_option {
  const char *name;  /* long name without "--" */
  char letter;       /* short letter, or 0 */
  const char *arg;   /* value placeholder ("DIR"), or NULL for a flag */
  const char *help;  /* one line */
} cli_option;

enum { CLI_END = -1, CLI_ERROR = -2, CLI_POSITIONAL = -3 };

typedef struct cli_state {
  int index;         /* next argv index; start at 1 */
  int no_more_opts;  /* after "--" */
} cli_state;

/* Returns the matched option's index in opts (value set for options with
** an arg), CLI_POSITIONAL (value = the argument), CLI_END or CLI_ERROR. */
int cli_next(cli_state *st, int argc, char **argv, const cli_option *opts,
             size_t nopts, const char **value);

/* Prints "usage: <usage>", the description, then one line per option. */
void cli_help(FILE *out, const char *usage, const char *description,
              const cli_option *opts, size_t nopts);

/* A count option's value (-j 2): 0 and *out set when s is a whole
** decimal number from 1 to max; -1 else (nothing printed). */
int cli_count(const char *s, int max, int *out);

/* The one positional a program takes (its input): 0 and *slot = value the
** first time; -1 after one diag_error() line naming both when *slot is
** taken already (the caller exits with BUDGET_EXIT_USAGE). */
int cli_one_input(const char **slot, const char *value);

#endif
