/*
** config.h: pipeline.conf, the description of the stage chain.
**
** The file is "key = value" lines; '#' starts a comment, blank lines are
** ignored. Keys:
**   pdf   = the chain for a PDF input: stages separated by '|', each a
**           program name and its arguments, split on spaces (no quoting);
**   text  = the chain for a text input (TSV from other tools, a stream);
**   rules = the default rules folder, relative to the config file's folder
**           unless absolute.
** Placeholders are whole words and expand to zero or more arguments:
**   {input}    the document path, or "-" for stdin;
**   {password} "--password PW" when one was given, else nothing;
**   {rules}    "--rules DIR" (the --rules option, else the rules key);
**   {output}   "-o DIR" (the driver's staging folder) plus "--bom",
**              "--fill-down", "--excel", "--page-column" as asked, and
**              "--no-checks" for --table (one table, no checks.csv).
** Any other word containing '{' is an error, so typos do not reach a stage.
**
** Ownership: a loaded config owns all its strings; config_free() releases
** them. Failure: config_load() returns -1 with one line naming the file
** and line in err, and leaves *c empty.
*/
#ifndef BUDGET_CONFIG_H
#define BUDGET_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_STAGES 8
#define CONFIG_MAX_WORDS 32

typedef struct config_stage {
  char *words[CONFIG_MAX_WORDS]; /* program then arguments, templates */
  size_t nwords;
} config_stage;

typedef struct config_chain {
  config_stage stages[CONFIG_MAX_STAGES];
  size_t nstages;
} config_chain;

typedef struct config {
  config_chain pdf;
  config_chain text;
  char *rules_dir; /* absolute or relative to the current directory; NULL
                      when the file names none */
  char *path;      /* the file it was read from */
} config;

int config_load(const char *path, config *c, char *err, size_t errsz);
void config_free(config *c);

/* 1 if word is one of the placeholders above. */
int config_is_placeholder(const char *word);

#endif
