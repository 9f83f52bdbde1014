/*
** table.h: rows, the block of rows one grid (or one run of TSV rows) gives,
** and the one table being built.
**
** Promise: every string in a row, block or table is owned by it; the
** *_clear() functions free everything and leave the object reusable, so
** the program holds one table (plus the block being read) at a time,
** whatever the document's size. Nothing here looks at cell text: deciding
** what a row is belongs to header.c, repair.c and segment.c.
**
** A row's cells as rowvec_add() copied them share one block, the row's
** text (each cell, empty ones too, its own bytes there: distinct cells
** have distinct addresses), as do the cleaned cells rowvec_add_cleaned()
** keeps for row_take_cleaned(); a cell put in later (row_set(),
** row_resize(), row_cell_replace()) is a malloc'd string of its own. So a cell is freed
** or replaced only through row_cell_free() / row_cell_replace(), never by
** free(), and a cell pointer stays in its row: it may move between the
** row's columns, but never into another row, which would outlive the
** block (copy it there with row_set()). rowvec_take() moves a whole row,
** block and all.
**
** Each cell of the text block has one byte before it, its facts: what
** cells.c learned of that text (row_cell_facts(); 0 when read, its bits
** are cells.c's). Facts live with the text, not with the column, so they
** move with the cell pointer through swaps, memmoves and remaps, and a
** cell put in later has none (NULL): replacing a cell forgets them. The
** one change of a cell's text in place allowed is cutting it to empty
** (cells[c][0] = '\0'), and the facts of an empty cell are never read.
** A cell pointer is always the start of its string, never a pointer into
** one (skip leading bytes in a local copy of the pointer): the byte before
** it would be taken for its facts.
*/
#ifndef BUDGET_NORMALIZE_TABLE_H
#define BUDGET_NORMALIZE_TABLE_H

#include <stddef.h>

/* Where a row came from (origin.h writes it as @@from). */
typedef struct row_origin {
  int has_box;             /* x0..y1 known (an @@at before the row) */
  double x0, y0, x1, y1;   /* points on the page, origin top-left */
  long line;               /* the row's line in this stage's input */
} row_origin;

/* A cell left empty because a label merged down from a row above covers
** it. The cell is named by its string: columns move and go while a table
** is shaped, the string moves with them (see origin.h). */
typedef struct covered_cell {
  const char *cell;
  int span_row;  /* gridrow of the span's first row; -1: given by @@covered */
  int block;     /* the block (grid) of the span */
} covered_cell;

typedef struct trow {
  char **cells;
  size_t n;
  char *text;     /* rowvec_add()'s copies of the cells, back to back,
                     each after its facts byte */
  size_t textlen; /* bytes in text */
  int page;     /* page the row was printed on */
  int gridrow;  /* 0-based row within its @@grid (spans refer to it) */
  int drop;     /* 1: not a table row (title block, note, filler) */
  int block;    /* which block it was read in (numbered from 1) */
  row_origin origin;
  covered_cell *covered; /* ncovered cells of this row, see origin.h */
  size_t ncovered;
  /* rowvec_add_cleaned(): the cells as the cell rules leave them are
  ** known already (precleaned), and those that differ wait in the text
  ** block (pending[c], NULL for a cell they leave alone; pending NULL
  ** when none) until row_take_cleaned() puts them in. */
  int precleaned;
  char **pending; /* npending of them: the cells the row was made with */
  size_t npending;
} trow;

typedef struct rowvec {
  trow *rows;
  size_t n, cap;
} rowvec;

/* A merged cell of a grid, as @@span gives it (grid row coordinates). */
typedef struct tspan {
  int row, col, rows, cols;
} tspan;

/* The rows of one @@grid, or one run of TSV rows between blank lines. */
typedef struct tblock {
  rowvec rows;
  tspan *spans;
  size_t nspans, spancap;
  int grid;        /* came from @@grid (else plain TSV) */
  int ncols;       /* @@grid COLUMNS; 0 for TSV */
  int header_rows; /* @@grid HEADER_ROWS; 0 when unknown */
  int nextrow;     /* gridrow the next row gets */
  int in_note;     /* the last row was (part of) a note */
} tblock;

/* What a body column has held (bit mask). */
#define KIND_NUMBER 1
#define KIND_TEXT 2

typedef struct table {
  char id[8];          /* "01".."15", or "x" for a generic title */
  char *canonical;
  char *printed;
  char unit[16];
  int form;            /* a form without column heads (table 14) */
  int first_page, last_page;
  int has_header;      /* paths known */
  size_t ncols;
  char **paths;        /* ncols flattened header paths */
  char **hsig;         /* header rows' signatures, to drop repeats */
  size_t nh;
  int grid_ncols;      /* COLUMNS of the grid the header came from, or 0 */
  int tsv;             /* rows came as plain TSV (repairs apply) */
  int given;           /* opened by @@table: rows are clean already */
  unsigned char *kinds; /* per column: KIND_NUMBER / KIND_TEXT seen in the
                           body so far, to tell a continuation from a stray
                           run of rows */
  size_t nkinds;
  rowvec body;
  rowvec hrows;        /* the header rows as read (cleaned) */
  int hspanned;        /* their paths came from the grid's spans */
  void *hspans;        /* those spans (header.h hspan[]), nhspans of them */
  size_t nhspans;
  char **repairs;      /* "ROW\tCOLUMN\tBEFORE\tAFTER\tRULE" for @@repair */
  size_t nrepairs;
} table;

void rowvec_init(rowvec *v);
void rowvec_clear(rowvec *v);
/* Appends a copy of cells; returns the new row or NULL on OOM. */
trow *rowvec_add(rowvec *v, char *const *cells, size_t n);
/* The same, with what the cell rules make of each cell (cleaned[c], or
** NULL when they leave it as it is) copied into the row's text block too,
** to be put in by row_take_cleaned(): until then the row reads as
** printed. */
trow *rowvec_add_cleaned(rowvec *v, char *const *cells,
                         const char *const *cleaned, size_t n);
/* Puts a precleaned row's cleaned cells in (a no-op after the first
** call). Those cells are of the text block, with facts bytes of their
** own. */
void row_take_cleaned(trow *r);
/* Moves row *r (its strings) to the end of v; r is left empty. */
trow *rowvec_take(rowvec *v, trow *r);
/* Removes row i, freeing it. */
void rowvec_remove(rowvec *v, size_t i);

void row_free(trow *r);
/* Frees cell string s of row r (a no-op for one in r's text block). */
void row_cell_free(const trow *r, char *s);
/* Puts malloc'd string s (now owned by r) in cell c < r->n, freeing the
** cell it replaces. */
void row_cell_replace(trow *r, size_t c, char *s);
/* Cell c's facts byte (see above), or NULL when the cell is not one of
** the row's text block (put in by row_set(), row_resize(),
** row_cell_replace()). Writable through a const row: it is a cache of
** what the text says, like the rules' memo, and changes no answer. */
unsigned char *row_cell_facts(const trow *r, size_t c);
/* Width of a row without its trailing empty cells. */
size_t row_width(const trow *r);
/* 1 when every cell is empty. */
int row_empty(const trow *r);
/* Replaces cell c (growing the row with empty cells if needed). */
int row_set(trow *r, size_t c, const char *text, size_t n);
/* Pads with empty cells, or drops trailing cells, to exactly n cells. */
int row_resize(trow *r, size_t n);

void block_init(tblock *b);
void block_clear(tblock *b);
/* block_clear() that keeps the array of rows for the next block: one
** allocation for a run of blocks, not one (a large one) each. */
void block_reset(tblock *b);
int block_add_span(tblock *b, tspan s);

void table_init(table *t);
void table_clear(table *t);
/* table_clear() that keeps the array of body rows for the next table. */
void table_reset(table *t);

#endif
