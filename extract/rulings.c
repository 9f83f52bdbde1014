#include "rulings.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A pixel darker than this (0 black .. 255 white) may be part of a ruling;
** typical cell shading (#D9D9D9 and lighter) stays above it. */
#define DARK_LEVEL 175

typedef struct seg {
  int a0, a1;   /* along the line, pixels, inclusive */
  int p0, p1;   /* across the line: first and last pixel row/column */
  int open;
} seg;

typedef struct segs {
  seg *s;
  size_t n, cap;
} segs;

static int segs_push(segs *v, seg s)
{
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    seg *p = realloc(v->s, cap * sizeof *p);
    if (!p)
      return -1;
    v->s = p;
    v->cap = cap;
  }
  v->s[v->n++] = s;
  return 0;
}

/* Scans lines of the bitmap (rows for horizontals, columns for verticals)
** for dark runs of at least minlen pixels and stacks runs of neighbouring
** lines that overlap into one segment. */
static int scan(const unsigned char *g, int w, int h, int horizontal,
                int minlen, segs *out)
{
  int nlines = horizontal ? h : w, len = horizontal ? w : h;
  size_t first_open = 0;
  for (int p = 0; p < nlines; p++) {
    size_t prev_end = out->n;
    int a = 0;
    while (a < len) {
      const unsigned char *px =
          horizontal ? &g[(size_t)p * w + a] : &g[(size_t)a * w + p];
      if (*px >= DARK_LEVEL) {
        a++;
        continue;
      }
      int b = a;
      while (b < len) {
        unsigned char v = horizontal ? g[(size_t)p * w + b]
                                     : g[(size_t)b * w + p];
        if (v >= DARK_LEVEL)
          break;
        b++;
      }
      if (b - a >= minlen) {
        int joined = 0;
        for (size_t k = first_open; k < prev_end; k++) {
          seg *s = &out->s[k];
          if (!s->open || s->p1 != p - 1)
            continue;
          int lo = a > s->a0 ? a : s->a0, hi = b - 1 < s->a1 ? b - 1 : s->a1;
          if (hi - lo >= minlen / 2) {
            if (a < s->a0) s->a0 = a;
            if (b - 1 > s->a1) s->a1 = b - 1;
            s->p1 = p;
            joined = 1;
            break;
          }
        }
        if (!joined) {
          seg s = {a, b - 1, p, p, 1};
          if (segs_push(out, s) != 0)
            return -1;
        }
      }
      a = b;
    }
    /* Segments not continued on this line are finished. */
    for (size_t k = first_open; k < prev_end; k++)
      if (out->s[k].open && out->s[k].p1 != p)
        out->s[k].open = 0;
    while (first_open < out->n && !out->s[first_open].open)
      first_open++;
  }
  return 0;
}

static int cmp_ruling(const void *a, const void *b)
{
  const ruling *x = a, *y = b;
  if (fabs(x->pos - y->pos) > 0.01)
    return x->pos < y->pos ? -1 : 1;
  return (x->from > y->from) - (x->from < y->from);
}

/* Converts pixel segments to thin rulings in points, sorted and merged. */
static int to_rulings(const segs *v, ruling **out, size_t *nout)
{
  const double s = RULINGS_SCALE;
  ruling *r = malloc(sizeof *r * (v->n ? v->n : 1));
  if (!r)
    return -1;
  size_t n = 0;
  for (size_t i = 0; i < v->n; i++) {
    const seg *g = &v->s[i];
    double thick = (g->p1 - g->p0 + 1) / s;
    if (thick > RULINGS_MAX_THICK)
      continue;
    r[n].pos = (g->p0 + g->p1 + 1) / 2.0 / s;
    r[n].from = g->a0 / s;
    r[n].to = (g->a1 + 1) / s;
    n++;
  }
  qsort(r, n, sizeof *r, cmp_ruling);
  /* Collinear pieces that touch are one ruling (a line broken by a
  ** crossing, or split by a masked character that grazed it). */
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    int merged = 0;
    for (size_t k = m; k-- > 0;) {
      if (r[i].pos - r[k].pos > 1.0)
        break;
      if (r[i].from <= r[k].to + 1.0 && r[i].to >= r[k].from - 1.0) {
        if (r[i].from < r[k].from) r[k].from = r[i].from;
        if (r[i].to > r[k].to) r[k].to = r[i].to;
        merged = 1;
        break;
      }
    }
    if (!merged)
      r[m++] = r[i];
  }
  *out = r;
  *nout = m;
  return 0;
}

int rulings_find(PopplerPage *page, const page_text *pt, rulings *out)
{
  memset(out, 0, sizeof *out);
  const double s = RULINGS_SCALE;
  int w = (int)ceil(pt->width * s), h = (int)ceil(pt->height * s);
  if (w <= 0 || h <= 0 || (double)w * h > 64e6)
    return -1;
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    return -1;
  }
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, s, s);
  poppler_page_render(page, cr);
  /* Glyph strokes would look like short rulings: paint them out, boxes
  ** shrunk a little so a border grazed by a box survives. */
  cairo_set_source_rgb(cr, 1, 1, 1);
  for (size_t i = 0; i < pt->nchars; i++) {
    const pt_char *c = &pt->chars[i];
    double dy = (c->y1 - c->y0) * 0.03, dx = (c->x1 - c->x0) * 0.03;
    cairo_rectangle(cr, c->x0 + dx, c->y0 + dy, c->x1 - c->x0 - 2 * dx,
                    c->y1 - c->y0 - 2 * dy);
  }
  cairo_fill(cr);
  cairo_destroy(cr);
  cairo_surface_flush(surf);

  int stride = cairo_image_surface_get_stride(surf);
  const unsigned char *data = cairo_image_surface_get_data(surf);
  unsigned char *g = malloc((size_t)w * h);
  int rc = -1;
  segs hs = {0}, vs = {0};
  if (!g)
    goto out;
  for (int y = 0; y < h; y++) {
    const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
    for (int x = 0; x < w; x++) {
      uint32_t p = row[x];
      unsigned r = (p >> 16) & 255, gg = (p >> 8) & 255, b = p & 255;
      g[(size_t)y * w + x] = (unsigned char)((r * 3 + gg * 6 + b) / 10);
    }
  }
  int minlen = (int)(RULINGS_MIN_LEN * s);
  if (scan(g, w, h, 1, minlen, &hs) != 0 || scan(g, w, h, 0, minlen, &vs) != 0)
    goto out;
  if (to_rulings(&hs, &out->h, &out->nh) != 0 ||
      to_rulings(&vs, &out->v, &out->nv) != 0) {
    rulings_free(out);
    goto out;
  }
  rc = 0;
out:
  free(hs.s);
  free(vs.s);
  free(g);
  cairo_surface_destroy(surf);
  return rc;
}

void rulings_free(rulings *r)
{
  free(r->h);
  free(r->v);
  memset(r, 0, sizeof *r);
}
