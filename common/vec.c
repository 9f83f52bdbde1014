#include "vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* data is a pointer to the caller's element pointer (void ** would need a
** cast at every call for typed arrays). */
int vec_reserve(void *data, size_t *cap, size_t need, size_t elem,
                size_t min_cap)
{
  if (need <= *cap)
    return 0;
  size_t c = *cap ? *cap : min_cap;
  while (c < need) {
    if (c > SIZE_MAX / 2)
      return -1;
    c *= 2;
  }
  if (c > SIZE_MAX / elem)
    return -1;
  void *old;
  memcpy(&old, data, sizeof old);
  void *p = realloc(old, c * elem);
  if (!p)
    return -1;
  memcpy(data, &p, sizeof p);
  *cap = c;
  return 0;
}
