#include "readahead.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Full chunks waiting for the normalizer: with READAHEAD_CHUNK bytes
** each, what reading ahead may hold. */
#define MAX_QUEUED 4

/* A record as a chunk keeps it: this head, nstr offsets (from the
** record's start) of NUL-terminated strings, the strings, the note. The
** first string is the keyword of a directive or the text of an error,
** when the record has one; the fields follow. */
typedef struct rec_head {
  uint32_t size; /* of the whole record, a multiple of 8 */
  uint32_t nfields;
  uint32_t note_at, note_len; /* note_len 0: none */
  int kind, page, resource, observe_failed;
  long lineno;
} rec_head;

typedef struct chunk {
  struct chunk *next;
  size_t len, cap;
  unsigned char data[];
} chunk;

struct readahead {
  stream_reader *rd;
  doc_meta *doc;
  readahead_note_fn note;
  void *note_ctx;
  int threaded;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t can_take, can_put;
  chunk *head, *tail; /* full chunks, oldest first */
  size_t queued;
  int done;           /* the reading side has put its last record */
  int stop;           /* the normalizer wants no more */
  int out_of_memory;  /* the reading side could not make a chunk */
  chunk *fill;        /* the reading side's chunk being filled */
  chunk *cur;         /* the normalizer's chunk */
  size_t pos;
  char **fields;      /* the normalizer's record */
  size_t fieldcap;
};

static int has_word(int kind)
{
  return kind == STREAM_DIRECTIVE || kind == STREAM_ERROR;
}

/* Hands the chunk being filled to the queue (waiting for room); 0, or -1
** when the normalizer has stopped. Called with the lock held. */
static int hand_over(readahead *ra)
{
  chunk *c = ra->fill;
  ra->fill = NULL;
  if (!c)
    return ra->stop ? -1 : 0;
  while (ra->threaded && ra->queued >= MAX_QUEUED && !ra->stop)
    pthread_cond_wait(&ra->can_put, &ra->mu);
  if (ra->stop) {
    free(c);
    return -1;
  }
  if (ra->tail)
    ra->tail->next = c;
  else
    ra->head = c;
  ra->tail = c;
  ra->queued++;
  if (ra->threaded)
    pthread_cond_signal(&ra->can_take);
  return 0;
}

/* Copies rec into the chunk being filled (a new one when it has no room).
** 0, or -1 (out of memory, or the normalizer has stopped). */
static int put(readahead *ra, stream_kind k, const stream_record *rec,
               int observe_failed, const void *note, size_t note_len)
{
  const char *word = k == STREAM_DIRECTIVE ? rec->keyword
                     : k == STREAM_ERROR   ? rec->error
                                           : NULL;
  size_t nf = k == STREAM_ERROR || k == STREAM_EOF ? 0 : rec->nfields;
  size_t nstr = nf + (word != NULL);
  size_t size = sizeof(rec_head) + nstr * sizeof(uint32_t);
  if (word)
    size += strlen(word) + 1;
  for (size_t i = 0; i < nf; i++)
    size += strlen(rec->fields[i]) + 1;
  size_t note_at = size;
  if (!note)
    note_len = 0;
  size += note_len;
  size = (size + 7) & ~(size_t)7;
  if (size > UINT32_MAX)
    return -1;
  if (!ra->fill || ra->fill->cap - ra->fill->len < size) {
    if (ra->fill) {
      pthread_mutex_lock(&ra->mu);
      int rc = hand_over(ra);
      pthread_mutex_unlock(&ra->mu);
      if (rc != 0)
        return -1;
    }
    /* Alone, a record is handed over as soon as it is read. */
    size_t cap = size > READAHEAD_CHUNK || !ra->threaded ? size
                                                          : READAHEAD_CHUNK;
    chunk *c = malloc(sizeof *c + cap);
    if (!c)
      return -1;
    c->next = NULL;
    c->len = 0;
    c->cap = cap;
    ra->fill = c;
  }
  unsigned char *base = ra->fill->data + ra->fill->len;
  rec_head h = {(uint32_t)size,      (uint32_t)nf,   (uint32_t)note_at,
                (uint32_t)note_len, (int)k,         rec->page,
                rec->resource,      observe_failed, rec->lineno};
  memcpy(base, &h, sizeof h);
  uint32_t *off = (uint32_t *)(void *)(base + sizeof h);
  size_t at = sizeof h + nstr * sizeof(uint32_t), s = 0;
  const char *str;
  for (size_t i = 0; i < nstr; i++) {
    str = word && i == 0 ? word : rec->fields[i - (word != NULL)];
    size_t len = strlen(str) + 1;
    off[s++] = (uint32_t)at;
    memcpy(base + at, str, len);
    at += len;
  }
  if (note_len)
    memcpy(base + note_at, note, note_len);
  ra->fill->len += size;
  return 0;
}

/* Reads one record, shows it to the metadata scan and keeps it; 1 when
** it was the last (EOF, an error, a failed scan, no memory). */
static int read_one(readahead *ra)
{
  stream_record rec;
  stream_kind k = stream_read(ra->rd, &rec);
  int failed = k != STREAM_ERROR && k != STREAM_EOF &&
               doc_meta_observe(ra->doc, &rec) != 0;
  size_t note_len = 0;
  const void *note = ra->note && k != STREAM_ERROR && k != STREAM_EOF
                         ? ra->note(ra->note_ctx, &rec, &note_len)
                         : NULL;
  if (put(ra, k, &rec, failed, note, note_len) != 0) {
    pthread_mutex_lock(&ra->mu);
    if (!ra->stop)
      ra->out_of_memory = 1;
    pthread_mutex_unlock(&ra->mu);
    return 1;
  }
  int last = k == STREAM_ERROR || k == STREAM_EOF || failed;
  /* All the input has for now is read: the normalizer gets it now, while
  ** the stage before is still at work, not when a chunk is full. */
  if (!last && ra->threaded && ra->fill &&
      stream_reader_buffered(ra->rd) == 0) {
    pthread_mutex_lock(&ra->mu);
    int rc = hand_over(ra);
    pthread_mutex_unlock(&ra->mu);
    if (rc != 0)
      return 1;
  }
  return last;
}

static void finish_reading(readahead *ra)
{
  pthread_mutex_lock(&ra->mu);
  hand_over(ra);
  ra->done = 1;
  if (ra->threaded)
    pthread_cond_signal(&ra->can_take);
  pthread_mutex_unlock(&ra->mu);
}

/* A stop is seen when a chunk is handed over (hand_over()), not after
** every record: reading goes on at most to the end of the chunk. */
static void *reading(void *arg)
{
  readahead *ra = arg;
  while (!read_one(ra))
    ;
  finish_reading(ra);
  return NULL;
}

static readahead *start(FILE *in, const char *name, doc_meta *doc,
                        readahead_note_fn note, void *note_ctx, int threaded)
{
  readahead *ra = calloc(1, sizeof *ra);
  if (!ra)
    return NULL;
  ra->rd = stream_reader_new(in, name);
  if (!ra->rd || pthread_mutex_init(&ra->mu, NULL) != 0) {
    stream_reader_free(ra->rd);
    free(ra);
    return NULL;
  }
  ra->doc = doc;
  ra->note = note;
  ra->note_ctx = note_ctx;
  pthread_cond_init(&ra->can_take, NULL);
  pthread_cond_init(&ra->can_put, NULL);
  /* Set before the thread starts, which reads it. */
  ra->threaded = threaded;
  if (threaded && pthread_create(&ra->thread, NULL, reading, ra) != 0)
    ra->threaded = 0;
  return ra;
}

/* A regular file of at most half a chunk comes in one read and fills one
** chunk, which is handed over only when all of it has been read: a thread
** would overlap nothing, and its start and hand-over cost 0.15 to 0.2 ms
** of a corpus document's 5. A pipe, or anything else, gets one. */
static int worth_a_thread(FILE *in)
{
  struct stat st;
  int fd = fileno(in);
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return 1;
  off_t at = ftello(in);
  return at < 0 || st.st_size - at > (off_t)(READAHEAD_CHUNK / 2);
}

readahead *readahead_start(FILE *in, const char *name, doc_meta *doc,
                           readahead_note_fn note, void *note_ctx)
{
  return start(in, name, doc, note, note_ctx, worth_a_thread(in));
}

int readahead_is_threaded(const readahead *ra) { return ra->threaded; }

readahead *readahead_start_unthreaded(FILE *in, const char *name,
                                      doc_meta *doc, readahead_note_fn note,
                                      void *note_ctx)
{
  return start(in, name, doc, note, note_ctx, 0);
}

/* The next full chunk: waited for (threaded) or read (not); NULL when
** there is none left. */
static chunk *take(readahead *ra)
{
  pthread_mutex_lock(&ra->mu);
  if (!ra->threaded) {
    /* One record at a time, as the reader alone would. */
    pthread_mutex_unlock(&ra->mu);
    if (!ra->done) {
      if (read_one(ra))
        finish_reading(ra);
      else {
        pthread_mutex_lock(&ra->mu);
        hand_over(ra);
        pthread_mutex_unlock(&ra->mu);
      }
    }
    pthread_mutex_lock(&ra->mu);
  }
  while (ra->threaded && !ra->head && !ra->done)
    pthread_cond_wait(&ra->can_take, &ra->mu);
  chunk *c = ra->head;
  if (c) {
    ra->head = c->next;
    if (!ra->head)
      ra->tail = NULL;
    ra->queued--;
    if (ra->threaded)
      pthread_cond_signal(&ra->can_put);
  }
  pthread_mutex_unlock(&ra->mu);
  return c;
}

stream_kind readahead_next(readahead *ra, stream_record *rec,
                           int *observe_failed, const void **note,
                           size_t *note_len)
{
  memset(rec, 0, sizeof *rec);
  *observe_failed = 0;
  *note = NULL;
  *note_len = 0;
  while (!ra->cur || ra->pos >= ra->cur->len) {
    free(ra->cur);
    ra->pos = 0;
    if (!(ra->cur = take(ra))) {
      int oom;
      pthread_mutex_lock(&ra->mu);
      oom = ra->out_of_memory;
      pthread_mutex_unlock(&ra->mu);
      if (!oom)
        return rec->kind = STREAM_EOF;
      rec->kind = STREAM_ERROR;
      rec->error = "out of memory";
      rec->resource = 1;
      return STREAM_ERROR;
    }
  }
  const unsigned char *base = ra->cur->data + ra->pos;
  rec_head h;
  memcpy(&h, base, sizeof h);
  ra->pos += h.size;
  const uint32_t *off = (const uint32_t *)(const void *)(base + sizeof h);
  int word = has_word(h.kind);
  if (h.nfields + 1 > ra->fieldcap) {
    size_t cap = h.nfields + 1 > 2 * ra->fieldcap ? h.nfields + 1
                                                  : 2 * ra->fieldcap;
    char **f = realloc(ra->fields, cap * sizeof *f);
    if (!f) {
      rec->kind = STREAM_ERROR;
      rec->error = "out of memory";
      rec->resource = 1;
      return STREAM_ERROR;
    }
    ra->fields = f;
    ra->fieldcap = cap;
  }
  for (uint32_t i = 0; i < h.nfields; i++)
    ra->fields[i] = (char *)base + off[i + word];
  ra->fields[h.nfields] = NULL;
  rec->kind = (stream_kind)h.kind;
  rec->fields = ra->fields;
  rec->nfields = h.nfields;
  rec->lineno = h.lineno;
  rec->page = h.page;
  rec->resource = h.resource;
  if (h.kind == STREAM_DIRECTIVE)
    rec->keyword = (const char *)base + off[0];
  if (h.kind == STREAM_ERROR)
    rec->error = (const char *)base + off[0];
  *observe_failed = h.observe_failed;
  if (h.note_len) {
    *note = base + h.note_at;
    *note_len = h.note_len;
  }
  return rec->kind;
}

void readahead_stop(readahead *ra)
{
  if (!ra)
    return;
  if (ra->threaded) {
    pthread_mutex_lock(&ra->mu);
    ra->stop = 1;
    pthread_cond_signal(&ra->can_put);
    pthread_mutex_unlock(&ra->mu);
    pthread_join(ra->thread, NULL);
  }
  free(ra->cur);
  free(ra->fill);
  for (chunk *c = ra->head, *next; c; c = next) {
    next = c->next;
    free(c);
  }
  free(ra->fields);
  stream_reader_free(ra->rd);
  pthread_cond_destroy(&ra->can_take);
  pthread_cond_destroy(&ra->can_put);
  pthread_mutex_destroy(&ra->mu);
  free(ra);
}
