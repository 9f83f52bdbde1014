#include "title.h"

#include <string.h>

#include "cells.h"

static void find_unit(const ruleset *rs, const char *s, size_t n,
                      subject_bytes *sb, title_info *ti)
{
  for (const rule *r = rules_begin(rs, RULE_UNIT); r < rules_end(rs, RULE_UNIT);
       r++) {
    size_t g0, g1;
    if (rule_group1_bytes(rs, r, s, n, sb, &g0, &g1) == 1 &&
        g1 - g0 < sizeof ti->unit) {
      memcpy(ti->unit, s + g0, g1 - g0);
      ti->unit[g1 - g0] = '\0';
      return;
    }
  }
}

/* The line as the rules see it: the "cell" rules applied, so layout spaces
** between CJK characters (单 位 ： 万 元, a spaced title block) are gone. */
static line_class classify(ruleset *rs, const char *line, size_t n,
                           subject_bytes *lbp, title_info *ti, strbuf *tmp)
{
  /* The line's bytes, taken once for the rules of every kind below. */
  subject_bytes lb = *lbp;
  find_unit(rs, line, n, &lb, ti);
  if (rules_any_bytes(rs, RULE_SKIP, line, n, &lb))
    return LINE_SKIP;
  if (rules_any_bytes(rs, RULE_NOTE, line, n, &lb))
    return LINE_NOTE;
  /* A line no title or generic rule can meet, whatever the noise rules
  ** make of it, is neither squeezed nor rewritten (most lines and cells
  ** are such), and what the not-title rules say of it changes nothing:
  ** asked first, they would only send it to the same end. Only up to a
  ** quarter of tmp's cap: the noise rules delete or at most triple a
  ** character (( -> （), so such a line's rewrite fits, and a longer one
  ** still fails there and stays prose. */
  if (n <= tmp->cap / 4 &&
      !rules_may_either_rewritten(rs, RULE_TITLE, RULE_GENERIC, &lb,
                                  RULE_TITLE_NOISE)) {
    strbuf_clear(tmp);
    return rules_any_bytes(rs, RULE_TITLE_BLOCK, line, n, &lb)
               ? LINE_TITLE_BLOCK
               : LINE_PROSE;
  }
  if (rules_any_bytes(rs, RULE_NOT_TITLE, line, n, &lb))
    return rules_any_bytes(rs, RULE_TITLE_BLOCK, line, n, &lb)
               ? LINE_TITLE_BLOCK
               : LINE_PROSE;
  /* The squeezed line holds only bytes the line holds. */
  subject_bytes sb = lb;
  if (cells_squeeze(line, tmp) < 0 ||
      rules_apply_all_over(rs, RULE_TITLE_NOISE, tmp, &sb) < 0)
    return LINE_PROSE;
  const char *s = strbuf_cstr(tmp);
  size_t sn = tmp->len, best = (size_t)-1;
  const rule *hit = NULL;
  /* The title rules the squeezed title's bytes can meet, in order (past
  ** 64 rules every one is tried). */
  const rule *first = rules_begin(rs, RULE_TITLE);
  size_t nt = (size_t)(rules_end(rs, RULE_TITLE) - first);
  uint64_t cand = rules_candidates(rs, RULE_TITLE, &sb);
  for (size_t j = 0; j < nt; j++) {
    size_t st;
    if (j < 64 && !((cand >> j) & 1))
      continue;
    const rule *r = first + j;
    if (rule_match_bytes(rs, r, s, sn, &sb, &st, NULL) && st < best) {
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
  if (rules_any_bytes(rs, RULE_TITLE_BLOCK, line, n, &lb))
    return LINE_TITLE_BLOCK;
  if (sn && rules_any_bytes(rs, RULE_GENERIC, s, sn, &sb))
    return LINE_GENERIC;
  return LINE_PROSE;
}

line_class title_classify(ruleset *rs, const char *line, title_info *ti,
                          strbuf *tmp)
{
  size_t n = strlen(line);
  subject_bytes lb;
  subject_bytes_of(line, n, &lb);
  return title_classify_bytes(rs, line, n, &lb, ti, tmp);
}

line_class title_classify_bytes(ruleset *rs, const char *line, size_t n,
                                const subject_bytes *bytes, title_info *ti,
                                strbuf *tmp)
{
  memset(ti, 0, sizeof *ti);
  /* The ruleset's scratch buffer, kept from line to line: one allocation
  ** for the run, not one a line. */
  strbuf *ln = &rs->scratch;
  strbuf_clear(ln);
  subject_bytes lb = *bytes;
  /* A line no cell rule can touch is read as it is, without a copy. */
  if (rules_may_any(rs, RULE_CELL, &lb)) {
    subject_bytes cb = lb;
    if (strbuf_append(ln, line, n) == STRBUF_OK &&
        rules_apply_all_over(rs, RULE_CELL, ln, &cb) >= 0) {
      line = strbuf_cstr(ln);
      n = ln->len;
      lb = cb;
    }
  }
  return classify(rs, line, n, &lb, ti, tmp);
}

int title_may_name_table(const ruleset *rs, const char *s, size_t n)
{
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  subject_add_rewrites(rs, &sb, RULE_CELL);
  subject_add_rewrites(rs, &sb, RULE_TITLE_NOISE);
  return rules_may_any(rs, RULE_TITLE, &sb);
}
