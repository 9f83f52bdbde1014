#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(strbuf *b, size_t cap)
{
  b->data = NULL;
  b->len = 0;
  b->size = 0;
  b->cap = cap;
}

void strbuf_free(strbuf *b)
{
  free(b->data);
  strbuf_init(b, b->cap);
}

void strbuf_clear(strbuf *b)
{
  b->len = 0;
  if (b->data)
    b->data[0] = '\0';
}

static strbuf_status reserve(strbuf *b, size_t extra)
{
  if (extra > b->cap || b->len > b->cap - extra)
    return STRBUF_TOO_BIG;
  size_t need = b->len + extra + 1;
  if (need <= b->size)
    return STRBUF_OK;
  size_t size = b->size ? b->size : 64;
  while (size < need)
    size = size > (size_t)-1 / 2 ? need : size * 2;
  char *p = realloc(b->data, size);
  if (!p)
    return STRBUF_NO_MEMORY;
  b->data = p;
  b->size = size;
  return STRBUF_OK;
}

strbuf_status strbuf_append(strbuf *b, const char *s, size_t n)
{
  /* Room already there (the usual case: readers append a byte at a time)
  ** skips reserve(); size > len whenever data exists, so no overflow. */
  if (!(b->data && n < b->size - b->len && n <= b->cap - b->len)) {
    strbuf_status st = reserve(b, n);
    if (st != STRBUF_OK)
      return st;
  }
  if (n == 1)
    b->data[b->len] = *s;
  else if (n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return STRBUF_OK;
}

strbuf_status strbuf_append_str(strbuf *b, const char *s)
{
  return strbuf_append(b, s, strlen(s));
}

strbuf_status strbuf_append_char(strbuf *b, char c)
{
  return strbuf_append(b, &c, 1);
}

strbuf_status strbuf_printf(strbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return STRBUF_NO_MEMORY;
  strbuf_status st = reserve(b, (size_t)n);
  if (st != STRBUF_OK)
    return st;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return STRBUF_OK;
}

const char *strbuf_cstr(const strbuf *b)
{
  return b->data ? b->data : "";
}

char *strbuf_take(strbuf *b)
{
  char *p = b->data;
  if (!p) {
    p = malloc(1);
    if (p)
      p[0] = '\0';
  }
  strbuf_init(b, b->cap);
  return p;
}
