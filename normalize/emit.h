/*
** emit.h: writing one finished table as the table-segmented stream.
**
** Promise: emit_table() writes `@@table ID CANONICAL PRINTED FIRST LAST
** UNIT`, `@@columns`, every body row padded to exactly as many cells as
** there are paths (each after its `@@from` and `@@covered` lines, origin.h),
** its `@@repair` lines (row 0 is the header), a `@@note`
** when the table has no body rows, and
** `@@end` (docs/stream.md). It changes nothing in the table. Returns 0, or
** -1 on a write error.
*/
#ifndef BUDGET_NORMALIZE_EMIT_H
#define BUDGET_NORMALIZE_EMIT_H

#include <stdio.h>

#include "table.h"

int emit_table(FILE *out, const table *t, const char *id);

#endif
