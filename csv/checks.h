/*
** checks.h: do the printed sums of a budget add up?
**
** A pure module: tables go in (as tbl_table, the parsed table stream), a
** list of findings comes out; nothing is read or written but the FILE
** given to chk_write_csv(). Which checks exist is data (the rule table in
** checks.c, one line per table ID); the kinds are:
**
**   column total   a 合计/总计/小计 column (and 09's “三公”经费合计, 15's
**                  资金总额) equals the sum of its sibling columns under the
**                  same header parent; a sibling group with its own 小计
**                  counts as that 小计, 其中 columns are a part of their
**                  sibling and never added.
**   row total      the 合计/总计/共计 row (or a first row with no label)
**                  equals the sum of the rows it totals: the top-level rows
**                  after it (03, 05 …), or those since the previous total
**                  above it (01's 本年收入合计, 收入总计 = 本年收入合计 +
**                  上年结转结余).
**   row subtotal   a row that heads others equals the sum of the rows one
**                  level below it: 类 = its 款 rows, 款 = its 项 rows (by
**                  the 科目编码 columns, split or one code), a unit row
**                  (单位代码) = its rows, 一、 = its (一)(二)… rows.
**   cross-table    totals of different tables that describe the same money
**                  ("03 合计 = 01 本年支出合计", "12 合计 = 03 项目支出").
**
** Amounts are compared exactly, as integers in units of 0.0001: a cell is
** an amount when it reads -?digits[.digits] with at most 4 decimals.
** Any other non-empty cell (text, "-") is not an amount: a sum with such a
** part is not checked, nor one whose total is text. An empty part adds
** nothing, and a sum whose parts are all empty is not checked. An empty
** total counts as 0 in a column total (a 合计 cell left empty beside its
** parts is a finding: most often a misread header) but is not checked in
** a row or cross-table total (a layout may print a total row's amount
** under another side of a merged row).
** The expected value is printed with as many decimals as the most precise
** cell involved.
**
** Rows are numbered as the CSV file's lines (the header is line 1), so a
** spreadsheet shows the same number. Findings come in the order found.
**
** Ownership: chk_add_table() copies what it keeps (the few totals the
** cross-table checks need, the findings); the table may go right after.
** Failure: chk_new() returns NULL and chk_add_table()/chk_finish() -1 only
** when memory runs out; chk_write_csv() returns -1 on a write error.
*/
#ifndef BUDGET_CHECKS_H
#define BUDGET_CHECKS_H

#include <stddef.h>
#include <stdio.h>

#include "table_reader.h"

typedef struct chk_finding {
  const char *table;      /* "03" */
  long row;               /* CSV line of the printed cell (header = 1) */
  const char *column;     /* the column's header path */
  const char *check;      /* "column total", "03 合计 = 01 本年支出合计" … */
  const char *expected;   /* the sum, as an amount */
  const char *printed;    /* the cell as printed ("" when empty) */
  const char *difference; /* printed - expected */
} chk_finding;

typedef struct chk_run chk_run;

chk_run *chk_new(void);
void chk_free(chk_run *c);

/* Runs the checks of one table (by its ID; table 14 and unknown layouts
** get the column checks only, where they apply). */
int chk_add_table(chk_run *c, const tbl_table *t);

/* Runs the cross-table checks over the tables added so far. Call once,
** after the last chk_add_table(). */
int chk_finish(chk_run *c);

size_t chk_checked(const chk_run *c);  /* sums compared */
size_t chk_differs(const chk_run *c);  /* of those, not adding up */
const chk_finding *chk_finding_at(const chk_run *c, size_t i);

/* checks.csv: header `table,row,column,check,expected,printed,difference`,
** then one record per finding (clean CSV, as csv_writer.h writes); with
** excel, table IDs as sheet_id_text() gives them. */
int chk_write_csv(const chk_run *c, FILE *out, int bom, int excel);

#endif
