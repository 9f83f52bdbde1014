#include "page_text.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static int is_bold_font(const char *name)
{
  if (!name)
    return 0;
  return strstr(name, "Bold") || strstr(name, "bold") ||
         strstr(name, "Heavy") || strstr(name, "Black") ||
         strstr(name, "Semibold") || strstr(name, "Medium");
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Poppler reports one rectangle per character of poppler_page_get_text(),
** and the attributes by the same character index, so the three are walked
** in step. */
int page_text_load(PopplerPage *page, page_text *pt, int *capped)
{
  memset(pt, 0, sizeof *pt);
  *capped = 0;
  poppler_page_get_size(page, &pt->width, &pt->height);
  pt->body_size = 10;

  char *text = poppler_page_get_text(page);
  PopplerRectangle *rects = NULL;
  guint nrects = 0;
  if (!text)
    return 0;
  if (!poppler_page_get_text_layout(page, &rects, &nrects) || nrects == 0) {
    g_free(text);
    g_free(rects);
    return 0;
  }
  if (nrects > PAGE_TEXT_MAX_CHARS) {
    *capped = 1;
    g_free(text);
    g_free(rects);
    return -1;
  }
  GList *attrs = poppler_page_get_text_attributes(page);
  pt->chars = malloc(sizeof *pt->chars * nrects);
  if (!pt->chars) {
    poppler_page_free_text_attributes(attrs);
    g_free(text);
    g_free(rects);
    return -1;
  }

  size_t len = strlen(text), off = 0;
  GList *a = attrs;
  for (guint i = 0; i < nrects && off < len; i++) {
    uint32_t cp;
    off += utf8_decode(text + off, len - off, &cp);
    while (a && ((PopplerTextAttributes *)a->data)->end_index < (gint)i)
      a = a->next;
    if (cp == ' ' || cp == '\n' || cp == '\r' || cp == '\t' ||
        cp == 0x3000 || cp == 0xA0 || cp < 0x20)
      continue;
    PopplerRectangle *r = &rects[i];
    if (r->x2 <= r->x1 && r->y2 <= r->y1)
      continue;
    pt_char *c = &pt->chars[pt->nchars++];
    c->x0 = r->x1;
    c->y0 = r->y1;
    c->x1 = r->x2;
    c->y1 = r->y2;
    c->cp = cp;
    c->size = c->y1 - c->y0;
    c->bold = 0;
    if (a) {
      PopplerTextAttributes *ta = a->data;
      if (ta->start_index <= (gint)i && (gint)i <= ta->end_index) {
        if (ta->font_size > 0)
          c->size = ta->font_size;
        c->bold = is_bold_font(ta->font_name) != 0;
      }
    }
  }
  poppler_page_free_text_attributes(attrs);
  g_free(text);
  g_free(rects);

  if (pt->nchars) {
    double *sizes = malloc(sizeof *sizes * pt->nchars);
    if (sizes) {
      for (size_t i = 0; i < pt->nchars; i++)
        sizes[i] = pt->chars[i].size;
      qsort(sizes, pt->nchars, sizeof *sizes, cmp_double);
      pt->body_size = sizes[pt->nchars / 2];
      free(sizes);
    }
  }
  return 0;
}

void page_text_free(page_text *pt)
{
  free(pt->chars);
  memset(pt, 0, sizeof *pt);
}

/* qsort has no context argument; the char array being sorted is passed
** through this file-scope pointer (the extractor is single-threaded). */
static const pt_char *sort_chars;

static int cmp_by_cy(const void *a, const void *b)
{
  const pt_char *x = &sort_chars[*(const size_t *)a];
  const pt_char *y = &sort_chars[*(const size_t *)b];
  double d = pt_cy(x) - pt_cy(y);
  if (d != 0)
    return d < 0 ? -1 : 1;
  return (x->x0 > y->x0) - (x->x0 < y->x0);
}

static int cmp_by_x(const void *a, const void *b)
{
  const pt_char *x = &sort_chars[*(const size_t *)a];
  const pt_char *y = &sort_chars[*(const size_t *)b];
  return (x->x0 > y->x0) - (x->x0 < y->x0);
}

int pt_lines(const pt_char *chars, size_t *idx, size_t n, pt_line **lines,
             size_t *nlines)
{
  *lines = NULL;
  *nlines = 0;
  if (n == 0)
    return 0;
  sort_chars = chars;
  qsort(idx, n, sizeof *idx, cmp_by_cy);
  pt_line *ls = malloc(sizeof *ls * n);
  if (!ls)
    return -1;
  size_t nl = 0;
  for (size_t i = 0; i < n; i++) {
    const pt_char *c = &chars[idx[i]];
    pt_line *cur = nl ? &ls[nl - 1] : NULL;
    /* A character belongs to the current line when its centre lies inside
    ** the line's band: digits and CJK glyphs of one line have different box
    ** heights but share the band's middle. */
    if (cur && pt_cy(c) <= cur->y1 && pt_cy(c) >= cur->y0) {
      cur->n++;
      if (c->x0 < cur->x0) cur->x0 = c->x0;
      if (c->x1 > cur->x1) cur->x1 = c->x1;
      continue;
    }
    cur = &ls[nl++];
    cur->idx = &idx[i];
    cur->n = 1;
    cur->x0 = c->x0;
    cur->x1 = c->x1;
    cur->y0 = c->y0;
    cur->y1 = c->y1;
  }
  for (size_t i = 0; i < nl; i++) {
    qsort(ls[i].idx, ls[i].n, sizeof *idx, cmp_by_x);
    for (size_t k = 0; k < ls[i].n; k++) {
      const pt_char *c = &chars[ls[i].idx[k]];
      if (c->y0 < ls[i].y0) ls[i].y0 = c->y0;
      if (c->y1 > ls[i].y1) ls[i].y1 = c->y1;
    }
  }
  *lines = ls;
  *nlines = nl;
  return 0;
}

strbuf_status pt_line_text(const pt_char *chars, const pt_line *l,
                           double gap_em, strbuf *out)
{
  char enc[4];
  for (size_t k = 0; k < l->n; k++) {
    const pt_char *c = &chars[l->idx[k]];
    if (k > 0) {
      const pt_char *p = &chars[l->idx[k - 1]];
      double em = c->size < p->size ? c->size : p->size;
      if (c->x0 - p->x1 > gap_em * em &&
          strbuf_append_char(out, ' ') != STRBUF_OK)
        return STRBUF_TOO_BIG;
    }
    size_t m = utf8_encode(c->cp, enc);
    strbuf_status st = strbuf_append(out, enc, m);
    if (st != STRBUF_OK)
      return st;
  }
  return STRBUF_OK;
}
