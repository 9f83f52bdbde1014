/*
** table.h: the rows of one table while it is being built.
**
** Promise: a table owns every string in it (cells, provenance, titles);
** table_clear() frees them and leaves the table reusable, so the program
** holds one table at a time whatever the document's size. Rows keep the
** cells as read; cleaning happens when the table is finished.
*/
#ifndef BUDGET_NORMALIZE_TABLE_H
#define BUDGET_NORMALIZE_TABLE_H

#include <stddef.h>

typedef struct trow {
  char **cells;
  size_t n;
  char *at;    /* the "@@at" arguments before the row (TAB-joined), or NULL */
  int block;   /* which block (grid / page run) of the table it came from */
  int header;  /* 1 when the row is a header row */
} trow;

typedef struct table {
  char id[8];
  char *canonical;
  char *printed;
  char unit[16];
  int form;          /* a form without column heads (table 14) */
  int first_page, last_page;
  int header_rows;   /* -1 until known */
  int grid_header;   /* HEADER_ROWS of the first grid, 0 when unknown */
  trow *rows;
  size_t nrows, cap;
  int blocks;        /* blocks seen so far */
} table;

void table_init(table *t);
void table_clear(table *t);
/* Appends a copy of cells; returns the new row or NULL on OOM. */
trow *table_add(table *t, char *const *cells, size_t n, const char *at);
/* Removes row i, freeing it. */
void table_remove(table *t, size_t i);
/* Width of a row without its trailing empty cells. */
size_t row_width(const trow *r);
/* 1 when every cell is empty. */
int row_empty(const trow *r);
/* Replaces cell c of r (growing the row with empty cells if needed). */
int row_set(trow *r, size_t c, const char *text, size_t n);

#endif
