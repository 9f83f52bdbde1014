#include "self_path.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
