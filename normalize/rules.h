/*
** rules.h: the rule files under rules/, loaded and compiled once.
**
** Promise: ruleset_load_dir() reads every "*.rules" file of a directory in
** name order, compiles each pattern once (PCRE2, UTF + UCP, JIT where the
** library has it) and keeps the rules in file order, which is the order
** they run in. On failure it returns -1 and writes one message of the form
** "FILE:LINE: what is wrong" into err; nothing is left allocated. The
** ruleset owns all its strings and one match-data block that every match
** reuses, so a ruleset is not shared between threads.
**
** The rule language is documented in rules/README.md. In short, one rule
** a line:  KIND NAME PATTERN [=> REPLACEMENT]   ("table" lines differ).
*/
#ifndef BUDGET_NORMALIZE_RULES_H
#define BUDGET_NORMALIZE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "charreq.h"
#include "strbuf.h"

typedef enum rule_kind {
  RULE_TABLE = 0,   /* catalog: table ID CANONICAL [flags] (no pattern) */
  RULE_TITLE,       /* squeezed title -> ID (NAME is the ID) */
  RULE_GENERIC,     /* squeezed title of a table with no standard ID */
  RULE_NOT_TITLE,   /* raw line that is never a title */
  RULE_TITLE_NOISE, /* rewrite of a squeezed title before matching */
  RULE_TITLE_BLOCK, /* line of the title block: label, 部门名称, year */
  RULE_UNIT,        /* line naming the unit: group 1 is the unit */
  RULE_NOTE,        /* note under a table: not a row */
  RULE_SKIP,        /* page furniture: ignored everywhere */
  RULE_CELL,        /* rewrite of every cell (header and body) */
  RULE_NUMBER,      /* rewrite of body cells (amount damage) */
  RULE_EVIDENCE,    /* a damaged amount: replacement is the pattern its
                       true value, printed elsewhere, must match */
  RULE_AMOUNT,      /* a clean body cell that is an amount */
  RULE_CODE,        /* a clean body cell that is a code */
  RULE_TOTAL,       /* a row label (合计, 一、…): with amounts only, a body row */
  RULE_HEADER,      /* header vocabulary: literal terms completing cut parts */
  RULE_NOT_TAIL,    /* a cell that never continues the cell above */
  RULE_VALUE,       /* a clean body cell that is an indicator value (≥80批) */
  RULE_VALUE_COLUMN, /* a header path whose column holds the value of the
                        label column left of it (指标值) */
  RULE_DATA,        /* a raw row cell only table data holds (a decimal
                       amount): its row is read as no line */
  /* What names the document's department and year (document.h); the
  ** groups (?<dept>…) and (?<year>…) hold them where a kind needs them. */
  RULE_DEPT_LABEL,  /* raw line or cell: a label, its value the dept */
  RULE_DEPT_LABEL_CELL, /* squeezed cell: a label alone; the next cell is
                           the department */
  RULE_DEPT_NAME,   /* squeezed text: the whole of it an organisation */
  RULE_DEPT_TITLE,  /* squeezed title: dept and year */
  RULE_YEAR_TITLE,  /* squeezed title: year only */
  RULE_COVER_YEAR,  /* squeezed line under a cover's department name */
  RULE_TITLE_LEAD,  /* squeezed title: numbering before it, cut */
  RULE_LABEL_TAIL,  /* a label's value: what follows the name, cut */
  RULE_DOC_NOT_TITLE, /* raw line: no cover or title for the dept scan */
  RULE_KIND_COUNT
} rule_kind;

/* The bytes a subject holds, taken once so that many rules can be tested
** against it (rule_may_match); any change to the subject needs a new one.
** Its characters (for charreq.h) are only taken when a rule asks. */
typedef struct subject_bytes {
  uint64_t has[4];
  size_t len;
  const char *s;                       /* the subject */
  int chars_taken;                     /* chars[] filled yet */
  uint64_t chars[CHARREQ_BLOOM_WORDS]; /* charreq_bloom_of(s) */
} subject_bytes;

#define FACT_STARTS 1
#define FACT_NEEDS 2

typedef struct rule {
  rule_kind kind;
  char *name;        /* rule name, or the table ID for title/table */
  char *pattern;     /* source text, for messages */
  char *replacement; /* NULL unless the rule has "=>" */
  char *canonical;   /* RULE_TABLE: canonical title */
  int form;          /* RULE_TABLE: a form without column heads */
  int may_be_empty;  /* RULE_TABLE: printed with its header only when it
                        has no data (10, 11); other tables need rows */
  void *code;        /* pcre2_code_8 * (void keeps PCRE2 out of the API) */
  /* What every match needs, from PCRE2's own start-of-match facts, so a
  ** subject that lacks it is rejected without calling PCRE2 (whose call
  ** overhead dominates on short cells): a byte of starts[] and a byte of
  ** needs[] present in the subject, and at least min_len bytes. */
  uint64_t starts[4], needs[4];
  size_t min_len;
  int facts;         /* FACT_STARTS, FACT_NEEDS: that set is not all bytes */
  /* Characters every match contains (charreq.h): what PCRE2's facts do
  ** not say for UCP classes (\s, \d) and literals past the first byte. */
  char_req req;
  subject_bytes rep_bytes; /* of the replacement: what a rewrite may add */
  /* The replacement is literal text (no $) and no match is empty: the
  ** rewrite is a plain search-and-replace loop (rules.c). */
  int rep_literal;
  size_t rep_len;
  int jit;           /* JIT-compiled: matched by pcre2_jit_match() */
  int jit_wanted;    /* JIT allowed and not tried yet (rules.c) */
  unsigned runs;     /* matches run before the JIT was compiled */
  /* A pattern anchored at the subject's start (^, \A): the bytes its
  ** match can start with (charreq_first), tested on the subject's first
  ** byte; first_known is 0 when nothing is known. */
  int first_known;
  uint64_t first_bytes[4];
  /* The numbers of the groups named dept and year, 0 when it has none. */
  int dept_group, year_group;
  char *file;        /* where it was defined */
  int line;
} rule;

typedef struct ruleset {
  rule *rules;
  size_t n, cap;
  size_t first[RULE_KIND_COUNT + 1]; /* rules sorted by kind: index ranges */
  void *match_data;                  /* shared pcre2_match_data_8 * */
  char *sub;                         /* substitution output */
  size_t subsize;
  strbuf scratch;                    /* a line being rewritten (title.c) */
  charreq_cache *learning;           /* while loading only */
  /* Per kind: bit j of trigger[k][b] when byte b may let the kind's j-th
  ** rule through; trigger_always[k], rules any subject may; used only
  ** where trigger_used[k] (kinds of up to 64 rules). */
  uint64_t (*trigger)[256];
  uint64_t (*trigger_set)[4];        /* per rule: the bytes of trigger[] */
  uint64_t trigger_always[RULE_KIND_COUNT];
  uint64_t trigger_any[RULE_KIND_COUNT][4]; /* bytes triggering any rule */
  unsigned char trigger_byte[RULE_KIND_COUNT][256]; /* the same, a byte each */
  int trigger_used[RULE_KIND_COUNT];
  /* Per kind: the bytes and characters its replacements may bring into a
  ** subject (all of them, chars taken; empty for kinds that rewrite none). */
  subject_bytes added[RULE_KIND_COUNT];
  /* What the amount and code rules said of recent cell texts (cells.h);
  ** one block, freed with the ruleset. */
  struct cell_memo *memo;
  /* A twin (ruleset_twin()): the strings and trigger tables are its
  ** original's, not freed with it. */
  int is_twin;
} ruleset;

int ruleset_load_dir(ruleset *rs, const char *dir, char *err, size_t errsz);
/* Loads one file's text (tests use it); name is used in messages. */
int ruleset_load_text(ruleset *rs, const char *name, const char *text,
                      char *err, size_t errsz);
void ruleset_free(ruleset *rs);

/* A ruleset for another thread: the same rules in the same order (rule i
** of the twin is rule i of src, with the very same name, pattern and
** catalog strings), its own compiled patterns, match data and scratch
** state, so each thread matches without the other. src must not be
** matched against while this runs (its JIT state is read), and must
** outlive the twin; ruleset_free() frees only what the twin owns.
** 0, or -1 on OOM (nothing left allocated). */
int ruleset_twin(ruleset *dst, const ruleset *src);

/* The rules of one kind, in load order. */
const rule *rules_begin(const ruleset *rs, rule_kind k);
const rule *rules_end(const ruleset *rs, rule_kind k);

/* 1 if r matches s; start and end (may be NULL) receive the match offsets,
** and, when group1 is non-NULL, the offsets of group 1 (or -1). */
int rule_match(const ruleset *rs, const rule *r, const char *s, size_t n,
               size_t *start, size_t *end);
int rule_group1(const ruleset *rs, const rule *r, const char *s, size_t n,
                size_t *g0, size_t *g1);

/* Applies r's replacement to every match in b, in place. Returns 1 when the
** text changed, 0 when not, -1 on error (cap or memory). */
int rule_apply(ruleset *rs, const rule *r, strbuf *b);

void subject_bytes_of(const char *s, size_t n, subject_bytes *sb);
/* 0 when r cannot match a subject with these bytes; 1 when it may. */
int rule_may_match(const rule *r, subject_bytes *sb);

/* rule_match() and rule_group1() with the subject's bytes already taken (sb
** is of s), for a subject tested against many rules. */
int rule_match_bytes(const ruleset *rs, const rule *r, const char *s, size_t n,
                     subject_bytes *sb, size_t *start,
                     size_t *end);
int rule_group1_bytes(const ruleset *rs, const rule *r, const char *s,
                      size_t n, subject_bytes *sb, size_t *g0,
                      size_t *g1);
/* Group g (a number, > 0) of the ruleset's last match (rule_match*()
** that returned 1): 1 and its offsets, or 0 when the group took no part
** in it. */
int rules_last_group(const ruleset *rs, int g, size_t *g0, size_t *g1);

/* 1 if any rule of kind k matches s. */
int rules_any(const ruleset *rs, rule_kind k, const char *s, size_t n);

/* rules_any() with the subject's bytes already taken (sb is of s). */
int rules_any_bytes(const ruleset *rs, rule_kind k, const char *s, size_t n,
                    subject_bytes *sb);

/* Bit j set when the j-th rule of kind k may pass the prefilter on a
** subject with these bytes (a superset; kinds of more than 64 rules, or
** not indexed, get their first 64 bits set, so callers past 64 test every
** rule themselves). */
uint64_t rules_candidates(const ruleset *rs, rule_kind k, subject_bytes *sb);

/* 1 when s[0..n) holds no byte that could let any rule of kind k through
** (so none can match it); 0 when it may, or when the kind is not indexed.
** Cheaper than taking the subject's bytes: it stops at the first. */
int rules_kind_untouched(const ruleset *rs, rule_kind k, const char *s,
                         size_t n);
/* The same for two kinds at once (one scan). */
int rules_kinds_untouched(const ruleset *rs, rule_kind k1, rule_kind k2,
                          const char *s, size_t n);

/* 1 if some rule of kind k passes the prefilter on a subject with these
** bytes (0: none of them can match it). */
int rules_may_any(const ruleset *rs, rule_kind k, subject_bytes *sb);

/* rules_may_any() on every text the rules of kind `rewrites` may make of
** a subject with sb's bytes: 0 only when no rule of kind k can match any
** rewrite of it, of any length (the rewrites hold only the subject's bytes
** and characters and their replacements'). Takes sb's characters. */
int rules_may_any_rewritten(const ruleset *rs, rule_kind k,
                            subject_bytes *sb, rule_kind rewrites);
/* The same for two kinds at once: 0 only when neither can match (one
** stand-in for the rewrites serves both). */
int rules_may_either_rewritten(const ruleset *rs, rule_kind k1, rule_kind k2,
                               subject_bytes *sb, rule_kind rewrites);
/* The length of a subject_bytes that stands for rewrites of any length. */
#define SUBJECT_ANY_LEN ((size_t)-1)

/* Makes sb stand for every rewrite of its subject by the rules of kind
** `rewrites` (their bytes and characters added, any length), so that the
** tests above answer for all of them; applied for several kinds in turn,
** for a chain of rewrites. Takes sb's characters first. */
void subject_add_rewrites(const ruleset *rs, subject_bytes *sb,
                          rule_kind rewrites);

/* Applies every rule of kind k in order; returns -1 on error, else the
** number of rules that changed b. */
int rules_apply_all(ruleset *rs, rule_kind k, strbuf *b);
/* The same, leaving in *sb what the rules' prefilter needs of the result
** (a superset of its bytes: sound for rule_may_match and the _bytes
** functions, which may then skip taking them again). */
int rules_apply_all_bytes(ruleset *rs, rule_kind k, strbuf *b,
                          subject_bytes *sb);
/* The same, *sb on entry holding a superset of b's bytes and characters
** (those of a text b was cut from: a squeezed or trimmed copy holds no
** byte its source did not), so they are not taken again. */
int rules_apply_all_over(ruleset *rs, rule_kind k, strbuf *b,
                         subject_bytes *sb);

/* JIT is an optimisation (a library built without it still matches): a
** pattern is JIT-compiled once it has run RULES_JIT_AFTER_RUNS times, as
** compiling costs as much as dozens of matches and most patterns run only
** a few times on a document; never when BUDGET_NO_JIT is set (valgrind
** cannot see through JIT code and reports its reads as uninitialised).
** The rules and document.c's patterns go by this. */
#define RULES_JIT_AFTER_RUNS 16
int rules_jit_wanted(void);

/* The catalog entry for an ID, or NULL. */
const rule *rules_table(const ruleset *rs, const char *id);

#endif
