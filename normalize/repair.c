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
