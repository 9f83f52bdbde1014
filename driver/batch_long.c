#include "batch_long.h"

#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "exit_codes.h"
#include "sheet.h"
#include "strbuf.h"
#include "vec.h"

/* ---- reading a CSV whole (libcsv) ------------------------------------- */

typedef struct record {
  char **f;
  size_t n, cap;
} record;

typedef struct sheet {
  record *r;
  size_t n, cap;
  record cur;
  int oom;
} sheet;

static void record_free(record *r)
{
  for (size_t i = 0; i < r->n; i++)
    free(r->f[i]);
  free(r->f);
  memset(r, 0, sizeof *r);
}

static void sheet_free(sheet *s)
{
  for (size_t i = 0; i < s->n; i++)
    record_free(&s->r[i]);
  free(s->r);
  record_free(&s->cur);
  memset(s, 0, sizeof *s);
}

static void on_field(void *data, size_t len, void *ctx)
{
  sheet *s = ctx;
  if (s->oom)
    return;
  char *f = malloc(len + 1);
  if (!f || vec_reserve(&s->cur.f, &s->cur.cap, s->cur.n + 1,
                        sizeof *s->cur.f, 16) != 0) {
    free(f);
    s->oom = 1;
    return;
  }
  if (len)
    memcpy(f, data, len);
  f[len] = '\0';
  s->cur.f[s->cur.n++] = f;
}

static void on_record(int c, void *ctx)
{
  (void)c;
  sheet *s = ctx;
  if (s->oom)
    return;
  if (vec_reserve(&s->r, &s->cap, s->n + 1, sizeof *s->r, 64) != 0) {
    s->oom = 1;
    return;
  }
  s->r[s->n++] = s->cur;
  memset(&s->cur, 0, sizeof s->cur);
}

/* Spaces are data: "一、 收入" keeps its space, as the CSV has it. */
static int never_space(unsigned char c)
{
  (void)c;
  return 0;
}

/* Reads path into *s; a BOM is skipped. Returns a budget_exit status. */
static int read_sheet(const char *path, sheet *s, char *err, size_t errsz)
{
  memset(s, 0, sizeof *s);
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errsz, "%s: %s", path, strerror(errno));
    return BUDGET_EXIT_NO_INPUT;
  }
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    fclose(f);
    snprintf(err, errsz, "%s: out of memory", path);
    return BUDGET_EXIT_RESOURCE;
  }
  csv_set_space_func(&p, never_space);
  char buf[65536];
  size_t got, total = 0;
  int rc = BUDGET_EXIT_OK, first = 1;
  while (rc == BUDGET_EXIT_OK && (got = fread(buf, 1, sizeof buf, f)) > 0) {
    const char *b = buf;
    if (first && got >= 3 && !memcmp(b, CSVOUT_BOM, 3)) {
      b += 3;
      got -= 3;
    }
    first = 0;
    total += got;
    if (total > LONG_MAX_CSV_BYTES) {
      snprintf(err, errsz, "%s: over the %u MiB limit", path,
               LONG_MAX_CSV_BYTES >> 20);
      rc = BUDGET_EXIT_RESOURCE;
    } else if (csv_parse(&p, b, got, on_field, on_record, s) != got) {
      snprintf(err, errsz, "%s: not a valid CSV (%s)", path,
               csv_strerror(csv_error(&p)));
      rc = BUDGET_EXIT_BAD_TEXT;
    }
  }
  if (rc == BUDGET_EXIT_OK && ferror(f)) {
    snprintf(err, errsz, "%s: %s", path, strerror(errno));
    rc = BUDGET_EXIT_NO_INPUT;
  }
  if (rc == BUDGET_EXIT_OK &&
      csv_fini(&p, on_field, on_record, s) != 0) {
    snprintf(err, errsz, "%s: not a valid CSV (%s)", path,
             csv_strerror(csv_error(&p)));
    rc = BUDGET_EXIT_BAD_TEXT;
  }
  csv_free(&p);
  fclose(f);
  if (rc == BUDGET_EXIT_OK && s->oom) {
    snprintf(err, errsz, "%s: out of memory", path);
    rc = BUDGET_EXIT_RESOURCE;
  }
  if (rc != BUDGET_EXIT_OK)
    sheet_free(s);
  return rc;
}

/* The field of r under the header name in head; "" when absent. */
static const char *field(const record *head, const record *r,
                         const char *name)
{
  for (size_t i = 0; i < head->n && i < r->n; i++)
    if (!strcmp(head->f[i], name))
      return r->f[i];
  return "";
}

/* ---- classifying columns ---------------------------------------------- */

/* COL_EMPTY: no body cell at all (政府性基金 in a document without any):
** neither a label nor a break in a block of amount columns. */
enum { COL_LABEL, COL_CODE, COL_AMOUNT, COL_EMPTY };

static int is_placeholder(const char *s)
{
  return !strcmp(s, "-") || !strcmp(s, "—") || !strcmp(s, "－") ||
         !strcmp(s, "--") || !strcmp(s, "——");
}

static int is_empty(const char *s) { return !*s || is_placeholder(s); }

/* A clean amount: sign, digits, optional decimals. */
static int is_amount(const char *s)
{
  if (*s == '-' || *s == '+')
    s++;
  if (*s < '0' || *s > '9')
    return 0;
  while (*s >= '0' && *s <= '9')
    s++;
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9')
      return 0;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  return *s == '\0';
}

static const char *leaf(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* By the header's last level: 科目编码/科目名称 is a name, not a code. */
static int is_code_header(const char *path)
{
  const char *l = leaf(path);
  return strstr(l, "编码") || strstr(l, "代码") || strstr(l, "编号") ||
         !strcmp(l, "类") || !strcmp(l, "款") || !strcmp(l, "项");
}

/* Same parent path: the levels of one code (科目编码/类, /款, /项). */
static int same_parent(const char *a, const char *b)
{
  const char *la = leaf(a), *lb = leaf(b);
  return la != a && lb != b && la - a == lb - b && !memcmp(a, b, la - a);
}

static int classify(const sheet *t, size_t c)
{
  const char *head = t->r[0].f[c];
  if (is_code_header(head))
    return COL_CODE;
  int numbers = 0, text = 0;
  for (size_t i = 1; i < t->n; i++) {
    const char *v = c < t->r[i].n ? t->r[i].f[c] : "";
    if (!*v)
      continue;
    text++;
    if (is_placeholder(v))
      continue;
    if (!is_amount(v))
      return COL_LABEL;
    numbers++;
  }
  return numbers ? COL_AMOUNT : text ? COL_LABEL : COL_EMPTY;
}

/* ---- writing ---------------------------------------------------------- */

#define LONG_FIELDS 10 /* without the page column */

int long_write_header(FILE *out, const long_opts *o)
{
  static const char *const head[] = {"document", "department", "year",
                                     "table_id", "row",        "code",
                                     "row_label", "column",    "value",
                                     "unit",     "page"};
  if ((o->bom || o->excel) && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  return csvout_write_record(out, head,
                             LONG_FIELDS + (o->page_column ? 1 : 0));
}

/* One long.csv record; with excel, a field a spreadsheet would turn into
** a number goes as ="...", as budget-csv --excel writes it. */
static int write_record(FILE *out, const char **rec, size_t n, int excel)
{
  char *formulas[LONG_FIELDS + 1] = {0};
  int rc = 0;
  for (size_t i = 0; excel && i < n && rc == 0; i++) {
    if (!sheet_excel_code(rec[i]))
      continue;
    size_t len = strlen(rec[i]) + 4;
    if (!(formulas[i] = malloc(len))) {
      errno = ENOMEM;
      rc = -1;
      break;
    }
    /* digits alone: nothing to escape inside the formula's string */
    snprintf(formulas[i], len, "=\"%s\"", rec[i]);
    rec[i] = formulas[i];
  }
  if (rc == 0)
    rc = csvout_write_record(out, rec, n);
  for (size_t i = 0; i < n; i++)
    free(formulas[i]);
  return rc;
}

/* ="03" as budget-csv --excel writes a code: back to 03, in place. */
static void unwrap_formulas(sheet *t)
{
  for (size_t i = 1; i < t->n; i++)
    for (size_t c = 0; c < t->r[i].n; c++) {
      char *v = t->r[i].f[c];
      size_t len = strlen(v);
      if (len >= 3 && v[0] == '=' && v[1] == '"' && v[len - 1] == '"' &&
          !memchr(v + 2, '"', len - 3)) {
        memmove(v, v + 2, len - 3);
        v[len - 3] = '\0';
      }
    }
}

typedef struct doc_info {
  const char *name, *department, *year, *table_id, *unit;
} doc_info;

static const char *cell(const record *r, size_t c)
{
  return c < r->n ? r->f[c] : "";
}

/* A code is digits (a letter may follow: 2010199Z); 合计 printed in a
** code column is the row's label, not its code. */
static int is_code_value(const char *s) { return *s >= '0' && *s <= '9'; }

/* The text of a code cell of row r, "" unless it is a code. */
static const char *code_cell(const record *r, size_t c)
{
  const char *v = cell(r, c);
  return is_code_value(v) ? v : "";
}

/* The row's code over the code columns of [from, to): the first group of
** levels the row fills (06 and 08 print two classifications side by side,
** 部门 then 政府: the first is the one its first name belongs to), its
** levels joined, a level left empty taking the last value above it. */
static int row_code(const sheet *t, const int *kind, char **last, size_t row,
                    size_t from, size_t to, strbuf *code)
{
  strbuf_clear(code);
  for (size_t c = from; c < to; c++) {
    if (kind[c] != COL_CODE)
      continue;
    size_t end = c + 1;
    while (end < to && kind[end] == COL_CODE &&
           same_parent(t->r[0].f[c], t->r[0].f[end]))
      end++;
    /* the deepest level this row gives */
    size_t deepest = end;
    for (size_t k = c; k < end; k++)
      if (*code_cell(&t->r[row], k))
        deepest = k;
    if (deepest < end) {
      for (size_t k = c; k <= deepest; k++) {
        const char *v = code_cell(&t->r[row], k);
        if (strbuf_append_str(code, is_empty(v) ? last[k] : v) != STRBUF_OK)
          return -1;
      }
      return 0; /* the first code: that of the first classification */
    }
    c = end - 1;
  }
  return 0;
}

/* Updates the last-seen levels of every code column after row. */
static int remember_codes(const sheet *t, const int *kind, char **last,
                          size_t row, size_t ncols)
{
  for (size_t c = 0; c < ncols; c++) {
    if (kind[c] != COL_CODE || !*code_cell(&t->r[row], c))
      continue;
    char *v = strdup(code_cell(&t->r[row], c));
    if (!v)
      return -1;
    free(last[c]);
    last[c] = v;
    /* a new 类 starts over: the 款 and 项 under the old one are stale */
    for (size_t k = c + 1; k < ncols && kind[k] == COL_CODE &&
                           same_parent(t->r[0].f[c], t->r[0].f[k]);
         k++) {
      free(last[k]);
      last[k] = strdup("");
      if (!last[k])
        return -1;
    }
  }
  return 0;
}

static int write_table(FILE *out, const doc_info *d, sheet *t,
                       const long_opts *o, size_t *records, char *err,
                       size_t errsz, const char *path)
{
  if (t->n < 1)
    return BUDGET_EXIT_OK;
  if (o->excel)
    unwrap_formulas(t);
  size_t ncols = t->r[0].n;
  /* --page-column's `page` is where the row was printed, not an amount:
  ** it is left out of the columns and given to each record instead. */
  size_t page_col = (size_t)-1;
  if (o->page_column && ncols && !strcmp(t->r[0].f[ncols - 1], "page"))
    page_col = --ncols;
  int *kind = calloc(ncols ? ncols : 1, sizeof *kind);
  char **last = calloc(ncols ? ncols : 1, sizeof *last);
  strbuf code;
  strbuf_init(&code, STRBUF_CAP_CELL);
  int rc = BUDGET_EXIT_OK;
  if (!kind || !last)
    rc = BUDGET_EXIT_RESOURCE;
  for (size_t c = 0; c < ncols && rc == BUDGET_EXIT_OK; c++)
    if (!(last[c] = strdup("")))
      rc = BUDGET_EXIT_RESOURCE;
    else
      kind[c] = classify(t, c);
  char row_no[32];
  for (size_t i = 1; i < t->n && rc == BUDGET_EXIT_OK; i++) {
    const record *r = &t->r[i];
    snprintf(row_no, sizeof row_no, "%zu", i);
    for (size_t c = 0; c < ncols && rc == BUDGET_EXIT_OK; c++) {
      if (kind[c] != COL_AMOUNT || is_empty(cell(r, c)))
        continue;
      /* the stretch of text and code columns left of c's amount block */
      size_t block = c;
      while (block > 0 && (kind[block - 1] == COL_AMOUNT ||
                           kind[block - 1] == COL_EMPTY))
        block--;
      size_t from = block;
      while (from > 0 && kind[from - 1] != COL_AMOUNT)
        from--;
      const char *label = "", *named = NULL, *in_code = NULL;
      for (size_t k = from; k < block; k++) {
        const char *v = cell(r, k);
        if (kind[k] == COL_CODE && !in_code && !is_empty(v) &&
            !is_code_value(v))
          in_code = v;
        if (kind[k] != COL_LABEL)
          continue;
        if (!named && strstr(t->r[0].f[k], "名称") && !is_empty(v))
          named = v;
        if (!is_empty(v))
          label = v;
      }
      if (named)
        label = named;
      else if (!*label && in_code)
        label = in_code; /* 合计 in the 科目编码 column */
      /* a label printed across both halves (当年支出小计 over 功能分类 and
      ** 支出用途): the nearest text further left in the row */
      for (size_t k = from; !*label && k-- > 0;)
        if (kind[k] == COL_LABEL && !is_empty(cell(r, k)))
          label = cell(r, k);
      if (row_code(t, kind, last, i, from, block, &code) != 0) {
        rc = BUDGET_EXIT_RESOURCE;
        break;
      }
      const char *rec[] = {d->name,        d->department, d->year,
                           d->table_id,    row_no,        strbuf_cstr(&code),
                           label,          t->r[0].f[c],  cell(r, c),
                           d->unit,        cell(r, page_col)};
      if (write_record(out, rec, LONG_FIELDS + (o->page_column ? 1 : 0),
                       o->excel) != 0)
        rc = BUDGET_EXIT_OUTPUT;
      else if (records)
        (*records)++;
    }
    if (rc == BUDGET_EXIT_OK && remember_codes(t, kind, last, i, ncols) != 0)
      rc = BUDGET_EXIT_RESOURCE;
  }
  if (rc == BUDGET_EXIT_RESOURCE)
    snprintf(err, errsz, "%s: out of memory", path);
  else if (rc == BUDGET_EXIT_OUTPUT)
    snprintf(err, errsz, "cannot write long.csv: %s", strerror(errno));
  for (size_t c = 0; last && c < ncols; c++)
    free(last[c]);
  free(last);
  free(kind);
  strbuf_free(&code);
  return rc;
}

static char *join(const char *dir, const char *name)
{
  size_t n = strlen(dir) + strlen(name) + 2;
  char *p = malloc(n);
  if (p)
    snprintf(p, n, "%s/%s", dir, name);
  return p;
}

int long_add_document(FILE *out, const char *docname, const char *folder,
                      const long_opts *o, size_t *records, char *err,
                      size_t errsz)
{
  if (records)
    *records = 0;
  char *docp = join(folder, "document.csv");
  char *idxp = join(folder, "tables.csv");
  if (!docp || !idxp) {
    free(docp);
    free(idxp);
    snprintf(err, errsz, "%s: out of memory", folder);
    return BUDGET_EXIT_RESOURCE;
  }
  sheet doc = {0}, idx = {0};
  int rc = BUDGET_EXIT_OK;
  /* an older budget-csv wrote no document.csv: department and year empty */
  FILE *probe = fopen(docp, "rb");
  if (probe) {
    fclose(probe);
    rc = read_sheet(docp, &doc, err, errsz);
  }
  if (rc == BUDGET_EXIT_OK)
    rc = read_sheet(idxp, &idx, err, errsz);
  /* With --excel the index names 03 as ="03" too. */
  if (rc == BUDGET_EXIT_OK)
    unwrap_formulas(&idx);
  doc_info d = {docname, "", "", "", ""};
  if (rc == BUDGET_EXIT_OK && doc.n >= 2) {
    d.department = field(&doc.r[0], &doc.r[1], "department");
    d.year = field(&doc.r[0], &doc.r[1], "year");
  }
  for (size_t i = 1; rc == BUDGET_EXIT_OK && i < idx.n; i++) {
    d.table_id = field(&idx.r[0], &idx.r[i], "id");
    d.unit = field(&idx.r[0], &idx.r[i], "unit");
    /* a form of text (14), or an ID that names no file of ours */
    if (!strcmp(d.table_id, "14") || !d.table_id[0] ||
        strchr(d.table_id, '/') || d.table_id[0] == '.')
      continue;
    char name[64];
    snprintf(name, sizeof name, "%.50s.csv", d.table_id);
    char *tp = join(folder, name);
    if (!tp) {
      snprintf(err, errsz, "%s: out of memory", folder);
      rc = BUDGET_EXIT_RESOURCE;
      break;
    }
    sheet t;
    rc = read_sheet(tp, &t, err, errsz);
    if (rc == BUDGET_EXIT_OK) {
      size_t n = 0;
      rc = write_table(out, &d, &t, o, &n, err, errsz, tp);
      if (records)
        *records += n;
      sheet_free(&t);
    }
    free(tp);
  }
  sheet_free(&doc);
  sheet_free(&idx);
  free(docp);
  free(idxp);
  return rc;
}
