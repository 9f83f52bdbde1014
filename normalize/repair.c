#include "repair.h"

#include <stdint.h>
#include <string.h>

#include "cells.h"
#include "utf8.h"

/* A tail longer than this is a row of its own, not a wrap. */
#define TAIL_MAX_CHARS 12

static size_t count_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

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
  return !cell_is_amount(rs, s) && !cell_is_code(rs, s) &&
         !rules_any(rs, RULE_TOTAL, s, n) && !rules_any(rs, RULE_NOT_TAIL, s, n);
}

/* Digits or comparison signs: an indicator value (≥3次, 100%), which a
** wrapped line of a name never is. */
static int value_like(const char *s)
{
  for (const char *p = s; *p; p++)
    if ((*p >= '0' && *p <= '9') || *p == '%')
      return 1;
  return strstr(s, "≥") || strstr(s, "≤") || strstr(s, "＞") || strstr(s, "＜");
}

int repair_split_row(const ruleset *rs, trow *prev, const trow *r)
{
  if (!prev)
    return 0;
  /* The row that was split carries its amounts on the first page; a
  ** text-only row (an indicator row of 15) is followed by rows like it. */
  int numbers = 0;
  for (size_t c = 0; c < prev->n && !numbers; c++)
    numbers = prev->cells[c][0] && (cell_is_amount(rs, prev->cells[c]) ||
                                     cell_is_code(rs, prev->cells[c]));
  if (!numbers)
    return 0;
  size_t cells = 0;
  for (size_t c = 0; c < r->n; c++) {
    const char *tail = r->cells[c];
    if (!tail[0])
      continue;
    cells++;
    /* The head must be text that can go on: no amount, no code, no row
    ** label (本年收入合计 / 上年结转 are two rows). */
    if (c >= prev->n || !prev->cells[c][0] || !is_tail_text(rs, tail) ||
        value_like(tail) || !is_tail_text(rs, prev->cells[c]) ||
        count_chars(tail) > count_chars(prev->cells[c]))
      return 0;
  }
  if (!cells)
    return 0;
  for (size_t c = 0; c < r->n; c++)
    if (r->cells[c][0] && join_cell(prev, c, r->cells[c]) != 0)
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
  size_t hc = count_chars(head), tc = count_chars(tail);
  if (!*head || tc > TAIL_MAX_CHARS || 2 * tc > hc ||
      rules_any(rs, RULE_TOTAL, head, strlen(head)) ||
      cell_is_amount(rs, tail) || cell_is_code(rs, tail) ||
      cell_is_amount(rs, head) || cell_is_code(rs, head) ||
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
