/*
** unruled.c: tables without vertical rules (see grid_internal.h). Their
** text is cut into cells (blocks of lines in one column), the cells into
** body rows by the horizontal channels between them (or by the rules an
** hrule table has) and into header rows by height; parents are spread
** over the columns they are centred on.
*/
#include "grid_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

/* A cell of a table without rules: fragments stacked in one column (or
** one span of columns) with no more than a line's leading between them. */
typedef struct block {
  int c0, c1;
  double x0, x1, y0, y1, size;
  double last_x0, last_x1; /* extent of its last line */
  int numeric;      /* its last fragment is an amount or code */
  int first_numeric; /* its first fragment is */
  int first_marker;  /* the list marker its first line starts with */
  size_t last_line;  /* the line of its last fragment */
  int header;
  int vspan;  /* stands beside two stacked cells of another column */
  int row;
  int down;   /* body rows below its own that it covers (merged down) */
} block;

#define LEADING_EM 0.45 /* gap between lines of one cell, in ems */
#define HEADER_MAX_CHARS 16 /* a header cell's line is never longer */
#define UNRULED_MAX_FRAGS 6000 /* cells compared pairwise: bound the work */

/* qsort has no context argument; the extractor is single-threaded. */
static const lfrag *sort_frags;

static int cmp_frag_y(const void *a, const void *b)
{
  const lfrag *x = &sort_frags[*(const size_t *)a];
  const lfrag *y = &sort_frags[*(const size_t *)b];
  if (x->y0 != y->y0)
    return x->y0 < y->y0 ? -1 : 1;
  return (x->f.x0 > y->f.x0) - (x->f.x0 < y->f.x0);
}

/* (key, value) pairs by key, then value. */
static int cmp_interval_pair(const void *a, const void *b)
{
  const double *x = a, *y = b;
  if (x[0] != y[0])
    return (x[0] > y[0]) - (x[0] < y[0]);
  return (x[1] > y[1]) - (x[1] < y[1]);
}

static int cmp_interval(const void *a, const void *b)
{
  const double *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Two cells' texts that touch across a column border (a long indicator
** name and its value) came out as one fragment: split it at the gap
** between two characters nearest the border. all has room for cap
** fragments; new ones are appended. */
static void split_at_borders(const page_text *pt, const pt_line *lines,
                             lfrag *all, size_t *nall, size_t cap,
                             const double *xs, int nx)
{
  for (size_t i = 0; i < *nall; i++) {
    lfrag *f = &all[i];
    if (f->spanning || f->f.k1 - f->f.k0 < 2)
      continue;
    const pt_line *l = &lines[f->line];
    double em = f->size;
    for (int b = 1; b + 1 < nx; b++) {
      double x = xs[b];
      if (!(f->f.x0 + 0.5 * em < x && f->f.x1 - 0.5 * em > x))
        continue;
      size_t best = 0;
      double best_d = em;
      for (size_t k = f->f.k0 + 1; k < f->f.k1; k++) {
        const pt_char *a = &pt->chars[l->idx[k - 1]];
        const pt_char *c = &pt->chars[l->idx[k]];
        double gap = c->x0 - a->x1, mid = (a->x1 + c->x0) / 2;
        if (gap >= 0.05 * em && fabs(mid - x) < best_d) {
          best_d = fabs(mid - x);
          best = k;
        }
      }
      if (!best || *nall >= cap)
        continue;
      lfrag tail = *f;
      tail.f.k0 = best;
      tail.f.x0 = pt->chars[l->idx[best]].x0;
      f->f.k1 = best;
      f->f.x1 = pt->chars[l->idx[best - 1]].x1;
      /* Each part is an amount when its own characters are. */
      lfrag *parts[2] = {f, &tail};
      for (int q = 0; q < 2; q++) {
        int digit = 0, num = 1;
        for (size_t k = parts[q]->f.k0; k < parts[q]->f.k1; k++) {
          uint32_t cp = pt->chars[l->idx[k]].cp;
          digit |= cp >= '0' && cp <= '9';
          num &= is_numeric_cp(cp);
        }
        parts[q]->f.numeric = num && digit;
      }
      all[(*nall)++] = tail;
      break; /* the tail is looked at in its own turn */
    }
  }
}

/* A cell's text broken at a space ("情况。1. 是否符合国") comes as two
** fragments of one line in one column: they are one text, or the second
** would start a cell of its own beside the first (its wrapped lines below
** may even have made it look like a text spanning two). Amounts are left
** apart (two amounts in one column are two cells whose border was
** missed). */
static void join_in_columns(lfrag *all, size_t *nall, const double *xs,
                            int nx)
{
  size_t m = 0;
  for (size_t i = 0; i < *nall; i++) {
    if (m > 0) {
      lfrag *p = &all[m - 1], *f = &all[i];
      int a0, a1, b0, b1;
      frag_columns(p, xs, nx, &a0, &a1);
      frag_columns(f, xs, nx, &b0, &b1);
      if (p->line == f->line && p->f.k1 == f->f.k0 && a0 == a1 &&
          b0 == b1 && a0 == b0 && !p->f.numeric && !f->f.numeric &&
          f->f.x0 - p->f.x1 < TABULAR_GAP_EM * p->size) {
        /* Inside one column a text spans nothing, whatever the lines
        ** below it looked like. */
        p->spanning = 0;
        p->f.k1 = f->f.k1;
        p->f.x1 = f->f.x1;
        if (f->y0 < p->y0) p->y0 = f->y0;
        if (f->y1 > p->y1) p->y1 = f->y1;
        if (f->size > p->size) p->size = f->size;
        continue;
      }
    }
    all[m++] = all[i];
  }
  *nall = m;
}

/* 1 when the n fragments of one line are four or more short texts well
** apart, none an amount: a row of labels (a form's 一级指标 … 指标值说明). */
static int is_label_row(const page_text *pt, const pt_line *lines,
                        const lfrag *f, size_t n)
{
  if (n < 4)
    return 0;
  for (size_t k = 0; k < n; k++) {
    if (f[k].f.numeric || f[k].f.k1 - f[k].f.k0 > HEADER_MAX_CHARS / 2)
      return 0;
    if (k > 0 && f[k].f.x0 - f[k - 1].f.x1 < TABULAR_GAP_EM * f[k].size)
      return 0;
    /* Labels are words: a value (≥95%, 10个) makes it a row of cells. */
    const pt_line *l = &lines[f[k].line];
    for (size_t c = f[k].f.k0; c < f[k].f.k1; c++)
      if (!utf8_is_cjk(pt->chars[l->idx[c]].cp))
        return 0;
  }
  return 1;
}

/* A row of labels (is_label_row: a form's 一级指标 二级指标 三级指标 指标值
** 指标值说明) with more texts than the table has columns has each text in
** a column of its own: a gap of it that no border crosses gets one, in
** its middle, unless a text of the lines below runs across there. */
static void borders_in_wide_gaps(const page_text *pt, const pt_line *lines,
                                 const lfrag *all, size_t nall, double **xs,
                                 int *nx)
{
  size_t best = 0, best_n = 0;
  for (size_t i = 0, j; i < nall; i = j) {
    for (j = i + 1; j < nall && all[j].line == all[i].line; j++)
      ;
    if (j - i > best_n && is_label_row(pt, lines, all + i, j - i)) {
      best = i;
      best_n = j - i;
    }
  }
  if (best_n < 4 || (int)best_n <= *nx - 1)
    return;
  for (size_t k = best + 1; k < best + best_n; k++) {
    double a = all[k - 1].f.x1, b = all[k].f.x0, x = (a + b) / 2;
    int crossed = 0;
    for (int c = 0; c < *nx && !crossed; c++)
      crossed = (*xs)[c] > a - all[k].size && (*xs)[c] < b + 0.5;
    /* Texts above the line may merge cells across (a form's top part);
    ** below it the column must hold. */
    int across = 0;
    for (size_t i = 0; i < nall && !across; i++)
      across = all[i].line > all[best].line && !all[i].spanning &&
               all[i].f.x0 + all[i].size < x && all[i].f.x1 - all[i].size > x;
    if (crossed || across || *nx + 1 > MAX_COLUMNS)
      continue;
    double *v = realloc(*xs, sizeof *v * (size_t)(*nx + 1));
    if (!v)
      return;
    int at = *nx;
    while (at > 0 && v[at - 1] > x) {
      v[at] = v[at - 1];
      at--;
    }
    v[at] = x;
    *xs = v;
    (*nx)++;
  }
}

/* One table being read: what the phases below share. */
typedef struct utable {
  const page_text *pt;
  pt_line *lines;
  size_t nl;
  lfrag *all;
  size_t nall;
  double *xs;         /* column borders */
  int nx;
  const double *bands; /* the rules' heights, when the table has rules */
  int nbands;
  const hrules *hr;
  size_t *order;      /* fragments top to bottom */
  int *blk;           /* per fragment: its cell */
  block *bl;          /* the cells */
  int nb;
  double *iv;         /* body rows: [top, bottom] pairs */
  size_t nrows;
  int nlev;           /* header rows */
  double *colmax;     /* per column span: extent of its widest text */
  double *wrapx;      /* per column span: where its wrapped lines end (the
                         rightmost end two texts share), 0 when unknown */
  double *low_rule;   /* per column: the lowest rule across it, or -1e9 */
  double body_top;
  double merge_gap;   /* the largest gap inside one cell */
  int padded;         /* rows are padded apart */
  int top_aligned;    /* cells are printed at the top of their row */
} utable;

/* The list marker a fragment starts with: 0 none, or its style (1 其中：,
** 2 十一、, 3 2、, 4 （三） or (3)). A line starting with one under a short
** line is the next item, not a wrap (a wrap happens only where the line
** above ran out of room); under a cell that started with the same style of
** marker it is the next item even under a full line. */
enum { MARK_NONE, MARK_QIZHONG, MARK_NUMERAL, MARK_DIGIT, MARK_BRACKET };
static int list_marker(const page_text *pt, const pt_line *lines,
                       const lfrag *f)
{
  const pt_line *l = &lines[f->line];
  size_t k = f->f.k0, n = 0;
  uint32_t cp[8];
  while (k < f->f.k1 && n < 8)
    cp[n++] = pt->chars[l->idx[k++]].cp;
  if (n >= 3 && cp[0] == 0x5176 && cp[1] == 0x4E2D && /* 其中 */
      (cp[2] == 0xFF1A || cp[2] == ':'))
    return MARK_QIZHONG;
  static const uint32_t numerals[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
                                      0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};
  size_t i = (n > 0 && (cp[0] == 0xFF08 || cp[0] == '(')) ? 1 : 0;
  size_t start = i;
  int digits = 0, cjk = 0;
  for (; i < n; i++) {
    int numeral = 0;
    for (size_t m = 0; m < sizeof numerals / sizeof numerals[0]; m++)
      numeral |= cp[i] == numerals[m];
    if (cp[i] >= '0' && cp[i] <= '9')
      digits++;
    else if (numeral)
      cjk++;
    else
      break;
  }
  if (i == start || i >= n || (digits && cjk))
    return MARK_NONE;
  if (start == 1)
    return cp[i] == 0xFF09 || cp[i] == ')' ? MARK_BRACKET : MARK_NONE;
  if (cp[i] != 0x3001) /* 、 */
    return MARK_NONE;
  return digits ? MARK_DIGIT : MARK_NUMERAL;
}

/* Where a line may break: never inside a run of Latin letters and digits,
** nor before closing punctuation. The width of what a line starting with
** f would have had to fit on the line above. */
static int joins_previous(uint32_t cp)
{
  static const uint32_t closing[] = {0x3001, 0x3002, 0xFF0C, 0xFF09, 0xFF1B,
                                     0xFF1A, 0xFF01, 0xFF1F, 0x201D, 0x2019,
                                     0x300D, 0x300F, 0x3011, 0x3009, 0x300B};
  if (cp < 0x2E80 && cp != ' ')
    return 1;
  for (size_t i = 0; i < sizeof closing / sizeof *closing; i++)
    if (cp == closing[i])
      return 1;
  return 0;
}

static double first_unit_width(const utable *u, const lfrag *f)
{
  const pt_line *l = &u->lines[f->line];
  const pt_char *c0 = &u->pt->chars[l->idx[f->f.k0]];
  double x1 = c0->x1;
  int latin = c0->cp < 0x2E80;
  for (size_t k = f->f.k0 + 1; k < f->f.k1; k++) {
    const pt_char *c = &u->pt->chars[l->idx[k]];
    if (!(joins_previous(c->cp) || (latin && c->cp < 0x2E80)))
      break;
    x1 = c->x1;
  }
  return x1 - c0->x0;
}

/* Where the body starts: the first line with an amount, or the first line
** of a centred label above it; nowhere for a continuation (no header). */
static int find_body_top(utable *u, int continued)
{
  const page_text *pt = u->pt;
  lfrag *all = u->all;
  size_t nall = u->nall;
  double *xs = u->xs;
  int nx = u->nx;
  u->body_top = 1e9;
  size_t first_body_line = (size_t)-1;
  for (size_t i = 0; i < nall; i++)
    if (all[i].body && all[i].line < first_body_line)
      first_body_line = all[i].line;
  for (size_t i = 0; i < nall; i++)
    if (all[i].line == first_body_line && all[i].y0 < u->body_top)
      u->body_top = all[i].y0;
  /* In a vertically centred row the first lines of a wrapped label stand
  ** above its amounts: a line just above the first amounts whose every
  ** text starts where body texts of its column start (a left-aligned
  ** label, not a centred header) belongs to the body. */
  for (int up = 0; up < 3 && first_body_line != (size_t)-1 &&
                   first_body_line > 0; up++) {
    size_t cand = first_body_line - 1;
    double cand_y1 = -1e9;
    int n_in = 0, aligned = 1;
    for (size_t i = 0; i < nall && aligned; i++) {
      if (all[i].line != cand)
        continue;
      n_in++;
      if (all[i].y1 > cand_y1)
        cand_y1 = all[i].y1;
      int c0, c1, found = 0;
      frag_columns(&all[i], xs, nx, &c0, &c1);
      for (size_t k = 0; k < nall && !found; k++) {
        int d0, d1;
        if (all[k].line < first_body_line || all[k].line == all[i].line)
          continue;
        frag_columns(&all[k], xs, nx, &d0, &d1);
        found = d0 == c0 && fabs(all[k].f.x0 - all[i].f.x0) < 1.0;
      }
      aligned = found;
    }
    if (!n_in || !aligned || u->body_top - cand_y1 > LEADING_EM * pt->body_size)
      break;
    first_body_line = cand;
    for (size_t i = 0; i < nall; i++)
      if (all[i].line == cand && all[i].y0 < u->body_top)
        u->body_top = all[i].y0;
  }
  u->body_top -= 0.5;
  if (continued)
    u->body_top = -1e9; /* no header: all of it is body */
  return 0;
}

/* A column with a header but no body text beside one with body text but
** no header is one column: a header centred over it and labels aligned
** left (or amounts right) leave an empty channel between them that is no
** border. */
static void merge_headless_columns(utable *u)
{
  int nc = u->nx - 1;
  if (nc < 3 || u->body_top < -1e8)
    return; /* no header to tell */
  unsigned char *head = calloc((size_t)nc, 1), *body = calloc((size_t)nc, 1);
  if (!head || !body) {
    free(head);
    free(body);
    return;
  }
  for (size_t i = 0; i < u->nall; i++) {
    const lfrag *f = &u->all[i];
    int c0, c1;
    frag_columns(f, u->xs, u->nx, &c0, &c1);
    if ((f->y0 + f->y1) / 2 < u->body_top) {
      if (!f->spanning && c0 == c1)
        head[c0] = 1;
    } else {
      body[c0] = 1;
    }
  }
  int any_head = 0;
  for (int c = 0; c < nc; c++)
    any_head |= head[c];
  for (int c = 0; any_head && c + 1 < nc; c++) {
    int a_only_head = head[c] && !body[c], b_only_head = head[c + 1] && !body[c + 1];
    int a_only_body = body[c] && !head[c], b_only_body = body[c + 1] && !head[c + 1];
    if ((a_only_head && b_only_body) || (a_only_body && b_only_head)) {
      memmove(&u->xs[c + 1], &u->xs[c + 2], sizeof *u->xs * (size_t)(u->nx - c - 2));
      memmove(&head[c], &head[c + 1], (size_t)(nc - c - 1));
      memmove(&body[c], &body[c + 1], (size_t)(nc - c - 1));
      head[c] = body[c] = 1;
      u->nx--;
      nc--;
    }
  }
  free(head);
  free(body);
}

/* The extent of the widest text of each column (or span): a line as wide
** was full, so the line below may be its continuation. */
static int column_extents(utable *u)
{
  int nx = u->nx;
  double *colmax = calloc((size_t)2 * nx * nx, sizeof *colmax);
  if (!colmax)
    return -1;
  for (size_t i = 0; i < u->nall; i++) {
    int c0, c1;
    frag_columns(&u->all[i], u->xs, nx, &c0, &c1);
    double *m = &colmax[2 * (c0 * nx + c1)];
    if (u->all[i].f.x1 > m[1])
      m[1] = u->all[i].f.x1;
    if (m[0] == 0 || u->all[i].f.x0 < m[0])
      m[0] = u->all[i].f.x0;
  }
  u->colmax = colmax;
  /* Lines wrapped in a column end at its right limit, within a character:
  ** the rightmost end shared by two texts. The widest text may stand out
  ** of its column (an overflowing date), so it is no limit. */
  u->wrapx = calloc((size_t)nx * nx, sizeof *u->wrapx);
  double *ends = malloc(sizeof *ends * 2 * (u->nall ? u->nall : 1));
  if (!u->wrapx || !ends) {
    free(ends);
    return -1;
  }
  for (size_t i = 0; i < u->nall; i++) {
    int c0, c1;
    frag_columns(&u->all[i], u->xs, nx, &c0, &c1);
    ends[2 * i] = c0 * nx + c1;
    ends[2 * i + 1] = u->all[i].f.x1;
  }
  qsort(ends, u->nall, 2 * sizeof *ends, cmp_interval_pair);
  for (size_t i = 1; i < u->nall; i++)
    if (ends[2 * i] == ends[2 * i - 2] &&
        ends[2 * i + 1] - ends[2 * i - 1] < 0.3 * u->pt->body_size)
      u->wrapx[(size_t)ends[2 * i]] = ends[2 * i + 1];
  free(ends);
  return 0;
}

/* Is there padding between rows? Then the gap between two lines of one
** column says whether they are one cell, and a short line may wrap (a
** label cut at a bracket); without padding only a full line wraps. */
static int measure_padding(utable *u)
{
  const page_text *pt = u->pt;
  lfrag *all = u->all;
  size_t nall = u->nall;
  size_t *order = u->order;
  u->merge_gap = LEADING_EM * pt->body_size;
  u->padded = 0;
  {
    double *gaps = malloc(sizeof *gaps * (nall + 1));
    size_t ng = 0;
    if (!gaps)
      return -1;
    for (size_t oi = 0; oi < nall; oi++) {
      const lfrag *f = &all[order[oi]];
      if ((f->y0 + f->y1) / 2 < u->body_top)
        continue;
      double best = 1e9;
      for (size_t oj = 0; oj < oi; oj++) {
        const lfrag *e = &all[order[oj]];
        if ((e->y0 + e->y1) / 2 < u->body_top || e->y1 > f->y0 + 0.5 * f->size ||
            e->f.x1 < f->f.x0 || e->f.x0 > f->f.x1)
          continue;
        if (f->y0 - e->y1 < best)
          best = f->y0 - e->y1;
      }
      if (best < 3 * f->size)
        gaps[ng++] = best;
    }
    size_t tight = 0, loose = 0;
    double tight_max = -1e9, loose_min = 1e9;
    for (size_t gi = 0; gi < ng; gi++) {
      if (gaps[gi] <= 0.3 * pt->body_size) {
        tight++;
        if (gaps[gi] > tight_max) tight_max = gaps[gi];
      } else {
        loose++;
        if (gaps[gi] < loose_min) loose_min = gaps[gi];
      }
    }
    /* Padded: loose gaps are common, or few but far wider than any gap
    ** inside a cell (a form whose long cells wrap over many lines). */
    if (loose >= 3 && tight >= 1 &&
        (5 * loose >= tight + loose ||
         loose_min > 4 * (tight_max > 0.5 ? tight_max : 0.5))) {
      u->padded = 1;
      u->merge_gap = (tight_max + loose_min) / 2;
      if (u->merge_gap > LEADING_EM * pt->body_size)
        u->merge_gap = LEADING_EM * pt->body_size;
    }
    if (getenv("BUDGET_DEBUG_COLUMNS"))
      fprintf(stderr, "gaps: %zu tight (max %.2f), %zu loose (min %.2f): %s, merge %.2f\n",
              tight, tight_max, loose, loose_min, u->padded ? "u->padded" : "tight",
              u->merge_gap);
    free(gaps);
  }
  return 0;
}

/* Do rules part the body rows of column c? Then they, not the gaps or the
** length of a line, say where its cells end. */
static int body_rows_ruled(const utable *u, int c, double size)
{
  return u->low_rule[c] > u->body_top + size;
}

/* Each column's lowest rule (one covering most of its width), measured
** once: body_rows_ruled() is asked for every pair of stacked lines. */
static int column_rules(utable *u)
{
  int nc = u->nx > 1 ? u->nx - 1 : 1;
  u->low_rule = malloc(sizeof *u->low_rule * (size_t)nc);
  if (!u->low_rule)
    return -1;
  for (int c = 0; c < nc; c++) {
    u->low_rule[c] = -1e9;
    if (u->nx < 2)
      continue;
    double w = u->xs[c + 1] - u->xs[c];
    for (int r = 0; r < u->nbands; r++)
      if (u->bands[r] > u->low_rule[c] &&
          coverage(u->hr->r, u->hr->m, u->hr->n, u->bands[r], u->xs[c],
                   u->xs[c + 1]) >= COVER * w)
        u->low_rule[c] = u->bands[r];
  }
  return 0;
}


/* Cells: fragments stacked in one column (or one span of columns) with no
** more than a line's leading between them, no rule between them, and the
** line above full (or the rows padded). */
static int build_blocks(utable *u)
{
  lfrag *all = u->all;
  size_t nall = u->nall;
  double *xs = u->xs;
  int nx = u->nx;
  size_t *order = u->order;
  int *blk = u->blk;
  block *bl = u->bl;
  double *colmax = u->colmax;
  const double *bands = u->bands;
  int nbands = u->nbands;
  const hrules *hr = u->hr;
  u->nb = 0;
  /* Per line: 1 when it is a row of labels, 2 when it holds two texts or
  ** more (a row of cells), 0 else. */
  unsigned char *line_kind = calloc(u->nl ? u->nl : 1, 1);
  if (!line_kind)
    return -1;
  for (size_t i = 0, j; i < nall; i = j) {
    for (j = i + 1; j < nall && all[j].line == all[i].line; j++)
      ;
    if (all[i].line < u->nl)
      line_kind[all[i].line] =
          is_label_row(u->pt, u->lines, all + i, j - i) ? 1
          : j - i >= 2                                  ? 2
                                                        : 0;
  }
  for (size_t oi = 0; oi < nall; oi++) {
    size_t i = order[oi];
    const lfrag *f = &all[i];
    int c0, c1;
    frag_columns(f, xs, nx, &c0, &c1);
    int header = (f->y0 + f->y1) / 2 < u->body_top;
    int marker = header ? MARK_NONE : list_marker(u->pt, u->lines, f);
    int best = -1;
    double best_gap = 1e9;
    for (int k = 0; k < u->nb; k++) {
      block *q = &bl[k];
      if (q->header != header)
        continue;
      int same = q->c0 == c0 && q->c1 == c1;
      int under_parent = q->c1 > q->c0 && q->c0 <= c0 && c1 <= q->c1 &&
                         !(f->spanning && !f->body) && f->f.x0 >= q->x0 - 1 &&
                         f->f.x1 <= q->x1 + 1;
      if (!same && !under_parent)
        continue;
      double gap = f->y0 - q->y1;
      if (gap > (header ? LEADING_EM * f->size : u->merge_gap) ||
          gap < -0.5 * f->size)
        continue;
      /* A rule between them ends the cell, also one the cell's last line
      ** runs over (a long text overflowing its row's box). */
      int ruled_off = 0;
      for (int r = 0; r < nbands && !ruled_off; r++)
        ruled_off = bands[r] > q->y1 - 0.8 * q->size &&
                    bands[r] < f->y0 + 1 &&
                    coverage(hr->r, hr->m, hr->n, bands[r], xs[c0], xs[c0 + 1]) >=
                        COVER * (xs[c0 + 1] - xs[c0]);
      if (ruled_off)
        continue;
      /* Amounts never wrap; a short line ended its cell. */
      if (q->numeric && f->f.numeric)
        continue;
      /* A row of short labels standing apart (一级指标 二级指标 …) over a
      ** row of cells is a row of its own: none of its texts wraps into
      ** the cells below. */
      if (!header && q->last_line < u->nl && f->line < u->nl &&
          line_kind[q->last_line] == 1 && line_kind[f->line] != 0 &&
          q->last_line != f->line)
        continue;
      if (same && !(!header && body_rows_ruled(u, q->c0, q->size))) {
        const double *m = &colmax[2 * (q->c0 * nx + q->c1)];
        int short_line = q->last_x1 - q->last_x0 < m[1] - m[0] - 1.5 * q->size;
        if (short_line && (!(u->padded && !header) || marker))
          continue;
        /* XP: in padded tables, a line far shorter than its column's
        ** widest text (room for the next line's first word twice over). */
        /* Padded rows part cells by their gaps, but rows printed without
        ** padding (a form's indicator rows) do not: there a line that left
        ** room before its column's wrap limit for what starts the next
        ** line (and an em more) was not wrapped. */
        double wx = u->wrapx[q->c0 * nx + q->c1];
        if (u->padded && !header && wx > 0 &&
            wx - q->last_x1 > first_unit_width(u, f) + q->size)
          continue;
        if (marker && marker != MARK_QIZHONG && marker == q->first_marker)
          continue;
      }
      if (gap < best_gap) {
        best_gap = gap;
        best = k;
      }
    }
    if (best < 0) {
      best = u->nb++;
      block q = {c0, c1, f->f.x0, f->f.x1, f->y0, f->y1, f->size,
                 f->f.x0, f->f.x1, f->f.numeric, f->f.numeric,
                 marker, f->line, header, 0, -1, 0};
      bl[best] = q;
    } else {
      block *q = &bl[best];
      if (f->f.x0 < q->x0) q->x0 = f->f.x0;
      if (f->f.x1 > q->x1) q->x1 = f->f.x1;
      if (f->y1 > q->y1) q->y1 = f->y1;
      q->last_x0 = f->f.x0;
      q->last_x1 = f->f.x1;
      q->last_line = f->line;
      q->numeric = f->f.numeric;
    }
    blk[i] = best;
  }
  free(line_kind);
  return 0;
}

/* A line of a cell that starts level with the first line of a cell in
** another column starts a row: lines of one row share their baseline,
** while a wrapped line of a row falls between the rows of the others. */
static int split_level_starts(utable *u)
{
  lfrag *all = u->all;
  size_t nall = u->nall;
  size_t *order = u->order;
  int *blk = u->blk;
  block *bl = u->bl;
  /* A line of a cell that starts level with the first line of a cell in
  ** another column starts a row: lines of one row share their baseline,
  ** while a wrapped line of a row falls between the rows of the others. */
  int multi = 0, aligned_cells = 0;
  for (int k = 0; k < u->nb; k++) {
    if (bl[k].header || bl[k].first_numeric || bl[k].y1 - bl[k].y0 < 1.5 * bl[k].size)
      continue;
    multi++;
    for (int j = 0; j < u->nb; j++)
      if (j != k && !bl[j].header && fabs(bl[j].y0 - bl[k].y0) < 1.0 &&
          (bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1)) {
        aligned_cells++;
        break;
      }
  }
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    fprintf(stderr, "aligned %d of %d multi-line cells\n", aligned_cells, multi);
  u->top_aligned = 2 * aligned_cells > multi;
  for (size_t oi = 0; oi < nall; oi++) {
    size_t i = order[oi];
    int k = blk[i];
    const lfrag *f = &all[i];
    if (bl[k].header || f->y0 < bl[k].y0 + 0.5)
      continue;
    /* Where rules part this column's body rows, a line with no rule above
    ** it is still in its row (cells beside it are centred in the band). */
    if (body_rows_ruled(u, bl[k].c0, bl[k].size))
      continue;
    /* Only in top-aligned rows (the cell's first line level with another
    ** cell's start), and only a text cell: in vertically centred rows an
    ** amount stands level with the middle line of a wrapped label. */
    /* An amount level with the middle line of a wrapped label is not
    ** evidence, but two amounts stacked in one column level with this line
    ** and the cell's line above are two rows: amounts never wrap. */
    double above = -1e9;
    for (size_t oj = 0; oj < oi; oj++)
      if (blk[order[oj]] == k && all[order[oj]].y0 < f->y0 - 0.5 &&
          all[order[oj]].y0 > above)
        above = all[order[oj]].y0;
    int level = 0, aligned = 0;
    for (int j = 0; j < u->nb; j++) {
      if (j == k || bl[j].header || !(bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1))
        continue;
      if (fabs(bl[j].y0 - f->y0) < 1.0) {
        if (u->top_aligned || !bl[j].first_numeric)
          level = 1;
        for (int j2 = 0; j2 < u->nb && !level; j2++)
          level = j2 != j && bl[j2].first_numeric && bl[j2].c0 == bl[j].c0 &&
                  bl[j2].c1 == bl[j].c1 && fabs(bl[j2].y0 - above) < 1.0;
      }
      if (fabs(bl[j].y0 - bl[k].y0) < 1.0)
        aligned = 1;
    }
    if (!level || !aligned)
      continue;
    block q = bl[k];
    q.y0 = f->y0;
    q.first_numeric = f->f.numeric;
    q.first_marker = list_marker(u->pt, u->lines, f);
    int nk = u->nb++;
    bl[nk] = q;
    for (size_t oj = oi; oj < nall; oj++)
      if (blk[order[oj]] == k && all[order[oj]].y0 >= f->y0 - 0.5)
        blk[order[oj]] = nk;
    /* Both halves' extents, and last lines, from their fragments: the
    ** upper half's last line is no longer the block's (an amount parted
    ** from the text under it is an amount again). */
    int two[2] = {k, nk};
    for (int t = 0; t < 2; t++) {
      block *b2 = &bl[two[t]];
      b2->x0 = b2->y0 = 1e9;
      b2->x1 = b2->y1 = -1e9;
      const lfrag *last = NULL;
      for (size_t oj = 0; oj < nall; oj++) {
        const lfrag *g = &all[order[oj]];
        if (blk[order[oj]] != two[t])
          continue;
        if (g->f.x0 < b2->x0) b2->x0 = g->f.x0;
        if (g->f.x1 > b2->x1) b2->x1 = g->f.x1;
        if (g->y0 < b2->y0) b2->y0 = g->y0;
        if (g->y1 > b2->y1) b2->y1 = g->y1;
        last = g; /* order is top-down */
      }
      if (last) {
        b2->numeric = last->f.numeric;
        b2->last_x0 = last->f.x0;
        b2->last_x1 = last->f.x1;
        b2->last_line = last->line;
      }
    }
  }
  return 0;
}

/* A body cell standing beside two stacked cells of another column is
** merged down: it does not shape the rows. */
static int mark_merged_down(utable *u)
{
  block *bl = u->bl;
  /* Body rows. */
  for (int k = 0; k < u->nb; k++) {
    if (bl[k].header)
      continue;
    for (int j = 0; j < u->nb && !bl[k].vspan; j++) {
      /* Blocks sharing a column are stacked with it, not beside it. */
      if (bl[j].header || j == k || (bl[j].c0 <= bl[k].c1 && bl[j].c1 >= bl[k].c0))
        continue;
      if (!(bl[j].y1 > bl[k].y0 + 1 && bl[j].y0 < bl[k].y1 - 1))
        continue;
      for (int i2 = j + 1; i2 < u->nb; i2++) {
        if (bl[i2].header || bl[i2].c0 != bl[j].c0 || bl[i2].c1 != bl[j].c1)
          continue;
        if (bl[i2].y1 > bl[k].y0 + 1 && bl[i2].y0 < bl[k].y1 - 1 &&
            (bl[i2].y0 >= bl[j].y1 - 0.5 || bl[i2].y1 <= bl[j].y0 + 0.5)) {
          bl[k].vspan = 1;
          break;
        }
      }
    }
  }
  return 0;
}

/* 1 when a rule parting rows (in other columns) runs through the height
** of cell k: the cell is merged over the rows on both sides. */
static int crossed_by_rule(const utable *u, int k)
{
  for (int r = 0; r < u->nbands; r++)
    if (u->bands[r] > u->bl[k].y0 + 1 && u->bands[r] < u->bl[k].y1 - 1)
      return 1;
  return 0;
}

/* Body rows: the bands of the cells that are not merged down, joined
** where they overlap, never across a rule. */
static int body_rows(utable *u)
{
  const page_text *pt = u->pt;
  block *bl = u->bl;
  double *iv = u->iv;
  const double *bands = u->bands;
  int nbands = u->nbands;
  /* Rows: the bands of the cells that are not merged down, joined where
  ** they overlap, never across a rule. */
  size_t niv = 0;
  for (int k = 0; k < u->nb; k++)
    if (!bl[k].header && !bl[k].vspan && !crossed_by_rule(u, k)) {
      iv[2 * niv] = bl[k].y0;
      iv[2 * niv + 1] = bl[k].y1;
      niv++;
    }
  qsort(iv, niv, 2 * sizeof *iv, cmp_interval);
  /* Without rules, two cells touching by a point (a centred merged cell
  ** grazing the rows around it) are not one row. */
  double row_overlap = nbands > 0 ? 0.5 : 0.25 * pt->body_size;
  u->nrows = 0;
  for (size_t i = 0; i < niv; i++) {
    if (u->nrows && iv[2 * i] < iv[2 * (u->nrows - 1) + 1] - row_overlap) {
      int ruled = 0;
      for (int r = 0; r < nbands && !ruled; r++)
        ruled = bands[r] > iv[2 * (u->nrows - 1)] + 0.5 &&
                bands[r] < iv[2 * i] + 0.5;
      if (!ruled) {
        if (iv[2 * i + 1] > iv[2 * (u->nrows - 1) + 1])
          iv[2 * (u->nrows - 1) + 1] = iv[2 * i + 1];
        continue;
      }
    }
    iv[2 * u->nrows] = iv[2 * i];
    iv[2 * u->nrows + 1] = iv[2 * i + 1];
    u->nrows++;
  }
  return 0;
}

/* Header rows are tiers: header cells starting at the same height (with
** rules, the bands between them). A parent header spans the columns
** centred under it that have cells below and none beside it. */
/* Does a header cell stand under block j (in its columns, below it and
** above the header's bottom hbot)? A cell centred on the whole header
** reaches its bottom: nothing stands under it. */
static int has_header_below(const utable *u, int j, double hbot)
{
  const block *b = &u->bl[j];
  for (int i = 0; i < u->nb; i++) {
    const block *o = &u->bl[i];
    if (i != j && o->header && o->c0 <= b->c1 && o->c1 >= b->c0 &&
        o->y0 >= b->y1 - 0.25 * b->size && o->y1 <= hbot + 0.5)
      return 1;
  }
  return 0;
}

static int header_rows(utable *u)
{
  const page_text *pt = u->pt;
  double *xs = u->xs;
  int nx = u->nx;
  block *bl = u->bl;
  const double *bands = u->bands;
  int nbands = u->nbands;
  /* Header rows are tiers: header cells starting at the same height. A
  ** parent header is centred over its children: it spans the widest run
  ** of columns centred on it that holds no other cell of its tier and
  ** has cells below it in every column. */
  u->nlev = 0;
  {
    double *tops = malloc(sizeof *tops * (u->nb + 1));
    if (!tops)
      return -1;
    int nt = 0;
    for (int k = 0; k < u->nb; k++)
      if (bl[k].header)
        tops[nt++] = bl[k].y0;
    qsort(tops, nt, sizeof *tops, cmp_dbl);
    int ntier = 0;
    for (int i = 0; i < nt; i++)
      if (ntier == 0 || tops[i] - tops[ntier - 1] > 0.5 * pt->body_size)
        tops[ntier++] = tops[i];
    for (int k = 0; k < u->nb; k++) {
      if (!bl[k].header)
        continue;
      int t = 0;
      while (t + 1 < ntier && bl[k].y0 >= tops[t + 1] - 0.5 * pt->body_size)
        t++;
      bl[k].row = t;
    }
    u->nlev = ntier;
    /* With rules, the header's rows are the bands between its rules: a
    ** cell centred in a tall band is still of that band's row. */
    if (nbands > 0) {
      int used_band[513] = {0}, rowof[513];
      for (int k = 0; k < u->nb; k++)
        if (bl[k].header) {
          double cy = (bl[k].y0 + bl[k].y1) / 2;
          int bi = 0;
          while (bi < nbands && bands[bi] < cy)
            bi++;
          bl[k].row = bi; /* 0: above the first rule */
          used_band[bi] = 1;
        }
      int nr = 0;
      for (int i = 0; i <= nbands; i++)
        rowof[i] = used_band[i] ? nr++ : -1;
      for (int k = 0; k < u->nb; k++)
        if (bl[k].header)
          bl[k].row = rowof[bl[k].row];
      u->nlev = nr;
    }
    free(tops);
    /* Top-down, so a parent's span is known before its children's. */
    int *byy = malloc(sizeof *byy * (u->nb + 1));
    unsigned char *done = calloc(u->nb + 1, 1);
    if (!byy || !done) {
      free(byy);
      free(done);
      return -1;
    }
    int nh = 0;
    for (int k = 0; k < u->nb; k++)
      if (bl[k].header)
        byy[nh++] = k;
    for (int i = 1; i < nh; i++)
      for (int j = i; j > 0 && bl[byy[j]].y0 < bl[byy[j - 1]].y0; j--) {
        int t = byy[j];
        byy[j] = byy[j - 1];
        byy[j - 1] = t;
      }
    /* The header's extent, less a lone line set apart at its bottom (the
    ** 合计 row of an empty table, read with the header): byy is in
    ** top-down order, and the extent is the same for every parent. */
    double full_bot = -1e9, above_foot = -1e9, foot_top = 1e9;
    int foot_n = 0;
    for (int t = 0; t < nh; t++) {
      const block *b2 = &bl[byy[t]];
      if (b2->y0 > full_bot) { /* a new vertical segment starts */
        above_foot = full_bot;
        foot_n = 0;
      }
      foot_n++;
      if (b2->y1 > full_bot) full_bot = b2->y1;
    }
    for (int t = 0; t < nh; t++)
      if (bl[byy[t]].y0 > above_foot && bl[byy[t]].y0 < foot_top)
        foot_top = bl[byy[t]].y0;
    int lone_foot = nh > 0 && above_foot > bl[byy[0]].y0 && foot_n <= 2;
    for (int hi = 0; hi < nh; hi++) {
      int k = byy[hi];
      block *p = &bl[k];
      double q = 0.25 * p->size, cx = (p->x0 + p->x1) / 2;
      int lim0 = 0, lim1 = nx - 2, parent = -1;
      for (int j = 0; j < u->nb; j++)
        if (done[j] && bl[j].y1 <= p->y0 + q && bl[j].c0 <= p->c0 &&
            p->c1 <= bl[j].c1 && (parent < 0 || bl[j].y1 > bl[parent].y1))
          parent = j;
      if (parent >= 0) {
        lim0 = bl[parent].c0;
        lim1 = bl[parent].c1;
      }
      /* A column can be under p when a header cell starts below p there
      ** and none stands beside it (overlapping it vertically). */
      int under[512] = {0}; /* MAX_COLUMNS keeps nx far below */
      int ncols = nx - 1 < 512 ? nx - 1 : 512;
      /* A cell centred on the header from p's tier down, with nothing
      ** under it, spans p's row too (a 合计 merged down beside the
      ** parents): it stands beside p, not under it, though its text starts
      ** below p's. */
      double hbot = lone_foot && full_bot - foot_top < 1.5 * p->size
                        ? above_foot : full_bot;
      double whole_mid = (p->y0 + hbot) / 2, band_mid = (p->y1 + hbot) / 2;
      int tells = band_mid - whole_mid > 0.25 * p->size;
      for (int c = 0; c < ncols; c++) {
        int below = 0, beside = 0;
        for (int j = 0; j < u->nb; j++) {
          if (j == k || !bl[j].header || bl[j].c0 > c || bl[j].c1 < c)
            continue;
          double mid = (bl[j].y0 + bl[j].y1) / 2;
          if (bl[j].y0 < p->y1 - q && bl[j].y1 > p->y0 + q)
            beside = 1;
          else if (bl[j].y0 >= p->y1 - q && tells &&
                   fabs(mid - whole_mid) < 0.5 * fabs(mid - band_mid) &&
                   !has_header_below(u, j, hbot))
            beside = 1;
          else if (bl[j].y0 >= p->y1 - q)
            below = 1;
        }
        under[c] = below && !beside;
      }
      int r0 = p->c0, r1 = p->c1, ok = 1;
      for (int c = p->c0; c <= p->c1 && c < ncols; c++)
        ok &= under[c];
      if (ok) {
        while (r0 - 1 >= lim0 && under[r0 - 1])
          r0--;
        while (r1 + 1 <= lim1 && r1 + 1 < ncols && under[r1 + 1])
          r1++;
        /* The widest run inside that is wider than what p stands over and
        ** centred on it: its children's own borders may sit far from their
        ** text (wide label columns), so the centre between the run's
        ** borders is the test; what keeps a sibling's child out is that
        ** the sibling stands beside it and cells centred on the whole
        ** header are not under p. */
        int best_a = p->c0, best_b = p->c1, best_w = -1;
        for (int a0 = r0; a0 <= p->c0; a0++)
          for (int b0 = r1; b0 >= p->c1; b0--) {
            if (b0 - a0 <= p->c1 - p->c0 || b0 - a0 <= best_w)
              continue;
            /* A parent never cuts a header cell under it in two. */
            int cuts = 0;
            for (int j = 0; j < u->nb && !cuts; j++)
              cuts = j != k && bl[j].header && bl[j].y0 >= p->y1 - q &&
                     bl[j].c1 >= a0 && bl[j].c0 <= b0 &&
                     (bl[j].c0 < a0 || bl[j].c1 > b0);
            if (cuts)
              continue;
            if (fabs((xs[a0] + xs[b0 + 1]) / 2 - cx) <= 0.75 * p->size) {
              best_a = a0;
              best_b = b0;
              best_w = b0 - a0;
            }
          }
        if (getenv("BUDGET_DEBUG_COLUMNS"))
          fprintf(stderr, "parent %d: seed %d-%d run %d-%d -> %d-%d\n", k,
                  p->c0, p->c1, r0, r1, best_a, best_b);
        p->c0 = best_a;
        p->c1 = best_b;
      }
      done[k] = 1;
    }
    free(byy);
    free(done);
  }
  return 0;
}

/* Each body cell's row: the first row it touches; with rules, a merged-
** down cell goes to the first row of its rule-free run. */
static int assign_body_rows(utable *u)
{
  double *xs = u->xs;
  block *bl = u->bl;
  double *iv = u->iv;
  const double *bands = u->bands;
  int nbands = u->nbands;
  const hrules *hr = u->hr;
  for (int k = 0; k < u->nb; k++) {
    if (bl[k].header)
      continue;
    bl[k].row = -1;
    for (size_t r = 0; r < u->nrows; r++)
      if (iv[2 * r + 1] > bl[k].y0 + 0.5 && iv[2 * r] < bl[k].y1 - 0.5) {
        bl[k].row = u->nlev + (int)r;
        break;
      }
    /* With rules, a merged-down cell is told by the rules its column
    ** lacks: it belongs to the first row of the rule-free run. */
    if (nbands > 0 && bl[k].vspan && bl[k].row >= u->nlev) {
      double cy = (bl[k].y0 + bl[k].y1) / 2;
      int r = bl[k].row - u->nlev;
      while (r + 1 < (int)u->nrows && iv[2 * (r + 1)] < cy)
        r++;
      double w = xs[bl[k].c0 + 1] - xs[bl[k].c0];
      while (r > 0) {
        int ruled = 0;
        for (int i = 0; i < nbands && !ruled; i++)
          ruled = bands[i] > iv[2 * (r - 1)] && bands[i] < iv[2 * r] + 0.5 &&
                  coverage(hr->r, hr->m, hr->n, bands[i], xs[bl[k].c0],
                           xs[bl[k].c0 + 1]) >= COVER * w;
        if (ruled)
          break;
        r--;
      }
      bl[k].row = u->nlev + r;
    }
    if (bl[k].row < 0) { /* a merged-down cell alone in its band */
      for (size_t r = 0; r < u->nrows && bl[k].row < 0; r++)
        if (iv[2 * r] >= bl[k].y0 - 0.5)
          bl[k].row = u->nlev + (int)r;
      if (bl[k].row < 0)
        bl[k].row = u->nlev + (int)u->nrows - 1;
    }
  }
  return 0;
}

/* Where rules part rows (in some columns) but not in a cell's column, the
** cell's slot runs on across that boundary: the rows are one merged cell
** there, whose text the clean CSV puts in its first row. 0: the gap above
** body row r (r >= 1) holds no rule; 1: one, not across column c; 2: one
** across c. */
static int rule_above(const utable *u, int r, int c)
{
  const double *iv = u->iv;
  const double w = u->xs[c + 1] - u->xs[c];
  int found = 0;
  for (int i = 0; i < u->nbands; i++) {
    double y = u->bands[i];
    if (!(y > iv[2 * (r - 1)] && y < iv[2 * r] + 0.5))
      continue;
    found = 1;
    if (coverage(u->hr->r, u->hr->m, u->hr->n, y, u->xs[c], u->xs[c + 1]) >=
        COVER * w)
      return 2;
  }
  return found;
}

/* 1 when no body cell holds a slot of body row r in columns c0..c1;
** taken counts the cells at each slot (row-major, ncols a row). */
static int row_free(const int *taken, int ncols, int r, int c0, int c1)
{
  for (int c = c0; c <= c1; c++)
    if (taken[r * ncols + c])
      return 0;
  return 1;
}

static void take(int *taken, int ncols, const block *q, int nlev, int d)
{
  for (int c = q->c0; c <= q->c1; c++)
    taken[(q->row - nlev) * ncols + c] += d;
}

static int follow_rules(utable *u)
{
  block *bl = u->bl;
  int ncols = u->nx - 1, nrows = (int)u->nrows;
  if (u->nbands == 0 || ncols < 1 || nrows < 2)
    return 0;
  int *taken = calloc((size_t)nrows * (size_t)ncols, sizeof *taken);
  if (!taken)
    return -1;
  for (int k = 0; k < u->nb; k++)
    if (!bl[k].header && bl[k].row >= u->nlev)
      take(taken, ncols, &bl[k], u->nlev, 1);
  for (int k = 0; k < u->nb; k++) {
    if (bl[k].header || bl[k].row < u->nlev)
      continue;
    int r = bl[k].row - u->nlev, top = r, bottom = r;
    take(taken, ncols, &bl[k], u->nlev, -1);
    while (top > 0 && rule_above(u, top, bl[k].c0) == 1 &&
           row_free(taken, ncols, top - 1, bl[k].c0, bl[k].c1))
      top--;
    while (bottom + 1 < nrows && rule_above(u, bottom + 1, bl[k].c0) == 1 &&
           row_free(taken, ncols, bottom + 1, bl[k].c0, bl[k].c1))
      bottom++;
    bl[k].row = u->nlev + top;
    if (bottom - top > bl[k].down)
      bl[k].down = bottom - top;
    take(taken, ncols, &bl[k], u->nlev, 1);
  }
  free(taken);
  return 0;
}

/* In vertically centred tables a cell merged down over several rows is
** printed once, centred on its span; the clean CSV puts it in the span's
** first row. */
static int place_merged_down(utable *u)
{
  block *bl = u->bl;
  double *iv = u->iv;
  int nbands = u->nbands;
  /* In vertically centred tables a cell merged down over several rows is
  ** printed once, centred on its span: it stands off the middle of the
  ** rows it touches. Its span is the run of rows, empty in its column,
  ** whose middle it is; the clean CSV puts it in the first of them. */
  if (nbands == 0 && !u->top_aligned)
    for (int k = 0; k < u->nb; k++) {
      if (bl[k].header || bl[k].row < u->nlev)
        continue;
      int r1 = bl[k].row - u->nlev, r2 = r1;
      while (r2 + 1 < (int)u->nrows && iv[2 * (r2 + 1)] < bl[k].y1 - 0.5)
        r2++;
      int pa = -1, pb = (int)u->nrows;
      for (int j = 0; j < u->nb; j++) {
        if (j == k || bl[j].header || bl[j].row < u->nlev ||
            bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1)
          continue;
        int rj = bl[j].row - u->nlev;
        if (rj < r1 && rj > pa) pa = rj;
        if (rj > r2 && rj < pb) pb = rj;
      }
      double bc = (bl[k].y0 + bl[k].y1) / 2, tol = 0.3 * bl[k].size;
      double own = (iv[2 * r1] + iv[2 * r2 + 1]) / 2;
      /* A cell straddling two rows can only be merged: its span is the
      ** widest run centred on it. One sitting off its row's middle takes
      ** the narrowest (a longer run would swallow its neighbours). */
      int straddles = r2 > r1;
      /* Alone in its row, it stood in the gap between rows: a row of its
      ** own only because it is merged over the rows around it. */
      int alone = 1;
      for (int j = 0; j < u->nb && alone; j++)
        alone = j == k || bl[j].header || bl[j].row != bl[k].row;
      if (alone && r1 > 0 && r1 + 1 < (int)u->nrows)
        straddles = 1;
      if (!straddles && fabs(own - bc) <= tol)
        continue;
      /* Level with the start of a cell beside it, it shares that cell's
      ** row: rows of one line beside a wrapped one are not centred. */
      int level = 0;
      for (int j = 0; j < u->nb && !level && !straddles; j++)
        level = j != k && !bl[j].header && bl[j].row == bl[k].row &&
                (bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1) &&
                fabs(bl[j].y0 - bl[k].y0) < 1.0;
      if (level)
        continue;
      int best_a = -1, best_w = straddles ? -1 : 1 << 30;
      for (int a0 = pa + 1; a0 <= r1; a0++)
        for (int b0 = r2; b0 < pb; b0++) {
          /* Centred on the run's text, or on its box, which reaches
          ** halfway into the gaps to the rows around (a wrapped cell
          ** beside it may stand out of the text of the rows). */
          double mid = (iv[2 * a0] + iv[2 * b0 + 1]) / 2;
          double top = a0 > 0 ? (iv[2 * a0 - 1] + iv[2 * a0]) / 2 : iv[2 * a0];
          double bot = b0 + 1 < (int)u->nrows
                           ? (iv[2 * b0 + 1] + iv[2 * b0 + 2]) / 2
                           : iv[2 * b0 + 1];
          if (fabs(mid - bc) > tol && fabs((top + bot) / 2 - bc) > tol)
            continue;
          if (straddles ? b0 - a0 > best_w : b0 - a0 < best_w) {
            best_w = b0 - a0;
            best_a = a0;
          }
        }
      /* The span found is the cell's: the grid merges its slots, so the
      ** stream says (@@span) which rows it covers. */
      if (best_a >= 0) {
        bl[k].row = u->nlev + best_a;
        bl[k].down = best_w;
      }
    }
  /* A cell placed later may have moved into a span found earlier: the
  ** span ends above it (slots hold one cell's text). */
  for (int k = 0; k < u->nb; k++)
    for (int j = 0; j < u->nb && bl[k].down > 0; j++) {
      if (j == k || bl[j].header || bl[j].row < 0 ||
          bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1)
        continue;
      int d = bl[j].row - bl[k].row;
      if (d > 0 && d <= bl[k].down)
        bl[k].down = d - 1;
    }
  return 0;
}

/* A form prints its amounts right-aligned at the table's right edge, each
** in a cell merged across the columns from the one after the labels of
** its row (部门预算总额 | | 1334.31 across 指标值 and 指标值说明). The
** amounts are one column: it starts after the rightmost label beside
** any of them, and the clean CSV puts each in that first slot. */
static int is_edge_amount(const utable *u, const block *q)
{
  return !q->header && q->row >= u->nlev && q->numeric && q->first_numeric &&
         u->xs[u->nx - 1] - q->x1 <= q->size;
}

/* The last column of the labels left of cell k in its row; -1: none, or
** an amount stands left of k (a row of amounts, each in its column). */
static int label_end(const utable *u, int k)
{
  int end = -1;
  for (int j = 0; j < u->nb; j++) {
    const block *b = &u->bl[j];
    if (j == k || b->header || b->row != u->bl[k].row ||
        b->c1 >= u->bl[k].c0)
      continue;
    if (b->numeric)
      return -1;
    if (b->c1 > end)
      end = b->c1;
  }
  return end;
}

static int amounts_to_span_start(utable *u)
{
  block *bl = u->bl;
  if (!is_form(u->all, u->nall) || u->nx < 3)
    return 0;
  int start = -1;
  for (int k = 0; k < u->nb; k++) {
    int end = is_edge_amount(u, &bl[k]) ? label_end(u, k) : -1;
    if (end >= 0 && end + 1 > start)
      start = end + 1;
  }
  for (int k = 0; k < u->nb && start >= 0; k++) {
    if (!is_edge_amount(u, &bl[k]) || start == bl[k].c0 ||
        start > bl[k].c1 || label_end(u, k) < 0)
      continue;
    /* Slots of the span held by cells merged down from rows above. */
    int blocked = 0;
    for (int j = 0; j < u->nb && !blocked; j++)
      blocked = j != k && !bl[j].header && bl[j].row < bl[k].row &&
                bl[j].row + bl[j].down >= bl[k].row && bl[j].c1 >= start &&
                bl[j].c0 < bl[k].c0;
    if (!blocked)
      bl[k].c0 = start;
  }
  return 0;
}

/* BUDGET_DEBUG_COLUMNS: the fragments and cells, for tuning. */
static int debug_dump(utable *u)
{
  const page_text *pt = u->pt;
  pt_line *lines = u->lines;
  lfrag *all = u->all;
  size_t nall = u->nall;
  int *blk = u->blk;
  block *bl = u->bl;
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    for (size_t i = 0; i < nall; i++) {
      strbuf t;
      strbuf_init(&t, 4096);
      pt_line one = lines[all[i].line];
      one.idx += all[i].f.k0;
      one.n = all[i].f.k1 - all[i].f.k0;
      pt_line_text(pt->chars, &one, 0.35, &t);
      fprintf(stderr, "frag %zu block %d %s\n", i, blk[i], strbuf_cstr(&t));
      strbuf_free(&t);
    }
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    for (int k = 0; k < u->nb; k++)
      fprintf(stderr, "block %d cols %d-%d row %d y %.1f-%.1f x %.1f-%.1f hdr %d\n",
              k, bl[k].c0, bl[k].c1, bl[k].row, bl[k].y0, bl[k].y1, bl[k].x0,
              bl[k].x1, bl[k].header);
  return 0;
}

/* Columns from the text (or the table continued from the page before),
** then the phases above: where the body starts, cells, rows, header rows,
** each cell's row; then the grid. */
/* A table's part above its first amount that holds a sentence is rows
** (a form's 年度履职目标 | 围绕…), not tiers of a header: a header cell is
** never a sentence. */
static int sentence_above_body(const lfrag *all, size_t nall, size_t fb)
{
  for (size_t i = 0; i < nall; i++)
    if (all[i].line < fb && all[i].f.k1 - all[i].f.k0 > HEADER_MAX_CHARS)
      return 1;
  return 0;
}

static int numbered_items_above(const page_text *pt, const pt_line *lines,
                                const lfrag *all, size_t nall, size_t fb)
{
  int items = 0;
  for (size_t i = 0; i < nall; i++)
    if (all[i].line < fb) {
      int m = list_marker(pt, lines, &all[i]);
      items += m == MARK_NUMERAL || m == MARK_DIGIT;
    }
  return items >= 2;
}

int build_unruled(const page_text *pt, size_t *idx, size_t n, double x0,
                  double x1, const hrules *hr, grid_kind kind,
                  grid_memory *mem, unsigned char *used, grid *g, int *made)
{
  *made = 0;
  double bands[512];
  int nbands = 0;
  if (hr) {
    for (int k = 0; k < hr->n && nbands < 512; k++)
      if (hr->r[hr->m[k]].to - hr->r[hr->m[k]].from >= LONG_RULE)
        bands[nbands++] = hr->r[hr->m[k]].pos;
    nbands = snap_positions(bands, nbands);
  }
  pt_line *lines = NULL;
  lfrag *all = NULL;
  size_t nl = 0, nall = 0;
  double *xs = NULL, *ys = NULL, *iv = NULL;
  size_t *order = NULL;
  int *blk = NULL;
  block *bl = NULL;
  double *colmax = NULL, *wrapx = NULL, *low_rule = NULL;
  int nx = 0, rc = -1;
  builder b;
  memset(&b, 0, sizeof b);
  if (collect_lfrags(pt, idx, n, &lines, &nl, &all, &nall) ||
      infer_columns(all, nall, x0, x1, &xs, &nx))
    goto out;
  /* Only a table that starts without a header can be a continuation:
  ** above its first amount at most the first lines of wrapped labels,
  ** one text a line. */
  int continued = 0, headless = 0;
  /* The first line with an amount or code (lines are not split below). */
  size_t fb = (size_t)-1;
  for (size_t i = 0; i < nall; i++)
    if (all[i].body && all[i].line < fb)
      fb = all[i].line;
  {
    /* ... and holds amounts: a run of text only (two titles side by side)
    ** continues nothing. */
    int columnar = fb == (size_t)-1;
    for (size_t i = 0; i + 1 < nall; i++)
      if (all[i].line < fb && all[i + 1].line == all[i].line &&
          all[i + 1].f.x0 - all[i].f.x1 > TABULAR_GAP_EM * all[i].size)
        columnar = 1;
    /* A run at the very top of its page, with no title above it, is a
    ** continuation even when its first row is columnar, or when it is all
    ** text if it is long (a form's indicator rows). */
    if (columnar && (fb != (size_t)-1 || nl >= 5)) {
      double top = 1e9, above_max = 0;
      size_t above = 0;
      for (size_t i = 0; i < nall; i++)
        if (all[i].y0 < top)
          top = all[i].y0;
      for (size_t i = 0; i < pt->nchars; i++)
        if (pt_cy(&pt->chars[i]) < top - 1) {
          above++;
          if (pt->chars[i].size > above_max)
            above_max = pt->chars[i].size;
        }
      if (above <= 40 && above_max <= 1.2 * pt->body_size)
        columnar = 0;
    }
    if (!columnar)
      continued = recall_columns(mem, all, nall, x0, x1, &xs, &nx);
    /* Above its first amount only lines of numbered items (二十七、预备费):
    ** not a header (a header cell is never an item of a list) but the
    ** items of a list continued from the page before, in columns of its
    ** own that show in its rows. */
    if (!columnar && !continued && fb != (size_t)-1 &&
        numbered_items_above(pt, lines, all, nall, fb))
      continued = 1;
    /* A form's page of indicator rows continues the form even when its
    ** columns differ from the page before: with no amount to start a
    ** body, none of it is header either. */
    headless = !columnar && fb == (size_t)-1 && is_form(all, nall);
  }
  if (!continued)
    form_columns(all, nall, x0, x1, &xs, &nx);
  if (!continued && is_form(all, nall))
    borders_in_wide_gaps(pt, lines, all, nall, &xs, &nx);
  /* A form's page that starts right of the form's first column (its 一级指标
  ** cells merged down from the page before) keeps that column, empty. */
  if (headless && mem && mem->nx >= 2 && nx >= 2 && nall) {
    int left = 0;
    while (left < mem->nx && mem->xs[left] < xs[0] - all[0].size)
      left++;
    double *wider = left ? malloc(sizeof *wider * (size_t)(nx + left)) : NULL;
    if (wider && nx + left <= MAX_COLUMNS) {
      memcpy(wider, mem->xs, sizeof *wider * (size_t)left);
      memcpy(wider + left, xs, sizeof *wider * (size_t)nx);
      free(xs);
      xs = wider;
      nx += left;
    } else {
      free(wider);
    }
  }
  split_at_borders(pt, lines, all, &nall, n, xs, nx);
  join_in_columns(all, &nall, xs, nx);
  /* Rows are found by comparing cells pairwise; a "table" of thousands of
  ** cells on one page (a page of digits, hostile input) is left as text
  ** rather than taking minutes. */
  if (nx < 3 || nall == 0 || nall > UNRULED_MAX_FRAGS) {
    rc = 0;
    goto out;
  }
  order = malloc(sizeof *order * nall);
  blk = malloc(sizeof *blk * nall);
  bl = malloc(sizeof *bl * nall);
  iv = malloc(sizeof *iv * 2 * nall);
  if (!order || !blk || !bl || !iv)
    goto out;
  for (size_t i = 0; i < nall; i++)
    order[i] = i;
  sort_frags = all;
  qsort(order, nall, sizeof *order, cmp_frag_y);
  utable u = {pt, lines, nl, all, nall, xs, nx, bands, nbands, hr, order,
              blk, bl, 0, iv, 0, 0, NULL, NULL, NULL, 0, 0, 0, 0};
  int fail = find_body_top(&u, continued || headless ||
                                   sentence_above_body(all, nall, fb));
  if (!fail)
    merge_headless_columns(&u);
  nx = u.nx;
  fail = fail || column_extents(&u);
  colmax = u.colmax;
  wrapx = u.wrapx;
  fail = fail || column_rules(&u);
  low_rule = u.low_rule;
  if (fail || measure_padding(&u) ||
      build_blocks(&u) || split_level_starts(&u) ||
      mark_merged_down(&u) || body_rows(&u) || header_rows(&u) ||
      assign_body_rows(&u) || follow_rules(&u) || place_merged_down(&u) ||
      amounts_to_span_start(&u) || debug_dump(&u))
    goto out;
  int nb = u.nb, nlev = u.nlev;
  size_t nrows = u.nrows;
  int ny = nlev + (int)nrows + 1;
  if (ny < 2) {
    rc = 0;
    goto out;
  }
  ys = malloc(sizeof *ys * ny);
  if (!ys)
    goto out;
  /* Row boundaries for the extents @@at reports: the header band split
  ** evenly by level, then the start of each body band. */
  double hy0 = 1e9, hy1 = -1e9;
  for (int k = 0; k < nb; k++)
    if (bl[k].header) {
      if (bl[k].y0 < hy0) hy0 = bl[k].y0;
      if (bl[k].y1 > hy1) hy1 = bl[k].y1;
    }
  for (int r = 0; r < nlev; r++)
    ys[r] = hy0 + (hy1 - hy0) * r / nlev;
  for (size_t r = 0; r < nrows; r++)
    ys[nlev + r] = iv[2 * r];
  ys[ny - 1] = nrows ? iv[2 * (nrows - 1) + 1] : hy1;
  for (int r = 1; r < ny; r++)
    if (ys[r] <= ys[r - 1])
      ys[r] = ys[r - 1] + 0.01;
  if (builder_init(&b, pt, xs, nx, ys, ny))
    goto out;
  xs = ys = NULL; /* owned by the builder now */
  for (size_t i = 0; i < nall; i++) {
    const block *q = &bl[blk[i]];
    if (q->row < 0)
      continue;
    for (int r = q->row; r <= q->row + q->down; r++)
      for (int c = q->c0; c <= q->c1; c++)
        if (r > q->row || c > q->c0)
          uf_union(b.uf, slot(&b, q->row, q->c0), slot(&b, r, c));
    const pt_line *l = &lines[all[i].line];
    for (size_t k = all[i].f.k0; k < all[i].f.k1; k++)
      if (place(&b, q->row, q->c0, l->idx[k]))
        goto out;
  }
  if (builder_finish(&b, kind, g))
    goto out;
  remember_columns(mem, b.xs, b.nx);
  for (size_t i = 0; i < n; i++)
    used[idx[i]] = 1;
  *made = g->nrows > 0;
  if (!*made)
    grids_free(g, 1);
  rc = 0;
out:
  if (b.uf)
    builder_free(&b);
  free(xs);
  free(ys);
  free(iv);
  free(order);
  free(blk);
  free(bl);
  free(colmax);
  free(wrapx);
  free(low_rule);
  free(lines);
  free(all);
  return rc;
}

/* A form's row of a label and a long text (年度履职目标 | 围绕…): two texts
** apart, the first where the table's first column starts. A sentence
** has no such gap. fr is scratch for the line's fragments. */
static int labelled_row(const page_text *pt, const pt_line *l, double x0,
                        frag *fr)
{
  size_t nf = line_frags(pt->chars, l, FRAG_GAP_EM, fr);
  return nf >= 2 && fabs(fr[0].x0 - x0) < 1.0;
}

static double line_size(const page_text *pt, const pt_line *l)
{
  double m = 0;
  for (size_t k = 0; k < l->n; k++)
    if (pt->chars[l->idx[k]].size > m)
      m = pt->chars[l->idx[k]].size;
  return m;
}

/* How far a row may reach past the columnar lines found so far: headers
** are centred, so a left-aligned label starts left of its header. */
/* A note under a table ("注：…", "备注：…", "说明：…") is never its row: as
** a row its width blocks every column channel it crosses. */
static int line_is_note(const page_text *pt, const pt_line *l)
{
  static const uint32_t marks[][3] = {
      {0x6CE8, 0, 0}, {0x5907, 0x6CE8, 0}, {0x8BF4, 0x660E, 0}};
  for (size_t m = 0; m < sizeof marks / sizeof marks[0]; m++) {
    size_t k = 0;
    while (k < 3 && marks[m][k] && k < l->n &&
           pt->chars[l->idx[k]].cp == marks[m][k])
      k++;
    if (k == 3 || marks[m][k] || k >= l->n)
      continue;
    uint32_t next = pt->chars[l->idx[k]].cp;
    if (next == 0xFF1A || next == ':' || (next >= '0' && next <= '9') ||
        (next >= 0xFF10 && next <= 0xFF19))
      return 1;
  }
  return 0;
}

/* Does line l hold a colon among its characters k0..k1? A labelled text
** (单位：万元, 部门名称：…) belongs to the title block. */
static int has_colon(const page_text *pt, const pt_line *l, size_t k0,
                     size_t k1)
{
  for (size_t k = k0; k < k1; k++) {
    uint32_t cp = pt->chars[l->idx[k]].cp;
    if (cp == 0xFF1A || cp == ':')
      return 1;
  }
  return 0;
}

static double slack(const page_text *pt, double rx0, double rx1)
{
  double s = 0.25 * (rx1 - rx0);
  return s > pt->body_size ? s : pt->body_size;
}

/* A run of lines is a table when most of them stand in columns: two or
** more fragments separated by a wide gap. Single-fragment lines between
** them (wrapped labels) belong to the run; prose breaks it. */
int find_unruled(const page_text *pt, grid_memory *mem,
                        unsigned char *used, grid **v, size_t *n, size_t *cap)
{
  size_t *idx = malloc(sizeof *idx * (pt->nchars ? pt->nchars : 1));
  if (!idx)
    return -1;
  size_t m = 0;
  for (size_t i = 0; i < pt->nchars; i++)
    if (!used[i])
      idx[m++] = i;
  pt_line *lines = NULL;
  size_t nl = 0;
  frag *fr = malloc(sizeof *fr * (m ? m : 1));
  int *tab = malloc(sizeof *tab * (m ? m : 1));
  size_t *region = malloc(sizeof *region * (m ? m : 1));
  int rc = -1;
  if (!fr || !tab || !region || pt_lines(pt->chars, idx, m, &lines, &nl))
    goto out;
  /* Columnar: two texts far apart, or three cells (a narrow header), or
  ** two amounts side by side. */
  for (size_t i = 0; i < nl; i++) {
    size_t nf = line_frags(pt->chars, &lines[i], FRAG_GAP_EM, fr);
    int nnum = 0;
    for (size_t f = 0; f < nf; f++)
      nnum += fr[f].numeric;
    /* Three cells means two real gaps: "预算13表" is split around its
    ** digits for placement, yet is one text. */
    size_t gaps = 0;
    for (size_t k = 1; k < lines[i].n; k++) {
      const pt_char *a = &pt->chars[lines[i].idx[k - 1]];
      const pt_char *c = &pt->chars[lines[i].idx[k]];
      gaps += c->x0 - a->x1 > FRAG_GAP_EM * (a->size < c->size ? a->size : c->size);
    }
    tab[i] = gaps >= 2 || nnum >= 2 ||
             line_frags(pt->chars, &lines[i], TABULAR_GAP_EM, fr) >= 2;
    /* "名称：… … 单位：万元": two labelled values far apart are the title
    ** block above a table, not a row of it. */
    if (tab[i] && line_frags(pt->chars, &lines[i], TABULAR_GAP_EM, fr) == 2) {
      if (has_colon(pt, &lines[i], fr[0].k0, fr[0].k1) &&
          has_colon(pt, &lines[i], fr[1].k0, fr[1].k1))
        tab[i] = 0;
    }
  }
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    for (size_t l = 0; l < nl; l++)
      fprintf(stderr, "line %zu y %.1f-%.1f x %.1f-%.1f columnar %d\n", l,
              lines[l].y0, lines[l].y1, lines[l].x0, lines[l].x1, tab[l]);
  size_t i = 0, done_upto = 0;
  /* The top of a page may continue the table before it with lines of one
  ** column only (the longer side of a two-sided list): no line is columnar,
  ** but the lines fit the remembered columns and some hold amounts. */
  if (mem && mem->nx >= 4 && nl > 0 && !tab[0] && *n == 0) {
    size_t e = 0;
    int amounts = 0;
    /* Columnar lines right after them (the table's foot, its totals) are
    ** the same table: taken along, they also prove the continuation. */
    while (e < nl && (!tab[e] || e >= 3) &&
           line_size(pt, &lines[e]) <= 1.3 * pt->body_size &&
           lines[e].x0 >= mem->xs[0] - RECALL_TOLERANCE &&
           lines[e].x1 <= mem->xs[mem->nx - 1] + RECALL_TOLERANCE &&
           (e == 0 || lines[e].y0 - lines[e - 1].y1 <= 4.0 * pt->body_size)) {
      size_t nf = line_frags(pt->chars, &lines[e], FRAG_GAP_EM, fr);
      for (size_t f = 0; f < nf; f++)
        amounts += fr[f].numeric;
      e++;
    }
    if (e >= 3 && amounts > 0) {
      size_t cnt = 0;
      for (size_t l = 0; l < e; l++)
        for (size_t k = 0; k < lines[l].n; k++)
          region[cnt++] = lines[l].idx[k];
      grid g;
      int made;
      if (build_unruled(pt, region, cnt, mem->xs[0], mem->xs[mem->nx - 1],
                        NULL, GRID_UNRULED, mem, used, &g, &made))
        goto out;
      if (made && g.ncols >= 4) {
        if (grid_push(v, n, cap, &g)) {
          grids_free(&g, 1);
          goto out;
        }
        i = done_upto = e;
      } else if (made) {
        grids_free(&g, 1);
        for (size_t k = 0; k < cnt; k++)
          used[region[k]] = 0;
      }
    }
  }
  while (i < nl) {
    if (!tab[i]) {
      i++;
      continue;
    }
    size_t j = i + 1, last_tab = i;
    int ntab = 1;
    double rx0 = lines[i].x0, rx1 = lines[i].x1;
    while (j < nl) {
      double gap = lines[j].y0 - lines[j - 1].y1;
      if (gap > 4.0 * pt->body_size ||
          line_size(pt, &lines[j]) > 1.3 * pt->body_size ||
          line_is_note(pt, &lines[j]))
        break;
      if (tab[j]) {
        last_tab = j;
        ntab++;
        if (lines[j].x0 < rx0) rx0 = lines[j].x0;
        if (lines[j].x1 > rx1) rx1 = lines[j].x1;
      } else if (lines[j].x1 - lines[j].x0 > 0.8 * (rx1 - rx0) &&
                 rx1 - rx0 > 10 * pt->body_size &&
                 !labelled_row(pt, &lines[j], rx0, fr)) {
        break; /* a sentence across the table: a note, or prose */
      } else if (lines[j].x0 < rx0 - slack(pt, rx0, rx1) ||
                 lines[j].x1 > rx1 + slack(pt, rx0, rx1)) {
        /* A line standing out of the table's columns is not its row. */
        if (j - last_tab > 3)
          break;
      }
      j++;
    }
    /* Parent headers above the first columnar line: centred texts close
    ** above it, inside the run's extent, or parents side by side too close to
    ** count as columnar; never a labelled line (单位：万元). */
    while (i > done_upto && !tab[i - 1] &&
           lines[i].y0 - lines[i - 1].y1 < 0.8 * pt->body_size &&
           lines[i - 1].x0 >= rx0 - 1.5 * pt->body_size &&
           lines[i - 1].x1 <= rx1 + 1.5 * pt->body_size &&
           (lines[i - 1].x1 - lines[i - 1].x0 < 0.8 * (rx1 - rx0) ||
            line_frags(pt->chars, &lines[i - 1], FRAG_GAP_EM, fr) >= 2) &&
           !has_colon(pt, &lines[i - 1], 0, lines[i - 1].n) &&
           line_size(pt, &lines[i - 1]) <= 1.3 * pt->body_size)
      i--;
    /* Lines within the columns after the last columnar one are rows whose
    ** other cells are empty (a continued list, a wrapped label, a note). */
    size_t end = j;
    while (end > last_tab + 1 &&
           (lines[end - 1].x0 < rx0 - slack(pt, rx0, rx1) ||
            lines[end - 1].x1 > rx1 + slack(pt, rx0, rx1)))
      end--;
    /* Two lines standing right above a ruled table are its title block
    ** (label and title, unit and department), not a table of their own. */
    int title_block = 0;
    for (size_t k = 0; k < *n && end - i <= 2; k++)
      title_block |= (*v)[k].y0 - lines[end - 1].y1 >= -1 &&
                     (*v)[k].y0 - lines[end - 1].y1 < 2 * pt->body_size &&
                     lines[i].x0 < (*v)[k].x1 && lines[i].x1 > (*v)[k].x0;
    if (!title_block && ntab >= 2) {
      grid g;
      int made;
      size_t cnt = 0;
      double x0 = 1e9, x1 = -1e9;
      for (size_t l = i; l < end; l++) {
        for (size_t k = 0; k < lines[l].n; k++)
          region[cnt++] = lines[l].idx[k];
        if (lines[l].x0 < x0) x0 = lines[l].x0;
        if (lines[l].x1 > x1) x1 = lines[l].x1;
      }
      if (build_unruled(pt, region, cnt, x0 - 1, x1 + 1, NULL, GRID_UNRULED,
                        mem, used, &g, &made))
        goto out;
      if (made && grid_push(v, n, cap, &g)) {
        grids_free(&g, 1);
        goto out;
      }
    }
    i = end > i ? end : i + 1;
    done_upto = i;
  }
  rc = 0;
out:
  free(lines);
  free(fr);
  free(tab);
  free(region);
  free(idx);
  return rc;
}

