#include "numfmt.h"

#include <math.h>
#include <stdio.h>

/* The digits of u, written backwards into d; returns how many. */
static size_t digits_rev(unsigned long u, char *d)
{
  size_t n = 0;
  do
    d[n++] = (char)('0' + u % 10);
  while ((u /= 10) != 0);
  return n;
}

static unsigned long magnitude(long v)
{
  return v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
}

void numfmt_long(char *buf, long v)
{
  char d[24];
  size_t n = digits_rev(magnitude(v), d), o = 0;
  if (v < 0)
    buf[o++] = '-';
  while (n)
    buf[o++] = d[--n];
  buf[o] = '\0';
}

/* v * 10 is rounded here where that is exact: |v| < 1e6 (so the product's
** error is far below 1e-6), not within 1e-6 of a tie, and no negative
** zero. */
void numfmt_tenths(char *buf, double v)
{
  double t = v * 10.0, r = floor(t + 0.5);
  if (!(fabs(v) < 1e6) || fabs(fabs(t - r) - 0.5) < 1e-6 ||
      (r == 0 && signbit(v))) {
    snprintf(buf, NUMFMT_SIZE, "%.1f", v);
    return;
  }
  long k = (long)r;
  char d[24];
  size_t n = digits_rev(magnitude(k), d), o = 0;
  if (n == 1)
    d[n++] = '0'; /* 0.x */
  if (k < 0)
    buf[o++] = '-';
  while (n > 1)
    buf[o++] = d[--n];
  buf[o++] = '.';
  buf[o++] = d[0];
  buf[o] = '\0';
}
