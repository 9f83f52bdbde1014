/* renameat2() and RENAME_EXCHANGE are GNU (Linux 3.15+, glibc 2.28+). */
#define _GNU_SOURCE
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strbuf.h"

#define PATH_CAP 4096u

struct outdir {
  char *final;
  char *staging;
  char **names;     /* files written into staging, in creation order */
  size_t nnames;
  int committed;
  char *made;       /* topmost parent folder begin() created, or NULL */
  char error[PATH_CAP + 200];
};

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errsz, fmt, ap);
  va_end(ap);
}

static char *join(const char *dir, const char *name)
{
  strbuf b;
  strbuf_init(&b, PATH_CAP);
  if (strbuf_printf(&b, "%s/%s", dir, name) != STRBUF_OK) {
    strbuf_free(&b);
    return NULL;
  }
  return strbuf_take(&b);
}

static int all_digits(const char *s, size_t n)
{
  if (n == 0)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

int outdir_valid_id(const char *id)
{
  size_t n = strlen(id);
  if (n == 2 && all_digits(id, 2))
    return 1;
  return n >= 2 && n <= 10 && id[0] == 'x' && all_digits(id + 1, n - 1);
}

int outdir_is_managed(const char *name)
{
  if (strcmp(name, "tables.csv") == 0 || strcmp(name, "document.csv") == 0 ||
      strcmp(name, "provenance.csv") == 0 || strcmp(name, "checks.csv") == 0)
    return 1;
  size_t n = strlen(name);
  if (n < 5 || strcmp(name + n - 4, ".csv") != 0)
    return 0;
  char id[16];
  if (n - 4 >= sizeof id)
    return 0;
  memcpy(id, name, n - 4);
  id[n - 4] = '\0';
  return outdir_valid_id(id);
}

/* mkdir -p; returns 0 or -1 with errno set. *made (when not NULL) gets
** the topmost folder this call created (malloc'd), or stays NULL. */
static int make_dirs(const char *path, char **made)
{
  char *p = strdup(path);
  if (!p)
    return -1;
  for (char *s = p + 1;; s++) {
    if (*s != '/' && *s != '\0')
      continue;
    char c = *s;
    *s = '\0';
    if (mkdir(p, 0777) == 0) {
      if (made && !*made)
        *made = strdup(p);
    } else if (errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = c;
    if (c == '\0')
      break;
  }
  free(p);
  return 0;
}

/* Removes the empty folders make_dirs() created for dir's parent, from
** the deepest up to top, so a failed run leaves no trace. */
static void remove_made_dirs(const char *dir, const char *top)
{
  char *p = strdup(dir);
  size_t n = strlen(top);
  while (p) {
    char *slash = strrchr(p, '/');
    if (!slash || slash == p)
      break;
    *slash = '\0';
    if (strlen(p) < n || strncmp(p, top, n) != 0 ||
        (p[n] != '\0' && p[n] != '/'))
      break;
    if (rmdir(p) != 0)
      break;
  }
  free(p);
}

outdir *outdir_begin(const char *final_dir, char *err, size_t errsz)
{
  size_t n = strlen(final_dir);
  while (n > 1 && final_dir[n - 1] == '/')
    n--;
  if (n == 0 || n >= PATH_CAP) {
    set_err(err, errsz, "%s: bad output folder name", final_dir);
    return NULL;
  }
  outdir *d = calloc(1, sizeof *d);
  if (!d || !(d->final = strndup(final_dir, n))) {
    free(d);
    set_err(err, errsz, "%s: out of memory", final_dir);
    return NULL;
  }
  /* A symlink to a folder stands for that folder: staging goes beside
  ** the real one, on its file system, or the renames could not work. */
  struct stat lst, st;
  if (lstat(d->final, &lst) == 0 && S_ISLNK(lst.st_mode) &&
      stat(d->final, &st) == 0 && S_ISDIR(st.st_mode)) {
    char *real = realpath(d->final, NULL);
    if (real) {
      free(d->final);
      d->final = real;
    }
  }
  /* Staging sits in the final folder's parent: renames stay atomic. */
  char *parent = strdup(d->final);
  char *slash = parent ? strrchr(parent, '/') : NULL;
  const char *pdir = ".";
  if (slash == parent)
    pdir = "/";
  else if (slash) {
    *slash = '\0';
    pdir = parent;
  }
  if (!parent ||
      (slash && slash != parent && make_dirs(pdir, &d->made) != 0)) {
    set_err(err, errsz, "%s: %s", parent ? pdir : final_dir,
            parent ? strerror(errno) : "out of memory");
    free(parent);
    outdir_free(d);
    return NULL;
  }
  d->staging = join(pdir, ".budget-csv-XXXXXX");
  free(parent);
  if (!d->staging || !mkdtemp(d->staging)) {
    set_err(err, errsz, "%s: %s", d->final,
            d->staging ? strerror(errno) : "out of memory");
    free(d->staging);
    d->staging = NULL;
    outdir_free(d);
    return NULL;
  }
  /* mkdtemp makes it 0700; the folder users get follows their umask. */
  mode_t mask = umask(0);
  umask(mask);
  chmod(d->staging, 0777 & ~mask);
  return d;
}

FILE *outdir_open(outdir *d, const char *name)
{
  char **names = realloc(d->names, (d->nnames + 1) * sizeof *names);
  if (!names) {
    set_err(d->error, sizeof d->error, "%s: out of memory", d->final);
    return NULL;
  }
  d->names = names;
  char *path = join(d->staging, name);
  char *copy = strdup(name);
  FILE *f = path && copy ? fopen(path, "wbx") : NULL;
  if (!f) {
    set_err(d->error, sizeof d->error, "%s/%s: %s", d->final, name,
            path && copy ? strerror(errno) : "out of memory");
    free(path);
    free(copy);
    return NULL;
  }
  free(path);
  d->names[d->nnames++] = copy;
  return f;
}

int outdir_close(outdir *d, FILE *f)
{
  int bad = ferror(f) || fflush(f) != 0;
  int saved = errno;
  if (fclose(f) != 0 && !bad) {
    bad = 1;
    saved = errno;
  }
  if (bad)
    set_err(d->error, sizeof d->error, "%s: %s", d->final,
            strerror(saved ? saved : EIO));
  return bad ? -1 : 0;
}

/* Depth-first; symlinks are removed, never followed. The depth cap keeps
** a hostile tree from exhausting the stack. */
static void remove_tree_at(const char *dir, int depth)
{
  DIR *dh = depth < 32 ? opendir(dir) : NULL;
  if (dh) {
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      char *p = join(dir, e->d_name);
      struct stat st;
      if (p && lstat(p, &st) == 0) {
        if (S_ISDIR(st.st_mode))
          remove_tree_at(p, depth + 1);
        else
          unlink(p);
      }
      free(p);
    }
    closedir(dh);
  }
  rmdir(dir);
}

void outdir_remove_tree(const char *dir) { remove_tree_at(dir, 0); }

static int in_list(char *const *names, size_t n, const char *name)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0)
      return 1;
  return 0;
}

/* Puts from at to. An old file at to is swapped out (it goes with the
** staging folder) rather than renamed over: ext4 writes a file out to disk
** before it may replace another by rename, which took 0.5 ms a file, more
** than the whole table's work, and a reader still sees either the old
** file or the new one, never none. Only a regular file is swapped out
** (whatever else has the name makes the rename fail, as it should); file
** systems that cannot swap get the plain rename, which is as atomic. */
static int swap_in(const char *from, const char *to)
{
  struct stat st;
  if (lstat(to, &st) == 0 && S_ISREG(st.st_mode) &&
      renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE) == 0)
    return 0;
  return rename(from, to);
}

static int move_one(const char *staged, const char *final_dir,
                    const char *name, char *err, size_t errsz)
{
  char *from = join(staged, name), *to = join(final_dir, name);
  int rc = from && to && swap_in(from, to) == 0 ? 0 : -1;
  if (rc != 0)
    set_err(err, errsz, "%s: %s", to ? to : final_dir,
            from && to ? strerror(errno) : "out of memory");
  free(from);
  free(to);
  return rc;
}

/* The common replacement: names are the managed files staged holds. */
static int replace(const char *staged, const char *final_dir,
                   char *const *names, size_t n, char *err, size_t errsz)
{
  struct stat st;
  if (lstat(final_dir, &st) != 0) {
    if (errno != ENOENT) {
      set_err(err, errsz, "%s: %s", final_dir, strerror(errno));
      return -1;
    }
    if (rename(staged, final_dir) != 0) {
      set_err(err, errsz, "%s: %s", final_dir, strerror(errno));
      return -1;
    }
    return 0;
  }
  /* A symlink to a folder is that folder (out -> /data/out). */
  if (S_ISLNK(st.st_mode) && stat(final_dir, &st) != 0)
    st.st_mode = 0;
  if (!S_ISDIR(st.st_mode)) {
    set_err(err, errsz, "%s: exists and is not a folder", final_dir);
    return -1;
  }
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], "tables.csv") != 0 &&
        move_one(staged, final_dir, names[i], err, errsz) != 0)
      return -1;
  DIR *dh = opendir(final_dir);
  if (!dh) {
    set_err(err, errsz, "%s: %s", final_dir, strerror(errno));
    return -1;
  }
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    if (!outdir_is_managed(e->d_name) || in_list(names, n, e->d_name) ||
        strcmp(e->d_name, "tables.csv") == 0)
      continue;
    char *p = join(final_dir, e->d_name);
    if (p)
      unlink(p);
    free(p);
  }
  closedir(dh);
  if (in_list(names, n, "tables.csv")) {
    if (move_one(staged, final_dir, "tables.csv", err, errsz) != 0)
      return -1;
  } else {
    char *p = join(final_dir, "tables.csv");
    if (p)
      unlink(p);
    free(p);
  }
  outdir_remove_tree(staged);
  return 0;
}

int outdir_commit(outdir *d)
{
  if (replace(d->staging, d->final, d->names, d->nnames, d->error,
              sizeof d->error) != 0)
    return -1;
  d->committed = 1;
  return 0;
}

int outdir_replace_from(const char *staged, const char *final_dir, char *err,
                        size_t errsz)
{
  DIR *dh = opendir(staged);
  if (!dh) {
    set_err(err, errsz, "%s: %s", staged, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(dh)) != NULL) {
    if (!outdir_is_managed(e->d_name))
      continue;
    char **p = realloc(names, (n + 1) * sizeof *p);
    char *copy = p ? strdup(e->d_name) : NULL;
    if (p)
      names = p;
    if (!copy) {
      set_err(err, errsz, "%s: out of memory", final_dir);
      rc = -1;
      break;
    }
    names[n++] = copy;
  }
  closedir(dh);
  if (rc == 0)
    rc = replace(staged, final_dir, names, n, err, errsz);
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  return rc;
}

void outdir_abort(outdir *d)
{
  if (!d || d->committed || !d->staging)
    return;
  outdir_remove_tree(d->staging);
  free(d->staging);
  d->staging = NULL;
  if (d->made)
    remove_made_dirs(d->final, d->made);
}

void outdir_free(outdir *d)
{
  if (!d)
    return;
  outdir_abort(d);
  for (size_t i = 0; i < d->nnames; i++)
    free(d->names[i]);
  free(d->names);
  free(d->staging);
  free(d->made);
  free(d->final);
  free(d);
}

const char *outdir_error(const outdir *d) { return d->error; }
const char *outdir_staging_path(const outdir *d) { return d->staging; }
