/* pipeline.conf parsing: chains, placeholders, errors as file:line. */
#include <criterion/criterion.h>

#include "config.h"
#include "helpers.h"

static char *tmp;

static void setup(void) { tmp = h_tmpdir(); }
static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
}

/* Writes text as TMP/name and returns its path (malloc'd). */
static char *conf_file(const char *name, const char *text)
{
  char *p = h_fmt("%s/%s", tmp, name);
  h_write_str(p, text);
  return p;
}

/* Loads text; returns config_load's result with the message in err. */
static int load(const char *text, config *c, char *err, size_t errsz,
                char **path)
{
  *path = conf_file("pipeline.conf", text);
  err[0] = '\0';
  return config_load(*path, c, err, errsz);
}

TestSuite(config, .init = setup, .fini = teardown);

Test(config, the_shipped_pipeline_conf_loads)
{
  char *p = h_fmt("%s/pipeline.conf", h_home());
  config c;
  char err[512];
  cr_assert_eq(config_load(p, &c, err, sizeof err), 0, "%s", err);
  cr_assert_eq(c.pdf.nstages, 3);
  cr_assert_str_eq(c.pdf.stages[0].words[0], "budget-extract");
  cr_assert_str_eq(c.pdf.stages[2].words[0], "budget-csv");
  cr_assert_eq(c.text.nstages, 2);
  char *rules = h_fmt("%s/rules", h_home());
  cr_assert_str_eq(c.rules_dir, rules);
  free(rules);
  config_free(&c);
  free(p);
}

Test(config, chains_words_placeholders_comments)
{
  config c;
  char err[512], *path;
  cr_assert_eq(load("# comment line\n"
                    "\n"
                    "  pdf = a {password} {input}|b  {rules} | c {output}  "
                    "# trailing comment\r\n"
                    "text=cat {input} | budget-csv {output}\n"
                    "rules = /abs/rules\n",
                    &c, err, sizeof err, &path),
               0, "%s", err);
  cr_assert_eq(c.pdf.nstages, 3);
  cr_assert_eq(c.pdf.stages[0].nwords, 3);
  cr_assert_str_eq(c.pdf.stages[0].words[1], "{password}");
  cr_assert_str_eq(c.pdf.stages[1].words[1], "{rules}");
  cr_assert_eq(c.pdf.stages[2].nwords, 2);
  cr_assert_str_eq(c.text.stages[0].words[0], "cat");
  cr_assert_str_eq(c.rules_dir, "/abs/rules");
  cr_assert_str_eq(c.path, path);
  config_free(&c);
  free(path);
}

Test(config, relative_rules_are_relative_to_the_file)
{
  config c;
  char err[512], *path;
  cr_assert_eq(load("pdf = a\ntext = b\nrules = my/rules\n", &c, err,
                    sizeof err, &path),
               0, "%s", err);
  char *want = h_fmt("%s/my/rules", tmp);
  cr_assert_str_eq(c.rules_dir, want);
  free(want);
  config_free(&c);
  free(path);
}

Test(config, no_rules_key_means_null)
{
  config c;
  char err[512], *path;
  cr_assert_eq(load("pdf = a\ntext = b\n", &c, err, sizeof err, &path), 0);
  cr_assert_null(c.rules_dir);
  config_free(&c);
  free(path);
}

/* The message must be "<path>: line N: <problem>" on one line. */
static void expect_error(const char *text, int line, const char *problem)
{
  config c;
  char err[512], *path;
  cr_assert_eq(load(text, &c, err, sizeof err, &path), -1, "accepted: %s",
               text);
  char *want = line ? h_fmt("%s: line %d: %s", path, line, problem)
                    : h_fmt("%s: %s", path, problem);
  cr_assert_str_eq(err, want, "for: %s", text);
  cr_assert_null(strchr(err, '\n'));
  cr_assert_eq(c.pdf.nstages, 0, "left empty on failure");
  cr_assert_null(c.path);
  free(want);
  free(path);
}

Test(config, errors_name_file_and_line)
{
  expect_error("pdf = a\nthis line has no equals\n", 2,
               "expected key = value");
  expect_error("pdf = a\ntext = b\ncolour = red\n", 3,
               "unknown key (known: pdf, text, rules)");
  expect_error("pdf = a {inptu}\n", 1,
               "unknown placeholder (known: {input} {password} {rules} "
               "{output})");
  expect_error("# x\npdf = a | | b\n", 2, "empty stage between '|'");
  expect_error("pdf = a || b\n", 1, "empty stage between '|'");
  expect_error("pdf = a |\n", 1, "empty stage between '|'");
  expect_error("pdf = | a\n", 1, "empty stage between '|'");
  expect_error("pdf =\n", 1, "empty chain");
  expect_error("pdf = {input} a\n", 1,
               "a stage must start with a program name");
  expect_error("pdf = a\npdf = b\n", 2, "chain given twice");
  expect_error("rules = a\nrules = b\n", 2, "rules given twice");
  expect_error("rules =\n", 1, "rules needs a folder");
  expect_error("pdf = a|b|c|d|e|f|g|h|i\n", 1, "too many stages");
}

Test(config, a_missing_chain_names_the_file)
{
  expect_error("pdf = a\n", 0, "needs both a pdf and a text chain");
  expect_error("", 0, "needs both a pdf and a text chain");
}

Test(config, too_many_words)
{
  char line[600] = "pdf = a";
  for (int i = 0; i < 40; i++)
    strcat(line, " w");
  strcat(line, "\n");
  expect_error(line, 1, "too many words in a stage");
}

Test(config, missing_file_is_one_line)
{
  config c;
  char err[512];
  char *p = h_fmt("%s/none.conf", tmp);
  cr_assert_eq(config_load(p, &c, err, sizeof err), -1);
  char *want = h_fmt("%s: No such file or directory", p);
  cr_assert_str_eq(err, want);
  free(want);
  free(p);
}

Test(config, placeholders)
{
  cr_assert(config_is_placeholder("{input}"));
  cr_assert(config_is_placeholder("{password}"));
  cr_assert(config_is_placeholder("{rules}"));
  cr_assert(config_is_placeholder("{output}"));
  cr_assert_not(config_is_placeholder("{in}"));
  cr_assert_not(config_is_placeholder("input"));
}
