/*
** stream.h: the line-oriented text stream between the stages.
**
** The format is specified in docs/stream.md. In short: UTF-8 text, one
** record a line; a line with TABs is a table row (cells = TAB-separated
** fields), a line without is a text line, an empty line ends a block, a
** form feed starts a page, and a line "@@keyword<TAB>arg<TAB>..." is a
** directive. Plain tab-separated text from other tools is valid input.
**
** The reader owns every string it returns; they stay valid until the next
** stream_read() or stream_reader_free(). Lines are capped at
** STRBUF_CAP_LINE; a longer line, a NUL byte or invalid UTF-8 yields
** STREAM_ERROR with a message naming the line.
*/
#ifndef BUDGET_STREAM_H
#define BUDGET_STREAM_H

#include <stdio.h>

#include "strbuf.h"

typedef enum stream_kind {
  STREAM_EOF = 0,
  STREAM_ROW,       /* fields = cells (>= 2 because the line had a TAB) */
  STREAM_TEXT,      /* fields[0] = the whole line */
  STREAM_BLANK,     /* empty or all-whitespace line */
  STREAM_PAGE,      /* a form feed: a new page begins */
  STREAM_DIRECTIVE, /* keyword set; fields = arguments */
  STREAM_ERROR      /* error set; reading further is not useful */
} stream_kind;

typedef struct stream_record {
  stream_kind kind;
  const char *keyword;  /* STREAM_DIRECTIVE: word after "@@" */
  char **fields;        /* cells, the text line, or directive arguments */
  size_t nfields;
  long lineno;          /* 1-based input line of this record */
  int page;             /* 1-based page the record is on */
  const char *error;    /* STREAM_ERROR: what is wrong */
  int resource;         /* STREAM_ERROR: a cap or memory gave out, not the
                        ** text: the caller's exit is "resource", not "bad
                        ** text" */
} stream_record;

typedef struct stream_reader stream_reader;

/* Wraps an open FILE (not closed by the reader). name is used in errors.
** The reader takes the FILE in blocks, ahead of the records it returns,
** so nothing else should read from it. A read error ends the records like
** EOF: ferror() on the FILE tells them apart. Returns NULL on OOM. */
stream_reader *stream_reader_new(FILE *in, const char *name);
void stream_reader_free(stream_reader *r);

/* Reads the next record into *rec. The reader reads what the input has
** (a pipe's bytes as they come, at most a block at a time), not whole
** blocks. */
stream_kind stream_read(stream_reader *r, stream_record *rec);
/* Bytes read from the input and not yet returned as records: at 0 the
** next stream_read() may have to wait for the input. */
size_t stream_reader_buffered(const stream_reader *r);

/* Writers. Cell and text content is sanitised: TAB, CR, LF and FF become a
** space, so a record always stays one line. Return 0, or -1 on a write
** error (errno set by stdio). */
int stream_write_row(FILE *out, char *const *cells, size_t n);
int stream_write_text(FILE *out, const char *text);
int stream_write_blank(FILE *out);
int stream_write_page(FILE *out);
/* "@@keyword" then each argument after a TAB. */
int stream_write_directive(FILE *out, const char *keyword,
                           char *const *args, size_t n);

#endif
