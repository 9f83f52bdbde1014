/*
** The normalizer replays inputs kept from fuzzing: tests/data/fuzz/normalize/
** (committed: a spread of the libFuzzer corpus, and every input that ever
** crashed, named crash-*) and fuzz/crashes/normalize/ when a local fuzz run
** left one there. Each must end in a documented status with a message
** exactly when it fails; under the sanitizer build any memory error or
** undefined behaviour fails the test too.
*/
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "segment.h"
#include "project_rules.h"

static int replay_folder(ruleset *rs, const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *in = fopen(path, "rb");
    cr_assert_not_null(in, "%s", path);
    char *out = NULL;
    size_t outlen = 0;
    FILE *o = open_memstream(&out, &outlen);
    cr_assert_not_null(o);
    char err[1024] = "";
    norm_stats st;
    int status = normalize_stream(rs, in, path, o, &st, err, sizeof err);
    fclose(o);
    fclose(in);
    cr_assert(status == BUDGET_EXIT_OK || status == BUDGET_EXIT_NO_TABLES ||
                  status == BUDGET_EXIT_BAD_TEXT ||
                  status == BUDGET_EXIT_RESOURCE,
              "%s: undocumented status %d (%s)", path, status, err);
    if (status == BUDGET_EXIT_OK)
      cr_assert_str_eq(err, "", "%s: succeeded with a message", path);
    else
      cr_assert(strstr(err, path) == err, "%s: message does not name it: %s",
                path, err);
    free(out);
    n++;
  }
  closedir(d);
  return n;
}

Test(normalize_replay, fuzz_inputs_end_in_a_documented_status)
{
  ruleset rs;
  load_project_rules(&rs);
  int kept = replay_folder(&rs, TEST_SOURCE_DIR "/tests/data/fuzz/normalize");
  cr_assert_geq(kept, 20, "the committed fuzz inputs are missing");
  replay_folder(&rs, TEST_SOURCE_DIR "/fuzz/crashes/normalize");
  ruleset_free(&rs);
}
