/*
** grid_build.c: geometry helpers, fragments of a line and the grid
** builder (see grid_internal.h).
*/
#include "grid_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vec.h"

#define CJK_GAP_EM 0.1 /* see line_frags() */
#include "utf8.h"


int uf_find(int *p, int i)
{
  while (p[i] != i) {
    p[i] = p[p[i]];
    i = p[i];
  }
  return i;
}

void uf_union(int *p, int a, int b)
{
  a = uf_find(p, a);
  b = uf_find(p, b);
  if (a != b) {
    if (a < b) p[b] = a;
    else p[a] = b;
  }
}

int cmp_dbl(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts v and merges values within SNAP into their mean; returns count. */
int snap_positions(double *v, int n)
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
double coverage(const ruling *r, const int *members, int nm,
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

int is_numeric_cp(uint32_t cp)
{
  return (cp >= '0' && cp <= '9') || cp == '.' || cp == ',' || cp == '-' ||
         cp == '%';
}

/* A fragment: a run of one line's characters without a wide gap. */

size_t line_frags(const pt_char *ch, const pt_line *l, double gap_em,
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
      /* A target value (≥95%, ≤10%) starts with its comparison sign: a
      ** visible gap from the text before it parts two cells. */
      if (!split && gap_em < 1 && gap > 0.1 * em && utf8_is_cjk(p->cp) &&
          (c->cp == 0x2265 || c->cp == 0x2264 || c->cp == 0xFF1E ||
           c->cp == 0xFF1C))
        split = 1;
      /* CJK characters of one text touch; a visible gap between two is
      ** where one cell's text ends and the next one's begins. */
      if (!split && gap_em < 1 && gap > CJK_GAP_EM * em &&
          utf8_is_cjk(c->cp) && utf8_is_cjk(p->cp))
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


int builder_init(builder *b, const page_text *pt, double *xs, int nx,
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

void builder_free(builder *b)
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

int slot(const builder *b, int r, int c) { return r * (b->nx - 1) + c; }

int find_index(const double *v, int n, double x)
{
  /* v has n boundaries; returns the interval holding x, clamped. */
  int i = 0;
  while (i < n - 2 && x >= v[i + 1])
    i++;
  return i;
}

int place(builder *b, int r, int c, size_t ci)
{
  int s = uf_find(b->uf, slot(b, r, c));
  if (vec_reserve(&b->cellidx[s], &b->cellcap[s], b->celln[s] + 1,
                  sizeof *b->cellidx[s], 16))
    return -1;
  b->cellidx[s][b->celln[s]++] = ci;
  return 0;
}

/* Merged slots must form rectangles. Missing borders can join slots into
** a comb or a staircase (a page whose rules are broken, two tables whose
** rules touch); a group filling much less than its bounding rectangle is
** split back into single slots, since no merged cell has that shape. */
int builder_rectify(builder *b)
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
int builder_finish(builder *b, grid_kind kind, grid *g)
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

int grid_push(grid **v, size_t *n, size_t *cap, const grid *g)
{
  if (vec_reserve(v, cap, *n + 1, sizeof **v, 4))
    return -1;
  (*v)[(*n)++] = *g;
  return 0;
}

