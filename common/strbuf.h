/*
** strbuf.h: a growable byte buffer with a hard cap.
**
** Hostile input (a 1 GB "line", a page with a million glyphs) must end in a
** clear error, not in swapping: every strbuf is created with a cap, and an
** append that would pass it fails with STRBUF_TOO_BIG and leaves the buffer
** as it was. The content is always NUL-terminated (the NUL is not counted
** in len). Fields are readable; change them only through these functions.
*/
#ifndef BUDGET_STRBUF_H
#define BUDGET_STRBUF_H

#include <stddef.h>

typedef enum strbuf_status {
  STRBUF_OK = 0,
  STRBUF_NO_MEMORY,
  STRBUF_TOO_BIG
} strbuf_status;

typedef struct strbuf {
  char *data;  /* NUL-terminated; NULL until the first append */
  size_t len;  /* bytes in use, excluding the terminating NUL */
  size_t size; /* bytes allocated */
  size_t cap;  /* hard limit on len */
} strbuf;

/* Named caps, so limits are visible in one place. */
#define STRBUF_CAP_LINE (4u * 1024u * 1024u)   /* one stream line */
#define STRBUF_CAP_CELL (256u * 1024u)         /* one joined cell */
#define STRBUF_CAP_FILE (512u * 1024u * 1024u) /* a whole input file */

void strbuf_init(strbuf *b, size_t cap);
void strbuf_free(strbuf *b);
void strbuf_clear(strbuf *b); /* len = 0, memory kept */

strbuf_status strbuf_append(strbuf *b, const char *s, size_t n);
strbuf_status strbuf_append_str(strbuf *b, const char *s);
strbuf_status strbuf_append_char(strbuf *b, char c);
strbuf_status strbuf_printf(strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns data, or "" for a buffer never appended to. */
const char *strbuf_cstr(const strbuf *b);

/* Hands the data to the caller (who frees it) and resets the buffer.
** Returns an allocated "" for an empty buffer; NULL only on OOM. */
char *strbuf_take(strbuf *b);

#endif
