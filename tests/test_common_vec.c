/* vec_reserve(): growing, keeping what is there, refusing overflow. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>

#include "vec.h"

Test(vec, grows_and_keeps_elements)
{
  int *v = NULL;
  size_t cap = 0;
  for (int i = 0; i < 1000; i++) {
    cr_assert_eq(vec_reserve(&v, &cap, (size_t)i + 1, sizeof *v, 4), 0);
    cr_assert_geq(cap, (size_t)i + 1);
    v[i] = i * 3;
  }
  for (int i = 0; i < 1000; i++)
    cr_assert_eq(v[i], i * 3);
  cr_assert_eq(cap, 1024); /* doubled from 4 */
  free(v);
}

Test(vec, refuses_a_size_that_overflows)
{
  char *v = NULL;
  size_t cap = 0;
  cr_assert_eq(vec_reserve(&v, &cap, 8, 1, 8), 0);
  v[0] = 'x';
  cr_assert_eq(vec_reserve(&v, &cap, SIZE_MAX / 2 + 2, 4, 8), -1);
  cr_assert_eq(cap, 8, "capacity unchanged on failure");
  cr_assert_eq(v[0], 'x');
  free(v);
}
