/*
** diag.h: one-line diagnostics on stderr.
**
** The contract with users: every failure prints exactly one line
**   <program>: <file>: <problem>
** on stderr (no file part when there is none), and stdout carries only
** machine-readable data. Warnings use the same shape with "warning: ".
*/
#ifndef BUDGET_DIAG_H
#define BUDGET_DIAG_H

/* Sets the program name used as the line prefix; keeps the pointer. */
void diag_set_program(const char *name);
const char *diag_program(void);

/* Prints "<program>: <file>: <message>\n". file may be NULL. */
void diag_error(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "<program>: <file>: warning: <message>\n" unless quiet was set. */
void diag_warn(const char *file, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Silences diag_warn (errors are never silenced). */
void diag_set_quiet(int quiet);

#endif
