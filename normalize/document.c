#include "document.h"

#include <stdlib.h>
#include <string.h>

/* Lines longer than this are prose or rows, never a cover or a label. */
#define DOC_MAX_LINE 400
/* Evidence weights: a label names the department on purpose; a title
** names it in passing; a year in a table title alone is weak. */
#define W_LABEL 3
#define W_TITLE 2
#define W_YEAR_ONLY 1
/* The cover (page 1) names the department in full; the body and the
** headings of its parts (第二部分 省委办公厅…) often shorten it. */
#define W_COVER 6
#define W_HEADING 1

typedef struct tally {
  char *name;
  int year;
  int score;
} tally;

struct doc_meta {
  const ruleset *rs;
  tally names[DOC_MAX_CANDIDATES];
  size_t nnames;
  tally years[DOC_MAX_CANDIDATES];
  size_t nyears;
  char *prev;          /* the last text line (squeezed), for 2-line covers */
  char *source;        /* @@source NAME, or the input's name */
  char *source_pages;  /* @@source PAGES */
  int max_page;
  int given;           /* @@document seen: its values stand */
  char *given_dept, *given_year, *given_source, *given_pages;
  char *sq;            /* squeeze buffer */
  size_t sqcap;
};

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

doc_meta *doc_meta_new(const char *name, const ruleset *rs)
{
  doc_meta *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  d->rs = rs;
  if (name && strcmp(name, "<stdin>") != 0 && !(d->source = strdup(name))) {
    doc_meta_free(d);
    return NULL;
  }
  return d;
}

void doc_meta_free(doc_meta *d)
{
  if (!d)
    return;
  for (size_t i = 0; i < d->nnames; i++)
    free(d->names[i].name);
  free(d->prev);
  free(d->source);
  free(d->source_pages);
  free(d->given_dept);
  free(d->given_year);
  free(d->given_source);
  free(d->given_pages);
  free(d->sq);
  free(d);
}

/* The first rule of kind k (in file order) that matches s[0..n), or
** NULL; *m0, *m1 get its match. Its groups are the ruleset's last match
** until the next one (group()). sb holds the bytes of the record text s
** is, or is cut or squeezed from, taken once for every rule asked of it:
** a superset of s's own (squeezing and groups only leave bytes out), and
** of its characters once taken. The rules see s itself, its first byte
** and length (an anchored rule tests that byte). */
static const rule *first_match(doc_meta *d, rule_kind k, const char *s,
                               size_t n, subject_bytes *sb, size_t *m0,
                               size_t *m1)
{
  subject_bytes view = *sb;
  view.s = s;
  view.len = n;
  const rule *hit = NULL;
  for (const rule *r = rules_begin(d->rs, k); r < rules_end(d->rs, k) && !hit;
       r++)
    if (rule_match_bytes(d->rs, r, s, n, &view, m0, m1))
      hit = r;
  /* Characters taken of the record text itself serve its later views. */
  if (view.chars_taken && !sb->chars_taken && s == sb->s && n == sb->len) {
    memcpy(sb->chars, view.chars, sizeof sb->chars);
    sb->chars_taken = 1;
  }
  return hit;
}

/* Group g of the last match, in s: 1, or 0 when it took no part. */
static int group(doc_meta *d, int g, const char *s, const char **gs,
                 size_t *gn)
{
  size_t g0, g1;
  if (!rules_last_group(d->rs, g, &g0, &g1))
    return 0;
  *gs = s + g0;
  *gn = g1 - g0;
  return 1;
}

static int vote_name(doc_meta *d, const char *s, size_t n, int w)
{
  for (size_t i = 0; i < d->nnames; i++)
    if (strlen(d->names[i].name) == n && !memcmp(d->names[i].name, s, n)) {
      d->names[i].score += w;
      return 0;
    }
  if (d->nnames == DOC_MAX_CANDIDATES)
    return 0; /* bounded: a document naming 32 bodies has its winner */
  char *c = strndup(s, n);
  if (!c)
    return -1;
  d->names[d->nnames++] = (tally){c, 0, w};
  return 0;
}

static void vote_year(doc_meta *d, const char *s, int w)
{
  int y = atoi(s);
  for (size_t i = 0; i < d->nyears; i++)
    if (d->years[i].year == y) {
      d->years[i].score += w;
      return;
    }
  if (d->nyears < DOC_MAX_CANDIDATES)
    d->years[d->nyears++] = (tally){NULL, y, w};
}

/* Votes for the department a "dept-name" rule finds in s[0..n) (sb as
** first_match()'s). */
static int vote_if_org(doc_meta *d, const char *s, size_t n, subject_bytes *sb,
                       int w)
{
  size_t m0, m1, gn;
  const char *g;
  const rule *r = first_match(d, RULE_DEPT_NAME, s, n, sb, &m0, &m1);
  if (!r || !group(d, r->dept_group, s, &g, &gn))
    return 0;
  return vote_name(d, g, gn, w);
}

/* The text without white space (titles are printed spaced: 2023 年部门…),
** in d->sq. NULL on OOM. */
static const char *squeeze(doc_meta *d, const char *s, size_t *len)
{
  size_t n = strlen(s);
  if (n + 1 > d->sqcap) {
    char *p = realloc(d->sq, n + 1);
    if (!p)
      return NULL;
    d->sq = p;
    d->sqcap = n + 1;
  }
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f')
      continue;
    /* U+3000 ideographic space */
    if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
        (unsigned char)s[i + 2] == 0x80) {
      i += 2;
      continue;
    }
    d->sq[o++] = s[i];
  }
  d->sq[o] = '\0';
  *len = o;
  return d->sq;
}

/* A "dept-label" rule's department (部门名称：X) anywhere in a line or a
** cell, less what a "label-tail" rule cuts from it. */
static int label_line(doc_meta *d, const char *raw, size_t n,
                      subject_bytes *sb)
{
  size_t m0, m1, gn;
  const char *g;
  const rule *r = first_match(d, RULE_DEPT_LABEL, raw, n, sb, &m0, &m1);
  if (!r || !group(d, r->dept_group, raw, &g, &gn))
    return 0;
  /* "江苏省高级人民法院单位:万元" when no space separated them */
  if (first_match(d, RULE_LABEL_TAIL, g, gn, sb, &m0, &m1))
    gn = m0;
  return vote_if_org(d, g, gn, sb, W_LABEL);
}

/* A cover or table title: year and, where printed, the department. A
** line a "doc-not-title" rule matches (a sentence) is none. sb is of raw. */
static int title_line(doc_meta *d, const char *raw, subject_bytes *sb,
                      int page)
{
  /* No rule that votes on a title can match the squeezed line when the
  ** line holds no byte one waits for (squeezing only leaves bytes out):
  ** it is not squeezed. */
  size_t rn = strlen(raw);
  if (rules_kinds_untouched(d->rs, RULE_DEPT_TITLE, RULE_YEAR_TITLE, raw, rn) ||
      rules_any_bytes(d->rs, RULE_DOC_NOT_TITLE, raw, rn, sb))
    return 0;
  size_t n;
  const char *s = squeeze(d, raw, &n);
  if (!s)
    return -1;
  const char *g;
  size_t gn, m0, m1;
  int w = page <= 1 ? W_COVER : W_TITLE;
  if (first_match(d, RULE_TITLE_LEAD, s, n, sb, &m0, &m1)) {
    s += m1;
    n -= m1;
    w = W_HEADING;
  }
  const rule *r = first_match(d, RULE_DEPT_TITLE, s, n, sb, &m0, &m1);
  if (r) {
    const char *y;
    size_t yn;
    if (!group(d, r->year_group, s, &y, &yn))
      y = NULL;
    if (group(d, r->dept_group, s, &g, &gn) && vote_name(d, g, gn, w) < 0)
      return -1;
    if (y)
      vote_year(d, y, w);
  } else if ((r = first_match(d, RULE_YEAR_TITLE, s, n, sb, &m0, &m1))) {
    if (group(d, r->year_group, s, &g, &gn))
      vote_year(d, g, W_YEAR_ONLY);
    /* 洛宁县人力资源和社会保障局 / 2025年度部门预算 */
    if (d->prev && first_match(d, RULE_COVER_YEAR, s, n, sb, &m0, &m1)) {
      /* The line before is another record: its own bytes. */
      size_t pn = strlen(d->prev);
      subject_bytes pb;
      subject_bytes_of(d->prev, pn, &pb);
      if (vote_if_org(d, d->prev, pn, &pb, w) < 0)
        return -1;
    }
  }
  return 0;
}

static int text_record(doc_meta *d, const char *line, int page)
{
  size_t len = strlen(line);
  if (len > DOC_MAX_LINE)
    return 0;
  subject_bytes sb;
  subject_bytes_of(line, len, &sb);
  if (label_line(d, line, len, &sb) < 0 || title_line(d, line, &sb, page) < 0)
    return -1;
  size_t n;
  const char *s = squeeze(d, line, &n);
  if (!s)
    return -1;
  free(d->prev);
  return (d->prev = strdup(s)) ? 0 : -1;
}

static int row_record(doc_meta *d, char *const *cells, size_t nc, int page)
{
  size_t nonempty = 0, only = 0;
  subject_bytes sb;
  for (size_t i = 0; i < nc; i++) {
    if (!cells[i][0])
      continue;
    nonempty++;
    only = i;
    size_t len = strlen(cells[i]);
    /* Most cells (amounts, codes) hold no byte a label rule waits for:
    ** one scan, and their bytes are not taken. */
    if (len > DOC_MAX_LINE || rules_kinds_untouched(d->rs, RULE_DEPT_LABEL,
                                                    RULE_DEPT_LABEL_CELL,
                                                    cells[i], len))
      continue;
    subject_bytes_of(cells[i], len, &sb);
    if (label_line(d, cells[i], len, &sb) < 0)
      return -1;
    if (rules_kind_untouched(d->rs, RULE_DEPT_LABEL_CELL, cells[i], len))
      continue;
    size_t n, m0, m1;
    const char *s = squeeze(d, cells[i], &n);
    if (!s)
      return -1;
    if (!first_match(d, RULE_DEPT_LABEL_CELL, s, n, &sb, &m0, &m1))
      continue;
    /* the 14 form: 部门（单位）名称 | X */
    for (size_t j = i + 1; j < nc; j++)
      if (cells[j][0]) {
        subject_bytes vb;
        subject_bytes_of(cells[j], strlen(cells[j]), &vb);
        if ((s = squeeze(d, cells[j], &n)) == NULL ||
            vote_if_org(d, s, n, &vb, W_LABEL) < 0)
          return -1;
        break;
      }
  }
  /* A title or cover line caught in a grid is a one-cell row. */
  size_t len = nonempty == 1 ? strlen(cells[only]) : 0;
  if (nonempty != 1 || len > DOC_MAX_LINE)
    return 0;
  subject_bytes_of(cells[only], len, &sb);
  return title_line(d, cells[only], &sb, page);
}

static int set_field(char **dst, const stream_record *rec, size_t i)
{
  free(*dst);
  *dst = dup_or_null(i < rec->nfields ? rec->fields[i] : "");
  return *dst ? 0 : -1;
}

int doc_meta_observe(doc_meta *d, const stream_record *rec)
{
  if (rec->page > d->max_page)
    d->max_page = rec->page;
  switch (rec->kind) {
  case STREAM_TEXT:
    return d->given ? 0 : text_record(d, rec->fields[0], rec->page);
  case STREAM_ROW:
    return d->given ? 0 : row_record(d, rec->fields, rec->nfields, rec->page);
  case STREAM_DIRECTIVE:
    if (!strcmp(rec->keyword, "source")) {
      if (set_field(&d->source, rec, 0) < 0 ||
          set_field(&d->source_pages, rec, 1) < 0)
        return -1;
      if (!strcmp(d->source, "<stdin>") || !strcmp(d->source, "-"))
        d->source[0] = '\0'; /* a pipe has no name */
    } else if (!strcmp(rec->keyword, "page") && rec->nfields > 0) {
      int p = atoi(rec->fields[0]);
      if (p > d->max_page && p < 1000000)
        d->max_page = p;
    } else if (!strcmp(rec->keyword, "document")) {
      d->given = 1;
      if (set_field(&d->given_dept, rec, 0) < 0 ||
          set_field(&d->given_year, rec, 1) < 0 ||
          set_field(&d->given_source, rec, 2) < 0 ||
          set_field(&d->given_pages, rec, 3) < 0)
        return -1;
    }
    return 0;
  default:
    return 0;
  }
}

static const tally *winner(const tally *t, size_t n)
{
  const tally *best = NULL;
  for (size_t i = 0; i < n; i++)
    if (!best || t[i].score > best->score)
      best = &t[i];
  return best;
}

const char *doc_meta_department(doc_meta *d)
{
  if (d->given)
    return d->given_dept;
  const tally *w = winner(d->names, d->nnames);
  return w ? w->name : "";
}

int doc_meta_year(doc_meta *d)
{
  if (d->given)
    return atoi(d->given_year);
  const tally *w = winner(d->years, d->nyears);
  return w ? w->year : 0;
}

int doc_meta_emit(doc_meta *d, FILE *out)
{
  char year[16] = "", pages[16] = "";
  const char *source, *npages;
  if (d->given) {
    snprintf(year, sizeof year, "%s", d->given_year);
    source = d->given_source;
    npages = d->given_pages;
  } else {
    if (doc_meta_year(d))
      snprintf(year, sizeof year, "%d", doc_meta_year(d));
    source = d->source ? d->source : "";
    if (d->source_pages && *d->source_pages)
      npages = d->source_pages;
    else {
      if (d->max_page > 0)
        snprintf(pages, sizeof pages, "%d", d->max_page);
      npages = pages;
    }
  }
  char *args[] = {(char *)doc_meta_department(d), year, (char *)source,
                  (char *)npages};
  return stream_write_directive(out, "document", args, 4);
}
