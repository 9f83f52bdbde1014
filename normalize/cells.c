#include "cells.h"

#include <string.h>

/* U+3000 IDEOGRAPHIC SPACE, which converters leave in CJK layouts. */
static size_t ideo_space(const char *s, size_t n)
{
  return n >= 3 && (unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 &&
                 (unsigned char)s[2] == 0x80
             ? 3
             : 0;
}

static int ascii_space(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

void cells_trim(strbuf *b)
{
  if (!b->len)
    return;
  size_t s = 0, e = b->len;
  for (;;) {
    if (s < e && ascii_space(b->data[s]))
      s++;
    else if (ideo_space(b->data + s, e - s))
      s += 3;
    else
      break;
  }
  for (;;) {
    if (e > s && ascii_space(b->data[e - 1]))
      e--;
    else if (e - s >= 3 && ideo_space(b->data + e - 3, 3))
      e -= 3;
    else
      break;
  }
  if (s == 0 && e == b->len)
    return;
  memmove(b->data, b->data + s, e - s);
  b->len = e - s;
  b->data[b->len] = '\0';
}

int cells_clean(ruleset *rs, strbuf *b, int body)
{
  cells_trim(b);
  if (!b->len)
    return 0;
  if (rules_apply_all(rs, RULE_CELL, b) < 0)
    return -1;
  cells_trim(b);
  if (body && b->len && rules_apply_all(rs, RULE_NUMBER, b) < 0)
    return -1;
  return 0;
}

int cells_squeeze(const char *s, strbuf *out)
{
  strbuf_clear(out);
  return cells_squeeze_append(s, out);
}

int cells_squeeze_append(const char *s, strbuf *out)
{
  /* Bytes that may start white space: ASCII space characters, and 0xE3
  ** (U+3000 is E3 80 80); runs of any others are copied whole. */
  static const unsigned char may_space[256] = {
      ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
      [0xE3] = 1};
  const unsigned char *p = (const unsigned char *)s;
  size_t n = strlen(s), i = 0, run = 0;
  while (i < n) {
    if (!may_space[p[i]]) {
      i++;
      continue;
    }
    size_t k = p[i] == 0xE3 ? ideo_space(s + i, n - i) : 1;
    if (!k) {
      i++; /* another character led by E3: text */
      continue;
    }
    if (i > run && strbuf_append(out, s + run, i - run) != STRBUF_OK)
      return -1;
    i += k;
    run = i;
  }
  if (n > run && strbuf_append(out, s + run, n - run) != STRBUF_OK)
    return -1;
  if (!out->data && strbuf_append(out, "", 0) != STRBUF_OK)
    return -1;
  return 0;
}

int cell_is_amount(const ruleset *rs, const char *s)
{
  return *s && rules_any(rs, RULE_AMOUNT, s, strlen(s));
}

int cell_is_code(const ruleset *rs, const char *s)
{
  return *s && rules_any(rs, RULE_CODE, s, strlen(s));
}

int cell_is_number(const ruleset *rs, const char *s)
{
  if (!*s)
    return 0;
  size_t n = strlen(s);
  /* Text without a digit (or whatever else the rules wait for) is no
  ** number: one scan, no byte set. */
  if (rules_kinds_untouched(rs, RULE_AMOUNT, RULE_CODE, s, n))
    return 0;
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  return cell_is_number_bytes(rs, s, n, &sb);
}

int cell_is_number_bytes(const ruleset *rs, const char *s, size_t n,
                         subject_bytes *sb)
{
  return n && (rules_any_bytes(rs, RULE_AMOUNT, s, n, sb) ||
               rules_any_bytes(rs, RULE_CODE, s, n, sb));
}

/* Whether a trim would cut layout white space off either end of s. */
static int trimmable(const char *s, size_t n)
{
  return n && (ascii_space(s[0]) || ascii_space(s[n - 1]) ||
               ideo_space(s, n) || (n >= 3 && ideo_space(s + n - 3, 3)));
}

int cells_unchanged(const ruleset *rs, const char *s, size_t n, int cell_rules,
                    int number_rules)
{
  if (trimmable(s, n))
    return 0;
  /* Most cells hold no byte any rule of the kinds waits for. */
  if ((!cell_rules || !n || rules_kind_untouched(rs, RULE_CELL, s, n)) &&
      (!number_rules || !n || rules_kind_untouched(rs, RULE_NUMBER, s, n)))
    return 1;
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  return !(cell_rules && n && rules_may_any(rs, RULE_CELL, &sb)) &&
         !(number_rules && n && rules_may_any(rs, RULE_NUMBER, &sb));
}
