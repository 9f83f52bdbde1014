/*
** The rules' reading of text lines and rows, made on a twin of the rules
** (as the reading thread makes it) and packed into a note, is the reading
** the original rules give, for every record of real document excerpts:
** title class, catalog entry, key, units, row role, the title cell or the
** joined title, notes, and what the cell rules make of each row cell. The twin is made after the original has run its
** patterns often enough to JIT-compile them, so a twin that kept the
** original's JIT flags without its JIT code would answer wrongly here.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "preread.h"
#include "stream.h"
#include "project_rules.h"

#define DATA TEST_SOURCE_DIR "/tests/data/normalize/"

static ruleset rs;

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(normalize_preread, .init = setup, .fini = teardown);

/* What the original rules read, kept per record to compare later. */
typedef struct reading {
  int is_row;
  text_reading t;
  row_reading r;
  char *key, *joined;
} reading;

typedef struct counts {
  size_t titles, generic, units, furniture, grid_titles, notes, data, cleaned;
} counts;

static strbuf cell; /* a cell cleaned here, to compare */

static reading *read_all(const char *path, size_t *n, counts *seen)
{
  FILE *in = fopen(path, "rb");
  cr_assert(in, "%s", path);
  stream_reader *rd = stream_reader_new(in, path);
  strbuf tmp, join;
  strbuf_init(&tmp, STRBUF_CAP_LINE);
  strbuf_init(&join, STRBUF_CAP_LINE);
  size_t cap = 64;
  reading *v = calloc(cap, sizeof *v);
  *n = 0;
  stream_record rec;
  stream_kind k;
  while ((k = stream_read(rd, &rec)) != STREAM_EOF) {
    cr_assert_neq(k, STREAM_ERROR, "%s: %s", path, rec.error);
    if (k != STREAM_TEXT && k != STREAM_ROW)
      continue;
    if (*n == cap)
      v = realloc(v, (cap *= 2) * sizeof *v);
    reading *x = &v[(*n)++];
    memset(x, 0, sizeof *x);
    x->is_row = k == STREAM_ROW;
    if (x->is_row) {
      preread_row(&rs, rec.fields, rec.nfields, &x->r, &join, &tmp);
      x->joined = x->r.joined ? strdup(x->r.joined) : NULL;
      seen->furniture += x->r.role == ROW_FURNITURE;
      seen->grid_titles += x->r.role == ROW_TITLE;
      seen->notes += x->r.note;
      seen->data += x->r.data;
      seen->units += x->r.unit_first[0] != '\0';
    } else {
      preread_text(&rs, rec.fields[0], &x->t, &tmp);
      x->key = x->t.key ? strdup(x->t.key) : NULL;
      seen->titles += x->t.cls == LINE_TITLE;
      seen->generic += x->t.cls == LINE_GENERIC;
      seen->units += x->t.ti.unit[0] != '\0';
    }
  }
  stream_reader_free(rd);
  fclose(in);
  strbuf_free(&tmp);
  strbuf_free(&join);
  return v;
}

static void opt_str_eq(const char *got, const char *want, const char *what,
                       size_t i)
{
  cr_assert_eq(got == NULL, want == NULL, "record %zu: %s", i, what);
  if (want)
    cr_assert_str_eq(got, want, "record %zu: %s", i, what);
}

static void twin_reads_the_same(const char *path, counts *seen)
{
  size_t n;
  reading *want = read_all(path, &n, seen);
  prereader *p = prereader_new(&rs);
  cr_assert(p);
  FILE *in = fopen(path, "rb");
  stream_reader *rd = stream_reader_new(in, path);
  stream_record rec;
  stream_kind k;
  size_t i = 0;
  while ((k = stream_read(rd, &rec)) != STREAM_EOF) {
    size_t len;
    const void *note = preread_note(p, &rec, &len);
    if (k != STREAM_TEXT && k != STREAM_ROW) {
      cr_assert_null(note);
      continue;
    }
    cr_assert(note && len, "record %zu: no note", i);
    const reading *w = &want[i];
    if (k == STREAM_ROW) {
      row_reading got;
      text_reading wrong;
      cr_assert_not(preread_text_of(&rs, note, len, &wrong),
                    "a row's note read as a line's");
      cr_assert_not(preread_row_of(note, len - 1, &got), "a cut note read");
      cr_assert(preread_row_of(note, len, &got));
      cr_assert_eq(got.data, w->r.data, "record %zu", i);
      cr_assert_eq(got.role, w->r.role, "record %zu", i);
      cr_assert_eq(got.note, w->r.note, "record %zu", i);
      if (got.role == ROW_TITLE && !got.joined)
        cr_assert_eq(got.title, w->r.title, "record %zu", i);
      cr_assert_str_eq(got.unit_first, w->r.unit_first, "record %zu", i);
      cr_assert_str_eq(got.unit_last, w->r.unit_last, "record %zu", i);
      opt_str_eq(got.joined, w->joined, "joined title", i);
      /* Each cell as the cell rules leave it, here and now. */
      const char *cleaned[64];
      cr_assert_lt(rec.nfields, 64);
      cr_assert_eq(preread_cleaned(&got, rec.nfields, cleaned), 0);
      for (size_t c = 0; c < rec.nfields; c++) {
        int rc = cells_clean_text(&rs, rec.fields[c], &cell);
        cr_assert_geq(rc, 0);
        opt_str_eq(cleaned[c], rc ? strbuf_cstr(&cell) : NULL, "cleaned cell",
                   i);
        seen->cleaned += rc;
      }
    } else {
      text_reading got;
      row_reading wrong;
      cr_assert_not(preread_row_of(note, len, &wrong),
                    "a line's note read as a row's");
      cr_assert(preread_text_of(&rs, note, len, &got));
      cr_assert_eq(got.cls, w->t.cls, "record %zu: %s", i, rec.fields[0]);
      /* The catalog entry is the original's own, not the twin's. */
      cr_assert_eq(got.ti.table, w->t.ti.table, "record %zu", i);
      if (got.cls == LINE_TITLE)
        cr_assert_str_eq(got.ti.id, w->t.ti.id, "record %zu", i);
      cr_assert_str_eq(got.ti.unit, w->t.ti.unit, "record %zu", i);
      opt_str_eq(got.key, w->key, "key", i);
    }
    i++;
  }
  cr_assert_eq(i, n);
  stream_reader_free(rd);
  fclose(in);
  prereader_free(p);
  for (size_t j = 0; j < n; j++) {
    free(want[j].key);
    free(want[j].joined);
  }
  free(want);
}

Test(normalize_preread, a_twin_reads_what_the_rules_read)
{
  strbuf_init(&cell, STRBUF_CAP_LINE);
  counts seen = {0};
  /* Twice over the same rules: the second time their patterns are JIT
  ** code (where the library has it) when the twin is made. */
  for (int round = 0; round < 2; round++) {
    twin_reads_the_same(DATA "seed-000-excerpt.txt", &seen);
    twin_reads_the_same(DATA "seed-001-excerpt.txt", &seen);
    twin_reads_the_same(DATA "clean-tables.txt", &seen);
    twin_reads_the_same(DATA "row-readings.txt", &seen);
  }
  /* The excerpts hold every kind of reading compared above. */
  cr_assert_gt(seen.titles, 0);
  cr_assert_gt(seen.units, 0);
  cr_assert_gt(seen.furniture, 0);
  cr_assert_gt(seen.grid_titles, 1); /* a title cell, a joined title */
  cr_assert_gt(seen.notes, 0);
  cr_assert_gt(seen.data, 0);
  cr_assert_gt(seen.cleaned, 0); /* seed-000's 4,596.71 and wrapped heads */
  strbuf_free(&cell);
}
