/*
** The man pages and --help stay in step: for every page man/NAME.1 whose
** program is built, the options in the page's OPTIONS section (long names and
** short letters) are exactly those the program's --help lists. Every
** executable the project installs has a page.
*/
#include <criterion/criterion.h>
#include <ctype.h>

#include "helpers.h"

/* Options as a sorted, newline-separated list of "--name" / "-x". */
typedef struct optset {
  char *v[64];
  size_t n;
} optset;

static void add(optset *s, const char *p, size_t len)
{
  for (size_t i = 0; i < s->n; i++)
    if (strlen(s->v[i]) == len && !strncmp(s->v[i], p, len))
      return;
  cr_assert_lt(s->n, 64);
  s->v[s->n++] = strndup(p, len);
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *joined(optset *s)
{
  qsort(s->v, s->n, sizeof *s->v, cmp);
  char *out = h_fmt("%s", "");
  for (size_t i = 0; i < s->n; i++) {
    char *t = h_fmt("%s%s\n", out, s->v[i]);
    free(out);
    free(s->v[i]);
    out = t;
  }
  s->n = 0;
  return out;
}

static int name_char(char c)
{
  return islower((unsigned char)c) || isdigit((unsigned char)c) || c == '-';
}

/* The options of --help: its lines after "options:", each starting with
** "  -x, --name" or "      --name". */
static char *help_options(const char *help)
{
  optset s = {{0}, 0};
  const char *p = strstr(help, "\noptions:\n");
  cr_assert_not_null(p, "--help has no options: section:\n%s", help);
  for (p = strchr(p + 1, '\n') + 1; *p && *p != '\n'; p = strchr(p, '\n') + 1) {
    const char *q = p;
    while (*q == ' ')
      q++;
    if (q[0] == '-' && q[1] != '-' && q[2] == ',')
      add(&s, q, 2), q += 4;
    if (!strncmp(q, "--", 2)) {
      size_t n = 2;
      while (name_char(q[n]))
        n++;
      add(&s, q, n);
    }
    if (!strchr(p, '\n'))
      break;
  }
  return joined(&s);
}

/* The options of a page's OPTIONS section: the first word of each .TP
** item's tag line, "\-x" and "\-\-name" (roff's escaped hyphens). */
static char *man_options(const char *page, const char *name)
{
  optset s = {{0}, 0};
  const char *sec = strstr(page, "\n.SH OPTIONS\n");
  cr_assert_not_null(sec, "%s has no OPTIONS section", name);
  const char *end = strstr(sec + 1, "\n.SH ");
  cr_assert_not_null(end);
  for (const char *p = strstr(sec, "\n.TP\n"); p && p < end;
       p = strstr(p + 1, "\n.TP\n")) {
    const char *tag = p + 5, *eol = strchr(tag, '\n');
    char buf[256];
    size_t k = 0;
    /* The tag without roff: "\-" is "-", macros and quotes go. */
    for (const char *q = tag; q < eol && k + 1 < sizeof buf; q++) {
      if (q[0] == '\\' && q[1] == '-') {
        buf[k++] = '-';
        q++;
      } else if (q[0] == '\\' && q[1] == 'f') {
        q += 2;
      } else
        buf[k++] = *q;
    }
    buf[k] = '\0';
    for (char *w = buf; *w; w++) {
      if (w[0] != '-' || (w > buf && w[-1] != ' '))
        continue;
      size_t n = w[1] == '-' ? 2 : 1;
      while (name_char(w[n]))
        n++;
      if (n > 1 && !(n == 2 && w[1] == '-'))
        add(&s, w, n);
      w += n - 1;
    }
  }
  return joined(&s);
}

static void check_page(const char *prog)
{
  char *path = h_fmt("%s/man/%s.1", h_home(), prog);
  char *page = h_read(path, NULL);
  cr_assert_not_null(page, "no man page %s", path);
  char *bin = h_bin(prog);
  char *argv[] = {bin, "--help", NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s --help: exit %d", prog, r.status);
  char *h = help_options(r.out), *m = man_options(page, path);
  cr_assert_gt(strlen(h), 0);
  cr_assert_str_eq(m, h, "%s: the man page lists\n%s--help lists\n%s", prog,
                   m, h);
  cr_assert(strstr(page, ".SH EXIT STATUS\n"), "%s: no EXIT STATUS", path);
  char *th = h_fmt(".TH %s 1 ", prog);
  for (char *c = th + 4; *c != ' '; c++)
    *c = (char)toupper((unsigned char)*c);
  cr_assert(!strncmp(page, th, strlen(th)), "%s must start with %s", path, th);
  free(th);
  free(h);
  free(m);
  h_result_free(&r);
  free(bin);
  free(page);
  free(path);
}

Test(man, budget2csv) { check_page("budget2csv"); }
Test(man, budget_extract) { check_page("budget-extract"); }
Test(man, budget_normalize) { check_page("budget-normalize"); }
Test(man, budget_csv) { check_page("budget-csv"); }

/* Any other page (budget-batch.1 ...) whose program is built. */
Test(man, every_other_page_of_a_built_program)
{
  char *dir = h_fmt("%s/man", h_home());
  char *l = h_listing(dir);
  cr_assert_not_null(l);
  for (char *n = l; *n;) {
    char *nl = strchr(n, '\n');
    *nl = '\0';
    size_t len = strlen(n);
    if (len > 2 && !strcmp(n + len - 2, ".1")) {
      n[len - 2] = '\0';
      char *bin = h_bin(n);
      if (h_exists(bin))
        check_page(n);
      free(bin);
    }
    n = nl + 1;
  }
  free(l);
  free(dir);
}
