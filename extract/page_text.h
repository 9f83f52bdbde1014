/*
** page_text.h: the characters of one page, grouped into lines and fragments.
**
** Promise: page_text_load() takes one PopplerPage and returns every visible
** code point with its box in DISPLAY space (points, origin top-left, the
** page's /Rotate applied), its font size and a bold flag. Poppler's synthetic
** space and newline entries are dropped, so reading order comes only from
** geometry. Characters are then grouped:
**   - a line is a set of characters sharing a baseline (not a box centre:
**     digits and CJK glyphs of one line have different box heights);
**   - a fragment is a run of a line's characters without a wide gap (about
**     one em), i.e. the text of one cell or one word group.
** Lines are sorted top to bottom, fragments left to right within a line.
**
** Ownership: the page_text owns all arrays and fragment strings; free it with
** page_text_free(). Failure: returns -1 on out-of-memory, or when the page
** holds more than PAGE_TEXT_MAX_CHARS code points (the page is then empty
** and *capped is set, so the caller can warn and go on).
*/
#ifndef BUDGET_PAGE_TEXT_H
#define BUDGET_PAGE_TEXT_H

#include <poppler.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_TEXT_MAX_CHARS 400000u

typedef struct pt_rect {
  double x0, y0, x1, y1;
} pt_rect;

typedef struct pt_char {
  pt_rect box;
  double base;   /* baseline estimate (bottom of box for CJK-ish boxes) */
  double size;   /* font size in points */
  uint32_t cp;
  unsigned bold : 1;
  unsigned white : 1; /* white or invisible text: never output */
} pt_char;

typedef struct pt_frag {
  pt_rect box;
  double base;
  double size;
  size_t c0, c1;  /* chars[c0..c1) in left-to-right order */
  char *text;     /* UTF-8 */
  int line;       /* index into lines */
  unsigned bold : 1;
  unsigned numeric : 1; /* an amount or code: digits, separators, sign */
} pt_frag;

typedef struct pt_line {
  pt_rect box;
  double base;
  double size;
  size_t f0, f1;  /* frags[f0..f1) */
} pt_line;

typedef struct page_text {
  double width, height; /* display size */
  int rotation;         /* 0, 90, 180, 270 */
  pt_char *chars;
  size_t nchars;
  pt_frag *frags;
  size_t nfrags;
  pt_line *lines;
  size_t nlines;
  double body_size;     /* median font size of the page */
} page_text;

int page_text_load(PopplerPage *page, page_text *pt, int *capped);
void page_text_free(page_text *pt);

/* Maps a rectangle from poppler's unrotated space into display space. */
pt_rect page_rect_to_display(pt_rect r, int rotation, double uw, double uh);

/* 1 if s looks like an amount or a code as printed ("4,596.71", "-3.5",
** "201", "30101", "883. 50", "-", "—"), used to tell data from labels. */
int text_is_numeric(const char *s);

#endif
