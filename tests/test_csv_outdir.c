/* outdir: the output folder is replaced whole, never half-written. */
#include <criterion/criterion.h>

#include "helpers.h"
#include "outdir.h"

static void put(outdir *d, const char *name, const char *text)
{
  FILE *f = outdir_open(d, name);
  cr_assert_not_null(f, "%s", outdir_error(d));
  cr_assert(fputs(text, f) >= 0);
  cr_assert_eq(outdir_close(d, f), 0, "%s", outdir_error(d));
}

static void check_file(const char *dir, const char *name, const char *want)
{
  char *p = h_fmt("%s/%s", dir, name);
  char *got = h_read(p, NULL);
  cr_assert_not_null(got, "%s missing", p);
  cr_assert_str_eq(got, want, "%s", p);
  free(got);
  free(p);
}

Test(outdir, new_folder_is_created_with_the_staged_files)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/a/b/out", tmp); /* parents made as needed */
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "03.csv", "x\r\n");
  put(d, "tables.csv", "id\r\n");
  cr_assert_not(h_exists(final), "nothing visible before commit");
  cr_assert_eq(outdir_commit(d), 0, "%s", outdir_error(d));
  outdir_free(d);
  char *l = h_listing(final);
  cr_assert_str_eq(l, "03.csv\ntables.csv\n");
  free(l);
  char *parent = h_fmt("%s/a/b", tmp);
  l = h_listing(parent);
  cr_assert_str_eq(l, "out\n", "no staging left: %s", l);
  free(l);
  free(parent);
  h_rm_rf(tmp);
  free(final);
  free(tmp);
}

Test(outdir, replace_removes_stale_tables_and_keeps_other_files)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out", tmp);
  cr_assert_eq(mkdir(final, 0777), 0);
  const char *old[] = {"03.csv", "05.csv", "x2.csv", "tables.csv",
                       "notes.txt", "03_copy.csv", "report.csv"};
  for (size_t i = 0; i < sizeof old / sizeof old[0]; i++) {
    char *p = h_fmt("%s/%s", final, old[i]);
    h_write_str(p, "old");
    free(p);
  }
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "03.csv", "new03");
  put(d, "09.csv", "new09");
  put(d, "tables.csv", "newindex");
  cr_assert_eq(outdir_commit(d), 0, "%s", outdir_error(d));
  outdir_free(d);
  char *l = h_listing(final);
  cr_assert_str_eq(l, "03.csv\n03_copy.csv\n09.csv\nnotes.txt\nreport.csv\n"
                      "tables.csv\n");
  free(l);
  check_file(final, "03.csv", "new03");
  check_file(final, "09.csv", "new09");
  check_file(final, "tables.csv", "newindex");
  check_file(final, "notes.txt", "old");
  l = h_listing(tmp);
  cr_assert_str_eq(l, "out\n", "no staging left: %s", l);
  free(l);
  h_rm_rf(tmp);
  free(final);
  free(tmp);
}

Test(outdir, abort_leaves_the_old_folder_and_nothing_else)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out", tmp);
  cr_assert_eq(mkdir(final, 0777), 0);
  char *old = h_fmt("%s/01.csv", final);
  h_write_str(old, "old01");
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "01.csv", "new01");
  FILE *open_one = outdir_open(d, "02.csv"); /* left open on purpose */
  cr_assert_not_null(open_one);
  fputs("half", open_one);
  fclose(open_one);
  outdir_abort(d);
  outdir_abort(d); /* twice is safe */
  outdir_free(d);
  check_file(final, "01.csv", "old01");
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "out\n");
  free(l);
  l = h_listing(final);
  cr_assert_str_eq(l, "01.csv\n");
  free(l);
  h_rm_rf(tmp);
  free(old);
  free(final);
  free(tmp);
}

Test(outdir, free_without_commit_aborts)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out", tmp);
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "01.csv", "x");
  cr_assert(h_exists(outdir_staging_path(d)));
  outdir_free(d);
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "");
  free(l);
  outdir_free(NULL);
  h_rm_rf(tmp);
  free(final);
  free(tmp);
}

Test(outdir, abort_removes_the_parent_folders_it_made)
{
  char *tmp = h_tmpdir();
  char *keep = h_fmt("%s/keep", tmp);
  cr_assert_eq(mkdir(keep, 0777), 0);
  char *final = h_fmt("%s/keep/new/deeper/out", tmp);
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "01.csv", "x");
  outdir_free(d);
  char *l = h_listing(keep);
  cr_assert_str_eq(l, "", "made parents removed, existing one kept");
  free(l);
  h_rm_rf(tmp);
  free(final);
  free(keep);
  free(tmp);
}

Test(outdir, staging_sits_beside_the_final_folder_and_is_hidden)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out/", tmp); /* trailing slash is fine */
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  const char *s = outdir_staging_path(d);
  char *want = h_fmt("%s/.budget-csv-", tmp);
  cr_assert(strncmp(s, want, strlen(want)) == 0, "%s", s);
  free(want);
  outdir_free(d);
  h_rm_rf(tmp);
  free(final);
  free(tmp);
}

Test(outdir, final_path_that_is_a_file_fails_and_keeps_it)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out", tmp);
  h_write_str(final, "a file");
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "01.csv", "x");
  cr_assert_eq(outdir_commit(d), -1);
  cr_assert(strstr(outdir_error(d), final) != NULL, "%s", outdir_error(d));
  outdir_free(d);
  char *got = h_read(final, NULL);
  cr_assert_str_eq(got, "a file");
  free(got);
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "out\n");
  free(l);
  h_rm_rf(tmp);
  free(final);
  free(tmp);
}

Test(outdir, symlink_to_a_folder_is_a_folder)
{
  char *tmp = h_tmpdir();
  char *real = h_fmt("%s/real", tmp), *link = h_fmt("%s/link", tmp);
  cr_assert_eq(mkdir(real, 0777), 0);
  cr_assert_eq(symlink("real", link), 0);
  char err[256];
  outdir *d = outdir_begin(link, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "01.csv", "x");
  cr_assert_eq(outdir_commit(d), 0, "%s", outdir_error(d));
  outdir_free(d);
  check_file(real, "01.csv", "x");
  cr_assert(h_exists(link), "the link itself stays");
  struct stat st;
  cr_assert_eq(lstat(link, &st), 0);
  cr_assert(S_ISLNK(st.st_mode));
  h_rm_rf(tmp);
  free(real);
  free(link);
  free(tmp);
}

Test(outdir, unwritable_parent_is_one_line_naming_it)
{
  if (geteuid() == 0)
    cr_skip_test("root writes anywhere");
  char err[256];
  outdir *d = outdir_begin("/proc/budget-test/out", err, sizeof err);
  cr_assert_null(d);
  cr_assert(strstr(err, "/proc") != NULL, "%s", err);
  cr_assert_null(strchr(err, '\n'));
}

Test(outdir, missing_parent_that_cannot_be_made_fails)
{
  char err[256];
  outdir *d = outdir_begin("/proc/self/status/out", err, sizeof err);
  cr_assert_null(d);
  cr_assert(strstr(err, "/proc/self/status") != NULL, "%s", err);
}

Test(outdir, replace_from_moves_a_folder_written_by_another_process)
{
  char *tmp = h_tmpdir();
  char *staged = h_fmt("%s/staged", tmp), *final = h_fmt("%s/out", tmp);
  cr_assert_eq(mkdir(staged, 0777), 0);
  cr_assert_eq(mkdir(final, 0777), 0);
  char *p = h_fmt("%s/07.csv", final);
  h_write_str(p, "stale");
  free(p);
  p = h_fmt("%s/keep.txt", final);
  h_write_str(p, "mine");
  free(p);
  p = h_fmt("%s/01.csv", staged);
  h_write_str(p, "one");
  free(p);
  p = h_fmt("%s/tables.csv", staged);
  h_write_str(p, "index");
  free(p);
  char err[256];
  cr_assert_eq(outdir_replace_from(staged, final, err, sizeof err), 0, "%s",
               err);
  char *l = h_listing(final);
  cr_assert_str_eq(l, "01.csv\nkeep.txt\ntables.csv\n");
  free(l);
  cr_assert_not(h_exists(staged));
  h_rm_rf(tmp);
  free(staged);
  free(final);
  free(tmp);
}

Test(outdir, managed_names_and_ids)
{
  cr_assert(outdir_is_managed("01.csv"));
  cr_assert(outdir_is_managed("15.csv"));
  cr_assert(outdir_is_managed("x1.csv"));
  cr_assert(outdir_is_managed("x12.csv"));
  cr_assert(outdir_is_managed("tables.csv"));
  cr_assert(outdir_is_managed("document.csv"));
  cr_assert_not(outdir_is_managed("1.csv"));
  cr_assert_not(outdir_is_managed("001.csv"));
  cr_assert_not(outdir_is_managed("01.CSV"));
  cr_assert_not(outdir_is_managed("01.csv.bak"));
  cr_assert_not(outdir_is_managed("x.csv"));
  cr_assert_not(outdir_is_managed("notes.txt"));
  cr_assert_not(outdir_is_managed(".csv"));
  cr_assert(outdir_valid_id("03"));
  cr_assert(outdir_valid_id("x2"));
  cr_assert_not(outdir_valid_id("3"));
  cr_assert_not(outdir_valid_id("../x"));
  cr_assert_not(outdir_valid_id("x"));
  cr_assert_not(outdir_valid_id(""));
  cr_assert_not(outdir_valid_id("0a"));
}

Test(outdir, remove_tree_removes_nested_folders)
{
  char *tmp = h_tmpdir();
  char *sub = h_fmt("%s/a/b", tmp);
  char *a = h_fmt("%s/a", tmp);
  cr_assert_eq(mkdir(a, 0777), 0);
  cr_assert_eq(mkdir(sub, 0777), 0);
  char *f = h_fmt("%s/f", sub);
  h_write_str(f, "x");
  outdir_remove_tree(a);
  cr_assert_not(h_exists(a));
  h_rm_rf(tmp);
  free(f);
  free(a);
  free(sub);
  free(tmp);
}

/* Old tables are swapped out, not renamed over; whatever is not a file
** under a table's name stays, and the commit says why it failed. */
Test(outdir, folder_under_a_table_name_is_kept_and_fails_the_commit)
{
  char *tmp = h_tmpdir();
  char *final = h_fmt("%s/out", tmp);
  char *inner = h_fmt("%s/05.csv", final);
  cr_assert_eq(mkdir(final, 0777), 0);
  cr_assert_eq(mkdir(inner, 0777), 0);
  char *keep = h_fmt("%s/mine.txt", inner);
  h_write_str(keep, "mine");
  char *old = h_fmt("%s/03.csv", final);
  h_write_str(old, "old03");
  char err[256];
  outdir *d = outdir_begin(final, err, sizeof err);
  cr_assert_not_null(d, "%s", err);
  put(d, "03.csv", "new03");
  put(d, "05.csv", "new05");
  cr_assert_neq(outdir_commit(d), 0);
  cr_assert(strstr(outdir_error(d), "05.csv"), "%s", outdir_error(d));
  outdir_free(d);
  check_file(inner, "mine.txt", "mine");
  check_file(final, "03.csv", "new03");
  char *l = h_listing(tmp);
  cr_assert_str_eq(l, "out\n", "no staging left: %s", l);
  free(l);
  h_rm_rf(tmp);
  free(old);
  free(keep);
  free(inner);
  free(final);
  free(tmp);
}
