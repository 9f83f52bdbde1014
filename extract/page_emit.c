#include "page_emit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "page_text.h"
#include "rulings.h"
#include "stream.h"
#include "strbuf.h"

/* Gap (in ems) inside a text line that is written as a space. */
#define TEXT_GAP_EM 0.35

static int directive(FILE *out, const char *kw, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int directive(FILE *out, const char *kw, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(out, "@@%s\t", kw);
  vfprintf(out, fmt, ap);
  va_end(ap);
  return fputc('\n', out) == EOF ? -2 : 0;
}

static int emit_grid(FILE *out, const grid *g)
{
  if (g->ncols < 2) {
    /* A one-column frame is a box of text, not a table. */
    for (int r = 0; r < g->nrows; r++)
      if (g->text[r][0] && stream_write_text(out, g->text[r]) != 0)
        return -2;
    return 0;
  }
  directive(out, "grid", "%d\t%.1f\t%.1f\t%.1f\t%.1f\t%s\t0", g->ncols,
            g->x0, g->y0, g->x1, g->y1, grid_kind_name(g->kind));
  for (size_t s = 0; s < g->nspans; s++)
    directive(out, "span", "%d\t%d\t%d\t%d", g->spans[s].row, g->spans[s].col,
              g->spans[s].rows, g->spans[s].cols);
  for (int r = 0; r < g->nrows; r++) {
    directive(out, "at", "%.1f\t%.1f\t%.1f\t%.1f", g->x0, g->row_y0[r], g->x1,
              g->row_y1[r]);
    if (stream_write_row(out, &g->text[(size_t)r * g->ncols],
                         (size_t)g->ncols) != 0)
      return -2;
  }
  return stream_write_blank(out) != 0 ? -2 : 0;
}

/* 1 when some line of the page has two texts an em or more apart: a
** table's row, a ruled cell beside another. idx is scratch (nchars). */
static int page_has_columns(const page_text *pt, size_t *idx)
{
  for (size_t i = 0; i < pt->nchars; i++)
    idx[i] = i;
  pt_line *lines;
  size_t nl;
  if (pt_lines(pt->chars, idx, pt->nchars, &lines, &nl) != 0)
    return 1;
  int found = 0;
  for (size_t l = 0; l < nl && !found; l++)
    for (size_t k = 1; k < lines[l].n && !found; k++) {
      const pt_char *a = &pt->chars[lines[l].idx[k - 1]];
      const pt_char *b = &pt->chars[lines[l].idx[k]];
      found = b->x0 - a->x1 > (a->size < b->size ? a->size : b->size);
    }
  free(lines);
  return found;
}

/* expect_table only decides when the page is rendered, not what comes
** out, so it is left out. */
int page_context_equal(const page_context *a, const page_context *b)
{
  return a->columns.nx == b->columns.nx &&
         memcmp(a->columns.xs, b->columns.xs,
                sizeof *a->columns.xs * (size_t)a->columns.nx) == 0;
}

int page_emit(PopplerPage *page, int pageno, page_context *ctx, FILE *out,
              size_t *nchars, int *capped)
{
  page_text pt;
  rulings ru;
  grid *grids = NULL;
  size_t ngrids = 0;
  pt_line *lines = NULL;
  size_t nl = 0;
  size_t *idx = NULL;
  unsigned char *used = NULL;
  strbuf sb;
  int rc = -1;
  strbuf_init(&sb, STRBUF_CAP_LINE);
  memset(&ru, 0, sizeof ru);
  *nchars = 0;
  /* A table page needs its bitmap, and rendering it first gives its text
  ** for free; a page of prose needs only its text, which alone is less
  ** than half the cost of a render. Prose and tables come in runs, so
  ** the last page tells which to expect. */
  page_bitmap bm = {NULL, 0, 0};
  if (ctx->expect_table && rulings_render(page, &bm) != 0)
    bm.surface = NULL;
  if (page_text_load(page, &pt, capped) != 0) {
    page_bitmap_free(&bm);
    return -1;
  }
  *nchars = pt.nchars;
  /* The glib API does not expose /Rotate; text and bitmap are both laid
  ** out as displayed, so the size is the displayed one and rotation 0. */
  if (directive(out, "page", "%d\t%.1f\t%.1f\t0", pageno, pt.width,
                pt.height) != 0) {
    page_text_free(&pt);
    return -2;
  }
  if (pt.nchars == 0) {
    page_bitmap_free(&bm);
    page_text_free(&pt);
    return 0;
  }
  used = calloc(pt.nchars, 1);
  idx = malloc(sizeof *idx * pt.nchars);
  if (!used || !idx)
    goto out;
  /* A page whose bitmap cannot be made still has its text: tables are then
  ** found from text alignment alone. A page of prose (no line with texts
  ** far apart) needs no rulings. */
  ctx->expect_table = page_has_columns(&pt, idx);
  if (ctx->expect_table && !bm.surface && rulings_render(page, &bm) != 0)
    bm.surface = NULL;
  if (!ctx->expect_table || rulings_find(&bm, &pt, &ru) != 0)
    memset(&ru, 0, sizeof ru);
  if (grids_find(&pt, &ru, &ctx->columns, used, &grids, &ngrids) != 0)
    goto out;
  size_t m = 0;
  for (size_t i = 0; i < pt.nchars; i++)
    if (!used[i])
      idx[m++] = i;
  if (pt_lines(pt.chars, idx, m, &lines, &nl) != 0)
    goto out;
  /* Merge text lines and grids by their top edge. */
  size_t li = 0;
  unsigned char *gdone = calloc(ngrids + 1, 1);
  if (!gdone)
    goto out;
  rc = 0;
  for (;;) {
    size_t best = ngrids;
    for (size_t g = 0; g < ngrids; g++)
      if (!gdone[g] && (best == ngrids || grids[g].y0 < grids[best].y0))
        best = g;
    if (li < nl && (best == ngrids || lines[li].y0 < grids[best].y0)) {
      strbuf_clear(&sb);
      pt_line_text(pt.chars, &lines[li], TEXT_GAP_EM, &sb);
      if (stream_write_text(out, strbuf_cstr(&sb)) != 0) {
        rc = -2;
        break;
      }
      li++;
    } else if (best < ngrids) {
      gdone[best] = 1;
      if ((rc = emit_grid(out, &grids[best])) != 0)
        break;
    } else {
      break;
    }
  }
  free(gdone);
out:
  grids_free(grids, ngrids);
  free(grids);
  free(lines);
  free(idx);
  free(used);
  rulings_free(&ru);
  page_bitmap_free(&bm);
  page_text_free(&pt);
  strbuf_free(&sb);
  return rc;
}
