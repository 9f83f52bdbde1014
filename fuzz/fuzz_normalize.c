/*
** libFuzzer harness: budget-normalize's input parser and segmenter on
** arbitrary bytes, with the project's real rule files (loaded once).
** Any input must end in a status, never a crash, hang or sanitizer report.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules.h"
#include "segment.h"

static ruleset rules;
static int loaded;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char err[512];
  if (!loaded) {
    if (ruleset_load_dir(&rules, BUDGET_SOURCE_DIR "/rules", err,
                         sizeof err) != 0) {
      fprintf(stderr, "fuzz_normalize: %s\n", err);
      abort();
    }
    loaded = 1;
  }
  FILE *in = fmemopen((void *)data, size, "rb");
  FILE *out = fopen("/dev/null", "wb");
  if (in && out) {
    norm_stats st;
    normalize_stream(&rules, in, "fuzz", out, &st, err, sizeof err);
  }
  if (in)
    fclose(in);
  if (out)
    fclose(out);
  return 0;
}
