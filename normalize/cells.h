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

int cells_clean(ruleset *rs, strbuf *b, int body);
/* Removes ASCII whitespace and U+3000 at both ends. */
void cells_trim(strbuf *b);
/* Copies s without any whitespace into out (for keys and header parts). */
int cells_squeeze(const char *s, strbuf *out);
/* Classify a (cleaned) body cell by the "amount" / "code" rules. */
int cell_is_amount(const ruleset *rs, const char *s);
int cell_is_code(const ruleset *rs, const char *s);
/* cell_is_amount() || cell_is_code(), the cell's bytes taken once. */
int cell_is_number(const ruleset *rs, const char *s);

#endif
