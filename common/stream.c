#include "stream.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "utf8.h"

struct stream_reader {
  FILE *in;
  int fd;             /* in's descriptor, or -1 (a memory stream) */
  const char *name;
  strbuf line;
  char **fields;
  size_t fields_cap;
  long lineno;
  int page;
  int pending_ff;     /* form feeds seen at the start of the held line */
  int holding;        /* line holds a record not yet returned */
  size_t hold_offset; /* where the held record starts within line */
  char *buf;          /* bytes read from in and not yet taken */
  size_t buf_pos, buf_end;
  char error[160];
};

/* Input is read in blocks of this size, lines found in them by memchr. */
#define READ_BLOCK (64u * 1024u)

stream_reader *stream_reader_new(FILE *in, const char *name)
{
  stream_reader *r = calloc(1, sizeof *r);
  if (!r)
    return NULL;
  r->in = in;
  r->fd = fileno(in);
  r->name = name;
  r->page = 1;
  r->buf = malloc(READ_BLOCK);
  if (!r->buf) {
    free(r);
    return NULL;
  }
  strbuf_init(&r->line, STRBUF_CAP_LINE);
  return r;
}

void stream_reader_free(stream_reader *r)
{
  if (!r)
    return;
  strbuf_free(&r->line);
  free(r->fields);
  free(r->buf);
  free(r);
}

static stream_kind fail_as(stream_reader *r, stream_record *rec,
                           const char *what, int resource)
{
  snprintf(r->error, sizeof r->error, "line %ld: %s", r->lineno, what);
  rec->kind = STREAM_ERROR;
  rec->error = r->error;
  rec->lineno = r->lineno;
  rec->resource = resource;
  return STREAM_ERROR;
}

/* The text itself is at fault. */
static stream_kind fail(stream_reader *r, stream_record *rec, const char *what)
{
  return fail_as(r, rec, what, 0);
}

static stream_kind fail_resource(stream_reader *r, stream_record *rec,
                                 const char *what)
{
  return fail_as(r, rec, what, 1);
}

/* The next bytes of the input into buf: what is there, up to READ_BLOCK
** (0 at the end). fread() would wait for a whole block, and a pipe's
** reader then starts only when its writer has written 64 KiB or ended:
** the stages of a pipeline would run one after the other. On a read
** error the same read goes through stdio, which records it in the FILE
** for ferror(). */
static size_t read_block(stream_reader *r)
{
  if (r->fd >= 0) {
    ssize_t got;
    while ((got = read(r->fd, r->buf, READ_BLOCK)) < 0 && errno == EINTR)
      ;
    if (got >= 0)
      return (size_t)got;
  }
  return fread(r->buf, 1, READ_BLOCK, r->in);
}

size_t stream_reader_buffered(const stream_reader *r)
{
  return r->buf_end - r->buf_pos;
}

/* Reads one physical line into r->line without its LF/CRLF.
** Returns 1 on a line, 0 at EOF, -1 when the cap is hit, -2 when memory
** runs out. r->lineno counts the line in every case but EOF, so an error
** names the line it is about. The input is read a block at a time, as
** much as it has (the reader is the FILE's only consumer: it reads ahead
** of what it returned), and each line's bytes go to the strbuf a run at a
** time, so the cap is checked per run but means the same: a line longer
** than the cap is refused. A read error ends the input like EOF; ferror()
** tells. */
static int read_line(stream_reader *r)
{
  int any = 0;
  strbuf_clear(&r->line);
  for (;;) {
    if (r->buf_pos == r->buf_end) {
      r->buf_pos = 0;
      r->buf_end = read_block(r);
      if (!r->buf_end)
        break;
    }
    const char *start = r->buf + r->buf_pos;
    size_t avail = r->buf_end - r->buf_pos;
    const char *nl = memchr(start, '\n', avail);
    size_t run = nl ? (size_t)(nl - start) : avail;
    any = 1;
    strbuf_status st = strbuf_append(&r->line, start, run);
    r->buf_pos += run + (nl ? 1 : 0);
    if (st != STRBUF_OK) {
      r->lineno++;
      return st == STRBUF_TOO_BIG ? -1 : -2;
    }
    if (nl)
      break;
  }
  if (!any)
    return 0;
  if (r->line.len && r->line.data[r->line.len - 1] == '\r')
    r->line.data[--r->line.len] = '\0';
  r->lineno++;
  return 1;
}

static int push_field(stream_reader *r, size_t *n, char *f)
{
  if (*n == r->fields_cap) {
    size_t cap = r->fields_cap ? r->fields_cap * 2 : 32;
    char **p = realloc(r->fields, cap * sizeof *p);
    if (!p)
      return -1;
    r->fields = p;
    r->fields_cap = cap;
  }
  r->fields[(*n)++] = f;
  return 0;
}

/* Splits s in place at TABs into r->fields. */
static int split_tabs(stream_reader *r, char *s, size_t *n)
{
  *n = 0;
  for (;;) {
    if (push_field(r, n, s) != 0)
      return -1;
    char *tab = strchr(s, '\t');
    if (!tab)
      return 0;
    *tab = '\0';
    s = tab + 1;
  }
}

static int all_space(const char *s)
{
  for (; *s; s++)
    if (*s != ' ' && *s != '\t' && *s != '\v')
      return 0;
  return 1;
}

stream_kind stream_read(stream_reader *r, stream_record *rec)
{
  memset(rec, 0, sizeof *rec);
  if (!r->holding) {
    int got = read_line(r);
    if (got == -1)
      return fail_resource(r, rec, "line longer than the 4 MiB limit");
    if (got < 0)
      return fail_resource(r, rec, "out of memory reading the line");
    if (got == 0) {
      rec->kind = STREAM_EOF;
      rec->lineno = r->lineno;
      rec->page = r->page;
      return STREAM_EOF;
    }
    size_t bad;
    if (!utf8_valid(r->line.data, r->line.len, &bad)) {
      char what[128];
      if (memchr(r->line.data, 0, r->line.len))
        snprintf(what, sizeof what, "NUL byte in text at byte %zu", bad + 1);
      else /* The usual cause: text saved by a Chinese Windows tool. */
        snprintf(what, sizeof what,
                 "invalid UTF-8 at byte %zu (GBK text? iconv -f GBK -t UTF-8)",
                 bad + 1);
      return fail(r, rec, what);
    }
    size_t off = 0;
    /* A UTF-8 byte-order mark on the first line is not content. */
    if (r->lineno == 1 && r->line.len >= 3 &&
        memcmp(r->line.data, "\xEF\xBB\xBF", 3) == 0)
      off = 3;
    r->pending_ff = 0;
    while (off < r->line.len && r->line.data[off] == '\f') {
      r->pending_ff++;
      off++;
    }
    r->hold_offset = off;
    r->holding = 1;
  }
  rec->lineno = r->lineno;
  if (r->pending_ff) {
    r->pending_ff--;
    r->page++;
    rec->kind = STREAM_PAGE;
    rec->page = r->page;
    /* A form feed alone on its line (pdftotext ends a file that way) is
    ** only a page mark, not a blank line too. */
    if (!r->pending_ff && r->hold_offset == r->line.len)
      r->holding = 0;
    return STREAM_PAGE;
  }
  r->holding = 0;
  rec->page = r->page;
  char *s = r->line.data ? r->line.data + r->hold_offset : (char *)"";
  /* Stray form feeds inside a line are layout noise. */
  for (char *p = strpbrk(s, "\f\r"); p; p = strpbrk(p + 1, "\f\r"))
    *p = ' ';
  size_t n;
  if (s[0] == '@' && s[1] == '@' && s[2] != '=' && s[2] != '\0') {
    if (split_tabs(r, s + 2, &n) != 0)
      return fail_resource(r, rec, "out of memory");
    rec->kind = STREAM_DIRECTIVE;
    rec->keyword = r->fields[0];
    rec->fields = r->fields + 1;
    rec->nfields = n - 1;
    return STREAM_DIRECTIVE;
  }
  if (s[0] == '@' && s[1] == '@' && s[2] == '=')
    s += 3; /* escaped literal line that began with "@@" */
  if (!strchr(s, '\t')) {
    if (all_space(s)) {
      rec->kind = STREAM_BLANK;
      return STREAM_BLANK;
    }
    if (push_field(r, &(size_t){0}, s) != 0)
      return fail_resource(r, rec, "out of memory");
    rec->kind = STREAM_TEXT;
    rec->fields = r->fields;
    rec->nfields = 1;
    return STREAM_TEXT;
  }
  if (split_tabs(r, s, &n) != 0)
    return fail_resource(r, rec, "out of memory");
  rec->kind = STREAM_ROW;
  rec->fields = r->fields;
  rec->nfields = n;
  return STREAM_ROW;
}

/* Writes s with TAB/CR/LF/FF replaced by spaces, a run of other bytes at
** a time. It and the writers below run for every cell of every row: they
** use the stdio calls that skip the stream's lock (no writer shares a
** FILE between threads), and find the bytes to replace with one table
** lookup a byte. */
static int put_clean(FILE *out, const char *s)
{
  static const unsigned char stop[256] = {
      [0] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['\f'] = 1};
  for (;;) {
    const char *e = s;
    while (!stop[(unsigned char)*e])
      e++;
    size_t run = (size_t)(e - s);
    /* A short run (most cells) byte by byte into the stream's buffer:
    ** cheaper than a call that copies it. */
    if (run <= 16) {
      for (size_t i = 0; i < run; i++)
        if (putc_unlocked(s[i], out) == EOF)
          return -1;
    } else if (fwrite_unlocked(s, 1, run, out) != run) {
      return -1;
    }
    if (!*e)
      return 0;
    if (putc_unlocked(' ', out) == EOF)
      return -1;
    s = e + 1;
  }
}

int stream_write_row(FILE *out, char *const *cells, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    if (i && putc_unlocked('\t', out) == EOF)
      return -1;
    if (cells[i] && put_clean(out, cells[i]) != 0)
      return -1;
  }
  /* A one-cell row still needs a TAB to read back as a row. */
  if (n == 1 && putc_unlocked('\t', out) == EOF)
    return -1;
  return putc_unlocked('\n', out) == EOF ? -1 : 0;
}

int stream_write_text(FILE *out, const char *text)
{
  if (text[0] == '@' && text[1] == '@' && fputs("@@=", out) == EOF)
    return -1;
  if (put_clean(out, text) != 0)
    return -1;
  return putc('\n', out) == EOF ? -1 : 0;
}

int stream_write_blank(FILE *out)
{
  return putc('\n', out) == EOF ? -1 : 0;
}

int stream_write_page(FILE *out)
{
  return fputs("\f\n", out) == EOF ? -1 : 0;
}

int stream_write_directive(FILE *out, const char *keyword, char *const *args,
                           size_t n)
{
  if (fputs("@@", out) == EOF || put_clean(out, keyword) != 0)
    return -1;
  for (size_t i = 0; i < n; i++)
    if (putc_unlocked('\t', out) == EOF ||
        put_clean(out, args[i] ? args[i] : "") != 0)
      return -1;
  return putc_unlocked('\n', out) == EOF ? -1 : 0;
}
