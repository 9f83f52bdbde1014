/*
** libFuzzer harness: budget-csv's table reader and CSV writer on an
** arbitrary table-segmented stream.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

#include "csv_writer.h"
#include "table_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  FILE *in = fmemopen((void *)data, size, "rb");
  FILE *out = fopen("/dev/null", "wb");
  if (in && out) {
    tbl_reader *r = tbl_reader_new(in, "fuzz");
    tbl_table t;
    while (r && tbl_reader_next(r, &t) == TBL_OK)
      csvout_write_table(out, &t, 1);
    tbl_reader_free(r);
  }
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  return 0;
}
