/*
** The page render for rulings leaves the text out (textless.h) and keeps
** the rules; a plain render of the same page, after it, still draws the
** text.
*/
#include <criterion/criterion.h>
#include <poppler.h>

#include "helpers.h"
#include "page_text.h"
#include "rulings.h"

static PopplerDocument *open_sample(const char *name)
{
  char *path = h_fmt("%s/samples/%s/doc.pdf", h_home(), name);
  char *uri = g_filename_to_uri(path, NULL, NULL);
  cr_assert_not_null(uri, "%s", path);
  PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, NULL);
  cr_assert_not_null(doc, "%s", path);
  g_free(uri);
  free(path);
  return doc;
}

/* Dark pixels (the scan's threshold, about) in the middle half of the
** characters' boxes, where every glyph has strokes and no rule runs. */
static size_t ink_in_chars(cairo_surface_t *surf, const page_text *pt)
{
  cairo_surface_flush(surf);
  const unsigned char *data = cairo_image_surface_get_data(surf);
  int stride = cairo_image_surface_get_stride(surf);
  int w = cairo_image_surface_get_width(surf);
  int h = cairo_image_surface_get_height(surf);
  size_t ink = 0;
  for (size_t i = 0; i < pt->nchars; i++) {
    const pt_char *c = &pt->chars[i];
    double qx = (c->x1 - c->x0) / 4, qy = (c->y1 - c->y0) / 4;
    int x0 = (int)((c->x0 + qx) * RULINGS_SCALE);
    int x1 = (int)((c->x1 - qx) * RULINGS_SCALE);
    int y0 = (int)((c->y0 + qy) * RULINGS_SCALE);
    int y1 = (int)((c->y1 - qy) * RULINGS_SCALE);
    for (int y = y0 < 0 ? 0 : y0; y < y1 && y < h; y++) {
      const uint32_t *row = (const uint32_t *)(data + (size_t)y * stride);
      for (int x = x0 < 0 ? 0 : x0; x < x1 && x < w; x++) {
        uint32_t p = row[x];
        if (((p >> 16 & 255) + 2 * (p >> 8 & 255) + (p & 255)) / 4 < 175)
          ink++;
      }
    }
  }
  return ink;
}

Test(textless, rulings_render_leaves_text_out_and_rules_in)
{
  PopplerDocument *doc = open_sample("qingshan-agri");
  int tested = 0;
  for (int i = 0; i < poppler_document_get_n_pages(doc) && !tested; i++) {
    PopplerPage *page = poppler_document_get_page(doc, i);
    page_bitmap bm;
    cr_assert_eq(rulings_render(page, &bm), 0);
    page_text pt;
    int capped = 0;
    cr_assert_eq(page_text_load(page, &pt, &capped), 0);
    size_t ink = ink_in_chars(bm.surface, &pt);
    rulings ru;
    cr_assert_eq(rulings_find(&bm, &pt, &ru), 0);
    if (ru.nh >= 3 && ru.nv >= 3 && pt.nchars >= 50) {
      tested = 1;
      cr_expect_eq(ink, 0, "page %d: %zu dark pixels inside %zu characters",
                   i + 1, ink, pt.nchars);
      /* The same page as Poppler draws it: the text is there. */
      cairo_surface_t *plain = cairo_image_surface_create(
          CAIRO_FORMAT_RGB24, bm.width, bm.height);
      cairo_t *cr = cairo_create(plain);
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_paint(cr);
      cairo_scale(cr, RULINGS_SCALE, RULINGS_SCALE);
      poppler_page_render(page, cr);
      cairo_destroy(cr);
      size_t drawn = ink_in_chars(plain, &pt);
      cr_expect_gt(drawn, pt.nchars, "page %d: %zu dark pixels inside %zu "
                   "characters drawn as usual", i + 1, drawn, pt.nchars);
      cairo_surface_destroy(plain);
    }
    rulings_free(&ru);
    page_text_free(&pt);
    g_object_unref(page);
  }
  cr_assert(tested, "no ruled page in the sample");
  rulings_release_bitmap();
  g_object_unref(doc);
}
