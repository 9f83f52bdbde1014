#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[RULE_KIND_COUNT] = {
  "table", "title", "generic", "not-title", "title-noise", "title-block",
  "unit", "note", "skip", "cell", "number", "evidence", "amount", "code",
  "total", "header", "not-tail", "value", "value-column", "data",
  "dept-label", "dept-label-cell", "dept-name", "dept-title", "year-title",
  "cover-year", "title-lead", "label-tail", "doc-not-title"
};

/* The named groups a kind reads: a rule of it without them is an error. */
static int kind_needs_dept(rule_kind k)
{
  return k == RULE_DEPT_LABEL || k == RULE_DEPT_NAME || k == RULE_DEPT_TITLE;
}

static int kind_needs_year(rule_kind k)
{
  return k == RULE_DEPT_TITLE || k == RULE_YEAR_TITLE;
}

/* Kinds whose rules rewrite text and so need "=> REPLACEMENT". */
static int kind_rewrites(rule_kind k)
{
  return k == RULE_TITLE_NOISE || k == RULE_CELL || k == RULE_NUMBER ||
         k == RULE_EVIDENCE;
}

static char *dupn(const char *s, size_t n)
{
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = '\0';
  }
  return p;
}

static void rule_free(rule *r)
{
  free(r->name);
  free(r->pattern);
  free(r->replacement);
  free(r->canonical);
  free(r->file);
  pcre2_code_free((pcre2_code *)r->code);
}

void ruleset_free(ruleset *rs)
{
  for (size_t i = 0; i < rs->n; i++) {
    if (rs->is_twin)
      pcre2_code_free((pcre2_code *)rs->rules[i].code);
    else
      rule_free(&rs->rules[i]);
  }
  free(rs->rules);
  pcre2_match_data_free((pcre2_match_data *)rs->match_data);
  free(rs->sub);
  if (!rs->is_twin) {
    free(rs->trigger);
    free(rs->trigger_set);
  }
  free(rs->memo);
  strbuf_free(&rs->scratch);
  charreq_cache_free(rs->learning);
  memset(rs, 0, sizeof *rs);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Splits the next whitespace-delimited word off *p. */
static int next_word(const char **p, const char **w, size_t *wn)
{
  const char *s = *p;
  while (is_space(*s))
    s++;
  if (!*s)
    return 0;
  *w = s;
  while (*s && !is_space(*s))
    s++;
  *wn = (size_t)(s - *w);
  *p = s;
  return 1;
}

static int fail(char *err, size_t errsz, const char *file, int line,
                const char *fmt, const char *arg)
{
  char msg[512];
  snprintf(msg, sizeof msg, fmt, arg);
  snprintf(err, errsz, "%s:%d: %s", file, line, msg);
  return -1;
}

static int add_rule(ruleset *rs, rule *r)
{
  if (rs->n == rs->cap) {
    size_t cap = rs->cap ? rs->cap * 2 : 64;
    rule *v = realloc(rs->rules, cap * sizeof *v);
    if (!v)
      return -1;
    rs->rules = v;
    rs->cap = cap;
  }
  rs->rules[rs->n++] = *r;
  return 0;
}

static void set_byte(uint64_t set[4], unsigned b)
{
  set[b >> 6 & 3] |= (uint64_t)1 << (b & 63);
}

static void set_all(uint64_t set[4])
{
  memset(set, 0xFF, 4 * sizeof *set);
}

/* 1 when the pattern may turn caseless matching on inline: "(?i", "(?x-i",
** ... Over-reporting only makes the prefilter less sharp, never wrong. */
static int may_be_caseless(const char *pat)
{
  for (const char *p = strstr(pat, "(?"); p; p = strstr(p + 1, "(?")) {
    for (const char *q = p + 2;
         (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '-' ||
         *q == '^';
         q++)
      if (*q == 'i')
        return 1;
  }
  return 0;
}

/* One code unit a match must contain, as a set: both cases of an ASCII
** letter when caseless; any byte when caseless and not ASCII (its other
** case may start with another byte). */
static void unit_set(uint32_t cu, int caseless, uint64_t set[4])
{
  memset(set, 0, 4 * sizeof *set);
  if (caseless && cu >= 0x80) {
    set_all(set);
    return;
  }
  set_byte(set, cu & 255);
  if (caseless && ((cu >= 'a' && cu <= 'z') || (cu >= 'A' && cu <= 'Z')))
    set_byte(set, (cu & 255) ^ 0x20);
}

/* Fills r's prefilter from what PCRE2 knows every match needs (the facts
** its own start-of-match optimisations use): the first code unit or the
** set of possible first bytes, the last literal code unit, the length. */
static void learn_prefilter(rule *r, const pcre2_code *code)
{
  int caseless = may_be_caseless(r->pattern);
  uint32_t type = 0, cu = 0, minlen = 0;
  set_all(r->starts);
  set_all(r->needs);
  if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 &&
      type == 1 &&
      pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &cu) == 0) {
    unit_set(cu, caseless, r->starts);
  } else if (type == 0) {
    const uint8_t *bitmap = NULL;
    if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 &&
        bitmap) {
      memset(r->starts, 0, sizeof r->starts);
      for (unsigned b = 0; b < 256; b++)
        if (bitmap[b >> 3] & (1u << (b & 7)))
          set_byte(r->starts, b);
    }
  }
  type = 0;
  if (pcre2_pattern_info(code, PCRE2_INFO_LASTCODETYPE, &type) == 0 &&
      type == 1 &&
      pcre2_pattern_info(code, PCRE2_INFO_LASTCODEUNIT, &cu) == 0)
    unit_set(cu, caseless, r->needs);
  /* PCRE2's minimum is in characters; a character is at least one byte. */
  r->min_len = 0;
  if (pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) == 0)
    r->min_len = minlen;
  r->facts = 0;
  for (int w = 0; w < 4; w++) {
    if (r->starts[w] != ~(uint64_t)0)
      r->facts |= FACT_STARTS;
    if (r->needs[w] != ~(uint64_t)0)
      r->facts |= FACT_NEEDS;
  }
}

void subject_bytes_of(const char *s, size_t n, subject_bytes *sb)
{
  /* Even and odd bytes into two sets, merged at the end: in CJK text most
  ** bytes fall in one word (0x80-0xBF), and one set would make each byte
  ** wait for the one before it. */
  uint64_t even[4] = {0}, odd[4] = {0};
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  for (; i + 2 <= n; i += 2) {
    even[p[i] >> 6] |= (uint64_t)1 << (p[i] & 63);
    odd[p[i + 1] >> 6] |= (uint64_t)1 << (p[i + 1] & 63);
  }
  if (i < n)
    even[p[i] >> 6] |= (uint64_t)1 << (p[i] & 63);
  for (int w = 0; w < 4; w++)
    sb->has[w] = even[w] | odd[w];
  sb->len = n;
  sb->s = s;
  sb->chars_taken = 0;
}

/* After a rule rewrote the subject (now s[0..n)): every byte and
** character of the result was in the subject or in the replacement, so
** their union stays a true superset, without reading a long subject
** again. Short ones are read again, which keeps the filter sharp. */
#define REREAD_MAX 64
static void subject_rewritten(subject_bytes *sb, const rule *r, const char *s,
                              size_t n)
{
  if (n <= REREAD_MAX) {
    subject_bytes_of(s, n, sb);
    return;
  }
  for (int w = 0; w < 4; w++)
    sb->has[w] |= r->rep_bytes.has[w];
  if (sb->chars_taken)
    for (int w = 0; w < CHARREQ_BLOOM_WORDS; w++)
      sb->chars[w] |= r->rep_bytes.chars[w];
  sb->len = n;
  sb->s = s;
}

static int meets(const uint64_t set[4], const uint64_t has[4])
{
  return ((set[0] & has[0]) | (set[1] & has[1]) | (set[2] & has[2]) |
          (set[3] & has[3])) != 0;
}

/* Always inlined: it runs once for every rule tested on a subject, and a
** call costs as much as most of its tests. */
static inline __attribute__((always_inline)) int may_match(const rule *r,
                                                          subject_bytes *sb)
{
  /* An anchored rule looks at one place only: the first byte. (Not for
  ** a stand-in for rewrites, whose first byte is unknown.) */
  if (r->first_known && sb->len && sb->len != SUBJECT_ANY_LEN) {
    unsigned char b0 = (unsigned char)sb->s[0];
    if (!((r->first_bytes[b0 >> 6] >> (b0 & 63)) & 1))
      return 0;
  }
  if (sb->len < r->min_len ||
      ((r->facts & FACT_STARTS) && !meets(r->starts, sb->has)) ||
      ((r->facts & FACT_NEEDS) && !meets(r->needs, sb->has)))
    return 0;
  if (!r->req.n)
    return 1;
  charreq_subject sub = {sb->has, sb->s, sb->len, sb->chars, &sb->chars_taken};
  return charreq_may_hold(&r->req, &sub);
}

int rule_may_match(const rule *r, subject_bytes *sb)
{
  return may_match(r, sb);
}

/* The replacement syntax pcre2_substitute() accepts without
** PCRE2_SUBSTITUTE_EXTENDED: "$$", "$N", "${N}", "$NAME", "${NAME}",
** "$*MARK", "${*MARK}"; groups must exist. Returns 0 when rep is fine. */
static int replacement_problem(const pcre2_code *code, const char *rep,
                               char *msg, size_t msgsz)
{
  uint32_t ncap = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
  for (const char *p = rep; *p; p++) {
    if (*p != '$')
      continue;
    p++;
    if (*p == '$')
      continue;
    int brace = *p == '{';
    if (brace)
      p++;
    if (*p == '*')
      p++;
    const char *w = p;
    while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
           (*p >= 'A' && *p <= 'Z') || *p == '_')
      p++;
    size_t wn = (size_t)(p - w);
    if (!wn) {
      snprintf(msg, msgsz, "'$' not followed by a group (write $$ for $)");
      return 1;
    }
    if (brace && *p != '}') {
      snprintf(msg, msgsz, "'${' without '}'");
      return 1;
    }
    if (w[-1] != '*') {
      char name[64];
      snprintf(name, sizeof name, "%.*s", (int)(wn < 60 ? wn : 60), w);
      if (w[0] >= '0' && w[0] <= '9') {
        unsigned long g = strtoul(name, NULL, 10);
        if (g > ncap) {
          snprintf(msg, msgsz, "group %lu does not exist (pattern has %u)", g,
                   (unsigned)ncap);
          return 1;
        }
      } else if (pcre2_substring_number_from_name(code, (PCRE2_SPTR)name) < 0) {
        snprintf(msg, msgsz, "no group named '%s'", name);
        return 1;
      }
    }
    if (!brace)
      p--;
  }
  return 0;
}

/* For a pattern PCRE2 anchors at the subject's start (every branch starts
** with ^ or \A), the first bytes of the characters its matches start
** with: a subject whose first byte is none of them cannot match. */
static void learn_anchored_start(ruleset *rs, rule *r, size_t plen)
{
  uint32_t opts = 0;
  char_set first;
  if (pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
      !(opts & PCRE2_ANCHORED) ||
      !charreq_first(rs->learning, r->pattern, plen, &first))
    return;
  memset(r->first_bytes, 0, sizeof r->first_bytes);
  r->first_bytes[0] = first.ascii[0];
  r->first_bytes[1] = first.ascii[1];
  for (unsigned b = 0xC0; b <= 0xFF; b++)
    if ((first.lead >> (b - 0xC0)) & 1)
      set_byte(r->first_bytes, b);
  for (unsigned i = 0; i < first.nexact; i++)
    set_byte(r->first_bytes, first.exact[i][0]);
  r->first_known = 1;
}

/* PCRE2 finds no start for a pattern that begins with a UCP class such as
** \s (cjk-wrap, spaces), and then tries a match at every character of a
** subject. The same pattern behind a lookahead for the characters its
** matches start with (charreq_first(), PCRE2's own classes) matches
** exactly the same text, and PCRE2 takes a start bitmap from the
** lookahead, so a search skips to the characters that can start a match.
** Done only where PCRE2 had no start of its own and the set leaves most
** budget text out (no CJK lead byte, few ASCII characters); a guard that
** cannot be built leaves the rule as it was. */
static void guard_start(ruleset *rs, rule *r, size_t plen)
{
  pcre2_code *code = r->code;
  uint32_t type = 1, opts = 0;
  const uint8_t *bitmap = NULL;
  if (pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type) != 0 ||
      type != 0 ||
      pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 ||
      bitmap || pcre2_pattern_info(code, PCRE2_INFO_ALLOPTIONS, &opts) != 0 ||
      (opts & PCRE2_ANCHORED) || strstr(r->pattern, "\\G"))
    return;
  char_set first;
  if (!charreq_first(rs->learning, r->pattern, plen, &first))
    return;
  uint64_t cjk_leads = (uint64_t)0x3F << (0xE4 - 0xC0); /* E4..E9 */
  if ((first.lead & cjk_leads) ||
      __builtin_popcountll(first.ascii[0]) +
              __builtin_popcountll(first.ascii[1]) > 32)
    return;
  char cls[2048];
  if (!charreq_class_text(&first, cls, sizeof cls))
    return;
  size_t tn = strlen(cls) + plen + 16;
  char *text = malloc(tn);
  if (!text)
    return;
  int tl = snprintf(text, tn, "(?=%s)(?:%.*s)", cls, (int)plen, r->pattern);
  int ec;
  PCRE2_SIZE off;
  pcre2_code *g = tl > 0 ? pcre2_compile((PCRE2_SPTR)text, (size_t)tl,
                                         PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL)
                         : NULL;
  free(text);
  if (!g)
    return;
  bitmap = NULL;
  if (pcre2_pattern_info(g, PCRE2_INFO_FIRSTBITMAP, &bitmap) != 0 || !bitmap) {
    pcre2_code_free(g);
    return;
  }
  pcre2_code_free(code);
  r->code = g;
}

static int parse_line(ruleset *rs, const char *file, int lineno,
                      const char *line, char *err, size_t errsz)
{
  const char *p = line, *w, *nm;
  size_t wn, nn;
  if (!next_word(&p, &w, &wn) || *w == '#')
    return 0;
  int kind = -1;
  for (int k = 0; k < RULE_KIND_COUNT; k++)
    if (strlen(kind_names[k]) == wn && !memcmp(kind_names[k], w, wn))
      kind = k;
  if (kind < 0) {
    char kw[64];
    snprintf(kw, sizeof kw, "%.*s", (int)(wn < 60 ? wn : 60), w);
    return fail(err, errsz, file, lineno, "unknown rule kind '%s'", kw);
  }
  if (!next_word(&p, &nm, &nn))
    return fail(err, errsz, file, lineno, "%s rule without a name",
                kind_names[kind]);
  while (is_space(*p))
    p++;
  size_t rest = strlen(p);
  while (rest && is_space(p[rest - 1]))
    rest--;
  if (!rest)
    return fail(err, errsz, file, lineno, "%s rule without a pattern",
                kind_names[kind]);

  rule r;
  memset(&r, 0, sizeof r);
  r.kind = (rule_kind)kind;
  r.line = lineno;
  r.name = dupn(nm, nn);
  r.file = dupn(file, strlen(file));
  if (!r.name || !r.file)
    goto oom;

  if (kind == RULE_TABLE) {
    /* rest > 0, so the first word is there; set anyway, which -O3's
    ** flow analysis cannot see. */
    const char *q = p, *cw = p, *fw;
    size_t cn = 0, fn;
    next_word(&q, &cw, &cn);
    r.canonical = dupn(cw, cn);
    r.pattern = dupn(p, rest);
    if (!r.canonical || !r.pattern)
      goto oom;
    while (next_word(&q, &fw, &fn)) {
      if (fn == 4 && !memcmp(fw, "form", 4)) {
        r.form = 1;
      } else if (fn == 5 && !memcmp(fw, "empty", 5)) {
        r.may_be_empty = 1;
      } else {
        char flag[64];
        snprintf(flag, sizeof flag, "%.*s", (int)(fn < 60 ? fn : 60), fw);
        rule_free(&r);
        return fail(err, errsz, file, lineno, "unknown table flag '%s'", flag);
      }
    }
    if (add_rule(rs, &r))
      goto oom;
    return 0;
  }

  /* " =>" splits pattern and replacement; a pattern needing the literal
  ** text writes it as " =\>" or "[ ]=>". */
  const char *arrow = NULL;
  for (const char *q = p; q + 3 <= p + rest; q++)
    if (q[0] == ' ' && q[1] == '=' && q[2] == '>' &&
        (q + 3 == p + rest || q[3] == ' ')) {
      arrow = q;
      break;
    }
  size_t plen = arrow ? (size_t)(arrow - p) : rest;
  while (plen && is_space(p[plen - 1]))
    plen--;
  if (arrow) {
    const char *rep = arrow + 3;
    if (rep < p + rest && *rep == ' ')
      rep++;
    size_t rn = (size_t)(p + rest - rep);
    /* Trailing spaces of a line are trimmed, so a replacement that is or
    ** ends in a space is written in double quotes: => " ". */
    if (rn >= 2 && rep[0] == '"' && rep[rn - 1] == '"') {
      rep++;
      rn -= 2;
    }
    r.replacement = dupn(rep, rn);
    if (!r.replacement)
      goto oom;
  }
  if (kind_rewrites(r.kind) && !arrow) {
    rule_free(&r);
    return fail(err, errsz, file, lineno, "%s rule needs '=> REPLACEMENT'",
                kind_names[kind]);
  }
  if (!kind_rewrites(r.kind) && arrow) {
    rule_free(&r);
    return fail(err, errsz, file, lineno, "%s rule takes no replacement",
                kind_names[kind]);
  }
  if (!plen) {
    rule_free(&r);
    return fail(err, errsz, file, lineno, "%s rule without a pattern",
                kind_names[kind]);
  }
  r.pattern = dupn(p, plen);
  if (!r.pattern)
    goto oom;

  int ec;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)r.pattern, plen,
                                   PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
  if (!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(ec, msg, sizeof msg);
    char m[400];
    snprintf(m, sizeof m, "pattern error at offset %zu: %s", (size_t)off,
             (char *)msg);
    rule_free(&r);
    return fail(err, errsz, file, lineno, "%s", m);
  }
  r.jit_wanted = rules_jit_wanted(); /* compiled in pcre_run() */
  r.code = code;
  learn_prefilter(&r, code);
  if (!rs->learning && !(rs->learning = charreq_cache_new(1)))
    goto oom;
  if (charreq_learn(rs->learning, r.pattern, plen, &r.req) != 0)
    goto oom;
  if (r.replacement) {
    subject_bytes_of(r.replacement, strlen(r.replacement), &r.rep_bytes);
    charreq_bloom_of(r.replacement, strlen(r.replacement), r.rep_bytes.chars);
    r.rep_bytes.chars_taken = 1;
    r.rep_bytes.s = NULL; /* the rule's own copy moves with the rule */
    r.rep_len = strlen(r.replacement);
    r.rep_literal = !strchr(r.replacement, '$') && r.min_len > 0;
  }
  if (r.replacement) {
    /* Check the replacement now, so a typo is a load error with a line
    ** (PCRE2 itself only looks at it when a cell first matches). */
    char m[400];
    if (replacement_problem(code, r.replacement, m, sizeof m)) {
      rule_free(&r);
      return fail(err, errsz, file, lineno, "bad replacement: %s", m);
    }
  }
  learn_anchored_start(rs, &r, plen);
  guard_start(rs, &r, plen);
  /* After guard_start(): the groups of the code that runs (its lookahead
  ** adds none). */
  int dg = pcre2_substring_number_from_name(r.code, (PCRE2_SPTR) "dept");
  int yg = pcre2_substring_number_from_name(r.code, (PCRE2_SPTR) "year");
  r.dept_group = dg > 0 ? dg : 0;
  r.year_group = yg > 0 ? yg : 0;
  if ((kind_needs_dept(r.kind) && !r.dept_group) ||
      (kind_needs_year(r.kind) && !r.year_group)) {
    char m[160];
    snprintf(m, sizeof m, "%s rule needs %s%s%s", kind_names[kind],
             kind_needs_dept(r.kind) ? "the group (?<dept>...)" : "",
             kind_needs_dept(r.kind) && kind_needs_year(r.kind) ? " and " : "",
             kind_needs_year(r.kind) ? "the group (?<year>...)" : "");
    rule_free(&r);
    return fail(err, errsz, file, lineno, "%s", m);
  }
  if (add_rule(rs, &r))
    goto oom;
  return 0;
oom:
  rule_free(&r);
  return fail(err, errsz, file, lineno, "%s", "out of memory");
}

static int load_text(ruleset *rs, const char *name, const char *text,
                     char *err, size_t errsz)
{
  int lineno = 0;
  const char *s = text;
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *line = dupn(s, n);
    if (!line)
      return fail(err, errsz, name, lineno + 1, "%s", "out of memory");
    lineno++;
    int rc = parse_line(rs, name, lineno, line, err, errsz);
    free(line);
    if (rc)
      return rc;
    s += n + (e ? 1 : 0);
  }
  return 0;
}

/* How often a byte turns up in budget text, roughly: what a trigger byte
** costs (the rules it triggers are tested whenever a subject holds it).
** The lead bytes of common CJK characters and the digits are everywhere;
** continuation bytes often; other lead bytes seldom. Only the choice of
** trigger depends on these, never what matches. */
static unsigned byte_weight(unsigned b)
{
  if ((b >= '0' && b <= '9') || b == ' ' || b == '.' || b == ',')
    return 10;
  if (b < 0x80)
    return 2;
  if (b < 0xC0)
    return 3;
  if (b >= 0xE4 && b <= 0xE9)
    return 30;
  if (b == 0xE2 || b == 0xE3 || b == 0xEF)
    return 5;
  return 1;
}

static unsigned weight_of(const uint64_t set[4])
{
  unsigned w = 0;
  for (int i = 0; i < 4; i++)
    for (uint64_t x = set[i]; x; x &= x - 1)
      w += byte_weight((unsigned)(i * 64 + __builtin_ctzll(x)));
  return w;
}

/* The bytes whose presence lets r through, the cheapest of what
** may_match() tests: a set of charreq (its ASCII members and lead bytes,
** with the last bytes or else the lead bytes of the characters it lists:
** a subject holding one holds both), or PCRE2's first or last code units.
** Returns 256 when any subject may pass. */
static int trigger_bytes(const rule *r, uint64_t out[4])
{
  unsigned best = ~0u;
  int any = 1;
  uint64_t cand[4];
  set_all(out);
  for (size_t i = 0; i < r->req.n; i++) {
    const char_set *cs = &r->req.sets[i];
    for (int by_lead = 0; by_lead < 2; by_lead++) {
      cand[0] = cs->ascii[0];
      cand[1] = cs->ascii[1];
      cand[2] = by_lead ? 0 : cs->exact_lasts;
      cand[3] = cs->lead | (by_lead ? cs->exact_leads : 0);
      unsigned w = weight_of(cand);
      if (w < best) {
        best = w;
        any = 0;
        memcpy(out, cand, sizeof cand);
      }
    }
  }
  const uint64_t *facts[2] = {r->starts, r->needs};
  for (int f = 0; f < 2; f++) {
    if (!(r->facts & (f ? FACT_NEEDS : FACT_STARTS)))
      continue;
    unsigned w = weight_of(facts[f]);
    if (w < best) {
      best = w;
      any = 0;
      memcpy(out, facts[f], sizeof cand);
    }
  }
  return any ? 256 : 0;
}

/* Per kind (of up to 64 rules), which rules each byte may trigger,
** so a subject is tested only against the rules its bytes can meet. */
#define TRIGGER_MIN_RULES 0
static int build_triggers(ruleset *rs)
{
  rs->trigger = calloc(RULE_KIND_COUNT, sizeof *rs->trigger);
  rs->trigger_set = calloc(rs->n ? rs->n : 1, sizeof *rs->trigger_set);
  if (!rs->trigger || !rs->trigger_set)
    return -1;
  for (int k = 0; k < RULE_KIND_COUNT; k++) {
    size_t n = rs->first[k + 1] - rs->first[k];
    rs->trigger_used[k] = n > TRIGGER_MIN_RULES && n <= 64;
    if (!rs->trigger_used[k])
      continue;
    for (size_t j = 0; j < n; j++) {
      uint64_t bytes[4];
      int always = trigger_bytes(&rs->rules[rs->first[k] + j], bytes) == 256;
      memcpy(rs->trigger_set[rs->first[k] + j], bytes, sizeof bytes);
      if (always) {
        rs->trigger_always[k] |= (uint64_t)1 << j;
        continue;
      }
      for (unsigned b = 0; b < 256; b++)
        if ((bytes[b >> 6] >> (b & 63)) & 1)
          rs->trigger[k][b] |= (uint64_t)1 << j;
      for (int w = 0; w < 4; w++)
        rs->trigger_any[k][w] |= bytes[w];
      for (unsigned b = 0; b < 256; b++)
        if ((bytes[b >> 6] >> (b & 63)) & 1)
          rs->trigger_byte[k][b] = 1;
    }
  }
  return 0;
}

/* Groups rules by kind, keeping load order inside each kind: the order of
** a file is the order rules run in. */
static int finish(ruleset *rs, char *err, size_t errsz)
{
  rule *sorted = malloc((rs->n + 1) * sizeof *sorted);
  if (!sorted) {
    snprintf(err, errsz, "rules: out of memory");
    return -1;
  }
  size_t k = 0;
  for (int kind = 0; kind < RULE_KIND_COUNT; kind++) {
    rs->first[kind] = k;
    for (size_t i = 0; i < rs->n; i++)
      if ((int)rs->rules[i].kind == kind)
        sorted[k++] = rs->rules[i];
  }
  rs->first[RULE_KIND_COUNT] = k;
  if (rs->n)
    memcpy(rs->rules, sorted, rs->n * sizeof *sorted);
  free(sorted);
  if (build_triggers(rs) != 0) {
    snprintf(err, errsz, "rules: out of memory");
    return -1;
  }
  for (size_t i = 0; i < rs->n; i++) {
    const rule *r = &rs->rules[i];
    subject_bytes *a = &rs->added[r->kind];
    a->chars_taken = 1;
    if (!r->replacement)
      continue;
    for (int w = 0; w < 4; w++)
      a->has[w] |= r->rep_bytes.has[w];
    for (int w = 0; w < CHARREQ_BLOOM_WORDS; w++)
      a->chars[w] |= r->rep_bytes.chars[w];
  }
  strbuf_init(&rs->scratch, STRBUF_CAP_LINE);
  /* What classes hold is only needed while the rules are learned. */
  charreq_cache_free(rs->learning);
  rs->learning = NULL;
  rs->match_data = pcre2_match_data_create(32, NULL);
  if (!rs->match_data) {
    snprintf(err, errsz, "rules: out of memory");
    return -1;
  }
  return 0;
}

int ruleset_load_text(ruleset *rs, const char *name, const char *text,
                      char *err, size_t errsz)
{
  memset(rs, 0, sizeof *rs);
  if (load_text(rs, name, text, err, errsz) || finish(rs, err, errsz)) {
    ruleset_free(rs);
    return -1;
  }
  return 0;
}

int ruleset_twin(ruleset *dst, const ruleset *src)
{
  *dst = *src;
  dst->is_twin = 1;
  dst->rules = NULL;
  dst->n = dst->cap = 0;
  dst->match_data = NULL;
  dst->sub = NULL;
  dst->subsize = 0;
  dst->memo = NULL;
  dst->learning = NULL;
  strbuf_init(&dst->scratch, src->scratch.cap);
  if (!(dst->rules = malloc((src->n + 1) * sizeof *dst->rules)) ||
      !(dst->match_data = pcre2_match_data_create(32, NULL))) {
    ruleset_free(dst);
    return -1;
  }
  for (size_t i = 0; i < src->n; i++) {
    rule r = src->rules[i];
    /* A copy has no JIT code: it earns its own, as a fresh rule does. */
    r.code = r.code ? pcre2_code_copy((const pcre2_code *)r.code) : NULL;
    r.jit = 0;
    r.jit_wanted = rules_jit_wanted();
    r.runs = 0;
    if (!r.code && src->rules[i].code) {
      ruleset_free(dst);
      return -1;
    }
    dst->rules[dst->n++] = r;
  }
  dst->cap = src->n;
  return 0;
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_all(const char *path)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_FILE);
  char chunk[8192];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (strbuf_append(&b, chunk, got) != STRBUF_OK) {
      fclose(f);
      strbuf_free(&b);
      errno = ENOMEM;
      return NULL;
    }
  int bad = ferror(f);
  fclose(f);
  if (bad) {
    strbuf_free(&b);
    return NULL;
  }
  return strbuf_take(&b);
}

int ruleset_load_dir(ruleset *rs, const char *dir, char *err, size_t errsz)
{
  memset(rs, 0, sizeof *rs);
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, errsz, "%s: cannot open rules directory: %s", dir,
             strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  int rc = 0;
  while ((de = readdir(d)) != NULL) {
    size_t len = strlen(de->d_name);
    if (len < 7 || strcmp(de->d_name + len - 6, ".rules") != 0 ||
        de->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 16;
      char **v = realloc(names, cap * sizeof *v);
      if (!v) {
        rc = -1;
        break;
      }
      names = v;
    }
    names[n] = dupn(de->d_name, len);
    if (!names[n]) {
      rc = -1;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc)
    snprintf(err, errsz, "%s: out of memory", dir);
  else if (!n) {
    snprintf(err, errsz, "%s: no *.rules files", dir);
    rc = -1;
  }
  if (!rc) {
    qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && !rc; i++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      char *text = read_all(path);
      if (!text) {
        snprintf(err, errsz, "%s: cannot read: %s", path, strerror(errno));
        rc = -1;
        break;
      }
      rc = load_text(rs, path, text, err, errsz);
      free(text);
    }
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (!rc)
    rc = finish(rs, err, errsz);
  if (rc)
    ruleset_free(rs);
  return rc;
}

const rule *rules_begin(const ruleset *rs, rule_kind k)
{
  return rs->rules + rs->first[k];
}

const rule *rules_end(const ruleset *rs, rule_kind k)
{
  return rs->rules + rs->first[k + 1];
}

int rules_jit_wanted(void)
{
  const char *no_jit = getenv("BUDGET_NO_JIT");
  return !no_jit || !*no_jit;
}

/* The rule's JIT code, once it has run often enough to pay for it. The
** count and the code are scratch state like the match data: taking them
** changes no answer (JIT and interpreter match the same). */
static void jit_when_due(const rule *r)
{
  rule *m = (rule *)r;
  if (m->jit || !m->jit_wanted || ++m->runs < RULES_JIT_AFTER_RUNS)
    return;
  m->jit_wanted = 0; /* tried once, whatever the outcome */
  m->jit = pcre2_jit_compile((pcre2_code *)m->code, PCRE2_JIT_COMPLETE) == 0;
}

/* The PCRE2 call itself, with no prefilter. PCRE2's JIT entry skips
** pcre2_match()'s argument checks (and never checks UTF, like
** PCRE2_NO_UTF_CHECK): same result, less per call. */
static int pcre_run(const ruleset *rs, const rule *r, const char *s, size_t n)
{
  jit_when_due(r);
  if (r->jit)
    return pcre2_jit_match((const pcre2_code *)r->code, (PCRE2_SPTR)s, n, 0,
                           0, rs->match_data, NULL);
  return pcre2_match((const pcre2_code *)r->code, (PCRE2_SPTR)s, n, 0,
                     PCRE2_NO_UTF_CHECK, rs->match_data, NULL);
}

/* pcre_run() searching from byte `from` on (lookbehinds still see what
** lies before it, as in a global substitution). */
static int pcre_run_from(const ruleset *rs, const rule *r, const char *s,
                         size_t n, size_t from)
{
  jit_when_due(r);
  if (r->jit)
    return pcre2_jit_match((const pcre2_code *)r->code, (PCRE2_SPTR)s, n,
                           from, 0, rs->match_data, NULL);
  return pcre2_match((const pcre2_code *)r->code, (PCRE2_SPTR)s, n, from,
                     PCRE2_NO_UTF_CHECK, rs->match_data, NULL);
}

static int match_now(const ruleset *rs, const rule *r, const char *s, size_t n,
                     size_t *start, size_t *end)
{
  pcre2_match_data *md = rs->match_data;
  int rc = pcre_run(rs, r, s, n);
  if (rc < 0)
    return 0;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  if (start)
    *start = ov[0];
  if (end)
    *end = ov[1];
  return 1;
}

int rule_match(const ruleset *rs, const rule *r, const char *s, size_t n,
               size_t *start, size_t *end)
{
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  return rule_match_bytes(rs, r, s, n, &sb, start, end);
}

int rule_match_bytes(const ruleset *rs, const rule *r, const char *s, size_t n,
                     subject_bytes *sb, size_t *start, size_t *end)
{
  return may_match(r, sb) && match_now(rs, r, s, n, start, end);
}

int rule_group1(const ruleset *rs, const rule *r, const char *s, size_t n,
                size_t *g0, size_t *g1)
{
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  return rule_group1_bytes(rs, r, s, n, &sb, g0, g1);
}

int rule_group1_bytes(const ruleset *rs, const rule *r, const char *s,
                      size_t n, subject_bytes *sb, size_t *g0,
                      size_t *g1)
{
  if (!may_match(r, sb))
    return 0;
  pcre2_match_data *md = rs->match_data;
  int rc = pcre_run(rs, r, s, n);
  if (rc < 2)
    return rc > 0 ? -1 : 0;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  if (ov[2] == PCRE2_UNSET)
    return -1;
  *g0 = ov[2];
  *g1 = ov[3];
  return 1;
}

int rules_last_group(const ruleset *rs, int g, size_t *g0, size_t *g1)
{
  pcre2_match_data *md = rs->match_data;
  if (g <= 0 || (uint32_t)g >= pcre2_get_ovector_count(md))
    return 0;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  if (ov[2 * g] == PCRE2_UNSET)
    return 0;
  *g0 = ov[2 * g];
  *g1 = ov[2 * g + 1];
  return 1;
}

/* rs->sub holds at least want bytes (kept from call to call, grown by
** doubling). */
static int sub_room(ruleset *rs, size_t want)
{
  if (rs->sub && rs->subsize >= want)
    return 0;
  size_t size = rs->subsize ? rs->subsize : 256;
  while (size < want)
    size *= 2;
  char *p = realloc(rs->sub, size);
  if (!p)
    return -1;
  rs->sub = p;
  rs->subsize = size;
  return 0;
}

/* What pcre2_substitute(PCRE2_SUBSTITUTE_GLOBAL) makes of a rule whose
** replacement is literal text and whose matches are never empty (each
** search goes on where the last match ended), without its per-call
** costs: a match data of its own, the replacement parsed anew, the
** pcre2_match() checks. The first match is in match_data. Returns 1 when
** the result is in rs->sub[0..*outlen), 0 when a match is not the plain
** kind this loop assumes (\K may end it before its start; then
** pcre2_substitute decides), -1 when memory ran out. */
static int replace_literal(ruleset *rs, const rule *r, const char *s,
                           size_t n, size_t *outlen)
{
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->match_data);
  size_t pos = 0, out = 0;
  for (;;) {
    size_t m0 = ov[0], m1 = ov[1];
    if (m0 < pos || m1 <= m0 || m1 > n)
      return 0;
    if (sub_room(rs, out + (m0 - pos) + r->rep_len + (n - m1) + 1) != 0)
      return -1;
    memcpy(rs->sub + out, s + pos, m0 - pos);
    out += m0 - pos;
    memcpy(rs->sub + out, r->replacement, r->rep_len);
    out += r->rep_len;
    pos = m1;
    if (pos >= n || pcre_run_from(rs, r, s, n, pos) < 0)
      break;
  }
  memcpy(rs->sub + out, s + pos, n - pos);
  *outlen = out + (n - pos);
  return 1;
}

/* b becomes rs->sub[0..n), the rewrite: 1, or 0 when it is b's text
** already, -1 on OOM. */
static int take_rewrite(ruleset *rs, strbuf *b, size_t n)
{
  if (n == b->len && !memcmp(rs->sub, strbuf_cstr(b), n))
    return 0;
  strbuf_clear(b);
  return strbuf_append(b, rs->sub, n) == STRBUF_OK ? 1 : -1;
}

/* rule_apply() once the prefilter has passed. */
static int apply_now(ruleset *rs, const rule *r, strbuf *b)
{
  const char *s = strbuf_cstr(b);
  if (!match_now(rs, r, s, b->len, NULL, NULL))
    return 0;
  if (r->rep_literal) {
    size_t outlen;
    int lit = replace_literal(rs, r, s, b->len, &outlen);
    if (lit < 0)
      return -1;
    if (lit > 0)
      return take_rewrite(rs, b, outlen);
    /* The match data holds the last match now, not the first. */
    if (!match_now(rs, r, s, b->len, NULL, NULL))
      return 0;
  }
  /* The output buffer is kept from call to call and only grows to what a
  ** substitution needs (it used to grow on every call: memory rose with
  ** the input, and a large buffer was copied by realloc each time). */
  size_t want = b->len + 256;
  /* The first match is in match_data already: PCRE2 starts from it, not
  ** from a second search of the same subject (a retry after a too-small
  ** buffer has lost it, and searches again). */
  uint32_t matched = PCRE2_SUBSTITUTE_MATCHED;
  for (;;) {
    if (sub_room(rs, want) != 0)
      return -1;
    PCRE2_SIZE outlen = rs->subsize;
    int rc = pcre2_substitute(
        (const pcre2_code *)r->code, (PCRE2_SPTR)s, b->len, 0,
        PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH |
            PCRE2_SUBSTITUTE_UNSET_EMPTY | PCRE2_NO_UTF_CHECK | matched,
        rs->match_data, NULL, (PCRE2_SPTR)r->replacement,
        PCRE2_ZERO_TERMINATED, (PCRE2_UCHAR *)rs->sub, &outlen);
    if (rc == PCRE2_ERROR_NOMEMORY) {
      /* outlen now holds the size needed (with its terminating NUL). */
      if (outlen + 1 <= want)
        return -1; /* no progress: cannot happen, but never loop */
      want = outlen + 1;
      matched = 0;
      continue;
    }
    if (rc < 0)
      return -1;
    return take_rewrite(rs, b, outlen);
  }
}

int rule_apply(ruleset *rs, const rule *r, strbuf *b)
{
  subject_bytes sb;
  subject_bytes_of(strbuf_cstr(b), b->len, &sb);
  return may_match(r, &sb) ? apply_now(rs, r, b) : 0;
}

/* The rules of kind k (bit j: the j-th) the subject's bytes may trigger:
** a superset of those rule_may_match() lets through. */
static inline __attribute__((always_inline)) uint64_t
candidates(const ruleset *rs, rule_kind k, const subject_bytes *sb)
{
  uint64_t cand = rs->trigger_always[k];
  /* Most subjects hold only bytes no rule of the kind waits for. */
  const uint64_t *any = rs->trigger_any[k];
  if (!((sb->has[0] & any[0]) | (sb->has[1] & any[1]) |
        (sb->has[2] & any[2]) | (sb->has[3] & any[3])))
    return cand;
  size_t nk = rs->first[k + 1] - rs->first[k];
  if (sb->len > 8 * nk && sb->len != SUBJECT_ANY_LEN) {
    /* A long subject holds many bytes: one test a rule is cheaper than
    ** one lookup a byte. (A stand-in for rewrites holds few: looked up.) */
    const uint64_t(*set)[4] = rs->trigger_set + rs->first[k];
    for (size_t j = 0; j < nk; j++)
      if (((set[j][0] & sb->has[0]) | (set[j][1] & sb->has[1]) |
           (set[j][2] & sb->has[2]) | (set[j][3] & sb->has[3])) != 0)
        cand |= (uint64_t)1 << j;
    return cand;
  }
  /* Only the subject's bytes that trigger something are looked up. */
  const uint64_t *trig = rs->trigger[k];
  for (int w = 0; w < 4; w++)
    for (uint64_t x = sb->has[w] & any[w]; x; x &= x - 1)
      cand |= trig[w * 64 + __builtin_ctzll(x)];
  return cand;
}

uint64_t rules_candidates(const ruleset *rs, rule_kind k, subject_bytes *sb)
{
  size_t nk = rs->first[k + 1] - rs->first[k];
  if (rs->trigger && rs->trigger_used[k])
    return candidates(rs, k, sb);
  return nk >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << nk) - 1;
}

int rules_any_bytes(const ruleset *rs, rule_kind k, const char *s, size_t n,
                    subject_bytes *sb)
{
  const rule *first = rules_begin(rs, k);
  if (rs->trigger && rs->trigger_used[k]) {
    for (uint64_t c = candidates(rs, k, sb); c; c &= c - 1) {
      const rule *r = first + __builtin_ctzll(c);
      if (may_match(r, sb) && match_now(rs, r, s, n, NULL, NULL))
        return 1;
    }
    return 0;
  }
  for (const rule *r = first; r < rules_end(rs, k); r++)
    if (may_match(r, sb) && match_now(rs, r, s, n, NULL, NULL))
      return 1;
  return 0;
}

int rules_kind_untouched(const ruleset *rs, rule_kind k, const char *s,
                         size_t n)
{
  return rules_kinds_untouched(rs, k, k, s, n);
}

int rules_kinds_untouched(const ruleset *rs, rule_kind k1, rule_kind k2,
                          const char *s, size_t n)
{
  if (!rs->trigger || !rs->trigger_used[k1] || !rs->trigger_used[k2] ||
      rs->trigger_always[k1] || rs->trigger_always[k2])
    return 0;
  const unsigned char *t1 = rs->trigger_byte[k1], *t2 = rs->trigger_byte[k2];
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n; i++)
    if (t1[p[i]] | t2[p[i]])
      return 0;
  return 1;
}

int rules_may_any(const ruleset *rs, rule_kind k, subject_bytes *sb)
{
  const rule *first = rules_begin(rs, k);
  if (rs->trigger && rs->trigger_used[k]) {
    for (uint64_t c = candidates(rs, k, sb); c; c &= c - 1)
      if (may_match(first + __builtin_ctzll(c), sb))
        return 1;
    return 0;
  }
  for (const rule *r = first; r < rules_end(rs, k); r++)
    if (may_match(r, sb))
      return 1;
  return 0;
}

void subject_add_rewrites(const ruleset *rs, subject_bytes *sb,
                          rule_kind rewrites)
{
  if (!sb->chars_taken) {
    charreq_bloom_of(sb->s, sb->len, sb->chars);
    sb->chars_taken = 1;
  }
  const subject_bytes *add = &rs->added[rewrites];
  for (int w = 0; w < 4; w++)
    sb->has[w] |= add->has[w];
  for (int w = 0; w < CHARREQ_BLOOM_WORDS; w++)
    sb->chars[w] |= add->chars[w];
  /* A rewrite may be longer than the subject: no length is ruled out. */
  sb->len = SUBJECT_ANY_LEN;
}

int rules_may_any_rewritten(const ruleset *rs, rule_kind k,
                            subject_bytes *sb, rule_kind rewrites)
{
  return rules_may_either_rewritten(rs, k, k, sb, rewrites);
}

int rules_may_either_rewritten(const ruleset *rs, rule_kind k1, rule_kind k2,
                               subject_bytes *sb, rule_kind rewrites)
{
  if (!sb->chars_taken) {
    charreq_bloom_of(sb->s, sb->len, sb->chars);
    sb->chars_taken = 1;
  }
  subject_bytes x = *sb;
  subject_add_rewrites(rs, &x, rewrites);
  return rules_may_any(rs, k1, &x) || (k2 != k1 && rules_may_any(rs, k2, &x));
}

int rules_any(const ruleset *rs, rule_kind k, const char *s, size_t n)
{
  if (rules_kind_untouched(rs, k, s, n))
    return 0;
  subject_bytes sb;
  subject_bytes_of(s, n, &sb);
  return rules_any_bytes(rs, k, s, n, &sb);
}

int rules_apply_all_bytes(ruleset *rs, rule_kind k, strbuf *b,
                          subject_bytes *sb)
{
  subject_bytes_of(strbuf_cstr(b), b->len, sb);
  return rules_apply_all_over(rs, k, b, sb);
}

int rules_apply_all_over(ruleset *rs, rule_kind k, strbuf *b,
                         subject_bytes *sb)
{
  int changed = 0;
  sb->s = strbuf_cstr(b);
  sb->len = b->len;
  const rule *first = rules_begin(rs, k);
  if (rs->trigger && rs->trigger_used[k]) {
    /* In rule order; a rewrite can bring in new bytes, so the rules after
    ** it are looked up again. */
    uint64_t c = candidates(rs, k, sb);
    while (c) {
      unsigned j = (unsigned)__builtin_ctzll(c);
      c &= c - 1;
      const rule *r = first + j;
      if (!may_match(r, sb))
        continue;
      int rc = apply_now(rs, r, b);
      if (rc < 0)
        return -1;
      if (rc > 0) {
        subject_rewritten(sb, r, strbuf_cstr(b), b->len);
        c = j == 63 ? 0 : candidates(rs, k, sb) & (~(uint64_t)0 << (j + 1));
      }
      changed += rc;
    }
    return changed;
  }
  for (const rule *r = first; r < rules_end(rs, k); r++) {
    if (!may_match(r, sb))
      continue;
    int rc = apply_now(rs, r, b);
    if (rc < 0)
      return -1;
    if (rc > 0)
      subject_rewritten(sb, r, strbuf_cstr(b), b->len);
    changed += rc;
  }
  return changed;
}

int rules_apply_all(ruleset *rs, rule_kind k, strbuf *b)
{
  subject_bytes sb;
  return rules_apply_all_bytes(rs, k, b, &sb);
}

const rule *rules_table(const ruleset *rs, const char *id)
{
  for (const rule *r = rules_begin(rs, RULE_TABLE);
       r < rules_end(rs, RULE_TABLE); r++)
    if (!strcmp(r->name, id))
      return r;
  return NULL;
}
