/*
** page_text.h: the visible characters of one page, and how to read a set of
** them back as text.
**
** Promise: page_text_load() takes one PopplerPage and returns every visible
** code point with its box in display space (points, origin top-left, as
** poppler lays out and renders the page), its font size and a bold flag.
** Poppler's synthetic spaces and newlines are dropped, so reading order
** comes only from geometry: pt_join() sorts a set of characters into lines
** (characters whose boxes share most of their height) and lines into
** reading order, and writes them as one string.
**
** Ownership: the page_text owns its array; free it with page_text_free().
** Failure: -1 on out-of-memory, or when the page holds more than
** PAGE_TEXT_MAX_CHARS code points (nothing is kept; *capped is set so the
** caller can name the problem).
*/
#ifndef BUDGET_PAGE_TEXT_H
#define BUDGET_PAGE_TEXT_H

#include <poppler.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define PAGE_TEXT_MAX_CHARS 400000u

typedef struct pt_char {
  double x0, y0, x1, y1;
  double size;   /* font size in points */
  uint32_t cp;
  unsigned bold : 1;
} pt_char;

typedef struct page_text {
  double width, height; /* display size in points */
  pt_char *chars;
  size_t nchars;
  double body_size;     /* median font size of the page, 10 when empty */
} page_text;

int page_text_load(PopplerPage *page, page_text *pt, int *capped);
void page_text_free(page_text *pt);

static inline double pt_cx(const pt_char *c) { return (c->x0 + c->x1) / 2; }
static inline double pt_cy(const pt_char *c) { return (c->y0 + c->y1) / 2; }

/* A line of text: indices into a char array, left to right. */
typedef struct pt_line {
  size_t *idx;
  size_t n;
  double x0, y0, x1, y1;
} pt_line;

/* Sorts idx[0..n) (indices into chars) into lines, top to bottom, each
** left to right. *lines receives a malloc'd array of *nlines lines whose
** idx point into the caller's idx array (reordered in place); free only
** the array. Returns 0, or -1 on OOM. */
int pt_lines(const pt_char *chars, size_t *idx, size_t n, pt_line **lines,
             size_t *nlines);

/* Appends the text of one line: a space where two characters stand
** further apart than gap_em of the font size. */
strbuf_status pt_line_text(const pt_char *chars, const pt_line *l,
                           double gap_em, strbuf *out);

#endif
