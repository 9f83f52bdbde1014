/* spawn: chains of processes, per-stage stderr, whom to blame. */
#include <criterion/criterion.h>
#include <signal.h>

#include "helpers.h"
#include "spawn.h"

/* Runs the chain with stdin from /dev/null (or the prefix) and stdout
** into a file; returns what the last stage wrote. */
static char *run_chain(char **const argvs[], size_t n, const char *prefix,
                       spawn_result *res)
{
  char *dir = h_tmpdir();
  char *outp = h_fmt("%s/out", dir);
  int out = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int in = open("/dev/null", O_RDONLY);
  cr_assert(out >= 0 && in >= 0);
  char err[256];
  int rc = spawn_run(argvs, n, in, prefix, prefix ? strlen(prefix) : 0, out,
                     res, err, sizeof err);
  cr_assert_eq(rc, 0, "%s", err);
  close(out);
  close(in);
  char *text = h_read(outp, NULL);
  h_rm_rf(dir);
  free(outp);
  free(dir);
  return text;
}

Test(spawn, stages_are_joined_by_pipes)
{
  char *a[] = {"/bin/echo", "b\na", NULL};
  char *b[] = {"/usr/bin/sort", NULL};
  char *c[] = {"/usr/bin/tr", "ab", "xy", NULL};
  char **const argvs[] = {a, b, c};
  spawn_result res[3];
  char *out = run_chain(argvs, 3, NULL, res);
  cr_assert_str_eq(out, "x\ny\n");
  cr_assert_eq(spawn_blame(res, 3), -1);
  for (int i = 0; i < 3; i++)
    cr_assert_str_eq(res[i].err, "");
  spawn_results_free(res, 3);
  free(out);
}

Test(spawn, prefix_is_fed_before_the_rest_of_stdin)
{
  char *a[] = {"/bin/cat", NULL};
  char **const argvs[] = {a};
  spawn_result res[1];
  char *out = run_chain(argvs, 1, "%PDF-sniffed", res);
  cr_assert_str_eq(out, "%PDF-sniffed");
  spawn_results_free(res, 1);
  free(out);
}

Test(spawn, stderr_is_kept_per_stage)
{
  char *a[] = {"/bin/sh", "-c", "echo one >&2; echo data", NULL};
  char *b[] = {"/bin/sh", "-c", "cat; echo two >&2", NULL};
  char **const argvs[] = {a, b};
  spawn_result res[2];
  char *out = run_chain(argvs, 2, NULL, res);
  cr_assert_str_eq(out, "data\n");
  cr_assert_str_eq(res[0].err, "one\n");
  cr_assert_str_eq(res[1].err, "two\n");
  spawn_results_free(res, 2);
  free(out);
}

Test(spawn, blame_skips_a_sigpipe_victim)
{
  /* yes dies of SIGPIPE when head quits; head then fails on purpose. */
  char *a[] = {"/usr/bin/yes", NULL};
  char *b[] = {"/bin/sh", "-c", "head -n 1 >/dev/null; exit 9", NULL};
  char **const argvs[] = {a, b};
  spawn_result res[2];
  char *out = run_chain(argvs, 2, NULL, res);
  cr_assert(WIFSIGNALED(res[0].status));
  cr_assert_eq(WTERMSIG(res[0].status), SIGPIPE);
  cr_assert_eq(spawn_blame(res, 2), 1);
  spawn_results_free(res, 2);
  free(out);
}

Test(spawn, first_real_failure_is_blamed)
{
  char *a[] = {"/bin/sh", "-c", "exit 4", NULL};
  char *b[] = {"/bin/sh", "-c", "cat >/dev/null; exit 7", NULL};
  char **const argvs[] = {a, b};
  spawn_result res[2];
  char *out = run_chain(argvs, 2, NULL, res);
  cr_assert_eq(spawn_blame(res, 2), 0);
  cr_assert_eq(WEXITSTATUS(res[0].status), 4);
  spawn_results_free(res, 2);
  free(out);
}

Test(spawn, a_program_that_cannot_run_exits_12_with_one_line)
{
  char *a[] = {"/nonexistent/stage", NULL};
  char **const argvs[] = {a};
  spawn_result res[1];
  char *out = run_chain(argvs, 1, NULL, res);
  cr_assert(WIFEXITED(res[0].status));
  cr_assert_eq(WEXITSTATUS(res[0].status), 12);
  cr_assert_eq(h_lines(res[0].err), 1, "%s", res[0].err);
  cr_assert(strstr(res[0].err, "/nonexistent/stage: cannot run"), "%s",
            res[0].err);
  spawn_results_free(res, 1);
  free(out);
}

Test(spawn, bad_stage_count_is_refused)
{
  spawn_result res[1];
  char err[128];
  cr_assert_eq(spawn_run(NULL, 0, 0, NULL, 0, 1, res, err, sizeof err), -1);
  cr_assert_str_eq(err, "bad stage count 0");
}

Test(spawn, a_flood_on_stderr_neither_blocks_nor_grows_without_bound)
{
  /* 1 MB on stderr, far past a pipe's buffer and the kept cap. */
  char *a[] = {"/bin/sh", "-c",
               "head -c 1000000 /dev/zero | tr '\\0' x >&2; echo done", NULL};
  char **const argvs[] = {a};
  spawn_result res[1];
  char *out = run_chain(argvs, 1, NULL, res);
  cr_assert_str_eq(out, "done\n");
  cr_assert_eq(spawn_blame(res, 1), -1);
  size_t n = strlen(res[0].err);
  cr_assert(n > 0 && n <= SPAWN_STDERR_CAP, "kept %zu bytes", n);
  spawn_results_free(res, 1);
  free(out);
}
