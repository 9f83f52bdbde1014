/*
** grid.h: tables of one page rebuilt as grids of cells from geometry.
**
** Promise: grids_find() finds the tables of a page and returns each as a
** grid of rows x columns whose cells hold the text printed in them:
**   - ruled: columns and rows from the ruling lines; a cell whose border is
**     missing on one side is merged with its neighbour (spans);
**   - hrule: rows from horizontal rules; columns from the empty vertical
**     channels the text leaves; a parent header cell spans the children its
**     partial rule spans;
**   - unruled: runs of lines whose text stands in columns; one row a line
**     (a wrapped cell's continuation comes as a row of its own, for the
**     normalizer's continuation rules to join).
** The text of a cell is its lines in reading order joined by one space. A
** merged cell's text is in its top-left slot. Rows without any text (ruled
** fillers) are dropped. Every character placed in a grid is marked in used[]
** so the caller writes the rest as text lines.
**
** Ownership: grids_free() releases what the n grids hold; the caller frees
** the array itself. Failure: -1
** on OOM (nothing is returned).
*/
#ifndef BUDGET_GRID_H
#define BUDGET_GRID_H

#include <stddef.h>

#include "page_text.h"
#include "rulings.h"

typedef enum grid_kind { GRID_RULED, GRID_HRULE, GRID_UNRULED } grid_kind;

typedef struct grid_span {
  int row, col, rows, cols;
} grid_span;

typedef struct grid {
  grid_kind kind;
  double x0, y0, x1, y1;
  int nrows, ncols;
  char **text;        /* nrows * ncols, row-major; "" for empty slots */
  double *row_y0, *row_y1; /* each row's extent, for @@at */
  grid_span *spans;   /* only the slots covering more than 1 x 1 */
  size_t nspans;
} grid;

/* The column borders of the last table seen, carried from page to page
** so that a table continued without its header keeps its columns. */
#define GRID_MEMORY_MAX 128
typedef struct grid_memory {
  double xs[GRID_MEMORY_MAX];
  int nx; /* 0: nothing remembered */
} grid_memory;

int grids_find(const page_text *pt, const rulings *ru, grid_memory *mem,
               unsigned char *used, grid **out, size_t *nout);
void grids_free(grid *g, size_t n);

const char *grid_kind_name(grid_kind k);

#endif
