#include "repair.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "utf8.h"

/* A tail longer than this is a row of its own, not a wrap. */
#define TAIL_MAX_CHARS 12

static uint32_t last_cp(const char *s)
{
  size_t n = strlen(s), i = n;
  if (!n)
    return 0;
  while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
    i--;
  if (i > 0)
    i--;
  uint32_t cp;
  utf8_decode(s + i, n - i, &cp);
  return cp;
}

/* Appends tail to cell c of prev: no space between CJK characters. */
static int join_cell(trow *prev, size_t c, const char *tail)
{
  const char *head = prev->cells[c];
  size_t tn = strlen(tail);
  uint32_t a = last_cp(head), b;
  utf8_decode(tail, tn, &b);
  int glue = !(utf8_is_cjk(a) || utf8_is_cjk(b));
  strbuf s;
  strbuf_init(&s, STRBUF_CAP_CELL);
  int rc = 0;
  if (strbuf_append_str(&s, head) != STRBUF_OK ||
      (glue && strbuf_append_char(&s, ' ') != STRBUF_OK) ||
      strbuf_append(&s, tail, tn) != STRBUF_OK ||
      row_set(prev, c, s.data, s.len) != 0)
    rc = -1;
  strbuf_free(&s);
  return rc;
}

static int is_tail_text(const ruleset *rs, const char *s)
{
  size_t n = strlen(s);
  return !cell_is_number(rs, s) &&
         !rules_any(rs, RULE_TOTAL, s, n) && !rules_any(rs, RULE_NOT_TAIL, s, n);
}

/* An indicator value (≥3次, 100%) by the "value" rules: a wrapped line of
** a name never is one. */
static int value_like(const ruleset *rs, const char *s)
{
  return rules_any(rs, RULE_VALUE, s, strlen(s));
}

/* Where column c stands in the pair run: 0 outside, 1 label, 2 value. */
static int pair_role(const pair_run *pr, size_t c)
{
  if (!pr || pr->hi < pr->lo || c < pr->lo || c > pr->hi)
    return 0;
  return (c - pr->lo) % 2 ? 2 : 1;
}

static const char *cell_at(const trow *r, size_t c)
{
  return c < r->n ? r->cells[c] : "";
}

/* The column whose text column c of the pair run holds after the segment
** a..b (inclusive) moves one column in direction dir (0: no move), the
** column it moves into being empty; for the column it leaves, hi + 2 (a
** slot that stands for an empty cell). */
static size_t moved_from(const pair_run *pr, size_t c, size_t a, size_t b,
                         int dir)
{
  if (dir > 0 && c >= a + 1 && c <= b + 1)
    return c - 1;
  if (dir < 0 && c + 1 >= a && c < b)
    return c + 1;
  if ((dir > 0 && c == a) || (dir < 0 && c == b))
    return pr->hi + 2;
  return c;
}

int repair_split_row(const ruleset *rs, trow *prev, const trow *r,
                     const pair_run *pr)
{
  if (!prev)
    return 0;
  /* The row that was split carries its amounts on the first page; a
  ** text-only row (an indicator row of 15) is followed by rows like it,
  ** so there only the label/value pairs can tell a wrapped label. */
  int numbers = 0;
  for (size_t c = 0; c < prev->n && !numbers; c++)
    numbers = prev->cells[c][0] && cell_is_number(rs, prev->cells[c]);
  size_t cells = 0;
  for (size_t c = 0; c < r->n; c++) {
    const char *tail = r->cells[c];
    if (!tail[0])
      continue;
    cells++;
    /* The head must be text that can go on: no amount, no code, no row
    ** label (本年收入合计 / 上年结转 are two rows). */
    if (c >= prev->n || !prev->cells[c][0] || !is_tail_text(rs, tail) ||
        value_like(rs, tail) || !is_tail_text(rs, prev->cells[c]))
      return 0;
    int role = pair_role(pr, c);
    if (role == 2)
      return 0; /* a value never wraps onto the next page alone */
    if (role == 1) {
      /* A label whose value stands beside its head, not beside it, is
      ** the rest of that label, however long. */
      if (cell_at(r, c + 1)[0] || !cell_at(prev, c + 1)[0])
        return 0;
    } else if (!numbers || utf8_chars(tail) > utf8_chars(prev->cells[c]))
      return 0;
  }
  if (!cells)
    return 0;
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0] && join_cell(prev, c, r->cells[c]) != 0)
      return -1;
  return 1;
}

int repair_pair_run(const ruleset *rs, char *const *paths, size_t ncols,
                    pair_run *pr)
{
  pr->lo = 1;
  pr->hi = 0;
  size_t first = 0, last = 0, pairs = 0;
  for (size_t c = 1; c < ncols; c++) {
    if (!rules_any(rs, RULE_VALUE_COLUMN, paths[c], strlen(paths[c])))
      continue;
    if (rules_any(rs, RULE_VALUE_COLUMN, paths[c - 1], strlen(paths[c - 1])))
      return 0; /* two value columns side by side: no pairs */
    if (pairs && c != last + 2)
      return 0; /* the pairs must make one run */
    if (!pairs)
      first = c;
    last = c;
    pairs++;
  }
  if (pairs < 2)
    return 0;
  pr->lo = first - 1;
  pr->hi = last;
  return 1;
}

/* Text that is a label, not a value: no value rule, and long enough that
** no value word (明显, 及时, 无) is mistaken for one. */
#define LABEL_MIN_CHARS 5

/* What a cell's text is, read once per row: the search below tries every
** move of every segment and would otherwise ask the rules again for each. */
#define TEXT_EMPTY 1
#define TEXT_VALUE 2 /* a "value" rule matches */
#define TEXT_LABEL 4 /* no value rule, and at least LABEL_MIN_CHARS long */

static unsigned char text_kind(const ruleset *rs, const char *s)
{
  if (!s[0])
    return TEXT_EMPTY;
  if (value_like(rs, s))
    return TEXT_VALUE;
  return utf8_chars(s) >= LABEL_MIN_CHARS ? TEXT_LABEL : 0;
}

/* 1 when text of kind k in column c of the run is in the wrong kind of
** column. */
static int misplaced(const pair_run *pr, size_t c, unsigned char k)
{
  int role = pair_role(pr, c);
  return (role == 1 && (k & TEXT_VALUE)) || (role == 2 && (k & TEXT_LABEL));
}

/* The cells of the run that are in the wrong place: misplaced() text, and
** a pair straddling two pairs (无 | 无 in a value and the next label
** column, each without its own partner), after the segment a..b
** (inclusive) moves one column in direction dir (0: no move; the column
** it moves into is empty). kind[c] is column c's text_kind() before. */
static size_t run_cost(const pair_run *pr, const unsigned char *kind,
                       size_t a, size_t b, int dir)
{
  size_t cost = 0;
  for (size_t c = pr->lo; c <= pr->hi; c++) {
    unsigned char k = kind[moved_from(pr, c, a, b, dir)];
    if (k & TEXT_EMPTY)
      continue;
    cost += (size_t)misplaced(pr, c, k);
    int role = pair_role(pr, c);
    int left = c > pr->lo && !(kind[moved_from(pr, c - 1, a, b, dir)] & TEXT_EMPTY);
    int right = c < pr->hi && !(kind[moved_from(pr, c + 1, a, b, dir)] & TEXT_EMPTY);
    if (role == 2 && !left && right)
      cost++;
    if (role == 1 && !right && left && c > pr->lo)
      cost++;
  }
  return cost;
}

int repair_shift_pairs(const ruleset *rs, const pair_run *pr, trow *r,
                       const unsigned char *used, size_t nused)
{
  if (!pr || pr->hi < pr->lo || r->n <= pr->lo)
    return 0;
  /* Columns 0..hi+1, and the slot moved_from() names for a vacated one. */
  size_t ncols = pr->hi + 2;
  unsigned char own[64];
  unsigned char *kind = ncols + 1 <= sizeof own ? own : malloc(ncols + 1);
  if (!kind)
    return -1;
  for (size_t c = 0; c < ncols; c++)
    kind[c] = text_kind(rs, cell_at(r, c));
  kind[ncols] = TEXT_EMPTY;
  size_t now = run_cost(pr, kind, 0, 0, 0);
  /* A segment a..b of the run next to an empty column moves one column
  ** into it; the move that leaves the fewest cells misplaced wins, then
  ** the one that puts no text in a column no row has used, then a move
  ** right (a row printed a column early is the common damage), then the
  ** move of more cells (a row is printed off as a whole). */
  size_t best_cost = now, best_fresh = 0, best_moved = 0, best_a = 0,
         best_b = 0;
  int best_dir = 0;
  for (size_t a = pr->lo; now && a <= pr->hi; a++) {
    if (kind[a] & TEXT_EMPTY)
      continue;
    for (size_t b = a; b <= pr->hi; b++) {
      for (int dir = 1; dir >= -1; dir -= 2) {
        size_t into = dir > 0 ? b + 1 : a - 1;
        if ((dir > 0 && b == pr->hi) || (dir < 0 && a == pr->lo) ||
            !(kind[into] & TEXT_EMPTY) || (kind[b] & TEXT_EMPTY))
          continue;
        size_t cost = run_cost(pr, kind, a, b, dir);
        size_t fresh = 0, moved = 0;
        for (size_t c = a; c <= b; c++)
          if (!(kind[c] & TEXT_EMPTY)) {
            size_t d = dir > 0 ? c + 1 : c - 1;
            moved++;
            fresh += d >= nused || !used[d];
          }
        int better = !best_dir ? cost < best_cost
                     : cost != best_cost     ? cost < best_cost
                     : fresh != best_fresh   ? fresh < best_fresh
                     : dir != best_dir       ? dir > best_dir
                                             : moved > best_moved;
        if (better) {
          best_cost = cost;
          best_fresh = fresh;
          best_moved = moved;
          best_a = a;
          best_b = b;
          best_dir = dir;
        }
      }
    }
  }
  if (kind != own)
    free(kind);
  if (!best_dir)
    return 0;
  if (r->n <= pr->hi && row_resize(r, pr->hi + 1) != 0)
    return -1;
  char **c = r->cells;
  if (best_dir > 0) {
    char *gap = c[best_b + 1];
    memmove(c + best_a + 1, c + best_a, (best_b - best_a + 1) * sizeof *c);
    c[best_a] = gap;
  } else {
    char *gap = c[best_a - 1];
    memmove(c + best_a - 1, c + best_a, (best_b - best_a + 1) * sizeof *c);
    c[best_b] = gap;
  }
  return 1;
}

int repair_double_values(const ruleset *rs, const pair_run *pr, trow *prev,
                         trow *r)
{
  if (!pr || pr->hi < pr->lo || !prev)
    return 0;
  int moved = 0;
  for (size_t c = pr->lo + 1; c <= pr->hi && c < prev->n; c += 2) {
    const char *s = prev->cells[c], *sp = strrchr(s, ' ');
    if (!sp || sp == s || cell_at(r, c)[0] || !cell_at(r, c - 1)[0] ||
        !value_like(rs, sp + 1))
      continue;
    size_t head = (size_t)(sp - s);
    if (r->n <= c && row_resize(r, c + 1) != 0)
      return -1;
    if (row_set(r, c, sp + 1, strlen(sp + 1)) != 0 ||
        row_set(prev, c, s, head) != 0)
      return -1;
    moved++;
  }
  return moved;
}

/* A word too short to be a label and no value (无, 好): it may stand
** beside a lone value in its label column. */
static int short_word(const ruleset *rs, const char *s)
{
  return !value_like(rs, s) && utf8_chars(s) < LABEL_MIN_CHARS;
}

int repair_lone_values(const ruleset *rs, const pair_run *pr, const trow *r,
                       trow *next)
{
  if (!pr || pr->hi < pr->lo || !next)
    return 0;
  size_t values = 0, labels = 0;
  for (size_t c = 0; c < r->n; c++) {
    const char *s = r->cells[c];
    if (!s[0])
      continue;
    int role = pair_role(pr, c);
    if (role == 1 && short_word(rs, s) && cell_at(r, c + 1)[0] &&
        !cell_at(next, c)[0])
      continue; /* checked with its value */
    /* A value beside no label (or a short word) whose place below is
    ** empty, or holds the same value printed again. */
    if (role != 2 || !value_like(rs, s) ||
        (r->cells[c - 1][0] && !short_word(rs, r->cells[c - 1])) ||
        (cell_at(next, c)[0] && strcmp(cell_at(next, c), s)) ||
        (r->cells[c - 1][0] && cell_at(next, c - 1)[0]))
      return 0;
    values++;
  }
  for (size_t c = pr->lo; c <= pr->hi; c += 2)
    labels += cell_at(next, c)[0] != '\0';
  for (size_t c = 0; c < pr->lo; c++)
    if (cell_at(next, c)[0])
      return 0; /* the next row opens another project */
  if (!values || !labels)
    return 0;
  if (next->n < r->n && row_resize(next, r->n) != 0)
    return -1;
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0] && row_set(next, c, r->cells[c], strlen(r->cells[c])) != 0)
      return -1;
  return 1;
}
int repair_continuation(const ruleset *rs, trow *prev, const trow *r)
{
  if (!prev)
    return 0;
  size_t col = (size_t)-1;
  for (size_t i = 0; i < r->n; i++)
    if (r->cells[i][0]) {
      if (col != (size_t)-1)
        return 0;
      col = i;
    }
  if (col == (size_t)-1 || col >= prev->n)
    return 0;
  const char *tail = r->cells[col], *head = prev->cells[col];
  size_t tn = strlen(tail);
  /* A wrapped head filled its cell, so it is much longer than its tail;
  ** two labels of a size are two rows (本年收入合计 / 上年结转结余). */
  size_t hc = utf8_chars(head), tc = utf8_chars(tail);
  if (!*head || tc > TAIL_MAX_CHARS || 2 * tc > hc ||
      rules_any(rs, RULE_TOTAL, head, strlen(head)) ||
      cell_is_number(rs, tail) || cell_is_number(rs, head) ||
      rules_any(rs, RULE_TOTAL, tail, tn) ||
      rules_any(rs, RULE_NOT_TAIL, tail, tn))
    return 0;
  uint32_t a = last_cp(head), b;
  utf8_decode(tail, tn, &b);
  int glue = !(utf8_is_cjk(a) || utf8_is_cjk(b));
  strbuf s;
  strbuf_init(&s, STRBUF_CAP_CELL);
  if (strbuf_append_str(&s, head) != STRBUF_OK ||
      (glue && strbuf_append_char(&s, ' ') != STRBUF_OK) ||
      strbuf_append(&s, tail, tn) != STRBUF_OK ||
      row_set(prev, col, s.data, s.len) != 0) {
    strbuf_free(&s);
    return -1;
  }
  strbuf_free(&s);
  return 1;
}
