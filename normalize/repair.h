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
*/
#ifndef BUDGET_NORMALIZE_REPAIR_H
#define BUDGET_NORMALIZE_REPAIR_H

#include "rules.h"
#include "table.h"

/* prev: the table's last body row (NULL when none). -1 on OOM. */
int repair_continuation(const ruleset *rs, trow *prev, const trow *r);

/* A row split by a page break: the first row on the continuation page
** holds only the ends of cells of the table's last row, a row with
** amounts (text under text, no amount, code, row label or value like
** ≥3次, none longer than the part it ends). They are appended to those
** cells; returns 1 (drop the row), 0, or -1. */
int repair_split_row(const ruleset *rs, trow *prev, const trow *r);

#endif
