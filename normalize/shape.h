/*
** shape.h: what a table's columns and rows say about rows still to come.
**
** Promise: these functions judge and reshape the one open table from its
** own content, never from titles or the document. shape_continues() says
** whether an untitled block continues the table: more than half of its
** cells of the kind (number / text, by the "amount" and "code" rules) the
** table's columns have held; a form, or a table of fewer than three body
** rows, has no such profile and accepts anything. shape_repeats_header()
** recognises the header printed again on a continuation page, wrapped
** differently. shape_drop_phantoms() removes columns an extractor invented
** (no header text of their own, no body text). Repairs are recorded in the
** table for emit.c to report. Functions returning int give -1 on OOM.
*/
#ifndef BUDGET_NORMALIZE_SHAPE_H
#define BUDGET_NORMALIZE_SHAPE_H

#include <stddef.h>

#include "rules.h"
#include "table.h"

/* Records the kinds of a body row's cells in the table's profile. */
int shape_note_kinds(const ruleset *rs, table *t, const trow *r);
/* 1 when the untitled block b continues t. */
int shape_continues(const ruleset *rs, const table *t, const tblock *b);
/* 1 when sig (header_signature()) is one of t's header rows. */
int shape_header_sig(const table *t, const char *sig);
/* 0 when row r's header_signature() cannot be one of t's header rows (its
** first cell, squeezed, starts none of them); 1 when it may. No copy. */
int shape_may_repeat_header(const table *t, const trow *r);
/* 1 when row r repeats t's header in other wrapping, 0 when not. */
int shape_repeats_header(const ruleset *rs, const table *t, const trow *r);
/* A parent's text printed centred over two children can land in a column
** of its own between them: a column in a table that has amounts, with text
** only in the header row above the lowest one, between two children (in
** the lowest row) that have no parent above them. The text moves onto the
** left child (spanning both); data under it, if any, moves to the right
** child, which must have none (the header was printed a column off); the
** column goes and the paths are flattened again. Returns the number of
** columns removed, -1 on OOM. */
int shape_centred_parents(const ruleset *rs, table *t);
/* A header cell printed one column off its data: a column with body text
** but no header text at all, next to one with header text but no body
** text, is that column. The two become one (left neighbour preferred).
** Returns the number of columns merged. */
size_t shape_merge_offset(table *t);
/* Drops invented columns (not in a form; at least one column stays). */
void shape_drop_phantoms(table *t);
/* The header came as a grid of its own, with columns the body grid does
** not have (a parent's text given a column of its own): when t has no
** body rows yet and exactly ncols - want header columns are empty in the
** lowest header row, those columns go, their text moving to the nearest
** kept column of the same row, and the paths are flattened again. Returns
** 1 when t now has want columns, 0 when left alone, -1 on OOM. */
int shape_regrid(table *t, size_t want);
/* Widens t to w columns with empty paths (a row wider than its header). */
int shape_widen(table *t, size_t w);
/* Records "@@repair ROW COLUMN BEFORE AFTER RULE" (col 0-based here). */
int shape_add_repair(table *t, size_t row, size_t col, const char *before,
                     const char *after, const char *rule_name);

/* The headers of the tables written so far, to repair a damaged header
** from the same header printed whole elsewhere in the document (03 and 05
** share theirs). Bounded: at most SHAPE_BOOK_MAX headers are kept. */
#define SHAPE_BOOK_MAX 64
typedef struct shape_memo {
  char *key;     /* the header's cell texts, sorted: its content */
  char **paths;
  size_t ncols;
  size_t empties; /* columns without a path: the damage measure */
} shape_memo;
typedef struct shape_book {
  shape_memo v[SHAPE_BOOK_MAX];
  size_t n;
} shape_book;

/* When a header with the same content and width was written before with
** fewer columns left without a path, t takes its paths; each changed path
** is recorded as a repair (row 0). Returns the paths changed, -1 on OOM. */
int shape_book_repair(shape_book *bk, table *t);
/* Remembers t's header. -1 on OOM. */
int shape_book_add(shape_book *bk, const table *t);
void shape_book_free(shape_book *bk);

#endif
