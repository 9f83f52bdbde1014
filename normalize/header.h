/*
** header.h: where the header of a table ends, and its flattened paths.
**
** Promise: header_is_body() says whether a cleaned row is a body row: it
** has an amount or a code (by the "amount" / "code" rules), or all its
** text is row labels (the "total" rules: 合计, 一、…). header_infer()
** counts the leading rows before the first body row. header_flatten()
** turns h header rows into one "/"-joined path per column, each part
** cleaned of whitespace: with the grid's spans when there are any, else
** with parents inferred (an empty header cell right of a parent that has
** children below belongs to that parent, when the cell has children too
** and both sit under the same grandparent). No rule or title is known to
** this module beyond those rule kinds.
*/
#ifndef BUDGET_NORMALIZE_HEADER_H
#define BUDGET_NORMALIZE_HEADER_H

#include <stddef.h>

#include "rules.h"
#include "table.h"

/* A merged header cell in header-row coordinates: rows [r0,r1), cols
** [c0,c1), its text in (r0, c0). */
typedef struct hspan {
  size_t r0, r1, c0, c1;
} hspan;

int header_is_body(const ruleset *rs, const trow *r);
/* rows: the candidate rows in order; returns how many lead the body. */
size_t header_infer(const ruleset *rs, trow *const *rows, size_t n);
/* Writes ncols malloc'd paths into paths[] (an array of ncols). Returns 0,
** or -1 on OOM (nothing left allocated). */
int header_flatten(trow *const *rows, size_t h, size_t ncols,
                   const hspan *spans, size_t nspans, char **paths);
/* Text from other tools can print a parent left of where its group starts,
** over the last child of the group before it (项目支出 over 公用经费's
** second child). A parent cell with nothing right under it but text
** further down, right of a cell of the row below whose group it would cut,
** moves right to the next column where the row below starts a new cell. Rewrites the rows; returns the number
** of cells moved, -1 on OOM. For plain TSV only: grids have spans. */
int header_fix_shifted(trow *const *rows, size_t h, size_t ncols);
/* A header path part cut off by its cell (an opening bracket never
** closed: 运转类经费（专项业) is completed from the "header" rules, the
** vocabulary of header terms, when exactly one term starts with it.
** Rewrites *path (malloc'd) and sets *which; returns 1 when repaired, 0
** when not, -1 on OOM. */
int header_complete(const ruleset *rs, char **path, const rule **which);
/* A row's signature (cells without whitespace, joined by U+001F), used to
** recognise a header repeated on a continuation page. NULL on OOM. */
char *header_signature(const trow *r);

#endif
