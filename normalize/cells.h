/*
** cells.h: cleaning one cell's text, and telling amounts and codes apart.
**
** Promise: cells_clean() rewrites a cell in place by the "cell" rules (and,
** for body cells, the "number" rules), in rule-file order, then trims
** layout whitespace at both ends. Text no rule matches comes back byte for
** byte unchanged apart from that trim. Returns 0, or -1 when the cell
** would pass its cap or memory runs out.
*/
#ifndef BUDGET_NORMALIZE_CELLS_H
#define BUDGET_NORMALIZE_CELLS_H

#include "rules.h"
#include "strbuf.h"
#include "table.h"

int cells_clean(ruleset *rs, strbuf *b, int body);
/* 1 when s[0..n) needs no cleaning for sure: no white space to trim at
** either end and, by the rules' prefilter, no "cell" rule (cell_rules) and
** no "number" rule (number_rules) that could match it. Then cleaning it
** would give it back unchanged, so callers may skip the copy. */
int cells_unchanged(const ruleset *rs, const char *s, size_t n, int cell_rules,
                    int number_rules);
/* The same; when it answers 0 with *taken set, sb holds s's bytes (s has
** no white space to trim then), for cells_clean_bytes() or
** rules_apply_all_over() on a copy of s, which need not take them again. */
int cells_unchanged_bytes(const ruleset *rs, const char *s, size_t n,
                          int cell_rules, int number_rules, subject_bytes *sb,
                          int *taken);
/* cells_clean() of a non-body cell whose bytes sb holds (NULL: not taken)
** and that has no white space to trim. */
int cells_clean_bytes(ruleset *rs, strbuf *b, subject_bytes *sb);
/* What every row cell gets first, header or body: the "cell" rules and
** the trim, as cells_clean(rs, b, 0) on a copy of s. 0 when that gives s
** back unchanged (most cells: no copy is made then), 1 when the cleaned
** text is in *out, -1 on cap or memory. */
int cells_clean_text(ruleset *rs, const char *s, strbuf *out);
/* A raw cell's text as it is read: past the spaces a layout put before
** it (a pointer into s). */
const char *cells_past_spaces(const char *s);
/* Removes ASCII whitespace and U+3000 at both ends. */
void cells_trim(strbuf *b);
/* Copies s without any whitespace into out (for keys and header parts). */
int cells_squeeze(const char *s, strbuf *out);
/* The same, added after what out holds. */
int cells_squeeze_append(const char *s, strbuf *out);
/* How many bytes of t the squeezed s is, when it starts t; (size_t)-1
** when it does not. Nothing is copied. */
size_t cells_squeezed_prefix(const char *s, const char *t);
/* Classify a (cleaned) body cell by the "amount" / "code" rules. The
** answers for short texts are kept until cells_forget(): the same text
** (in another cell, or a text that is no row's cell) is answered again
** without the rules. A row's cell is asked about by row_cell_is_*()
** below, which keep its answers with the cell itself. */
int cell_is_amount(const ruleset *rs, const char *s);
int cell_is_code(const ruleset *rs, const char *s);
/* Whether a raw row cell matches a "data" rule (kept the same way). */
int cell_is_data(const ruleset *rs, const char *s);
/* cell_is_amount() || cell_is_code(), the cell's bytes taken once. */
int cell_is_number(const ruleset *rs, const char *s);
/* The same on s[0..n) with its bytes already taken (sb is of s). */
int cell_is_number_bytes(const ruleset *rs, const char *s, size_t n,
                         subject_bytes *sb);
/* cell_is_amount(), cell_is_code(), cell_is_number() of row r's cell
** c < r->n, the answers also kept in the cell's facts byte (table.h) when
** it has one: a cell asked about again (a body cell is asked about when
** its column is noted, when the next block is matched against the table
** and when its amount is booked) is answered from its own byte, with no
** hash, memo probe or rule. */
int row_cell_is_amount(const ruleset *rs, const trow *r, size_t c);
int row_cell_is_code(const ruleset *rs, const trow *r, size_t c);
int row_cell_is_number(const ruleset *rs, const trow *r, size_t c);

/* Drops the answers kept so far (at every page: they never outlive it).
** Memory for them is taken on first use; without it nothing is kept. */
void cells_forget(ruleset *rs);

#endif
