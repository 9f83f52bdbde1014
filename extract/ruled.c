#include "grid_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

/*
** ruled.c: tables found from their ruling lines (see grid_internal.h).
** A fully ruled table is a lattice: its borders are the lines, a missing
** border merges two slots. A table with horizontal rules only is handed to
** build_unruled() with its rules.
*/

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
  if (nvm < 2) {
    /* Horizontal rules only: the text lays out the columns and the
    ** header, the rules bound the rows. */
    hrules hr = {ru->h, hm, nhm};
    int rc = 0;
    if (n > 0)
      rc = build_unruled(pt, idx, n, bx0, bx1, &hr, GRID_HRULE, mem, used, g,
                         made);
    free(ys);
    free(idx);
    return rc;
  }
  double *xs = malloc(sizeof *xs * (nvm + 2));
  if (!xs) {
    free(ys);
    free(idx);
    return -1;
  }
  int nx = 0;
  for (int k = 0; k < nvm; k++)
    xs[nx++] = ru->v[vm[k]].pos;
  xs[nx++] = bx0;
  xs[nx++] = bx1;
  nx = snap_positions(xs, nx);
  /* A lattice of more slots than any table has (graph paper, hostile
  ** input) is not read as one. */
  if (nx < 2 || ny < 2 || n == 0 ||
      (size_t)(nx - 1) * (size_t)(ny - 1) > RULED_MAX_SLOTS) {
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
      if (c + 1 < nc) {
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
  /* Cells are bounded by lines: each character goes where its centre is. */
  int rc = builder_rectify(&b);
  for (size_t i = 0; i < n && rc == 0; i++) {
    const pt_char *c = &pt->chars[idx[i]];
    rc = place(&b, find_index(ys, ny, pt_cy(c)), find_index(xs, nx, pt_cx(c)),
               idx[i]);
  }
  if (rc == 0)
    rc = builder_finish(&b, GRID_RULED, g);
  if (rc == 0) {
    remember_columns(mem, xs, nx);
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

/* 1 when text set in a title's size stands between two heights: rules
** above and below a title belong to different things. */
static int title_between(const page_text *pt, double y0, double y1)
{
  for (size_t i = 0; i < pt->nchars; i++) {
    double cy = pt_cy(&pt->chars[i]);
    if (cy > y0 && cy < y1 && pt->chars[i].size > 1.3 * pt->body_size)
      return 1;
  }
  return 0;
}

/* Groups the rulings into tables: a vertical and a horizontal that meet
** are one table; so are horizontals stacked close over the same span. */
int find_ruled(const page_text *pt, const rulings *ru,
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
      if (hi - lo >= 0.5 * (la < lc ? la : lc) &&
          !title_between(pt, a->pos, c->pos))
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

