#include "utf8.h"

#include <string.h>

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
  const unsigned char *s = (const unsigned char *)str;
  unsigned char c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2; v = c & 0x1F; min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3; v = c & 0x0F; min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4; v = c & 0x07; min = 0x10000;
  } else {
    *cp = 0xFFFD;
    return 1;
  }
  if (len > n) {
    *cp = 0xFFFD;
    return 1;
  }
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = 0xFFFD;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    *cp = 0xFFFD;
    return 1;
  }
  *cp = v;
  return len;
}

/* A valid three-byte sequence at s[i] led by E1-EC or EE-EF (where no
** overlong form and no surrogate is possible). */
static inline int plain_cjk_at(const char *s, size_t i, size_t n)
{
  if (i + 2 >= n)
    return 0;
  unsigned char l = (unsigned char)s[i];
  return l >= 0xE1 && l != 0xED && l <= 0xEF &&
         ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
         ((unsigned char)s[i + 2] & 0xC0) == 0x80;
}

int utf8_valid(const char *s, size_t n, size_t *bad_at)
{
  size_t i = 0;
  while (i < n) {
    /* Eight ASCII bytes, none NUL, at a time. */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if ((w & 0x8080808080808080ull) ||
          ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull))
        break;
      i += 8;
    }
    if (i >= n)
      break;
    unsigned char c = (unsigned char)s[i];
    if (c == 0)
      goto bad;
    if (c < 0x80) {
      i++;
      continue;
    }
    /* The common case of CJK text, inline and in a run (a CJK character
    ** is mostly followed by another). */
    if (plain_cjk_at(s, i, n)) {
      do
        i += 3;
      while (plain_cjk_at(s, i, n));
      continue;
    }
    uint32_t cp;
    size_t len = utf8_decode(s + i, n - i, &cp);
    /* A real U+FFFD is three bytes long; one byte means a bad sequence. */
    if (cp == 0xFFFD && len == 1)
      goto bad;
    i += len;
  }
  return 1;
bad:
  if (bad_at)
    *bad_at = i;
  return 0;
}

size_t utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;
  if (cp < 0x80) {
    o[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (unsigned char)(0xC0 | (cp >> 6));
    o[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (cp >> 12));
    o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (cp >> 18));
  o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

int utf8_is_cjk(uint32_t cp)
{
  return (cp >= 0x2E80 && cp <= 0x9FFF) ||  /* radicals .. unified */
         (cp >= 0xF900 && cp <= 0xFAFF) ||  /* compatibility ideographs */
         (cp >= 0xFE30 && cp <= 0xFE4F) ||  /* CJK compatibility forms */
         (cp >= 0xFF00 && cp <= 0xFFEF) ||  /* full-width forms */
         (cp >= 0x20000 && cp <= 0x2FA1F) ||
         cp == 0x201C || cp == 0x201D;      /* “ ” used around 三公 */
}

size_t utf8_chars(const char *s)
{
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}
