/* RTLD_NEXT is a GNU extension; it must come before any system header. */
#define _GNU_SOURCE
#include "textless.h"

#include <dlfcn.h>
#include <pthread.h>

typedef void glyphs_fn(cairo_t *, const cairo_glyph_t *, int);

static glyphs_fn *cairo_show_glyphs_real, *cairo_glyph_path_real;
static pthread_once_t resolved = PTHREAD_ONCE_INIT;

/* Per thread: a render on one thread must not drop another's text. */
static _Thread_local int rendering_textless;

static void resolve(void)
{
  /* POSIX makes dlsym's object pointer convertible to a function one. */
  cairo_show_glyphs_real = (glyphs_fn *)dlsym(RTLD_NEXT, "cairo_show_glyphs");
  cairo_glyph_path_real = (glyphs_fn *)dlsym(RTLD_NEXT, "cairo_glyph_path");
}

/* Where cairo's own cannot be found (not linked dynamically) there is
** nothing to forward to, and the text is simply not drawn. */
static void forward(glyphs_fn **real, cairo_t *cr, const cairo_glyph_t *g,
                    int n)
{
  if (rendering_textless)
    return;
  pthread_once(&resolved, resolve);
  if (*real)
    (*real)(cr, g, n);
}

void cairo_show_glyphs(cairo_t *cr, const cairo_glyph_t *glyphs,
                       int num_glyphs)
{
  forward(&cairo_show_glyphs_real, cr, glyphs, num_glyphs);
}

void cairo_glyph_path(cairo_t *cr, const cairo_glyph_t *glyphs,
                      int num_glyphs)
{
  forward(&cairo_glyph_path_real, cr, glyphs, num_glyphs);
}

void textless_render(PopplerPage *page, cairo_t *cr)
{
  rendering_textless = 1;
  poppler_page_render(page, cr);
  rendering_textless = 0;
}
