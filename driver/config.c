#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static const char *const placeholders[] = {"{input}", "{password}", "{rules}",
                                           "{output}"};

int config_is_placeholder(const char *word)
{
  for (size_t i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
    if (strcmp(word, placeholders[i]) == 0)
      return 1;
  return 0;
}

void config_free(config *c)
{
  config_chain *chains[] = {&c->pdf, &c->text};
  for (size_t k = 0; k < 2; k++)
    for (size_t s = 0; s < chains[k]->nstages; s++)
      for (size_t w = 0; w < chains[k]->stages[s].nwords; w++)
        free(chains[k]->stages[s].words[w]);
  free(c->rules_dir);
  free(c->path);
  memset(c, 0, sizeof *c);
}

static char *trim(char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Parses "prog args | prog args" into ch; returns NULL or a problem.
** Split by hand, not strtok: "a || b" and "a |" have an empty stage,
** which strtok would silently skip. */
static const char *parse_chain(char *value, config_chain *ch)
{
  if (ch->nstages)
    return "chain given twice";
  char *part = value;
  for (;;) {
    char *bar = strchr(part, '|');
    if (bar)
      *bar = '\0';
    if (ch->nstages == CONFIG_MAX_STAGES)
      return "too many stages";
    config_stage *st = &ch->stages[ch->nstages++];
    char *wsave = NULL;
    for (char *w = strtok_r(part, " \t", &wsave); w;
         w = strtok_r(NULL, " \t", &wsave)) {
      if (st->nwords == CONFIG_MAX_WORDS)
        return "too many words in a stage";
      if (strchr(w, '{') && !config_is_placeholder(w))
        return "unknown placeholder (known: {input} {password} {rules} "
               "{output})";
      if (!(st->words[st->nwords] = strdup(w)))
        return "out of memory";
      st->nwords++;
    }
    if (st->nwords == 0)
      return ch->nstages == 1 && !bar ? "empty chain"
                                      : "empty stage between '|'";
    if (config_is_placeholder(st->words[0]))
      return "a stage must start with a program name";
    if (!bar)
      break;
    part = bar + 1;
  }
  return NULL;
}

static char *dir_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

int config_load(const char *path, config *c, char *err, size_t errsz)
{
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errsz, "%s: %s", path, strerror(errno));
    return -1;
  }
  strbuf line;
  strbuf_init(&line, 64u * 1024u);
  const char *problem = NULL;
  long lineno = 0;
  int ch;
  while (!problem) {
    strbuf_clear(&line);
    int any = 0;
    while ((ch = getc(f)) != EOF && ch != '\n') {
      any = 1;
      if (strbuf_append_char(&line, (char)ch) != STRBUF_OK) {
        problem = "line too long";
        break;
      }
    }
    if (!any && ch == EOF)
      break;
    lineno++;
    if (problem)
      break;
    char *s = line.data ? line.data : (char *)"";
    char *hash = strchr(s, '#');
    if (hash)
      *hash = '\0';
    s = trim(s);
    if (*s == '\0')
      continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      problem = "expected key = value";
      break;
    }
    *eq = '\0';
    char *key = trim(s), *value = trim(eq + 1);
    if (strcmp(key, "pdf") == 0)
      problem = parse_chain(value, &c->pdf);
    else if (strcmp(key, "text") == 0)
      problem = parse_chain(value, &c->text);
    else if (strcmp(key, "rules") == 0) {
      if (c->rules_dir)
        problem = "rules given twice";
      else if (*value == '\0')
        problem = "rules needs a folder";
      else if (*value == '/')
        c->rules_dir = strdup(value);
      else {
        char *dir = dir_of(path);
        strbuf b;
        strbuf_init(&b, 8192);
        if (dir && strbuf_printf(&b, "%s/%s", dir, value) == STRBUF_OK)
          c->rules_dir = strbuf_take(&b);
        strbuf_free(&b);
        free(dir);
      }
      if (!problem && !c->rules_dir)
        problem = "out of memory";
    } else
      problem = "unknown key (known: pdf, text, rules)";
  }
  strbuf_free(&line);
  fclose(f);
  if (!problem && (c->pdf.nstages == 0 || c->text.nstages == 0))
    problem = "needs both a pdf and a text chain";
  if (!problem && !(c->path = strdup(path)))
    problem = "out of memory";
  if (problem) {
    if (lineno && strncmp(problem, "needs", 5) != 0)
      snprintf(err, errsz, "%s: line %ld: %s", path, lineno, problem);
    else
      snprintf(err, errsz, "%s: %s", path, problem);
    config_free(c);
    return -1;
  }
  return 0;
}
