#include "cells.h"

#include <stdint.h>
#include <stdlib.h>
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

/* Bytes that may start white space: ASCII space characters, and 0xE3
** (U+3000 is E3 80 80). */
static const unsigned char may_space[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
    [0xE3] = 1};

size_t cells_squeezed_prefix(const char *s, const char *t)
{
  size_t n = strlen(s), i = 0, o = 0;
  while (i < n) {
    size_t k = !may_space[(unsigned char)s[i]] ? 0
               : (unsigned char)s[i] == 0xE3 ? ideo_space(s + i, n - i)
                                             : 1;
    if (k) {
      i += k;
      continue;
    }
    if (t[o] != s[i])
      return (size_t)-1;
    o++;
    i++;
  }
  return o;
}

int cells_squeeze_append(const char *s, strbuf *out)
{
  /* Runs of bytes that start no white space are copied whole. */
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

/* ---- the answers kept for recent texts ---------------------------------- */

/* Texts up to MEMO_TEXT_MAX bytes, at most MEMO_SLOTS / 2 of them and
** MEMO_ARENA bytes in all; when full, everything is dropped and kept anew.
** A slot is empty unless its generation is the memo's. */
#define MEMO_TEXT_MAX 64
#define MEMO_SLOTS 4096
#define MEMO_ARENA (128u * 1024u)
#define KNOWN_AMOUNT 1
#define IS_AMOUNT 2
#define KNOWN_CODE 4
#define IS_CODE 8
#define KNOWN_DATA 16
#define IS_DATA 32

typedef struct memo_slot {
  uint32_t gen, off;
  uint32_t hash;
  unsigned char len, facts;
} memo_slot;

struct cell_memo {
  uint32_t gen, used;
  size_t arena_len;
  memo_slot slot[MEMO_SLOTS];
  char arena[MEMO_ARENA];
};

void cells_forget(ruleset *rs)
{
  struct cell_memo *m = rs->memo;
  if (!m)
    return;
  if (++m->gen == 0) { /* wrapped: old generations could look current */
    memset(m->slot, 0, sizeof m->slot);
    m->gen = 1;
  }
  m->used = 0;
  m->arena_len = 0;
}

/* Eight bytes at a time (texts are short; equal texts are compared in
** full, so the hash only spreads them). */
static uint32_t text_hash(const char *s, size_t n)
{
  uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
  }
  uint64_t t = 0;
  memcpy(&t, s + i, n - i);
  h = (h ^ t) * 0xC4CEB9FE1A85EC53ull;
  return (uint32_t)(h ^ (h >> 29));
}

/* The slot holding s[0..n), or the empty one it goes in; NULL when the
** text is not kept (too long, or no memory for a memo). */
static memo_slot *memo_find(const ruleset *rs, const char *s, size_t n)
{
  if (n > MEMO_TEXT_MAX)
    return NULL;
  struct cell_memo *m = rs->memo;
  if (!m) {
    /* The memo is scratch state like the ruleset's match data: taking
    ** it on first use changes no answer. */
    m = calloc(1, sizeof *m);
    if (!m)
      return NULL;
    m->gen = 1;
    ((ruleset *)rs)->memo = m;
  }
  uint32_t h = text_hash(s, n);
  for (size_t i = h & (MEMO_SLOTS - 1);; i = (i + 1) & (MEMO_SLOTS - 1)) {
    memo_slot *sl = &m->slot[i];
    if (sl->gen != m->gen) {
      if (m->used >= MEMO_SLOTS / 2 || m->arena_len + n > MEMO_ARENA) {
        cells_forget((ruleset *)rs);
        return memo_find(rs, s, n);
      }
      memcpy(m->arena + m->arena_len, s, n);
      *sl = (memo_slot){m->gen, (uint32_t)m->arena_len, h, (unsigned char)n, 0};
      m->arena_len += n;
      m->used++;
      return sl;
    }
    if (sl->hash == h && sl->len == n && !memcmp(m->arena + sl->off, s, n))
      return sl;
  }
}

/* The facts bit saying kind k (RULE_AMOUNT, RULE_CODE or RULE_DATA) is
** known; the one after it says it matches. */
static unsigned char known_bit(rule_kind k)
{
  return k == RULE_AMOUNT ? KNOWN_AMOUNT : k == RULE_CODE ? KNOWN_CODE
                                                          : KNOWN_DATA;
}

/* Whether kind k matches s[0..n), kept in *facts (a memo slot's or a row
** cell's; NULL: not kept). */
static int kind_kept(const ruleset *rs, unsigned char *facts, rule_kind k,
                     const char *s, size_t n, subject_bytes *sb)
{
  unsigned char known = known_bit(k);
  unsigned char is = (unsigned char)(known << 1);
  if (facts && (*facts & known))
    return (*facts & is) != 0;
  int r;
  if (sb)
    r = rules_any_bytes(rs, k, s, n, sb);
  else
    r = rules_any(rs, k, s, n);
  if (facts)
    *facts |= (unsigned char)(known | (r ? is : 0));
  return r;
}

static unsigned char *slot_facts(memo_slot *sl)
{
  return sl ? &sl->facts : NULL;
}

/* The amount and code facts a row cell keeps (its data facts are not
** asked for by row). */
#define NUMBER_FACTS (KNOWN_AMOUNT | IS_AMOUNT | KNOWN_CODE | IS_CODE)

/* Kind k of non-empty s[0..n), not known in *facts: from the memo or the
** rules; the answer is put in *facts too. */
static int kind_of(const ruleset *rs, unsigned char *facts, rule_kind k,
                   const char *s, size_t n)
{
  unsigned char known = known_bit(k);
  memo_slot *sl = memo_find(rs, s, n);
  int r = kind_kept(rs, slot_facts(sl), k, s, n, NULL);
  *facts |= (unsigned char)(known | (r ? known << 1 : 0));
  return r;
}

/* What facts say of amount || code: 1, 0, or -1 when they do not tell. */
static int number_known(unsigned char facts)
{
  if (facts & (IS_AMOUNT | IS_CODE))
    return 1;
  if ((facts & (KNOWN_AMOUNT | KNOWN_CODE)) == (KNOWN_AMOUNT | KNOWN_CODE))
    return 0;
  return -1;
}

/* cell_is_number() of non-empty s[0..n), *facts read and added to as in
** kind_of(). */
static int number_of(const ruleset *rs, unsigned char *facts, const char *s,
                     size_t n)
{
  int known = number_known(*facts);
  if (known >= 0)
    return known;
  /* Text without a digit (or whatever else the rules wait for) is no
  ** number: one scan, no byte set. */
  if (rules_kinds_untouched(rs, RULE_AMOUNT, RULE_CODE, s, n)) {
    *facts |= KNOWN_AMOUNT | KNOWN_CODE;
    return 0;
  }
  memo_slot *sl = memo_find(rs, s, n);
  unsigned char local = 0, *f = sl ? &sl->facts : &local;
  *f |= (unsigned char)(*facts & NUMBER_FACTS); /* both are of s's text */
  int r = number_known(*f);
  if (r < 0) {
    subject_bytes sb;
    subject_bytes_of(s, n, &sb);
    r = kind_kept(rs, f, RULE_AMOUNT, s, n, &sb) ||
        kind_kept(rs, f, RULE_CODE, s, n, &sb);
  }
  *facts |= (unsigned char)(*f & NUMBER_FACTS);
  return r;
}

int cell_is_amount(const ruleset *rs, const char *s)
{
  if (!*s)
    return 0;
  unsigned char f = 0;
  return kind_of(rs, &f, RULE_AMOUNT, s, strlen(s));
}

int cell_is_code(const ruleset *rs, const char *s)
{
  if (!*s)
    return 0;
  unsigned char f = 0;
  return kind_of(rs, &f, RULE_CODE, s, strlen(s));
}

int cell_is_data(const ruleset *rs, const char *s)
{
  if (!*s)
    return 0;
  size_t n = strlen(s);
  /* Most cells hold no byte a data rule waits for: one scan, no memo. */
  if (rules_kind_untouched(rs, RULE_DATA, s, n))
    return 0;
  return kind_kept(rs, slot_facts(memo_find(rs, s, n)), RULE_DATA, s, n, NULL);
}

int cell_is_number(const ruleset *rs, const char *s)
{
  if (!*s)
    return 0;
  unsigned char f = 0;
  return number_of(rs, &f, s, strlen(s));
}

int cell_is_number_bytes(const ruleset *rs, const char *s, size_t n,
                         subject_bytes *sb)
{
  if (!n)
    return 0;
  unsigned char *f = slot_facts(memo_find(rs, s, n));
  return kind_kept(rs, f, RULE_AMOUNT, s, n, sb) ||
         kind_kept(rs, f, RULE_CODE, s, n, sb);
}

/* ---- the answers kept in a row's cells ---------------------------------- */

/* A row cell's facts byte holds what its own text is (table.h), so an
** answer there is never of another text. Known answers are read before
** the text is measured: that is most of what is saved. */

static int row_cell_kind(const ruleset *rs, const trow *r, size_t c,
                         rule_kind k)
{
  const char *s = r->cells[c];
  if (!*s)
    return 0; /* an empty cell's byte may be of the text cut away */
  unsigned char none = 0, *f = row_cell_facts(r, c), known = known_bit(k);
  if (f && (*f & known))
    return (*f & (known << 1)) != 0;
  return kind_of(rs, f ? f : &none, k, s, strlen(s));
}

int row_cell_is_amount(const ruleset *rs, const trow *r, size_t c)
{
  return row_cell_kind(rs, r, c, RULE_AMOUNT);
}

int row_cell_is_code(const ruleset *rs, const trow *r, size_t c)
{
  return row_cell_kind(rs, r, c, RULE_CODE);
}

int row_cell_is_number(const ruleset *rs, const trow *r, size_t c)
{
  const char *s = r->cells[c];
  if (!*s)
    return 0;
  unsigned char none = 0, *f = row_cell_facts(r, c);
  int known = f ? number_known(*f) : -1;
  if (known >= 0)
    return known;
  return number_of(rs, f ? f : &none, s, strlen(s));
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
  subject_bytes sb;
  int taken;
  return cells_unchanged_bytes(rs, s, n, cell_rules, number_rules, &sb,
                               &taken);
}

int cells_unchanged_bytes(const ruleset *rs, const char *s, size_t n,
                          int cell_rules, int number_rules, subject_bytes *sb,
                          int *taken)
{
  *taken = 0;
  if (trimmable(s, n))
    return 0;
  /* Most cells hold no byte any rule of the kinds waits for. */
  if ((!cell_rules || !n || rules_kind_untouched(rs, RULE_CELL, s, n)) &&
      (!number_rules || !n || rules_kind_untouched(rs, RULE_NUMBER, s, n)))
    return 1;
  subject_bytes_of(s, n, sb);
  *taken = 1;
  return !(cell_rules && n && rules_may_any(rs, RULE_CELL, sb)) &&
         !(number_rules && n && rules_may_any(rs, RULE_NUMBER, sb));
}

const char *cells_past_spaces(const char *s)
{
  while (*s == ' ')
    s++;
  return s;
}

int cells_clean_text(ruleset *rs, const char *s, strbuf *out)
{
  if (!*s)
    return 0;
  size_t len = strlen(s);
  /* The bytes taken to tell are those of the copy cleaned below. */
  subject_bytes sb;
  int taken;
  if (cells_unchanged_bytes(rs, s, len, 1, 0, &sb, &taken))
    return 0;
  strbuf_clear(out);
  if (strbuf_append(out, s, len) != STRBUF_OK ||
      cells_clean_bytes(rs, out, taken ? &sb : NULL) < 0)
    return -1;
  return out->len != len || memcmp(out->data ? out->data : "", s, len) != 0;
}

int cells_clean_bytes(ruleset *rs, strbuf *b, subject_bytes *sb)
{
  if (!sb)
    return cells_clean(rs, b, 0);
  /* Nothing to trim first (the caller says so), and sb is of b. */
  if (!b->len)
    return 0;
  if (rules_apply_all_over(rs, RULE_CELL, b, sb) < 0)
    return -1;
  cells_trim(b);
  return 0;
}
