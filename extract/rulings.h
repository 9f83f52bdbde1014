/*
** rulings.h: the ruling lines (cell borders, horizontal rules) of a page.
**
** Poppler's glib API exposes no vector paths, so the page is rendered to a
** grey bitmap (RULINGS_SCALE pixels per point) with every character box
** painted white afterwards, and what is left is scanned for long thin dark
** runs. A run is a ruling when it is at least RULINGS_MIN_LEN points long
** and at most RULINGS_MAX_THICK points thick, which keeps light cell
** shading and leftover glyph strokes out.
**
** Promise: segments come back in points, display space (the space of
** page_text.h), horizontal ones sorted by y then x, vertical ones by x then
** y; touching or overlapping collinear pieces are merged.
** Ownership: rulings_free() releases the arrays. Failure: -1 on OOM or when
** cairo cannot make the bitmap; the rulings are then empty.
*/
#ifndef BUDGET_RULINGS_H
#define BUDGET_RULINGS_H

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

int rulings_find(PopplerPage *page, const page_text *pt, rulings *out);
void rulings_free(rulings *r);
/* rulings_find() keeps the page bitmap for the next page of the same size
** (so it is not thread-safe); this releases it (call once at the end). */
void rulings_release_bitmap(void);

#endif
