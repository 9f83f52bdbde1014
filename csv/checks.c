/*
** checks.c: the sums of a budget's tables, checked (contract: checks.h).
**
** Layout knowledge lives in three tables below: table_rules (how a
** table's rows nest), fact_rules (which cells are the totals other tables
** repeat) and cross_rules (which totals must agree). Everything else is
** generic: header paths say which columns add up, row labels and codes
** say which rows do.
*/
#include "checks.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"
#include "sheet.h"
#include "vec.h"

/* Beyond these a table is not a budget table we can reason about (and a
** hostile stream must not make the checks quadratic). */
#define MAX_COLUMNS 256
#define MAX_PATH_DEPTH 8
#define MAX_FINDINGS 100000
#define AMOUNT_SCALE 10000 /* amounts are held in units of 0.0001 */
#define MAX_DECIMALS 4
#define LEAF_LEVEL 1000

/* ---- the rules: data, not code ---------------------------------------- */

typedef enum rows_mode {
  ROWS_NONE,     /* no row checks */
  ROWS_CODES,    /* rows nest by 科目编码 / 单位代码 */
  ROWS_NUMBERED, /* rows nest by 一、 (一) 1、 (1) label numbering */
} rows_mode;

typedef struct table_rule {
  const char *id;
  rows_mode rows;
  int sides;   /* 收入 | 支出 side by side: each label + amounts run apart */
  int columns; /* column total checks */
  int coded;   /* rows checked only when a column holds codes (编码,
                  代码, 类/款/项): other layouts of the table (Jiangsu's
                  vertical 02) nest in ways the codes rule does not know */
} table_rule;

static const table_rule table_rules[] = {
    {"01", ROWS_NUMBERED, 1, 1, 0}, {"02", ROWS_CODES, 0, 1, 1},
    {"03", ROWS_CODES, 0, 1, 1},    {"04", ROWS_NUMBERED, 1, 1, 0},
    {"05", ROWS_CODES, 0, 1, 1},    {"06", ROWS_CODES, 0, 1, 1},
    {"07", ROWS_CODES, 0, 1, 0},    {"08", ROWS_CODES, 0, 1, 1},
    {"09", ROWS_NUMBERED, 0, 1, 0}, {"10", ROWS_CODES, 0, 1, 1},
    {"11", ROWS_CODES, 0, 1, 1},    {"12", ROWS_CODES, 0, 1, 0},
    {"13", ROWS_CODES, 0, 1, 1},    {"14", ROWS_NONE, 0, 0, 0},
    {"15", ROWS_CODES, 0, 1, 1},
};
/* Tables with no standard ID (xN): their column totals only. */
static const table_rule other_rule = {"", ROWS_NONE, 0, 1, 0};

/* Where a total sits: the row is the side's first total row (row NULL),
** its last total row ("$last"), or the row whose label contains row; the
** column is the first of cols present (a leading "*" then "/name": any
** path ending in that name), or the side's first amount column when
** cols[0] is NULL. */
typedef struct fact_rule {
  const char *id, *name, *side, *row;
  const char *cols[3];
} fact_rule;

static const fact_rule fact_rules[] = {
    {"01", "本年收入合计", "收入", "本年收入合计", {NULL}},
    {"01", "本年支出合计", "支出", "本年支出合计", {NULL}},
    /* Jiangsu's names for them (a second rule for a fact counts only
    ** when the first found nothing). */
    {"01", "本年收入合计", "收入", "当年收入小计", {NULL}},
    {"01", "本年支出合计", "支出", "当年支出小计", {NULL}},
    {"01", "收入总计", "收入", "$last", {NULL}},
    {"01", "支出总计", "支出", "$last", {NULL}},
    {"02", "本年收入合计", NULL, NULL, {"本年收入/合计", "本年收入/小计"}},
    {"03", "合计", NULL, NULL, {"合计", "总计"}},
    {"03", "基本支出", NULL, NULL, {"基本支出/小计", "基本支出/合计", "基本支出"}},
    {"03", "项目支出", NULL, NULL, {"项目支出/小计", "项目支出/合计", "项目支出"}},
    {"04", "收入合计", "收入", "$last", {NULL}},
    {"04", "支出合计", "支出", "$last", {NULL}},
    {"04", "本年支出 一般公共预算", "支出", "本年支出",
     {"支出/一般公共预算/小计", "支出/一般公共预算/合计", "支出/一般公共预算"}},
    {"01", "一般公共预算拨款收入", "收入", "一般公共预算拨款", {NULL}},
    {"02", "总计", NULL, NULL, {"总计", "合计"}},
    {"04", "本年收入 一般公共预算拨款", "收入", "一般公共预算拨款", {NULL}},
    {"04", "本年支出 政府性基金", "支出", "本年支出",
     {"支出/政府性基金", "支出/政府性基金预算"}},
    {"04", "本年支出 国有资本经营预算", "支出", "本年支出",
     {"支出/国有资本经营预算"}},
    {"05", "合计", NULL, NULL, {"合计", "总计"}},
    {"05", "基本支出", NULL, NULL, {"基本支出/小计", "基本支出/合计", "基本支出"}},
    {"06", "合计", NULL, NULL, {NULL}},
    {"07", "合计", NULL, NULL, {"合计", "总计"}},
    {"08", "总计", NULL, NULL, {"总计", "合计"}},
    {"08", "一般公共预算", NULL, NULL,
     {"一般公共预算/小计", "一般公共预算/合计", "一般公共预算"}},
    {"10", "合计", NULL, NULL, {"合计", "总计"}},
    {"11", "合计", NULL, NULL, {"合计", "总计"}},
    {"12", "合计", NULL, NULL, {"合计", "总计"}},
    {"15", "资金总额", NULL, NULL, {"*/资金总额"}},
};

/* The printed total of table/fact must equal that of other/fact. */
typedef struct cross_rule {
  const char *table, *fact, *other, *other_fact;
} cross_rule;

static const cross_rule cross_rules[] = {
    {"01", "支出总计", "01", "收入总计"},
    {"02", "本年收入合计", "01", "本年收入合计"},
    {"03", "合计", "01", "本年支出合计"},
    {"04", "支出合计", "04", "收入合计"},
    {"05", "合计", "04", "本年支出 一般公共预算"},
    {"06", "合计", "05", "基本支出"},
    {"07", "合计", "05", "基本支出"},
    {"08", "总计", "03", "合计"},
    {"12", "合计", "03", "项目支出"},
    {"02", "总计", "01", "收入总计"},
    {"04", "本年收入 一般公共预算拨款", "01", "一般公共预算拨款收入"},
    {"08", "一般公共预算", "05", "合计"},
    {"10", "合计", "04", "本年支出 政府性基金"},
    {"11", "合计", "04", "本年支出 国有资本经营预算"},
    {"15", "资金总额", "12", "合计"},
};

#define COUNT(a) (sizeof(a) / sizeof(a)[0])

/* ---- amounts ---------------------------------------------------------- */

typedef enum cell_kind { CELL_EMPTY, CELL_AMOUNT, CELL_TEXT } cell_kind;

typedef struct amount {
  int64_t v; /* units of 1/AMOUNT_SCALE */
  int dec;   /* decimals as printed */
} amount;

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* -?digits[.digits]: at most 13 integer digits (ten trillion, in 元) and
** MAX_DECIMALS decimals, so a value fits an int64 with room for sums;
** check_sum() still guards each addition. */
static cell_kind parse_cell(const char *s, amount *a)
{
  while (is_space(*s))
    s++;
  const char *e = s + strlen(s);
  while (e > s && is_space(e[-1]))
    e--;
  if (e == s)
    return CELL_EMPTY;
  int neg = 0;
  if (*s == '-') {
    neg = 1;
    s++;
  }
  int64_t whole = 0, frac = 0;
  int nwhole = 0, dec = 0;
  while (s < e && *s >= '0' && *s <= '9') {
    if (++nwhole > 13)
      return CELL_TEXT;
    whole = whole * 10 + (*s++ - '0');
  }
  if (nwhole == 0)
    return CELL_TEXT;
  if (s < e && *s == '.') {
    s++;
    while (s < e && *s >= '0' && *s <= '9') {
      if (++dec > MAX_DECIMALS)
        return CELL_TEXT;
      frac = frac * 10 + (*s++ - '0');
    }
    if (dec == 0)
      return CELL_TEXT;
  }
  if (s != e)
    return CELL_TEXT;
  for (int i = dec; i < MAX_DECIMALS; i++)
    frac *= 10;
  a->v = whole * AMOUNT_SCALE + frac;
  if (neg)
    a->v = -a->v;
  a->dec = dec;
  return CELL_AMOUNT;
}

/* Prints v with dec decimals (dec covers every digit v has). */
static void format_amount(char *buf, size_t n, int64_t v, int dec)
{
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char frac[MAX_DECIMALS + 2] = "";
  if (dec > 0) {
    uint64_t f = m % AMOUNT_SCALE;
    frac[0] = '.';
    for (int i = MAX_DECIMALS; i >= 1; i--, f /= 10)
      if (i <= dec)
        frac[i] = (char)('0' + f % 10);
    frac[dec > MAX_DECIMALS ? MAX_DECIMALS + 1 : dec + 1] = '\0';
  }
  snprintf(buf, n, "%s%llu%s", v < 0 ? "-" : "",
           (unsigned long long)(m / AMOUNT_SCALE), frac);
}

/* ---- names ------------------------------------------------------------ */

static int starts_with(const char *s, const char *p)
{
  return strncmp(s, p, strlen(p)) == 0;
}

static int ends_with(const char *s, const char *p)
{
  size_t n = strlen(s), m = strlen(p);
  return n >= m && strcmp(s + n - m, p) == 0;
}

static const char *last_component(const char *path)
{
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static int path_depth(const char *path)
{
  int d = 1;
  for (; *path; path++)
    d += *path == '/';
  return d;
}

/* A label, a total or a part of one: 合计, 本年收入合计, “三公”经费合计. */
static int is_total_name(const char *s)
{
  if (starts_with(s, "其中"))
    return 0;
  return ends_with(s, "小计") || strcmp(s, "资金总额") == 0 ||
         strcmp(s, "共计") == 0 || ends_with(s, "合计") ||
         ends_with(s, "总计");
}

/* Columns that name or code a row rather than hold an amount. */
static int is_label_name(const char *last)
{
  static const char *const exact[] = {"项目", "类", "款", "项", "类型",
                                      "单位", "科目", "项目单位"};
  static const char *const part[] = {"编码", "代码", "编号", "名称"};
  for (size_t i = 0; i < COUNT(exact); i++)
    if (strcmp(last, exact[i]) == 0)
      return 1;
  for (size_t i = 0; i < COUNT(part); i++)
    if (strstr(last, part[i]))
      return 1;
  return 0;
}

/* 15's indicator columns hold 指标值 such as "100": neither label nor
** amount. */
static int is_ignored_path(const char *path)
{
  return strstr(path, "绩效") != NULL || strstr(path, "指标") != NULL;
}

static int all_digits(const char *s)
{
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* ---- the run ---------------------------------------------------------- */

typedef struct fact {
  char table[12];
  const char *name; /* a fact_rules name: static */
  long row;
  char *column;
  char *cell;
} fact;

struct chk_run {
  chk_finding *findings;
  size_t nfindings, cap_findings;
  size_t checked, differs;
  fact *facts;
  size_t nfacts, cap_facts;
  int oom;
};

chk_run *chk_new(void) { return calloc(1, sizeof(chk_run)); }

static void free_finding(chk_finding *f)
{
  free((char *)f->table);
  free((char *)f->column);
  free((char *)f->check);
  free((char *)f->expected);
  free((char *)f->printed);
  free((char *)f->difference);
}

void chk_free(chk_run *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->nfindings; i++)
    free_finding(&c->findings[i]);
  free(c->findings);
  for (size_t i = 0; i < c->nfacts; i++) {
    free(c->facts[i].column);
    free(c->facts[i].cell);
  }
  free(c->facts);
  free(c);
}

size_t chk_checked(const chk_run *c) { return c->checked; }
size_t chk_differs(const chk_run *c) { return c->differs; }

const chk_finding *chk_finding_at(const chk_run *c, size_t i)
{
  return i < c->nfindings ? &c->findings[i] : NULL;
}

static char *dup_or_flag(chk_run *c, const char *s)
{
  char *d = strdup(s ? s : "");
  if (!d)
    c->oom = 1;
  return d;
}

static void add_finding(chk_run *c, const char *table, long row,
                        const char *column, const char *check,
                        const char *expected, const char *printed,
                        const char *difference)
{
  c->differs++;
  if (c->nfindings >= MAX_FINDINGS)
    return; /* counted; the file lists the first MAX_FINDINGS */
  if (vec_reserve(&c->findings, &c->cap_findings, c->nfindings + 1,
                  sizeof *c->findings, 16) != 0) {
    c->oom = 1;
    return;
  }
  chk_finding *f = &c->findings[c->nfindings++];
  f->table = dup_or_flag(c, table);
  f->row = row;
  f->column = dup_or_flag(c, column);
  f->check = dup_or_flag(c, check);
  f->expected = dup_or_flag(c, expected);
  f->printed = dup_or_flag(c, printed);
  f->difference = dup_or_flag(c, difference);
}

/* Compares a printed total with the sum of its parts (see checks.h for
** what is skipped). row is a CSV line number. */
static void check_sum(chk_run *c, const char *table, long row,
                      const char *column, const char *check,
                      const char *total, const char *const *parts,
                      size_t nparts, int empty_is_zero)
{
  amount a, t = {0, 0};
  int64_t sum = 0;
  int dec = 0;
  size_t present = 0;
  for (size_t i = 0; i < nparts; i++) {
    cell_kind k = parse_cell(parts[i], &a);
    if (k == CELL_TEXT)
      return;
    if (k == CELL_AMOUNT) {
      if (__builtin_add_overflow(sum, a.v, &sum))
        return; /* beyond any budget: not a sum to check */
      dec = a.dec > dec ? a.dec : dec;
      present++;
    }
  }
  if (present == 0)
    return;
  cell_kind tk = parse_cell(total, &t);
  if (tk == CELL_TEXT || (tk == CELL_EMPTY && !empty_is_zero))
    return;
  dec = t.dec > dec ? t.dec : dec;
  int64_t d;
  if (__builtin_sub_overflow(t.v, sum, &d))
    return;
  c->checked++;
  if (d == 0)
    return;
  char exp[48], diff[48];
  format_amount(exp, sizeof exp, sum, dec);
  format_amount(diff, sizeof diff, d, dec);
  add_finding(c, table, row, column, check, exp, total, diff);
}

/* ---- one table: its columns ------------------------------------------- */

typedef struct view {
  const tbl_table *t;
  const table_rule *rule;
  char *amount_col; /* per column: 1 when it holds amounts */
  char *label_col;  /* per column: 1 when it names or codes the row */
} view;

static const char *cell(const view *v, size_t r, size_t col)
{
  return v->t->cells[r * v->t->ncolumns + col];
}

/* 1 when path lies under prefix (prefix "" holds every path). */
static int under(const char *path, const char *prefix, size_t plen)
{
  if (plen == 0)
    return 1;
  return strncmp(path, prefix, plen) == 0 && path[plen] == '/';
}

static int push_index(size_t **v, size_t *n, size_t *cap, size_t i)
{
  if (vec_reserve(v, cap, *n + 1, sizeof **v, 8) != 0)
    return -1;
  (*v)[(*n)++] = i;
  return 0;
}

/* The addends of a total whose parent header is prefix[0..plen): each
** sibling leaf, or for a sibling group its own 小计/合计 column if it has
** one, else (recursively) that group's addends. `其中` columns and other
** totals at the same level are not addends. */
static int collect_addends(const view *v, const char *prefix, size_t plen,
                           size_t except, int depth, size_t **out, size_t *n,
                           size_t *cap)
{
  if (depth > MAX_PATH_DEPTH)
    return 0;
  const tbl_table *t = v->t;
  for (size_t j = 0; j < t->ncolumns; j++) {
    const char *p = t->columns[j];
    if (j == except || !v->amount_col[j] || !under(p, prefix, plen))
      continue;
    const char *rest = plen ? p + plen + 1 : p;
    const char *slash = strchr(rest, '/');
    size_t qlen = (size_t)((slash ? slash : rest + strlen(rest)) - p);
    /* A group is handled at its first column only. */
    int seen = 0;
    for (size_t k = 0; k < j && !seen; k++)
      seen = k != except && v->amount_col[k] &&
             strncmp(t->columns[k], p, qlen) == 0 &&
             (t->columns[k][qlen] == '/' || t->columns[k][qlen] == '\0');
    if (seen)
      continue;
    if (!slash) {
      if (starts_with(rest, "其中") || is_total_name(rest))
        continue;
      if (push_index(out, n, cap, j) != 0)
        return -1;
      continue;
    }
    size_t total = SIZE_MAX;
    for (size_t k = 0; k < t->ncolumns && total == SIZE_MAX; k++)
      if (v->amount_col[k] && under(t->columns[k], p, qlen) &&
          !strchr(t->columns[k] + qlen + 1, '/') &&
          is_total_name(t->columns[k] + qlen + 1))
        total = k;
    if (total != SIZE_MAX) {
      if (push_index(out, n, cap, total) != 0)
        return -1;
    } else if (collect_addends(v, p, qlen, except, depth + 1, out, n, cap) !=
               0) {
      return -1;
    }
  }
  return 0;
}

static int check_columns(chk_run *c, const view *v)
{
  const tbl_table *t = v->t;
  size_t *add = NULL, nadd = 0, cap = 0;
  const char **parts = NULL;
  size_t cap_parts = 0;
  int rc = 0;
  for (size_t col = 0; col < t->ncolumns && rc == 0; col++) {
    const char *path = t->columns[col], *last = last_component(path);
    if (!v->amount_col[col] || !is_total_name(last))
      continue;
    nadd = 0;
    size_t plen = last == path ? 0 : (size_t)(last - path) - 1;
    if (collect_addends(v, path, plen, col, 0, &add, &nadd, &cap) != 0 ||
        vec_reserve(&parts, &cap_parts, nadd + 1, sizeof *parts, 8) != 0) {
      rc = -1;
      break;
    }
    if (nadd == 0)
      continue;
    const char *kind =
        strcmp(last, "小计") == 0 ? "column subtotal" : "column total";
    for (size_t r = 0; r < t->nrows; r++) {
      for (size_t i = 0; i < nadd; i++)
        parts[i] = cell(v, r, add[i]);
      check_sum(c, t->id, (long)r + 2, path, kind, cell(v, r, col), parts,
                nadd, 1);
    }
  }
  free(add);
  free(parts);
  return rc;
}

/* ---- one table: its rows ---------------------------------------------- */

typedef enum row_role {
  ROW_SKIP,   /* no amount and nothing that places it */
  ROW_ITEM,   /* an item, perhaps heading others (level) */
  ROW_TOP,    /* a total above the rows it totals */
  ROW_BOTTOM, /* a total below them */
} row_role;

typedef struct side {
  size_t first, end; /* its columns [first, end) */
  size_t group;      /* first column of its top header group: a total's
                        label may sit in the group's first side only */
  row_role *role;
  int *level;
} side;

/* The row's label: its first non-empty label cell that is not a code. */
static const char *row_label(const view *v, const side *s, size_t r)
{
  for (size_t col = s->first; col < s->end; col++)
    if (v->label_col[col]) {
      const char *x = cell(v, r, col);
      if (*x && !all_digits(x))
        return x;
    }
  return "";
}

static int row_has_amount(const view *v, const side *s, size_t r)
{
  amount a;
  for (size_t col = s->first; col < s->end; col++)
    if (v->amount_col[col] && parse_cell(cell(v, r, col), &a) == CELL_AMOUNT)
      return 1;
  return 0;
}

static int row_is_total(const view *v, const side *s, size_t r)
{
  for (size_t col = s->group; col < s->end; col++)
    if (v->label_col[col]) {
      const char *x = cell(v, r, col);
      while (is_space(*x))
        x++;
      if (*x && is_total_name(x))
        return 1;
    }
  return 0;
}

/* Numbering styles, each a level in the order a table first uses it. */
enum { NUM_NONE = -1, NUM_CN, NUM_PAREN_CN, NUM_ARABIC, NUM_PAREN_ARABIC };

static int is_cn_digit(const char *s, size_t *len)
{
  static const char *const d[] = {"一", "二", "三", "四", "五", "六", "七",
                                  "八", "九", "十", "百", "〇", "零"};
  for (size_t i = 0; i < COUNT(d); i++)
    if (starts_with(s, d[i])) {
      *len = strlen(d[i]);
      return 1;
    }
  return 0;
}

static int numbering_style(const char *s)
{
  size_t n, k = 0;
  int paren = 0;
  if (starts_with(s, "(")) {
    paren = 1;
    k = 1;
  } else if (starts_with(s, "（")) {
    paren = 1;
    k = strlen("（");
  }
  int cn = 0, ar = 0;
  while (s[k]) {
    if (s[k] >= '0' && s[k] <= '9') {
      ar = 1;
      k++;
    } else if (is_cn_digit(s + k, &n)) {
      cn = 1;
      k += n;
    } else {
      break;
    }
  }
  if (cn == ar)
    return NUM_NONE;
  const char *e = s + k;
  if (paren) {
    if (!starts_with(e, ")") && !starts_with(e, "）"))
      return NUM_NONE;
    return cn ? NUM_PAREN_CN : NUM_PAREN_ARABIC;
  }
  if (starts_with(e, "、") || starts_with(e, ".") || starts_with(e, "．"))
    return cn ? NUM_CN : NUM_ARABIC;
  return NUM_NONE;
}

/* Levels from label numbering: 其中 rows without a number are a part of
** the row above, not an addend, and are skipped. */
static void number_levels(const view *v, side *s)
{
  int rank[4] = {0, 0, 0, 0}, nranks = 0;
  for (size_t r = 0; r < v->t->nrows; r++) {
    if (s->role[r] != ROW_ITEM)
      continue;
    const char *l = row_label(v, s, r);
    while (is_space(*l))
      l++;
    int subset = 0;
    if (starts_with(l, "其中")) {
      subset = 1;
      l += strlen("其中");
      if (starts_with(l, "："))
        l += strlen("：");
      else if (starts_with(l, ":"))
        l++;
    }
    int st = numbering_style(l);
    if (st == NUM_NONE) {
      if (subset)
        s->role[r] = ROW_SKIP;
      s->level[r] = 1;
      continue;
    }
    if (!rank[st])
      rank[st] = ++nranks;
    s->level[r] = rank[st];
  }
}

/* A classification code column (功能/经济分类 科目编码) holds no unit
** code, even when it is not the one the rows nest by (06's 政府预算
** 经济分类 beside its 部门预算 one). */
static int is_classification_column(const char *path)
{
  return strstr(path, "科目编码") || strstr(path, "科目代码") ||
         strstr(path, "经济分类") || strstr(path, "功能分类");
}

/* The 科目编码 columns: split 类/款/项 columns under one parent, or one
** code column. Returns how many (0 when the table has none). */
static size_t class_columns(const view *v, const side *s, size_t out[3])
{
  const tbl_table *t = v->t;
  size_t n = 0;
  const char *parent = NULL;
  size_t plen = 0;
  for (size_t col = s->first; col < s->end && n < 3; col++) {
    if (!v->label_col[col])
      continue;
    const char *p = t->columns[col], *last = last_component(p);
    if (strcmp(last, "类") && strcmp(last, "款") && strcmp(last, "项"))
      continue;
    size_t l = last == p ? 0 : (size_t)(last - p);
    if (!parent) {
      parent = p;
      plen = l;
    } else if (l != plen || strncmp(p, parent, plen) != 0) {
      continue;
    }
    out[n++] = col;
  }
  if (n)
    return n;
  for (size_t col = s->first; col < s->end; col++)
    if (v->label_col[col] &&
        (strstr(t->columns[col], "科目编码") ||
         strstr(t->columns[col], "科目代码"))) {
      out[0] = col;
      return 1;
    }
  return 0;
}

/* Inserts len into a sorted set of up to 8 lengths; returns its rank
** later via rank_of(). */
static void add_length(size_t *set, size_t *n, size_t len)
{
  for (size_t i = 0; i < *n; i++)
    if (set[i] == len)
      return;
  if (*n == 8)
    return;
  size_t i = (*n)++;
  while (i > 0 && set[i - 1] > len) {
    set[i] = set[i - 1];
    i--;
  }
  set[i] = len;
}

/* Unit codes (307, 307001) nest by length; project codes (18-22 digits,
** their length varying within a table) are all one level. */
#define PROJECT_CODE_LEN 10

static size_t code_length(const char *code)
{
  size_t n = strlen(code);
  return n >= PROJECT_CODE_LEN ? PROJECT_CODE_LEN : n;
}

static int rank_of(const size_t *set, size_t n, size_t len)
{
  for (size_t i = 0; i < n; i++)
    if (set[i] == len)
      return (int)i;
  return (int)n;
}

/* Levels from codes: total 0, then unit codes by length (307 above
** 307001), then 类 款 项. A row with no code continues the coded row
** above it (06's rows under one 30101) or, in a table without 科目编码
** (07, 12), is a leaf item. */
static void code_levels(const view *v, side *s)
{
  const tbl_table *t = v->t;
  size_t cls[3], ncls = class_columns(v, s, cls);
  size_t unit_len[8], nunit = 0, class_len[8], nclass = 0;
  /* kind: 0 none, 1 unit (len), 2 class (split depth or len) */
  for (size_t r = 0; r < t->nrows; r++) {
    if (s->role[r] != ROW_ITEM)
      continue;
    int found = 0;
    if (ncls == 1 && all_digits(cell(v, r, cls[0]))) {
      add_length(class_len, &nclass, strlen(cell(v, r, cls[0])));
      found = 1;
    }
    for (size_t col = s->first; col < s->end && !found; col++) {
      if (!v->label_col[col] || is_classification_column(t->columns[col]) ||
          (ncls && (col == cls[0] || (ncls > 1 && col == cls[1]) ||
                    (ncls > 2 && col == cls[2]))))
        continue;
      const char *x = cell(v, r, col);
      if (all_digits(x) && strlen(x) >= 3)
        add_length(unit_len, &nunit, code_length(x)), found = 1;
    }
  }
  int have_class = 0, prev = LEAF_LEVEL;
  for (size_t r = 0; r < t->nrows; r++) {
    if (s->role[r] == ROW_TOP || s->role[r] == ROW_BOTTOM) {
      prev = LEAF_LEVEL;
      continue;
    }
    if (s->role[r] != ROW_ITEM)
      continue;
    int level = -1;
    if (ncls > 1) {
      for (size_t d = 0; d < ncls; d++)
        if (all_digits(cell(v, r, cls[d])))
          level = 1 + (int)nunit + (int)d;
    } else if (ncls == 1 && all_digits(cell(v, r, cls[0]))) {
      level = 1 + (int)nunit +
              rank_of(class_len, nclass, strlen(cell(v, r, cls[0])));
    }
    if (level >= 0) {
      have_class = 1;
    } else {
      for (size_t col = s->first; col < s->end && level < 0; col++) {
        int is_cls = 0;
        for (size_t d = 0; d < ncls; d++)
          is_cls |= col == cls[d];
        const char *x = cell(v, r, col);
        if (v->label_col[col] && !is_cls &&
            !is_classification_column(t->columns[col]) && all_digits(x) &&
            strlen(x) >= 3)
          level = 1 + rank_of(unit_len, nunit, code_length(x));
      }
      if (level >= 0) {
        prev = LEAF_LEVEL; /* a unit row is not continued */
        s->level[r] = level;
        continue;
      }
      level = have_class && prev != LEAF_LEVEL ? prev : LEAF_LEVEL;
      if (!row_has_amount(v, s, r)) {
        s->role[r] = ROW_SKIP;
        continue;
      }
    }
    s->level[r] = level;
    prev = level;
  }
}

static int row_has_label(const view *v, const side *s, size_t r)
{
  for (size_t col = s->first; col < s->end; col++)
    if (v->label_col[col] && *cell(v, r, col))
      return 1;
  return 0;
}

/* Totals by label; in a coded table also a first row with amounts and
** no label at all (07, 12 and 15 print their 合计 row so). */
static void assign_roles(const view *v, side *s)
{
  int seen_item = 0;
  for (size_t r = 0; r < v->t->nrows; r++) {
    int amounts = row_has_amount(v, s, r), labelled = row_has_label(v, s, r);
    if (row_is_total(v, s, r) ||
        (r == 0 && amounts && !labelled && v->rule->rows == ROWS_CODES)) {
      s->role[r] = seen_item ? ROW_BOTTOM : ROW_TOP;
    } else if (amounts || labelled) {
      s->role[r] = ROW_ITEM;
      seen_item = 1;
    } else {
      s->role[r] = ROW_SKIP;
    }
  }
}

/* p against the rows kids[0..n) in every amount column of the side. */
static int check_rows(chk_run *c, const view *v, const side *s, size_t p,
                      const size_t *kids, size_t n, const char *kind)
{
  const char **parts = malloc((n ? n : 1) * sizeof *parts);
  if (!parts)
    return -1;
  for (size_t col = s->first; col < s->end; col++) {
    if (!v->amount_col[col])
      continue;
    for (size_t i = 0; i < n; i++)
      parts[i] = cell(v, kids[i], col);
    check_sum(c, v->t->id, (long)p + 2, v->t->columns[col], kind,
              cell(v, p, col), parts, n, 0);
  }
  free(parts);
  return 0;
}

/* Every heading row against the rows one level below it (the least deep
** level in its span: a 合计 over unit rows, a unit over its 类 rows), and
** every bottom total against the rows since the total above it. */
static int check_side_rows(chk_run *c, const view *v, const side *s)
{
  size_t nrows = v->t->nrows, *kids = NULL, nkids = 0, cap = 0;
  size_t prev_bottom = SIZE_MAX;
  int rc = 0;
  for (size_t p = 0; p < nrows && rc == 0; p++) {
    row_role role = s->role[p];
    if (role == ROW_SKIP)
      continue;
    nkids = 0;
    int min = LEAF_LEVEL + 1;
    if (role == ROW_ITEM || role == ROW_TOP) {
      int lvl = role == ROW_TOP ? 0 : s->level[p];
      size_t end = p + 1;
      for (; end < nrows; end++) {
        if (s->role[end] == ROW_SKIP)
          continue;
        if (s->role[end] != ROW_ITEM || s->level[end] <= lvl)
          break;
        min = s->level[end] < min ? s->level[end] : min;
      }
      for (size_t j = p + 1; j < end && rc == 0; j++)
        if (s->role[j] == ROW_ITEM && s->level[j] == min)
          rc = push_index(&kids, &nkids, &cap, j);
      if (rc == 0 && nkids)
        rc = check_rows(c, v, s, p, kids, nkids,
                        role == ROW_TOP ? "row total" : "row subtotal");
      continue;
    }
    /* ROW_BOTTOM: the total above counts as a first-level row. */
    size_t start = prev_bottom == SIZE_MAX ? 0 : prev_bottom + 1;
    if (prev_bottom != SIZE_MAX)
      min = 1;
    for (size_t j = start; j < p; j++)
      if (s->role[j] == ROW_ITEM && s->level[j] < min)
        min = s->level[j];
    if (prev_bottom != SIZE_MAX && min == 1)
      rc = push_index(&kids, &nkids, &cap, prev_bottom);
    for (size_t j = start; j < p && rc == 0; j++)
      if (s->role[j] == ROW_ITEM && s->level[j] == min)
        rc = push_index(&kids, &nkids, &cap, j);
    if (rc == 0 && nkids)
      rc = check_rows(c, v, s, p, kids, nkids, "row total");
    prev_bottom = p;
  }
  free(kids);
  return rc;
}

/* ---- totals other tables repeat --------------------------------------- */

/* A label cell of the row, from the first side of its header group on
** (a total's label may stand left of the side that prints its amount),
** holds want. */
static int label_has(const view *v, const side *s, size_t r, const char *want)
{
  for (size_t col = s->group; col < s->end; col++)
    if (v->label_col[col] && strstr(cell(v, r, col), want))
      return 1;
  return 0;
}

static int find_fact_row(const view *v, const side *s, const char *want)
{
  int found = -1;
  for (size_t r = 0; r < v->t->nrows; r++) {
    int total = s->role[r] == ROW_TOP || s->role[r] == ROW_BOTTOM;
    if (!want && total)
      return (int)r;
    if (want && strcmp(want, "$last") == 0) {
      if (total)
        found = (int)r;
    } else if (want && s->role[r] != ROW_SKIP && label_has(v, s, r, want)) {
      return (int)r;
    }
  }
  return found;
}

static long find_fact_column(const view *v, const side *s,
                             const char *const *cols)
{
  if (!cols[0]) {
    for (size_t col = s->first; col < s->end; col++)
      if (v->amount_col[col])
        return (long)col;
    return -1;
  }
  for (size_t i = 0; i < 3 && cols[i]; i++)
    for (size_t col = s->first; col < s->end; col++) {
      const char *p = v->t->columns[col];
      int match = starts_with(cols[i], "*/")
                      ? strcmp(last_component(p), cols[i] + 2) == 0
                      : strcmp(p, cols[i]) == 0;
      if (v->amount_col[col] && match)
        return (long)col;
    }
  return -1;
}

static int side_named(const view *v, const side *s, const char *name)
{
  const char *p = v->t->columns[s->first];
  size_t n = strlen(name);
  return strncmp(p, name, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

static const fact *find_fact(const chk_run *c, const char *table,
                             const char *name)
{
  for (size_t i = 0; i < c->nfacts; i++)
    if (strcmp(c->facts[i].table, table) == 0 &&
        strcmp(c->facts[i].name, name) == 0)
      return &c->facts[i];
  return NULL;
}

static int record_facts(chk_run *c, const view *v, const side *s)
{
  for (size_t i = 0; i < COUNT(fact_rules); i++) {
    const fact_rule *f = &fact_rules[i];
    if (strcmp(f->id, v->t->id) != 0 ||
        (f->side ? !side_named(v, s, f->side) : s->first != 0))
      continue;
    int r = find_fact_row(v, s, f->row);
    long col = r < 0 ? -1 : find_fact_column(v, s, f->cols);
    /* Another side of the group may print it (Jiangsu's 01 prints its
    ** 支出合计 under 支出用途, not under 功能分类). */
    if (col < 0 || !*cell(v, (size_t)r, (size_t)col) ||
        find_fact(c, v->t->id, f->name))
      continue;
    if (vec_reserve(&c->facts, &c->cap_facts, c->nfacts + 1, sizeof *c->facts,
                    8) != 0)
      return -1;
    fact *x = &c->facts[c->nfacts];
    snprintf(x->table, sizeof x->table, "%s", v->t->id);
    x->name = f->name;
    x->row = (long)r + 2;
    x->column = strdup(v->t->columns[col]);
    x->cell = strdup(cell(v, (size_t)r, (size_t)col));
    if (!x->column || !x->cell) {
      free(x->column);
      free(x->cell);
      return -1;
    }
    c->nfacts++;
  }
  return 0;
}

int chk_finish(chk_run *c)
{
  for (size_t i = 0; i < COUNT(cross_rules); i++) {
    const cross_rule *x = &cross_rules[i];
    const fact *a = find_fact(c, x->table, x->fact);
    const fact *b = find_fact(c, x->other, x->other_fact);
    if (!a || !b)
      continue;
    char name[160];
    snprintf(name, sizeof name, "%s %s = %s %s", x->table, x->fact, x->other,
             x->other_fact);
    const char *parts[] = {b->cell};
    check_sum(c, a->table, a->row, a->column, name, a->cell, parts, 1, 0);
  }
  return c->oom ? -1 : 0;
}

/* ---- one table -------------------------------------------------------- */

static const table_rule *rule_for(const char *id)
{
  for (size_t i = 0; i < COUNT(table_rules); i++)
    if (strcmp(table_rules[i].id, id) == 0)
      return &table_rules[i];
  return &other_rule;
}

/* The side starting at column first: to the next top header group when
** the table is printed side by side, else the whole width. */
static size_t side_end(const view *v, size_t first)
{
  const tbl_table *t = v->t;
  if (!v->rule->sides)
    return t->ncolumns;
  size_t end = first;
  while (end < t->ncolumns && v->label_col[end])
    end++;
  while (end < t->ncolumns && !v->label_col[end])
    end++;
  return end;
}

static int same_group(const tbl_table *t, size_t a, size_t b)
{
  const char *p = t->columns[a], *slash = strchr(p, '/');
  size_t n = slash ? (size_t)(slash - p) : strlen(p);
  return slash && strncmp(t->columns[b], p, n) == 0 &&
         t->columns[b][n] == '/';
}

static int has_code_column(const view *v)
{
  for (size_t col = 0; col < v->t->ncolumns; col++) {
    const char *p = v->t->columns[col], *last = last_component(p);
    if (v->label_col[col] &&
        (strstr(last, "编码") || strstr(last, "代码") ||
         strcmp(last, "类") == 0 || strcmp(last, "款") == 0 ||
         strcmp(last, "项") == 0))
      return 1;
  }
  return 0;
}

/* Places every row (roles, levels), checks the rows when rows is set,
** and records the totals other tables repeat. */
static int check_rows_of(chk_run *c, const view *v, int rows)
{
  const tbl_table *t = v->t;
  side s = {0, 0, 0, NULL, NULL};
  s.role = calloc(t->nrows ? t->nrows : 1, sizeof *s.role);
  s.level = calloc(t->nrows ? t->nrows : 1, sizeof *s.level);
  int rc = s.role && s.level ? 0 : -1;
  for (size_t first = 0; first < t->ncolumns && rc == 0; first = s.end) {
    s.first = first;
    s.end = side_end(v, first);
    s.group = same_group(t, s.group, first) ? s.group : first;
    assign_roles(v, &s);
    if (v->rule->rows == ROWS_CODES)
      code_levels(v, &s);
    else
      number_levels(v, &s);
    if (rows)
      rc = check_side_rows(c, v, &s);
    if (rc == 0)
      rc = record_facts(c, v, &s);
  }
  free(s.role);
  free(s.level);
  return rc;
}

/* A column whose cells are mostly text (a table that ran into the prose
** under it, a header the document names in its own way) holds no
** amounts to add: at least 9 in 10 of its non-empty cells must be. */
static int mostly_amounts(const tbl_table *t, size_t col)
{
  size_t text = 0, amounts = 0;
  amount a;
  for (size_t r = 0; r < t->nrows; r++) {
    cell_kind k = parse_cell(t->cells[r * t->ncolumns + col], &a);
    text += k == CELL_TEXT;
    amounts += k == CELL_AMOUNT;
  }
  return text * 10 <= text + amounts;
}

int chk_add_table(chk_run *c, const tbl_table *t)
{
  view v = {t, rule_for(t->id), NULL, NULL};
  if (t->ncolumns == 0 || t->ncolumns > MAX_COLUMNS)
    return 0;
  v.amount_col = calloc(t->ncolumns, 1);
  v.label_col = calloc(t->ncolumns, 1);
  int rc = v.amount_col && v.label_col ? 0 : -1;
  for (size_t col = 0; col < t->ncolumns && rc == 0; col++) {
    const char *p = t->columns[col];
    if (path_depth(p) > MAX_PATH_DEPTH || is_ignored_path(p))
      continue;
    if (is_label_name(last_component(p)))
      v.label_col[col] = 1;
    else
      v.amount_col[col] = mostly_amounts(t, col);
  }
  if (rc == 0 && v.rule->columns)
    rc = check_columns(c, &v);
  if (rc == 0 && v.rule->rows != ROWS_NONE)
    rc = check_rows_of(c, &v, !v.rule->coded || has_code_column(&v));
  free(v.amount_col);
  free(v.label_col);
  return rc == 0 && !c->oom ? 0 : -1;
}

int chk_write_csv(const chk_run *c, FILE *out, int bom, int excel)
{
  static const char *const header[] = {"table",    "row",     "column",
                                       "check",    "expected", "printed",
                                       "difference"};
  if (bom && fputs(CSVOUT_BOM, out) == EOF)
    return -1;
  if (csvout_write_record(out, header, COUNT(header)) != 0)
    return -1;
  for (size_t i = 0; i < c->nfindings; i++) {
    const chk_finding *f = &c->findings[i];
    char row[24];
    snprintf(row, sizeof row, "%ld", f->row);
    char idbuf[SHEET_ID_TEXT];
    const char *rec[] = {sheet_id_text(f->table, excel, idbuf), row, f->column,
                         f->check,    f->expected, f->printed,
                         f->difference};
    if (csvout_write_record(out, rec, COUNT(rec)) != 0)
      return -1;
  }
  return 0;
}
