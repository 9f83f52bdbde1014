/*
** batch_long.h: every amount of a batch in one long-format CSV.
**
** Promise: long_add_document() reads one budget2csv output folder
** (document.csv, tables.csv and the table CSVs it lists, with libcsv) and
** appends one record per amount cell to the open long.csv:
**
**   document, department, year, table_id, row, code, row_label, column,
**   value, unit
**
** - an amount cell is a non-empty cell of an amount column: a column whose
**   header's last level is not a code's (编码, 代码, 编号, 类, 款, 项) and
**   whose every non-empty body cell is a number (-12.50, 0.00, 20); a
**   placeholder (-, —) counts as empty. 0.00 is a printed value and is
**   kept. Table 14 is a form of text, not a grid of amounts: no records.
** - row is the body row in the table's CSV (1 = the row under the header).
** - row_label is the label of the value's own half of the table: among
**   the text columns just left of the block of amount columns holding the
**   value (in 01, 收入/项目 for 收入/金额 and 支出/项目 for 支出/金额), the
**   first non-empty one whose header says 名称, else the rightmost
**   non-empty one, else a text that is no code in a code column (合计
**   printed under 科目编码), else the nearest text further left in the
**   row (a label printed across two halves).
** - code is the row's code in its own column, for a pivot to group by:
**   the first code (a cell starting with a digit) that stretch gives, its
**   levels joined (科目编码 类/款/项 → 2080505; of 06's 部门 and 政府
**   classifications printed side by side, the first the row fills, as its
**   label is); a level left empty under a merged cell takes the value of
**   the row above, as the clean CSV leaves it to the first row of a span.
** - column is the value's header path; unit the table's (万元, 元).
** Records follow the document order, then tables.csv's order, rows,
** columns: the same folders give the same bytes.
**
** long_opts says how budget2csv wrote the folders (budget-batch passes
** its options on to it):
** - page_column: each table CSV's last column `page` is where the row was
**   printed, not an amount column: long.csv gets an 11th column `page`
**   with it (empty for a CSV without that column);
** - excel: a cell written as the formula ="03" is read back as 03, so
**   codes join and labels read as without the option; long.csv writes
**   any field a spreadsheet would turn into a number (sheet.h) the same
**   way, after a BOM;
** - fill-down needs nothing here: the filled labels are in the CSVs, so a
**   row under a label merged down takes it as its row_label like the
**   span's first row does (a 名称 column wins over the rightmost label).
**
** Failure: long_add_document() returns a budget_exit status with one
** line in err (a folder without tables.csv: BUDGET_EXIT_NO_INPUT; a
** malformed CSV: BUDGET_EXIT_BAD_TEXT; a write error: BUDGET_EXIT_OUTPUT;
** memory or a CSV over LONG_MAX_CSV_BYTES: BUDGET_EXIT_RESOURCE).
*/
#ifndef BUDGET_BATCH_LONG_H
#define BUDGET_BATCH_LONG_H

#include <stddef.h>
#include <stdio.h>

#define LONG_MAX_CSV_BYTES (512u * 1024u * 1024u)

typedef struct long_opts {
  int bom;         /* a UTF-8 BOM before the header (implied by excel) */
  int page_column; /* the folders' CSVs end with a `page` column */
  int excel;       /* their codes are ="…" formulas; long.csv's too */
} long_opts;

/* The header record. 0 or -1 on a write error. */
int long_write_header(FILE *out, const long_opts *o);

/* *records (may be NULL) gets the number of records written. */
int long_add_document(FILE *out, const char *docname, const char *folder,
                      const long_opts *o, size_t *records, char *err,
                      size_t errsz);

#endif
