#include "document.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* Lines longer than this are prose or rows, never a cover or a label. */
#define DOC_MAX_LINE 400
/* A pattern's run count past RULES_JIT_AFTER_RUNS (rules.h): no JIT. */
#define JIT_NOT_WANTED (RULES_JIT_AFTER_RUNS + 1)
/* Evidence weights: a label names the department on purpose; a title
** names it in passing; a year in a table title alone is weak. */
#define W_LABEL 3
#define W_TITLE 2
#define W_YEAR_ONLY 1
/* The cover (page 1) names the department in full; the body and the
** headings of its parts (第二部分 省委办公厅…) often shorten it. */
#define W_COVER 6
#define W_HEADING 1

/* An organisation's name: CJK text ending in the word for a kind of body.
** 区/县/市/省 are places, not bodies: "江苏省2018年度" names no one. */
#define ORG                                                                 \
  "(\\p{Han}[\\p{Han}（）()·]{0,38}?(?:委员会|联合会|办公厅|办公室|人民政府|" \
  "办事处|学校|中心|公司|集团|医院|局|委|厅|院|会|馆|所|站|校|园|队|处|社|"  \
  "团|部|宫|台|署|室|办|场|库))"
#define YEAR "((?:19|20)\\d\\d)年度?"
/* What may follow the department in a title: the budget or a table. */
#define AFTER                                                               \
  "(?:部门|单位)?(?:预算|决算|收支|收入|支出|财政拨款|一般公共|政府性基金|"  \
  "国有资本|政府采购|[“\"]三公|项目|机关|整体绩效|$)"

enum {
  P_LABEL,      /* raw line: 部门（单位）名称：X */
  P_LABEL_CELL, /* squeezed cell: the label alone (the 14 form) */
  P_ORG_ONLY,   /* squeezed: the whole text is a name */
  P_ORG_YEAR,   /* squeezed: X2024年部门预算… */
  P_YEAR_ORG,   /* squeezed: 2024年X部门预算… / 2018年度X收支预算总表 */
  P_YEAR_TITLE, /* squeezed: 2024年…表, 2024年度部门预算 */
  P_COVER_YEAR, /* squeezed: 2025年度部门预算(公开) under the name */
  P_LEAD,       /* squeezed: numbering before a title, to strip */
  P_LABEL_TAIL, /* a value run into 单位：万元 */
  P_COUNT
};

static const char *const patterns[P_COUNT] = {
    [P_LABEL] = "(?:^|\\s)(?:编制)?(?:部\\s*门|单\\s*位)"
                "(?:\\s*[（(/]\\s*单\\s*位\\s*[）)]?)?(?:\\s*名\\s*称)?"
                "\\s*[:：]\\s*(\\S+)",
    [P_LABEL_CELL] = "^(?:部门|单位)(?:[（(/]单位[）)]?)?名称[:：]?$",
    [P_ORG_ONLY] = "^" ORG "$",
    [P_ORG_YEAR] = "^" ORG YEAR "(?:$|(?:部门|单位)?(?:预算|决算)|.*表$)",
    [P_YEAR_ORG] = "^" YEAR ORG AFTER,
    [P_YEAR_TITLE] = "^" YEAR "(?:.*表$|.*预算)",
    [P_COVER_YEAR] = "^" YEAR "(?:部门|单位)?预算(?:公开|说明)?$",
    [P_LEAD] = ("^(?:第[一二三四五六七八九十]+部分|附件\\d*[:：]?|"
                "[一二三四五六七八九十]+、|[^\\d]{0,4}\\d{1,2}表[:：]?)"),
    [P_LABEL_TAIL] = "(?:金额)?单位[:：].*$",
};

typedef struct tally {
  char *name;
  int year;
  int score;
} tally;

struct doc_meta {
  pcre2_code *re[P_COUNT];
  unsigned runs[P_COUNT]; /* matches before JIT; JIT_NOT_WANTED: none */
  pcre2_match_data *md;
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

doc_meta *doc_meta_new(const char *name)
{
  doc_meta *d = calloc(1, sizeof *d);
  if (!d)
    return NULL;
  for (int i = 0; i < P_COUNT; i++) {
    int ec;
    PCRE2_SIZE off;
    d->re[i] = pcre2_compile((PCRE2_SPTR)patterns[i], PCRE2_ZERO_TERMINATED,
                             PCRE2_UTF | PCRE2_UCP, &ec, &off, NULL);
    if (!d->re[i]) {
      doc_meta_free(d);
      return NULL;
    }
    /* JIT as for the rules (rules.h); pcre2_match() takes the JIT code
    ** by itself. */
    d->runs[i] = rules_jit_wanted() ? 0 : JIT_NOT_WANTED;
  }
  d->md = pcre2_match_data_create(4, NULL);
  if (!d->md || (name && strcmp(name, "<stdin>") != 0 &&
                 !(d->source = strdup(name)))) {
    doc_meta_free(d);
    return NULL;
  }
  return d;
}

void doc_meta_free(doc_meta *d)
{
  if (!d)
    return;
  for (int i = 0; i < P_COUNT; i++)
    pcre2_code_free(d->re[i]);
  pcre2_match_data_free(d->md);
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

/* 1 when pattern p matches s[0..n); group g (1-based, or 0) into gs, gn. */
static int match(doc_meta *d, int p, const char *s, size_t n, int g,
                 const char **gs, size_t *gn)
{
  /* Every subject is valid UTF-8: a stream line (checked by the reader),
  ** a squeezed copy of one (whole characters removed) or a group of a
  ** match in one (which starts and ends on character boundaries). */
  if (d->runs[p] < RULES_JIT_AFTER_RUNS &&
      ++d->runs[p] == RULES_JIT_AFTER_RUNS)
    pcre2_jit_compile(d->re[p], PCRE2_JIT_COMPLETE);
  int rc = pcre2_match(d->re[p], (PCRE2_SPTR)s, n, 0, PCRE2_NO_UTF_CHECK,
                       d->md, NULL);
  if (rc < 0)
    return 0;
  if (g) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
    if (rc <= g || ov[2 * g] == PCRE2_UNSET)
      return 0;
    *gs = s + ov[2 * g];
    *gn = ov[2 * g + 1] - ov[2 * g];
  }
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

/* Votes for s[0..n) when the whole of it is an organisation's name. */
static int vote_if_org(doc_meta *d, const char *s, size_t n, int w)
{
  const char *g;
  size_t gn;
  if (!match(d, P_ORG_ONLY, s, n, 1, &g, &gn))
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

/* 部门名称：X anywhere in a line or a cell. */
static int label_line(doc_meta *d, const char *raw)
{
  /* What P_LABEL cannot do without: a colon, and 门 or 位 (of 部门 or
  ** 单位). PCRE2 finds no start for it and would try every position. */
  if ((!strstr(raw, "：") && !strchr(raw, ':')) ||
      (!strstr(raw, "门") && !strstr(raw, "位")))
    return 0;
  const char *g;
  size_t gn;
  if (!match(d, P_LABEL, raw, strlen(raw), 1, &g, &gn))
    return 0;
  const char *t;
  size_t tn;
  /* "江苏省高级人民法院单位:万元" when no space separated them */
  int tail = match(d, P_LABEL_TAIL, g, gn, 0, &t, &tn);
  if (tail) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(d->md);
    gn = ov[0];
  }
  return vote_if_org(d, g, gn, W_LABEL);
}

/* A cover or table title: year and, where printed, the department. */
static int title_line(doc_meta *d, const char *raw, int page)
{
  if (!strstr(raw, "年") || strstr(raw, "。") || strstr(raw, "，"))
    return 0;
  size_t n;
  const char *s = squeeze(d, raw, &n);
  if (!s)
    return -1;
  const char *g;
  size_t gn;
  int w = page <= 1 ? W_COVER : W_TITLE;
  if (match(d, P_LEAD, s, n, 0, &g, &gn)) {
    size_t cut = pcre2_get_ovector_pointer(d->md)[1];
    s += cut;
    n -= cut;
    w = W_HEADING;
  }
  if (match(d, P_ORG_YEAR, s, n, 1, &g, &gn)) {
    if (vote_name(d, g, gn, w) < 0)
      return -1;
    match(d, P_ORG_YEAR, s, n, 2, &g, &gn);
    vote_year(d, g, w);
  } else if (match(d, P_YEAR_ORG, s, n, 2, &g, &gn)) {
    if (vote_name(d, g, gn, w) < 0)
      return -1;
    vote_year(d, s, w);
  } else if (match(d, P_YEAR_TITLE, s, n, 0, &g, &gn)) {
    vote_year(d, s, W_YEAR_ONLY);
    /* 洛宁县人力资源和社会保障局 / 2025年度部门预算 */
    if (d->prev && match(d, P_COVER_YEAR, s, n, 0, &g, &gn) &&
        vote_if_org(d, d->prev, strlen(d->prev), w) < 0)
      return -1;
  }
  return 0;
}

static int text_record(doc_meta *d, const char *line, int page)
{
  if (strlen(line) > DOC_MAX_LINE)
    return 0;
  if (label_line(d, line) < 0 || title_line(d, line, page) < 0)
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
  for (size_t i = 0; i < nc; i++) {
    if (!cells[i][0])
      continue;
    nonempty++;
    only = i;
    if (strlen(cells[i]) > DOC_MAX_LINE)
      continue;
    if (label_line(d, cells[i]) < 0)
      return -1;
    /* Squeezing only removes white space: without both characters the
    ** squeezed cell cannot hold 名称. */
    if (!strstr(cells[i], "名") || !strstr(cells[i], "称"))
      continue;
    size_t n;
    const char *s = squeeze(d, cells[i], &n);
    if (!s)
      return -1;
    if (!strstr(s, "名称") || !match(d, P_LABEL_CELL, s, n, 0, NULL, NULL))
      continue;
    /* the 14 form: 部门（单位）名称 | X */
    for (size_t j = i + 1; j < nc; j++)
      if (cells[j][0]) {
        if ((s = squeeze(d, cells[j], &n)) == NULL ||
            vote_if_org(d, s, n, W_LABEL) < 0)
          return -1;
        break;
      }
  }
  /* A title or cover line caught in a grid is a one-cell row. */
  if (nonempty == 1 && strlen(cells[only]) <= DOC_MAX_LINE)
    return title_line(d, cells[only], page);
  return 0;
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
