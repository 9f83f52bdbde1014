#define PCRE2_CODE_UNIT_WIDTH 8
#include "charreq.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a class holds, asked of PCRE2 --------------------------------- */

typedef struct class_entry {
  char *text;
  char_set set;
} class_entry;

struct charreq_cache {
  unsigned char *bmp;       /* U+0000..U+FFFF but surrogates, in UTF-8 */
  size_t bmp_len;
  size_t lead_end[256];     /* offset just past the chars of each lead byte */
  class_entry *classes;
  size_t nclasses, capclasses;
};

static int keep_class(charreq_cache *c, char *text, const char_set *set);

void charreq_versions(char *buf, size_t size)
{
  char v[64] = "", u[64] = "";
  pcre2_config(PCRE2_CONFIG_VERSION, v);
  pcre2_config(PCRE2_CONFIG_UNICODE_VERSION, u);
  snprintf(buf, size, "PCRE2 %s / Unicode %s", v, u);
}

charreq_cache *charreq_cache_new(int use_seeds)
{
  charreq_cache *c = calloc(1, sizeof(charreq_cache));
  if (!c || !use_seeds || !charreq_nseeds)
    return c;
  char now[160];
  charreq_versions(now, sizeof now);
  if (strcmp(now, charreq_seeds_versions) != 0)
    return c;
  for (size_t i = 0; i < charreq_nseeds; i++) {
    const charreq_seed *s = &charreq_seeds[i];
    char *t = strdup(s->text);
    if (!t || keep_class(c, t, &s->set) != 0) {
      free(t);
      charreq_cache_free(c);
      return NULL;
    }
  }
  return c;
}

size_t charreq_cache_size(const charreq_cache *c) { return c->nclasses; }

void charreq_cache_free(charreq_cache *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->nclasses; i++)
    free(c->classes[i].text);
  free(c->classes);
  free(c->bmp);
  free(c);
}

static int build_bmp(charreq_cache *c)
{
  if (c->bmp)
    return 0;
  c->bmp = malloc(3 * 0x10000);
  if (!c->bmp)
    return -1;
  size_t o = 0;
  for (uint32_t cp = 0; cp < 0x10000; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF)
      continue;
    unsigned char *q = c->bmp + o;
    if (cp < 0x80) {
      q[0] = (unsigned char)cp;
      o += 1;
    } else if (cp < 0x800) {
      q[0] = (unsigned char)(0xC0 | (cp >> 6));
      q[1] = (unsigned char)(0x80 | (cp & 0x3F));
      o += 2;
    } else {
      q[0] = (unsigned char)(0xE0 | (cp >> 12));
      q[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
      q[2] = (unsigned char)(0x80 | (cp & 0x3F));
      o += 3;
    }
    c->lead_end[q[0]] = o;
  }
  c->bmp_len = o;
  return 0;
}

unsigned charreq_char_hash(const unsigned char *u, size_t len)
{
  uint32_t v = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 |
               (len > 2 ? u[2] : 0u);
  return (v * 0x9E3779B1u) >> (32 - 9); /* 512 bits */
}

static void set_ascii(char_set *s, unsigned b)
{
  s->ascii[b >> 6] |= (uint64_t)1 << (b & 63);
}

static void set_lead(char_set *s, unsigned b)
{
  s->lead |= (uint64_t)1 << (b - 0xC0);
}

static int has_lead(const char_set *s, unsigned b)
{
  return (s->lead >> (b - 0xC0)) & 1;
}

/* Past CHARSET_MAX_EXACT listed members, all go by lead byte. */
static void exact_to_lead(char_set *s)
{
  for (unsigned i = 0; i < s->nexact; i++)
    set_lead(s, s->exact[i][0]);
  s->nexact = 0;
  memset(s->exact_bloom, 0, sizeof s->exact_bloom);
  s->exact_leads = s->exact_lasts = 0;
}

static void add_char(char_set *s, const unsigned char *u, size_t len)
{
  if (u[0] < 0x80) {
    set_ascii(s, u[0]);
    return;
  }
  if (has_lead(s, u[0]))
    return;
  for (unsigned i = 0; i < s->nexact; i++)
    if (s->exact_len[i] == len && !memcmp(s->exact[i], u, len))
      return;
  if (s->nexact == CHARSET_MAX_EXACT) {
    exact_to_lead(s);
    set_lead(s, u[0]);
    return;
  }
  memcpy(s->exact[s->nexact], u, len);
  s->exact_len[s->nexact++] = (unsigned char)len;
  unsigned h = charreq_char_hash(u, len);
  s->exact_bloom[h >> 6] |= (uint64_t)1 << (h & 63);
  s->exact_leads |= (uint64_t)1 << (u[0] & 63);
  s->exact_lasts |= (uint64_t)1 << (u[len - 1] & 63);
}

static size_t utf8_len(unsigned char b)
{
  return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 0;
}

/* The lead bytes whose characters are read one by one: those of budget
** text (Latin-1, punctuation, CJK, full-width forms). Any other lead stands
** for all its characters (a superset, so never a wrong answer): PCRE2
** tests a character of a UCP class in tens of instructions, and the
** other blocks are half of the plane, read on every run. */
static int lead_read_exactly(unsigned b)
{
  return b < 0xC0 || b == 0xC2 || b == 0xC3 || (b >= 0xE2 && b <= 0xE9) ||
         b == 0xEF;
}

/* Every BMP character `text` (one class or escape) matches, by running it
** over them (lead_read_exactly()); characters beyond the BMP are assumed
** possible. Returns 0, or -1 when PCRE2 does not take it as one character
** at a time. */
static int enumerate(charreq_cache *c, const char *text, char_set *out)
{
  memset(out, 0, sizeof *out);
  if (build_bmp(c) != 0)
    return -1;
  int ec;
  PCRE2_SIZE eoff;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &ec, &eoff, NULL);
  if (!code)
    return -1;
  const char *no_jit = getenv("BUDGET_NO_JIT");
  if (!no_jit || !*no_jit)
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  pcre2_match_data *md = pcre2_match_data_create(1, NULL);
  int rc = md ? 0 : -1;
  size_t off = 0;
  while (!rc && off < c->bmp_len) {
    unsigned lead = c->bmp[off];
    if (!lead_read_exactly(lead)) {
      set_lead(out, lead);
      off = c->lead_end[lead];
      continue;
    }
    /* PCRE2 searches only the run of such leads `off` is in. */
    size_t end = off;
    while (end < c->bmp_len && lead_read_exactly(c->bmp[end]))
      end = c->bmp[end] < 0x80 ? c->lead_end[0x7F] : c->lead_end[c->bmp[end]];
    int m = pcre2_match(code, c->bmp, end, off, PCRE2_NO_UTF_CHECK, md, NULL);
    if (m == PCRE2_ERROR_NOMATCH) {
      off = end;
      continue;
    }
    if (m < 0) {
      rc = -1;
      break;
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    size_t a = ov[0], len = utf8_len(c->bmp[a]);
    if (ov[1] != a + len) {
      rc = -1; /* not exactly one character: not a class */
      break;
    }
    add_char(out, c->bmp + a, len);
    /* A lead byte standing for members needs no more of its characters. */
    off = a >= 0x80 && c->bmp[a] >= 0xC0 && has_lead(out, c->bmp[a])
              ? c->lead_end[c->bmp[a]]
              : a + len;
  }
  pcre2_match_data_free(md);
  pcre2_code_free(code);
  for (unsigned b = 0xF0; b <= 0xF4; b++)
    set_lead(out, b);
  return rc;
}

static int class_set(charreq_cache *c, const char *text, size_t n,
                     char_set *out);

static void merge(char_set *into, const char_set *s)
{
  into->ascii[0] |= s->ascii[0];
  into->ascii[1] |= s->ascii[1];
  into->lead |= s->lead;
  for (unsigned i = 0; i < s->nexact; i++)
    add_char(into, s->exact[i], s->exact_len[i]);
}


/* Any character at all (., a negated class or escape): every subject
** with a character meets it. */
static void set_everything(char_set *s)
{
  memset(s, 0, sizeof *s);
  s->ascii[0] = s->ascii[1] = ~(uint64_t)0;
  for (unsigned b = 0xC0; b <= 0xFF; b++)
    set_lead(s, b);
}

static size_t encode(uint32_t cp, unsigned char *q)
{
  if (cp < 0x80) {
    q[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    q[0] = (unsigned char)(0xC0 | (cp >> 6));
    q[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    q[0] = (unsigned char)(0xE0 | (cp >> 12));
    q[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    q[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  q[0] = (unsigned char)(0xF0 | (cp >> 18));
  q[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  q[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  q[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Code points lo..hi: one by one when few, else by their lead bytes (which
** grow with the code point, so every one between the ends'). */
static void add_range(char_set *s, uint32_t lo, uint32_t hi)
{
  unsigned char q[4];
  for (uint32_t cp = lo; cp <= hi && cp < 0x80; cp++)
    set_ascii(s, cp);
  if (hi < 0x80)
    return;
  if (lo < 0x80)
    lo = 0x80;
  if (hi - lo < 64) {
    for (uint32_t cp = lo; cp <= hi; cp++)
      if (cp < 0xD800 || cp > 0xDFFF)
        add_char(s, q, encode(cp, q));
    return;
  }
  encode(lo, q);
  unsigned first = q[0];
  encode(hi, q);
  for (unsigned b = first; b <= q[0]; b++)
    set_lead(s, b);
}

/* One character of a class or escape at t[*i] ('\' escapes, UTF-8):
** its code point, or -1 when it is not a single character written out. */
static long class_char(const char *t, size_t n, size_t *i)
{
  const unsigned char *u = (const unsigned char *)t;
  size_t j = *i;
  if (u[j] != '\\') {
    size_t l = utf8_len(u[j]);
    if (!l || j + l > n)
      return -1;
    uint32_t cp = l == 1 ? u[j] : (uint32_t)(u[j] & (0xFF >> (l + 1)));
    for (size_t k = 1; k < l; k++)
      cp = cp << 6 | (u[j + k] & 0x3F);
    *i = j + l;
    return (long)cp;
  }
  if (j + 1 >= n)
    return -1;
  unsigned char e = u[j + 1];
  static const char simple[] = "tnrfea";
  static const unsigned char value[] = {9, 10, 13, 12, 27, 7};
  const char *sp = e ? strchr(simple, e) : NULL;
  if (sp) {
    *i = j + 2;
    return value[sp - simple];
  }
  if (e == 'x') {
    size_t k = j + 2, end;
    if (k < n && t[k] == '{') {
      const char *close = memchr(t + k, '}', n - k);
      if (!close)
        return -1;
      end = (size_t)(close - t);
      k++;
    } else {
      end = k;
      while (end < n && end < j + 4 && strchr("0123456789abcdefABCDEF", t[end]) && t[end])
        end++;
    }
    if (k == end || end - k > 6)
      return -1;
    long v = 0;
    for (size_t m = k; m < end; m++) {
      char h = t[m];
      int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
              : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
    *i = end < n && t[end] == '}' ? end + 1 : end;
    return v <= 0x10FFFF ? v : -1;
  }
  if (e < 0x80 && e && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ", e)) {
    *i = j + 2;
    return e;
  }
  return -1;
}

/* The members of a class text written out ([...] of characters, ranges
** and escapes): 1 when read, 0 when PCRE2 must be asked instead. */
static int read_class(charreq_cache *c, const char *t, size_t n, char_set *out)
{
  memset(out, 0, sizeof *out);
  if (n < 3 || t[0] != '[' || t[n - 1] != ']')
    return 0;
  if (t[1] == '^') {
    set_everything(out);
    return 1;
  }
  size_t i = 1, end = n - 1;
  while (i < end) {
    if (t[i] == '[')
      return 0; /* POSIX classes */
    if (t[i] == '\\' && i + 1 < end && strchr("dswhvpDSWHVPN", t[i + 1]) && t[i + 1]) {
      char e = t[i + 1];
      size_t k = i + 2;
      if ((e == 'p' || e == 'P') && k < end && t[k] == '{') {
        const char *close = memchr(t + k, '}', end - k);
        if (!close)
          return 0;
        k = (size_t)(close - t) + 1;
      } else if (e == 'p' || e == 'P') {
        k++;
      }
      char_set sub;
      if (class_set(c, t + i, k - i, &sub) != 0)
        return -1;
      merge(out, &sub);
      i = k;
      continue;
    }
    long lo = class_char(t, end, &i);
    if (lo < 0)
      return 0;
    long hi = lo;
    if (i + 1 < end && t[i] == '-') {
      size_t k = i + 1;
      hi = class_char(t, end, &k);
      if (hi < lo)
        return 0;
      i = k;
    }
    add_range(out, (uint32_t)lo, (uint32_t)hi);
  }
  if (out->lead >> (0xF0 - 0xC0))
    for (unsigned b = 0xF0; b <= 0xF4; b++)
      set_lead(out, b);
  return 1;
}

/* What one class, escape or '.' holds: read from its text when written
** out, else asked of PCRE2. */
static int read_set(charreq_cache *c, const char *t, size_t n, char_set *out)
{
  memset(out, 0, sizeof *out);
  if (n == 1 && t[0] == '.') {
    set_everything(out);
    return 0;
  }
  if (n == 2 && t[0] == '\\' && strchr("SDWHVN", t[1]) && t[1]) {
    set_everything(out);
    return 0;
  }
  if (n >= 2 && t[0] == '\\' && t[1] == 'P') {
    set_everything(out);
    return 0;
  }
  if (t[0] == '[') {
    int rc = read_class(c, t, n, out);
    if (rc != 0)
      return rc < 0 ? -1 : 0;
  } else if (t[0] == '\\' && n >= 2 && !strchr("dswhvp", t[1])) {
    size_t i = 0;
    long cp = class_char(t, n, &i);
    if (cp >= 0 && i == n) {
      unsigned char q[4];
      add_char(out, q, encode((uint32_t)cp, q));
      return 0;
    }
  }
  return enumerate(c, t, out);
}

static int class_set(charreq_cache *c, const char *text, size_t n,
                     char_set *out)
{
  for (size_t i = 0; i < c->nclasses; i++)
    if (strlen(c->classes[i].text) == n && !memcmp(c->classes[i].text, text, n)) {
      *out = c->classes[i].set;
      return 0;
    }
  char *t = malloc(n + 1);
  if (!t)
    return -1;
  memcpy(t, text, n);
  t[n] = '\0';
  if (read_set(c, t, n, out) != 0) {
    free(t);
    return -1;
  }
  /* Without memory to keep it, the answer stands all the same. */
  if (keep_class(c, t, out) != 0)
    free(t);
  return 0;
}

/* Keeps malloc'd text (now the cache's) with its set: 0, or -1 on OOM
** (text is still the caller's then). */
static int keep_class(charreq_cache *c, char *text, const char_set *set)
{
  if (c->nclasses == c->capclasses) {
    size_t cap = c->capclasses ? c->capclasses * 2 : 32;
    class_entry *v = realloc(c->classes, cap * sizeof *v);
    if (!v)
      return -1;
    c->classes = v;
    c->capclasses = cap;
  }
  c->classes[c->nclasses++] = (class_entry){text, *set};
  return 0;
}

int charreq_class(charreq_cache *c, const char *text, char_set *out)
{
  return class_set(c, text, strlen(text), out);
}

/* ---- the pattern -------------------------------------------------------- */

/* Sets that must all be met (each by one of its characters). */
typedef struct reqlist {
  char_set *v;
  size_t n, cap;
} reqlist;

static void req_free(reqlist *l)
{
  free(l->v);
  memset(l, 0, sizeof *l);
}

static int req_add(reqlist *l, const char_set *s)
{
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 8;
    char_set *v = realloc(l->v, cap * sizeof *v);
    if (!v)
      return -1;
    l->v = v;
    l->cap = cap;
  }
  l->v[l->n++] = *s;
  return 0;
}

/* Lower is sharper: how much of ordinary text the set lets through. */
static unsigned score(const char_set *s)
{
  return 8u * (unsigned)(__builtin_popcountll(s->ascii[0]) +
                         __builtin_popcountll(s->ascii[1])) +
         2u * s->nexact + 200u * (unsigned)__builtin_popcountll(s->lead);
}

static const char_set *sharpest(const reqlist *l)
{
  const char_set *best = NULL;
  for (size_t i = 0; i < l->n; i++)
    if (!best || score(&l->v[i]) < score(best))
      best = &l->v[i];
  return best;
}

typedef struct parser {
  const char *p;
  size_t n, i;
  charreq_cache *c;
} parser;

enum { A_ZERO, A_SET, A_GROUP, A_LOOK };

static int parse_alt(parser *ps, reqlist *out);

/* Index just past the '}' closing a brace at p[j], or 0. */
static size_t past_brace(const parser *ps, size_t j)
{
  const char *e = memchr(ps->p + j, '}', ps->n - j);
  return e ? (size_t)(e - ps->p) + 1 : 0;
}

/* A class [...] from ps->i; its end, or 0 when not understood. */
static size_t class_end(const parser *ps)
{
  size_t j = ps->i + 1, n = ps->n;
  const char *p = ps->p;
  if (j < n && p[j] == '^')
    j++;
  if (j < n && p[j] == ']')
    j++;
  while (j < n) {
    if (p[j] == '\\') {
      if (j + 1 >= n || p[j + 1] == 'Q' || p[j + 1] == 'E')
        return 0;
      char e = p[j + 1];
      if ((e == 'x' || e == 'p' || e == 'P' || e == 'N' || e == 'o') &&
          j + 2 < n && p[j + 2] == '{') {
        j = past_brace(ps, j + 2);
        if (!j)
          return 0;
      } else {
        size_t l = utf8_len((unsigned char)e);
        if (!l)
          return 0;
        j += 1 + l;
      }
    } else if (p[j] == '[' && j + 1 < n &&
               (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
      if (p[j + 1] != ':')
        return 0;
      const char *e = NULL;
      for (size_t k = j + 2; k + 1 < n; k++)
        if (p[k] == ':' && p[k + 1] == ']') {
          e = p + k;
          break;
        }
      if (!e)
        return 0;
      j = (size_t)(e - p) + 2;
    } else if (p[j] == ']') {
      return j + 1;
    } else {
      j++;
    }
  }
  return 0;
}

/* The group opening at p[i] ('('): where its body starts, *look set for
** a lookaround; 0 for what this reader does not take (options, comments,
** conditionals, recursion, verbs). Capturing and named groups are plain
** groups here. */
static size_t group_body(const char *p, size_t n, size_t i, int *look)
{
  *look = 0;
  i++;
  if (i < n && p[i] == '*')
    return 0;
  if (i >= n || p[i] != '?')
    return i;
  if (++i >= n)
    return 0;
  if (p[i] == ':' || p[i] == '>' || p[i] == '|')
    return i + 1;
  if (p[i] == '=' || p[i] == '!') {
    *look = 1;
    return i + 1;
  }
  if (p[i] == '<' && i + 1 < n && (p[i + 1] == '=' || p[i + 1] == '!')) {
    *look = 1;
    return i + 2;
  }
  if (p[i] == '<' || p[i] == '\'' ||
      (p[i] == 'P' && i + 1 < n && p[i + 1] == '<')) {
    char close = p[i] == '\'' ? '\'' : '>';
    const char *e = memchr(p + i + 1, close, n - i - 1);
    return e ? (size_t)(e - p) + 1 : 0;
  }
  return 0;
}

/* One atom at ps->i: its kind, and its set or its group's sets. */
static int parse_atom(parser *ps, int *kind, char_set *set, reqlist *group)
{
  const char *p = ps->p;
  size_t n = ps->n, i = ps->i;
  unsigned char ch = (unsigned char)p[i];
  switch (ch) {
  case '^':
  case '$':
    ps->i++;
    *kind = A_ZERO;
    return 0;
  case '.':
    ps->i++;
    *kind = A_SET;
    return class_set(ps->c, ".", 1, set);
  case '[': {
    size_t e = class_end(ps);
    if (!e)
      return -1;
    ps->i = e;
    *kind = A_SET;
    return class_set(ps->c, p + i, e - i, set);
  }
  case '(': {
    int look;
    if (!(i = group_body(p, n, i, &look)))
      return -1;
    *kind = look ? A_LOOK : A_GROUP;
    ps->i = i;
    if (parse_alt(ps, group) != 0)
      return -1;
    if (ps->i >= n || p[ps->i] != ')')
      return -1;
    ps->i++;
    return 0;
  }
  case '\\': {
    if (i + 1 >= n)
      return -1;
    char e = p[i + 1];
    size_t end = i + 2;
    *kind = A_SET;
    if (strchr("dDsSwWhHvVtnrfea", e) && e) {
      if (e == 'N' && end < n && p[end] == '{')
        return -1;
    } else if (e == 'N') {
      if (end < n && p[end] == '{')
        return -1;
    } else if (e == 'p' || e == 'P' || e == 'x') {
      if (end < n && p[end] == '{') {
        end = past_brace(ps, end);
        if (!end)
          return -1;
      } else if (e == 'x') {
        while (end < n && end < i + 4 && strchr("0123456789abcdefABCDEF", p[end]) && p[end])
          end++;
      } else if (end < n && (unsigned char)p[end] < 0x80) {
        end++;
      } else {
        return -1;
      }
    } else if (e && strchr("bBAzZGK", e)) {
      ps->i = end;
      *kind = A_ZERO;
      return 0;
    } else if ((unsigned char)e < 0x80 && e && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", e)) {
      memset(set, 0, sizeof *set);
      set_ascii(set, (unsigned char)e);
      ps->i = end;
      return 0;
    } else {
      return -1; /* back-references, \Q, \c, octal, ... */
    }
    ps->i = end;
    return class_set(ps->c, p + i, end - i, set);
  }
  case '?':
  case '*':
  case '+':
  case '{':
  case '|':
  case ')':
    return -1;
  default: {
    size_t l = utf8_len(ch);
    if (!l || i + l > n)
      return -1;
    memset(set, 0, sizeof *set);
    add_char(set, (const unsigned char *)p + i, l);
    ps->i = i + l;
    *kind = A_SET;
    return 0;
  }
  }
}

/* A quantifier at ps->i, if any: *min gets its minimum (1 without one).
** -1 when a brace is not a plain {n}, {n,} or {n,m}. */
static int parse_quant(parser *ps, unsigned long *min, int *any)
{
  const char *p = ps->p;
  size_t n = ps->n, i = ps->i;
  *min = 1;
  *any = 0;
  if (i >= n)
    return 0;
  if (p[i] == '?' || p[i] == '*') {
    *min = 0;
    i++;
  } else if (p[i] == '+') {
    i++;
  } else if (p[i] == '{') {
    size_t j = i + 1;
    unsigned long v = 0;
    if (j >= n || p[j] < '0' || p[j] > '9')
      return -1;
    while (j < n && p[j] >= '0' && p[j] <= '9')
      v = v * 10 + (unsigned long)(p[j++] - '0');
    if (j < n && p[j] == ',') {
      j++;
      while (j < n && p[j] >= '0' && p[j] <= '9')
        j++;
    }
    if (j >= n || p[j] != '}')
      return -1;
    *min = v;
    i = j + 1;
  } else {
    return 0;
  }
  *any = 1;
  if (i < n && (p[i] == '?' || p[i] == '+'))
    i++;
  ps->i = i;
  return 0;
}

static int parse_seq(parser *ps, reqlist *out)
{
  while (ps->i < ps->n && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
    int kind = A_ZERO, any = 0;
    char_set set;
    reqlist group = {0};
    unsigned long min = 1;
    if (parse_atom(ps, &kind, &set, &group) != 0 ||
        parse_quant(ps, &min, &any) != 0 ||
        ((kind == A_ZERO || kind == A_LOOK) && any)) {
      req_free(&group);
      return -1;
    }
    int rc = 0;
    if (min >= 1 && kind == A_SET)
      rc = req_add(out, &set);
    else if (min >= 1 && kind == A_GROUP)
      for (size_t k = 0; k < group.n && !rc; k++)
        rc = req_add(out, &group.v[k]);
    req_free(&group);
    if (rc)
      return -1;
  }
  return 0;
}

/* Branches up to ')' or the end: one branch's sets as they are; of
** several, the union of each one's sharpest set (none if one has none). */
static int parse_alt(parser *ps, reqlist *out)
{
  reqlist br = {0};
  if (parse_seq(ps, &br) != 0) {
    req_free(&br);
    return -1;
  }
  if (ps->i >= ps->n || ps->p[ps->i] != '|') {
    *out = br;
    return 0;
  }
  char_set u;
  int none = br.n == 0;
  if (!none)
    u = *sharpest(&br);
  req_free(&br);
  while (ps->i < ps->n && ps->p[ps->i] == '|') {
    ps->i++;
    if (parse_seq(ps, &br) != 0) {
      req_free(&br);
      return -1;
    }
    if (!br.n)
      none = 1;
    else if (!none)
      merge(&u, sharpest(&br));
    req_free(&br);
  }
  if (!none && req_add(out, &u) != 0)
    return -1;
  return 0;
}

int charreq_learn(charreq_cache *c, const char *pattern, size_t len,
                  char_req *out)
{
  memset(out, 0, sizeof *out);
  parser ps = {pattern, len, 0, c};
  reqlist all = {0};
  if (parse_alt(&ps, &all) != 0 || ps.i != len) {
    req_free(&all);
    return 0; /* not understood: no sets, PCRE2 decides every time */
  }
  /* The sharpest CHARREQ_MAX, each taken once. */
  while (out->n < CHARREQ_MAX && all.n) {
    size_t best = 0;
    for (size_t i = 1; i < all.n; i++)
      if (score(&all.v[i]) < score(&all.v[best]))
        best = i;
    out->sets[out->n++] = all.v[best];
    all.v[best] = all.v[--all.n];
  }
  req_free(&all);
  return 0;
}

/* ---- the characters a match starts with ---------------------------------- */

static int first_alt(parser *ps, char_set *first, int *nullable);

/* A lookaround at ps->i: consumes nothing where it stands. */
static int at_lookaround(const parser *ps)
{
  const char *p = ps->p;
  size_t n = ps->n, i = ps->i;
  return i + 2 < n && p[i] == '(' && p[i + 1] == '?' &&
         (p[i + 2] == '=' || p[i + 2] == '!' ||
          (p[i + 2] == '<' && i + 3 < n && (p[i + 3] == '=' || p[i + 3] == '!')));
}

/* A group that consumes text, at ps->i ('('): what its matches start with.
** The same group forms as parse_atom(); -1 for any other. */
static int first_group(parser *ps, char_set *first, int *nullable)
{
  const char *p = ps->p;
  size_t n = ps->n;
  int look;
  size_t i = group_body(p, n, ps->i, &look);
  if (!i || look) /* a lookaround is the caller's (at_lookaround) */
    return -1;
  ps->i = i;
  if (first_alt(ps, first, nullable) != 0 || ps->i >= n || p[ps->i] != ')')
    return -1;
  ps->i++;
  return 0;
}

/* One branch: the union of its atoms' first characters up to the first
** atom that must consume one; nullable when none must. */
static int first_seq(parser *ps, char_set *first, int *nullable)
{
  memset(first, 0, sizeof *first);
  *nullable = 1;
  while (ps->i < ps->n && ps->p[ps->i] != '|' && ps->p[ps->i] != ')') {
    if (ps->i + 1 < ps->n && ps->p[ps->i] == '\\' && ps->p[ps->i + 1] == 'G')
      return -1;
    int kind = A_ZERO, any = 0, atom_nullable = 0;
    unsigned long min = 1;
    char_set set;
    memset(&set, 0, sizeof set);
    if (ps->p[ps->i] == '(' && !at_lookaround(ps)) {
      kind = A_GROUP;
      if (first_group(ps, &set, &atom_nullable) != 0)
        return -1;
    } else {
      reqlist group = {0};
      int rc = parse_atom(ps, &kind, &set, &group);
      req_free(&group);
      if (rc != 0)
        return -1;
    }
    if (parse_quant(ps, &min, &any) != 0 ||
        ((kind == A_ZERO || kind == A_LOOK) && any))
      return -1;
    if (kind == A_ZERO || kind == A_LOOK || !*nullable)
      continue;
    merge(first, &set);
    if (min >= 1 && !atom_nullable)
      *nullable = 0;
  }
  return 0;
}

static int first_alt(parser *ps, char_set *first, int *nullable)
{
  if (first_seq(ps, first, nullable) != 0)
    return -1;
  while (ps->i < ps->n && ps->p[ps->i] == '|') {
    ps->i++;
    char_set br;
    int br_nullable;
    if (first_seq(ps, &br, &br_nullable) != 0)
      return -1;
    merge(first, &br);
    *nullable |= br_nullable;
  }
  return 0;
}

int charreq_first(charreq_cache *c, const char *pattern, size_t len,
                  char_set *first)
{
  memset(first, 0, sizeof *first);
  parser ps = {pattern, len, 0, c};
  int nullable = 1;
  if (first_alt(&ps, first, &nullable) != 0 || ps.i != len || nullable) {
    memset(first, 0, sizeof *first);
    return 0;
  }
  return 1;
}

/* The code points a lead byte stands for (valid UTF-8 only): 0 for none. */
static int lead_range(unsigned b, uint32_t *lo, uint32_t *hi)
{
  if (b >= 0xC2 && b <= 0xDF) {
    *lo = (uint32_t)(b & 0x1F) << 6;
    *hi = *lo + 0x3F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    *lo = (uint32_t)(b & 0x0F) << 12;
    *hi = *lo + 0xFFF;
    if (b == 0xE0)
      *lo = 0x800;
    if (b == 0xED)
      *hi = 0xD7FF; /* not the surrogates */
  } else if (b >= 0xF0 && b <= 0xF4) {
    *lo = (uint32_t)(b & 0x07) << 18;
    *hi = *lo + 0x3FFFF;
    if (b == 0xF0)
      *lo = 0x10000;
    if (b == 0xF4)
      *hi = 0x10FFFF;
  } else {
    return 0;
  }
  return 1;
}

int charreq_class_text(const char_set *first, char *buf, size_t size)
{
  size_t o = 0;
  int members = 0;
#define PUT(...)                                                    \
  do {                                                              \
    int w = snprintf(buf + o, o < size ? size - o : 0, __VA_ARGS__); \
    if (w < 0 || (size_t)w >= size - o)                             \
      return 0;                                                     \
    o += (size_t)w;                                                 \
  } while (0)
  if (!size)
    return 0;
  PUT("[");
  for (unsigned b = 0; b < 128; b++)
    if ((first->ascii[b >> 6] >> (b & 63)) & 1) {
      PUT("\\x{%X}", b);
      members = 1;
    }
  for (unsigned i = 0; i < first->nexact; i++) {
    const unsigned char *u = first->exact[i];
    size_t l = first->exact_len[i];
    uint32_t cp = l == 1 ? u[0] : (uint32_t)(u[0] & (0xFF >> (l + 1)));
    for (size_t k = 1; k < l; k++)
      cp = cp << 6 | (u[k] & 0x3F);
    PUT("\\x{%X}", (unsigned)cp);
    members = 1;
  }
  for (unsigned b = 0xC0; b <= 0xFF; b++) {
    uint32_t lo, hi;
    if (((first->lead >> (b - 0xC0)) & 1) && lead_range(b, &lo, &hi)) {
      PUT("\\x{%X}-\\x{%X}", (unsigned)lo, (unsigned)hi);
      members = 1;
    }
  }
  PUT("]");
#undef PUT
  return members;
}

/* A lead byte at p[i]: its character into the filter. 0 when the text
** ends inside it (no whole character of a set can be there). */
static int bloom_char(const unsigned char *p, size_t i, size_t n,
                      uint64_t bloom[CHARREQ_BLOOM_WORDS])
{
  size_t len = utf8_len(p[i]);
  if (i + (len > 3 ? 3 : len) > n)
    return 0;
  unsigned h = charreq_char_hash(p + i, len);
  bloom[h >> 6] |= (uint64_t)1 << (h & 63);
  return 1;
}

void charreq_bloom_of(const char *s, size_t n,
                      uint64_t bloom[CHARREQ_BLOOM_WORDS])
{
  memset(bloom, 0, CHARREQ_BLOOM_WORDS * sizeof *bloom);
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  /* Eight bytes at a time: the lead bytes (top two bits set) among them
  ** are found with two masks and visited one by one. */
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, p + i, 8);
    uint64_t leads = w & (w << 1) & 0x8080808080808080ull;
    for (; leads; leads &= leads - 1) {
      size_t at = i + (size_t)(__builtin_ctzll(leads) >> 3);
      if (!bloom_char(p, at, n, bloom))
        return;
    }
  }
  for (; i < n; i++)
    if (p[i] >= 0xC0 && !bloom_char(p, i, n, bloom))
      return;
}

