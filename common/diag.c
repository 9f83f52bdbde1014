#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

static const char *program_name = "budget";
static int warnings_quiet;

void diag_set_program(const char *name) { program_name = name; }
const char *diag_program(void) { return program_name; }
void diag_set_quiet(int quiet) { warnings_quiet = quiet; }

static void print_line(const char *file, const char *kind, const char *fmt,
                       va_list ap)
{
  /* Build the line first so concurrent stages do not interleave halves. */
  char msg[1024];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (file)
    fprintf(stderr, "%s: %s: %s%s\n", program_name, file, kind, msg);
  else
    fprintf(stderr, "%s: %s%s\n", program_name, kind, msg);
}

void diag_error(const char *file, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  print_line(file, "", fmt, ap);
  va_end(ap);
}

void diag_warn(const char *file, const char *fmt, ...)
{
  if (warnings_quiet)
    return;
  va_list ap;
  va_start(ap, fmt);
  print_line(file, "warning: ", fmt, ap);
  va_end(ap);
}
