/*
** preread.h: what a record's text is, by the rules alone, read before
** its turn.
**
** Promise: preread_text() and preread_row() say what the segmenter asks
** of a text line (title_classify()) and of a table row (is it table data,
** a title printed in the grid, or title-block furniture) as pure
** functions of the record and the rules (and, in a row's note, what the
** cell rules make of each of its cells): they read no segmenting state
** and change none, so they may run in the reading thread (readahead.h) on
** a twin of the ruleset (rules.h), ahead of the segmenter, which then
** applies what they found (units, notes, candidates; segment.c) in
** order. The answers are those the segmenter would get reading the record
** itself. A reading is packed into a note kept with its record
** (preread_note()) and unpacked by the segmenter (preread_*_of()), rule
** references by index, so the note of a twin is read against the
** original.
*/
#ifndef BUDGET_NORMALIZE_PREREAD_H
#define BUDGET_NORMALIZE_PREREAD_H

#include <stddef.h>

#include "rules.h"
#include "stream.h"
#include "strbuf.h"
#include "title.h"

/* A text line: title_classify()'s answer. */
typedef struct text_reading {
  line_class cls;
  title_info ti;
  /* LINE_TITLE, LINE_GENERIC: the squeezed, de-noised line (NUL-ended;
  ** in the caller's strbuf, or in the note) the title is known by. */
  const char *key;
} text_reading;

/* What a table row is when it is not table text (segment.c). */
enum { ROW_TABLE, ROW_FURNITURE, ROW_TITLE };

typedef struct row_reading {
  int data;           /* a cell holds what only table data holds */
  int role;           /* ROW_TABLE, ROW_FURNITURE or ROW_TITLE */
  /* ROW_TITLE: the title is cell `title`, or, when joined is set, the
  ** row's few short cells read as one line (the text in *joined). */
  size_t title;
  const char *joined;
  int note;           /* a cell was read as a note */
  /* The units the row's cells name, in reading order: the first and the
  ** last ("" when none). */
  char unit_first[16], unit_last[16];
  /* From a note only: what the cell rules make of each cell is known
  ** (preread_cleaned()). */
  int cleaned;
  const char *clean;
  size_t clean_len;
} row_reading;

/* tmp is scratch; key, when it is returned in ->key, lives in tmp. */
void preread_text(ruleset *rs, const char *line, text_reading *out,
                  strbuf *tmp);
/* join and tmp are scratch; ->joined, when set, lives in join. */
void preread_row(ruleset *rs, char *const *cells, size_t nc, row_reading *out,
                 strbuf *join, strbuf *tmp);

/* The reading thread's side: a twin ruleset and its scratch. */
typedef struct prereader prereader;

/* NULL on OOM. src is twinned now (not matched against meanwhile). */
prereader *prereader_new(const ruleset *src);
/* The twin: for what else runs in the reading thread (document.h). */
const ruleset *prereader_rules(const prereader *p);
void prereader_free(prereader *p);
/* The note of a record (text lines and rows; other records get none: NULL
** and *len 0), valid until the next call; NULL too when it could not be
** made (the segmenter then reads the record itself). A readahead note
** function (readahead.h). */
const void *preread_note(void *prereader, const stream_record *rec,
                         size_t *len);

/* A note unpacked against the ruleset the prereader's twin was made of;
** 0 when it is not a reading of that kind (the record is read then).
** Strings point into the note. */
int preread_text_of(const ruleset *rs, const void *note, size_t len,
                    text_reading *out);
int preread_row_of(const void *note, size_t len, row_reading *out);
/* A row note's cells as the cell rules leave them (cells_clean_text()):
** out[c] for c < nc is the cleaned text, or NULL when they leave cell c
** as it is. 0, or -1 when the note does not say (then the cells are
** cleaned where they are used). Strings point into the note. */
int preread_cleaned(const row_reading *rr, size_t nc, const char **out);

#endif
