/*
** table_reader.h: the table-segmented stream, one table at a time.
**
** Reads the `@@table / @@columns / rows / @@end` form that budget-normalize
** writes (docs/stream.md) and hands back one complete table per call, so
** memory is bounded by the largest table, never by the document. Text,
** blank, page and unknown directive records outside a table are skipped:
** they are the document around the tables. Inside a table, after
** `@@columns`, a text record (no TAB) is a row of one cell, padded like
** any short row; blank and page records there are skipped. `@@repair` and `@@note` lines
** are kept (as their stream text) for the caller to report. `@@from` and
** `@@covered` before a row give that row's origin and its covered cells
** (docs/stream.md); a row without them has none.
**
** Ownership: the reader owns every table it returns; a table stays valid
** until the next tbl_reader_next() or tbl_reader_free(). The FILE given to
** tbl_reader_new() is not closed by the reader.
**
** Failure: a stream that breaks the table form (rows before `@@columns`, a
** row wider than its header with text in the extra cells, `@@table` inside
** a table, EOF before `@@end`), invalid UTF-8 or an over-long line yields
** TBL_BAD_STREAM; a table over TBL_CAP_BYTES yields TBL_TOO_BIG. The
** message from tbl_reader_error() then names the line. Reading further
** after an error is not useful.
*/
#ifndef BUDGET_TABLE_READER_H
#define BUDGET_TABLE_READER_H

#include <stddef.h>
#include <stdio.h>

/* A hard cap on the text one table may hold (all cells together). */
#define TBL_CAP_BYTES (256u * 1024u * 1024u)

typedef enum tbl_status {
  TBL_OK = 0,      /* a table was read */
  TBL_END,         /* end of input, no more tables */
  TBL_BAD_STREAM,  /* malformed stream or text; see tbl_reader_error() */
  TBL_NO_MEMORY,
  TBL_TOO_BIG
} tbl_status;

/* Where a row came from, as @@from gave it; page 0 when not given. */
typedef struct tbl_origin {
  int page;
  int has_box;          /* x0..y1 given */
  double x0, y0, x1, y1;
  long line;            /* 0 when not given */
} tbl_origin;

typedef struct tbl_table {
  const char *id;        /* "01".."15", "x1"...; never empty */
  const char *canonical; /* canonical title ("" when not given) */
  const char *printed;   /* title as printed ("" when not given) */
  const char *unit;      /* "万元", "元" or "" */
  const char *first_page;/* as given in the stream ("" when not given) */
  const char *last_page;
  char **columns;        /* ncolumns header paths */
  size_t ncolumns;
  char **cells;          /* nrows * ncolumns cells, row-major, never NULL
                            entries; a short row is padded with "" */
  size_t nrows;
  const tbl_origin *origins; /* nrows origins */
  const unsigned char *covered; /* nrows * ncolumns flags, 1: the (empty)
                            cell is covered by a label merged down from the
                            row above; NULL when no cell is */
  long lineno;           /* input line of the @@table directive */
} tbl_table;

typedef struct tbl_reader tbl_reader;

/* name is used in messages and must outlive the reader. NULL on OOM. */
tbl_reader *tbl_reader_new(FILE *in, const char *name);
void tbl_reader_free(tbl_reader *r);

/* Reads up to and including the next `@@end`; fills *t on TBL_OK. */
tbl_status tbl_reader_next(tbl_reader *r, tbl_table *t);

/* The last error, "line N: problem"; "" when there was none. */
const char *tbl_reader_error(const tbl_reader *r);

/* `@@repair` and `@@note` lines seen so far, each as one line of text
** (fields joined by " | ", ending in '\n'), in input order. The counts are
** exact even when the kept text was capped. */
size_t tbl_reader_repairs(const tbl_reader *r);
size_t tbl_reader_notes(const tbl_reader *r);
const char *tbl_reader_notices(const tbl_reader *r);

/* `@@document DEPARTMENT YEAR SOURCE PAGES` (the last one read): field i
** (0..3, "" when the stream left it out), or NULL when the stream had
** none. Usually known only once TBL_END was returned. */
#define TBL_DOCUMENT_FIELDS 4
const char *tbl_reader_document(const tbl_reader *r, size_t i);

#endif
