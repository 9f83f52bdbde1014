#include "grid.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

/* Geometry tolerances, in points or in ems of the page's body size. */
#define SNAP 1.5            /* positions closer than this are one line */
#define TOUCH 2.5           /* a ruling ending this close to another meets it */
#define HRULE_MAX_GAP 90.0  /* rules further apart are different tables */
#define COVER 0.55          /* share of a cell side a border must cover */
#define FRAG_GAP_EM 0.35    /* a wider gap inside a line separates cells */
#define TABULAR_GAP_EM 1.2  /* a gap this wide marks a line as columnar */
#define LONG_RULE 24.0      /* shorter rules are borders of one cell at most,
                               or leftovers of glyph strokes */

const char *grid_kind_name(grid_kind k)
{
  return k == GRID_RULED ? "ruled" : k == GRID_HRULE ? "hrule" : "unruled";
}

/* ---- small helpers ---------------------------------------------------- */

static int uf_find(int *p, int i)
{
  while (p[i] != i) {
    p[i] = p[p[i]];
    i = p[i];
  }
  return i;
}

static void uf_union(int *p, int a, int b)
{
  a = uf_find(p, a);
  b = uf_find(p, b);
  if (a != b) {
    if (a < b) p[b] = a;
    else p[a] = b;
  }
}

static int cmp_dbl(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v and merges values within SNAP into their mean; returns count. */
static int snap_positions(double *v, int n)
{
  if (n == 0)
    return 0;
  qsort(v, n, sizeof *v, cmp_dbl);
  int m = 0;
  double sum = v[0];
  int cnt = 1;
  for (int i = 1; i <= n; i++) {
    if (i < n && v[i] - v[i - 1] <= SNAP) {
      sum += v[i];
      cnt++;
      continue;
    }
    v[m++] = sum / cnt;
    if (i < n) {
      sum = v[i];
      cnt = 1;
    }
  }
  return m;
}

/* Total length of [a,b] covered by rulings at pos (within SNAP). */
static double coverage(const ruling *r, const int *members, int nm,
                       double pos, double a, double b)
{
  double sum = 0;
  for (int k = 0; k < nm; k++) {
    const ruling *x = &r[members[k]];
    if (fabs(x->pos - pos) > SNAP)
      continue;
    double lo = x->from > a ? x->from : a, hi = x->to < b ? x->to : b;
    if (hi > lo)
      sum += hi - lo;
  }
  return sum;
}

static int is_numeric_cp(uint32_t cp)
{
  return (cp >= '0' && cp <= '9') || cp == '.' || cp == ',' || cp == '-' ||
         cp == '%';
}

/* A fragment: a run of one line's characters without a wide gap. */
typedef struct frag {
  size_t k0, k1;       /* positions in the line's idx */
  double x0, x1;
  int numeric;         /* digits and separators only, with a digit */
} frag;

static size_t line_frags(const pt_char *ch, const pt_line *l, double gap_em,
                         frag *out)
{
  size_t n = 0;
  for (size_t k = 0; k < l->n; k++) {
    const pt_char *c = &ch[l->idx[k]];
    int split = k == 0;
    if (!split) {
      const pt_char *p = &ch[l->idx[k - 1]];
      double em = c->size < p->size ? c->size : p->size;
      double gap = c->x0 - p->x1;
      split = gap > gap_em * em;
      /* A right-aligned amount and the label of the next column may stand
      ** closer than a space: any visible gap where digits meet CJK text
      ** separates them ("2023年" has none). */
      if (!split && gap_em < 1 && gap > 0.1 * em &&
          (utf8_is_cjk(c->cp) != utf8_is_cjk(p->cp)) &&
          (is_numeric_cp(c->cp) || is_numeric_cp(p->cp)))
        split = 1;
    }
    if (split) {
      out[n].k0 = k;
      out[n].x0 = c->x0;
      out[n].numeric = 1;
      n++;
    }
    frag *f = &out[n - 1];
    f->k1 = k + 1;
    f->x1 = c->x1;
    if (!is_numeric_cp(c->cp))
      f->numeric = 0;
  }
  for (size_t i = 0; i < n; i++) {
    int digit = 0;
    for (size_t k = out[i].k0; k < out[i].k1; k++) {
      uint32_t cp = ch[l->idx[k]].cp;
      if (cp >= '0' && cp <= '9')
        digit = 1;
    }
    if (!digit)
      out[i].numeric = 0;
  }
  return n;
}

/* ---- the grid under construction -------------------------------------- */

typedef struct builder {
  const page_text *pt;
  double *xs, *ys;   /* column and row boundaries */
  int nx, ny;        /* counts of boundaries: ncols = nx-1, nrows = ny-1 */
  int *uf;           /* union-find over slots */
  size_t **cellidx;  /* per slot: chars placed there */
  size_t *celln, *cellcap;
} builder;

static int builder_init(builder *b, const page_text *pt, double *xs, int nx,
                        double *ys, int ny)
{
  memset(b, 0, sizeof *b);
  b->pt = pt;
  b->xs = xs;
  b->nx = nx;
  b->ys = ys;
  b->ny = ny;
  size_t slots = (size_t)(nx - 1) * (ny - 1);
  b->uf = malloc(sizeof *b->uf * slots);
  b->cellidx = calloc(slots, sizeof *b->cellidx);
  b->celln = calloc(slots, sizeof *b->celln);
  b->cellcap = calloc(slots, sizeof *b->cellcap);
  if (!b->uf || !b->cellidx || !b->celln || !b->cellcap)
    return -1;
  for (size_t i = 0; i < slots; i++)
    b->uf[i] = (int)i;
  return 0;
}

static void builder_free(builder *b)
{
  size_t slots = (size_t)(b->nx - 1) * (b->ny - 1);
  if (b->cellidx)
    for (size_t i = 0; i < slots; i++)
      free(b->cellidx[i]);
  free(b->cellidx);
  free(b->celln);
  free(b->cellcap);
  free(b->uf);
  free(b->xs);
  free(b->ys);
}

static int slot(const builder *b, int r, int c) { return r * (b->nx - 1) + c; }

static int find_index(const double *v, int n, double x)
{
  /* v has n boundaries; returns the interval holding x, clamped. */
  int i = 0;
  while (i < n - 2 && x >= v[i + 1])
    i++;
  return i;
}

static int place(builder *b, int r, int c, size_t ci)
{
  int s = uf_find(b->uf, slot(b, r, c));
  if (b->celln[s] == b->cellcap[s]) {
    size_t cap = b->cellcap[s] ? b->cellcap[s] * 2 : 16;
    size_t *p = realloc(b->cellidx[s], cap * sizeof *p);
    if (!p)
      return -1;
    b->cellidx[s] = p;
    b->cellcap[s] = cap;
  }
  b->cellidx[s][b->celln[s]++] = ci;
  return 0;
}

/* Merged slots must form rectangles. Missing borders can join slots into
** a comb or a staircase (a page whose rules are broken, two tables whose
** rules touch); a group filling much less than its bounding rectangle is
** split back into single slots, since no merged cell has that shape. */
static int builder_rectify(builder *b)
{
  int nr = b->ny - 1, nc = b->nx - 1;
  size_t slots = (size_t)nr * nc;
  int *r0 = malloc(sizeof *r0 * slots), *r1 = malloc(sizeof *r1 * slots);
  int *c0 = malloc(sizeof *c0 * slots), *c1 = malloc(sizeof *c1 * slots);
  int *cnt = calloc(slots, sizeof *cnt);
  int rc = -1;
  if (!r0 || !r1 || !c0 || !c1 || !cnt)
    goto out;
  for (size_t i = 0; i < slots; i++) {
    r0[i] = c0[i] = 1 << 30;
    r1[i] = c1[i] = -1;
  }
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++) {
      int s = uf_find(b->uf, slot(b, r, c));
      cnt[s]++;
      if (r < r0[s]) r0[s] = r;
      if (c < c0[s]) c0[s] = c;
      if (r > r1[s]) r1[s] = r;
      if (c > c1[s]) c1[s] = c;
    }
  /* Every slot's root is final before any is reset (cnt is reused). */
  for (size_t i = 0; i < slots; i++) {
    int root = uf_find(b->uf, (int)i);
    int area = (r1[root] - r0[root] + 1) * (c1[root] - c0[root] + 1);
    /* A slot or two short of a rectangle is a border broken by a stray
    ** glyph: the rectangle stands. Far from one, the group is no cell. */
    int bad = 10 * cnt[root] < 7 * area;
    r0[i] = bad ? -1 : root;
  }
  for (size_t i = 0; i < slots; i++)
    b->uf[i] = r0[i] < 0 ? (int)i : r0[i];
  rc = 0;
out:
  free(r0);
  free(r1);
  free(c0);
  free(c1);
  free(cnt);
  return rc;
}

/* Turns the builder's slots into a grid: text per span, spans, filler
** rows dropped. */
static int builder_finish(builder *b, grid_kind kind, grid *g)
{
  int nr = b->ny - 1, nc = b->nx - 1;
  size_t slots = (size_t)nr * nc;
  memset(g, 0, sizeof *g);
  g->kind = kind;
  g->x0 = b->xs[0];
  g->x1 = b->xs[nc];
  g->y0 = b->ys[0];
  g->y1 = b->ys[nr];
  int *r0 = malloc(sizeof *r0 * slots), *c0 = malloc(sizeof *c0 * slots);
  int *r1 = malloc(sizeof *r1 * slots), *c1 = malloc(sizeof *c1 * slots);
  char **text = calloc(slots, sizeof *text);
  int *keep = malloc(sizeof *keep * (nr ? nr : 1));
  int rc = -1;
  strbuf sb;
  strbuf_init(&sb, STRBUF_CAP_CELL);
  if (!r0 || !c0 || !r1 || !c1 || !text || !keep)
    goto out;
  for (size_t s = 0; s < slots; s++) {
    r0[s] = c0[s] = 1 << 30;
    r1[s] = c1[s] = -1;
  }
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++) {
      int s = uf_find(b->uf, slot(b, r, c));
      if (r < r0[s]) r0[s] = r;
      if (c < c0[s]) c0[s] = c;
      if (r > r1[s]) r1[s] = r;
      if (c > c1[s]) c1[s] = c;
    }
  for (int r = 0; r < nr; r++) {
    keep[r] = 0;
    for (int c = 0; c < nc; c++) {
      int s = slot(b, r, c);
      if (uf_find(b->uf, s) != s)
        continue;
      if (b->celln[s] == 0)
        continue;
      pt_line *lines;
      size_t nl;
      if (pt_lines(b->pt->chars, b->cellidx[s], b->celln[s], &lines, &nl))
        goto out;
      strbuf_clear(&sb);
      for (size_t i = 0; i < nl; i++) {
        if (i)
          strbuf_append_char(&sb, ' ');
        pt_line_text(b->pt->chars, &lines[i], FRAG_GAP_EM, &sb);
      }
      free(lines);
      text[s] = strbuf_take(&sb);
      if (!text[s])
        goto out;
    }
  }
  /* A row is kept when a cell starting in it has text. */
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++) {
      int s = uf_find(b->uf, slot(b, r, c));
      if (text[s] && text[s][0])
        keep[r0[s]] = 1;
    }
  int *newrow = malloc(sizeof *newrow * (nr + 1));
  if (!newrow)
    goto out;
  int kept = 0;
  for (int r = 0; r < nr; r++) {
    newrow[r] = kept;
    kept += keep[r];
  }
  newrow[nr] = kept;
  g->nrows = kept;
  g->ncols = nc;
  g->text = calloc((size_t)kept * nc + 1, sizeof *g->text);
  g->row_y0 = malloc(sizeof *g->row_y0 * (kept + 1));
  g->row_y1 = malloc(sizeof *g->row_y1 * (kept + 1));
  g->spans = malloc(sizeof *g->spans * (slots + 1));
  if (!g->text || !g->row_y0 || !g->row_y1 || !g->spans) {
    free(newrow);
    goto out;
  }
  for (int r = 0; r < nr; r++) {
    if (!keep[r])
      continue;
    g->row_y0[newrow[r]] = b->ys[r];
    g->row_y1[newrow[r]] = b->ys[r + 1];
  }
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++) {
      int s = slot(b, r, c);
      if (!keep[r])
        continue;
      size_t at = (size_t)newrow[r] * nc + c;
      int root = uf_find(b->uf, s);
      if (root == s && text[s]) {
        g->text[at] = text[s];
        text[s] = NULL;
      }
      if (root == s) {
        int rows = newrow[r1[s] + 1] - newrow[r0[s]];
        int cols = c1[s] - c0[s] + 1;
        if ((rows > 1 || cols > 1) && rows > 0) {
          grid_span sp = {newrow[r0[s]], c0[s], rows, cols};
          g->spans[g->nspans++] = sp;
        }
      }
    }
  for (size_t i = 0; i < (size_t)kept * nc; i++)
    if (!g->text[i] && !(g->text[i] = calloc(1, 1))) {
      free(newrow);
      goto out;
    }
  free(newrow);
  rc = 0;
out:
  if (rc != 0)
    grids_free(g, 1), memset(g, 0, sizeof *g);
  if (text)
    for (size_t s = 0; s < slots; s++)
      free(text[s]);
  free(text);
  free(r0);
  free(c0);
  free(r1);
  free(c1);
  free(keep);
  strbuf_free(&sb);
  return rc;
}

/* ---- columns from text ------------------------------------------------ */

/* Every fragment of a set of characters, with what column inference and
** cell placement need to know of it. */
#define SPAN_LOOKAHEAD 5

typedef struct lfrag {
  frag f;
  size_t line;       /* index into the lines of collect_lfrags() */
  double y0, y1;     /* the fragment's own characters' extent */
  double size;       /* its largest font size */
  int body;          /* its line holds an amount or code */
  int spanning;      /* stands over side-by-side fragments (see below) */
  double sx0, sx1;   /* when spanning: the centres of the outermost
                        fragments it stands over */
} lfrag;

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
  int n = 0, disjoint = 0;
  for (; j < nall && all[j].line <= p->line + SPAN_LOOKAHEAD; j++) {
    const frag *f = &all[j].f;
    if (!(f->x1 > p->f.x0 + 1 && f->x0 < p->f.x1 - 1))
      continue;
    if (all[j].y0 - p->y1 > 3 * p->size)
      break;
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
static int collect_lfrags(const page_text *pt, size_t *idx, size_t n,
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
#define RECALL_TOLERANCE 4.0

static int recall_columns(grid_memory *mem, const lfrag *all, size_t nall,
                          double x0, double x1, double **xs, int *nx)
{
  if (!mem || mem->nx < 2 || *nx >= mem->nx)
    return 0;
  if (x0 < mem->xs[0] - RECALL_TOLERANCE ||
      x1 > mem->xs[mem->nx - 1] + RECALL_TOLERANCE)
    return 0;
  for (size_t i = 0; i < nall; i++) {
    if (all[i].spanning && !all[i].f.numeric)
      continue;
    /* Borders found from channels sit a little off: a text may reach
    ** over one by a few points. */
    double t = 0.6 * all[i].size > 2 ? 0.6 * all[i].size : 2;
    for (int k = 1; k + 1 < mem->nx; k++)
      if (all[i].f.x0 + t < mem->xs[k] && all[i].f.x1 - t > mem->xs[k]) {
        if (getenv("BUDGET_DEBUG_COLUMNS"))
          fprintf(stderr, "recall refused: %.1f-%.1f crosses %.1f\n",
                  all[i].f.x0, all[i].f.x1, mem->xs[k]);
        return 0;
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
static int infer_columns(const lfrag *all, size_t nall, double x0, double x1,
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
static void frag_columns(const lfrag *f, const double *xs, int nx, int *c0,
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
  }
  if (*c1 < *c0)
    *c1 = *c0;
}

/* ---- ruled and horizontally ruled tables ------------------------------ */

static int chars_in_box(const page_text *pt, const unsigned char *used,
                        double x0, double y0, double x1, double y1,
                        size_t **idx_out, size_t *n_out)
{
  size_t *idx = malloc(sizeof *idx * (pt->nchars ? pt->nchars : 1));
  if (!idx)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < pt->nchars; i++) {
    const pt_char *c = &pt->chars[i];
    if (used[i])
      continue;
    double cx = pt_cx(c), cy = pt_cy(c);
    if (cx >= x0 && cx <= x1 && cy >= y0 && cy <= y1)
      idx[n++] = i;
  }
  *idx_out = idx;
  *n_out = n;
  return 0;
}

/* Places whole fragments (not single characters) in the slot under their
** first character, so a header spanning a column channel stays one text;
** a spanning header merges the slots of its row over its children. */
static int place_lfrags(builder *b, const pt_line *lines, const lfrag *all,
                        size_t nall, const int *row_of)
{
  for (size_t i = 0; i < nall; i++) {
    const lfrag *f = &all[i];
    const pt_line *l = &lines[f->line];
    int r = row_of ? row_of[i]
                   : find_index(b->ys, b->ny, (f->y0 + f->y1) / 2);
    if (r < 0)
      continue;
    int c0, c1;
    frag_columns(f, b->xs, b->nx, &c0, &c1);
    for (int c = c0; c < c1; c++)
      uf_union(b->uf, slot(b, r, c), slot(b, r, c + 1));
    for (size_t k = f->f.k0; k < f->f.k1; k++)
      if (place(b, r, c0, l->idx[k]))
        return -1;
  }
  return 0;
}

static int grid_push(grid **v, size_t *n, size_t *cap, const grid *g)
{
  if (*n == *cap) {
    size_t c = *cap ? *cap * 2 : 4;
    grid *p = realloc(*v, c * sizeof *p);
    if (!p)
      return -1;
    *v = p;
    *cap = c;
  }
  (*v)[(*n)++] = *g;
  return 0;
}

static void remember_columns(grid_memory *mem, const double *xs, int nx)
{
  /* A scrap (the tail of a cell cut by the page break) is no layout. */
  if (!mem || nx < 4)
    return;
  mem->nx = nx < GRID_MEMORY_MAX ? nx : 0;
  if (mem->nx)
    memcpy(mem->xs, xs, sizeof *xs * nx);
}

typedef struct hrules {
  const ruling *r;  /* the page's horizontals */
  const int *m;     /* this table's members */
  int n;
} hrules;

static int build_unruled(const page_text *pt, size_t *idx, size_t n,
                         double x0, double x1, const hrules *hr,
                         grid_kind kind, grid_memory *mem, unsigned char *used,
                         grid *g, int *made);

static int build_ruled(const page_text *pt, const rulings *ru, const int *hm,
                       int nhm, const int *vm, int nvm, grid_memory *mem,
                       unsigned char *used, grid *g, int *made)
{
  *made = 0;
  double bx0 = 1e9, bx1 = -1e9, by0 = 1e9, by1 = -1e9;
  for (int k = 0; k < nhm; k++) {
    const ruling *r = &ru->h[hm[k]];
    if (r->from < bx0) bx0 = r->from;
    if (r->to > bx1) bx1 = r->to;
    if (r->pos < by0) by0 = r->pos;
    if (r->pos > by1) by1 = r->pos;
  }
  for (int k = 0; k < nvm; k++) {
    const ruling *r = &ru->v[vm[k]];
    if (r->pos < bx0) bx0 = r->pos;
    if (r->pos > bx1) bx1 = r->pos;
    if (r->from < by0) by0 = r->from;
    if (r->to > by1) by1 = r->to;
  }
  double *ys = malloc(sizeof *ys * (nhm + 2));
  if (!ys)
    return -1;
  int ny = 0;
  for (int k = 0; k < nhm; k++)
    ys[ny++] = ru->h[hm[k]].pos;
  ys[ny++] = by0;
  ys[ny++] = by1;
  ny = snap_positions(ys, ny);

  size_t *idx, n;
  if (chars_in_box(pt, used, bx0 - 1, by0 - 1, bx1 + 1, by1 + 1, &idx, &n)) {
    free(ys);
    return -1;
  }
  double *xs;
  int nx;
  int ruled = nvm >= 2;
  if (!ruled) {
    /* Horizontal rules only: the text lays out the columns and the
    ** header; each band between two full-width rules is a body row. */
    hrules hr = {ru->h, hm, nhm};
    int rc = 0;
    if (n > 0)
      rc = build_unruled(pt, idx, n, bx0, bx1, &hr, GRID_HRULE, mem, used, g,
                         made);
    free(ys);
    free(idx);
    return rc;
  }
  pt_line *lines = NULL;
  lfrag *all = NULL;
  size_t nl = 0, nall = 0;
  if (!ruled && collect_lfrags(pt, idx, n, &lines, &nl, &all, &nall)) {
    free(ys);
    free(idx);
    return -1;
  }
  if (ruled) {
    xs = malloc(sizeof *xs * (nvm + 2));
    if (!xs) {
      free(ys);
      free(idx);
      return -1;
    }
    nx = 0;
    for (int k = 0; k < nvm; k++)
      xs[nx++] = ru->v[vm[k]].pos;
    xs[nx++] = bx0;
    xs[nx++] = bx1;
    nx = snap_positions(xs, nx);
  } else if (infer_columns(all, nall, bx0, bx1, &xs, &nx)) {
    free(ys);
    free(idx);
    free(lines);
    free(all);
    return -1;
  }
  if (nx < 2 || ny < 2 || n == 0) {
    free(xs);
    free(ys);
    free(idx);
    free(lines);
    free(all);
    return 0;
  }
  builder b;
  if (builder_init(&b, pt, xs, nx, ys, ny)) {
    builder_free(&b);
    free(idx);
    free(lines);
    free(all);
    return -1;
  }
  int nr = ny - 1, nc = nx - 1;
  /* A missing border between two slots merges them. */
  for (int r = 0; r < nr; r++)
    for (int c = 0; c < nc; c++) {
      if (ruled && c + 1 < nc) {
        double len = ys[r + 1] - ys[r];
        if (coverage(ru->v, vm, nvm, xs[c + 1], ys[r], ys[r + 1]) <
            COVER * len)
          uf_union(b.uf, slot(&b, r, c), slot(&b, r, c + 1));
      }
      if (r + 1 < nr) {
        double len = xs[c + 1] - xs[c];
        if (coverage(ru->h, hm, nhm, ys[r + 1], xs[c], xs[c + 1]) <
            COVER * len)
          uf_union(b.uf, slot(&b, r, c), slot(&b, r + 1, c));
      }
    }
  int rc = builder_rectify(&b);
  if (ruled) {
    for (size_t i = 0; i < n && rc == 0; i++) {
      const pt_char *c = &pt->chars[idx[i]];
      rc = place(&b, find_index(ys, ny, pt_cy(c)), find_index(xs, nx, pt_cx(c)),
                 idx[i]);
    }
  } else {
    rc = place_lfrags(&b, lines, all, nall, NULL);
  }
  if (rc == 0)
    rc = builder_finish(&b, ruled ? GRID_RULED : GRID_HRULE, g);
  if (rc == 0)
    remember_columns(mem, xs, nx);
  if (rc == 0) {
    for (size_t i = 0; i < n; i++)
      used[idx[i]] = 1;
    *made = g->nrows > 0;
    if (!*made)
      grids_free(g, 1);
  }
  builder_free(&b);
  free(idx);
  free(lines);
  free(all);
  return rc;
}

/* Groups the rulings into tables: a vertical and a horizontal that meet
** are one table; so are horizontals stacked close over the same span. */
static int find_ruled(const page_text *pt, const rulings *ru,
                      grid_memory *mem, unsigned char *used, grid **v,
                      size_t *n, size_t *cap)
{
  int nh = (int)ru->nh, nv = (int)ru->nv, tot = nh + nv;
  if (nh == 0)
    return 0;
  int *p = malloc(sizeof *p * tot), *hm = malloc(sizeof *hm * tot),
      *vm = malloc(sizeof *vm * tot);
  unsigned char *done = calloc(tot, 1);
  int rc = -1;
  if (!p || !hm || !vm || !done)
    goto out;
  for (int i = 0; i < tot; i++)
    p[i] = i;
  for (int i = 0; i < nh; i++)
    for (int j = 0; j < nv; j++) {
      const ruling *h = &ru->h[i], *w = &ru->v[j];
      if (w->pos >= h->from - TOUCH && w->pos <= h->to + TOUCH &&
          h->pos >= w->from - TOUCH && h->pos <= w->to + TOUCH)
        uf_union(p, i, nh + j);
    }
  /* A table ruled only at its header and its foot: two rules of the same
  ** extent with nothing between them that stands outside it or is set in
  ** a title's size. */
  /* Only rules no vertical meets: a fully ruled table is one by its
  ** verticals, and two ruled tables on a page must stay two. */
  unsigned char *touched = calloc(nh + 1, 1);
  if (!touched)
    goto out;
  for (int i = 0; i < nh; i++)
    for (int j = 0; j < nv && !touched[i]; j++) {
      const ruling *h = &ru->h[i], *w = &ru->v[j];
      touched[i] = w->pos >= h->from - TOUCH && w->pos <= h->to + TOUCH &&
                   h->pos >= w->from - TOUCH && h->pos <= w->to + TOUCH;
    }
  for (int i = 0; i < nh; i++) {
    const ruling *a = &ru->h[i];
    if (a->to - a->from < 4 * LONG_RULE || touched[i])
      continue;
    for (int k = i + 1; k < nh; k++) {
      const ruling *c = &ru->h[k];
      if (touched[k] || fabs(c->from - a->from) > TOUCH ||
          fabs(c->to - a->to) > TOUCH)
        continue;
      int apart = 0;
      for (size_t ci = 0; ci < pt->nchars && !apart; ci++) {
        const pt_char *ch = &pt->chars[ci];
        double cy = pt_cy(ch), cx = pt_cx(ch);
        if (cy > a->pos && cy < c->pos &&
            (cx < a->from - TOUCH || cx > a->to + TOUCH ||
             ch->size > 1.3 * pt->body_size))
          apart = 1;
      }
      if (!apart)
        uf_union(p, i, k);
      break;
    }
  }
  for (int i = 0; i < nh; i++)
    for (int k = i + 1; k < nh; k++) {
      const ruling *a = &ru->h[i], *c = &ru->h[k];
      if (a->to - a->from < LONG_RULE || c->to - c->from < LONG_RULE)
        continue;
      if (c->pos - a->pos > HRULE_MAX_GAP)
        break;
      if (touched[i] && touched[k])
        continue;
      double lo = a->from > c->from ? a->from : c->from;
      double hi = a->to < c->to ? a->to : c->to;
      double la = a->to - a->from, lc = c->to - c->from;
      if (hi - lo >= 0.5 * (la < lc ? la : lc))
        uf_union(p, i, k);
    }
  free(touched);
  for (int i = 0; i < tot; i++) {
    int root = uf_find(p, i);
    if (done[root])
      continue;
    done[root] = 1;
    int nhm = 0, nvm = 0, nlong = 0;
    for (int k = 0; k < tot; k++)
      if (uf_find(p, k) == root) {
        const ruling *r = k < nh ? &ru->h[k] : &ru->v[k - nh];
        if (r->to - r->from < LONG_RULE && k < nh)
          continue; /* leftovers inside a table add nothing */
        nlong += r->to - r->from >= LONG_RULE;
        if (k < nh) hm[nhm++] = k;
        else vm[nvm++] = k - nh;
      }
    if (nhm < 2 || nlong < 2)
      continue;
    grid g;
    int made;
    if (build_ruled(pt, ru, hm, nhm, vm, nvm, mem, used, &g, &made))
      goto out;
    if (made && grid_push(v, n, cap, &g)) {
      grids_free(&g, 1);
      goto out;
    }
  }
  rc = 0;
out:
  free(p);
  free(hm);
  free(vm);
  free(done);
  return rc;
}

/* ---- tables without rules --------------------------------------------- */

/* A cell of a table without rules: fragments stacked in one column (or
** one span of columns) with no more than a line's leading between them. */
typedef struct block {
  int c0, c1;
  double x0, x1, y0, y1, size;
  double last_x0, last_x1; /* extent of its last line */
  int numeric;      /* its last fragment is an amount or code */
  int first_numeric; /* its first fragment is */
  int header;
  int vspan;  /* stands beside two stacked cells of another column */
  int row;
} block;

#define LEADING_EM 0.45 /* gap between lines of one cell, in ems */

static const lfrag *sort_frags;

static int cmp_frag_y(const void *a, const void *b)
{
  const lfrag *x = &sort_frags[*(const size_t *)a];
  const lfrag *y = &sort_frags[*(const size_t *)b];
  if (x->y0 != y->y0)
    return x->y0 < y->y0 ? -1 : 1;
  return (x->f.x0 > y->f.x0) - (x->f.x0 < y->f.x0);
}

static int cmp_interval(const void *a, const void *b)
{
  const double *x = a, *y = b;
  return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Rows of the body are the horizontal channels no cell crosses, found the
** way columns are: a cell standing beside two stacked cells of another
** column is merged down (printed once for its span) and does not count.
** Header rows are levels: a header cell sits one row below each spanning
** header above it that covers its columns. */
static int build_unruled(const page_text *pt, size_t *idx, size_t n,
                         double x0, double x1, const hrules *hr,
                         grid_kind kind, grid_memory *mem, unsigned char *used,
                         grid *g, int *made)
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
  int *blk = NULL, *row_of = NULL;
  block *bl = NULL;
  double *colmax = NULL;
  int nx = 0, rc = -1;
  builder b;
  memset(&b, 0, sizeof b);
  if (collect_lfrags(pt, idx, n, &lines, &nl, &all, &nall) ||
      infer_columns(all, nall, x0, x1, &xs, &nx))
    goto out;
  /* Only a table that starts without a header can be a continuation:
  ** above its first amount at most the first lines of wrapped labels,
  ** one text a line. */
  int continued = 0;
  {
    size_t fb = (size_t)-1;
    for (size_t i = 0; i < nall; i++)
      if (all[i].body && all[i].line < fb)
        fb = all[i].line;
    /* ... and holds amounts: a run of text only (two titles side by side)
    ** continues nothing. */
    int columnar = fb == (size_t)-1;
    for (size_t i = 0; i + 1 < nall; i++)
      if (all[i].line < fb && all[i + 1].line == all[i].line &&
          all[i + 1].f.x0 - all[i].f.x1 > TABULAR_GAP_EM * all[i].size)
        columnar = 1;
    if (!columnar)
      continued = recall_columns(mem, all, nall, x0, x1, &xs, &nx);
  }
  if (nx < 3 || nall == 0) {
    rc = 0;
    goto out;
  }
  order = malloc(sizeof *order * nall);
  blk = malloc(sizeof *blk * nall);
  row_of = malloc(sizeof *row_of * nall);
  bl = malloc(sizeof *bl * nall);
  iv = malloc(sizeof *iv * 2 * nall);
  if (!order || !blk || !row_of || !bl || !iv)
    goto out;

  double body_top = 1e9;
  size_t first_body_line = (size_t)-1;
  for (size_t i = 0; i < nall; i++)
    if (all[i].body && all[i].line < first_body_line)
      first_body_line = all[i].line;
  for (size_t i = 0; i < nall; i++)
    if (all[i].line == first_body_line && all[i].y0 < body_top)
      body_top = all[i].y0;
  body_top -= 0.5;
  if (continued)
    body_top = -1e9; /* no header: all of it is body */

  for (size_t i = 0; i < nall; i++)
    order[i] = i;
  sort_frags = all;
  qsort(order, nall, sizeof *order, cmp_frag_y);
  /* The right end of the widest text of each column (or span): a line
  ** reaching it was full, so the line below may be its continuation. */
  colmax = calloc((size_t)2 * nx * nx, sizeof *colmax);
  if (!colmax)
    goto out;
  for (size_t i = 0; i < nall; i++) {
    int c0, c1;
    frag_columns(&all[i], xs, nx, &c0, &c1);
    double *m = &colmax[2 * (c0 * nx + c1)];
    if (all[i].f.x1 > m[1])
      m[1] = all[i].f.x1;
    if (m[0] == 0 || all[i].f.x0 < m[0])
      m[0] = all[i].f.x0;
  }
  /* Is there padding between rows? Then the gap between two lines of one
  ** column says whether they are one cell, and a short line may wrap (a
  ** label cut at a bracket); without padding only a full line wraps. */
  double merge_gap = LEADING_EM * pt->body_size;
  int padded = 0;
  {
    double *gaps = malloc(sizeof *gaps * (nall + 1));
    size_t ng = 0;
    if (!gaps)
      goto out;
    for (size_t oi = 0; oi < nall; oi++) {
      const lfrag *f = &all[order[oi]];
      if ((f->y0 + f->y1) / 2 < body_top)
        continue;
      double best = 1e9;
      for (size_t oj = 0; oj < oi; oj++) {
        const lfrag *u = &all[order[oj]];
        if ((u->y0 + u->y1) / 2 < body_top || u->y1 > f->y0 + 0.5 * f->size ||
            u->f.x1 < f->f.x0 || u->f.x0 > f->f.x1)
          continue;
        if (f->y0 - u->y1 < best)
          best = f->y0 - u->y1;
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
    if (loose >= 3 && tight >= 1 && 5 * loose >= tight + loose) {
      padded = 1;
      merge_gap = (tight_max + loose_min) / 2;
      if (merge_gap > LEADING_EM * pt->body_size)
        merge_gap = LEADING_EM * pt->body_size;
    }
    free(gaps);
  }
  int nb = 0;
  for (size_t oi = 0; oi < nall; oi++) {
    size_t i = order[oi];
    const lfrag *f = &all[i];
    int c0, c1;
    frag_columns(f, xs, nx, &c0, &c1);
    int header = (f->y0 + f->y1) / 2 < body_top;
    int best = -1;
    double best_gap = 1e9;
    for (int k = 0; k < nb; k++) {
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
      if (gap > (header ? LEADING_EM * f->size : merge_gap) ||
          gap < -0.5 * f->size)
        continue;
      /* A rule between them ends the cell. */
      int ruled_off = 0;
      for (int r = 0; r < nbands && !ruled_off; r++)
        ruled_off = bands[r] > q->y1 - 1 && bands[r] < f->y0 + 1 &&
                    coverage(hr->r, hr->m, hr->n, bands[r], xs[c0], xs[c0 + 1]) >=
                        COVER * (xs[c0 + 1] - xs[c0]);
      if (ruled_off)
        continue;
      /* Amounts never wrap; a short line ended its cell. */
      if (q->numeric && f->f.numeric)
        continue;
      if (same && !(padded && !header)) {
        const double *m = &colmax[2 * (q->c0 * nx + q->c1)];
        if (q->last_x1 - q->last_x0 < m[1] - m[0] - 1.5 * q->size)
          continue;
      }
      if (gap < best_gap) {
        best_gap = gap;
        best = k;
      }
    }
    if (best < 0) {
      best = nb++;
      block q = {c0, c1, f->f.x0, f->f.x1, f->y0, f->y1, f->size,
                 f->f.x0, f->f.x1, f->f.numeric, f->f.numeric, header, 0, -1};
      bl[best] = q;
    } else {
      block *q = &bl[best];
      if (f->f.x0 < q->x0) q->x0 = f->f.x0;
      if (f->f.x1 > q->x1) q->x1 = f->f.x1;
      if (f->y1 > q->y1) q->y1 = f->y1;
      q->last_x0 = f->f.x0;
      q->last_x1 = f->f.x1;
      q->numeric = f->f.numeric;
    }
    blk[i] = best;
  }

  /* A line of a cell that starts level with the first line of a cell in
  ** another column starts a row: lines of one row share their baseline,
  ** while a wrapped line of a row falls between the rows of the others. */
  int multi = 0, top_aligned = 0;
  for (int k = 0; k < nb; k++) {
    if (bl[k].header || bl[k].first_numeric || bl[k].y1 - bl[k].y0 < 1.5 * bl[k].size)
      continue;
    multi++;
    for (int j = 0; j < nb; j++)
      if (j != k && !bl[j].header && fabs(bl[j].y0 - bl[k].y0) < 1.0 &&
          (bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1)) {
        top_aligned++;
        break;
      }
  }
  if (getenv("BUDGET_DEBUG_COLUMNS"))
    fprintf(stderr, "aligned %d of %d multi-line cells\n", top_aligned, multi);
  top_aligned = 2 * top_aligned > multi;
  for (size_t oi = 0; oi < nall; oi++) {
    size_t i = order[oi];
    int k = blk[i];
    const lfrag *f = &all[i];
    if (bl[k].header || f->y0 < bl[k].y0 + 0.5)
      continue;
    /* Only in top-aligned rows (the cell's first line level with another
    ** cell's start), and only a text cell: in vertically centred rows an
    ** amount stands level with the middle line of a wrapped label. */
    int level = 0, aligned = 0;
    for (int j = 0; j < nb; j++) {
      if (j == k || bl[j].header || !(bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1))
        continue;
      if (fabs(bl[j].y0 - f->y0) < 1.0 && (top_aligned || !bl[j].first_numeric))
        level = 1;
      if (fabs(bl[j].y0 - bl[k].y0) < 1.0)
        aligned = 1;
    }
    if (!level || !aligned)
      continue;
    block q = bl[k];
    q.y0 = f->y0;
    q.first_numeric = f->f.numeric;
    int nk = nb++;
    bl[nk] = q;
    for (size_t oj = oi; oj < nall; oj++)
      if (blk[order[oj]] == k && all[order[oj]].y0 >= f->y0 - 0.5)
        blk[order[oj]] = nk;
    /* Both halves' extents from their fragments. */
    int two[2] = {k, nk};
    for (int t = 0; t < 2; t++) {
      block *b2 = &bl[two[t]];
      b2->x0 = b2->y0 = 1e9;
      b2->x1 = b2->y1 = -1e9;
      for (size_t m2 = 0; m2 < nall; m2++)
        if (blk[m2] == two[t]) {
          if (all[m2].f.x0 < b2->x0) b2->x0 = all[m2].f.x0;
          if (all[m2].f.x1 > b2->x1) b2->x1 = all[m2].f.x1;
          if (all[m2].y0 < b2->y0) b2->y0 = all[m2].y0;
          if (all[m2].y1 > b2->y1) b2->y1 = all[m2].y1;
        }
    }
  }

  /* Body rows. */
  for (int k = 0; k < nb; k++) {
    if (bl[k].header)
      continue;
    for (int j = 0; j < nb && !bl[k].vspan; j++) {
      /* Blocks sharing a column are stacked with it, not beside it. */
      if (bl[j].header || j == k || (bl[j].c0 <= bl[k].c1 && bl[j].c1 >= bl[k].c0))
        continue;
      if (!(bl[j].y1 > bl[k].y0 + 1 && bl[j].y0 < bl[k].y1 - 1))
        continue;
      for (int i2 = j + 1; i2 < nb; i2++) {
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
  /* Rows: the bands of the cells that are not merged down, joined where
  ** they overlap, never across a rule. */
  size_t niv = 0;
  for (int k = 0; k < nb; k++)
    if (!bl[k].header && !bl[k].vspan) {
      iv[2 * niv] = bl[k].y0;
      iv[2 * niv + 1] = bl[k].y1;
      niv++;
    }
  qsort(iv, niv, 2 * sizeof *iv, cmp_interval);
  /* Without rules, two cells touching by a point (a centred merged cell
  ** grazing the rows around it) are not one row. */
  double row_overlap = nbands > 0 ? 0.5 : 0.25 * pt->body_size;
  size_t nrows = 0;
  for (size_t i = 0; i < niv; i++) {
    if (nrows && iv[2 * i] < iv[2 * (nrows - 1) + 1] - row_overlap) {
      int ruled = 0;
      for (int r = 0; r < nbands && !ruled; r++)
        ruled = bands[r] > iv[2 * (nrows - 1)] + 0.5 &&
                bands[r] < iv[2 * i] + 0.5;
      if (!ruled) {
        if (iv[2 * i + 1] > iv[2 * (nrows - 1) + 1])
          iv[2 * (nrows - 1) + 1] = iv[2 * i + 1];
        continue;
      }
    }
    iv[2 * nrows] = iv[2 * i];
    iv[2 * nrows + 1] = iv[2 * i + 1];
    nrows++;
  }
  /* Header rows are tiers: header cells starting at the same height. A
  ** parent header is centred over its children: it spans the widest run
  ** of columns centred on it that holds no other cell of its tier and
  ** has cells below it in every column. */
  int nlev = 0;
  {
    double *tops = malloc(sizeof *tops * (nb + 1));
    if (!tops)
      goto out;
    int nt = 0;
    for (int k = 0; k < nb; k++)
      if (bl[k].header)
        tops[nt++] = bl[k].y0;
    qsort(tops, nt, sizeof *tops, cmp_dbl);
    int ntier = 0;
    for (int i = 0; i < nt; i++)
      if (ntier == 0 || tops[i] - tops[ntier - 1] > 0.5 * pt->body_size)
        tops[ntier++] = tops[i];
    for (int k = 0; k < nb; k++) {
      if (!bl[k].header)
        continue;
      int t = 0;
      while (t + 1 < ntier && bl[k].y0 >= tops[t + 1] - 0.5 * pt->body_size)
        t++;
      bl[k].row = t;
    }
    nlev = ntier;
    /* With rules, the header's rows are the bands between its rules: a
    ** cell centred in a tall band is still of that band's row. */
    if (nbands > 0) {
      int used_band[513] = {0}, rowof[513];
      for (int k = 0; k < nb; k++)
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
      for (int k = 0; k < nb; k++)
        if (bl[k].header)
          bl[k].row = rowof[bl[k].row];
      nlev = nr;
    }
    free(tops);
    /* Top-down, so a parent's span is known before its children's. */
    int *byy = malloc(sizeof *byy * (nb + 1));
    unsigned char *done = calloc(nb + 1, 1);
    if (!byy || !done) {
      free(byy);
      free(done);
      goto out;
    }
    int nh = 0;
    for (int k = 0; k < nb; k++)
      if (bl[k].header)
        byy[nh++] = k;
    for (int i = 1; i < nh; i++)
      for (int j = i; j > 0 && bl[byy[j]].y0 < bl[byy[j - 1]].y0; j--) {
        int t = byy[j];
        byy[j] = byy[j - 1];
        byy[j - 1] = t;
      }
    for (int hi = 0; hi < nh; hi++) {
      int k = byy[hi];
      block *p = &bl[k];
      double q = 0.25 * p->size, cx = (p->x0 + p->x1) / 2;
      int lim0 = 0, lim1 = nx - 2, parent = -1;
      for (int j = 0; j < nb; j++)
        if (done[j] && bl[j].y1 <= p->y0 + q && bl[j].c0 <= p->c0 &&
            p->c1 <= bl[j].c1 && (parent < 0 || bl[j].y1 > bl[parent].y1))
          parent = j;
      if (parent >= 0) {
        lim0 = bl[parent].c0;
        lim1 = bl[parent].c1;
      }
      /* A column can be under p when a header cell starts below p there
      ** and none stands beside it (overlapping it vertically). */
      int under[512];
      int ncols = nx - 1 < 512 ? nx - 1 : 512;
      for (int c = 0; c < ncols; c++) {
        int below = 0, beside = 0;
        for (int j = 0; j < nb; j++) {
          if (j == k || !bl[j].header || bl[j].c0 > c || bl[j].c1 < c)
            continue;
          if (bl[j].y0 < p->y1 - q && bl[j].y1 > p->y0 + q)
            beside = 1;
          else if (bl[j].y0 >= p->y1 - q)
            below = 1;
        }
        under[c] = below && !beside;
        /* A column nearer the centre of a header beside p belongs to
        ** that one: siblings split the columns between them. */
        double xc = (xs[c] + xs[c + 1]) / 2;
        for (int j = 0; j < nb && under[c]; j++)
          if (j != k && bl[j].header && bl[j].y0 < p->y1 - q &&
              bl[j].y1 > p->y0 + q &&
              fabs(xc - (bl[j].x0 + bl[j].x1) / 2) < fabs(xc - cx))
            under[c] = 0;
      }
      int r0 = p->c0, r1 = p->c1, ok = 1;
      for (int c = p->c0; c <= p->c1 && c < ncols; c++)
        ok &= under[c];
      if (ok) {
        while (r0 - 1 >= lim0 && under[r0 - 1])
          r0--;
        while (r1 + 1 <= lim1 && r1 + 1 < ncols && under[r1 + 1])
          r1++;
        /* The widest run inside that is centred on p. */
        int best_a = p->c0, best_b = p->c1;
        for (int a0 = r0; a0 <= p->c0; a0++)
          for (int b0 = r1; b0 >= p->c1; b0--) {
            if (b0 - a0 <= best_b - best_a)
              continue;
            if (fabs((xs[a0] + xs[b0 + 1]) / 2 - cx) <= 0.75 * p->size) {
              best_a = a0;
              best_b = b0;
            }
          }
        p->c0 = best_a;
        p->c1 = best_b;
      }
      done[k] = 1;
    }
    free(byy);
    free(done);
  }
  for (int k = 0; k < nb; k++) {
    if (bl[k].header)
      continue;
    bl[k].row = -1;
    for (size_t r = 0; r < nrows; r++)
      if (iv[2 * r + 1] > bl[k].y0 + 0.5 && iv[2 * r] < bl[k].y1 - 0.5) {
        bl[k].row = nlev + (int)r;
        break;
      }
    /* With rules, a merged-down cell is told by the rules its column
    ** lacks: it belongs to the first row of the rule-free run. */
    if (nbands > 0 && bl[k].vspan && bl[k].row >= nlev) {
      double cy = (bl[k].y0 + bl[k].y1) / 2;
      int r = bl[k].row - nlev;
      while (r + 1 < (int)nrows && iv[2 * (r + 1)] < cy)
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
      bl[k].row = nlev + r;
    }
    if (bl[k].row < 0) { /* a merged-down cell alone in its band */
      for (size_t r = 0; r < nrows && bl[k].row < 0; r++)
        if (iv[2 * r] >= bl[k].y0 - 0.5)
          bl[k].row = nlev + (int)r;
      if (bl[k].row < 0)
        bl[k].row = nlev + (int)nrows - 1;
    }
  }
  /* In vertically centred tables a cell merged down over several rows is
  ** printed once, centred on its span: it stands off the middle of the
  ** rows it touches. Its span is the run of rows, empty in its column,
  ** whose middle it is; the clean CSV puts it in the first of them. */
  if (nbands == 0 && !top_aligned)
    for (int k = 0; k < nb; k++) {
      if (bl[k].header || bl[k].row < nlev)
        continue;
      int r1 = bl[k].row - nlev, r2 = r1;
      while (r2 + 1 < (int)nrows && iv[2 * (r2 + 1)] < bl[k].y1 - 0.5)
        r2++;
      int pa = -1, pb = (int)nrows;
      for (int j = 0; j < nb; j++) {
        if (j == k || bl[j].header || bl[j].row < nlev ||
            bl[j].c1 < bl[k].c0 || bl[j].c0 > bl[k].c1)
          continue;
        int rj = bl[j].row - nlev;
        if (rj < r1 && rj > pa) pa = rj;
        if (rj > r2 && rj < pb) pb = rj;
      }
      double bc = (bl[k].y0 + bl[k].y1) / 2, tol = 0.3 * bl[k].size;
      double own = (iv[2 * r1] + iv[2 * r2 + 1]) / 2;
      /* A cell straddling two rows can only be merged: its span is the
      ** widest run centred on it. One sitting off its row's middle takes
      ** the narrowest (a longer run would swallow its neighbours). */
      int straddles = r2 > r1;
      if (!straddles && fabs(own - bc) <= tol)
        continue;
      int best_a = -1, best_w = straddles ? -1 : 1 << 30;
      for (int a0 = pa + 1; a0 <= r1; a0++)
        for (int b0 = r2; b0 < pb; b0++) {
          double mid = (iv[2 * a0] + iv[2 * b0 + 1]) / 2;
          if (fabs(mid - bc) > tol)
            continue;
          if (straddles ? b0 - a0 > best_w : b0 - a0 < best_w) {
            best_w = b0 - a0;
            best_a = a0;
          }
        }
      if (best_a >= 0 && best_a < r1)
        bl[k].row = nlev + best_a;
    }
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
    for (int k = 0; k < nb; k++)
      fprintf(stderr, "block %d cols %d-%d row %d y %.1f-%.1f x %.1f-%.1f hdr %d\n",
              k, bl[k].c0, bl[k].c1, bl[k].row, bl[k].y0, bl[k].y1, bl[k].x0,
              bl[k].x1, bl[k].header);
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
    for (int c = q->c0; c < q->c1; c++)
      uf_union(b.uf, slot(&b, q->row, c), slot(&b, q->row, c + 1));
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
  free(row_of);
  free(bl);
  free(colmax);
  free(lines);
  free(all);
  return rc;
}

static double line_size(const page_text *pt, const pt_line *l)
{
  double m = 0;
  for (size_t k = 0; k < l->n; k++)
    if (pt->chars[l->idx[k]].size > m)
      m = pt->chars[l->idx[k]].size;
  return m;
}

/* A run of lines is a table when most of them stand in columns: two or
** more fragments separated by a wide gap. Single-fragment lines between
** them (wrapped labels) belong to the run; prose breaks it. */
static int find_unruled(const page_text *pt, grid_memory *mem,
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
    tab[i] = nf >= 3 || nnum >= 2 ||
             line_frags(pt->chars, &lines[i], TABULAR_GAP_EM, fr) >= 2;
  }
  size_t i = 0, done_upto = 0;
  while (i < nl) {
    if (!tab[i]) {
      i++;
      continue;
    }
    size_t j = i + 1, last_tab = i;
    int ntab = 1;
    double rx0 = lines[i].x0, rx1 = lines[i].x1;
    /* A parent header above the first columnar line: one centred text
    ** close above it, inside its extent. */
    while (i > done_upto && !tab[i - 1] &&
           lines[i].y0 - lines[i - 1].y1 < 0.6 * pt->body_size &&
           lines[i - 1].x0 >= rx0 - pt->body_size &&
           lines[i - 1].x1 <= rx1 + pt->body_size &&
           lines[i - 1].x1 - lines[i - 1].x0 < 0.8 * (rx1 - rx0) &&
           line_size(pt, &lines[i - 1]) <= 1.3 * pt->body_size)
      i--;
    while (j < nl) {
      double gap = lines[j].y0 - lines[j - 1].y1;
      if (gap > 4.0 * pt->body_size || line_size(pt, &lines[j]) > 1.3 * pt->body_size)
        break;
      if (tab[j]) {
        last_tab = j;
        ntab++;
        if (lines[j].x0 < rx0) rx0 = lines[j].x0;
        if (lines[j].x1 > rx1) rx1 = lines[j].x1;
      } else if (lines[j].x1 - lines[j].x0 > 0.8 * (rx1 - rx0) &&
                 rx1 - rx0 > 10 * pt->body_size) {
        break; /* a sentence across the table: a note, or prose */
      } else if (lines[j].x0 < rx0 - pt->body_size ||
                 lines[j].x1 > rx1 + pt->body_size) {
        /* A line standing out of the table's columns is not its row. */
        if (j - last_tab > 3)
          break;
      }
      j++;
    }
    /* Lines within the columns after the last columnar one are rows whose
    ** other cells are empty (a continued list, a wrapped label, a note). */
    size_t end = j;
    while (end > last_tab + 1 && (lines[end - 1].x0 < rx0 - pt->body_size ||
                                  lines[end - 1].x1 > rx1 + pt->body_size))
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

int grids_find(const page_text *pt, const rulings *ru, grid_memory *mem,
               unsigned char *used, grid **out, size_t *nout)
{
  grid *v = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  *nout = 0;
  if (find_ruled(pt, ru, mem, used, &v, &n, &cap) ||
      find_unruled(pt, mem, used, &v, &n, &cap)) {
    grids_free(v, n);
    return -1;
  }
  *out = v;
  *nout = n;
  return 0;
}

void grids_free(grid *g, size_t n)
{
  for (size_t i = 0; g && i < n; i++) {
    if (g[i].text)
      for (size_t k = 0; k < (size_t)g[i].nrows * g[i].ncols; k++)
        free(g[i].text[k]);
    free(g[i].text);
    free(g[i].row_y0);
    free(g[i].row_y1);
    free(g[i].spans);
  }
}
