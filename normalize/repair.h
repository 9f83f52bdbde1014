/*
** repair.h: undoing the damage other tools do to rows (plain TSV input).
**
** Promise: repair_continuation() recognises a row that only carries the
** wrapped tail of a cell above it (`一般行政管理事` / `务`): a row with one
** non-empty cell, text that is no amount, code, row label or "not-tail"
** item and at most half as long, under a text cell of the previous row
** that is no row label. It appends the tail to that
** cell (no space between CJK characters, one space otherwise) and returns
** 1, so the caller drops the row. Any other row is left alone (0). Input
** from budget-extract never needs this: its wrapped cells arrive joined.
** The pair repairs below judge rows of a table of label/value column
** pairs by what their cells are (the "value" rules) and move cells only
** between columns of the pairs; a row already in place is left alone.
*/
#ifndef BUDGET_NORMALIZE_REPAIR_H
#define BUDGET_NORMALIZE_REPAIR_H

#include "rules.h"
#include "table.h"

/* prev: the table's last body row (NULL when none). -1 on OOM. */
int repair_continuation(const ruleset *rs, trow *prev, const trow *r);

/* A run of label/value column pairs (表15's 三级指标 | 指标值 under each
** 指标 group): columns lo..hi, a label at lo, lo+2, …, its value right of
** it. hi < lo: the table has none. */
typedef struct pair_run {
  size_t lo, hi;
} pair_run;

/* Finds the run in a header's flattened paths: the columns the
** "value-column" rules match, each right of a label column, two or more of
** them, adjacent pairs. Returns 1 when found, 0 (pr empty) when not. */
int repair_pair_run(const ruleset *rs, char *const *paths, size_t ncols,
                    pair_run *pr);

/* A row printed a column off inside the run: values (the "value" rules) in
** label columns, or label text in value columns. The cells on one side of
** an empty column of the run move one column towards it; the move that
** leaves the fewest cells misplaced is made, only when that is fewer than
** now (ties: no text into a column used[] says no body row has held, then
** a move right). Returns 1 when cells moved, 0, or -1 on OOM. */
int repair_shift_pairs(const ruleset *rs, const pair_run *pr, trow *r,
                       const unsigned char *used, size_t nused);

/* A row holding only values of the run, each beside an empty label, above
** an indicator row (no cell left of the run) whose those columns are
** empty: the values were printed higher than their row. They move into
** next; returns 1 (drop r), 0, or -1 on OOM. */
int repair_lone_values(const ruleset *rs, const pair_run *pr, const trow *r,
                       trow *next);

/* Two rows' values printed as one line: a value cell of prev holding two
** values ("明显 ≥99%", split at its last space, the second matching a
** "value" rule) above a row r whose that cell is empty beside a label. The
** second value moves down into r. Returns the cells moved, or -1. */
int repair_double_values(const ruleset *rs, const pair_run *pr, trow *prev,
                         trow *r);

/* A row split by a page break: the first row on the continuation page
** holds only the ends of cells of the table's last row (text under text,
** no amount, code, row label or value like ≥3次). Outside the pair run pr
** (may be NULL) the last row must have amounts and no end be longer than
** the part it ends; in the run, an end must be a label whose value column
** is empty in r and filled in the last row, and no end may sit in a value
** column. The ends are appended to those cells; returns 1 (drop the row),
** 0, or -1. */
int repair_split_row(const ruleset *rs, trow *prev, const trow *r,
                     const pair_run *pr);

#endif
