/* cli: the option table that drives both parsing and --help. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { O_OUT, O_TABLE, O_BOM, O_VERBOSE };
static const cli_option opts[] = {
    [O_OUT] = {"output", 'o', "DIR", "write into DIR"},
    [O_TABLE] = {"table", 0, "ID", "one table"},
    [O_BOM] = {"bom", 0, NULL, "a BOM"},
    [O_VERBOSE] = {"verbose", 'v', NULL, "more"},
};
#define NOPTS (sizeof opts / sizeof opts[0])

/* Parses argv (NULL-terminated) into "name=value;" pairs for comparing. */
static char *parse(char **argv)
{
  int argc = 0;
  while (argv[argc])
    argc++;
  static char buf[1024];
  buf[0] = '\0';
  cli_state st = {1, 0};
  const char *v;
  int o;
  while ((o = cli_next(&st, argc, argv, opts, NOPTS, &v)) != CLI_END) {
    char item[128];
    if (o == CLI_ERROR) {
      strcat(buf, "ERROR;");
      break;
    }
    if (o == CLI_POSITIONAL)
      snprintf(item, sizeof item, "pos=%s;", v);
    else
      snprintf(item, sizeof item, "%s=%s;", opts[o].name, v ? v : "");
    strcat(buf, item);
  }
  return buf;
}

Test(cli, long_short_inline_and_separate_values)
{
  char *a[] = {"p", "--output", "d1", "-o", "d2", "-od3", "--output=d4",
               "--table=03", "--bom", "-v", NULL};
  cr_assert_str_eq(parse(a), "output=d1;output=d2;output=d3;output=d4;"
                             "table=03;bom=;verbose=;");
}

Test(cli, positionals_dash_and_double_dash)
{
  char *a[] = {"p", "doc.pdf", "-", "--", "--bom", "-o", NULL};
  cr_assert_str_eq(parse(a), "pos=doc.pdf;pos=-;pos=--bom;pos=-o;");
}

Test(cli, errors)
{
  char *a[] = {"p", "--nope", NULL};
  cr_assert_str_eq(parse(a), "ERROR;");
  char *b[] = {"p", "-o", NULL};
  cr_assert_str_eq(parse(b), "ERROR;", "missing value");
  char *c[] = {"p", "--bom=1", NULL};
  cr_assert_str_eq(parse(c), "ERROR;", "a flag takes no value");
  char *d[] = {"p", "-x", NULL};
  cr_assert_str_eq(parse(d), "ERROR;");
  char *e[] = {"p", "--out", "d", NULL};
  cr_assert_str_eq(parse(e), "ERROR;", "no prefix matching");
}

Test(cli, help_lists_every_option_aligned)
{
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  cr_assert_not_null(f);
  cli_help(f, "p [opts]", "Does things.", opts, NOPTS);
  fclose(f);
  cr_assert_str_eq(text, "usage: p [opts]\n\nDoes things.\n\noptions:\n"
                         "  -o, --output DIR         write into DIR\n"
                         "      --table ID           one table\n"
                         "      --bom                a BOM\n"
                         "  -v, --verbose            more\n");
  free(text);
}

Test(cli, count_takes_whole_numbers_in_range)
{
  int n = 0;
  cr_assert_eq(cli_count("1", 4, &n), 0);
  cr_assert_eq(n, 1);
  cr_assert_eq(cli_count("4", 4, &n), 0);
  cr_assert_eq(n, 4);
  const char *bad[] = {"0", "5", "-1", "", "two", "2x",
                       "99999999999999999999"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    n = 7;
    cr_assert_eq(cli_count(bad[i], 4, &n), -1, "'%s' taken", bad[i]);
    cr_assert_eq(n, 7, "'%s' changed the count", bad[i]);
  }
  cr_assert_eq(cli_count(NULL, 4, &n), -1);
}

Test(cli, one_input_takes_the_first_and_refuses_a_second)
{
  const char *slot = NULL;
  cr_assert_eq(cli_one_input(&slot, "a.pdf"), 0);
  cr_assert_str_eq(slot, "a.pdf");
  cr_assert_eq(cli_one_input(&slot, "b.pdf"), -1);
  cr_assert_str_eq(slot, "a.pdf", "the first input stays");
}
