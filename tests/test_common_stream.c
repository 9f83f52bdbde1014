/* The stream reader and writer on the records docs/stream.md defines. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stream.h"
#include "strbuf.h"
#include "utf8.h"

static FILE *from_string(const char *s, size_t n)
{
  FILE *f = fmemopen((void *)s, n, "r");
  cr_assert_not_null(f);
  return f;
}

Test(stream, classifies_plain_tsv_records)
{
  const char text[] = "\xEF\xBB\xBF" "2023年部门收支预算表\n"
                      "\n"
                      "项 目\t预算数\r\n"
                      "\f一、一般公共服务\t3,795.95\n"
                      "@@table\t01\t部门收支预算表\n"
                      "@@=@@ literal\n";
  FILE *f = from_string(text, sizeof text - 1);
  stream_reader *r = stream_reader_new(f, "t.txt");
  stream_record rec;

  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_str_eq(rec.fields[0], "2023年部门收支预算表");
  cr_assert_eq(stream_read(r, &rec), STREAM_BLANK);
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW);
  cr_assert_eq(rec.nfields, 2);
  cr_assert_str_eq(rec.fields[1], "预算数");
  cr_assert_eq(stream_read(r, &rec), STREAM_PAGE);
  cr_assert_eq(rec.page, 2);
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW);
  cr_assert_str_eq(rec.fields[0], "一、一般公共服务");
  cr_assert_eq(rec.page, 2);
  cr_assert_eq(stream_read(r, &rec), STREAM_DIRECTIVE);
  cr_assert_str_eq(rec.keyword, "table");
  cr_assert_eq(rec.nfields, 2);
  cr_assert_str_eq(rec.fields[1], "部门收支预算表");
  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_str_eq(rec.fields[0], "@@ literal");
  cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
  stream_reader_free(r);
  fclose(f);
}

Test(stream, rejects_invalid_utf8_naming_the_line)
{
  const char text[] = "ok\n\xC3\x28 bad\n";
  FILE *f = from_string(text, sizeof text - 1);
  stream_reader *r = stream_reader_new(f, "t.txt");
  stream_record rec;
  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_eq(stream_read(r, &rec), STREAM_ERROR);
  cr_assert(strstr(rec.error, "line 2") != NULL, "%s", rec.error);
  cr_assert(strstr(rec.error, "invalid UTF-8") != NULL, "%s", rec.error);
  stream_reader_free(r);
  fclose(f);
}

/* Lines of 1 MB (a table flattened onto one line by another tool) are
** read whole; only a line past the cap is refused, naming its line. */
static char *long_row(size_t cells, size_t width)
{
  size_t n = cells * (width + 1) + 2;
  char *s = malloc(n);
  cr_assert_not_null(s);
  size_t at = 0;
  for (size_t c = 0; c < cells; c++) {
    memset(s + at, 'a' + (int)(c % 26), width);
    at += width;
    s[at++] = c + 1 < cells ? '\t' : '\n';
  }
  s[at] = '\0';
  return s;
}

Test(stream, reads_a_one_megabyte_row_whole)
{
  char *text = long_row(1024, 1023); /* 1 MiB */
  FILE *f = from_string(text, strlen(text));
  stream_reader *r = stream_reader_new(f, "big.txt");
  stream_record rec;
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW, "%s",
               rec.kind == STREAM_ERROR ? rec.error : "");
  cr_assert_eq(rec.nfields, 1024);
  cr_assert_eq(strlen(rec.fields[1023]), 1023);
  cr_assert_eq(rec.fields[1023][0], 'a' + 1023 % 26);
  cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
  stream_reader_free(r);
  fclose(f);
  free(text);
}

Test(stream, refuses_a_line_past_the_cap_naming_it)
{
  char *big = long_row(1, STRBUF_CAP_LINE + 16);
  size_t n = strlen(big);
  char *text = malloc(n + 4);
  cr_assert_not_null(text);
  memcpy(text, "ok\n", 3);
  memcpy(text + 3, big, n + 1);
  FILE *f = from_string(text, n + 3);
  stream_reader *r = stream_reader_new(f, "big.txt");
  stream_record rec;
  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_eq(stream_read(r, &rec), STREAM_ERROR);
  cr_assert(strstr(rec.error, "line 2") != NULL, "%s", rec.error);
  stream_reader_free(r);
  fclose(f);
  free(text);
  free(big);
}

/* The reader takes its input in blocks of 64 KiB: lines of every length
** around a block's end come back whole, a CR of a CRLF that is the last
** byte of a block is still dropped, a character split by the block's end
** is still valid, and the next line starts where it should. */
Test(stream, lines_around_the_reader_block_come_back_whole)
{
  static const size_t lens[] = {4095, 4096, 4097, 65534, 65535, 65536,
                                65537, 131071, 131072, 131073};
  for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
    for (int crlf = 0; crlf < 2; crlf++) {
      size_t n = lens[k];
      char *text = malloc(n + 16);
      cr_assert_not_null(text);
      /* A 3-byte 合 at the very end, so it straddles 4096 for n = 4097. */
      memset(text, 'x', n - 3);
      memcpy(text + n - 3, "合", 3);
      size_t at = n;
      if (crlf)
        text[at++] = '\r';
      memcpy(text + at, "\nnext\n", 6);
      at += 6;
      FILE *f = from_string(text, at);
      stream_reader *r = stream_reader_new(f, "chunk.txt");
      stream_record rec;
      cr_assert_eq(stream_read(r, &rec), STREAM_TEXT, "n=%zu crlf=%d: %s", n,
                   crlf, rec.kind == STREAM_ERROR ? rec.error : "");
      cr_assert_eq(strlen(rec.fields[0]), n, "n=%zu crlf=%d", n, crlf);
      cr_assert_eq(memcmp(rec.fields[0] + n - 3, "合", 3), 0);
      cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
      cr_assert_str_eq(rec.fields[0], "next");
      cr_assert_eq(rec.lineno, 2);
      cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
      stream_reader_free(r);
      fclose(f);
      free(text);
    }
  }
}

/* Many short lines over several blocks: every one read back in order,
** with its number, none lost or joined at a block's end. */
Test(stream, short_lines_over_many_blocks)
{
  size_t cap = 40000 * 16, len = 0;
  char *text = malloc(cap);
  cr_assert_not_null(text);
  for (int i = 1; i <= 40000; i++)
    len += (size_t)snprintf(text + len, cap - len, "行%d\t%d\n", i, i * 7);
  FILE *f = from_string(text, len);
  stream_reader *r = stream_reader_new(f, "many.txt");
  stream_record rec;
  for (int i = 1; i <= 40000; i++) {
    cr_assert_eq(stream_read(r, &rec), STREAM_ROW, "line %d", i);
    char want[32];
    snprintf(want, sizeof want, "行%d", i);
    cr_assert_str_eq(rec.fields[0], want);
    cr_assert_eq(atoi(rec.fields[1]), i * 7);
    cr_assert_eq(rec.lineno, i);
  }
  cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
  stream_reader_free(r);
  fclose(f);
  free(text);
}

/* The writer copies clean runs whole and still turns each TAB, CR, LF and
** FF inside a cell into one space, at the start, the end and side by side. */
/* From a pipe whose writer is still at work, a record comes as soon as
** its line is there: the reader does not wait for a block's worth or for
** the end (a pipeline's stages then run side by side). A reader that
** waited would hang here, and the timeout fails the test. */
Test(stream, a_pipe_is_read_as_its_lines_come, .timeout = 10)
{
  int fds[2];
  cr_assert_eq(pipe(fds), 0);
  FILE *in = fdopen(fds[0], "r");
  cr_assert_not_null(in);
  stream_reader *r = stream_reader_new(in, "pipe");
  const char first[] = "项目\t金额\n合计\t1.00\n";
  cr_assert_eq(write(fds[1], first, sizeof first - 1), (ssize_t)(sizeof first - 1));
  stream_record rec;
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW);
  cr_assert_str_eq(rec.fields[0], "项目");
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW);
  cr_assert_str_eq(rec.fields[1], "1.00");
  cr_assert_eq(stream_reader_buffered(r), 0);
  cr_assert_eq(write(fds[1], "尾\n", 4), 4);
  close(fds[1]);
  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_str_eq(rec.fields[0], "尾");
  cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
  stream_reader_free(r);
  fclose(in);
}

Test(stream, writer_replaces_each_control_byte_in_a_cell)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  cr_assert_not_null(out);
  char *cells[] = {"\tlead", "mid\r\ndle", "tail\f", ""};
  cr_assert_eq(stream_write_row(out, cells, 4), 0);
  cr_assert_eq(stream_write_text(out, "a\tb"), 0);
  fclose(out);
  cr_assert_str_eq(buf, " lead\tmid  dle\ttail \t\na b\n");
  free(buf);
}

Test(stream, writer_output_reads_back_identically)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  char *cells[] = {"201", "行政\t运行", "1397.59"};
  char *args[] = {"03", "部门支出预算表"};
  stream_write_directive(out, "table", args, 2);
  stream_write_row(out, cells, 3);
  stream_write_page(out);
  stream_write_text(out, "@@not a directive");
  fclose(out);

  FILE *in = from_string(buf, len);
  stream_reader *r = stream_reader_new(in, "mem");
  stream_record rec;
  cr_assert_eq(stream_read(r, &rec), STREAM_DIRECTIVE);
  cr_assert_str_eq(rec.fields[0], "03");
  cr_assert_eq(stream_read(r, &rec), STREAM_ROW);
  cr_assert_eq(rec.nfields, 3);
  cr_assert_str_eq(rec.fields[1], "行政 运行");
  cr_assert_eq(stream_read(r, &rec), STREAM_PAGE);
  cr_assert_eq(stream_read(r, &rec), STREAM_TEXT);
  cr_assert_str_eq(rec.fields[0], "@@not a directive");
  cr_assert_eq(stream_read(r, &rec), STREAM_EOF);
  stream_reader_free(r);
  fclose(in);
  free(buf);
}

Test(strbuf, append_past_cap_fails_and_keeps_content)
{
  strbuf b;
  strbuf_init(&b, 8);
  cr_assert_eq(strbuf_append_str(&b, "12345"), STRBUF_OK);
  cr_assert_eq(strbuf_append_str(&b, "6789"), STRBUF_TOO_BIG);
  cr_assert_str_eq(strbuf_cstr(&b), "12345");
  cr_assert_eq(strbuf_printf(&b, "%d", 678), STRBUF_OK);
  cr_assert_str_eq(strbuf_cstr(&b), "12345678");
  strbuf_free(&b);
}

/* Appends that fit the memory already allocated (64 bytes here) still
** stop at the cap, byte by byte as readers append. */
Test(strbuf, byte_appends_stop_at_the_cap_with_room_allocated)
{
  strbuf b;
  strbuf_init(&b, 8);
  const char *digits = "123456789";
  for (int i = 0; i < 8; i++)
    cr_assert_eq(strbuf_append_char(&b, digits[i]), STRBUF_OK);
  cr_assert_gt(b.size, 9);
  cr_assert_eq(strbuf_append_char(&b, '9'), STRBUF_TOO_BIG);
  cr_assert_eq(strbuf_append(&b, "", 0), STRBUF_OK);
  cr_assert_eq(strbuf_append(&b, digits, (size_t)-1), STRBUF_TOO_BIG);
  cr_assert_eq(b.len, 8);
  cr_assert_str_eq(strbuf_cstr(&b), "12345678");
  strbuf_clear(&b);
  cr_assert_eq(strbuf_append(&b, "ab", 2), STRBUF_OK);
  cr_assert_str_eq(strbuf_cstr(&b), "ab");
  strbuf_free(&b);
}

Test(utf8, validates_and_flags_overlongs_and_surrogates)
{
  cr_assert(utf8_valid("合计 1.00", strlen("合计 1.00"), NULL));
  size_t at = 99;
  cr_assert_not(utf8_valid("ab\xC0\xAF", 4, &at));
  cr_assert_eq(at, 2);
  cr_assert_not(utf8_valid("\xED\xA0\x80", 3, NULL));
  uint32_t cp;
  cr_assert_eq(utf8_decode("合", 3, &cp), 3);
  cr_assert(utf8_is_cjk(cp));
}

/* ASCII is checked eight bytes at a time: a NUL or a bad byte anywhere in
** or after such a run is still found at its exact offset, and valid text
** of every length around the word size passes. */
Test(utf8, finds_the_first_bad_byte_past_ascii_runs)
{
  char s[40];
  for (size_t len = 1; len < sizeof s; len++) {
    memset(s, 'a', len);
    cr_assert(utf8_valid(s, len, NULL), "len %zu", len);
    for (size_t at = 0; at < len; at++) {
      size_t got = 99;
      s[at] = '\0';
      cr_assert_not(utf8_valid(s, len, &got));
      cr_assert_eq(got, at, "NUL at %zu of %zu reported at %zu", at, len, got);
      s[at] = '\xff';
      cr_assert_not(utf8_valid(s, len, &got));
      cr_assert_eq(got, at, "0xFF at %zu of %zu reported at %zu", at, len, got);
      s[at] = 'a';
    }
  }
  const char mixed[] = "abcdefgh合计ijklmnop\xe5\x90";  /* cut short */
  size_t got = 0;
  cr_assert_not(utf8_valid(mixed, strlen(mixed), &got));
  cr_assert_eq(got, strlen(mixed) - 2);
}
