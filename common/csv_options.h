/*
** csv_options.h: the output options of budget-csv that budget2csv takes
** too and hands on to it. One initializer (a cli_option of cli.h) each,
** so the two programs' --help say the same of them.
*/
#ifndef BUDGET_CSV_OPTIONS_H
#define BUDGET_CSV_OPTIONS_H

#define CSV_OPTION_OUTPUT                                                    \
  {"output", 'o', "DIR",                                                     \
   "write <ID>.csv per table, tables.csv, document.csv and checks.csv "     \
   "(the sums that do not add up) into DIR"}
#define CSV_OPTION_TABLE                                                     \
  {"table", 0, "ID", "write only table ID (03, x1) to stdout"}
#define CSV_OPTION_BOM                                                       \
  {"bom", 0, NULL, "start each CSV with a UTF-8 BOM (Excel)"}
#define CSV_OPTION_FILL_DOWN                                                 \
  {"fill-down", 0, NULL, "repeat a label merged down over rows in each row"}
#define CSV_OPTION_EXCEL                                                     \
  {"excel", 0, NULL,                                                         \
   "keep codes such as 03 text in Excel (=\"03\"); implies --bom"}
#define CSV_OPTION_PAGE_COLUMN                                               \
  {"page-column", 0, NULL,                                                   \
   "add a last column 'page': where each row was printed"}

#endif
