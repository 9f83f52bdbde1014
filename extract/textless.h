/*
** textless.h: a page rendered without its text, for finding its rulings.
**
** The ruling finder needs only the page's lines and fills; the text it
** paints out anyway. Drawing the glyphs cost a quarter of the extractor's
** instructions on Type 1 and TrueType pages, and over a third on pages
** whose bold is faked by stroking the outlines (text render mode 2, as
** word processors print a CJK font that has no bold face).
**
** How: Poppler's cairo output device draws text with cairo_show_glyphs()
** (fill) and cairo_glyph_path() (stroke, clip). This module defines both.
** An executable's definitions come before a shared library's in ELF
** symbol lookup, so Poppler's calls land here; they go on to cairo's own
** functions (dlsym RTLD_NEXT) except inside textless_render() on the
** calling thread, where they do nothing. Outside it, cairo text draws as
** usual: the tests draw with it.
**
** Promise: textless_render() draws the page as poppler_page_render()
** does, minus the glyphs of its fonts. Everything else comes: rules,
** fills, images, and Type 3 glyphs (Poppler runs their procedures as
** paths). Text used as a clip (render modes 4 to 7) clips to nothing, so
** what it would show, which lies inside the characters' boxes, is not
** drawn either. Poppler still collects the page's text in the same pass
** (page_text_load() after it reads that text; see rulings.h). Should a
** later Poppler draw text by other calls, its glyphs are drawn and
** painted out as before: only the time is lost, not a ruling.
*/
#ifndef BUDGET_TEXTLESS_H
#define BUDGET_TEXTLESS_H

#include <cairo.h>
#include <poppler.h>

void textless_render(PopplerPage *page, cairo_t *cr);

#endif
