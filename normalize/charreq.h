/*
** charreq.h: characters every match of a pattern must contain.
**
** Promise: charreq_learn() reads a rule's pattern source (PCRE2 syntax,
** compiled with UTF + UCP as rules.c does) and finds up to CHARREQ_MAX
** sets of characters such that every match of the pattern contains at
** least one character of each set: a literal or class that no quantifier
** makes optional, outside lookarounds; for an alternation, the union of
** one set of each branch. Anything it does not fully understand (inline
** options, back-references, \Q, verbs, conditionals, ...) gives no sets,
** never a wrong one. What a class or escape (\s, \d, \p{Han}, [...])
** holds is asked of PCRE2 itself, character by character in the blocks of
** the Basic Multilingual Plane that budget text uses (Latin-1, general
** punctuation, CJK, full-width forms); a character of another block is
** possible when its lead byte is (a superset), and one beyond the BMP
** always is. charreq_may_hold() then tells whether a subject can meet
** them: 0 only when it lacks every character of some set (by its bytes and
** a Bloom filter of its characters, so a 1 may be wrong, a 0 never).
**
** It is a prefilter for rules.c (which PCRE2's own first/last code unit
** facts cannot give for UCP classes like \s and \d): a rule whose subject
** cannot meet its sets is not run. Not thread-safe while learning (one
** cache per ruleset); checking is read-only.
*/
#ifndef BUDGET_NORMALIZE_CHARREQ_H
#define BUDGET_NORMALIZE_CHARREQ_H

#include <stddef.h>
#include <stdint.h>

#define CHARREQ_MAX 4         /* sets kept per pattern: the sharpest */
#define CHARSET_MAX_EXACT 24  /* non-ASCII members listed one by one */

/* A set of characters, as bytes a subject holds: ASCII members exactly,
** other members either listed (their UTF-8) or, past the list's size,
** by their lead byte (any character with that lead byte may be one). */
typedef struct char_set {
  uint64_t ascii[2];  /* members below 0x80 */
  uint64_t lead;      /* bit b - 0xC0: lead byte b stands for members */
  unsigned nexact;
  unsigned char exact[CHARSET_MAX_EXACT][4];
  unsigned char exact_len[CHARSET_MAX_EXACT];
  uint64_t exact_bloom[8];  /* charreq_char_hash() bits of the listed ones */
  uint64_t exact_leads;     /* their lead bytes (bit b - 0xC0) */
  uint64_t exact_lasts;     /* their last bytes (bit b - 0x80) */
} char_set;

typedef struct char_req {
  size_t n;                     /* 0: nothing known, every subject may match */
  char_set sets[CHARREQ_MAX];
} char_req;

/* What classes hold, learned once per distinct class text. */
typedef struct charreq_cache charreq_cache;

/* With use_seeds, the cache starts with the common classes' sets as the
** build learned them (charreq_seeds.c, written by charreq_gen.c with this
** very code), when the PCRE2 and Unicode versions it runs with are the
** ones the build had: enumerating \s or \d costs more than the rest of
** loading the rules. Otherwise every class is enumerated when first met.
** NULL on OOM. */
charreq_cache *charreq_cache_new(int use_seeds);
void charreq_cache_free(charreq_cache *c);

/* A class's set, learned once and kept (charreq_seeds.c). */
typedef struct charreq_seed {
  const char *text; /* the class or escape as a pattern writes it */
  char_set set;
} charreq_seed;
extern const charreq_seed charreq_seeds[];
extern const size_t charreq_nseeds;
extern const char charreq_seeds_versions[]; /* as charreq_versions() */

/* What one class or escape (\s, \p{Han}, [...], .) holds: from the cache,
** else learned now. 0, or -1 when it is not one character at a time. */
int charreq_class(charreq_cache *c, const char *text, char_set *out);
/* "PCRE2 VERSION / Unicode VERSION" of the library running, into buf. */
void charreq_versions(char *buf, size_t size);
/* How many classes the cache holds (seeded ones included). */
size_t charreq_cache_size(const charreq_cache *c);

/* Fills *out (n = 0 when nothing can be said). Returns 0, or -1 when
** memory ran out (out->n is then 0 too: the rule is just not filtered). */
int charreq_learn(charreq_cache *c, const char *pattern, size_t len,
                  char_req *out);

/* The characters every match of the pattern starts with, from the same
** reading as charreq_learn(): 1 when *first holds them (a superset), every
** match consumes at least one character and the pattern has no \G (whose
** meaning depends on where a search starts); 0 when nothing is known. */
int charreq_first(charreq_cache *c, const char *pattern, size_t len,
                  char_set *first);
/* *first written as a PCRE2 class ("[\x{20}\x{3000}-\x{3FFF}]") into
** buf; 0 when it does not fit (or holds no character). */
int charreq_class_text(const char_set *first, char *buf, size_t size);

/* A subject's non-ASCII characters, as bits of a small Bloom filter:
** a character's bit is set whenever it occurs, other bits may be too. */
#define CHARREQ_BLOOM_WORDS 8
unsigned charreq_char_hash(const unsigned char *u, size_t len);
void charreq_bloom_of(const char *s, size_t n,
                      uint64_t bloom[CHARREQ_BLOOM_WORDS]);

/* What charreq_may_hold() looks at: the subject's bytes (as rules.h's
** subject_bytes holds them) and, taken only when a set lists characters,
** its Bloom filter. */
typedef struct charreq_subject {
  const uint64_t *has;   /* [4] */
  const char *s;
  size_t n;
  uint64_t *bloom;       /* [CHARREQ_BLOOM_WORDS] */
  int *bloom_taken;
} charreq_subject;

/* Inline: it runs once for every rule a subject is tested against. */
static inline int charreq_set_may_hold(const char_set *s,
                                       const charreq_subject *sub)
{
  const uint64_t *has = sub->has;
  if ((has[0] & s->ascii[0]) | (has[1] & s->ascii[1]) | (has[3] & s->lead))
    return 1;
  /* A listed character needs its lead byte (has[3]) and its last byte
  ** (has[2]) in the subject before the filter is worth taking. */
  if (!(has[3] & s->exact_leads) || !(has[2] & s->exact_lasts))
    return 0;
  if (!*sub->bloom_taken) {
    charreq_bloom_of(sub->s, sub->n, sub->bloom);
    *sub->bloom_taken = 1;
  }
  uint64_t hit = 0;
  for (int w = 0; w < CHARREQ_BLOOM_WORDS; w++)
    hit |= sub->bloom[w] & s->exact_bloom[w];
  return hit != 0;
}

static inline int charreq_may_hold(const char_req *r,
                                   const charreq_subject *sub)
{
  for (size_t i = 0; i < r->n; i++)
    if (!charreq_set_may_hold(&r->sets[i], sub))
      return 0;
  return 1;
}

#endif
