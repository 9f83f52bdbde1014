/*
** grid_internal.h: what the modules behind grid.h share. Not for use
** outside extract/grid*.c, columns.c, ruled.c, unruled.c.
**
**   grid_build.c  geometry helpers, fragments of a line, and the builder:
**                 a grid of slots (column and row borders), characters
**                 placed into slots, slots merged into spans, the finished
**                 grid of grid.h;
**   columns.c     column borders from the channels text leaves empty, the
**                 fragments that span columns, and the column layout
**                 carried from page to page;
**   ruled.c       tables found from ruling lines (fully ruled, or with
**                 horizontal rules only);
**   unruled.c     tables of text alignment alone, and the rows and header
**                 rows of every table that has no vertical rules.
**
** Every function that allocates returns 0 / a count, or -1 on OOM with
** nothing left allocated, unless its comment says otherwise.
*/
#ifndef BUDGET_GRID_INTERNAL_H
#define BUDGET_GRID_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "grid.h"
#include "page_text.h"
#include "rulings.h"

/* Geometry tolerances, in points or in ems of the page's body size. */
#define SNAP 1.5            /* positions closer than this are one line */
#define TOUCH 2.5           /* a ruling ending this close to another meets it */
#define HRULE_MAX_GAP 90.0  /* rules further apart are different tables */
#define COVER 0.55          /* share of a cell side a border must cover */
#define FRAG_GAP_EM 0.35    /* a wider gap inside a line separates cells */
#define TABULAR_GAP_EM 1.2  /* a gap this wide marks a line as columnar */
#define LONG_RULE 24.0      /* shorter rules are borders of one cell at most,
                               or leftovers of glyph strokes */
#define MAX_COLUMNS 120      /* the widest table found from text alone */
#define RULED_MAX_SLOTS 200000 /* the largest lattice read as one table */
#define RECALL_TOLERANCE 4.0 /* a continued table's text may stand this far
                               outside the remembered columns */

/* ---- grid_build.c ----------------------------------------------------- */

int uf_find(int *p, int i);
void uf_union(int *p, int a, int b); /* the smaller index becomes the root */
int cmp_dbl(const void *a, const void *b);
/* Sorts v and merges values within SNAP into their mean; returns count. */
int snap_positions(double *v, int n);
/* Total length of [a,b] covered by the rulings r[members[..]] at pos. */
double coverage(const ruling *r, const int *members, int nm, double pos,
                double a, double b);
int is_numeric_cp(uint32_t cp);

/* A fragment: a run of one line's characters without a wide gap. */
typedef struct frag {
  size_t k0, k1;       /* positions in the line's idx */
  double x0, x1;
  int numeric;         /* digits and separators only, with a digit */
} frag;

/* Splits line l at gaps wider than gap_em (and where digits meet CJK text
** with any visible gap, for cell-sized gaps) into out, which has room for
** l->n fragments; returns the count. */
size_t line_frags(const pt_char *ch, const pt_line *l, double gap_em,
                  frag *out);

/* The grid under construction: nx column borders, ny row borders, and a
** union-find over the (nx-1) x (ny-1) slots whose roots hold the
** characters placed in them. */
typedef struct builder {
  const page_text *pt;
  double *xs, *ys;   /* column and row borders, owned by the builder */
  int nx, ny;
  int *uf;
  size_t **cellidx;  /* per slot: chars placed there */
  size_t *celln, *cellcap;
} builder;

/* Takes ownership of xs and ys (also on failure: builder_free()). */
int builder_init(builder *b, const page_text *pt, double *xs, int nx,
                 double *ys, int ny);
void builder_free(builder *b);
int slot(const builder *b, int r, int c);
/* The interval of the n borders v holding x, clamped to the first/last. */
int find_index(const double *v, int n, double x);
/* Puts character ci into the span that slot (r, c) belongs to. */
int place(builder *b, int r, int c, size_t ci);
/* Splits merged groups that are far from a rectangle into single slots;
** call before placing characters. */
int builder_rectify(builder *b);
/* The finished grid: each span's text, spans, rows without text dropped. */
int builder_finish(builder *b, grid_kind kind, grid *g);
/* Appends *g to the growing array *v. */
int grid_push(grid **v, size_t *n, size_t *cap, const grid *g);

/* ---- columns.c -------------------------------------------------------- */

/* A fragment with what column inference and cell placement need. */
typedef struct lfrag {
  frag f;
  size_t line;       /* index into the lines of collect_lfrags() */
  double y0, y1;     /* the fragment's own characters' extent */
  double size;       /* its largest font size */
  int body;          /* its line holds an amount or code */
  int spanning;      /* stands over side-by-side fragments of the lines
                        below: a parent header or a cell merged across */
  double sx0, sx1;   /* when spanning: the centres of the outermost
                        fragments it stands over */
} lfrag;

/* Splits idx[0..n) into lines and fragments. idx is reordered; *lines
** points into it. The caller frees *all and *lines. */
int collect_lfrags(const page_text *pt, size_t *idx, size_t n,
                   pt_line **lines, size_t *nl, lfrag **all, size_t *nall);
/* Column borders inside [x0,x1] (the two ends included); *xs malloc'd. */
int infer_columns(const lfrag *all, size_t nall, double x0, double x1,
                  double **xs_out, int *nx_out);
/* A form: a table of text, at most one amount in six texts (the 绩效目标
** tables), whose rows do not share one column structure. */
int is_form(const lfrag *all, size_t nall);
/* Replaces *xs by the columns a form's shared left edges give, when its
** text (few amounts) shows more of them than channels gave; returns 1
** when it did. */
int form_columns(const lfrag *all, size_t nall, double x0, double x1,
                 double **xs, int *nx);
/* The columns c0..c1 a fragment occupies under the borders xs. */
void frag_columns(const lfrag *f, const double *xs, int nx, int *c0, int *c1);
/* Replaces *xs by the remembered layout when the fragments fit it and it
** has more columns; returns 1 when it did. */
int recall_columns(grid_memory *mem, const lfrag *all, size_t nall,
                   double x0, double x1, double **xs, int *nx);
void remember_columns(grid_memory *mem, const double *xs, int nx);

/* ---- ruled.c ---------------------------------------------------------- */

/* Tables from the rulings: each appended to *v; characters used marked. */
int find_ruled(const page_text *pt, const rulings *ru, grid_memory *mem,
               unsigned char *used, grid **v, size_t *n, size_t *cap);

/* ---- unruled.c -------------------------------------------------------- */

/* The horizontal rules of one table, for build_unruled(). */
typedef struct hrules {
  const ruling *r;  /* the page's horizontals */
  const int *m;     /* this table's members */
  int n;
} hrules;

/* One table from the characters idx[0..n) spanning [x0,x1]: columns from
** text, rows from text or from the rules hr (NULL: none). *made is 0 when
** the characters turned out to be no table. */
int build_unruled(const page_text *pt, size_t *idx, size_t n, double x0,
                  double x1, const hrules *hr, grid_kind kind,
                  grid_memory *mem, unsigned char *used, grid *g, int *made);
/* Tables of the characters not yet used, found from text alignment. */
int find_unruled(const page_text *pt, grid_memory *mem, unsigned char *used,
                 grid **v, size_t *n, size_t *cap);

#endif
