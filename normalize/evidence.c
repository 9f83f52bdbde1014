#define PCRE2_CODE_UNIT_WIDTH 8
#include "evidence.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "shape.h"
#include "stream.h"
#include "strbuf.h"

void evidence_init(evidence_book *bk) { memset(bk, 0, sizeof *bk); }

void evidence_free(evidence_book *bk)
{
  for (size_t i = 0; i < bk->cap; i++)
    free(bk->slot[i]);
  free(bk->slot);
  memset(bk, 0, sizeof *bk);
}

static size_t hash(const char *s)
{
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return (size_t)h;
}

/* The slot s is in, or the empty one it would go to. */
static size_t find(const evidence_book *bk, const char *s)
{
  size_t i = hash(s) & (bk->cap - 1);
  while (bk->slot[i] && strcmp(bk->slot[i], s))
    i = (i + 1) & (bk->cap - 1);
  return i;
}

static int grow(evidence_book *bk)
{
  size_t cap = bk->cap ? bk->cap * 2 : 256;
  evidence_book nb = {calloc(cap, sizeof *nb.slot), cap, bk->n};
  if (!nb.slot)
    return -1;
  for (size_t i = 0; i < bk->cap; i++)
    if (bk->slot[i])
      nb.slot[find(&nb, bk->slot[i])] = bk->slot[i];
  free(bk->slot);
  *bk = nb;
  return 0;
}

static int add(evidence_book *bk, const char *s)
{
  if (bk->n >= EVIDENCE_MAX)
    return 0;
  if ((bk->n + 1) * 2 > bk->cap && grow(bk) != 0)
    return -1;
  size_t i = find(bk, s);
  if (bk->slot[i])
    return 0;
  if (!(bk->slot[i] = strdup(s)))
    return -1;
  bk->n++;
  return 0;
}

int evidence_add_table(evidence_book *bk, const ruleset *rs, const table *t)
{
  for (size_t i = 0; i < t->body.n; i++) {
    const trow *r = &t->body.rows[i];
    for (size_t c = 0; c < r->n; c++)
      if (r->cells[c][0] && row_cell_is_amount(rs, r, c) &&
          add(bk, r->cells[c]) != 0)
        return -1;
  }
  return 0;
}

/* The decimal places of a decimal amount (digits, a point, digits), or
** -1 for anything else. */
static int places(const char *s)
{
  const char *p = s + (*s == '-');
  size_t before = strspn(p, "0123456789");
  if (!before || p[before] != '.' || !p[before + 1] ||
      strspn(p + before + 1, "0123456789") != strlen(p + before + 1))
    return -1;
  return (int)strlen(p + before + 1);
}

/* Whether the column tells that cell (row skip) should be an amount: it
** holds decimal amounts elsewhere, and, when the cell is a decimal itself
** (1235.0), every other one there has more places (1235.04). */
static int column_expects(const table *t, size_t skip, size_t c, const char *cell)
{
  int own = places(cell), seen = 0;
  for (size_t i = 0; i < t->body.n; i++) {
    if (i == skip || c >= t->body.rows[i].n)
      continue;
    int p = places(t->body.rows[i].cells[c]);
    if (p < 0)
      continue;
    if (own >= 0 && p <= own)
      return 0;
    seen = 1;
  }
  return seen;
}

typedef struct search {
  pcre2_code *code;
  pcre2_match_data *md;
  const char *hit; /* the one matching value so far */
  char *hit_own;
  int hits;        /* distinct values matching (2 means "several") */
} search;

static int try_value(search *s, const char *v)
{
  if (s->hits > 1 || (s->hit && !strcmp(s->hit, v)))
    return 0;
  if (pcre2_match(s->code, (PCRE2_SPTR)v, strlen(v), 0,
                  PCRE2_ANCHORED | PCRE2_ENDANCHORED, s->md, NULL) < 0)
    return 0;
  if (!s->hits) {
    if (!(s->hit_own = strdup(v)))
      return -1;
    s->hit = s->hit_own;
  }
  s->hits++;
  return 0;
}

static int note(FILE *out, const char *id, size_t row, size_t col,
                const char *cell, const char *rule_name, int hits)
{
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_LINE);
  int rc = strbuf_printf(&b,
                         "table %s row %zu column %zu: '%s' looks damaged "
                         "(%s); kept as printed: %s",
                         id, row, col, cell, rule_name,
                         hits ? "several values of the document fit it"
                              : "no value of the document proves a repair");
  if (rc != STRBUF_OK) {
    strbuf_free(&b);
    return -1;
  }
  char *args[] = {b.data};
  rc = stream_write_directive(out, "note", args, 1) != 0 ? -2 : 0;
  strbuf_free(&b);
  return rc;
}

/* Looks for the one value the candidate pattern allows; 1 repaired, 0
** reported, -1 OOM, -2 write error. */
static int repair_cell(evidence_book *bk, ruleset *rs, table *t, size_t i,
                       size_t c, const rule *r, const char *cand,
                       const char *id, FILE *out)
{
  int errcode;
  PCRE2_SIZE erroff;
  search s = {pcre2_compile((PCRE2_SPTR)cand, PCRE2_ZERO_TERMINATED,
                            PCRE2_UTF | PCRE2_UCP, &errcode, &erroff, NULL),
              NULL, NULL, NULL, 0};
  if (!s.code) /* a candidate that is no pattern proves nothing */
    return note(out, id, i + 1, c + 1, t->body.rows[i].cells[c], r->name, 0);
  if (!(s.md = pcre2_match_data_create_from_pattern(s.code, NULL))) {
    pcre2_code_free(s.code);
    return -1;
  }
  int rc = 0;
  for (size_t k = 0; k < bk->cap && !rc; k++)
    if (bk->slot[k])
      rc = try_value(&s, bk->slot[k]);
  for (size_t k = 0; k < t->body.n && !rc; k++) {
    const trow *o = &t->body.rows[k];
    for (size_t j = 0; j < o->n && !rc; j++)
      if ((k != i || j != c) && o->cells[j][0] && row_cell_is_amount(rs, o, j))
        rc = try_value(&s, o->cells[j]);
  }
  if (!rc) {
    trow *row = &t->body.rows[i];
    if (s.hits == 1) {
      char *before = strdup(row->cells[c]);
      rc = !before || shape_add_repair(t, i + 1, c, before, s.hit, r->name) != 0 ||
                   row_set(row, c, s.hit, strlen(s.hit)) != 0
               ? -1
               : 1;
      free(before);
    } else
      rc = note(out, id, i + 1, c + 1, row->cells[c], r->name, s.hits);
  }
  free(s.hit_own);
  pcre2_match_data_free(s.md);
  pcre2_code_free(s.code);
  return rc;
}

int evidence_repair(evidence_book *bk, ruleset *rs, table *t, const char *id,
                    FILE *out)
{
  const rule *b = rules_begin(rs, RULE_EVIDENCE), *e = rules_end(rs, RULE_EVIDENCE);
  if (b == e)
    return 0;
  int repaired = 0;
  strbuf cand;
  strbuf_init(&cand, STRBUF_CAP_CELL);
  for (size_t i = 0; i < t->body.n; i++) {
    for (size_t c = 0; c < t->body.rows[i].n; c++) {
      const char *cell = t->body.rows[i].cells[c];
      if (!cell[0])
        continue;
      size_t n = strlen(cell);
      /* Most cells hold no byte an evidence rule waits for: no byte set. */
      if (rules_kind_untouched(rs, RULE_EVIDENCE, cell, n))
        continue;
      subject_bytes sb;
      subject_bytes_of(cell, n, &sb);
      for (const rule *r = b; r < e; r++) {
        if (!rule_match_bytes(rs, r, cell, n, &sb, NULL, NULL))
          continue;
        if (!column_expects(t, i, c, cell))
          break;
        strbuf_clear(&cand);
        if (strbuf_append_str(&cand, cell) != STRBUF_OK ||
            rule_apply(rs, r, &cand) < 0) {
          strbuf_free(&cand);
          return -1;
        }
        int rc = repair_cell(bk, rs, t, i, c, r, strbuf_cstr(&cand), id, out);
        if (rc < 0) {
          strbuf_free(&cand);
          return rc;
        }
        repaired += rc;
        break;
      }
    }
  }
  strbuf_free(&cand);
  return repaired;
}
