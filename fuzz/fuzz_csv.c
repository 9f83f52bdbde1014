/*
** libFuzzer harness: budget-csv's table reader, CSV writers (the plain
** one, the spreadsheet options of sheet.h, provenance.csv) and sum checks
** on an arbitrary table-segmented stream.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

#include "checks.h"
#include "csv_writer.h"
#include "provenance.h"
#include "sheet.h"
#include "table_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  FILE *in = fmemopen((void *)data, size, "rb");
  FILE *out = fopen("/dev/null", "wb");
  if (in && out) {
    tbl_reader *r = tbl_reader_new(in, "fuzz");
    chk_run *c = chk_new();
    tbl_table t;
    while (r && c && tbl_reader_next(r, &t) == TBL_OK) {
      sheet_opts all = {1, 1, 1, 1};
      csvout_write_table(out, &t, 1);
      sheet_write_table(out, &t, &all);
      provenance_write_table(out, &t);
      chk_add_table(c, &t);
    }
    if (c && chk_finish(c) == 0)
      chk_write_csv(c, out, 0, 0);
    chk_free(c);
    tbl_reader_free(r);
  }
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  return 0;
}
