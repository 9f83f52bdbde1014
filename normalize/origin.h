/*
** origin.h: where each body row came from, and which of its empty cells a
** label merged down from the row above covers.
**
** Promise: origin_write() puts `@@from PAGE X0 Y0 X1 Y1 LINE` before a
** body row (the box empty when the input gave none) and, when the row has
** covered cells, `@@covered COL...` (1-based) after that, both before the
** row (docs/stream.md).
** Covered cells are only ever those a span says are covered (@@span of a
** grid, or @@covered of a table stream read back): origin_cover() records
** one, origin_settle() keeps exactly those whose fill is certain once the
** table is final: the cell is still empty, the body row above lies in the
** same span (or, for @@covered, is simply the row above), and what it would
** repeat is a label (no amount; a code of digits alone is a label) or itself a kept covered cell. Nothing is
** guessed from empty cells alone: plain TSV has no spans and gets no
** covered cells.
**
** A covered cell is named by its string pointer, which the row owns: the
** table is reshaped (columns merged, dropped, realigned) after the spans
** are read, and a pointer moves with its column where an index would not.
** A pointer no longer in the row, or pointing at text, is simply not
** covered any more. The cells a row was read with live in its text block
** (table.h) as long as the row does, so a covered cell dropped from the
** row never lends its address to a cell put in later.
*/
#ifndef BUDGET_NORMALIZE_ORIGIN_H
#define BUDGET_NORMALIZE_ORIGIN_H

#include <stddef.h>
#include <stdio.h>

#include "rules.h"
#include "table.h"

/* Records that r's cell col (empty) is covered from above: span_row is the
** gridrow where the span starts (-1 for a @@covered given in the input),
** block the block the span belongs to. Returns 0, or -1 on OOM. */
int origin_cover(trow *r, size_t col, int span_row, int block);

/* 1 when r's cell c is one of its covered cells. */
int origin_is_covered(const trow *r, size_t c);

/* Drops the covered cells of t's body whose fill is not certain (see
** above). Call once the table's columns are final. */
void origin_settle(const ruleset *rs, table *t);

/* The @@from line of r; with ncols > 0 also its @@covered line (columns
** below ncols). Returns 0, or -1 on a write error. */
int origin_write(FILE *out, const trow *r, size_t ncols);

#endif
