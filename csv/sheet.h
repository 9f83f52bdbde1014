/*
** sheet.h: a table written for spreadsheets, as the user asked.
**
** Promise: sheet_write_table() writes what csvout_write_table() writes
** (the clean CSV, byte for byte) when no option is set. Options:
**   fill_down    a cell covered by a label merged down from the row above
**                (tbl_table.covered, from @@covered) gets the text that
**                row has in that column, after its own fill; no other cell
**                changes, so an empty cell without span evidence stays
**                empty;
**   excel        a code a spreadsheet would turn into a number (digits
**                alone, with a leading zero or more than 11 of them: `03`,
**                a 21-digit project code) is written as the text formula
**                `="03"`, which Excel and LibreOffice show as the text 03;
**                implies the BOM;
**   page_column  a last column `page` with the page each row was printed
**                on (empty when the stream did not say).
** The same table and options always give the same bytes.
**
** Ownership: nothing is kept. Failure: returns 0, or -1 on a write error
** or when memory runs out (errno set).
*/
#ifndef BUDGET_CSV_SHEET_H
#define BUDGET_CSV_SHEET_H

#include <stdio.h>

#include "table_reader.h"

typedef struct sheet_opts {
  int bom;
  int fill_down;
  int excel;
  int page_column;
} sheet_opts;

int sheet_write_table(FILE *out, const tbl_table *t, const sheet_opts *o);

/* 1 when s is a code Excel would mangle (see above). */
int sheet_excel_code(const char *s);

/* A table ID (03, x1) as the index, provenance and checks files write it:
** with excel set and an ID Excel would turn into a number, `="03"` in buf
** (SHEET_ID_TEXT bytes); else id itself. */
#define SHEET_ID_TEXT 40
const char *sheet_id_text(const char *id, int excel, char buf[SHEET_ID_TEXT]);

#endif
