/*
** vec.h: room for one more element in a growable array.
**
** Promise: vec_reserve() makes *data hold at least need elements of elem
** bytes, doubling the capacity (from min_cap) so n appends cost O(n).
** On failure (out of memory, or a size that would overflow) it returns -1
** and leaves *data and *cap as they were; the caller still owns both.
*/
#ifndef BUDGET_VEC_H
#define BUDGET_VEC_H

#include <stddef.h>

int vec_reserve(void *data, size_t *cap, size_t need, size_t elem,
                size_t min_cap);

#endif
