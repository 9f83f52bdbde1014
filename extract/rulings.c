#include "rulings.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "textless.h"
#include "vec.h"

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
  if (vec_reserve(&v->s, &v->cap, v->n + 1, sizeof *v->s, 64))
    return -1;
  v->s[v->n++] = s;
  return 0;
}

/* A dark run on one pixel line: line = row (horizontals) or column. */
typedef struct run {
  int line, a0, a1;
} run;

typedef struct runs {
  run *r;
  size_t n, cap;
} runs;

static int runs_push(runs *v, int line, int a0, int a1)
{
  if (vec_reserve(&v->r, &v->cap, v->n + 1, sizeof *v->r, 256))
    return -1;
  run x = {line, a0, a1};
  v->r[v->n++] = x;
  return 0;
}

static int cmp_run(const void *a, const void *b)
{
  const run *x = a, *y = b;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return (x->a0 > y->a0) - (x->a0 < y->a0);
}

/* Stacks runs of neighbouring pixel lines that overlap into segments; v
** must be sorted by line, then start. */
static int stack_runs(const runs *v, int minlen, segs *out)
{
  size_t first_open = 0, i = 0;
  while (i < v->n) {
    int line = v->r[i].line;
    size_t prev_end = out->n;
    for (; i < v->n && v->r[i].line == line; i++) {
      int a = v->r[i].a0, b = v->r[i].a1;
      int joined = 0;
      for (size_t k = first_open; k < prev_end; k++) {
        seg *s = &out->s[k];
        if (!s->open || s->p1 != line - 1)
          continue;
        int lo = a > s->a0 ? a : s->a0, hi = b < s->a1 ? b : s->a1;
        if (hi - lo >= minlen / 2) {
          if (a < s->a0) s->a0 = a;
          if (b > s->a1) s->a1 = b;
          s->p1 = line;
          joined = 1;
          break;
        }
      }
      if (!joined) {
        seg s = {a, b, line, line, 1};
        if (segs_push(out, s) != 0)
          return -1;
      }
    }
    for (size_t k = first_open; k < prev_end; k++)
      if (out->s[k].open && out->s[k].p1 != line)
        out->s[k].open = 0;
    while (first_open < out->n && !out->s[first_open].open)
      first_open++;
  }
  return 0;
}

/* A pixel of the RGB24 bitmap dark enough to be ink: luminance weighted
** (r + 2g + b) / 4, so black, and coloured rules too, count. */
static inline int is_dark(uint32_t p)
{
  return ((((p >> 16) & 255) + 2 * ((p >> 8) & 255) + (p & 255)) >> 2) <
         DARK_LEVEL;
}

/* Marks in bits (one per column) the dark pixels of one bitmap row. Most
** pixels are white paper, which costs one comparison each. */
static void dark_bits(const uint32_t *row, int w, uint64_t *bits)
{
  int nw = (w + 63) / 64;
  memset(bits, 0, sizeof *bits * (size_t)nw);
  int x = 0;
  while (x < w) {
    /* Sixteen white pixels at once: their AND is white only if all are. */
    if (x + 16 <= w) {
      /* Four 16-byte loads (rows are only 4-byte aligned: memcpy), ANDed
      ** as vectors where the compiler has them. */
      typedef uint64_t pair __attribute__((vector_size(16)));
      pair q0, q1, q2, q3;
      memcpy(&q0, row + x, sizeof q0);
      memcpy(&q1, row + x + 4, sizeof q1);
      memcpy(&q2, row + x + 8, sizeof q2);
      memcpy(&q3, row + x + 12, sizeof q3);
      pair q = (q0 & q1) & (q2 & q3);
      uint64_t all = q[0] & q[1];
      if ((all & 0x00FFFFFF00FFFFFFu) == 0x00FFFFFF00FFFFFFu) {
        x += 16;
        continue;
      }
    }
    int end = x + 16 < w ? x + 16 : w;
    for (; x < end; x++) {
      uint32_t p = row[x];
      if ((p & 0xFFFFFFu) != 0xFFFFFFu && is_dark(p))
        bits[x >> 6] |= (uint64_t)1 << (x & 63);
    }
  }
}

/* The first column >= x (and < w) whose bit is want (0 or 1), else w. */
static int next_bit(const uint64_t *bits, int w, int x, int want)
{
  while (x < w) {
    uint64_t word = bits[x >> 6];
    if (!want)
      word = ~word;
    word &= ~(uint64_t)0 << (x & 63);
    if (word) {
      int at = (x & ~63) + __builtin_ctzll(word);
      return at < w ? at : w;
    }
    x = (x & ~63) + 64;
  }
  return w;
}

/* One pass over the bitmap, row by row, on bit rows: horizontal runs are
** the runs of set bits of a row, vertical runs open and close where a
** row's bits differ from the columns open above it (rows with no change
** cost a few word operations). */
static int scan(const unsigned char *data, int stride, int w, int h,
                int minlen, segs *hs, segs *vs)
{
  runs hr = {0}, vr = {0};
  int nw = (w + 63) / 64;
  int *start = malloc(sizeof *start * (size_t)(w + 1));
  uint64_t *dark = calloc((size_t)nw, sizeof *dark);
  uint64_t *open = calloc((size_t)nw, sizeof *open);
  int rc = -1;
  if (!start || !dark || !open)
    goto out;
  for (int y = 0; y <= h; y++) {
    if (y < h)
      dark_bits((const uint32_t *)(data + (size_t)y * stride), w, dark);
    else
      memset(dark, 0, sizeof *dark * (size_t)nw); /* closes every run */
    for (int x = next_bit(dark, w, 0, 1); x < w;) {
      int e = next_bit(dark, w, x, 0);
      if (e - x >= minlen && runs_push(&hr, y, x, e - 1))
        goto out;
      x = e < w ? next_bit(dark, w, e, 1) : w;
    }
    for (int i = 0; i < nw; i++) {
      uint64_t change = dark[i] ^ open[i];
      while (change) {
        int x = i * 64 + __builtin_ctzll(change);
        change &= change - 1;
        if (dark[i] >> (x & 63) & 1) {
          start[x] = y;
        } else {
          if (y - start[x] >= minlen && runs_push(&vr, x, start[x], y - 1))
            goto out;
        }
      }
      open[i] = dark[i];
    }
  }
  if (vr.n > 1)
    qsort(vr.r, vr.n, sizeof *vr.r, cmp_run);
  if (stack_runs(&hr, minlen, hs) || stack_runs(&vr, minlen, vs))
    goto out;
  rc = 0;
out:
  free(start);
  free(dark);
  free(open);
  free(hr.r);
  free(vr.r);
  return rc;
}

static int cmp_ruling(const void *a, const void *b)
{
  const ruling *x = a, *y = b;
  if (fabs(x->pos - y->pos) > 0.01)
    return x->pos < y->pos ? -1 : 1;
  return (x->from > y->from) - (x->from < y->from);
}

/* Converts pixel segments to thin rulings in points, sorted and merged. */
/* 1 when every point of [a,b] along a ruling at pos lies in the box of a
** character that also covers pos: the gap is where the painted-out box of
** a character touching the line took the line with it. */
static int gap_under_chars(const page_text *pt, int horizontal, double pos,
                           double a, double b)
{
  double x = a;
  for (int guard = 0; x < b && guard < 64; guard++) {
    double reach = x;
    for (size_t i = 0; i < pt->nchars; i++) {
      const pt_char *c = &pt->chars[i];
      double lo = horizontal ? c->x0 : c->y0, hi = horizontal ? c->x1 : c->y1;
      double p0 = horizontal ? c->y0 : c->x0, p1 = horizontal ? c->y1 : c->x1;
      if (p0 - 1 <= pos && pos <= p1 + 1 && lo <= x + 0.5 && hi > reach)
        reach = hi;
    }
    if (reach <= x)
      return 0;
    x = reach;
  }
  return x >= b;
}

static int to_rulings(const segs *v, const page_text *pt, int horizontal,
                      ruling **out, size_t *nout)
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
  /* Horizontal pieces parted by the mask of a character standing on the
  ** line (an amount set close under a border) are one ruling again. */
  size_t k2 = 0;
  for (size_t i = 0; i < m; i++) {
    /* Only rules, never the glyph strokes a mask leaves at box edges: a
    ** row of them would bridge into a line through a title. */
    if (horizontal && k2 && fabs(r[i].pos - r[k2 - 1].pos) <= 1.0 &&
        r[i].to - r[i].from >= RULINGS_MIN_LEN * 3 &&
        r[k2 - 1].to - r[k2 - 1].from >= RULINGS_MIN_LEN * 3 &&
        r[i].from > r[k2 - 1].to &&
        r[i].from - r[k2 - 1].to <= 2 * pt->body_size &&
        gap_under_chars(pt, horizontal, r[i].pos, r[k2 - 1].to, r[i].from)) {
      if (r[i].to > r[k2 - 1].to)
        r[k2 - 1].to = r[i].to;
      continue;
    }
    r[k2++] = r[i];
  }
  *out = r;
  *nout = k2;
  return 0;
}

/* The bitmap memory of the last page, kept for the next one: a fresh 5 MB
** bitmap a page costs the kernel's zeroing of every page of it. Every use
** paints it white first, so nothing of an earlier page shows through. */
static unsigned char *bitmap_mem;
static size_t bitmap_size;

/* A surface over the kept memory, grown when a page needs more (portrait
** and landscape pages alternate in many documents). */
static cairo_surface_t *page_surface(int w, int h)
{
  int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
  if (stride <= 0)
    return NULL;
  size_t need = (size_t)stride * (size_t)h;
  if (need > bitmap_size) {
    rulings_release_bitmap();
    bitmap_mem = malloc(need);
    if (!bitmap_mem)
      return NULL;
    bitmap_size = need;
  }
  cairo_surface_t *surf = cairo_image_surface_create_for_data(
      bitmap_mem, CAIRO_FORMAT_RGB24, w, h, stride);
  if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surf);
    return NULL;
  }
  return surf;
}

void rulings_release_bitmap(void)
{
  free(bitmap_mem);
  bitmap_mem = NULL;
  bitmap_size = 0;
}

int rulings_render(PopplerPage *page, page_bitmap *bm)
{
  double pw, ph;
  poppler_page_get_size(page, &pw, &ph);
  const double s = RULINGS_SCALE;
  int w = (int)ceil(pw * s), h = (int)ceil(ph * s);
  bm->surface = NULL;
  if (!(w > 0 && h > 0 && (double)w * h <= 64e6))
    return -1;
  cairo_surface_t *surf = page_surface(w, h);
  if (!surf)
    return -1;
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, s, s);
  textless_render(page, cr);
  cairo_destroy(cr);
  bm->surface = surf;
  bm->width = w;
  bm->height = h;
  return 0;
}

void page_bitmap_free(page_bitmap *bm)
{
  if (bm->surface)
    cairo_surface_destroy(bm->surface);
  bm->surface = NULL;
}

/* Where a pixel's extent [p, p+1) and [a, b) overlap, as a fraction. */
static inline double overlap(int p, double a, double b)
{
  double lo = a > p ? a : p, hi = b < p + 1 ? b : p + 1;
  return hi > lo ? hi - lo : 0;
}

/* White laid over pixel p with opacity a/255, rounded as pixman does. */
static inline uint32_t whiten(uint32_t p, unsigned a)
{
  if ((p & 0xFFFFFFu) == 0xFFFFFFu) /* paper, the usual case: stays */
    return p;
  uint32_t q = 0;
  for (int sh = 0; sh < 24; sh += 8) {
    unsigned t = ((p >> sh) & 255) * (255 - a) + 128;
    q |= (uint32_t)(a + ((t + (t >> 8)) >> 8)) << sh;
  }
  return q;
}

/* One pixel row of a box, cy of its height covered: whole pixels from fx0
** to fx1, partly covered ones before (cx0 of them) and after (cx1). */
static void whiten_row(uint32_t *row, int px0, int px1, int fx0, int fx1,
                       double cy, double cx0, double cx1)
{
  unsigned a0 = (unsigned)(cy * cx0 * 255 + 0.5);
  unsigned a1 = (unsigned)(cy * cx1 * 255 + 0.5);
  unsigned full = (unsigned)(cy * 255 + 0.5);
  int x = px0;
  for (; x < fx0 && x < px1; x++)
    row[x] = whiten(row[x], a0);
  if (full >= 255)
    for (; x < fx1; x++)
      row[x] = 0xFFFFFFu;
  for (; x < fx1; x++)
    row[x] = whiten(row[x], full);
  for (; x < px1; x++)
    row[x] = whiten(row[x], a1);
}

/* Paints [x0, x1) x [y0, y1) (pixels, any order) white over the RGB24
** bitmap, edge pixels in proportion to how much of them it covers, as an
** antialiased fill would: a faint remnant of a glyph's edge stays as faint
** as the rasteriser left it. Done by hand because cairo's path filling
** of a page's thousand small boxes cost a third of the bitmap work. */
static void paint_white(unsigned char *data, int stride, int w, int h,
                        double x0, double y0, double x1, double y1)
{
  if (!(isfinite(x0) && isfinite(x1) && isfinite(y0) && isfinite(y1)))
    return; /* a hostile file's box; no int could hold its pixels */
  if (x1 < x0) { double t = x0; x0 = x1; x1 = t; }
  if (y1 < y0) { double t = y0; y0 = y1; y1 = t; }
  /* Off the bitmap is all alike: clamping keeps the casts below in range. */
  x0 = fmax(x0, -1.0), x1 = fmin(x1, w + 1.0);
  y0 = fmax(y0, -1.0), y1 = fmin(y1, h + 1.0);
  if (x1 <= x0 || y1 <= y0)
    return;
  int px0 = (int)floor(x0), px1 = (int)ceil(x1);
  int py0 = (int)floor(y0), py1 = (int)ceil(y1);
  /* Whole pixels: [fx0, fx1) x [fy0, fy1). */
  int fx0 = (int)ceil(x0), fx1 = (int)floor(x1);
  int fy0 = (int)ceil(y0), fy1 = (int)floor(y1);
  double cx0 = overlap(px0, x0, x1), cx1 = overlap(px1 - 1, x0, x1);
  if (px0 < 0) px0 = 0;
  if (fx0 < 0) fx0 = 0;
  if (px1 > w) px1 = w;
  if (fx1 > w) fx1 = w;
  if (py0 < 0) py0 = 0;
  if (py1 > h) py1 = h;
  for (int y = py0; y < py1; y++) {
    double cy = y >= fy0 && y < fy1 ? 1.0 : overlap(y, y0, y1);
    whiten_row((uint32_t *)(data + (size_t)y * stride), px0, px1, fx0, fx1,
               cy, cx0, cx1);
  }
}

int rulings_find(page_bitmap *bm, const page_text *pt, rulings *out)
{
  memset(out, 0, sizeof *out);
  const double s = RULINGS_SCALE;
  cairo_surface_t *surf = bm->surface;
  if (!surf)
    return -1;
  int w = bm->width, h = bm->height;
  cairo_surface_flush(surf);
  int stride = cairo_image_surface_get_stride(surf);
  unsigned char *data = cairo_image_surface_get_data(surf);
  /* Glyph strokes would look like short rulings: paint them out, boxes
  ** shrunk a little so a border grazed by a box survives. The render
  ** left out the fonts' glyphs (textless.h), but Type 3 glyphs and text
  ** set as outlines are drawn; and what the boxes take of a line through
  ** characters is what the merging in to_rulings() expects. */
  for (size_t i = 0; i < pt->nchars; i++) {
    const pt_char *c = &pt->chars[i];
    double dy = (c->y1 - c->y0) * 0.03, dx = (c->x1 - c->x0) * 0.03;
    paint_white(data, stride, w, h, (c->x0 + dx) * s, (c->y0 + dy) * s,
                (c->x1 - dx) * s, (c->y1 - dy) * s);
  }
  cairo_surface_mark_dirty(surf);

  int rc = -1;
  segs hs = {0}, vs = {0};
  int minlen = (int)(RULINGS_MIN_LEN * s);
  if (scan(data, stride, w, h, minlen, &hs, &vs) != 0)
    goto out;
  if (to_rulings(&hs, pt, 1, &out->h, &out->nh) != 0 ||
      to_rulings(&vs, pt, 0, &out->v, &out->nv) != 0) {
    rulings_free(out);
    goto out;
  }
  rc = 0;
out:
  free(hs.s);
  free(vs.s);
  page_bitmap_free(bm);
  return rc;
}

void rulings_free(rulings *r)
{
  free(r->h);
  free(r->v);
  memset(r, 0, sizeof *r);
}
