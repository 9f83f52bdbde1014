/*
** provenance.h: provenance.csv, where every CSV row came from.
**
** Promise: one record per body row of every table written, in the order
** the tables and rows are written: `table, row, page, x0, y0, x1, y1,
** line`, where row counts the table CSV's body rows from 1 (its header is
** row 0), page is the page the row was printed on, x0..y1 the row's box on
** that page in points (origin top-left; empty for text input), and line
** the row's line in budget-normalize's input (the budget-extract stream
** for a PDF, the document itself for text). Fields the stream did not give
** (no @@from) are empty. Same clean-CSV form as the tables (csv_writer.h).
**
** Failure: 0, or -1 on a write error (errno from stdio).
*/
#ifndef BUDGET_CSV_PROVENANCE_H
#define BUDGET_CSV_PROVENANCE_H

#include <stdio.h>

#include "table_reader.h"

#define PROVENANCE_FILE "provenance.csv"

int provenance_write_header(FILE *out, int bom);
int provenance_write_table(FILE *out, const tbl_table *t);

#endif
