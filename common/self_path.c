#include "self_path.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef BUDGET_DATA_FROM_BIN
#define BUDGET_DATA_FROM_BIN "../share/budget2csv"
#endif

char *self_dir(void)
{
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  char *slash = strrchr(buf, '/');
  if (!slash)
    return NULL;
  *slash = '\0';
  return strdup(buf);
}

char *budget_data_dir(void)
{
  char *bin = self_dir();
  if (bin) {
    char buf[PATH_MAX];
    struct stat st;
    int n = snprintf(buf, sizeof buf, "%s/%s", bin, BUDGET_DATA_FROM_BIN);
    free(bin);
    /* realpath: error lines then name .../share/budget2csv/..., not
    ** .../bin/../share/... */
    char real[PATH_MAX];
    if (n > 0 && (size_t)n < sizeof buf && stat(buf, &st) == 0 &&
        S_ISDIR(st.st_mode))
      return strdup(realpath(buf, real) ? real : buf);
  }
  return strdup(BUDGET_SOURCE_DIR);
}
