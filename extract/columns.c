/*
** columns.c: where a table's columns are, from the text alone (see
** grid_internal.h): the empty vertical channels its lines leave, the texts
** that stand over several columns, and the layout a table continued from
** the page before brings with it.
*/
#include "grid_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

#define SPAN_LOOKAHEAD 5


/* 1 when fragment i stands over two or more fragments of the next few
** lines that stand side by side (not stacked in one column): a parent
** header or a cell merged across columns. Children of different heights
** (a two-line label centred beside a three-line one) sit on different
** lines, so all the lines of the look-ahead are pooled. */
static int is_spanning(const lfrag *all, size_t nall, size_t i, double *sx0,
                       double *sx1)
{
  const lfrag *p = &all[i];
  size_t j = i + 1;
  while (j < nall && all[j].line == p->line)
    j++;
  double lo = 1e9, hi = -1e9, first0 = 0, first1 = 0;
  int n = 0, disjoint = 0, wrapped = 0;
  for (; j < nall && all[j].line <= p->line + SPAN_LOOKAHEAD; j++) {
    const frag *f = &all[j].f;
    if (!(f->x1 > p->f.x0 + 1 && f->x0 < p->f.x1 - 1))
      continue;
    if (all[j].y0 - p->y1 > 3 * p->size)
      break;
    /* p's next line starting where p starts and ending well short of it:
    ** p is a text wrapped in its cell. Then a text below it that starts
    ** left of it is no cell under it but one of a row further down,
    ** reaching in from a column before (a form's 预算 row under its
    ** 任务名称 | 主要内容 row). */
    if (all[j].line == p->line + 1 && fabs(f->x0 - p->f.x0) <= SNAP &&
        f->x1 < p->f.x1 - p->size)
      wrapped = 1;
    else if (wrapped && f->x0 < p->f.x0 - SNAP)
      continue;
    if (n == 0) {
      first0 = f->x0;
      first1 = f->x1;
    } else if (f->x0 > first1 + 1 || f->x1 < first0 - 1) {
      disjoint = 1;
    }
    n++;
    /* Children are told by their centres: a child's text may overflow
    ** its column by a point. */
    double cx = (f->x0 + f->x1) / 2;
    if (cx < lo) lo = cx;
    if (cx > hi) hi = cx;
  }
  *sx0 = lo;
  *sx1 = hi;
  return disjoint;
}

/* Splits idx[0..n) into lines and fragments. idx is reordered; *lines
** points into it. The caller frees *all and *lines. */
/* Is fragment i a bare year (19xx, 20xx) with a text starting with 年
** under it, a line's leading below? */
static int is_wrapped_year(const page_text *pt, const pt_line *lines,
                           const lfrag *v, size_t m, size_t i)
{
  const pt_line *l = &lines[v[i].line];
  if (v[i].f.k1 - v[i].f.k0 != 4)
    return 0;
  uint32_t d[4];
  for (size_t k = 0; k < 4; k++)
    d[k] = pt->chars[l->idx[v[i].f.k0 + k]].cp;
  if (!((d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0')) ||
      d[2] < '0' || d[2] > '9' || d[3] < '0' || d[3] > '9')
    return 0;
  for (size_t j = 0; j < m; j++) {
    const lfrag *w = &v[j];
    if (w->line <= v[i].line || w->y0 < v[i].y0 + 0.5 * v[i].size ||
        w->f.x1 < v[i].f.x0 || w->f.x0 > v[i].f.x1 ||
        w->y0 - v[i].y1 > 0.6 * v[i].size)
      continue;
    const pt_line *wl = &lines[w->line];
    if (pt->chars[wl->idx[w->f.k0]].cp == 0x5E74) /* 年 */
      return 1;
  }
  return 0;
}

int collect_lfrags(const page_text *pt, size_t *idx, size_t n,
                          pt_line **lines, size_t *nl, lfrag **all,
                          size_t *nall)
{
  *all = NULL;
  *nall = 0;
  if (pt_lines(pt->chars, idx, n, lines, nl))
    return -1;
  frag *fr = malloc(sizeof *fr * (n ? n : 1));
  lfrag *v = malloc(sizeof *v * (n ? n : 1));
  if (!fr || !v) {
    free(fr);
    free(v);
    free(*lines);
    *lines = NULL;
    return -1;
  }
  size_t m = 0;
  for (size_t i = 0; i < *nl; i++) {
    const pt_line *l = &(*lines)[i];
    size_t nf = line_frags(pt->chars, l, FRAG_GAP_EM, fr);
    int body = 0;
    for (size_t f = 0; f < nf; f++)
      body |= fr[f].numeric;
    for (size_t f = 0; f < nf; f++) {
      lfrag *x = &v[m++];
      x->f = fr[f];
      x->line = i;
      x->body = body;
      x->y0 = 1e9;
      x->y1 = -1e9;
      x->size = 0;
      for (size_t k = fr[f].k0; k < fr[f].k1; k++) {
        const pt_char *c = &pt->chars[l->idx[k]];
        if (c->y0 < x->y0) x->y0 = c->y0;
        if (c->y1 > x->y1) x->y1 = c->y1;
        if (c->size > x->size) x->size = c->size;
      }
    }
  }
  /* A year wrapped away from its 年 (a narrow header "2024" / "年预算数")
  ** is header text, not an amount: it must not start the body. */
  for (size_t i = 0; i < m; i++) {
    if (!v[i].f.numeric || !is_wrapped_year(pt, *lines, v, m, i))
      continue;
    v[i].f.numeric = 0;
    int body = 0;
    for (size_t k = 0; k < m; k++)
      body |= v[k].line == v[i].line && v[k].f.numeric;
    for (size_t k = 0; k < m; k++)
      if (v[k].line == v[i].line)
        v[k].body = body;
  }
  for (size_t i = 0; i < m; i++)
    v[i].spanning = is_spanning(v, m, i, &v[i].sx0, &v[i].sx1);
  free(fr);
  *all = v;
  *nall = m;
  return 0;
}

/* A table continued on the next page without its header may leave a
** column empty there, and its text then shows fewer channels. When no
** text of the new run crosses a column border of the last table of the
** page before, the continuation takes that table's columns. */

int recall_columns(grid_memory *mem, const lfrag *all, size_t nall,
                          double x0, double x1, double **xs, int *nx)
{
  if (!mem || mem->nx < 2 || *nx >= mem->nx)
    return 0;
  /* The run may reach a little past the old table's edges (a note under
  ** it starts at the page margin). */
  double edge = nall && 1.5 * all[0].size > RECALL_TOLERANCE
                    ? 1.5 * all[0].size : RECALL_TOLERANCE;
  if (x0 < mem->xs[0] - edge || x1 > mem->xs[mem->nx - 1] + edge)
    return 0;
  /* One text in ten may cross a border: two cells whose texts touch
  ** come as one fragment. An amount never may. */
  size_t crossing = 0;
  for (size_t i = 0; i < nall; i++) {
    if (all[i].spanning && !all[i].f.numeric)
      continue;
    /* Borders found from channels sit a little off: a text may reach
    ** over one by a few points. */
    double t = 0.6 * all[i].size > 2 ? 0.6 * all[i].size : 2;
    for (int k = 1; k + 1 < mem->nx; k++)
      if (all[i].f.x0 + t < mem->xs[k] && all[i].f.x1 - t > mem->xs[k]) {
        if (getenv("BUDGET_DEBUG_COLUMNS"))
          fprintf(stderr, "recall: %.1f-%.1f crosses %.1f\n", all[i].f.x0,
                  all[i].f.x1, mem->xs[k]);
        if (all[i].f.numeric || 10 * ++crossing > nall)
          return 0;
        break;
      }
  }
  double *copy = malloc(sizeof *copy * mem->nx);
  if (!copy)
    return 0;
  memcpy(copy, mem->xs, sizeof *copy * mem->nx);
  free(*xs);
  *xs = copy;
  *nx = mem->nx;
  return 1;
}

/* Column boundaries inside [x0,x1] from the empty vertical channels the
** fragments leave. A spanning text fragment (a parent header, a cell
** merged across) is centred over the channels it spans, so it does not
** count. Lines with an amount in them may be crossed by a stray
** overflowing label in one row of twenty. */
int infer_columns(const lfrag *all, size_t nall, double x0, double x1,
                         double **xs_out, int *nx_out)
{
  const double step = 0.5;
  int cells = (int)((x1 - x0) / step) + 2;
  int *hard = calloc(cells, sizeof *hard), *soft = calloc(cells, sizeof *soft);
  int *soft_all = calloc(cells, sizeof *soft_all);
  int *softb = calloc(cells, sizeof *softb);
  int *softn = calloc(cells, sizeof *softn), *wit = calloc(cells, sizeof *wit);
  double *xs = malloc(sizeof *xs * (cells + 2));
  int nx = 0, nsoftb = 0;
  size_t last_soft_line = (size_t)-1;
  if (!hard || !soft || !soft_all || !softb || !softn || !wit || !xs) {
    free(hard);
    free(soft);
    free(softb);
    free(softn);
    free(wit);
    free(soft_all);
    free(xs);
    return -1;
  }
  int nhard = 0;
  size_t last_line = (size_t)-1, first_body = (size_t)-1, last_body = 0;
  for (size_t i = 0; i < nall; i++) {
    if (all[i].body && all[i].line < first_body)
      first_body = all[i].line;
    if (all[i].body && all[i].line > last_body)
      last_body = all[i].line;
  }
  for (size_t i = 0; i < nall; i++) {
    if (all[i].line != last_line && all[i].body)
      nhard++;
    last_line = all[i].line;
    /* A few lines of text after the last amount (a note under the table,
    ** the end of the last label) say nothing about the columns. */
    if (first_body != (size_t)-1 && all[i].line > last_body &&
        all[nall - 1].line - last_body <= 3)
      continue;
    /* Text over side-by-side cells is merged across them, in the header
    ** or beside an amount (a form's 部门预算总额 row). */
    if (all[i].spanning && !all[i].f.numeric)
      continue;
    if (!all[i].body) {
      int a = (int)((all[i].f.x0 - x0 + 0.2) / step);
      int b = (int)((all[i].f.x1 - x0 - 0.2) / step);
      for (int k = a < 0 ? 0 : a; k <= b && k < cells; k++)
        soft_all[k]++;
    }
    /* In the header only the lowest text of a column counts: what stands
    ** above another header text is a parent, or the first line of a
    ** wrapped header, and parents are centred over several columns. */
    if (all[i].line < first_body && first_body != (size_t)-1) {
      size_t j = i + 1;
      while (j < nall && all[j].line == all[i].line)
        j++;
      for (; j < nall; j++)
        if (all[j].f.x1 > all[i].f.x0 + 0.5 && all[j].f.x0 < all[i].f.x1 - 0.5)
          break;
      if (j < nall && all[j].line < first_body)
        continue;
      /* On the first header line with nothing under it but header texts
      ** below it on both sides: a parent over a gap between its children
      ** (收入 over 项目 and 预算数, whose column is empty below). */
      if (all[i].line == all[0].line && all[i].line + 1 < first_body) {
        int left = 0, right = 0;
        for (size_t k = 0; k < nall; k++)
          if (all[k].line > all[i].line && all[k].line < first_body &&
              all[k].f.x1 > all[i].f.x0 - 6 * all[i].size &&
              all[k].f.x0 < all[i].f.x1 + 6 * all[i].size) {
            left |= all[k].f.x1 <= all[i].f.x0;
            right |= all[k].f.x0 >= all[i].f.x1;
          }
        if (left && right)
          continue;
      }
    }
    int a = (int)((all[i].f.x0 - x0 + 0.2) / step);
    int b = (int)((all[i].f.x1 - x0 - 0.2) / step);
    if (a < 0) a = 0;
    if (b >= cells) b = cells - 1;
    /* Below the header, text wider than a quarter of the table is a cell
    ** merged across columns (a form's row) and may cross channels. */
    int wide = first_body != (size_t)-1 && all[i].line > first_body &&
               all[i].f.x1 - all[i].f.x0 > 0.25 * (x1 - x0);
    int below = first_body != (size_t)-1 && all[i].line > first_body;
    int *cov = all[i].body ? hard : wide ? softb : below ? softn : soft;
    for (int k = a; k <= b; k++)
      cov[k]++;
    if (cov == softb && all[i].line != last_soft_line) {
      nsoftb++;
      last_soft_line = all[i].line;
    }
  }
  /* Lines below the header that show a gap at x witness a channel there;
  ** text of other lines crossing it is then a cell merged across (a form
  ** row), as long as the witnesses outnumber it two to one. */
  for (size_t i = 0; i + 1 < nall; i++) {
    if (first_body == (size_t)-1 || all[i].line < first_body ||
        all[i + 1].line != all[i].line)
      continue;
    int a = (int)((all[i].f.x1 - x0 + 0.2) / step);
    int b = (int)((all[i + 1].f.x0 - x0 - 0.2) / step);
    for (int k = a < 0 ? 0 : a; k <= b && k < cells; k++)
      wit[k]++;
  }
  for (int k = 0; k < cells; k++)
    if (softn[k] && !(wit[k] >= 3 && 2 * softn[k] <= wit[k]))
      soft[k] += softn[k];
  /* Below the header a column channel may be crossed now and then: by
  ** an overflowing amount, or by text merged across columns (forms). */
  int hard_tol = nhard / 20, softb_tol = nsoftb / 6;
  if (getenv("BUDGET_DEBUG_COVERAGE"))
    for (int k = 0; k < cells; k++)
      fprintf(stderr, "cov %.1f hard %d soft %d softb %d softn %d wit %d\n",
              x0 + k * step, hard[k], soft[k], softb[k], softn[k], wit[k]);
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    for (size_t i = 0; i < nall; i++)
      fprintf(stderr, "frag line %zu x %.1f-%.1f y %.1f-%.1f body %d span %d\n",
              all[i].line, all[i].f.x0, all[i].f.x1, all[i].y0, all[i].y1,
              all[i].body, all[i].spanning);
  xs[nx++] = x0;
  int k = 0;
  while (k < cells && hard[k] == 0 && soft[k] == 0 && softb[k] == 0)
    k++; /* the margin before the first text */
  while (k < cells) {
    if (hard[k] <= hard_tol && soft[k] == 0 && softb[k] <= softb_tol) {
      int a = k;
      while (k < cells && hard[k] <= hard_tol && soft[k] == 0 &&
             softb[k] <= softb_tol)
        k++;
      int rest = 0; /* a channel at the right margin is no boundary */
      for (int j = k; j < cells; j++)
        rest |= hard[j] | soft[j] | softb[j];
      if (rest && (k - a) * step >= 1.0) {
        /* Within the channel, keep clear of the upper lines of wrapped
        ** headers too when there is room. */
        int ba = -1, bk = -1;
        for (int q = a; q < k;) {
          if (soft_all[q]) {
            q++;
            continue;
          }
          int q0 = q;
          while (q < k && !soft_all[q])
            q++;
          if (q - q0 > bk - ba) {
            ba = q0;
            bk = q;
          }
        }
        if (ba >= 0 && (bk - ba) * step >= 1.0)
          xs[nx++] = x0 + (ba + bk) / 2.0 * step;
        else
          xs[nx++] = x0 + (a + k) / 2.0 * step;
      }
    } else {
      k++;
    }
  }
  xs[nx++] = x1;
  /* More columns than any budget table has: text, not a table. */
  if (nx > MAX_COLUMNS + 1) {
    xs[1] = x1;
    nx = 2;
  }
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    for (int i = 0; i < nx; i++)
      fprintf(stderr, "column boundary %.1f\n", xs[i]);
  free(hard);
  free(soft);
  free(softb);
  free(softn);
  free(wit);
  free(soft_all);
  *xs_out = xs;
  *nx_out = nx;
  return 0;
}

/* The columns a fragment occupies: a spanning header covers its
** children's columns; any other fragment the columns its text crosses. */
void frag_columns(const lfrag *f, const double *xs, int nx, int *c0,
                         int *c1)
{
  if (f->spanning && !f->body) {
    *c0 = find_index(xs, nx, f->sx0);
    *c1 = find_index(xs, nx, f->sx1);
    int own = find_index(xs, nx, f->f.x0 + 0.5);
    if (own < *c0) *c0 = own;
  } else {
    /* Half an em in: a centred header a little wider than its column
    ** spills over both of its borders. */
    double in = 0.5 * f->size, w = f->f.x1 - f->f.x0;
    if (in > w / 2)
      in = w / 2;
    *c0 = find_index(xs, nx, f->f.x0 + in);
    *c1 = find_index(xs, nx, f->f.x1 - in);
    /* Text that merely overflows into a neighbour stays in its column;
    ** only a crossing of more than half a column is a merged cell. */
    if (*c1 > *c0) {
      double over = f->f.x1 - xs[*c1];
      if (over < 0.5 * (xs[*c1 + 1] - xs[*c1]))
        (*c1)--;
    }
    /* The same on the left for a header text over two columns: centred
    ** over a narrow column of amounts, it reaches into the one before
    ** and ends inside its own. */
    if (!f->body && *c1 == *c0 + 1 && f->f.x1 <= xs[*c1 + 1]) {
      double over = xs[*c1] - f->f.x0;
      if (over < 0.5 * (xs[*c1] - xs[*c0]))
        (*c0)++;
    }
  }
  if (*c1 < *c0)
    *c1 = *c0;
}

void remember_columns(grid_memory *mem, const double *xs, int nx)
{
  /* A scrap (the tail of a cell cut by the page break) is no layout. */
  if (!mem || nx < 4)
    return;
  mem->nx = nx < GRID_MEMORY_MAX ? nx : 0;
  if (mem->nx)
    memcpy(mem->xs, xs, sizeof *xs * nx);
}


int is_form(const lfrag *all, size_t nall)
{
  size_t numeric = 0;
  for (size_t i = 0; i < nall; i++)
    numeric += all[i].f.numeric;
  return nall >= 12 && 6 * numeric <= nall;
}

/* The borders of a and b in order, one of two closer than apart taken
** (the first); NULL on OOM. */
static double *merged_borders(const double *a, int na, const double *b,
                              int nb, double apart, int *n)
{
  double *v = malloc(sizeof *v * (size_t)(na + nb));
  int m = 0, i = 0, j = 0;
  if (!v)
    return NULL;
  while (i < na || j < nb) {
    double x = j >= nb || (i < na && a[i] <= b[j]) ? a[i++] : b[j++];
    if (!m || x - v[m - 1] >= apart)
      v[m++] = x;
  }
  *n = m;
  return v;
}

static int most_texts_in_a_line(const lfrag *all, size_t nall)
{
  int most = 0;
  for (size_t i = 0, j; i < nall; i = j) {
    for (j = i + 1; j < nall && all[j].line == all[i].line; j++)
      ;
    if ((int)(j - i) > most)
      most = (int)(j - i);
  }
  return most;
}

/* A form (a 绩效目标表 printed without vertical rules) has rows of different
** structures: a long text merged across several columns blocks the channels
** a column border needs, so channels find too few columns. Its columns are
** where its texts start: left edges that line after line share. */
int form_columns(const lfrag *all, size_t nall, double x0, double x1,
                 double **xs, int *nx)
{
  if (!is_form(all, nall))
    return 0;
  double *lefts = malloc(sizeof *lefts * nall);
  double *v = malloc(sizeof *v * (nall + 2));
  if (!lefts || !v) {
    free(lefts);
    free(v);
    return 0;
  }
  size_t nleft = 0;
  for (size_t i = 0; i < nall; i++)
    if (!all[i].f.numeric)
      lefts[nleft++] = all[i].f.x0;
  qsort(lefts, nleft, sizeof *lefts, cmp_dbl);
  int n = 0;
  v[n++] = x0;
  /* A start is shared by three texts; the lines of one wrapped cell count
  ** too (each starts there). */
  for (size_t i = 0; i < nleft;) {
    size_t j = i + 1;
    while (j < nleft && lefts[j] - lefts[j - 1] <= SNAP)
      j++;
    if (j - i >= 3 && lefts[i] > x0 + SNAP && n + 1 < MAX_COLUMNS)
      v[n++] = lefts[i] - 0.5;
    i = j;
  }
  free(lefts);
  v[n++] = x1;
  /* Only when the starts show more columns than the channels did: where
  ** channels found the columns, their borders are the better ones. */
  int ok = n - 1 > *nx - 1 && n - 1 >= 3;
  if (getenv("BUDGET_DEBUG_COLUMNS")) {
    fprintf(stderr, "form: %d columns from shared starts, %d from channels: %s\n",
            n - 1, *nx - 1, ok ? "starts" : "channels");
    for (int k = 0; k < n; k++)
      fprintf(stderr, "form: start %.1f\n", v[k]);
  }
  /* Each may see a border the other misses: starts miss a column whose
  ** body is empty (指标值说明 left blank), channels one blocked by the wide
  ** texts of the form's top part. Both together, borders closer than a
  ** few ems taken as one, when no more columns come out than some line
  ** of the form has texts (its header row). */
  if (!ok && n - 1 >= 3) {
    int m;
    double *both = merged_borders(v, n, *xs, *nx,
                                  2.5 * (nall ? all[0].size : 10), &m);
    if (both && m > n && m > *nx && m - 1 <= most_texts_in_a_line(all, nall)) {
      if (getenv("BUDGET_DEBUG_COLUMNS"))
        fprintf(stderr, "form: %d columns from both\n", m - 1);
      free(v);
      free(*xs);
      *xs = both;
      *nx = m;
      return 1;
    }
    free(both);
  }
  if (!ok) {
    free(v);
    return 0;
  }
  free(*xs);
  *xs = v;
  *nx = n;
  return 1;
}
