#include "preread.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "utf8.h"

/* Title-block text an unruled grid cut into cells (预算13 | 表, 2023年部门 |
** 收支预算表): a row of this many short cells at most is also read as one
** line. */
#define JOIN_ROW_CELLS 4
#define JOIN_ROW_CHARS 60

void preread_text(ruleset *rs, const char *line, text_reading *out,
                  strbuf *tmp)
{
  out->cls = title_classify(rs, line, &out->ti, tmp);
  out->key = out->cls == LINE_TITLE || out->cls == LINE_GENERIC
                 ? strbuf_cstr(tmp)
                 : NULL;
}

static void take_unit(row_reading *rr, const char *unit)
{
  if (!unit[0])
    return;
  if (!rr->unit_first[0])
    memcpy(rr->unit_first, unit, sizeof rr->unit_first);
  memcpy(rr->unit_last, unit, sizeof rr->unit_last);
}

/* A cell read as a line; a one-cell row ending in 表 is a cell, not a
** generic title. */
static line_class cell_line(ruleset *rs, const char *c, size_t len,
                            const subject_bytes *sb, row_reading *rr,
                            strbuf *tmp)
{
  title_info ti;
  line_class cls = title_classify_bytes(rs, c, len, sb, &ti, tmp);
  take_unit(rr, ti.unit);
  return cls == LINE_GENERIC ? LINE_PROSE : cls;
}

/* A row with a cell only table data holds (a "data" rule: a decimal
** amount) is a table row: no title, title block, note or furniture holds
** one, so its cells are not read as lines, nor are they joined into one
** (which costs more than the rest of the row's reading). */
static int row_holds_data(const ruleset *rs, char *const *cells, size_t nc)
{
  for (size_t i = 0; i < nc; i++)
    if (cell_is_data(rs, cells[i]))
      return 1;
  return 0;
}

/* Every non-empty cell title block, a note or furniture: ROW_FURNITURE;
** that plus exactly one table title: ROW_TITLE (a title block printed
** inside the grid). */
static int row_role(ruleset *rs, char *const *cells, size_t nc,
                    row_reading *rr, strbuf *tmp)
{
  size_t titles = 0;
  for (size_t i = 0; i < nc; i++) {
    const char *c = cells_past_spaces(cells[i]);
    if (!*c)
      continue;
    /* An amount or a code is table text; no need to read it as a line. */
    subject_bytes sb;
    size_t len = strlen(c);
    subject_bytes_of(c, len, &sb);
    if (cell_is_number_bytes(rs, c, len, &sb))
      return ROW_TABLE;
    line_class cls = cell_line(rs, c, len, &sb, rr, tmp);
    if (cls == LINE_TITLE) {
      titles++;
      rr->title = i;
      continue;
    }
    if (cls == LINE_SKIP)
      continue;
    if (cls == LINE_NOTE)
      rr->note = 1;
    else if (cls != LINE_TITLE_BLOCK)
      return ROW_TABLE;
  }
  return titles == 0 ? ROW_FURNITURE : titles == 1 ? ROW_TITLE : ROW_TABLE;
}

/* The row's few short cells read as one line, into join. */
static int row_role_joined(ruleset *rs, char *const *cells, size_t nc,
                           row_reading *rr, strbuf *join, strbuf *tmp)
{
  strbuf_clear(join);
  size_t k = 0;
  for (size_t i = 0; i < nc; i++) {
    const char *c = cells_past_spaces(cells[i]);
    if (!*c)
      continue;
    if (++k > JOIN_ROW_CELLS ||
        (join->len && strbuf_append_char(join, ' ') != STRBUF_OK) ||
        strbuf_append_str(join, c) != STRBUF_OK)
      return ROW_TABLE;
  }
  if (k < 2 || utf8_chars(strbuf_cstr(join)) > JOIN_ROW_CHARS)
    return ROW_TABLE;
  const char *line = strbuf_cstr(join);
  subject_bytes sb;
  subject_bytes_of(line, join->len, &sb);
  line_class cls = cell_line(rs, line, join->len, &sb, rr, tmp);
  if (cls == LINE_TITLE) {
    rr->joined = line;
    return ROW_TITLE;
  }
  if (cls == LINE_TITLE_BLOCK || cls == LINE_NOTE ||
      (cls == LINE_SKIP && !cell_is_amount(rs, line)))
    return ROW_FURNITURE;
  return ROW_TABLE;
}

void preread_row(ruleset *rs, char *const *cells, size_t nc, row_reading *out,
                 strbuf *join, strbuf *tmp)
{
  memset(out, 0, sizeof *out);
  out->data = row_holds_data(rs, cells, nc);
  out->role = out->data ? ROW_TABLE : row_role(rs, cells, nc, out, tmp);
  if (out->role == ROW_TABLE && !out->data)
    out->role = row_role_joined(rs, cells, nc, out, join, tmp);
}

/* ---- notes ---------------------------------------------------------------- */

/* A note: this head, then the key or joined text and its NUL, then a
** row's cleaned cells. Rules go by index, -1 for none. */
enum { NOTE_TEXT = 1, NOTE_ROW = 2 };
typedef struct note_head {
  int32_t what;
  int32_t cls, table, data, role, note;
  uint64_t title;
  char unit[16], unit_last[16];
  uint32_t textlen;
  int32_t has_text;
  /* A row's: its cleaned cells follow the text, cleanlen bytes, each a
  ** uint32 index, a uint32 length and the text with its NUL. */
  int32_t cleaned;
  uint32_t cleanlen;
} note_head;

struct prereader {
  ruleset twin;
  strbuf tmp, join, note;
  strbuf cell, clean; /* a cell being cleaned; the cleaned cells */
  int page;
};

prereader *prereader_new(const ruleset *src)
{
  prereader *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  if (ruleset_twin(&p->twin, src) != 0) {
    free(p);
    return NULL;
  }
  strbuf_init(&p->tmp, STRBUF_CAP_LINE);
  strbuf_init(&p->join, STRBUF_CAP_LINE);
  strbuf_init(&p->note, 3 * STRBUF_CAP_LINE);
  strbuf_init(&p->cell, STRBUF_CAP_LINE);
  strbuf_init(&p->clean, STRBUF_CAP_LINE);
  return p;
}

const ruleset *prereader_rules(const prereader *p) { return &p->twin; }

void prereader_free(prereader *p)
{
  if (!p)
    return;
  ruleset_free(&p->twin);
  strbuf_free(&p->tmp);
  strbuf_free(&p->join);
  strbuf_free(&p->note);
  strbuf_free(&p->cell);
  strbuf_free(&p->clean);
  free(p);
}

/* What the cell rules make of each of the row's cells, into p->clean:
** 1, or 0 when a cell passes a cap or memory runs out (the segmenter
** then cleans the row itself, and meets the same). */
static int clean_cells(prereader *p, char *const *cells, size_t nc)
{
  strbuf_clear(&p->clean);
  for (size_t i = 0; i < nc; i++) {
    int rc = cells_clean_text(&p->twin, cells[i], &p->cell);
    if (rc < 0)
      return 0;
    if (!rc)
      continue;
    uint32_t at[2] = {(uint32_t)i, (uint32_t)p->cell.len};
    if (strbuf_append(&p->clean, (const char *)at, sizeof at) != STRBUF_OK ||
        strbuf_append(&p->clean, strbuf_cstr(&p->cell), p->cell.len + 1) !=
            STRBUF_OK)
      return 0;
  }
  return 1;
}

static const void *pack(prereader *p, const note_head *h, const char *text,
                        size_t *len)
{
  strbuf_clear(&p->note);
  if (strbuf_append(&p->note, (const char *)h, sizeof *h) != STRBUF_OK ||
      (text && strbuf_append(&p->note, text, h->textlen) != STRBUF_OK) ||
      (h->cleanlen &&
       strbuf_append(&p->note, p->clean.data, h->cleanlen) != STRBUF_OK)) {
    *len = 0;
    return NULL;
  }
  *len = p->note.len;
  return p->note.data;
}

const void *preread_note(void *arg, const stream_record *rec, size_t *len)
{
  prereader *p = arg;
  *len = 0;
  /* What the rules said of cell texts is kept within a page only, as
  ** the segmenter keeps its own. */
  if (rec->page != p->page || rec->kind == STREAM_PAGE) {
    cells_forget(&p->twin);
    p->page = rec->page;
  }
  note_head h;
  memset(&h, 0, sizeof h);
  const char *text = NULL;
  if (rec->kind == STREAM_TEXT && rec->nfields == 1) {
    text_reading tr;
    preread_text(&p->twin, rec->fields[0], &tr, &p->tmp);
    h.what = NOTE_TEXT;
    h.cls = (int32_t)tr.cls;
    h.table = tr.cls == LINE_TITLE && tr.ti.table
                  ? (int32_t)(tr.ti.table - p->twin.rules)
                  : -1;
    memcpy(h.unit, tr.ti.unit, sizeof h.unit);
    text = tr.key;
  } else if (rec->kind == STREAM_ROW) {
    row_reading rr;
    preread_row(&p->twin, rec->fields, rec->nfields, &rr, &p->join, &p->tmp);
    h.what = NOTE_ROW;
    h.data = rr.data;
    h.role = rr.role;
    h.note = rr.note;
    h.title = rr.title;
    memcpy(h.unit, rr.unit_first, sizeof h.unit);
    memcpy(h.unit_last, rr.unit_last, sizeof h.unit_last);
    text = rr.joined;
    h.cleaned = clean_cells(p, rec->fields, rec->nfields);
    h.cleanlen = h.cleaned ? (uint32_t)p->clean.len : 0;
  } else
    return NULL;
  h.has_text = text != NULL;
  h.textlen = text ? (uint32_t)strlen(text) + 1 : 0;
  return pack(p, &h, text, len);
}

static int unpack(const void *note, size_t len, int what, note_head *h,
                  const char **text)
{
  if (!note || len < sizeof *h)
    return 0;
  memcpy(h, note, sizeof *h);
  if (h->what != what || len != sizeof *h + h->textlen + h->cleanlen)
    return 0;
  *text = h->has_text ? (const char *)note + sizeof *h : NULL;
  return 1;
}

int preread_text_of(const ruleset *rs, const void *note, size_t len,
                    text_reading *out)
{
  note_head h;
  const char *text;
  if (!unpack(note, len, NOTE_TEXT, &h, &text) ||
      (h.table >= 0 && (size_t)h.table >= rs->n))
    return 0;
  memset(out, 0, sizeof *out);
  out->cls = (line_class)h.cls;
  if (h.table >= 0) {
    /* The ID a title rule names is its catalog entry's. */
    out->ti.table = rs->rules + h.table;
    out->ti.id = out->ti.table->name;
  }
  memcpy(out->ti.unit, h.unit, sizeof out->ti.unit);
  out->key = text;
  return 1;
}

int preread_row_of(const void *note, size_t len, row_reading *out)
{
  note_head h;
  const char *text;
  if (!unpack(note, len, NOTE_ROW, &h, &text))
    return 0;
  memset(out, 0, sizeof *out);
  out->data = h.data;
  out->role = h.role;
  out->note = h.note;
  out->title = (size_t)h.title;
  memcpy(out->unit_first, h.unit, sizeof out->unit_first);
  memcpy(out->unit_last, h.unit_last, sizeof out->unit_last);
  out->joined = text;
  out->cleaned = h.cleaned;
  out->clean = (const char *)note + sizeof h + h.textlen;
  out->clean_len = h.cleanlen;
  return 1;
}

int preread_cleaned(const row_reading *rr, size_t nc, const char **out)
{
  if (!rr->cleaned)
    return -1;
  for (size_t i = 0; i < nc; i++)
    out[i] = NULL;
  for (size_t at = 0; at < rr->clean_len;) {
    uint32_t e[2];
    if (rr->clean_len - at < sizeof e)
      return -1;
    memcpy(e, rr->clean + at, sizeof e);
    at += sizeof e;
    if (e[0] >= nc || rr->clean_len - at < (size_t)e[1] + 1 ||
        rr->clean[at + e[1]] != '\0')
      return -1;
    out[e[0]] = rr->clean + at;
    at += (size_t)e[1] + 1;
  }
  return 0;
}
