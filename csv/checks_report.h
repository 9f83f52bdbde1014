/*
** checks_report.h: the checks (checks.h) written where budget-csv -o
** writes: checks.csv into the staging folder, so it arrives with the
** tables or not at all, and one summary line on stderr.
**
** The summary reads `budget-csv: checks: N sums checked, all add up` or
** `…, K do not add up as printed (see checks.csv; a finding about the
** document, not a tool error)`: a finding never changes the exit status.
*/
#ifndef BUDGET_CHECKS_REPORT_H
#define BUDGET_CHECKS_REPORT_H

#include <stdio.h>

#include "checks.h"
#include "outdir.h"

/* Writes checks.csv into d; 0, or -1 with outdir_error(d) set. */
int chk_write_file(const chk_run *c, outdir *d, int bom, int excel);

/* The one summary line, prefixed with diag_program(). */
void chk_print_summary(const chk_run *c, FILE *err);

#endif
