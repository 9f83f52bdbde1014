/*
** libFuzzer harness: the rule-file parser (rules/README.md) on arbitrary
** text. A bad file must give an error naming file and line, not a crash.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *text = malloc(size + 1);
  if (!text)
    return 0;
  memcpy(text, data, size);
  text[size] = '\0';
  ruleset rs;
  memset(&rs, 0, sizeof rs);
  char err[512];
  if (ruleset_load_text(&rs, "fuzz.rules", text, err, sizeof err) == 0)
    ruleset_free(&rs);
  free(text);
  return 0;
}
