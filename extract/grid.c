#include "grid.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

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
      split = c->x0 - p->x1 > gap_em * em;
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

/* Column boundaries inside [x0,x1] from the empty vertical channels that
** the text of idx[0..n) leaves. Lines with an amount in them are trusted
** fully; a text-only line (a header, a wrapped label) may cross a channel
** once, since a parent header is centred over the children it spans. */
static int infer_columns(const page_text *pt, const size_t *idx, size_t n,
                         double x0, double x1, double **xs_out, int *nx_out)
{
  const double step = 0.5;
  int cells = (int)((x1 - x0) / step) + 2;
  int *hard = calloc(cells, sizeof *hard), *soft = calloc(cells, sizeof *soft);
  size_t *copy = malloc(sizeof *copy * (n ? n : 1));
  frag *fr = malloc(sizeof *fr * (n ? n : 1));
  double *xs = malloc(sizeof *xs * (cells + 2));
  pt_line *lines = NULL;
  size_t nl = 0;
  int rc = -1, nx = 0;
  if (!hard || !soft || !copy || !fr || !xs)
    goto out;
  memcpy(copy, idx, sizeof *copy * n);
  if (pt_lines(pt->chars, copy, n, &lines, &nl))
    goto out;
  int nhard = 0, nsoft = 0;
  for (size_t i = 0; i < nl; i++) {
    size_t nf = line_frags(pt->chars, &lines[i], FRAG_GAP_EM, fr);
    int body = 0;
    for (size_t f = 0; f < nf; f++)
      body |= fr[f].numeric;
    body ? nhard++ : nsoft++;
    for (size_t f = 0; f < nf; f++) {
      int a = (int)((fr[f].x0 - x0 + 0.2) / step);
      int b = (int)((fr[f].x1 - x0 - 0.2) / step);
      if (a < 0) a = 0;
      if (b >= cells) b = cells - 1;
      for (int k = a; k <= b; k++)
        (body ? hard : soft)[k]++;
    }
  }
  int hard_tol = nhard / 20, soft_tol = nsoft / 4 > 1 ? nsoft / 4 : 1;
  xs[nx++] = x0;
  int k = 0;
  /* Skip the margin before the first text. */
  while (k < cells && hard[k] == 0 && soft[k] == 0)
    k++;
  while (k < cells) {
    if (hard[k] <= hard_tol && soft[k] <= soft_tol &&
        (hard[k] < hard_tol + 1 || soft[k] == 0)) {
      int a = k;
      while (k < cells && hard[k] <= hard_tol && soft[k] <= soft_tol)
        k++;
      /* A channel at the right margin is no boundary. */
      int rest = 0;
      for (int j = k; j < cells; j++)
        rest |= hard[j] | soft[j];
      if (rest && (k - a) * step >= 1.0)
        xs[nx++] = x0 + (a + k) / 2.0 * step;
    } else {
      k++;
    }
  }
  xs[nx++] = x1;
  rc = 0;
out:
  free(hard);
  free(soft);
  free(copy);
  free(fr);
  free(lines);
  if (rc == 0) {
    *xs_out = xs;
    *nx_out = nx;
  } else {
    free(xs);
  }
  return rc;
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
** first character, so a header spanning a column channel stays one text. */
static int place_by_fragments(builder *b, size_t *idx, size_t n)
{
  const pt_char *ch = b->pt->chars;
  pt_line *lines;
  size_t nl;
  frag *fr = malloc(sizeof *fr * (n ? n : 1));
  if (!fr || pt_lines(ch, idx, n, &lines, &nl)) {
    free(fr);
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; i < nl && rc == 0; i++) {
    size_t nf = line_frags(ch, &lines[i], FRAG_GAP_EM, fr);
    double cy = (lines[i].y0 + lines[i].y1) / 2;
    int r = find_index(b->ys, b->ny, cy);
    for (size_t f = 0; f < nf && rc == 0; f++) {
      int c = find_index(b->xs, b->nx, ch[lines[i].idx[fr[f].k0]].x0 + 0.5);
      for (size_t k = fr[f].k0; k < fr[f].k1 && rc == 0; k++)
        rc = place(b, r, c, lines[i].idx[k]);
    }
  }
  free(lines);
  free(fr);
  return rc;
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

static int build_ruled(const page_text *pt, const rulings *ru, const int *hm,
                       int nhm, const int *vm, int nvm, unsigned char *used,
                       grid *g, int *made)
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
  } else if (infer_columns(pt, idx, n, bx0, bx1, &xs, &nx)) {
    free(ys);
    free(idx);
    return -1;
  }
  if (nx < 2 || ny < 2 || n == 0) {
    free(xs);
    free(ys);
    free(idx);
    return 0;
  }
  builder b;
  if (builder_init(&b, pt, xs, nx, ys, ny)) {
    builder_free(&b);
    free(idx);
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
  if (!ruled) {
    /* Without verticals, a partial rule under a row spans the slots of a
    ** parent header: the slots above it are one cell. */
    for (int r = 0; r + 1 < ny; r++)
      for (int k = 0; k < nhm; k++) {
        const ruling *h = &ru->h[hm[k]];
        if (fabs(h->pos - ys[r + 1]) > SNAP || h->to - h->from > 0.95 * (bx1 - bx0))
          continue;
        int ca = -1, cb = -1;
        for (int c = 0; c < nc; c++)
          if (xs[c] >= h->from - TOUCH && xs[c + 1] <= h->to + TOUCH) {
            if (ca < 0) ca = c;
            cb = c;
          }
        for (int c = ca; ca >= 0 && c < cb; c++)
          uf_union(b.uf, slot(&b, r, c), slot(&b, r, c + 1));
      }
  }
  int rc = 0;
  if (ruled) {
    for (size_t i = 0; i < n && rc == 0; i++) {
      const pt_char *c = &pt->chars[idx[i]];
      rc = place(&b, find_index(ys, ny, pt_cy(c)), find_index(xs, nx, pt_cx(c)),
                 idx[i]);
    }
  } else {
    rc = place_by_fragments(&b, idx, n);
  }
  if (rc == 0)
    rc = builder_finish(&b, ruled ? GRID_RULED : GRID_HRULE, g);
  if (rc == 0) {
    for (size_t i = 0; i < n; i++)
      used[idx[i]] = 1;
    *made = g->nrows > 0;
    if (!*made)
      grids_free(g, 1);
  }
  builder_free(&b);
  free(idx);
  return rc;
}

/* Groups the rulings into tables: a vertical and a horizontal that meet
** are one table; so are horizontals stacked close over the same span. */
static int find_ruled(const page_text *pt, const rulings *ru,
                      unsigned char *used, grid **v, size_t *n, size_t *cap)
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
  for (int i = 0; i < nh; i++)
    for (int k = i + 1; k < nh; k++) {
      const ruling *a = &ru->h[i], *c = &ru->h[k];
      if (a->to - a->from < LONG_RULE || c->to - c->from < LONG_RULE)
        continue;
      if (c->pos - a->pos > HRULE_MAX_GAP)
        break;
      double lo = a->from > c->from ? a->from : c->from;
      double hi = a->to < c->to ? a->to : c->to;
      double la = a->to - a->from, lc = c->to - c->from;
      if (hi - lo >= 0.5 * (la < lc ? la : lc))
        uf_union(p, i, k);
    }
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
    if (build_ruled(pt, ru, hm, nhm, vm, nvm, used, &g, &made))
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

static int build_unruled(const page_text *pt, pt_line *lines, size_t l0,
                         size_t l1, unsigned char *used, grid *g, int *made)
{
  *made = 0;
  size_t n = 0;
  for (size_t i = l0; i < l1; i++)
    n += lines[i].n;
  size_t *idx = malloc(sizeof *idx * (n ? n : 1));
  if (!idx)
    return -1;
  double x0 = 1e9, x1 = -1e9;
  n = 0;
  for (size_t i = l0; i < l1; i++) {
    for (size_t k = 0; k < lines[i].n; k++)
      idx[n++] = lines[i].idx[k];
    if (lines[i].x0 < x0) x0 = lines[i].x0;
    if (lines[i].x1 > x1) x1 = lines[i].x1;
  }
  x0 -= 1;
  x1 += 1;
  double *xs;
  int nx;
  if (infer_columns(pt, idx, n, x0, x1, &xs, &nx)) {
    free(idx);
    return -1;
  }
  /* One row a line: the boundaries lie halfway between line bands. */
  int ny = (int)(l1 - l0) + 1;
  double *ys = malloc(sizeof *ys * ny);
  if (!ys || nx < 3) {
    free(ys);
    free(xs);
    free(idx);
    return ys ? 0 : -1;
  }
  ys[0] = lines[l0].y0 - 1;
  for (size_t i = l0 + 1; i < l1; i++)
    ys[i - l0] = (lines[i - 1].y1 + lines[i].y0) / 2;
  ys[ny - 1] = lines[l1 - 1].y1 + 1;
  for (int i = 1; i < ny; i++)
    if (ys[i] <= ys[i - 1])
      ys[i] = ys[i - 1] + 0.01;
  builder b;
  if (builder_init(&b, pt, xs, nx, ys, ny)) {
    builder_free(&b);
    free(idx);
    return -1;
  }
  int rc = 0;
  for (size_t i = l0; i < l1 && rc == 0; i++) {
    pt_line one = lines[i];
    frag *fr = malloc(sizeof *fr * (one.n ? one.n : 1));
    if (!fr) {
      rc = -1;
      break;
    }
    size_t nf = line_frags(pt->chars, &one, FRAG_GAP_EM, fr);
    for (size_t f = 0; f < nf && rc == 0; f++) {
      int c = find_index(xs, nx, pt->chars[one.idx[fr[f].k0]].x0 + 0.5);
      for (size_t k = fr[f].k0; k < fr[f].k1 && rc == 0; k++)
        rc = place(&b, (int)(i - l0), c, one.idx[k]);
    }
    free(fr);
  }
  if (rc == 0)
    rc = builder_finish(&b, GRID_UNRULED, g);
  if (rc == 0) {
    for (size_t i = 0; i < n; i++)
      used[idx[i]] = 1;
    *made = g->nrows > 0;
    if (!*made)
      grids_free(g, 1);
  }
  builder_free(&b);
  free(idx);
  return rc;
}

/* A run of lines is a table when most of them stand in columns: two or
** more fragments separated by a wide gap. Single-fragment lines between
** them (wrapped labels) belong to the run; prose breaks it. */
static int find_unruled(const page_text *pt, unsigned char *used, grid **v,
                        size_t *n, size_t *cap)
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
  int rc = -1;
  if (!fr || !tab || pt_lines(pt->chars, idx, m, &lines, &nl))
    goto out;
  for (size_t i = 0; i < nl; i++)
    tab[i] = line_frags(pt->chars, &lines[i], TABULAR_GAP_EM, fr) >= 2;
  size_t i = 0;
  while (i < nl) {
    if (!tab[i]) {
      i++;
      continue;
    }
    size_t j = i + 1, last_tab = i;
    int ntab = 1;
    while (j < nl) {
      double gap = lines[j].y0 - lines[j - 1].y1;
      if (gap > 2.5 * pt->body_size)
        break;
      if (tab[j]) {
        last_tab = j;
        ntab++;
      } else if (j - last_tab > 3) {
        break;
      }
      j++;
    }
    /* Trailing single-fragment lines within the row height still belong
    ** to the last row (a wrapped label); further ones are notes. */
    size_t end = last_tab + 1;
    while (end < j && end < last_tab + 4 &&
           lines[end].y0 - lines[end - 1].y1 < 0.8 * pt->body_size &&
           lines[end].x1 < lines[last_tab].x1)
      end++;
    if (ntab >= 2) {
      grid g;
      int made;
      if (build_unruled(pt, lines, i, end, used, &g, &made))
        goto out;
      if (made && grid_push(v, n, cap, &g)) {
        grids_free(&g, 1);
        goto out;
      }
    }
    i = end > i ? end : i + 1;
  }
  rc = 0;
out:
  free(lines);
  free(fr);
  free(tab);
  free(idx);
  return rc;
}

int grids_find(const page_text *pt, const rulings *ru, unsigned char *used,
               grid **out, size_t *nout)
{
  grid *v = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  *nout = 0;
  if (find_ruled(pt, ru, used, &v, &n, &cap) ||
      find_unruled(pt, used, &v, &n, &cap)) {
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
