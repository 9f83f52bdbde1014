/*
** rulings.h: the ruling lines (cell borders, horizontal rules) of a page.
**
** Poppler's glib API exposes no vector paths, so the page is rendered to a
** grey bitmap (RULINGS_SCALE pixels per point) without its text
** (textless.h), every character box is painted white afterwards, and what
** is left is scanned for long thin dark runs. A run is a ruling when it is
** at least RULINGS_MIN_LEN points long and at most RULINGS_MAX_THICK
** points thick, which keeps light cell shading and leftover glyph strokes
** out.
**
** Promise: segments come back in points, display space (the space of
** page_text.h), horizontal ones sorted by y then x, vertical ones by x then
** y; touching or overlapping collinear pieces are merged.
** Ownership: rulings_free() releases the arrays. Failure: -1 on OOM or when
** cairo cannot make the bitmap; the rulings are then empty.
*/
#ifndef BUDGET_RULINGS_H
#define BUDGET_RULINGS_H

#include <cairo.h>
#include <poppler.h>
#include <stddef.h>

#include "page_text.h"

#define RULINGS_SCALE 1.5
#define RULINGS_MIN_LEN 4.0
#define RULINGS_MAX_THICK 2.5

typedef struct ruling {
  double pos;        /* y of a horizontal, x of a vertical */
  double from, to;   /* extent along the line */
} ruling;

typedef struct rulings {
  ruling *h, *v;
  size_t nh, nv;
} rulings;

/* The page drawn at RULINGS_SCALE into a bitmap kept between pages. */
typedef struct page_bitmap {
  cairo_surface_t *surface; /* NULL: not rendered */
  int width, height;        /* pixels */
} page_bitmap;

/* Renders the page. Poppler builds the page's text in the same pass and
** keeps it with the page, so page_text_load() after this costs no second
** pass over the page's content (before it, the render would not reuse
** the text). -1 when cairo cannot make the bitmap. */
int rulings_render(PopplerPage *page, page_bitmap *bm);
/* Finds the rulings in a rendered page whose text is pt; releases bm. */
int rulings_find(page_bitmap *bm, const page_text *pt, rulings *out);
void page_bitmap_free(page_bitmap *bm);
void rulings_free(rulings *r);
/* The bitmap memory is kept for the next page of the same size (so this
** is not thread-safe); this releases it (call once at the end). */
void rulings_release_bitmap(void);

#endif
