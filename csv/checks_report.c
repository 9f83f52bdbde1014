/* checks_report.c: checks.csv and the summary line (checks_report.h). */
#include "checks_report.h"

#include "diag.h"

int chk_write_file(const chk_run *c, outdir *d, int bom, int excel)
{
  FILE *f = outdir_open(d, "checks.csv");
  if (!f)
    return -1;
  int bad = chk_write_csv(c, f, bom, excel) != 0;
  if (outdir_close(d, f) != 0 || bad)
    return -1;
  return 0;
}

void chk_print_summary(const chk_run *c, FILE *err)
{
  size_t n = chk_checked(c), k = chk_differs(c);
  if (k == 0)
    fprintf(err, "%s: checks: %zu sum%s checked, all add up\n",
            diag_program(), n, n == 1 ? "" : "s");
  else
    fprintf(err,
            "%s: checks: %zu sum%s checked, %zu do%s not add up as printed "
            "(see checks.csv; a finding about the document, not a tool "
            "error)\n",
            diag_program(), n, n == 1 ? "" : "s", k, k == 1 ? "es" : "");
}
