/*
** evidence.h: damaged amounts repaired only where the document proves them.
**
** Promise: the book remembers every distinct amount (by the "amount" rules)
** of the body rows of the tables written so far, at most EVIDENCE_MAX of
** them. evidence_repair() looks at the body cells of one plain-text table
** that an "evidence" rule matches, in a column that holds decimal amounts
** elsewhere: the rule's replacement, applied to the cell, is a pattern
** the whole true value must match. When the book and the table's own
** amounts hold exactly one distinct such value, the cell becomes it and
** the repair is recorded ("@@repair", the rule's name); otherwise the cell
** keeps its printed text and one "@@note" line says that it looks damaged
** and why nothing was repaired. Nothing is ever invented.
*/
#ifndef BUDGET_NORMALIZE_EVIDENCE_H
#define BUDGET_NORMALIZE_EVIDENCE_H

#include <stdio.h>

#include "rules.h"
#include "table.h"

#define EVIDENCE_MAX 65536

typedef struct evidence_book {
  char **slot;  /* open addressing; NULL: empty */
  size_t cap, n;
} evidence_book;

void evidence_init(evidence_book *bk);
void evidence_free(evidence_book *bk);
/* Adds the table's body amounts. -1 on OOM (a full book is no error). */
int evidence_add_table(evidence_book *bk, const ruleset *rs, const table *t);
/* Repairs or reports t's damaged amounts; id names the table in notes.
** Returns the cells repaired, -1 on OOM, -2 when a note cannot be
** written. */
int evidence_repair(evidence_book *bk, ruleset *rs, table *t, const char *id,
                    FILE *out);

#endif
