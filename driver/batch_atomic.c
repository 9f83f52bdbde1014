#include "batch_atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct atomic_file {
  char *path, *tmp;
  FILE *f;
};

atomic_file *atomic_open(const char *path, char *err, size_t errsz)
{
  atomic_file *a = calloc(1, sizeof *a);
  size_t n = strlen(path) + 16;
  if (!a || !(a->path = strdup(path)) || !(a->tmp = malloc(n))) {
    snprintf(err, errsz, "%s: out of memory", path);
    atomic_abort(a);
    return NULL;
  }
  const char *slash = strrchr(path, '/');
  int dirlen = slash ? (int)(slash - path + 1) : 0;
  snprintf(a->tmp, n, "%.*s.%s.XXXXXX", dirlen, path,
           slash ? slash + 1 : path);
  int fd = mkstemp(a->tmp);
  if (fd < 0 || !(a->f = fdopen(fd, "w"))) {
    snprintf(err, errsz, "%s: %s", path, strerror(errno));
    if (fd >= 0) {
      close(fd);
      unlink(a->tmp);
    }
    free(a->tmp);
    a->tmp = NULL;
    atomic_abort(a);
    return NULL;
  }
  return a;
}

FILE *atomic_stream(atomic_file *a) { return a->f; }

int atomic_commit(atomic_file *a, char *err, size_t errsz)
{
  int bad = ferror(a->f) || fflush(a->f) != 0 || fsync(fileno(a->f)) != 0;
  int e = errno;
  if (fclose(a->f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  a->f = NULL;
  /* mkstemp() made it 0600; a file of the user's gets the umask's mode */
  mode_t mask = umask(0);
  umask(mask);
  if (!bad && chmod(a->tmp, 0666 & ~mask) == 0 &&
      rename(a->tmp, a->path) == 0) {
    free(a->tmp);
    a->tmp = NULL;
    atomic_abort(a);
    return 0;
  }
  if (!bad)
    e = errno;
  snprintf(err, errsz, "%s: %s", a->path, e ? strerror(e) : "write error");
  atomic_abort(a);
  return -1;
}

void atomic_abort(atomic_file *a)
{
  if (!a)
    return;
  if (a->f)
    fclose(a->f);
  if (a->tmp)
    unlink(a->tmp);
  free(a->tmp);
  free(a->path);
  free(a);
}
