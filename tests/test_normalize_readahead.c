/*
** The read-ahead thread hands the normalizer exactly the records the
** stream reader makes, in order (rows, text, blank lines, pages,
** directives, the error that ends a stream), over more than one chunk,
** feeds the document metadata scan the same records, and hands each
** record the note its note function made of it in the reading thread.
*/
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document.h"
#include "readahead.h"
#include "stream.h"
#include "project_rules.h"

/* A stream of every record kind, long enough for several chunks. */
static char *make_input(size_t *len, int bad_end)
{
  size_t cap = 4 * READAHEAD_CHUNK + 4096, n = 0;
  char *s = malloc(cap);
  n += (size_t)sprintf(s + n, "@@source\tdoc.pdf\t9\n部门名称：青枫县财政局\n"
                              "2024年部门收支预算总表\n");
  for (int i = 0; n + 512 < cap - 4096; i++) {
    n += (size_t)sprintf(s + n, "@@at\t1.0\t%d.5\t3.0\t4.0\n"
                                "行政运行%d\t%d.00\t\t一般公共服务 支出\n", i, i,
                         i * 7);
    if (i % 50 == 0)
      n += (size_t)sprintf(s + n, "\n\f\n注：本表无数据%d\n", i);
  }
  n += (size_t)sprintf(s + n, "last\trow\n");
  if (bad_end)
    n += (size_t)sprintf(s + n, "bad \xff byte\nnever read\n");
  *len = n;
  return s;
}

/* The rules the metadata scan reads by, and a twin of them for the scan
** in the reading thread (a ruleset belongs to one thread). */
static ruleset rules, twin;

static void setup(void)
{
  load_project_rules(&rules);
  cr_assert_eq(ruleset_twin(&twin, &rules), 0);
}

static void teardown(void)
{
  ruleset_free(&twin);
  ruleset_free(&rules);
}

TestSuite(normalize_readahead, .init = setup, .fini = teardown);

/* A note of a length that varies with the record, none on every third
** line; buf is the function's own, as preread_note()'s is. */
static const void *test_note(void *buf, const stream_record *rec, size_t *len)
{
  if (rec->lineno % 3 == 0) {
    *len = 0;
    return NULL;
  }
  int n = snprintf(buf, 256, "%ld/%d/%zu/%.*s", rec->lineno, (int)rec->kind,
                   rec->nfields, (int)(rec->lineno % 17),
                   "0123456789abcdefghij");
  *len = (size_t)n;
  return buf;
}

static void same_records(int bad_end, int threaded)
{
  size_t len;
  char *input = make_input(&len, bad_end);
  FILE *a = fmemopen(input, len, "r"), *b = fmemopen(input, len, "r");
  cr_assert(a && b);
  stream_reader *rd = stream_reader_new(a, "t.txt");
  doc_meta *doc = doc_meta_new("t.txt", &twin),
           *want_doc = doc_meta_new("t.txt", &rules);
  char note_buf[256], want_buf[256];
  readahead *ra =
      threaded ? readahead_start(b, "t.txt", doc, test_note, note_buf)
               : readahead_start_unthreaded(b, "t.txt", doc, test_note,
                                            note_buf);
  cr_assert(rd && doc && want_doc && ra);
  size_t records = 0;
  for (;;) {
    stream_record want, got;
    stream_kind wk = stream_read(rd, &want);
    int failed;
    const void *note;
    size_t note_len;
    stream_kind gk = readahead_next(ra, &got, &failed, &note, &note_len);
    cr_assert_eq(gk, wk, "record %zu: kind %d, want %d", records, gk, wk);
    cr_assert_not(failed);
    if (wk == STREAM_EOF)
      break;
    if (wk == STREAM_ERROR) {
      cr_assert_str_eq(got.error, want.error);
      cr_assert_eq(got.resource, want.resource);
      break;
    }
    cr_assert_eq(doc_meta_observe(want_doc, &want), 0);
    size_t want_len;
    const void *want_note = test_note(want_buf, &want, &want_len);
    cr_assert_eq(note_len, want_len, "record %zu", records);
    cr_assert_eq(note == NULL, want_note == NULL, "record %zu", records);
    if (want_note)
      cr_assert_eq(memcmp(note, want_note, want_len), 0, "record %zu",
                   records);
    cr_assert_eq(got.lineno, want.lineno, "record %zu", records);
    cr_assert_eq(got.page, want.page, "record %zu", records);
    cr_assert_eq(got.nfields, want.nfields, "record %zu", records);
    if (wk == STREAM_DIRECTIVE)
      cr_assert_str_eq(got.keyword, want.keyword);
    for (size_t i = 0; i < want.nfields; i++)
      cr_assert_str_eq(got.fields[i], want.fields[i], "record %zu field %zu",
                       records, i);
    records++;
  }
  cr_assert_gt(records, 4000, "only %zu records", records);
  /* The scan in the reading thread saw what the loop here saw. */
  char *x = NULL, *y = NULL;
  size_t xn = 0, yn = 0;
  FILE *fx = open_memstream(&x, &xn), *fy = open_memstream(&y, &yn);
  cr_assert_eq(doc_meta_emit(doc, fx), 0);
  cr_assert_eq(doc_meta_emit(want_doc, fy), 0);
  fclose(fx);
  fclose(fy);
  cr_assert_str_eq(x, y);
  cr_assert(strstr(x, "青枫县财政局"), "%s", x);
  readahead_stop(ra);
  stream_reader_free(rd);
  doc_meta_free(doc);
  doc_meta_free(want_doc);
  fclose(a);
  fclose(b);
  free(x);
  free(y);
  free(input);
}

Test(normalize_readahead, same_records_as_the_reader)
{
  same_records(0, 1);
}

Test(normalize_readahead, an_error_ends_the_records_as_it_does_the_reader)
{
  same_records(1, 1);
}

/* Without a thread (none could be started): the same records and notes,
** read one at a time in the caller's thread. */
Test(normalize_readahead, the_same_without_a_thread)
{
  same_records(0, 0);
  same_records(1, 0);
}

/* Stopped early, with the reading thread ahead or waiting for room: no
** hang, nothing left behind (valgrind and ASan run this too). */
Test(normalize_readahead, stopped_early)
{
  size_t len;
  char *input = make_input(&len, 0);
  FILE *in = fmemopen(input, len, "r");
  doc_meta *doc = doc_meta_new(NULL, &twin);
  readahead *ra = readahead_start(in, "t.txt", doc, NULL, NULL);
  cr_assert(in && doc && ra);
  stream_record rec;
  int failed;
  const void *note;
  size_t note_len;
  cr_assert_eq(readahead_next(ra, &rec, &failed, &note, &note_len),
               STREAM_DIRECTIVE);
  cr_assert_null(note);
  readahead_stop(ra);
  doc_meta_free(doc);
  fclose(in);
  free(input);
}

/* Records the pipe has are handed over while its writer is still at
** work, not when a chunk is full: the normalizer of a pipeline works
** while the extractor does. Waiting would hang, and the timeout fails. */
Test(normalize_readahead, hands_over_what_a_pipe_has, .timeout = 10)
{
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  FILE *in = fdopen(fds[0], "r");
  doc_meta *doc = doc_meta_new(NULL, &twin);
  readahead *ra = readahead_start(in, "pipe", doc, NULL, NULL);
  cr_assert(in && doc && ra);
  const char line[] = "合计\t1.00\n";
  cr_assert_eq(write(fds[1], line, sizeof line - 1), (ssize_t)(sizeof line - 1));
  stream_record rec;
  int failed;
  const void *note;
  size_t note_len;
  cr_assert_eq(readahead_next(ra, &rec, &failed, &note, &note_len), STREAM_ROW);
  cr_assert_str_eq(rec.fields[1], "1.00");
  close(fds[1]);
  cr_assert_eq(readahead_next(ra, &rec, &failed, &note, &note_len), STREAM_EOF);
  readahead_stop(ra);
  doc_meta_free(doc);
  fclose(in);
}

/* Reads a stream from in to its end; the rows it held. */
static size_t rows_read(FILE *in, int *threaded)
{
  doc_meta *doc = doc_meta_new(NULL, &twin);
  readahead *ra = readahead_start(in, "t.txt", doc, NULL, NULL);
  cr_assert(doc && ra);
  *threaded = readahead_is_threaded(ra);
  stream_record rec;
  int failed;
  const void *note;
  size_t note_len, rows = 0;
  stream_kind k;
  while ((k = readahead_next(ra, &rec, &failed, &note, &note_len)) !=
         STREAM_EOF) {
    cr_assert_neq(k, STREAM_ERROR);
    rows += k == STREAM_ROW;
  }
  readahead_stop(ra);
  doc_meta_free(doc);
  return rows;
}

/* A small file is read whole at once, so a thread would overlap nothing:
** it is read in the caller's thread. A file of more than half a chunk,
** and a pipe (above), get a thread; a file read from its middle counts
** what is left of it. */
Test(normalize_readahead, a_thread_only_where_reading_can_overlap)
{
  FILE *small = tmpfile();
  cr_assert(small);
  fputs("@@source\tdoc.pdf\t1\n合计\t1.00\n", small);
  rewind(small);
  int threaded;
  cr_assert_eq(rows_read(small, &threaded), 1);
  cr_assert_not(threaded, "a 30-byte file got a thread");
  fclose(small);

  size_t len;
  char *input = make_input(&len, 0);
  FILE *big = tmpfile();
  cr_assert(big && fwrite(input, 1, len, big) == len);
  rewind(big);
  size_t rows = rows_read(big, &threaded);
  cr_assert_gt(rows, 1000);
  cr_assert(threaded, "a %zu-byte file got no thread", len);

  /* All but the last few lines consumed: the rest is small. */
  cr_assert_eq(fseeko(big, (off_t)(len - 20), SEEK_SET), 0);
  char line[64];
  cr_assert_not_null(fgets(line, sizeof line, big)); /* a partial line */
  rows_read(big, &threaded);
  cr_assert_not(threaded, "the file's last 20 bytes got a thread");
  fclose(big);
  free(input);
}

Test(normalize_readahead, a_pipe_gets_a_thread, .timeout = 10)
{
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  cr_assert_eq(write(fds[1], "合计\t1.00\n", 11), 11);
  close(fds[1]);
  FILE *in = fdopen(fds[0], "r");
  int threaded;
  cr_assert_eq(rows_read(in, &threaded), 1);
  cr_assert(threaded);
  fclose(in);
}
