/*
** segment.h: the budget stream in, the table-segmented stream out.
**
** Promise: normalize_stream() reads records (docs/stream.md) one at a
** time (a second thread reads them a few blocks ahead and reads their
** text by the rules, readahead.h, preread.h) and
** writes each table as soon as it is complete, so it holds one table and
** the grid being read, never the document. A table starts at a
** title the rules recognise that is followed by rows; a title with no rows
** after it (目录, attachment list) is dropped, and so is a title that a
** paragraph of prose follows. Rows after a table without a new title (the
** next page's grid) continue it, its repeated header rows dropped. Title
** block lines, notes and page furniture are never rows; the unit named
** around the title goes into @@table. IDs come from the rules; a title
** without a standard ID, or a standard ID seen a second time, gets x1,
** x2, ... Everything the C code knows about titles and cells comes from
** the ruleset. Every body row is written after its `@@from` (page, box,
** line) and, where a grid's span covers its empty label cells,
** `@@covered` (origin.h). Its own output is valid input: @@table / @@columns / @@end
** are taken as given, so normalizing twice changes nothing.
**
** Returns a budget_exit status. On failure err receives one line (without
** the program name; the input's name leads it when it is about the input).
*/
#ifndef BUDGET_NORMALIZE_SEGMENT_H
#define BUDGET_NORMALIZE_SEGMENT_H

#include <stddef.h>
#include <stdio.h>

#include "rules.h"

typedef struct norm_stats {
  int tables;   /* tables written */
  int generic;  /* of them with an x ID */
} norm_stats;

int normalize_stream(ruleset *rs, FILE *in, const char *name, FILE *out,
                     norm_stats *stats, char *err, size_t errsz);

#endif
