/*
** numfmt.h: numbers written as printf writes them, without its cost.
**
** Promise: numfmt_long() writes what "%ld" does, numfmt_tenths() what
** "%.1f" does (exactly: where rounding here could differ, at a tie, a
** negative zero or a value past 1e6, it asks snprintf). They run for
** every row the stages write (@@from, provenance.csv), where printf's
** floating-point path was a third of the CSV stage's work. buf holds at
** least NUMFMT_SIZE bytes.
*/
#ifndef BUDGET_COMMON_NUMFMT_H
#define BUDGET_COMMON_NUMFMT_H

#define NUMFMT_SIZE 32

void numfmt_long(char *buf, long v);
void numfmt_tenths(char *buf, double v);

#endif
