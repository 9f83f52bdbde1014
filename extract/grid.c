#include "grid.h"

#include <stdlib.h>

#include "grid_internal.h"

const char *grid_kind_name(grid_kind k)
{
  return k == GRID_RULED ? "ruled" : k == GRID_HRULE ? "hrule" : "unruled";
}

int grids_find(const page_text *pt, const rulings *ru, grid_memory *mem,
               unsigned char *used, grid **out, size_t *nout)
{
  grid *v = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  *nout = 0;
  if (find_ruled(pt, ru, mem, used, &v, &n, &cap) ||
      find_unruled(pt, mem, used, &v, &n, &cap)) {
    grids_free(v, n);
    return -1;
  }
  *out = v;
  *nout = n;
  return 0;
}

void grids_free(grid *g, size_t n)
{
  for (size_t i = 0; g && i < n; i++) {
    if (g[i].text)
      for (size_t k = 0; k < (size_t)g[i].nrows * g[i].ncols; k++)
        free(g[i].text[k]);
    free(g[i].text);
    free(g[i].row_y0);
    free(g[i].row_y1);
    free(g[i].spans);
  }
}

