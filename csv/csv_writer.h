/*
** csv_writer.h: one table, or the tables.csv index, as clean CSV.
**
** Promises the clean-CSV shape of standard-tables.md: UTF-8 as given,
** RFC 4180 fields, CRLF after every record, one header row. A field is
** quoted (by libcsv, doubling inner quotes) only when it holds a comma, a
** quote, CR or LF, or when it is the only field of a record and empty, so
** the bytes match what spreadsheet tools and Python's csv module write.
** The same table always gives the same bytes.
**
** Ownership: nothing is kept; the caller owns the FILE and the table.
** Failure: every function returns 0, or -1 when a write to the FILE failed
** (errno from stdio); the FILE's content is then undefined and the caller
** discards it.
*/
#ifndef BUDGET_CSV_WRITER_H
#define BUDGET_CSV_WRITER_H

#include <stdio.h>

#include "table_reader.h"

/* The UTF-8 byte-order mark Excel needs to read UTF-8. */
#define CSVOUT_BOM "\xEF\xBB\xBF"

/* One record of n fields, then CRLF. */
int csvout_write_record(FILE *out, const char *const *fields, size_t n);

/* Header row then every row of t; the BOM first when bom is set. */
int csvout_write_table(FILE *out, const tbl_table *t, int bom);

/* The index: its header record, then one record per table. */
int csvout_write_index_header(FILE *out, int bom);
int csvout_write_index_row(FILE *out, const tbl_table *t);

/* document.csv: the header source, department, year, pages, then fields
** in that order. */
int csvout_write_document(FILE *out, const char *const fields[4], int bom);

#endif
