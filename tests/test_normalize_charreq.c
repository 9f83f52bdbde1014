/* charreq: the characters every match of a pattern must contain. Each
** case states what a pattern needs and checks it on subjects that have it
** and lack it; patterns charreq does not understand must say nothing.
** Then a sweep: random subjects built from the characters of the repo's
** rules, where PCRE2 itself finds a match, must never be refused. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <criterion/criterion.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charreq.h"
#include "rules.h"
#include "project_rules.h"

static charreq_cache *cache;

static void setup(void)
{
  cache = charreq_cache_new(1);
  cr_assert_not_null(cache);
}

static void teardown(void) { charreq_cache_free(cache); }

TestSuite(normalize_charreq, .init = setup, .fini = teardown);

static char_req learn(const char *pattern)
{
  char_req r;
  cr_assert_eq(charreq_learn(cache, pattern, strlen(pattern), &r), 0);
  return r;
}

static int holds(const char_req *r, const char *s)
{
  subject_bytes sb;
  subject_bytes_of(s, strlen(s), &sb);
  charreq_subject sub = {sb.has, s, strlen(s), sb.chars, &sb.chars_taken};
  return charreq_may_hold(r, &sub);
}

Test(normalize_charreq, literals_must_all_be_there)
{
  char_req r = learn("(?:部门|单位)(?:财务)?收支(?:预算)?表$");
  cr_assert_gt(r.n, 0);
  cr_assert(holds(&r, "部门收支表"));
  cr_assert(holds(&r, "2023年单位收支预算表"));
  cr_assert_not(holds(&r, "一般公共服务支出"), "has 支 but no 收 or 表");
  cr_assert_not(holds(&r, "收支预算表"), "neither 部门 nor 单位");
}

Test(normalize_charreq, optional_parts_and_lookarounds_are_not_required)
{
  char_req r = learn("a?b*(?=c)(?<!d)x{0,3}y+");
  cr_assert(holds(&r, "y"));
  cr_assert_not(holds(&r, "abcdx"));
  r = learn("(?:合计|总计)?[：:]");
  cr_assert(holds(&r, ":"));
  cr_assert(holds(&r, "合计："));
  cr_assert_not(holds(&r, "合计"));
}

Test(normalize_charreq, ucp_classes_as_pcre2_reads_them)
{
  char_req r = learn("\\s{2,}");
  cr_assert(holds(&r, "a b"));
  cr_assert(holds(&r, "a\xe3\x80\x80" "b"));  /* U+3000 */
  cr_assert(holds(&r, "a\xc2\xa0" "b"));      /* U+00A0 */
  cr_assert_not(holds(&r, "一般公共服务"));
  cr_assert_not(holds(&r, "（一）、“三公”"), "CJK punctuation is no space");
  r = learn("^\\d{2,22}$");
  cr_assert(holds(&r, "2010301"));
  cr_assert(holds(&r, "\xd9\xa3"));           /* U+0663, a digit in UCP */
  cr_assert(holds(&r, "\xef\xbc\x93"));       /* U+FF13, full-width 3 */
  cr_assert_not(holds(&r, "一般公共服务支出"));
  r = learn("\\p{Han}");
  cr_assert(holds(&r, "x合"));
  cr_assert_not(holds(&r, "abc 123"));
}

/* Every character of the Basic Multilingual Plane that PCRE2 matches with
** a UCP class is held by what charreq learned of it: read one by one in
** the blocks of budget text, by lead byte elsewhere, never missing. */
Test(normalize_charreq, ucp_classes_miss_no_character)
{
  static const char *const classes[] = {"\\s", "\\d"};
  for (size_t k = 0; k < sizeof classes / sizeof *classes; k++) {
    char_req r = learn(classes[k]);
    int ec;
    PCRE2_SIZE off;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)classes[k],
                                     PCRE2_ZERO_TERMINATED,
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED,
                                     &ec, &off, NULL);
    cr_assert_not_null(code);
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    size_t members = 0;
    for (uint32_t cp = 1; cp < 0x10000; cp++) {
      if (cp >= 0xD800 && cp <= 0xDFFF)
        continue;
      unsigned char u[4] = {0};
      size_t len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
      if (len == 1) {
        u[0] = (unsigned char)cp;
      } else if (len == 2) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
      } else {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
      }
      if (pcre2_match(code, u, len, 0, 0, md, NULL) < 0)
        continue;
      members++;
      cr_assert(holds(&r, (const char *)u), "%s: U+%04X refused", classes[k],
                (unsigned)cp);
    }
    cr_assert_gt(members, 10, "%s matched almost nothing", classes[k]);
    pcre2_match_data_free(md);
    pcre2_code_free(code);
  }
}

Test(normalize_charreq, written_classes_and_ranges)
{
  char_req r = learn("[\\x{3000}-\\x{303F}]");
  cr_assert(holds(&r, "「"));
  cr_assert(holds(&r, "、"));
  cr_assert_not(holds(&r, "一"));
  r = learn("[,，]");
  cr_assert(holds(&r, "1,234"));
  cr_assert(holds(&r, "1，234"));
  cr_assert_not(holds(&r, "1234.00"));
  r = learn("[\\d.,，]+%");
  cr_assert(holds(&r, "50%"));
  cr_assert_not(holds(&r, "50"));
  r = learn("[-a-c]z");      /* '-' first is a literal, a-c a range */
  cr_assert(holds(&r, "-z"));
  cr_assert(holds(&r, "bz"));
  cr_assert_not(holds(&r, "dz"));
  cr_assert_not(holds(&r, "z"));
  r = learn("[^a]");         /* anything but a: any character */
  cr_assert(holds(&r, "a"));  /* one byte: can't tell, must not refuse */
  cr_assert(holds(&r, "合"));
}

Test(normalize_charreq, alternation_needs_one_branch)
{
  char_req r = learn("此表无数据|本表无数据|无数据$");
  cr_assert(holds(&r, "本表无数据"));
  cr_assert(holds(&r, "无数据"));
  r = learn("x|y?");  /* a branch that needs nothing: nothing needed */
  cr_assert_eq(r.n, 0);
}

Test(normalize_charreq, what_it_does_not_read_gives_no_sets)
{
  static const char *const unread[] = {
      "(?i)abc", "a(?i:b)", "(a)\\1", "\\Qa.b\\E", "(*UTF)x", "(?(1)a|b)",
      "a{,3}b", "(?#c)x", "[[:alpha:]]x{", "a\\cXb", "(?R)"};
  for (size_t i = 0; i < sizeof unread / sizeof *unread; i++) {
    char_req r = learn(unread[i]);
    cr_assert_eq(r.n, 0, "%s", unread[i]);
  }
}

/* ---- the sweep ---------------------------------------------------------- */

static int pcre2_says(const char *pattern, const char *s, size_t n)
{
  int ec;
  PCRE2_SIZE off;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
  cr_assert_not_null(code, "%s", pattern);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, NULL);
  pcre2_match_data_free(md);
  pcre2_code_free(code);
  return rc >= 0;
}

/* The distinct characters of all patterns, plus spaces and digits. */
static size_t alphabet(const ruleset *rs, char (*out)[5], size_t max)
{
  static const char *const extra[] = {" ", "\xe3\x80\x80", "\xc2\xa0", "0",
                                      "7", ".", ",", "-", "\t"};
  size_t n = 0;
  for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
    snprintf(out[n++], 5, "%s", extra[i]);
  for (size_t i = 0; i < rs->n && n < max; i++) {
    const unsigned char *p = (const unsigned char *)rs->rules[i].pattern;
    while (*p && n < max) {
      size_t l = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
      if (*p < 0x80 && (*p == '\\' || *p < 0x20)) {
        p++;
        continue;
      }
      char c[5] = {0};
      memcpy(c, p, l);
      size_t k = 0;
      while (k < n && strcmp(out[k], c))
        k++;
      if (k == n)
        memcpy(out[n++], c, 5);
      p += l;
    }
  }
  return n;
}

Test(normalize_charreq, never_refuses_what_pcre2_matches)
{
  ruleset rs;
  load_project_rules(&rs);
  static char chars[2048][5];
  size_t nchars = alphabet(&rs, chars, 2048);
  unsigned seed = 12345;
  size_t matched = 0, refused_fairly = 0;
  for (int t = 0; t < 3000; t++) {
    char s[128] = "";
    seed = seed * 1103515245u + 12345u;
    size_t len = 1 + (seed >> 16) % 10;
    for (size_t k = 0; k < len; k++) {
      seed = seed * 1103515245u + 12345u;
      strcat(s, chars[(seed >> 16) % nchars]);
    }
    subject_bytes sb;
    subject_bytes_of(s, strlen(s), &sb);
    for (const rule *r = rs.rules; r < rs.rules + rs.n; r++) {
      if (r->kind == RULE_TABLE || !r->req.n)
        continue;
      if (pcre2_says(r->pattern, s, strlen(s))) {
        matched++;
        cr_assert(rule_may_match(r, &sb), "rule %s (%s) matches '%s' but "
                  "was refused", r->name, r->pattern, s);
      } else if (!rule_may_match(r, &sb)) {
        refused_fairly++;
      }
    }
  }
  ruleset_free(&rs);
  /* The sweep exercised both sides. */
  cr_assert_gt(matched, 100);
  cr_assert_gt(refused_fairly, 1000);
}

/* What a match starts with (rules.c puts a lookahead for it in front of a
** pattern PCRE2 finds no start for). */
static int first_has(const char_set *f, const char *ch)
{
  char cls[2048];
  cr_assert(charreq_class_text(f, cls, sizeof cls));
  return pcre2_says(cls, ch, strlen(ch));
}

Test(normalize_charreq, first_characters_of_a_match)
{
  char_set f;
  cr_assert(charreq_first(cache, "\\s+x", 4, &f));
  cr_assert(first_has(&f, " "));
  cr_assert(first_has(&f, "\xe3\x80\x80")); /* U+3000 */
  cr_assert_not(first_has(&f, "x"));
  cr_assert_not(first_has(&f, "表"));
  /* Lookarounds consume nothing: the \s after them starts the match. */
  const char *look = "(?<=[\\p{Han}])\\s+(?=[^\\s≥≤])|(?<=\\S)\\s+(?=\\p{Han})";
  cr_assert(charreq_first(cache, look, strlen(look), &f));
  cr_assert(first_has(&f, "\t"));
  cr_assert_not(first_has(&f, "表"));
  /* An optional start adds what follows it. */
  cr_assert(charreq_first(cache, "(?:预算)?表", strlen("(?:预算)?表"), &f));
  cr_assert(first_has(&f, "预"));
  cr_assert(first_has(&f, "表"));
  cr_assert_not(first_has(&f, "算"));
  /* Nothing is said where a match may be empty, may start anywhere \G
  ** says, or the pattern is not read. */
  static const char *const unknown[] = {"x*", "a|b?", "\\Gx", "(?i)a",
                                        "(a)\\1", "(?:x|)"};
  for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++)
    cr_assert_not(charreq_first(cache, unknown[i], strlen(unknown[i]), &f),
                  "%s", unknown[i]);
}

/* The subject's characters are read eight bytes at a time: one at any
** offset, split across a word or last in the text, is still found, and a
** text cut inside a character does not claim it. */
Test(normalize_charreq, characters_found_at_every_offset)
{
  char_req r = learn("表");
  for (size_t pad = 0; pad < 20; pad++) {
    char s[64];
    memset(s, 'a', pad);
    memcpy(s + pad, "表", 3);
    s[pad + 3] = '\0';
    cr_assert(holds(&r, s), "表 after %zu bytes", pad);
    s[pad + 2] = '\0';  /* cut inside it */
    cr_assert_not(holds(&r, s), "half a 表 after %zu bytes", pad);
    /* Other characters there: 合计 lacks 表's last byte (A8), so this
    ** holds whatever the Bloom filter says. */
    memcpy(s + pad, "合计", 6);
    s[pad + 6] = '\0';
    cr_assert_not(holds(&r, s), "合计 after %zu bytes", pad);
  }
}

static int same_set(const char_set *a, const char_set *b)
{
  if (a->ascii[0] != b->ascii[0] || a->ascii[1] != b->ascii[1] ||
      a->lead != b->lead || a->nexact != b->nexact ||
      a->exact_leads != b->exact_leads || a->exact_lasts != b->exact_lasts ||
      memcmp(a->exact_bloom, b->exact_bloom, sizeof a->exact_bloom))
    return 0;
  for (unsigned i = 0; i < a->nexact; i++)
    if (a->exact_len[i] != b->exact_len[i] ||
        memcmp(a->exact[i], b->exact[i], a->exact_len[i]))
      return 0;
  return 1;
}

/* The sets the build learned (charreq_seeds.c) are what PCRE2 says of
** those classes now, a seeded cache starts with them, and an unseeded one
** learns them itself. */
Test(normalize_charreq, the_built_seeds_are_what_the_library_says)
{
  char now[160];
  charreq_versions(now, sizeof now);
  cr_assert_str_eq(now, charreq_seeds_versions, "built against another PCRE2");
  cr_assert_geq(charreq_nseeds, 3);
  charreq_cache *fresh = charreq_cache_new(0);
  cr_assert_not_null(fresh);
  cr_assert_eq(charreq_cache_size(fresh), 0);
  for (size_t i = 0; i < charreq_nseeds; i++) {
    char_set s;
    cr_assert_eq(charreq_class(fresh, charreq_seeds[i].text, &s), 0);
    cr_assert(same_set(&s, &charreq_seeds[i].set), "%s",
              charreq_seeds[i].text);
  }
  cr_assert_eq(charreq_cache_size(fresh), charreq_nseeds);
  charreq_cache_free(fresh);
  cr_assert_eq(charreq_cache_size(cache), charreq_nseeds);
  /* \s holds U+3000 and the ASCII blanks, \d the full-width digits. */
  char_req r = learn("\\s");
  cr_assert(holds(&r, "单位　万元"));
  cr_assert_not(holds(&r, "单位万元"));
  r = learn("\\d");
  cr_assert(holds(&r, "第３页"));
  cr_assert_not(holds(&r, "第三页"));
}
