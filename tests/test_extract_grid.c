/*
** The geometry of budget-extract on pages drawn in memory: characters and
** rulings placed by hand, so each test states the page it means.
*/
#include <cairo.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "grid_internal.h"
#include "page_text.h"
#include "rulings.h"
#include "utf8.h"

/* A page under construction: text placed one character per em. */
typedef struct page {
  page_text pt;
  size_t cap;
  rulings ru;
} page;

static void page_init(page *p)
{
  memset(p, 0, sizeof *p);
  p->pt.width = 595;
  p->pt.height = 842;
  p->pt.body_size = 10;
}

/* Places UTF-8 text with its left edge at x and its box top at y. */
static void put(page *p, double x, double y, const char *s)
{
  size_t n = strlen(s), off = 0;
  while (off < n) {
    uint32_t cp;
    off += utf8_decode(s + off, n - off, &cp);
    if (p->pt.nchars == p->cap) {
      p->cap = p->cap ? 2 * p->cap : 64;
      p->pt.chars = realloc(p->pt.chars, p->cap * sizeof *p->pt.chars);
      cr_assert_not_null(p->pt.chars);
    }
    double w = utf8_is_cjk(cp) ? 10 : 5.5;
    pt_char c = {x, y, x + w, y + 10, 10, cp, 0};
    p->pt.chars[p->pt.nchars++] = c;
    x += w;
  }
}

static void rule(ruling **v, size_t *n, double pos, double from, double to)
{
  *v = realloc(*v, (*n + 1) * sizeof **v);
  cr_assert_not_null(*v);
  ruling r = {pos, from, to};
  (*v)[(*n)++] = r;
}

static void page_free(page *p)
{
  free(p->pt.chars);
  rulings_free(&p->ru);
}

/* Frees what a test made: the grids find() returned and the page. */
static void release(page *p, grid *g, size_t n, unsigned char *used)
{
  grids_free(g, n);
  free(g);
  free(used);
  page_free(p);
}

static const char *cell(const grid *g, int r, int c)
{
  cr_assert(r < g->nrows && c < g->ncols, "cell %d,%d outside %dx%d", r, c,
            g->nrows, g->ncols);
  return g->text[(size_t)r * g->ncols + c];
}

static int has_span(const grid *g, int r, int c, int rows, int cols)
{
  for (size_t i = 0; i < g->nspans; i++)
    if (g->spans[i].row == r && g->spans[i].col == c &&
        g->spans[i].rows == rows && g->spans[i].cols == cols)
      return 1;
  return 0;
}

static void dump(const grid *g)
{
  for (int r = 0; r < g->nrows; r++) {
    for (int c = 0; c < g->ncols; c++)
      fprintf(stderr, "%s|", cell(g, r, c));
    fprintf(stderr, "\n");
  }
}

static grid *find(page *p, size_t *n, unsigned char **used)
{
  *used = calloc(p->pt.nchars + 1, 1);
  cr_assert_not_null(*used);
  grid *g = NULL;
  grid_memory mem = {{0}, 0};
  cr_assert_eq(grids_find(&p->pt, &p->ru, &mem, *used, &g, n), 0);
  if (getenv("TEST_DUMP"))
    for (size_t i = 0; i < *n; i++)
      dump(&g[i]);
  return g;
}

/* A fully ruled 3 x 3 table whose top-left header cell spans two columns
** (no border between them) and whose name cell wraps onto two lines. */
Test(grid, ruled_table_with_merged_header_and_wrapped_cell)
{
  page p;
  page_init(&p);
  double ys[] = {100, 120, 140, 175};
  for (int i = 0; i < 4; i++)
    rule(&p.ru.h, &p.ru.nh, ys[i], 100, 300);
  rule(&p.ru.v, &p.ru.nv, 100, 100, 175);
  rule(&p.ru.v, &p.ru.nv, 160, 120, 175); /* absent in the header row */
  rule(&p.ru.v, &p.ru.nv, 220, 100, 175);
  rule(&p.ru.v, &p.ru.nv, 300, 100, 175);
  put(&p, 140, 105, "科目");
  put(&p, 250, 105, "金额");
  put(&p, 105, 125, "201");
  put(&p, 165, 125, "一般");
  put(&p, 240, 125, "1,234.50");
  put(&p, 105, 145, "202");
  put(&p, 165, 145, "社会保");
  put(&p, 165, 160, "障支出");
  put(&p, 240, 145, "56.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].kind, GRID_RULED);
  cr_assert_eq(g[0].ncols, 3);
  cr_assert_eq(g[0].nrows, 3);
  cr_assert_str_eq(cell(&g[0], 0, 0), "科目");
  cr_assert_str_eq(cell(&g[0], 0, 1), "");
  cr_assert(has_span(&g[0], 0, 0, 1, 2));
  cr_assert_str_eq(cell(&g[0], 0, 2), "金额");
  cr_assert_str_eq(cell(&g[0], 1, 2), "1,234.50");
  cr_assert_str_eq(cell(&g[0], 2, 1), "社会保 障支出");
  for (size_t i = 0; i < p.pt.nchars; i++)
    cr_assert(used[i], "character %zu left out of the grid", i);
  release(&p, g, n, used);
}

/* A ruled filler row without text is not a row. */
Test(grid, empty_ruled_row_is_dropped)
{
  page p;
  page_init(&p);
  double ys[] = {100, 120, 140, 160};
  for (int i = 0; i < 4; i++)
    rule(&p.ru.h, &p.ru.nh, ys[i], 100, 300);
  for (int x = 100; x <= 300; x += 100)
    rule(&p.ru.v, &p.ru.nv, x, 100, 160);
  put(&p, 105, 105, "项目");
  put(&p, 205, 105, "金额");
  put(&p, 105, 145, "合计");
  put(&p, 205, 145, "9.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 2);
  cr_assert_str_eq(cell(&g[0], 1, 0), "合计");
  release(&p, g, n, used);
}

/* Without any rule: columns from the empty channels the text leaves, one
** row per line, a parent header centred over two children spans them. */
Test(grid, unruled_table_columns_and_parent_header)
{
  page p;
  page_init(&p);
  put(&p, 60, 50, "2024年部门收支预算表"); /* prose above: not the table */
  put(&p, 212, 100, "支出合计数");
  put(&p, 100, 115, "项目");
  put(&p, 200, 115, "合计");
  put(&p, 245, 115, "小计");
  put(&p, 100, 130, "一、教育");
  put(&p, 200, 130, "742.16");
  put(&p, 245, 130, "700.00");
  put(&p, 100, 145, "二、卫生");
  put(&p, 200, 145, "31.20");
  put(&p, 245, 145, "31.20");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].kind, GRID_UNRULED);
  cr_assert_eq(g[0].ncols, 3);
  /* Header tiers, then the two body rows. */
  cr_assert_eq(g[0].nrows, 4);
  cr_assert_str_eq(cell(&g[0], 0, 1), "支出合计数");
  cr_assert(has_span(&g[0], 0, 1, 1, 2));
  cr_assert_str_eq(cell(&g[0], 1, 0), "项目");
  cr_assert_str_eq(cell(&g[0], 2, 0), "一、教育");
  cr_assert_str_eq(cell(&g[0], 3, 2), "31.20");
  cr_assert(!used[0], "the title above the table is not in it");
  release(&p, g, n, used);
}

/* A right-aligned amount a hair away from the next column's label is two
** cells, while "2024年" written without a gap stays one. */
Test(grid, amount_touching_next_label_is_split)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "收入");
  put(&p, 200, 100, "金额");
  put(&p, 230.5, 100, "支出");
  put(&p, 100, 115, "2024年");
  put(&p, 201, 115, "12.50");
  put(&p, 230.5, 115, "教育");
  put(&p, 100, 130, "其他");
  put(&p, 201, 130, "1.00");
  put(&p, 230.5, 130, "卫生");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 3);
  cr_assert_str_eq(cell(&g[0], 1, 0), "2024年");
  cr_assert_str_eq(cell(&g[0], 1, 1), "12.50");
  cr_assert_str_eq(cell(&g[0], 1, 2), "教育");
  release(&p, g, n, used);
}

/* Characters sorted into lines by their boxes' middles, and a space where
** a gap is wider than the given share of an em. */
Test(page_text, lines_and_spaces)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "第");
  put(&p, 114, 101, "7");    /* a digit's box sits a little lower */
  put(&p, 124, 100, "页");
  put(&p, 100, 120, "下一行");
  size_t idx[16];
  for (size_t i = 0; i < p.pt.nchars; i++)
    idx[i] = p.pt.nchars - 1 - i; /* any order in */
  pt_line *lines;
  size_t nl;
  cr_assert_eq(pt_lines(p.pt.chars, idx, p.pt.nchars, &lines, &nl), 0);
  cr_assert_eq(nl, 2);
  strbuf sb;
  strbuf_init(&sb, 1024);
  pt_line_text(p.pt.chars, &lines[0], 0.35, &sb);
  cr_assert_str_eq(strbuf_cstr(&sb), "第 7 页");
  strbuf_clear(&sb);
  pt_line_text(p.pt.chars, &lines[1], 0.35, &sb);
  cr_assert_str_eq(strbuf_cstr(&sb), "下一行");
  strbuf_free(&sb);
  free(lines);
  page_free(&p);
}

/* A page of thousands of numbers in rows (hostile input, or a page of
** digits) comes back without a table the size of the page. The timeout
** only catches a blow-up: the test takes 0.4 s under ASan but 5 s under
** valgrind at load 5, so 20 s left memcheck under load too little margin. */
Test(grid, dense_page_is_bounded, .timeout = 120)
{
  page p;
  page_init(&p);
  p.pt.width = 2000;
  p.pt.height = 2000;
  char num[16];
  for (int r = 0; r < 120; r++)
    for (int c = 0; c < 60; c++) {
      snprintf(num, sizeof num, "%d", (r * 7 + c) % 97);
      put(&p, 10 + c * 30, 10 + r * 15, num);
    }
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  for (size_t i = 0; i < n; i++)
    cr_assert_leq((size_t)g[i].nrows * g[i].ncols, 100000);
  release(&p, g, n, used);
}

/* A header centred over a wide column whose labels are aligned left (and
** one over amounts aligned right) leaves an empty channel between header
** and body: still one column each. */
Test(grid, centred_header_over_aligned_body_is_one_column)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "编码");
  put(&p, 270, 100, "科目名称");
  put(&p, 420, 100, "合计");
  const char *labels[] = {"办公费", "水费", "电费", "差旅费"};
  const char *amounts[] = {"18.00", "2.40", "6.10", "22.00"};
  for (int r = 0; r < 4; r++) {
    char code[8];
    snprintf(code, sizeof code, "3020%d", r + 1);
    put(&p, 100, 120 + 15 * r, code);
    put(&p, 190, 120 + 15 * r, labels[r]);
    put(&p, 472, 120 + 15 * r, amounts[r]);
  }
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 3);
  cr_assert_str_eq(cell(&g[0], 0, 1), "科目名称");
  cr_assert_str_eq(cell(&g[0], 1, 1), "办公费");
  cr_assert_str_eq(cell(&g[0], 0, 2), "合计");
  cr_assert_str_eq(cell(&g[0], 4, 2), "22.00");
  release(&p, g, n, used);
}

/* A header-only table (an empty 10/11) with a note under it: the note is
** not a row (as one it would cross every column channel), and the parent
** 科目编码, wider than the 款 below it, still spans 类, 款 and 项. */
Test(grid, note_under_header_only_table_and_wide_parent)
{
  page p;
  page_init(&p);
  put(&p, 70, 100, "科目编码");
  put(&p, 150, 100, "单位名称");
  put(&p, 220, 100, "合计");
  put(&p, 56, 115, "类");
  put(&p, 85, 115, "款");
  put(&p, 114, 115, "项");
  put(&p, 150, 135, "合计");
  size_t note = p.pt.nchars;
  put(&p, 47, 150, "注：本部门无政府性基金预算支出，此表为空表。");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 5);
  cr_assert_str_eq(cell(&g[0], 0, 0), "科目编码");
  cr_assert(has_span(&g[0], 0, 0, 1, 3), "科目编码 spans 类 款 项");
  cr_assert_str_eq(cell(&g[0], 1, 2), "项");
  cr_assert_str_eq(cell(&g[0], g[0].nrows - 1, 3), "合计");
  cr_assert(!used[note], "the note is not a row of the table");
  release(&p, g, n, used);
}

/* A list whose items fill their column and stand a wrap's leading apart:
** a line under a full line would be its wrap, but one that starts with the
** same style of list marker (一、 二、) is the next item. */
Test(grid, full_list_items_with_markers_are_rows)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "项目");
  put(&p, 200, 100, "金额");
  const char *items[] = {"一、一般公共服务", "二、外交事务支出", "三、国防事务支出",
                         "四、公共安全支出"};
  for (int r = 0; r < 4; r++)
    put(&p, 100, 115 + 12 * r, items[r]);
  put(&p, 200, 115, "12.00");
  put(&p, 205, 139, "3.50");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 2);
  cr_assert_eq(g[0].nrows, 5, "header and four items, got %d rows", g[0].nrows);
  for (int r = 0; r < 4; r++)
    cr_assert_str_eq(cell(&g[0], r + 1, 0), items[r]);
  cr_assert_str_eq(cell(&g[0], 3, 1), "3.50");
  release(&p, g, n, used);
}

/* form_columns: left edges shared by three texts are column starts, taken
** only where they show more columns than the channels did, and only in a
** table of text (a form), not one of amounts. */
Test(grid, form_columns_from_shared_starts)
{
  lfrag all[16];
  memset(all, 0, sizeof all);
  const double starts[] = {100, 160, 230, 320};
  for (int i = 0; i < 16; i++) {
    all[i].f.x0 = starts[i % 4] + (i / 4) * 0.3; /* within SNAP */
    all[i].f.x1 = all[i].f.x0 + 40;
    all[i].line = (size_t)(i / 4);
    all[i].size = 10;
  }
  double *xs = malloc(3 * sizeof *xs);
  cr_assert_not_null(xs);
  xs[0] = 99;
  xs[1] = 159;
  xs[2] = 400;
  int nx = 3;
  cr_assert_eq(form_columns(all, 8, 99, 400, &xs, &nx), 0,
               "fewer than twelve texts: not a form");
  lfrag more[24];
  for (int i = 0; i < 24; i++)
    more[i] = all[i % 16];
  cr_assert_eq(form_columns(more, 24, 99, 400, &xs, &nx), 1);
  cr_assert_eq(nx, 5, "borders: the edges and three shared starts, got %d", nx);
  cr_assert_float_eq(xs[1], 159.5, 0.01);
  cr_assert_float_eq(xs[3], 319.5, 0.01);
  /* As many columns as the channels found: the channels' borders stay. */
  cr_assert_eq(form_columns(more, 24, 99, 400, &xs, &nx), 0);
  for (int i = 0; i < 8; i++)
    more[i].f.numeric = 1;
  int three = 3;
  double *few = malloc(3 * sizeof *few);
  cr_assert_not_null(few);
  few[0] = 99;
  few[1] = 159;
  few[2] = 400;
  cr_assert_eq(form_columns(more, 24, 99, 400, &few, &three), 0,
               "a third of the texts are amounts: not a form");
  free(few);
  free(xs);
}

/* Rows parted by rules in a table without padding: a cell's short first
** line (a wrap before a long formula) does not end the cell; only the rule
** below it does. */
Test(grid, ruled_rows_keep_a_cell_whose_first_line_is_short)
{
  page p;
  page_init(&p);
  double ys[] = {98, 112, 130, 218, 236};
  for (int i = 0; i < 5; i++)
    rule(&p.ru.h, &p.ru.nh, ys[i], 90, 450);
  put(&p, 100, 100, "名称");
  put(&p, 200, 100, "说明");
  put(&p, 400, 100, "金额");
  put(&p, 100, 115, "调整率");
  put(&p, 200, 115, "反映调整情况。");
  put(&p, 415, 115, "3.00");
  put(&p, 200, 133, "执行率=完成数");
  for (int i = 1; i < 7; i++)
    put(&p, 200, 133 + 12 * i, "反映预算执行的情况反映执行");
  put(&p, 100, 169, "预算执行率");
  put(&p, 410, 169, "12.00");
  put(&p, 100, 221, "结余率");
  put(&p, 200, 221, "反映结余情况。");
  put(&p, 415, 221, "1.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 3);
  cr_assert_eq(g[0].nrows, 4, "header and three rows, got %d", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 2, 0), "预算执行率");
  cr_assert(strncmp(cell(&g[0], 2, 1), "执行率=完成数 反映", strlen("执行率=完成数 反映")) == 0,
            "the short first line starts the cell: %s", cell(&g[0], 2, 1));
  cr_assert_str_eq(cell(&g[0], 3, 2), "1.00");
  release(&p, g, n, used);
}

/* A table without rules whose 类型 cells are printed once, centred over
** the rows they cover: each is in the first row of its span, and the grid
** says which rows the span covers (@@span), so --fill-down can repeat it. */
Test(grid, unruled_merged_down_cells_are_spans)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "类型");
  put(&p, 180, 100, "项目名称");
  put(&p, 300, 100, "合计");
  put(&p, 100, 138, "人员类");
  put(&p, 180, 130, "基本工资");
  put(&p, 300, 130, "312.40");
  put(&p, 180, 146, "津贴补贴");
  put(&p, 300, 146, "186.20");
  put(&p, 100, 170, "公用经费");
  put(&p, 180, 162, "办公费");
  put(&p, 300, 162, "12.00");
  put(&p, 180, 178, "差旅费");
  put(&p, 300, 178, "8.50");
  put(&p, 100, 194, "其他"); /* on its own row: 公用经费's span ends above */
  put(&p, 180, 194, "水电费");
  put(&p, 300, 194, "3.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].kind, GRID_UNRULED);
  cr_assert_eq(g[0].nrows, 6);
  cr_assert_str_eq(cell(&g[0], 1, 0), "人员类");
  cr_assert_str_eq(cell(&g[0], 2, 0), "");
  cr_assert_str_eq(cell(&g[0], 3, 0), "公用经费");
  cr_assert_str_eq(cell(&g[0], 4, 0), "");
  cr_assert(has_span(&g[0], 1, 0, 2, 1), "人员类 spans rows 1-2");
  cr_assert(has_span(&g[0], 3, 0, 2, 1), "公用经费 spans rows 3-4");
  cr_assert_str_eq(cell(&g[0], 5, 0), "其他");
  /* Cells on their own row span nothing. */
  for (size_t i = 0; i < g[0].nspans; i++)
    cr_assert(g[0].spans[i].col == 0 && g[0].spans[i].rows == 2,
              "unexpected span at %d,%d", g[0].spans[i].row, g[0].spans[i].col);
  release(&p, g, n, used);
}

/* A code printed once for two rows, centred in the box the rows share
** beside a name wrapped over three lines: the name reaches past the rows'
** own text, so the code is off the middle of that text but on the middle
** of the box (halfway into the gaps around). It goes to the first row. */
Test(grid, unruled_code_centred_in_the_box_of_its_rows)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "科目编码");
  put(&p, 160, 80, "科目名称");
  put(&p, 260, 80, "经济科目");
  put(&p, 340, 80, "金额");
  put(&p, 100, 100, "30107");
  put(&p, 160, 100, "绩效工资");
  put(&p, 260, 100, "50501");
  put(&p, 340, 100, "39.45");
  put(&p, 160, 117, "机关事业");
  put(&p, 160, 131, "养老保险");
  put(&p, 160, 145, "缴费");
  put(&p, 100, 131, "30108");
  put(&p, 260, 115, "50102");
  put(&p, 340, 115, "146.03");
  put(&p, 260, 138, "50501");
  put(&p, 340, 138, "17.09");
  put(&p, 100, 165, "30109");
  put(&p, 160, 165, "职业年金");
  put(&p, 260, 165, "50102");
  put(&p, 340, 165, "42.54");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 5);
  cr_assert_str_eq(cell(&g[0], 2, 0), "30108");
  cr_assert_str_eq(cell(&g[0], 2, 1), "机关事业 养老保险 缴费");
  cr_assert_str_eq(cell(&g[0], 2, 3), "146.03");
  cr_assert_str_eq(cell(&g[0], 3, 0), "");
  cr_assert_str_eq(cell(&g[0], 3, 3), "17.09");
  cr_assert(has_span(&g[0], 2, 0, 2, 1), "30108 spans rows 2-3");
  release(&p, g, n, used);
}

/* A code level with the first line of its row (the name beside it wraps
** below) shares that row, though it sits off the middle of the row's
** text: it is not moved up into the row above, even where that row and
** its own would centre on it. (The table's other wrapped cells are
** centred, as 职工基本医疗保险, so rows are not read as top-aligned.) */
Test(grid, unruled_code_level_with_its_row_stays)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "科目编码");
  put(&p, 160, 80, "科目名称");
  put(&p, 260, 80, "经济科目");
  put(&p, 340, 80, "金额");
  put(&p, 100, 107, "30110");
  put(&p, 160, 101, "职工基本");
  put(&p, 160, 113, "医疗保险");
  put(&p, 260, 100, "50102");
  put(&p, 340, 100, "73.18");
  put(&p, 260, 114, "50501");
  put(&p, 340, 114, "10.01");
  put(&p, 100, 130, "30111");
  put(&p, 160, 130, "公务员医疗");
  put(&p, 160, 142, "补助缴费");
  put(&p, 260, 130, "50102");
  put(&p, 340, 130, "37.16");
  put(&p, 100, 160, "30112");
  put(&p, 160, 160, "住房公积金");
  put(&p, 260, 160, "50103");
  put(&p, 340, 160, "94.98");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 5);
  cr_assert_str_eq(cell(&g[0], 1, 0), "30110");
  cr_assert_str_eq(cell(&g[0], 2, 0), "");
  cr_assert_str_eq(cell(&g[0], 2, 3), "10.01");
  cr_assert_str_eq(cell(&g[0], 3, 0), "30111");
  cr_assert_str_eq(cell(&g[0], 3, 1), "公务员医疗 补助缴费");
  cr_assert_str_eq(cell(&g[0], 3, 3), "37.16");
  release(&p, g, n, used);
}

/* A form without rules whose columns neither method finds alone: the
** 指标值说明 column has only its header (no starts shared by three texts),
** and the wide 部门预算总额 line of the top part blocks the channel before
** 三级指标. Both methods together give the five columns its header row
** shows. */
/* A 14 form printed without rules: its budget part (labels, amounts at
** the right edge) above its indicator part (a five-column header, the
** 指标值说明 column left empty). */
static void put_form(page *p)
{
  put(p, 100, 16, "预算情况");
  put(p, 160, 16, "部门预算总额（万元）");
  put(p, 420, 16, "1334.31");
  put(p, 160, 34, "政府预算资金合计数额");
  put(p, 420, 34, "1334.31");
  put(p, 160, 52, "财政专户管理资金数额");
  put(p, 436.5, 52, "0.00");
  put(p, 240, 70, "单位资金");
  put(p, 436.5, 70, "0.00");
  put(p, 100, 100, "一级指标");
  put(p, 160, 100, "二级指标");
  put(p, 240, 100, "三级指标");
  put(p, 330, 100, "指标值");
  put(p, 400, 100, "指标值说明");
  const char *names[] = {"目标相关性", "任务科学性", "指标合理性",
                         "预算完整性", "资产规范性", "信息公开性"};
  const char *values[] = {"相关", "科学", "合理", "完整", "规范", "公开"};
  for (int r = 0; r < 6; r++) {
    put(p, 240, 118 + 18 * r, names[r]);
    put(p, 330, 118 + 18 * r, values[r]);
  }
  put(p, 100, 118, "投入管理");
  put(p, 160, 118, "工作目标管理");
  put(p, 100, 172, "产出指标");
  put(p, 160, 172, "预算和财务");
}

Test(grid, form_columns_from_starts_and_channels_together)
{
  page p;
  page_init(&p);
  put_form(&p);
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->ncols, 5, "%d columns", t->ncols);
  const char *head[] = {"一级指标", "二级指标", "三级指标", "指标值",
                        "指标值说明"};
  int hr = -1;
  for (int r = 0; r < t->nrows && hr < 0; r++)
    if (strcmp(cell(t, r, 0), "一级指标") == 0)
      hr = r;
  cr_assert_geq(hr, 0, "no header row");
  for (int c = 0; c < 5; c++)
    cr_assert_str_eq(cell(t, hr, c), head[c]);
  cr_assert_str_eq(cell(t, hr + 1, 1), "工作目标管理");
  cr_assert_str_eq(cell(t, hr + 1, 2), "目标相关性");
  cr_assert_str_eq(cell(t, hr + 1, 3), "相关");
  cr_assert_str_eq(cell(t, hr + 1, 4), "");
  release(&p, g, n, used);
}

/* The form's amounts, right-aligned at the table's edge in cells merged
** across 指标值 and 指标值说明, go to the first slot of that span: the
** column after the rightmost label beside any of them. */
Test(grid, form_amounts_go_to_the_first_slot_of_their_span)
{
  page p;
  page_init(&p);
  put_form(&p);
  const char *more[] = {"时效性甲", "时效性乙", "时效性丙"};
  for (int r = 0; r < 3; r++) {
    put(&p, 240, 226 + 18 * r, more[r]);
    put(&p, 330, 226 + 18 * r, "及时");
  }
  put(&p, 100, 280, "49.64");
  put(&p, 160, 280, "合计");
  put(&p, 431, 280, "49.64");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->ncols, 5, "%d columns", t->ncols);
  cr_assert_str_eq(cell(t, 0, 1), "部门预算总额（万元）");
  for (int r = 0; r < 4; r++) {
    cr_assert_str_neq(cell(t, r, 3), "", "row %d: no amount in 指标值", r);
    cr_assert_str_eq(cell(t, r, 4), "", "row %d: amount left at the edge", r);
  }
  cr_assert_str_eq(cell(t, 0, 3), "1334.31");
  cr_assert_str_eq(cell(t, 3, 2), "单位资金");
  cr_assert_str_eq(cell(t, 3, 3), "0.00");
  /* The indicator part's values stay where they are. */
  cr_assert_str_eq(cell(t, 5, 3), "相关");
  /* A row of amounts keeps each in its column. */
  int last = t->nrows - 1;
  cr_assert_str_eq(cell(t, last, 0), "49.64");
  cr_assert_str_eq(cell(t, last, 4), "49.64");
  release(&p, g, n, used);
}

/* Rows parted by rules in the indicator columns but not under the 二级
** and 一级 cells: those cells are merged down over the rows their columns
** have no rule between, and go to the first of them, centred or not. */
Test(grid, hrule_cells_merged_down_where_their_column_has_no_rule)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "一级指标");
  put(&p, 160, 100, "二级指标");
  put(&p, 240, 100, "三级指标");
  put(&p, 330, 100, "指标值");
  const char *names[] = {"预算编制完整性", "专项资金细化率", "预算执行率",
                         "预算调整率"};
  const char *values[] = {"完整", "≥90%", "≥85%", "≤5%"};
  for (int r = 0; r < 4; r++) {
    put(&p, 240, 118 + 18 * r, names[r]);
    put(&p, 330, 118 + 18 * r, values[r]);
  }
  put(&p, 100, 145, "投入管理");
  put(&p, 160, 145, "预算和财务管理");
  rule(&p.ru.h, &p.ru.nh, 95, 95, 420);
  rule(&p.ru.h, &p.ru.nh, 113, 95, 420);
  for (int r = 0; r < 3; r++)
    rule(&p.ru.h, &p.ru.nh, 131 + 18 * r, 235, 420);
  rule(&p.ru.h, &p.ru.nh, 185, 95, 420);
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].kind, GRID_HRULE);
  cr_assert_eq(g[0].nrows, 5, "%d rows", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 1, 0), "投入管理");
  cr_assert_str_eq(cell(&g[0], 1, 1), "预算和财务管理");
  cr_assert_str_eq(cell(&g[0], 1, 2), "预算编制完整性");
  for (int r = 2; r < 5; r++) {
    cr_assert_str_eq(cell(&g[0], r, 0), "");
    cr_assert_str_eq(cell(&g[0], r, 1), "");
    cr_assert_str_eq(cell(&g[0], r, 2), names[r - 1]);
  }
  cr_assert(has_span(&g[0], 1, 1, 4, 1), "预算和财务管理 spans rows 1-4");
  release(&p, g, n, used);
}

/* A long 说明 cell whose line is broken at a space ("情况。1. 是否符合国")
** is still one cell: the two texts of that line, in one column, are one
** text, not a second cell starting beside the first. */
Test(grid, line_broken_at_a_space_stays_in_its_cell)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "三级指标");
  put(&p, 200, 100, "指标值");
  put(&p, 260, 100, "指标值说明");
  put(&p, 100, 118, "资金合规性");
  put(&p, 200, 118, "合规");
  put(&p, 260, 118, "部门单位是否按照相关");
  put(&p, 260, 132, "情况。1.");
  put(&p, 305.5, 132, "是否符合国");
  put(&p, 260, 146, "家财经法规和财务管理");
  put(&p, 100, 170, "制度健全性");
  put(&p, 200, 170, "健全");
  put(&p, 260, 170, "部门单位为加强预算");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 3, "%d rows", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 1, 2),
                   "部门单位是否按照相关 情况。1. 是否符合国 家财经法规和财务管理");
  cr_assert_str_eq(cell(&g[0], 2, 0), "制度健全性");
  release(&p, g, n, used);
}

/* A form's row of a short label and a long text across the table
** (年度履职目标 | 围绕…) is a row of the table, not a sentence ending it:
** the label starts where the table's first column does, a gap apart. */
Test(grid, form_row_with_a_long_text_continues_the_table)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "单位名称");
  put(&p, 200, 100, "淇县卫生健康委");
  put(&p, 100, 118, "年度履职目");
  put(&p, 160, 118, "围绕县委县政府中心工作认真履行部门职责保障机关正常运转全");
  put(&p, 100, 136, "任务名称");
  put(&p, 200, 136, "保密工作专项经费");
  put(&p, 100, 154, "预算总额");
  put(&p, 200, 154, "4211.58");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 4, "%d rows", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 0, 0), "单位名称");
  cr_assert_str_eq(cell(&g[0], 1, 0), "年度履职目");
  cr_assert(strncmp(cell(&g[0], 1, 1), "围绕县委", strlen("围绕县委")) == 0,
            "long text: %s", cell(&g[0], 1, 1));
  release(&p, g, n, used);
}

/* A label printed in the gap between two rows, centred over the four
** rows of its group (the rows' cells wrap onto two lines), has a row of
** its own only by standing there: it is merged down over the group and
** goes to its first row. */
Test(grid, unruled_label_alone_in_a_gap_goes_to_its_group)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "类别");
  put(&p, 180, 80, "项目名称");
  put(&p, 280, 80, "金额");
  const char *first[] = {"保密工作完", "免疫规划完", "家庭医生完", "签约服务完"};
  for (int r = 0; r < 4; r++) {
    put(&p, 180, 100 + 34 * r, first[r]);
    put(&p, 180, 112 + 34 * r, "成率");
    put(&p, 280, 106 + 34 * r, "12.50");
  }
  put(&p, 100, 157, "重点任务");
  put(&p, 100, 236, "履职目标");
  put(&p, 180, 236, "年度工作目标");
  put(&p, 280, 236, "30.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 6, "%d rows", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 1, 0), "重点任务");
  cr_assert_str_eq(cell(&g[0], 1, 1), "保密工作完 成率");
  for (int r = 2; r < 5; r++)
    cr_assert_str_eq(cell(&g[0], r, 0), "");
  cr_assert_str_eq(cell(&g[0], 5, 0), "履职目标");
  release(&p, g, n, used);
}

/* A form's top part (labels beside long texts, above its first amount) is
** rows, not header tiers: 单位名称 and the wrapped 年度履职目标 below it
** stay two cells, as in the body. */
Test(grid, form_top_part_with_sentences_is_rows)
{
  page p;
  page_init(&p);
  put(&p, 100, 100, "单位名称");
  put(&p, 160, 100, "杞县自然资源局");
  put(&p, 100, 114, "年度履职");
  put(&p, 160, 114, "坚持以新时代中国特色社会主义思想为指导");
  put(&p, 100, 128, "目标");
  put(&p, 160, 128, "围绕中心工作服务大局");
  put(&p, 100, 150, "预算总额");
  put(&p, 160, 150, "部门预算总额");
  put(&p, 360, 150, "1334.31");
  put(&p, 100, 172, "一级指标");
  put(&p, 160, 172, "二级指标");
  put(&p, 260, 172, "三级指标");
  put(&p, 360, 172, "指标值");
  const char *names[] = {"目标相关性", "任务科学性", "指标合理性"};
  const char *values[] = {"相关", "科学", "合理"};
  for (int r = 0; r < 3; r++) {
    put(&p, 260, 190 + 18 * r, names[r]);
    put(&p, 360, 190 + 18 * r, values[r]);
  }
  put(&p, 100, 190, "投入管理");
  put(&p, 160, 190, "目标管理");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_str_eq(cell(&g[0], 0, 0), "单位名称");
  cr_assert_str_eq(cell(&g[0], 1, 0), "年度履职 目标");
  cr_assert_str_eq(cell(&g[0], 1, 1),
                   "坚持以新时代中国特色社会主义思想为指导 围绕中心工作服务大局");
  release(&p, g, n, used);
}

/* In a table whose rows are padded apart, rows printed without padding
** (a form's indicator rows, one line each) are still rows: a line that
** left room before its column's wrap limit (where two lines end) for what
** starts the next line did not wrap. A line ending early only because
** the next starts with an unbreakable "2024" did wrap. */
Test(grid, padded_table_with_unpadded_rows)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "一级");
  put(&p, 200, 80, "三级指标");
  put(&p, 300, 80, "金额");
  put(&p, 360, 80, "说明");
  put(&p, 100, 100, "投入管理");
  put(&p, 200, 100, "目标相关性的");
  put(&p, 300, 100, "12.50");
  put(&p, 360, 100, "一二三四五六七八九十");
  put(&p, 360, 112, "甲乙丙");
  put(&p, 200, 134, "任务科学性的");
  put(&p, 300, 134, "30.00");
  put(&p, 360, 134, "一二三四五六七八九十");
  put(&p, 360, 146, "子丑寅卯辰巳午");
  put(&p, 360, 158, "2024年度");
  put(&p, 200, 180, "合理性");
  put(&p, 300, 180, "合");
  put(&p, 200, 192, "完整性");
  put(&p, 300, 192, "完整");
  put(&p, 100, 214, "产出");
  put(&p, 200, 214, "完成率");
  put(&p, 300, 214, "≥95%");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->nrows, 6, "%d rows", t->nrows);
  cr_assert_str_eq(cell(t, 1, 3), "一二三四五六七八九十 甲乙丙");
  cr_assert_str_eq(cell(t, 2, 3),
                   "一二三四五六七八九十 子丑寅卯辰巳午 2024年度");
  cr_assert_str_eq(cell(t, 3, 1), "合理性");
  cr_assert_str_eq(cell(t, 3, 2), "合");
  cr_assert_str_eq(cell(t, 4, 1), "完整性");
  cr_assert_str_eq(cell(t, 4, 2), "完整");
  release(&p, g, n, used);
}

/* A target value printed right after a wrapped indicator name (the name's
** first line runs up to it, a point apart) is the next column's cell, not
** part of the name: its comparison sign parts them. */
Test(grid, target_value_glued_to_a_name_is_its_own_cell)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "项目名称");
  put(&p, 200, 80, "三级指标");
  put(&p, 272, 80, "指标值");
  put(&p, 100, 100, "法律服务经费");
  put(&p, 200, 100, "法律相关业务解");
  put(&p, 271.5, 100, "≥95%");
  put(&p, 200, 112, "决率");
  put(&p, 100, 130, "巡查经费");
  put(&p, 200, 130, "巡查覆盖率");
  put(&p, 272, 130, "100%");
  put(&p, 100, 150, "合计");
  put(&p, 200, 150, "金额");
  put(&p, 272, 150, "12.50");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_str_eq(cell(&g[0], 1, 1), "法律相关业务解 决率");
  cr_assert_str_eq(cell(&g[0], 1, 2), "≥95%");
  release(&p, g, n, used);
}

/* A form page with few indicator rows: their values do not share a start
** with the centred 指标值 header (too few to show a column), and the top
** part's long texts block the channel before them. The header row, five
** short texts well apart, shows the column: its gap gets a border. */
Test(grid, form_header_row_shows_a_missing_column)
{
  page p;
  page_init(&p);
  put(&p, 100, 16, "年度任务");
  put(&p, 160, 16, "围绕网络通讯费推进各项工作确保完成");
  put(&p, 160, 34, "做好中心大厅运行经费相关工作规范管理");
  put(&p, 100, 52, "预算情况");
  put(&p, 160, 52, "部门预算总额（万元）合计数额");
  put(&p, 440, 52, "1334.31");
  put(&p, 100, 80, "一级指标");
  put(&p, 160, 80, "二级指标");
  put(&p, 240, 80, "三级指标");
  put(&p, 336, 80, "指标值");
  put(&p, 400, 80, "指标值说明");
  put(&p, 100, 98, "投入管理");
  put(&p, 160, 98, "工作目标管理");
  put(&p, 240, 98, "目标相关性");
  put(&p, 330, 98, "相关");
  put(&p, 400, 98, "是否相关");
  put(&p, 240, 116, "任务科学性");
  put(&p, 330, 116, "科学");
  put(&p, 400, 116, "是否科学");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->ncols, 5, "%d columns", t->ncols);
  int hr = -1;
  for (int r = 0; r < t->nrows && hr < 0; r++)
    if (strcmp(cell(t, r, 0), "一级指标") == 0)
      hr = r;
  cr_assert_geq(hr, 0, "no header row");
  cr_assert_str_eq(cell(t, hr, 2), "三级指标");
  cr_assert_str_eq(cell(t, hr, 3), "指标值");
  cr_assert_str_eq(cell(t, hr + 1, 2), "目标相关性");
  cr_assert_str_eq(cell(t, hr + 1, 3), "相关");
  cr_assert_str_eq(cell(t, hr + 2, 3), "科学");
  release(&p, g, n, used);
}

/* The top of a page continuing a two-sided list: numbered items of one
** column above the first amounts. They are rows (a header cell is never a
** list's item), each its own, not tiers of a header merged together. */
Test(grid, numbered_items_above_the_amounts_are_rows)
{
  page p;
  page_init(&p);
  put(&p, 300, 40, "二十三、国有资本");
  put(&p, 300, 52, "经营预算");
  put(&p, 300, 66, "二十七、预备费");
  put(&p, 300, 80, "二十九、其他支出");
  put(&p, 300, 94, "三十、转移性支出");
  put(&p, 140, 108, "本年收入合计");
  put(&p, 240, 108, "9386.22");
  put(&p, 300, 108, "本年支出合计");
  put(&p, 420, 108, "9386.22");
  put(&p, 140, 124, "收入总计");
  put(&p, 240, 124, "9386.22");
  put(&p, 300, 124, "支出合计");
  put(&p, 420, 124, "9386.22");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->nrows, 6, "%d rows", t->nrows);
  cr_assert_str_eq(cell(t, 0, 2), "二十三、国有资本 经营预算");
  cr_assert_str_eq(cell(t, 1, 2), "二十七、预备费");
  cr_assert_str_eq(cell(t, 2, 2), "二十九、其他支出");
  cr_assert_str_eq(cell(t, 3, 2), "三十、转移性支出");
  cr_assert_str_eq(cell(t, 4, 0), "本年收入合计");
  release(&p, g, n, used);
}

/* Rows parted by rules, a long 说明 text overflowing its row's box: its
** last line runs over the rule, and the next row's text starts just below
** the rule, overlapping it. The rule still ends the first cell. */
Test(grid, hrule_text_overflowing_its_row_stays_in_it)
{
  page p;
  page_init(&p);
  put(&p, 100, 80, "三级指标");
  put(&p, 200, 80, "指标值");
  put(&p, 260, 80, "指标值说明");
  put(&p, 100, 100, "预算调整率");
  put(&p, 200, 100, "≤20%");
  put(&p, 260, 100, "预算调整率等于调整数");
  put(&p, 260, 111, "除以年初预算数乘以百");
  put(&p, 260, 122, "分之百。");
  put(&p, 100, 128, "结转结余率");
  put(&p, 200, 128, "≤15%");
  put(&p, 260, 128, "结转结余率等于结转数");
  put(&p, 100, 150, "控制率");
  put(&p, 200, 150, "≤100%");
  put(&p, 260, 150, "控制率等于实际支出数");
  rule(&p.ru.h, &p.ru.nh, 76, 95, 370);
  rule(&p.ru.h, &p.ru.nh, 95, 95, 370);
  rule(&p.ru.h, &p.ru.nh, 126, 95, 370);
  rule(&p.ru.h, &p.ru.nh, 146, 95, 370);
  rule(&p.ru.h, &p.ru.nh, 164, 95, 370);
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  cr_assert_eq(t->nrows, 4, "%d rows", t->nrows);
  int c = t->ncols - 3; /* the rules reach left of the texts */
  cr_assert_str_eq(cell(t, 1, c + 2),
                   "预算调整率等于调整数 除以年初预算数乘以百 分之百。");
  cr_assert_str_eq(cell(t, 2, c), "结转结余率");
  cr_assert_str_eq(cell(t, 2, c + 2), "结转结余率等于结转数");
  release(&p, g, n, used);
}

/* A form's row of labels (一级指标 … 指标值说明, short words well apart)
** set as close above the first indicator row as that row's own wrapped
** lines: none of its labels wraps into the cells below. */
Test(grid, row_of_labels_does_not_wrap_into_the_row_below)
{
  page p;
  page_init(&p);
  put(&p, 100, 60, "预算情况");
  put(&p, 160, 60, "部门预算总额");
  put(&p, 340, 60, "9386.22");
  put(&p, 100, 88, "一级指标");
  put(&p, 160, 88, "二级指标");
  put(&p, 240, 88, "三级指标");
  put(&p, 320, 88, "指标值");
  put(&p, 380, 88, "说明");
  put(&p, 100, 100, "投入管理");
  put(&p, 160, 100, "目标管理");
  put(&p, 100, 111, "指标");
  put(&p, 240, 100, "目标相关性");
  put(&p, 320, 100, "相关");
  put(&p, 240, 124, "任务科学性");
  put(&p, 320, 124, "科学");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  const grid *t = &g[0];
  int hr = -1;
  for (int r = 0; r < t->nrows && hr < 0; r++)
    if (strncmp(cell(t, r, 0), "一级指标", strlen("一级指标")) == 0)
      hr = r;
  cr_assert_geq(hr, 0, "no row of labels");
  cr_assert_str_eq(cell(t, hr, 0), "一级指标");
  cr_assert_str_eq(cell(t, hr, 1), "二级指标");
  cr_assert_str_eq(cell(t, hr + 1, 0), "投入管理 指标");
  cr_assert_str_eq(cell(t, hr + 1, 1), "目标管理");
  release(&p, g, n, used);
}

/* A form's indicator rows continued on the next page: no amount, no title,
** columns of their own; with none of it taken for header, and the form's
** first column (merged down from the page before) kept, empty. */
Test(grid, form_page_continued_keeps_the_first_column)
{
  grid_memory mem = {{0}, 0};
  const double xs[] = {100, 160, 250};
  const char *rows[][3] = {
      {"主要任务", "任务名称", "主要内容"},
      {"", "保密工作经费", "围绕保密工作推进各项工作"},
      {"", "疫苗运转经费", "围绕疫苗冷链推进各项工作"},
  };
  page p1;
  page_init(&p1);
  for (int r = 0; r < 3; r++)
    for (int c = 0; c < 3; c++)
      put(&p1, xs[c], 100 + 15 * r, rows[r][c]);
  unsigned char *used1 = calloc(p1.pt.nchars + 1, 1);
  grid *g1 = NULL;
  size_t n1;
  cr_assert_eq(grids_find(&p1.pt, &p1.ru, &mem, used1, &g1, &n1), 0);
  cr_assert_eq(n1, 1);
  cr_assert_eq(g1[0].ncols, 3);
  page p2;
  page_init(&p2);
  for (int r = 0; r < 6; r++) {
    put(&p2, 160, 60 + 15 * r, r == 0 ? "时效指标" : "");
    put(&p2, 230, 60 + 15 * r, r % 2 ? "完成及时率" : "按期完成率");
    put(&p2, 320, 60 + 15 * r, "≥95%");
    put(&p2, 380, 60 + 15 * r, "反映完成的情况");
  }
  unsigned char *used2 = calloc(p2.pt.nchars + 1, 1);
  grid *g2 = NULL;
  size_t n2;
  cr_assert_eq(grids_find(&p2.pt, &p2.ru, &mem, used2, &g2, &n2), 0);
  if (getenv("TEST_DUMP"))
    for (size_t i = 0; i < n2; i++)
      dump(&g2[i]);
  cr_assert_eq(n2, 1);
  cr_assert_eq(g2[0].ncols, 5, "got %d columns", g2[0].ncols);
  cr_assert_eq(g2[0].nrows, 6, "every line a body row, got %d", g2[0].nrows);
  cr_assert_str_eq(cell(&g2[0], 0, 0), "");
  cr_assert_str_eq(cell(&g2[0], 0, 1), "时效指标");
  cr_assert_str_eq(cell(&g2[0], 5, 4), "反映完成的情况");
  grids_free(g1, n1);
  grids_free(g2, n2);
  free(g1);
  free(g2);
  free(used1);
  free(used2);
  page_free(&p1);
  page_free(&p2);
}

/* A parent centred over four children spans all four, the outer ones too
** (the narrowest centred run would leave them out), and not the 总计 cell
** beside them. */
Test(grid, parent_spans_its_outer_children)
{
  page p;
  page_init(&p);
  put(&p, 230, 100, "本年收入");
  put(&p, 100, 115, "总计");
  const char *kids[] = {"合计", "小计", "事业收入", "其他收入"};
  const double kx[] = {150, 200, 250, 310};
  for (int c = 0; c < 4; c++)
    put(&p, kx[c], 115, kids[c]);
  const char *row[] = {"10.00", "5.00", "1.00", "2.00", "2.00"};
  const double rx[] = {100, 150, 200, 250, 310};
  for (int c = 0; c < 5; c++)
    put(&p, rx[c], 135, row[c]);
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 5);
  cr_assert_str_eq(cell(&g[0], 0, 1), "本年收入");
  cr_assert(has_span(&g[0], 0, 1, 1, 4), "本年收入 spans 合计 … 其他收入");
  cr_assert_str_eq(cell(&g[0], 1, 4), "其他收入");
  release(&p, g, n, used);
}


/* Two parents side by side, too close to count as a columnar line, above
** the column heads: the table's first header row. The 金额单位 line above
** them is the title block's, not the table's. */
Test(grid, parents_side_by_side_above_the_heads)
{
  page p;
  page_init(&p);
  size_t unit = p.pt.nchars;
  put(&p, 300, 80, "金额单位：万元");
  put(&p, 110, 100, "部门预算支出经济分类科目");
  put(&p, 240, 100, "机构运行经费");
  put(&p, 110, 115, "科目编码");
  put(&p, 180, 115, "科目名称");
  put(&p, 260, 115, "合计");
  put(&p, 110, 130, "30201");
  put(&p, 180, 130, "办公费");
  put(&p, 260, 130, "28.66");
  put(&p, 110, 145, "30202");
  put(&p, 180, 145, "印刷费");
  put(&p, 260, 145, "26.80");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].nrows, 4, "parents, heads and two rows; got %d", g[0].nrows);
  cr_assert_str_eq(cell(&g[0], 0, 0), "部门预算支出经济分类科目");
  cr_assert_str_eq(cell(&g[0], 1, 1), "科目名称");
  cr_assert(!used[unit], "the unit line is not in the table");
  release(&p, g, n, used);
}

/* A narrow header wraps "2024" away from its 年: the year is header text,
** so the header stays above the first amount instead of taking it in. */
Test(grid, year_wrapped_in_a_header_is_not_an_amount)
{
  page p;
  page_init(&p);
  put(&p, 300, 102, "2024");
  put(&p, 150, 108, "项目");
  put(&p, 300, 114, "年预算");
  put(&p, 150, 127, "共计");
  put(&p, 312, 127, "3.00");
  put(&p, 150, 142, "一、办公费");
  put(&p, 312, 142, "1.00");
  put(&p, 150, 157, "二、差旅费");
  put(&p, 312, 157, "2.00");
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  cr_assert_eq(g[0].ncols, 2);
  cr_assert_str_eq(cell(&g[0], 0, 1), "2024 年预算");
  int total = -1;
  for (int r = 0; r < g[0].nrows; r++)
    if (!strcmp(cell(&g[0], r, 0), "共计"))
      total = r;
  cr_assert(total > 0, "共计 is a row of its own");
  cr_assert_str_eq(cell(&g[0], total, 1), "3.00");
  release(&p, g, n, used);
}

/* A page bitmap drawn here as rulings_render() would have it: white paper
** at RULINGS_SCALE pixels a point, black strokes placed in points. */
static page_bitmap drawn_page(const page *p)
{
  int w = (int)(p->pt.width * RULINGS_SCALE + 1);
  int h = (int)(p->pt.height * RULINGS_SCALE + 1);
  cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cr_assert_eq(cairo_surface_status(surf), CAIRO_STATUS_SUCCESS);
  cairo_t *cr = cairo_create(surf);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_scale(cr, RULINGS_SCALE, RULINGS_SCALE);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, 0.75);
  cairo_move_to(cr, 50, 200.3);   /* a rule, grazed by a box below */
  cairo_line_to(cr, 300, 200.3);
  cairo_move_to(cr, 400, 100);    /* a column border */
  cairo_line_to(cr, 400, 400);
  cairo_stroke(cr);
  cairo_rectangle(cr, 101.3, 300.2, 10, 1); /* a glyph's flat stroke */
  cairo_fill(cr);
  cairo_destroy(cr);
  page_bitmap bm = {surf, w, h};
  return bm;
}

/* Strokes inside a character's box are the glyph, not a ruling; a rule a
** box only grazes stays whole; boxes no pixel could hold are let be. */
Test(rulings, glyph_strokes_are_painted_out_and_grazed_rules_stay)
{
  page p;
  page_init(&p);
  put(&p, 100, 295.5, "字");     /* covers the flat stroke */
  put(&p, 60, 190.4, "表");      /* its box ends just inside the rule */
  pt_char wild[] = {
      {NAN, 10, 20, 30, 10, 'x', 0},
      {-1e300, -1e300, 1e300, 0, 10, 'y', 0},
      {1e300, 5, 2e300, 9, 10, 'z', 0},
  };
  for (size_t i = 0; i < sizeof wild / sizeof *wild; i++) {
    p.pt.chars = realloc(p.pt.chars, (p.pt.nchars + 1) * sizeof *p.pt.chars);
    cr_assert_not_null(p.pt.chars);
    p.pt.chars[p.pt.nchars++] = wild[i];
  }
  page_bitmap bm = drawn_page(&p);
  cr_assert_eq(rulings_find(&bm, &p.pt, &p.ru), 0);
  cr_assert_null(bm.surface, "the bitmap is released");
  cr_assert_eq(p.ru.nh, 1, "%zu horizontals", p.ru.nh);
  cr_assert(fabs(p.ru.h[0].pos - 200.3) < 1, "at %g", p.ru.h[0].pos);
  cr_assert(p.ru.h[0].from < 51 && p.ru.h[0].to > 299, "%g..%g",
            p.ru.h[0].from, p.ru.h[0].to);
  cr_assert_eq(p.ru.nv, 1, "%zu verticals", p.ru.nv);
  cr_assert(fabs(p.ru.v[0].pos - 400) < 1, "at %g", p.ru.v[0].pos);
  page_free(&p);
}

/* Which columns a text is in (frag_columns()): a header text wider than
** the amounts under it, centred on them, reaches a little into the
** column before (对个人和 of 对个人和家庭的补助 in a corpus 03 table,
** beside 工资福利支出): it is in its own column, as one reaching a little
** into the column after is. A body text, and one ending past its column,
** keep both. */
Test(grid, text_overflowing_into_a_neighbour_stays_in_its_column)
{
  const double xs[] = {355.9, 414.7, 464.2, 518.4, 557.7, 604.7};
  const int nx = 6;
  int c0, c1;
  lfrag head = {.f = {.x0 = 512.8, .x1 = 553.5}, .size = 10.2};
  frag_columns(&head, xs, nx, &c0, &c1);
  cr_assert(c0 == 3 && c1 == 3, "header over 518.4-557.7: columns %d-%d",
            c0, c1);
  lfrag right = {.f = {.x0 = 470.0, .x1 = 530.0}, .size = 10.2};
  frag_columns(&right, xs, nx, &c0, &c1);
  cr_assert(c0 == 2 && c1 == 2, "overflowing right: columns %d-%d", c0, c1);
  lfrag body = head;
  body.body = 1;
  frag_columns(&body, xs, nx, &c0, &c1);
  cr_assert(c0 == 2 && c1 == 3, "body text: columns %d-%d", c0, c1);
  lfrag past = {.f = {.x0 = 512.8, .x1 = 575.0}, .size = 10.2};
  frag_columns(&past, xs, nx, &c0, &c1);
  cr_assert(c0 == 2 && c1 == 3, "ending past its column: columns %d-%d", c0,
            c1);
  lfrag even = {.f = {.x0 = 480.0, .x1 = 545.0}, .size = 10.2};
  frag_columns(&even, xs, nx, &c0, &c1);
  cr_assert(c0 == 2 && c1 == 3, "across the border: columns %d-%d", c0, c1);
}

/* A form's task rows over its 预算 row (a 14 table): the last task's name
** and content both wrap, and the 预算 row's label, starting in the name
** column, reaches under the content. The content is a text wrapped in
** its cell, not one spanning the 预算 row's texts: name and content stay
** two cells. */
Test(grid, wrapped_content_over_the_next_row_spans_nothing)
{
  page p;
  page_init(&p);
  put(&p, 72, 100, "部门名称");
  put(&p, 136, 100, "青枫县政务服务和大数据管理局");
  put(&p, 72, 130, "年度主要任务");
  put(&p, 136, 130, "任务名称");
  put(&p, 220, 130, "主要内容");
  put(&p, 136, 155, "网络通讯费");
  put(&p, 220, 155, "围绕网络通讯费，按计划推进各项工作，确保完成年度任务。");
  put(&p, 136, 180, "中心大厅运行经");
  put(&p, 220, 180, "做好中心大厅运行经费相关工作，规范资金管理，确保取得预");
  put(&p, 136, 193, "费");
  put(&p, 220, 193, "期效果。");
  put(&p, 72, 215, "预算情况");
  put(&p, 136, 215, "部门预算总额（万元）");
  put(&p, 483, 215, "1334.31");
  put(&p, 136, 235, "其中：财政拨款");
  put(&p, 483, 235, "1334.31");
  put(&p, 72, 255, "绩效指标");
  put(&p, 136, 255, "一级指标");
  put(&p, 220, 255, "二级指标");
  put(&p, 320, 255, "三级指标");
  put(&p, 420, 255, "指标值");
  const char *l2[] = {"数量指标", "质量指标", "时效指标", "成本指标"};
  const char *l3[] = {"保障人数", "合格率", "完成时间", "控制成本"};
  const char *val[] = {"30人", "≥95%", "年底前", "≤预算"};
  for (int r = 0; r < 4; r++) {
    put(&p, 136, 275 + 20 * r, "产出指标");
    put(&p, 220, 275 + 20 * r, l2[r]);
    put(&p, 320, 275 + 20 * r, l3[r]);
    put(&p, 420, 275 + 20 * r, val[r]);
  }
  const double rules[] = {95, 125, 150, 175, 210, 230, 250, 270, 290, 310,
                          330, 350};
  for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
    rule(&p.ru.h, &p.ru.nh, rules[i], 70, 525);
  size_t n;
  unsigned char *used;
  grid *g = find(&p, &n, &used);
  cr_assert_eq(n, 1);
  int row = -1;
  for (int r = 0; r < g[0].nrows && row < 0; r++)
    for (int c = 0; c < g[0].ncols; c++)
      if (strstr(cell(&g[0], r, c), "中心大厅运行经"))
        row = r;
  cr_assert_geq(row, 0);
  cr_assert_str_eq(cell(&g[0], row, 1), "中心大厅运行经 费");
  cr_assert_str_eq(cell(&g[0], row, 2),
                   "做好中心大厅运行经费相关工作，规范资金管理，确保取得预 期效果。");
  release(&p, g, n, used);
}
