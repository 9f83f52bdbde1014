#include "title.h"

#include <string.h>

#include "cells.h"

static void find_unit(const ruleset *rs, const char *s, size_t n,
                      title_info *ti)
{
  for (const rule *r = rules_begin(rs, RULE_UNIT); r < rules_end(rs, RULE_UNIT);
       r++) {
    size_t g0, g1;
    if (rule_group1(rs, r, s, n, &g0, &g1) == 1 && g1 - g0 < sizeof ti->unit) {
      memcpy(ti->unit, s + g0, g1 - g0);
      ti->unit[g1 - g0] = '\0';
      return;
    }
  }
}

/* The line as the rules see it: the "cell" rules applied, so layout spaces
** between CJK characters (单 位 ： 万 元, a spaced title block) are gone. */
static line_class classify(ruleset *rs, const char *line, size_t n,
                           title_info *ti, strbuf *tmp)
{
  find_unit(rs, line, n, ti);
  if (rules_any(rs, RULE_SKIP, line, n))
    return LINE_SKIP;
  if (rules_any(rs, RULE_NOTE, line, n))
    return LINE_NOTE;
  if (rules_any(rs, RULE_NOT_TITLE, line, n))
    return rules_any(rs, RULE_TITLE_BLOCK, line, n) ? LINE_TITLE_BLOCK
                                                     : LINE_PROSE;
  if (cells_squeeze(line, tmp) < 0 ||
      rules_apply_all(rs, RULE_TITLE_NOISE, tmp) < 0)
    return LINE_PROSE;
  const char *s = strbuf_cstr(tmp);
  size_t sn = tmp->len, best = (size_t)-1;
  const rule *hit = NULL;
  for (const rule *r = rules_begin(rs, RULE_TITLE);
       r < rules_end(rs, RULE_TITLE); r++) {
    size_t st;
    if (rule_match(rs, r, s, sn, &st, NULL) && st < best) {
      best = st;
      hit = r;
    }
  }
  if (hit) {
    ti->table = rules_table(rs, hit->name);
    ti->id = hit->name;
    if (ti->table)
      return LINE_TITLE;
  }
  if (rules_any(rs, RULE_TITLE_BLOCK, line, n))
    return LINE_TITLE_BLOCK;
  if (sn && rules_any(rs, RULE_GENERIC, s, sn))
    return LINE_GENERIC;
  return LINE_PROSE;
}

line_class title_classify(ruleset *rs, const char *line, title_info *ti,
                          strbuf *tmp)
{
  memset(ti, 0, sizeof *ti);
  strbuf ln;
  strbuf_init(&ln, STRBUF_CAP_LINE);
  size_t n = strlen(line);
  if (strbuf_append(&ln, line, n) == STRBUF_OK &&
      rules_apply_all(rs, RULE_CELL, &ln) >= 0) {
    line = ln.data;
    n = ln.len;
  }
  line_class c = classify(rs, line, n, ti, tmp);
  strbuf_free(&ln);
  return c;
}
