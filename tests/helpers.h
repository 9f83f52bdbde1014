/*
** helpers.h: what the tests that run the built programs share.
**
** Header-only (static functions), included by tests/test_*.c; it is not a
** test itself (the glob only takes test_*.c). Every helper fails the
** current Criterion test on a system error, so callers need no checks.
**
** Paths: the programs are found in $BUDGET_BIN_DIR and the source tree in
** $BUDGET_HOME (CTest sets both); when run by hand the build's own values
** (TEST_BINARY_DIR, TEST_SOURCE_DIR) stand in.
*/
#ifndef BUDGET_TEST_HELPERS_H
#define BUDGET_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A malloc'd string from printf arguments. */
__attribute__((format(printf, 1, 2), unused)) static char *
h_fmt(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  cr_assert(n >= 0);
  char *s = malloc((size_t)n + 1);
  cr_assert_not_null(s);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

__attribute__((unused)) static const char *h_bin_dir(void)
{
  const char *d = getenv("BUDGET_BIN_DIR");
  return d && *d ? d : TEST_BINARY_DIR "/bin";
}

__attribute__((unused)) static const char *h_home(void)
{
  const char *d = getenv("BUDGET_HOME");
  return d && *d ? d : TEST_SOURCE_DIR;
}

/* $BUDGET_BIN_DIR/name, malloc'd. */
__attribute__((unused)) static char *h_bin(const char *name)
{
  return h_fmt("%s/%s", h_bin_dir(), name);
}

/* A fresh private folder; the caller removes it with h_rm_rf(). */
__attribute__((unused)) static char *h_tmpdir(void)
{
  const char *t = getenv("TMPDIR");
  char *tmpl = h_fmt("%s/budget-test-XXXXXX", t && *t ? t : "/tmp");
  cr_assert_not_null(mkdtemp(tmpl), "mkdtemp: %s", strerror(errno));
  return tmpl;
}

__attribute__((unused)) static void h_rm_rf(const char *path)
{
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        char *p = h_fmt("%s/%s", path, e->d_name);
        h_rm_rf(p);
        free(p);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* The whole file, NUL-terminated; NULL when it cannot be read. */
__attribute__((unused)) static char *h_read(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, n = 0;
  char *buf = malloc(cap);
  cr_assert_not_null(buf);
  size_t r;
  while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
    n += r;
    if (cap - n - 1 == 0) {
      cap *= 2;
      buf = realloc(buf, cap);
      cr_assert_not_null(buf);
    }
  }
  fclose(f);
  buf[n] = '\0';
  if (len)
    *len = n;
  return buf;
}

__attribute__((unused)) static void h_write(const char *path, const void *data,
                                            size_t len)
{
  FILE *f = fopen(path, "wb");
  cr_assert_not_null(f, "%s: %s", path, strerror(errno));
  cr_assert_eq(fwrite(data, 1, len, f), len);
  cr_assert_eq(fclose(f), 0);
}

__attribute__((unused)) static void h_write_str(const char *path,
                                                const char *s)
{
  h_write(path, s, strlen(s));
}

__attribute__((unused)) static int h_exists(const char *path)
{
  struct stat st;
  return lstat(path, &st) == 0;
}

/* Names in dir other than . and .., sorted, joined by '\n' (each name
** followed by '\n'); "" for an empty folder, NULL when it is missing. */
__attribute__((unused)) static char *h_listing(const char *dir)
{
  struct dirent **names;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0)
    return NULL;
  size_t cap = 1, len = 0;
  char *out = malloc(cap);
  cr_assert_not_null(out);
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    const char *s = names[i]->d_name;
    if (strcmp(s, ".") != 0 && strcmp(s, "..") != 0) {
      size_t k = strlen(s);
      out = realloc(out, cap += k + 1);
      cr_assert_not_null(out);
      memcpy(out + len, s, k);
      len += k;
      out[len++] = '\n';
      out[len] = '\0';
    }
    free(names[i]);
  }
  free(names);
  return out;
}

/* Counts '\n'-terminated lines (a last line without '\n' counts too). */
__attribute__((unused)) static int h_lines(const char *s)
{
  int n = 0;
  for (const char *p = s; *p; p++)
    if (*p == '\n' || p[1] == '\0')
      n++;
  return n;
}

/* Seconds a program run by h_run() may take. */
#define H_RUN_LIMIT 300

typedef struct h_result {
  int status;    /* exit status, or 128 + signal */
  char *out;     /* stdout, NUL-terminated */
  size_t outlen;
  char *err;     /* stderr, NUL-terminated */
} h_result;

extern char **environ;

/* Removes every $BUDGET_* variable but BUDGET_NO_JIT (tools/memcheck.sh
** sets it for valgrind; it changes no output). The user's BUDGET_CONFIG,
** BUDGET_RULES or BUDGET_DEBUG_* would otherwise change what the programs
** print. In the child only: it rewrites environ. */
__attribute__((unused)) static void h_clear_budget_env(void)
{
  for (;;) {
    char name[128] = "";
    for (char **e = environ; e && *e; e++) {
      const char *eq = strchr(*e, '=');
      size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
      if (strncmp(*e, "BUDGET_", 7) == 0 && len < sizeof name &&
          strncmp(*e, "BUDGET_NO_JIT=", 14) != 0) {
        memcpy(name, *e, len);
        name[len] = '\0';
        break;
      }
    }
    if (!name[0] || unsetenv(name) != 0)
      return;
  }
}

/* The runner behind h_run_env() and h_run_exact_env(): with exact, env is
** the program's whole environment (execve); else it is added to ours,
** less our BUDGET_* settings. */
__attribute__((unused)) static h_result h_run_with(char *const argv[],
                                                   const char *in_path,
                                                   const char *cwd,
                                                   char *const env[],
                                                   int exact)
{
  char *dir = h_tmpdir();
  char *outp = h_fmt("%s/stdout", dir), *errp = h_fmt("%s/stderr", dir);
  fflush(NULL);
  pid_t pid = fork();
  cr_assert(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    int in = open(in_path ? in_path : "/dev/null", O_RDONLY);
    int out = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
        dup2(out, 1) < 0 || dup2(err, 2) < 0)
      _exit(127);
    if (cwd && chdir(cwd) != 0)
      _exit(127);
    /* A program that hangs is killed (SIGALRM survives exec) rather than
    ** holding up the whole suite. */
    alarm(H_RUN_LIMIT);
    if (exact)
      execve(argv[0], argv, env);
    /* Hermetic: the user's settings must not change what is tested. */
    h_clear_budget_env();
    for (size_t i = 0; env && env[i]; i++)
      putenv(env[i]);
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    cr_assert_eq(errno, EINTR);
  h_result r;
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.out = h_read(outp, &r.outlen);
  r.err = h_read(errp, NULL);
  cr_assert_not_null(r.out);
  cr_assert_not_null(r.err);
  h_rm_rf(dir);
  free(outp);
  free(errp);
  free(dir);
  return r;
}

/* Runs argv (argv[0] a path) with stdin from in_path (NULL: /dev/null),
** in the folder cwd (NULL: unchanged), with extra environment entries
** "NAME=VALUE" from env (NULL-terminated, or NULL). Every $BUDGET_* but
** BUDGET_NO_JIT is removed first (h_clear_budget_env), so only env can set
** them. */
__attribute__((unused)) static h_result h_run_env(char *const argv[],
                                                  const char *in_path,
                                                  const char *cwd,
                                                  char *const env[])
{
  return h_run_with(argv, in_path, cwd, env, 0);
}

/* argv run in cwd with env as its whole environment (an installed
** program must find everything by itself). */
__attribute__((unused)) static h_result h_run_exact_env(char *const argv[],
                                                        const char *cwd,
                                                        char *const env[])
{
  return h_run_with(argv, NULL, cwd, env, 1);
}

__attribute__((unused)) static h_result h_run(char *const argv[],
                                              const char *in_path)
{
  return h_run_env(argv, in_path, NULL, NULL);
}

/* A stage script for the signal tests: it writes its pid to mark (exec
** keeps the pid) and then sleeps for `seconds`. Returns its path. */
__attribute__((unused)) static char *h_slow_stage(const char *dir,
                                                  const char *mark,
                                                  int seconds)
{
  char *path = h_fmt("%s/slow.sh", dir);
  char *body = h_fmt("#!/bin/sh\necho $$ > '%s.tmp'\nmv '%s.tmp' '%s'\n"
                     "exec sleep %d\n", mark, mark, mark, seconds);
  h_write_str(path, body);
  cr_assert_eq(chmod(path, 0755), 0);
  free(body);
  return path;
}

/* Runs the shell command line cmd in the background until the stage of
** h_slow_stage() has written mark, sends cmd SIGTERM and waits for it.
** r.out is "status N\n", then "left running\n" if the stage's process
** outlived it; r.err is cmd's stderr. */
__attribute__((unused)) static h_result h_run_terminated(const char *cmd,
                                                         const char *mark)
{
  char *sh = h_fmt("%s & p=$!; while [ ! -e '%s' ]; do sleep 0.02; done; "
                   "kill -TERM $p; wait $p; echo \"status $?\"; "
                   "kill -0 $(cat '%s') 2>/dev/null && echo left running",
                   cmd, mark, mark);
  char *argv[] = {"/bin/sh", "-c", sh, NULL};
  h_result r = h_run_env(argv, NULL, NULL, NULL);
  free(sh);
  return r;
}

__attribute__((unused)) static void h_result_free(h_result *r)
{
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

/* 1 when dir holds an entry whose name starts with prefix. */
__attribute__((unused)) static int h_has_entry_prefix(const char *dir,
                                                      const char *prefix)
{
  DIR *d = opendir(dir);
  if (!d)
    return 0;
  struct dirent *e;
  int found = 0;
  while ((e = readdir(d)) != NULL)
    if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
      found = 1;
  closedir(d);
  return found;
}

#endif
