#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int cli_next(cli_state *st, int argc, char **argv, const cli_option *opts,
             size_t nopts, const char **value)
{
  *value = NULL;
  if (st->index >= argc)
    return CLI_END;
  const char *a = argv[st->index++];
  if (st->no_more_opts || a[0] != '-' || a[1] == '\0') {
    *value = a;
    return CLI_POSITIONAL;
  }
  if (strcmp(a, "--") == 0) {
    st->no_more_opts = 1;
    return cli_next(st, argc, argv, opts, nopts, value);
  }
  const char *inline_value = NULL;
  size_t found = nopts;
  if (a[1] == '-') {
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    for (size_t i = 0; i < nopts; i++)
      if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0)
        found = i;
    if (eq)
      inline_value = eq + 1;
  } else {
    for (size_t i = 0; i < nopts; i++)
      if (opts[i].letter && opts[i].letter == a[1])
        found = i;
    if (a[2] != '\0')
      inline_value = a + 2;
  }
  if (found == nopts) {
    diag_error(NULL, "unknown option '%s' (see --help)", a);
    return CLI_ERROR;
  }
  if (!opts[found].arg) {
    if (inline_value) {
      diag_error(NULL, "option '%s' takes no value", a);
      return CLI_ERROR;
    }
    return (int)found;
  }
  if (inline_value) {
    *value = inline_value;
  } else if (st->index < argc) {
    *value = argv[st->index++];
  } else {
    diag_error(NULL, "option '%s' needs a value (%s)", a, opts[found].arg);
    return CLI_ERROR;
  }
  return (int)found;
}

void cli_help(FILE *out, const char *usage, const char *description,
              const cli_option *opts, size_t nopts)
{
  fprintf(out, "usage: %s\n\n%s\n\noptions:\n", usage, description);
  for (size_t i = 0; i < nopts; i++) {
    /* Long names line up whether or not there is a short letter:
    ** "-o, --output DIR" and "    --table ID". */
    char left[80];
    if (opts[i].letter)
      snprintf(left, sizeof left, "-%c, --%s%s%s", opts[i].letter,
               opts[i].name, opts[i].arg ? " " : "",
               opts[i].arg ? opts[i].arg : "");
    else
      snprintf(left, sizeof left, "    --%s%s%s", opts[i].name,
               opts[i].arg ? " " : "", opts[i].arg ? opts[i].arg : "");
    fprintf(out, "  %-24s %s\n", left, opts[i].help);
  }
}

int cli_count(const char *s, int max, int *out)
{
  char *end;
  if (!s)
    return -1;
  errno = 0;
  long n = strtol(s, &end, 10);
  if (errno || end == s || *end || n < 1 || n > max)
    return -1;
  *out = (int)n;
  return 0;
}

int cli_one_input(const char **slot, const char *value)
{
  if (*slot) {
    diag_error(NULL, "one input at a time (got '%s' and '%s')", *slot, value);
    return -1;
  }
  *slot = value;
  return 0;
}
