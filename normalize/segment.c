#include "segment.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cells.h"
#include "document.h"
#include "emit.h"
#include "evidence.h"
#include "exit_codes.h"
#include "header.h"
#include "origin.h"
#include "preread.h"
#include "readahead.h"
#include "repair.h"
#include "shape.h"
#include "stream.h"
#include "table.h"
#include "title.h"
#include "utf8.h"

/* A title is dropped when prose follows it: a sentence (a line with 。),
** or more than CAND_MAX_PROSE other lines before any row. */
#define CAND_MAX_PROSE 6
/* Directive numbers are clamped: a span or row index to SPAN_MAX, a grid
** to GRID_MAX_COLS columns (hostile input must not overflow or allocate
** without bound). */
#define SPAN_MAX (1 << 20)
#define GRID_MAX_COLS 4096
/* A prose line this short may be the first half of a wrapped title, and
** a line this short its second half (no title is longer). */
#define JOIN_MAX_CHARS 40
#define JOIN_SECOND_MAX_CHARS 60

typedef struct candidate {
  int active;
  char id[8];          /* standard ID, or "x" */
  const rule *entry;   /* catalog entry (NULL for generic) */
  char *printed;
  char *key;           /* squeezed, de-noised title */
  char unit[16];
  int page;
  int prose;           /* prose lines seen since the title */
} candidate;

typedef struct norm {
  ruleset *rs;
  FILE *out;
  const char *name;
  int page;            /* current page */
  int page_directive;  /* @@page seen: trust it over form feeds */
  candidate cand;
  char pending_unit[16];
  char *prev_prose;    /* last short prose line, for wrapped titles */
  tblock blk;
  int blk_active;
  int blk_seq;         /* blocks started so far: trow.block */
  row_origin at;       /* @@at for the next row (has_box set when given) */
  int from_page;       /* @@from for the next row (a stream read back): */
  row_origin from;     /* page 0 when none */
  size_t *cover;       /* @@covered columns (0-based) for the next row */
  size_t ncover, covercap;
  table t;
  int t_open;
  char **emitted;
  size_t nemitted, emitcap;
  int xcount;
  norm_stats *stats;
  shape_book book;     /* headers written so far (bounded) */
  evidence_book amounts; /* amounts written so far (bounded) */
  strbuf tmp, tmp2;
  strbuf join;         /* a row's cells read as one line (preread_row) */
  const char **cleanv; /* a row's cleaned cells (preread_cleaned) */
  size_t cleancap;
  int oom, werr;
} norm;

static void cand_clear(candidate *c)
{
  free(c->printed);
  free(c->key);
  memset(c, 0, sizeof *c);
}

static void set_unit(char *dst, const char *unit)
{
  if (unit && *unit && !*dst)
    snprintf(dst, 16, "%s", unit);
}

/* ---- finishing and emitting a table ------------------------------------ */

static int id_emitted(const norm *n, const char *id)
{
  for (size_t i = 0; i < n->nemitted; i++)
    if (!strcmp(n->emitted[i], id))
      return 1;
  return 0;
}

static int remember_id(norm *n, const char *id)
{
  if (n->nemitted == n->emitcap) {
    size_t cap = n->emitcap ? n->emitcap * 2 : 32;
    char **p = realloc(n->emitted, cap * sizeof *p);
    if (!p)
      return -1;
    n->emitted = p;
    n->emitcap = cap;
  }
  if (!(n->emitted[n->nemitted] = strdup(id)))
    return -1;
  n->nemitted++;
  return 0;
}

static void finish_table(norm *n)
{
  if (!n->t_open)
    return;
  table *t = &n->t;
  if (t->has_header && t->ncols) {
    if (shape_centred_parents(n->rs, t) < 0)
      n->oom = 1;
    /* Invented columns first, so a header one column off its data finds
    ** its neighbour. */
    shape_drop_phantoms(t);
    shape_merge_offset(t);
    origin_settle(n->rs, t);
    if (shape_book_repair(&n->book, t) < 0 || shape_book_add(&n->book, t) < 0)
      n->oom = 1;
    /* A header with no rows under it is a table only where the catalog
    ** says the table may be printed empty (10, 11): elsewhere it is a
    ** 目录 or an attachment list printed as a grid, and writing it would
    ** take the ID from the real table further on. */
    const rule *cat = strcmp(t->id, "x") ? rules_table(n->rs, t->id) : NULL;
    if (!t->body.n && !(cat && cat->may_be_empty)) {
      char note[160];
      snprintf(note, sizeof note,
               "a title with a header but no rows (page %d) is not a table: "
               "not written", t->first_page);
      char *args[] = {note};
      if (stream_write_directive(n->out, "note", args, 1) != 0)
        n->werr = 1;
      table_reset(t);
      n->t_open = 0;
      return;
    }
    char id[16];
    int repeated = strcmp(t->id, "x") != 0 && id_emitted(n, t->id);
    if (!strcmp(t->id, "x") || repeated)
      snprintf(id, sizeof id, "x%d", ++n->xcount);
    else
      snprintf(id, sizeof id, "%s", t->id);
    if (repeated) {
      char note[160];
      snprintf(note, sizeof note,
               "table %s printed a second time (page %d): written as %s",
               t->id, t->first_page, id);
      char *args[] = {note};
      if (stream_write_directive(n->out, "note", args, 1) != 0)
        n->werr = 1;
    }
    /* Damaged amounts of plain text, repaired where the document proves
    ** them (its amounts so far, this table's own). */
    if (t->tsv && !t->given) {
      int er = evidence_repair(&n->amounts, n->rs, t, id, n->out);
      if (er == -1)
        n->oom = 1;
      else if (er == -2)
        n->werr = 1;
    }
    if (evidence_add_table(&n->amounts, n->rs, t) != 0)
      n->oom = 1;
    if (id[0] != 'x' && remember_id(n, id) != 0)
      n->oom = 1;
    else if (emit_table(n->out, t, id) != 0)
      n->werr = 1;
    else {
      n->stats->tables++;
      if (id[0] == 'x')
        n->stats->generic++;
    }
  }
  table_reset(t);
  n->t_open = 0;
}

static void open_table(norm *n)
{
  finish_table(n);
  table *t = &n->t;
  table_reset(t);
  candidate *c = &n->cand;
  snprintf(t->id, sizeof t->id, "%s", c->id);
  const char *canon = c->entry ? c->entry->canonical : c->key;
  t->canonical = strdup(canon ? canon : "");
  t->printed = strdup(c->printed ? c->printed : "");
  if (!t->canonical || !t->printed)
    n->oom = 1;
  t->form = c->entry ? c->entry->form : 0;
  set_unit(t->unit, c->unit);
  set_unit(t->unit, n->pending_unit);
  t->first_page = c->page;
  t->last_page = c->page;
  n->t_open = 1;
  n->pending_unit[0] = '\0';
  cand_clear(c);
}

/* ---- cells -------------------------------------------------------------- */

/* Cell c through the cell rules (number 0: every row cell, first) or the
** number rules (1: a body cell, after). */
static void clean_cell(norm *n, trow *r, size_t c, int number)
{
  const char *cell = r->cells[c];
  if (!*cell)
    return; /* most cells of a TSV row: nothing to clean */
  strbuf *b = &n->tmp;
  int rc;
  if (!number) {
    rc = cells_clean_text(n->rs, cell, b);
  } else {
    size_t len = strlen(cell);
    /* Most cells need nothing: no copy then (the result would be equal).
    ** The bytes taken to tell are those of the copy cleaned below. */
    subject_bytes sb;
    int taken;
    if (cells_unchanged_bytes(n->rs, cell, len, 0, 1, &sb, &taken))
      return;
    strbuf_clear(b);
    rc = strbuf_append(b, cell, len) != STRBUF_OK ? -1
         : taken ? rules_apply_all_over(n->rs, RULE_NUMBER, b, &sb)
                 : rules_apply_all(n->rs, RULE_NUMBER, b);
    if (rc >= 0) {
      cells_trim(b);
      rc = b->len != len || memcmp(b->data ? b->data : "", cell, len) != 0;
    }
  }
  if (rc < 0) {
    n->oom = 1;
    return;
  }
  if (!rc)
    return;
  char *s = strdup(strbuf_cstr(b));
  if (!s) {
    n->oom = 1;
    return;
  }
  row_cell_replace(r, c, s);
}

/* ---- appending a block to the open table ------------------------------- */

/* The block's spans over its first h rows R, in header-row coordinates.
** NULL on OOM (an empty array when none apply). */
static hspan *block_hspans(const tblock *b, trow **R, size_t h, size_t *nhs)
{
  hspan *hs = calloc(b->nspans + 1, sizeof *hs);
  *nhs = 0;
  if (!hs)
    return NULL;
  for (size_t s = 0; s < b->nspans; s++) {
    const tspan *sp = &b->spans[s];
    hspan x = {(size_t)-1, 0, (size_t)sp->col, (size_t)(sp->col + sp->cols)};
    for (size_t k = 0; k < h; k++)
      if (R[k]->gridrow >= sp->row && R[k]->gridrow < sp->row + sp->rows) {
        if (x.r0 == (size_t)-1)
          x.r0 = k;
        x.r1 = k + 1;
      }
    if (x.r0 != (size_t)-1 && R[x.r0]->gridrow == sp->row)
      hs[(*nhs)++] = x;
  }
  return hs;
}

/* A continuation grid with other columns than the table's that repeats the
** header: its columns are mapped onto the table's by their header paths
** (in order; a column without a path must have no text). On success the
** body rows are rewritten to the table's columns, *start is set past the
** repeated header, and 1 is returned; 0 leaves everything alone. */
static int realign_by_header(norm *n, trow **R, size_t nr, size_t *start)
{
  table *t = &n->t;
  tblock *b = &n->blk;
  if (!b->grid || b->ncols <= 0 || (size_t)b->ncols == t->ncols || t->form)
    return 0;
  size_t h = header_infer(n->rs, R, nr), bn = (size_t)b->ncols;
  if (!h || h == nr)
    return 0;
  size_t nhs = 0;
  hspan *hs = b->nspans ? block_hspans(b, R, h, &nhs) : NULL;
  char **paths = calloc(bn, sizeof *paths);
  long *map = calloc(bn, sizeof *map);
  int ok = paths && map && (!b->nspans || hs) &&
           header_flatten(R, h, bn, hs, nhs, paths) == 0;
  size_t next = 0;
  for (size_t j = 0; j < bn && ok; j++) {
    map[j] = -1;
    if (!paths[j][0]) {
      for (size_t k = h; k < nr && ok; k++)
        ok = j >= R[k]->n || !R[k]->cells[j][0];
      continue;
    }
    size_t i = next;
    while (i < t->ncols && strcmp(t->paths[i], paths[j]))
      i++;
    if (i == t->ncols)
      ok = 0;
    else {
      map[j] = (long)i;
      next = i + 1;
    }
  }
  for (size_t k = h; k < nr && ok; k++) {
    trow *r = R[k];
    char **cells = calloc(t->ncols ? t->ncols : 1, sizeof *cells);
    if (!cells) {
      n->oom = 1;
      ok = 0;
      break;
    }
    for (size_t j = 0; j < r->n; j++) {
      if (j < bn && map[j] >= 0)
        cells[map[j]] = r->cells[j];
      else
        row_cell_free(r, r->cells[j]);
    }
    for (size_t i = 0; i < t->ncols; i++)
      if (!cells[i] && !(cells[i] = calloc(1, 1)))
        n->oom = 1;
    free(r->cells);
    r->cells = cells;
    r->n = t->ncols;
  }
  if (paths)
    for (size_t j = 0; j < bn; j++)
      free(paths[j]);
  free(paths);
  free(map);
  free(hs);
  if (ok)
    *start = h;
  return ok;
}

static int set_header(norm *n, trow **R, size_t nr, size_t *start)
{
  table *t = &n->t;
  tblock *b = &n->blk;
  size_t h;
  if (t->form)
    h = 1;
  else {
    h = 0;
    if (b->header_rows > 0) {
      while (h < nr && R[h]->gridrow < b->header_rows)
        h++;
      /* Trusted, but a row with amounts is never a header row. */
      h = header_infer(n->rs, R, h);
    }
    if (!h)
      h = header_infer(n->rs, R, nr);
  }
  size_t ncols = b->grid && b->ncols > 0 ? (size_t)b->ncols : 0;
  for (size_t i = 0; i < (h ? h : nr); i++) {
    size_t w = b->grid ? row_width(R[i]) : R[i]->n;
    if (w > ncols)
      ncols = w;
  }
  if (!ncols)
    return 0;
  hspan *hs = NULL;
  size_t nhs = 0;
  /* A form keeps a merged cell's text in its leftmost column only. */
  if (b->grid && b->nspans && h && !t->form && !(hs = block_hspans(b, R, h, &nhs)))
    return -1;
  if (!b->grid && !t->form && h > 1 && header_fix_shifted(R, h, ncols) < 0) {
    free(hs);
    return -1;
  }
  t->paths = calloc(ncols, sizeof *t->paths);
  t->hsig = calloc(h ? h : 1, sizeof *t->hsig);
  if (!t->paths || !t->hsig ||
      header_flatten(R, h, ncols, hs, nhs, t->paths) != 0) {
    free(hs);
    free(t->paths);
    t->paths = NULL;
    return -1;
  }
  t->hspans = hs;
  t->nhspans = nhs;
  t->ncols = ncols;
  for (size_t c = 0; c < ncols; c++) {
    char *before = strdup(t->paths[c]);
    const rule *which = NULL;
    int rc = before ? header_complete(n->rs, &t->paths[c], &which) : -1;
    if (rc < 0) {
      free(before);
      return -1;
    }
    if (rc == 1 && shape_add_repair(t, 0, c, before, t->paths[c], which->name) != 0) {
      free(before);
      return -1;
    }
    free(before);
  }
  for (size_t i = 0; i < h; i++) {
    if (!(t->hsig[i] = header_signature(R[i])))
      return -1;
    t->nh++;
    if (!rowvec_add(&t->hrows, R[i]->cells, R[i]->n))
      return -1;
  }
  t->hspanned = nhs > 0;
  t->has_header = 1;
  t->grid_ncols = b->ncols;

  *start = h;
  return 0;
}

/* A merged cell's text belongs in the top-left slot of its span only. An
** extractor that repeats it in the covered slots is undone, for the same
** text only: a different text under a span is data, not a copy. Text
** printed centred in a span with an empty top-left slot moves there (its
** lines, from the covered slots, in order). */
static int move_to_origin(tblock *b, const tspan *sp, trow *orow)
{
  strbuf t;
  strbuf_init(&t, STRBUF_CAP_CELL);
  for (size_t i = 0; i < b->rows.n; i++) {
    trow *r = &b->rows.rows[i];
    if (r->gridrow < sp->row || r->gridrow >= sp->row + sp->rows)
      continue;
    for (size_t c = (size_t)sp->col;
         c < (size_t)sp->col + (size_t)sp->cols && c < r->n; c++) {
      if (!r->cells[c][0])
        continue;
      if ((t.len && strbuf_append_char(&t, ' ') != STRBUF_OK) ||
          strbuf_append_str(&t, r->cells[c]) != STRBUF_OK) {
        strbuf_free(&t);
        return -1;
      }
      r->cells[c][0] = '\0';
    }
  }
  int rc = t.len ? row_set(orow, (size_t)sp->col, t.data, t.len) : 0;
  strbuf_free(&t);
  return rc;
}

static int clear_covered(tblock *b)
{
  for (size_t s = 0; s < b->nspans; s++) {
    const tspan *sp = &b->spans[s];
    trow *orow = NULL;
    for (size_t i = 0; i < b->rows.n && !orow; i++)
      if (b->rows.rows[i].gridrow == sp->row &&
          (size_t)sp->col < b->rows.rows[i].n)
        orow = &b->rows.rows[i];
    if (!orow)
      continue;
    if (!orow->cells[sp->col][0] && (sp->rows > 1 || sp->cols > 1) &&
        move_to_origin(b, sp, orow) != 0)
      return -1;
    const char *origin = orow->cells[sp->col];
    if (!*origin)
      continue;
    for (size_t i = 0; i < b->rows.n; i++) {
      trow *r = &b->rows.rows[i];
      if (r->gridrow < sp->row || r->gridrow >= sp->row + sp->rows)
        continue;
      for (size_t c = (size_t)sp->col;
           c < (size_t)sp->col + (size_t)sp->cols && c < r->n; c++)
        if ((r->gridrow != sp->row || c != (size_t)sp->col) &&
            r->cells[c] != origin && !strcmp(r->cells[c], origin))
          r->cells[c][0] = '\0';
      /* The rows under the span's first row are covered by its text, in
      ** the column that text stands in (origin.h decides at the end
      ** whether a fill is certain). */
      if (r->gridrow > sp->row &&
          origin_cover(r, (size_t)sp->col, sp->row, r->block) != 0)
        return -1;
    }
  }
  return 0;
}

static void append_block(norm *n)
{
  table *t = &n->t;
  tblock *b = &n->blk;
  trow **R = malloc((b->rows.n + 1) * sizeof *R);
  if (!R) {
    n->oom = 1;
    return;
  }
  size_t nr = 0;
  for (size_t i = 0; i < b->rows.n; i++) {
    trow *r = &b->rows.rows[i];
    if (r->precleaned)
      row_take_cleaned(r); /* the reading thread ran the cell rules */
    else
      for (size_t c = 0; c < r->n; c++)
        clean_cell(n, r, c, 0);
  }
  if (clear_covered(b) != 0)
    n->oom = 1;
  for (size_t i = 0; i < b->rows.n; i++) {
    trow *r = &b->rows.rows[i];
    if (!r->drop && !row_empty(r))
      R[nr++] = r;
  }
  if (!b->grid && !t->given)
    t->tsv = 1;
  size_t start = 0;
  int continuation = t->has_header && !t->given;
  if (!t->has_header) {
    if (nr && set_header(n, R, nr, &start) != 0)
      n->oom = 1;
    if (!t->has_header) {
      free(R);
      return;
    }
  } else {
    if (b->grid && b->ncols > 0 && (size_t)b->ncols < t->ncols &&
        shape_regrid(t, (size_t)b->ncols) < 0)
      n->oom = 1;
    realign_by_header(n, R, nr, &start);
    /* The header printed again at the top of a continuation page goes,
    ** recognised by its text (the grid's HEADER_ROWS alone could drop
    ** text-only body rows of a page that repeats no header). */
    for (; start < nr; start++) {
      char *sig = header_signature(R[start]);
      if (!sig) {
        n->oom = 1;
        break;
      }
      int rep = shape_header_sig(t, sig) || shape_repeats_header(n->rs, t, R[start]) > 0;
      free(sig);
      if (!rep)
        break;
    }
  }
  for (size_t i = start; i < nr; i++)
    for (size_t c = 0; c < R[i]->n; c++)
      clean_cell(n, R[i], c, 1);
  /* Plain text loses the column grid: a table of label/value pairs (15)
  ** gets rows printed a column off put back by what their cells are. */
  pair_run pr = {1, 0};
  if (t->tsv)
    repair_pair_run(n->rs, t->paths, t->ncols, &pr);
  for (size_t i = start; i < nr && !n->oom; i++)
    if (repair_shift_pairs(n->rs, &pr, R[i], t->kinds, t->nkinds) < 0)
      n->oom = 1;
  for (size_t i = start; i < nr && !n->oom; i++) {
    trow *r = R[i];
    if (t->tsv && t->body.n &&
        repair_double_values(n->rs, &pr, &t->body.rows[t->body.n - 1], r) < 0)
      n->oom = 1;
    /* The first row of a continuation page may end the last row of the
    ** page before (a row split by the page break). */
    if (i == start && continuation && t->body.n) {
      trow *last = &t->body.rows[t->body.n - 1];
      int rc = repair_split_row(n->rs, last, r, &pr);
      if (rc < 0)
        n->oom = 1;
      if (rc) {
        /* A joined cell is read again: its two halves may make up what a
        ** cell rule repairs (《政策创新动 + 态)经费). */
        for (size_t c = 0; c < last->n; c++) {
          clean_cell(n, last, c, 0);
          clean_cell(n, last, c, 1);
        }
        continue;
      }
    }
    if (t->tsv && i + 1 < nr) {
      int rc = repair_lone_values(n->rs, &pr, r, R[i + 1]);
      if (rc < 0)
        n->oom = 1;
      if (rc)
        continue;
    }
    if (t->tsv) {
      trow *prev = t->body.n ? &t->body.rows[t->body.n - 1] : NULL;
      int rc = repair_continuation(n->rs, prev, r);
      if (rc < 0)
        n->oom = 1;
      if (rc)
        continue;
    }
    size_t w = row_width(r);
    if (w > t->ncols && shape_widen(t, w) != 0) {
      n->oom = 1;
      break;
    }
    if (shape_note_kinds(n->rs, t, r) != 0)
      n->oom = 1;
    if (row_resize(r, t->ncols) != 0 || !rowvec_take(&t->body, r)) {
      n->oom = 1;
      break;
    }
    if (t->body.rows[t->body.n - 1].page > t->last_page)
      t->last_page = t->body.rows[t->body.n - 1].page;
  }
  free(R);
}

/* Ends the block being read and hands it to a table: the one a pending
** title opens, else the open table it continues, else none (dropped). */
static void flush_block(norm *n)
{
  tblock *b = &n->blk;
  if (!n->blk_active)
    return;
  int useful = 0;
  for (size_t i = 0; i < b->rows.n; i++)
    if (!b->rows.rows[i].drop && !row_empty(&b->rows.rows[i]))
      useful = 1;
  if (useful && !n->cand.active && n->t_open && n->t.has_header &&
      !shape_continues(n->rs, &n->t, b))
    useful = 0;
  if (useful) {
    candidate *c = &n->cand;
    if (c->active) {
      /* The title printed again over the next page (（续）): the same
      ** table goes on, whatever columns the extractor found there. A
      ** table without a standard ID is the same one when its title is
      ** printed again word for word on the page after its last. */
      int same = n->t_open && c->entry && !strcmp(c->id, n->t.id);
      if (!same && n->t_open && !c->entry && !strcmp(n->t.id, "x") &&
          c->printed && n->t.printed && !strcmp(c->printed, n->t.printed) &&
          c->page == n->t.last_page + 1)
        same = 1;
      if (same) {
        set_unit(n->t.unit, c->unit);
        cand_clear(c);
      } else
        open_table(n);
    }
    if (n->t_open)
      append_block(n);
    n->pending_unit[0] = '\0';
  }
  block_reset(b);
  n->blk_active = 0;
}

/* ---- text lines ---------------------------------------------------------- */

static char *dup_trim(const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  size_t len = strlen(s);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  char *p = malloc(len + 1);
  if (p) {
    memcpy(p, s, len);
    p[len] = '\0';
  }
  return p;
}

static void new_candidate(norm *n, const char *line, const title_info *ti,
                          line_class cls, const char *key)
{
  candidate *c = &n->cand;
  char keep_unit[16];
  snprintf(keep_unit, sizeof keep_unit, "%s", ti->unit);
  cand_clear(c);
  c->active = 1;
  if (cls == LINE_TITLE) {
    snprintf(c->id, sizeof c->id, "%s", ti->id);
    c->entry = ti->table;
  } else
    snprintf(c->id, sizeof c->id, "x");
  c->printed = dup_trim(line);
  c->key = strdup(key);
  if (!c->printed || !c->key)
    n->oom = 1;
  set_unit(c->unit, keep_unit);
  c->page = n->page;
}

/* A line that can be the first half of a printed title: a year in it, no
** sentence punctuation. */
static int title_prefix(const char *s)
{
  if (strstr(s, "。") || strstr(s, "，") || strstr(s, "；") || strstr(s, "："))
    return 0;
  for (const char *p = s; *p; p++)
    if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' &&
        p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
      const char *q = p + 4;
      while (*q == ' ')
        q++;
      if (!strncmp(q, "年", 3))
        return 1;
    }
  return 0;
}

static void clear_prev(norm *n)
{
  free(n->prev_prose);
  n->prev_prose = NULL;
}

/* Takes one text line, read as tr says (preread.h); titles become the
** pending candidate. Returns the line's class. */
static line_class text_line_read(norm *n, const char *line,
                                 const text_reading *tr)
{
  line_class cls = tr->cls;
  const title_info ti = tr->ti;
  if (ti.unit[0]) {
    /* The latest unit line before a table's rows is the table's, whether
    ** it is printed above or below the title. */
    if (n->cand.active)
      set_unit(n->cand.unit, ti.unit);
    else if (n->t_open && !n->t.has_header)
      set_unit(n->t.unit, ti.unit);
    snprintf(n->pending_unit, sizeof n->pending_unit, "%s", ti.unit);
  }
  /* The key may be in the scratch the joining below reuses. */
  char *key = NULL;
  if (tr->key && !(key = strdup(tr->key))) {
    n->oom = 1;
    return cls;
  }
  /* A title wrapped onto two lines: the first half reads as prose. Only
  ** a title counts, so two lines whose text no title rule can meet are
  ** not joined and read, nor is a paragraph the second half of one. */
  if (n->prev_prose && (cls == LINE_PROSE || cls == LINE_GENERIC ||
                        cls == LINE_TITLE) &&
      utf8_chars(line) <= JOIN_SECOND_MAX_CHARS) {
    strbuf *j = &n->tmp;
    strbuf_clear(j);
    if (strbuf_append_str(j, n->prev_prose) == STRBUF_OK &&
        strbuf_append_str(j, line) == STRBUF_OK &&
        title_may_name_table(n->rs, j->data, j->len)) {
      char *joined = strdup(j->data);
      title_info tj;
      line_class cj = joined ? title_classify(n->rs, joined, &tj, &n->tmp2)
                             : LINE_PROSE;
      /* The joined line wins when it names another table, or the same one
      ** with the first half of its printed title (a year and a department
      ** before the name: 2024年度青枫县市场监督管理局 / 收支预算总表). */
      if (cj == LINE_TITLE &&
          (cls != LINE_TITLE || strcmp(tj.id, ti.id) ||
           title_prefix(n->prev_prose))) {
        new_candidate(n, joined, &tj, cj, strbuf_cstr(&n->tmp2));
        set_unit(n->cand.unit, ti.unit);
        free(joined);
        free(key);
        clear_prev(n);
        return LINE_TITLE;
      }
      free(joined);
    }
  }
  switch (cls) {
  case LINE_TITLE:
  case LINE_GENERIC:
    new_candidate(n, line, &ti, cls, key);
    clear_prev(n);
    break;
  case LINE_PROSE:
    if (n->cand.active) {
      /* A sentence is prose for sure (title blocks and form rows that
      ** escaped the grid carry no 。); else only a long run of lines. */
      int sentence = strstr(line, "。") != NULL;
      if (sentence || ++n->cand.prose > CAND_MAX_PROSE)
        cand_clear(&n->cand);
    }
    clear_prev(n);
    if (utf8_chars(line) <= JOIN_MAX_CHARS && !(n->prev_prose = strdup(line)))
      n->oom = 1;
    break;
  default:
    clear_prev(n);
    break;
  }
  free(key);
  return cls;
}

/* A text line read here and now. */
static line_class text_line(norm *n, const char *line)
{
  text_reading tr;
  preread_text(n->rs, line, &tr, &n->tmp2);
  return text_line_read(n, line, &tr);
}

/* ---- rows ----------------------------------------------------------------- */

static void start_block(norm *n, int grid, int ncols, int header_rows)
{
  block_reset(&n->blk);
  n->blk_seq++;
  n->blk.grid = grid;
  n->blk.ncols = ncols;
  n->blk.header_rows = header_rows;
  n->blk_active = 1;
}

/* What the reading of a row's cells found besides its role: a note, and
** the units they name, as reading them one by one would have taken them
** (the first unit into a table or title that has none, the last pending). */
static void take_row_reading(norm *n, const row_reading *rr)
{
  if (rr->note)
    n->blk.in_note = 1;
  if (!rr->unit_first[0])
    return;
  if (n->cand.active)
    set_unit(n->cand.unit, rr->unit_first);
  else if (n->t_open && !n->t.has_header)
    set_unit(n->t.unit, rr->unit_first);
  snprintf(n->pending_unit, sizeof n->pending_unit, "%s", rr->unit_last);
}

/* A note printed inside the grid goes on for as many rows as it wrapped
** onto: one long sentence cell after a note row is more of the note. */
#define NOTE_MIN_CHARS 10
static int note_continues(norm *n, char **cells, size_t nc, size_t nonempty)
{
  if (!n->blk.in_note || nonempty != 1)
    return 0;
  for (size_t i = 0; i < nc; i++) {
    const char *c = cells_past_spaces(cells[i]);
    if (*c)
      return utf8_chars(c) >= NOTE_MIN_CHARS && !cell_is_amount(n->rs, c) &&
             !cell_is_code(n->rs, c) && !rules_any(n->rs, RULE_TOTAL, c, strlen(c));
  }
  return 0;
}

/* The origin the next row gets: a @@from read back as given, else the
** current page, the @@at box before the row and the row's own line. The
** pending directives apply to one row only. */
static void take_origin(norm *n, long lineno, int *page, row_origin *o)
{
  if (n->from_page > 0) {
    *page = n->from_page;
    *o = n->from;
  } else {
    *page = n->page;
    *o = n->at;
    o->line = lineno;
  }
  n->from_page = 0;
  memset(&n->at, 0, sizeof n->at);
}

/* The row into the block, with its cleaned cells when its reading knows
** them. NULL on OOM. */
static trow *add_row(norm *n, char **cells, size_t nc, const row_reading *rr)
{
  if (rr->cleaned) {
    if (nc > n->cleancap) {
      const char **v = realloc(n->cleanv, nc * sizeof *v);
      if (!v)
        return NULL;
      n->cleanv = v;
      n->cleancap = nc;
    }
    if (preread_cleaned(rr, nc, n->cleanv) == 0)
      return rowvec_add_cleaned(&n->blk.rows, cells, n->cleanv, nc);
  }
  return rowvec_add(&n->blk.rows, cells, nc);
}

/* One table row; rr is its reading when the reading thread made one. */
static void row_record(norm *n, char **cells, size_t nc, long lineno,
                       const row_reading *rr)
{
  int page;
  row_origin origin;
  take_origin(n, lineno, &page, &origin);
  size_t ncover = n->ncover;
  n->ncover = 0;
  size_t nonempty = 0;
  for (size_t i = 0; i < nc; i++)
    if (*cells_past_spaces(cells[i]))
      nonempty++;
  if (!n->blk_active)
    start_block(n, 0, 0, 0);
  int gridrow = n->blk.nextrow++;
  if (!nonempty)
    return; /* an empty ruled filler row is not a row */
  if (note_continues(n, cells, nc, nonempty))
    return;
  row_reading here;
  if (!rr) {
    preread_row(n->rs, cells, nc, &here, &n->join, &n->tmp2);
    rr = &here;
  }
  take_row_reading(n, rr);
  int role = rr->role;
  if (role == ROW_FURNITURE)
    return;
  n->blk.in_note = 0;
  if (role == ROW_TITLE) {
    /* A title printed inside the grid: the rows before it end there, the
    ** rows after it (same grid, same spans) start the new table. */
    int grid = n->blk.grid, gc = n->blk.ncols, gh = n->blk.header_rows;
    tspan *spans = n->blk.spans;
    size_t nspans = n->blk.nspans, spancap = n->blk.spancap;
    n->blk.spans = NULL;
    n->blk.nspans = n->blk.spancap = 0;
    int next = n->blk.nextrow;
    flush_block(n);
    text_line(n, rr->joined ? rr->joined : cells[rr->title]);
    start_block(n, grid, gc, gh);
    n->blk.spans = spans;
    n->blk.nspans = nspans;
    n->blk.spancap = spancap;
    n->blk.nextrow = next;
    return;
  }
  trow *r = add_row(n, cells, nc, rr);
  if (!r) {
    n->oom = 1;
    return;
  }
  r->page = page;
  r->gridrow = gridrow;
  r->block = n->blk_seq;
  r->origin = origin;
  for (size_t i = 0; i < ncover; i++)
    if (origin_cover(r, n->cover[i], -1, n->blk_seq) != 0)
      n->oom = 1;
  clear_prev(n);
}

/* A stream this stage wrote is valid input too: @@table opens the table it
** names (an x ID is numbered anew, in the same order), @@columns gives its
** header, @@end closes it. Its rows pass through the same cleaning, which
** leaves clean rows as they are, so normalizing twice changes nothing. */
static void given_table(norm *n, const stream_record *rec)
{
  flush_block(n);
  finish_table(n);
  cand_clear(&n->cand);
  table *t = &n->t;
  table_reset(t);
  const char *id = rec->nfields > 0 ? rec->fields[0] : "x";
  snprintf(t->id, sizeof t->id, "%s", id[0] == 'x' || !*id ? "x" : id);
  const rule *entry = rules_table(n->rs, t->id);
  t->form = entry ? entry->form : 0;
  t->canonical = strdup(rec->nfields > 1 ? rec->fields[1] : "");
  t->printed = strdup(rec->nfields > 2 ? rec->fields[2] : "");
  if (!t->canonical || !t->printed)
    n->oom = 1;
  t->first_page = rec->nfields > 3 ? atoi(rec->fields[3]) : n->page;
  t->last_page = rec->nfields > 4 ? atoi(rec->fields[4]) : t->first_page;
  if (rec->nfields > 5)
    snprintf(t->unit, sizeof t->unit, "%s", rec->fields[5]);
  t->given = 1;
  n->t_open = 1;
  n->pending_unit[0] = '\0';
}

static void given_columns(norm *n, const stream_record *rec)
{
  table *t = &n->t;
  if (!n->t_open || t->has_header || !rec->nfields)
    return;
  t->paths = calloc(rec->nfields, sizeof *t->paths);
  if (!t->paths) {
    n->oom = 1;
    return;
  }
  for (size_t i = 0; i < rec->nfields; i++)
    if (!(t->paths[i] = strdup(rec->fields[i]))) {
      n->oom = 1;
      return;
    }
  t->ncols = rec->nfields;
  t->has_header = 1;
}

/* A directive's number, clamped to [0, max]; junk reads as 0. */
static int arg_int(const stream_record *rec, size_t i, long max)
{
  if (i >= rec->nfields)
    return 0;
  char *end;
  long v = strtol(rec->fields[i], &end, 10);
  if (end == rec->fields[i] || v < 0)
    return 0;
  return (int)(v > max ? max : v);
}

/* A coordinate of @@at / @@from: a finite number within a sane range. */
static int arg_coord(const stream_record *rec, size_t i, double *v)
{
  if (i >= rec->nfields || !rec->fields[i][0])
    return 0;
  char *end;
  double d = strtod(rec->fields[i], &end);
  if (*end || !(d > -1e6 && d < 1e6))
    return 0;
  *v = d;
  return 1;
}

static int arg_box(const stream_record *rec, size_t i, row_origin *o)
{
  o->has_box = arg_coord(rec, i, &o->x0) && arg_coord(rec, i + 1, &o->y0) &&
               arg_coord(rec, i + 2, &o->x1) && arg_coord(rec, i + 3, &o->y1);
  if (!o->has_box)
    o->x0 = o->y0 = o->x1 = o->y1 = 0;
  return o->has_box;
}

static void at_directive(norm *n, const stream_record *rec)
{
  arg_box(rec, 0, &n->at);
}

/* A table stream read back: the row's origin as written, kept. */
static void from_directive(norm *n, const stream_record *rec)
{
  int pg = arg_int(rec, 0, 1000000);
  if (pg <= 0)
    return;
  memset(&n->from, 0, sizeof n->from);
  arg_box(rec, 1, &n->from);
  n->from.line = arg_int(rec, 5, 2000000000L);
  n->from_page = pg;
}

static void covered_directive(norm *n, const stream_record *rec)
{
  n->ncover = 0;
  for (size_t i = 0; i < rec->nfields; i++) {
    int c = arg_int(rec, i, GRID_MAX_COLS);
    if (c < 1)
      continue;
    if (n->ncover == n->covercap) {
      size_t cap = n->covercap ? n->covercap * 2 : 8;
      size_t *p = realloc(n->cover, cap * sizeof *p);
      if (!p) {
        n->oom = 1;
        return;
      }
      n->cover = p;
      n->covercap = cap;
    }
    n->cover[n->ncover++] = (size_t)(c - 1);
  }
}

static void directive(norm *n, const stream_record *rec)
{
  const char *k = rec->keyword;
  if (!strcmp(k, "grid")) {
    flush_block(n);
    start_block(n, 1, arg_int(rec, 0, GRID_MAX_COLS),
                arg_int(rec, 6, SPAN_MAX));
  } else if (!strcmp(k, "span")) {
    if (n->blk_active && n->blk.grid && rec->nfields >= 4) {
      tspan s = {arg_int(rec, 0, SPAN_MAX), arg_int(rec, 1, SPAN_MAX),
                 arg_int(rec, 2, SPAN_MAX), arg_int(rec, 3, SPAN_MAX)};
      if (s.rows > 0 && s.cols > 0 && block_add_span(&n->blk, s) != 0)
        n->oom = 1;
    }
  } else if (!strcmp(k, "page")) {
    flush_block(n);
    int pg = arg_int(rec, 0, 1000000);
    if (pg > 0) {
      n->page = pg;
      n->page_directive = 1;
    }
  } else if (!strcmp(k, "at")) {
    at_directive(n, rec);
  } else if (!strcmp(k, "from")) {
    from_directive(n, rec);
  } else if (!strcmp(k, "covered")) {
    covered_directive(n, rec);
  } else if (!strcmp(k, "table")) {
    given_table(n, rec);
  } else if (!strcmp(k, "columns")) {
    given_columns(n, rec);
  } else if (!strcmp(k, "end")) {
    flush_block(n);
    finish_table(n);
  }
  /* Other directives (@@source, @@note, ...) carry nothing this stage
  ** uses; notes are written anew. */
}

int normalize_stream(ruleset *rs, FILE *in, const char *name, FILE *out,
                     norm_stats *stats, char *err, size_t errsz)
{
  norm_stats dummy;
  norm n;
  memset(&n, 0, sizeof n);
  n.rs = rs;
  n.out = out;
  n.name = name;
  n.page = 1;
  n.stats = stats ? stats : &dummy;
  memset(n.stats, 0, sizeof *n.stats);
  strbuf_init(&n.tmp, STRBUF_CAP_LINE);
  strbuf_init(&n.tmp2, STRBUF_CAP_LINE);
  strbuf_init(&n.join, STRBUF_CAP_LINE);
  block_init(&n.blk);
  table_init(&n.t);
  err[0] = '\0';
  int status = BUDGET_EXIT_OK;

  /* The rules' reading of text lines and rows, and the department and
  ** year, are made in the reading thread, on a twin of the rules, while
  ** this one segments. */
  prereader *pre = prereader_new(rs);
  doc_meta *doc = pre ? doc_meta_new(name, prereader_rules(pre)) : NULL;
  readahead *rd =
      doc ? readahead_start(in, name, doc, preread_note, pre) : NULL;
  if (!rd) {
    doc_meta_free(doc);
    prereader_free(pre);
    snprintf(err, errsz, "out of memory");
    return BUDGET_EXIT_RESOURCE;
  }
  char *hdr[] = {"1"};
  if (stream_write_directive(out, "budget-stream", hdr, 1) != 0)
    n.werr = 1;
  stream_record rec;
  int memo_page = 0;
  for (;;) {
    int observe_failed;
    const void *note;
    size_t note_len;
    stream_kind k = readahead_next(rd, &rec, &observe_failed, &note, &note_len);
    if (k == STREAM_ERROR) {
      snprintf(err, errsz, "%s: %s", name, rec.error);
      status = rec.resource ? BUDGET_EXIT_RESOURCE : BUDGET_EXIT_BAD_TEXT;
      break;
    }
    if (k == STREAM_EOF)
      break;
    if (!n.page_directive && rec.page > n.page)
      n.page = rec.page;
    /* What the rules said of cell texts is kept within a page only. */
    if (n.page != memo_page || k == STREAM_PAGE) {
      cells_forget(rs);
      memo_page = n.page;
    }
    /* The document metadata scan saw the record as it was read. */
    if (observe_failed)
      n.oom = 1;
    switch (k) {
    case STREAM_DIRECTIVE:
      directive(&n, &rec);
      break;
    case STREAM_ROW: {
      row_reading rr;
      row_record(&n, rec.fields, rec.nfields, rec.lineno,
                 preread_row_of(note, note_len, &rr) ? &rr : NULL);
      break;
    }
    case STREAM_TEXT: {
      flush_block(&n);
      text_reading tr;
      if (preread_text_of(rs, note, note_len, &tr))
        text_line_read(&n, rec.fields[0], &tr);
      else
        text_line(&n, rec.fields[0]);
      break;
    }
    case STREAM_BLANK:
    case STREAM_PAGE:
      flush_block(&n);
      break;
    default:
      break;
    }
    if (n.oom || n.werr)
      break;
  }
  if (status == BUDGET_EXIT_OK && !n.oom && !n.werr) {
    flush_block(&n);
    finish_table(&n);
    /* Last: the department may be named on any page (table 14). */
    if (!n.oom && !n.werr && doc_meta_emit(doc, out) != 0)
      n.werr = 1;
  }
  /* Reading ends before the input's state is asked. */
  readahead_stop(rd);
  if (status == BUDGET_EXIT_OK && ferror(in)) {
    snprintf(err, errsz, "%s: cannot read: %s", name, strerror(errno));
    status = BUDGET_EXIT_NO_INPUT;
  }
  if (status == BUDGET_EXIT_OK) {
    if (n.oom) {
      snprintf(err, errsz, "%s: out of memory (or a cell over its cap)", name);
      status = BUDGET_EXIT_RESOURCE;
    } else if (n.werr || fflush(out) != 0 || ferror(out)) {
      /* stdio leaves errno set by the failed write (ENOSPC, EPIPE ...). */
      snprintf(err, errsz, "cannot write the stream: %s",
               errno ? strerror(errno) : "write error");
      status = BUDGET_EXIT_OUTPUT;
    } else if (!n.stats->tables) {
      snprintf(err, errsz, "%s: no budget table found", name);
      status = BUDGET_EXIT_NO_TABLES;
    }
  }
  doc_meta_free(doc);
  prereader_free(pre); /* after the doc, which matches against its twin */
  block_clear(&n.blk);
  table_clear(&n.t);
  cand_clear(&n.cand);
  clear_prev(&n);
  free(n.cover);
  shape_book_free(&n.book);
  evidence_free(&n.amounts);
  for (size_t i = 0; i < n.nemitted; i++)
    free(n.emitted[i]);
  free(n.emitted);
  strbuf_free(&n.tmp);
  strbuf_free(&n.tmp2);
  strbuf_free(&n.join);
  free(n.cleanv);
  return status;
}
