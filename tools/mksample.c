/*
** mksample: draws the project's own sample budget documents as PDFs.
**
**   mksample NAME OUT.pdf      one of the built-in documents (see --list)
**   mksample --image-only OUT.pdf
**                              one page whose text is only pixels (a scan)
**   mksample --list            the built-in document names
**
** The documents imitate a county department's 部门预算公开: a narrative
** page with a 目录 that lists table titles (which are not tables), then
** standard tables drawn in the three styles real documents use: ruled
** (every cell boxed), hrule (rules above and below the header and under
** the last row only) and unruled (no lines). Text is cairo "toy" text in
** WenQuanYi Micro Hei, so the PDF carries a real text layer. A cell's
** text may hold '\n' to wrap it over several lines, as a narrow column
** does in print.
**
** The output is deterministic (fixed creation date), so regenerating a
** sample gives the same text layer; the expected CSVs beside each sample
** are written by hand from what the page shows, not by this program.
*/
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FONT "WenQuanYi Micro Hei"
#define A4_W 595.0
#define A4_H 842.0
#define MARGIN 40.0
#define CELL_PAD 5.0
#define LINE_H 11.5
#define TABLE_FONT 8.5

enum style { RULED, HRULE, UNRULED };
enum align { AL_LEFT, AL_CENTER, AL_RIGHT };

typedef struct hcell {
  int row, col, rowspan, colspan;
  const char *text;
} hcell;

typedef struct table_spec {
  const char *label;     /* "预算03表" above the title, or NULL */
  const char *title;
  const char *subtitle;  /* "（2024年度）" under the title, or NULL */
  const char *dept_line; /* left above the table, or NULL */
  const char *unit_line; /* right above the table, or NULL */
  int landscape;
  enum style style;
  int ncols;
  const double *widths;
  const char *aligns;    /* per column: 'l', 'c', 'r' */
  int nhead;             /* header rows */
  const hcell *head;
  int nhcells;
  const char *const *rows; /* nrows * ncols, "" for an empty cell */
  int nrows;
  int split_after;       /* body rows on the first page; 0: no split */
  const char *note;      /* printed under the last row, or NULL */
  int no_repeat_header;  /* a continued page starts with rows, no header */
} table_spec;

typedef struct doc {
  cairo_surface_t *surface;
  cairo_t *cr;
  int page;
} doc;

/* ---- drawing helpers ---------------------------------------------- */

static void font(cairo_t *cr, double size)
{
  cairo_select_font_face(cr, FONT, CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

static double text_width(cairo_t *cr, const char *s)
{
  cairo_text_extents_t e;
  cairo_text_extents(cr, s, &e);
  return e.x_advance;
}

/* Draws s with its baseline at y; x is the left, centre or right edge. */
static void text_at(cairo_t *cr, double x, double y, const char *s,
                    enum align al)
{
  double w = text_width(cr, s);
  if (al == AL_CENTER)
    x -= w / 2;
  else if (al == AL_RIGHT)
    x -= w;
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s);
}

static int count_lines(const char *s)
{
  int n = 1;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* Draws the lines of s centred vertically in [top, top+h] and aligned in
** [x0, x1]. */
static void cell_text(cairo_t *cr, double x0, double x1, double top,
                      double h, const char *s, enum align al)
{
  int n = count_lines(s);
  double y = top + (h - n * LINE_H) / 2 + LINE_H * 0.78;
  char line[512];
  const char *p = s;
  for (int i = 0; i < n; i++) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len >= sizeof line)
      len = sizeof line - 1;
    memcpy(line, p, len);
    line[len] = '\0';
    double x = al == AL_LEFT    ? x0 + CELL_PAD
               : al == AL_RIGHT ? x1 - CELL_PAD
                                : (x0 + x1) / 2;
    text_at(cr, x, y, line, al);
    y += LINE_H;
    p = nl ? nl + 1 : p + len;
  }
}

static void hline(cairo_t *cr, double x0, double x1, double y, double w)
{
  cairo_set_line_width(cr, w);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
}

static void box(cairo_t *cr, double x, double y, double w, double h)
{
  cairo_set_line_width(cr, 0.6);
  cairo_rectangle(cr, x, y, w, h);
  cairo_stroke(cr);
}

static double page_w(const doc *d, int landscape)
{
  (void)d;
  return landscape ? A4_H : A4_W;
}

static double page_h(int landscape) { return landscape ? A4_W : A4_H; }

static void new_page(doc *d, int landscape)
{
  if (d->page > 0)
    cairo_show_page(d->cr);
  d->page++;
  cairo_pdf_surface_set_size(d->surface, page_w(d, landscape),
                             page_h(landscape));
  cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void footer(doc *d, int landscape)
{
  char s[32];
  snprintf(s, sizeof s, "第 %d 页", d->page);
  font(d->cr, 9);
  text_at(d->cr, page_w(d, landscape) / 2, page_h(landscape) - 24, s,
          AL_CENTER);
}

/* ---- tables ---------------------------------------------------------- */

static enum align col_align(const table_spec *t, int c)
{
  char a = t->aligns ? t->aligns[c] : 'l';
  return a == 'r' ? AL_RIGHT : a == 'c' ? AL_CENTER : AL_LEFT;
}

static double table_width(const table_spec *t)
{
  double w = 0;
  for (int c = 0; c < t->ncols; c++)
    w += t->widths[c];
  return w;
}

static double col_x(const table_spec *t, double x0, int c)
{
  for (int i = 0; i < c; i++)
    x0 += t->widths[i];
  return x0;
}

/* Height of header row r: enough for the tallest single-row cell in it. */
static double head_row_h(const table_spec *t, int r)
{
  int lines = 1;
  for (int i = 0; i < t->nhcells; i++)
    if (t->head[i].row == r && t->head[i].rowspan == 1) {
      int n = count_lines(t->head[i].text);
      if (n > lines)
        lines = n;
    }
  return lines * LINE_H + 2 * CELL_PAD + 2;
}

static int covered(const table_spec *t, int r, int c);

/* Height of body row r: its tallest cell, cells merged down excluded (the
** span is tall enough for them). */
static double body_row_h(const table_spec *t, int r)
{
  int lines = 1;
  for (int c = 0; c < t->ncols; c++) {
    if (r + 1 < t->nrows && covered(t, r + 1, c))
      continue;
    int n = count_lines(t->rows[r * t->ncols + c]);
    if (n > lines)
      lines = n;
  }
  return lines * LINE_H + 2 * CELL_PAD + 2;
}

/* Draws the header at top; returns its bottom. */
static double draw_header(cairo_t *cr, const table_spec *t, double x0,
                          double top)
{
  double rh[8], ry[9];
  ry[0] = top;
  for (int r = 0; r < t->nhead; r++) {
    rh[r] = head_row_h(t, r);
    ry[r + 1] = ry[r] + rh[r];
  }
  double x1 = x0 + table_width(t);
  font(cr, TABLE_FONT);
  for (int i = 0; i < t->nhcells; i++) {
    const hcell *h = &t->head[i];
    double cx0 = col_x(t, x0, h->col);
    double cx1 = col_x(t, x0, h->col + h->colspan);
    double cy0 = ry[h->row], cy1 = ry[h->row + h->rowspan];
    cell_text(cr, cx0, cx1, cy0, cy1 - cy0, h->text, AL_CENTER);
    if (t->style == RULED)
      box(cr, cx0, cy0, cx1 - cx0, cy1 - cy0);
    else if (t->style == HRULE && h->colspan > 1 &&
             h->row + h->rowspan < t->nhead)
      hline(cr, cx0 + 4, cx1 - 4, cy1, 0.5); /* under a spanning parent */
  }
  if (t->style == HRULE) {
    hline(cr, x0, x1, top, 1.2);
    hline(cr, x0, x1, ry[t->nhead], 0.6);
  }
  return ry[t->nhead];
}

/* A body cell "^" is covered by the cell above it: a cell merged down
** over several rows is one box with its text centred over the span, as
** spreadsheet exports print it. */
static int covered(const table_spec *t, int r, int c)
{
  return strcmp(t->rows[r * t->ncols + c], "^") == 0;
}

/* A body cell "<" is covered by the cell to its left (merged across). */
static int covered_left(const table_spec *t, int r, int c)
{
  return strcmp(t->rows[r * t->ncols + c], "<") == 0;
}

/* Draws body rows [from, to) at top; returns the bottom. */
static double draw_rows(cairo_t *cr, const table_spec *t, double x0,
                        double top, int from, int to)
{
  double y = top;
  font(cr, TABLE_FONT);
  for (int r = from; r < to; r++) {
    double h = body_row_h(t, r);
    for (int c = 0; c < t->ncols; c++) {
      if (covered(t, r, c) || covered_left(t, r, c))
        continue;
      double span_h = h;
      for (int k = r + 1; k < to && covered(t, k, c); k++)
        span_h += body_row_h(t, k);
      int span_w = 1;
      while (c + span_w < t->ncols && covered_left(t, r, c + span_w))
        span_w++;
      double cx0 = col_x(t, x0, c), cx1 = col_x(t, x0, c + span_w);
      const char *s = t->rows[r * t->ncols + c];
      if (s[0])
        cell_text(cr, cx0, cx1, y, span_h, s, col_align(t, c));
      if (t->style == RULED)
        box(cr, cx0, y, cx1 - cx0, span_h);
    }
    y += h;
  }
  if (t->style == HRULE)
    hline(cr, x0, x0 + table_width(t), y, 1.2);
  return y;
}

static void draw_table(doc *d, const table_spec *t)
{
  cairo_t *cr = d->cr;
  int land = t->landscape;
  double pw = page_w(d, land);
  double x0 = (pw - table_width(t)) / 2;
  int split = t->split_after > 0 && t->split_after < t->nrows
                  ? t->split_after
                  : t->nrows;
  new_page(d, land);
  double y = MARGIN;
  if (t->label) {
    font(cr, 10);
    text_at(cr, x0, y + 10, t->label, AL_LEFT);
    y += 20;
  }
  /* A long title wraps where its text says ('\n') and shrinks to fit
  ** the page, as a long department name makes it do in print. */
  char line[512];
  for (const char *p = t->title; *p;) {
    const char *nl = strchr(p, '\n');
    size_t len = nl ? (size_t)(nl - p) : strlen(p);
    if (len >= sizeof line)
      len = sizeof line - 1;
    memcpy(line, p, len);
    line[len] = '\0';
    double size = 16;
    font(cr, size);
    double w = text_width(cr, line);
    if (w > pw - 2 * MARGIN)
      font(cr, size = size * (pw - 2 * MARGIN) / w);
    text_at(cr, pw / 2, y + 16, line, AL_CENTER);
    y += 24;
    p = nl ? nl + 1 : p + len;
  }
  y += 4;
  if (t->subtitle) {
    font(cr, 10);
    text_at(cr, pw / 2, y + 10, t->subtitle, AL_CENTER);
    y += 18;
  }
  font(cr, 9);
  if (t->dept_line)
    text_at(cr, x0, y + 9, t->dept_line, AL_LEFT);
  if (t->unit_line)
    text_at(cr, x0 + table_width(t), y + 9, t->unit_line, AL_RIGHT);
  if (t->dept_line || t->unit_line)
    y += 16;
  y = draw_header(cr, t, x0, y);
  y = draw_rows(cr, t, x0, y, 0, split);
  if (split < t->nrows) {
    footer(d, land);
    new_page(d, land);
    /* A continued table repeats its header, as most printed ones do. */
    y = t->no_repeat_header ? MARGIN : draw_header(cr, t, x0, MARGIN);
    if (t->no_repeat_header && t->style == HRULE)
      hline(cr, x0, x0 + table_width(t), y, 1.2);
    y = draw_rows(cr, t, x0, y, split, t->nrows);
  }
  if (t->note) {
    font(cr, 9);
    text_at(cr, x0, y + 16, t->note, AL_LEFT);
  }
  footer(d, land);
}

/* Prose: each entry is one printed line (the caller wraps it). */
static void draw_text_page(doc *d, const char *title,
                           const char *const *lines, size_t n)
{
  cairo_t *cr = d->cr;
  new_page(d, 0);
  font(cr, 16);
  text_at(cr, A4_W / 2, 70, title, AL_CENTER);
  double y = 110;
  for (size_t i = 0; i < n; i++) {
    const char *s = lines[i];
    double x = MARGIN + 20;
    if (s[0] == '\0') {
      y += 8;
      continue;
    }
    if (s[0] == '>') { /* a centred heading */
      font(cr, 13);
      text_at(cr, A4_W / 2, y + 13, s + 1, AL_CENTER);
      y += 26;
      continue;
    }
    font(cr, 10.5);
    text_at(cr, x, y + 11, s, AL_LEFT);
    y += 19;
  }
  footer(d, 0);
}

/* ---- the documents --------------------------------------------------- */

/* Columns shared by the 03-like tables (03, 05, 10, 11). */
static const double w03[] = {26, 26, 26, 44, 150, 58, 58, 60, 60, 60, 58, 60};
static const hcell h03[] = {
    {0, 0, 1, 3, "科目编码"},
    {0, 3, 2, 1, "单位\n代码"},
    {0, 4, 2, 1, "单位（科目名称）"},
    {0, 5, 2, 1, "合计"},
    {0, 6, 1, 4, "基本支出"},
    {0, 10, 1, 2, "项目支出"},
    {1, 0, 1, 1, "类"},
    {1, 1, 1, 1, "款"},
    {1, 2, 1, 1, "项"},
    {1, 6, 1, 1, "小计"},
    {1, 7, 1, 1, "工资福利\n支出"},
    {1, 8, 1, 1, "对个人和家\n庭的补助"},
    {1, 9, 1, 1, "商品和服务\n支出"},
    {1, 10, 1, 1, "小计"},
    {1, 11, 1, 1, "特定目标类"},
};

/* 青山县农业农村局: 01 hrule, 03 ruled over two pages, 09, empty 10. */
static const char *const qs_intro[] = {
    ">目    录",
    "第一部分  青山县农业农村局概况",
    "第二部分  青山县农业农村局2024年部门预算情况说明",
    "第三部分  名词解释",
    "附件：青山县农业农村局2024年部门预算表",
    "  一、部门收支预算表",
    "  三、部门支出预算表",
    "  九、一般公共预算“三公”经费预算表",
    "  十、政府性基金支出预算表",
    "",
    ">第一部分  青山县农业农村局概况",
    "一、主要职责",
    "  贯彻落实党中央关于“三农”工作的方针政策和决策部署，统筹研究",
    "和组织实施全县“三农”工作的发展规划和重大政策。",
    "二、部门预算单位构成",
    "  本部门预算为汇总预算，预算单位为青山县农业农村局本级。",
    "",
    ">第二部分  2024年部门预算情况说明",
    "  2024年收入总计6351.62万元，支出总计6351.62万元。支出情况",
    "详见《部门支出预算表》；“三公”经费28.60万元。我部门2024年没有",
    "使用政府性基金预算拨款安排的支出，政府性基金支出预算表无数据。",
};

static const double w01[] = {165, 80, 165, 80};
static const hcell h01[] = {
    {0, 0, 1, 2, "收入"},
    {0, 2, 1, 2, "支出"},
    {1, 0, 1, 1, "项目"},
    {1, 1, 1, 1, "金额"},
    {1, 2, 1, 1, "项目"},
    {1, 3, 1, 1, "金额"},
};
static const char *const r01[] = {
    "一、一般公共预算拨款收入", "6,045.44", "一、一般公共服务支出", "",
    "二、政府性基金预算拨款收入", "", "二、公共安全支出", "",
    "三、国有资本经营预算拨款收入", "", "三、教育支出", "",
    "四、财政专户管理资金收入", "", "四、科学技术支出", "",
    "五、事业收入", "306.18", "五、社会保障和就业支出", "279.36",
    "六、事业单位经营收入", "", "六、卫生健康支出", "74.50",
    "七、上级补助收入", "", "七、节能环保支出", "",
    "八、附属单位上缴收入", "", "八、城乡社区支出", "",
    "九、其他收入", "", "九、农林水支出", "5,858.08",
    "", "", "十、住房保障支出", "139.68",
    "本年收入合计", "6,351.62", "本年支出合计", "6,351.62",
    "上年结转结余", "", "年终结转结余", "",
    "收入总计", "6,351.62", "支出总计", "6,351.62",
};

static const char *const r03[] = {
    "", "", "", "", "合计", "6,351.62", "4,371.62", "3,798.79", "84.95",
    "487.88", "1,980.00", "1,980.00",
    "", "", "", "105", "青山县农业农村局", "6,351.62", "4,371.62",
    "3,798.79", "84.95", "487.88", "1,980.00", "1,980.00",
    "208", "", "", "", "社会保障和就业支出", "279.36", "279.36", "279.36",
    "", "", "", "",
    "208", "05", "", "", "行政事业单位养老支出", "279.36", "279.36",
    "279.36", "", "", "", "",
    "208", "05", "05", "", "机关事业单位基本养老保\n险缴费支出", "186.24",
    "186.24", "186.24", "", "", "", "",
    "208", "05", "06", "", "机关事业单位职业年金缴费支出", "93.12", "93.12",
    "93.12", "", "", "", "",
    "210", "", "", "", "卫生健康支出", "74.50", "74.50", "74.50", "", "",
    "", "",
    "210", "11", "", "", "行政事业单位医疗", "74.50", "74.50", "74.50", "",
    "", "", "",
    "210", "11", "01", "", "行政单位医疗", "74.50", "74.50", "74.50", "", "",
    "", "",
    /* page break */
    "213", "", "", "", "农林水支出", "5,858.08", "3,878.08", "3,305.25",
    "84.95", "487.88", "1,980.00", "1,980.00",
    "213", "01", "", "", "农业农村", "5,858.08", "3,878.08", "3,305.25",
    "84.95", "487.88", "1,980.00", "1,980.00",
    "213", "01", "01", "", "行政运行", "1,842.67", "1,842.67", "1,516.35",
    "48.20", "278.12", "", "",
    "213", "01", "04", "", "事业运行", "2,035.41", "2,035.41", "1,788.90",
    "36.75", "209.76", "", "",
    "213", "01", "22", "", "农业生产发展", "1,980.00", "", "", "", "",
    "1,980.00", "1,980.00",
    "221", "", "", "", "住房保障支出", "139.68", "139.68", "139.68", "", "",
    "", "",
    "221", "02", "", "", "住房改革支出", "139.68", "139.68", "139.68", "",
    "", "", "",
    "221", "02", "01", "", "住房公积金", "139.68", "139.68", "139.68", "", "",
    "", "",
};

static const double w09[] = {80, 80, 80, 85, 85, 80};
static const hcell h09[] = {
    {0, 0, 2, 1, "“三公”经费\n合计"},
    {0, 1, 2, 1, "因公出国\n（境）费"},
    {0, 2, 1, 3, "公务用车购置及运行费"},
    {0, 5, 2, 1, "公务接待费"},
    {1, 2, 1, 1, "小计"},
    {1, 3, 1, 1, "公务用车购置费"},
    {1, 4, 1, 1, "公务用车运行费"},
};
static const char *const r09[] = {"28.60", "0.00", "21.40", "", "21.40",
                                  "7.20"};

static const char *const r10[] = {"", "", "", "", "合计", "", "", "", "", "",
                                  "", ""};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))

static const table_spec qs_tables[] = {
    {NULL, "2024年部门收支预算表", NULL, "部门名称：青山县农业农村局",
     "单位：万元", 0, HRULE, 4, w01, "lrlr", 2, h01, N(h01), r01,
     N(r01) / 4, 0, NULL, 0},
    {"预算03表", "2024年部门支出预算表", NULL,
     "部门名称：青山县农业农村局", "单位：万元", 1, RULED, 12, w03,
     "cccclrrrrrrr", 2, h03, N(h03), r03, N(r03) / 12, 9, NULL, 0},
    {NULL, "2024年一般公共预算“三公”经费支出情况表", NULL,
     "部门名称：青山县农业农村局", "单位：万元", 0, RULED, 6, w09,
     "rrrrrr", 2, h09, N(h09), r09, 1, 0, NULL, 0},
    {NULL, "2024年政府性基金预算支出预算表", NULL,
     "部门名称：青山县农业农村局", "单位：万元", 1, RULED, 12, w03,
     "cccclrrrrrrr", 2, h03, N(h03), r10, 1, 0,
     "注：青山县农业农村局2024年没有使用政府性基金预算拨款安排的支出，故此表无数据。", 0},
};

/* 白河镇中心学校 (a unit): 01 unruled, amounts without separators (one
** printed 883.5), 09 as a vertical list, 11 empty with its header only. */
static const char *const bh_intro[] = {
    ">目    录",
    "一、单位概况",
    "二、2024年单位预算情况说明",
    "三、名词解释",
    "附件：2024年单位预算公开表",
    "  - 一、单位收支总体情况表",
    "  - 九、\"三公\"经费支出预算表",
    "  - 十一、国有资本经营预算支出情况表",
    "",
    ">一、单位概况",
    "  白河镇中心学校是白河镇人民政府所属的公益一类事业单位，",
    "主要承担全镇义务教育阶段的教育教学工作。",
    "",
    ">二、2024年单位预算情况说明",
    "  2024年收入总计895.80万元，支出总计895.80万元。“三公”经费",
    "预算3.60万元，全部为公务接待费。本单位没有国有资本经营预算",
    "收入，也没有使用国有资本经营预算安排的支出。",
};

static const char *const r01b[] = {
    "一、一般公共预算拨款收入", "883.5", "一、教育支出", "742.16",
    "二、政府性基金预算拨款收入", "", "二、社会保障和就业支出", "96.84",
    "三、国有资本经营预算拨款收入", "", "三、卫生健康支出", "31.20",
    "四、事业收入", "12.30", "四、住房保障支出", "25.60",
    "五、其他收入", "", "", "",
    "本年收入合计", "895.80", "本年支出合计", "895.80",
    "上年结转结余", "", "年终结转结余", "",
    "收入总计", "895.80", "支出总计", "895.80",
};

static const double w09b[] = {220, 140};
static const hcell h09b[] = {
    {0, 0, 1, 1, "项目"},
    {0, 1, 1, 1, "2024年“三公”经费\n预算数"},
};
static const char *const r09b[] = {
    "共计", "3.60",
    "1、因公出国（境）费", "0.00",
    "2、公务接待费", "3.60",
    "3、公务用车购置及运行费", "0.00",
    "  （1）公务用车购置费", "0.00",
    "  （2）公务用车运行费", "0.00",
};

static const table_spec bh_tables[] = {
    {NULL, "2024年单位收支总体情况表", "（2024年度）",
     "单位名称：白河镇中心学校", "单位：万元", 0, UNRULED, 4, w01, "lrlr",
     2, h01, N(h01), r01b, N(r01b) / 4, 0, NULL, 0},
    {NULL, "2024年\"三公\"经费支出预算表", NULL,
     "单位名称：白河镇中心学校", "单位：万元", 0, RULED, 2, w09b, "lr", 1,
     h09b, N(h09b), r09b, N(r09b) / 2, 0, NULL, 0},
    {NULL, "2024年国有资本经营预算支出情况表", NULL,
     "单位名称：白河镇中心学校", "单位：万元", 1, HRULE, 12, w03,
     "cccclrrrrrrr", 2, h03, N(h03), NULL, 0, 0,
     "我单位没有国有资本经营预算收入，也没有使用国有资本经营预算安排的支出，故此表无数据。", 0},
};

/* 河西区水利局: 04 with a 3-level header and a spaced title, 12 with
** 类型 and 项目单位 merged down (text centred over the span), 13 unruled
** with 5-digit economic codes. */
static const char *const hx_intro[] = {
    ">目    录",
    "第一部分  河西区水利局概况",
    "第二部分  2024年部门预算情况说明",
    "第三部分  名词解释",
    "附件：2024年部门预算公开表",
    "  - 四、财政拨款收支预算表",
    "  - 十二、项目支出预算表",
    "  - 十三、机关（机构）运行经费",
    "",
    ">第二部分  2024年部门预算情况说明",
    "  2024年财政拨款收入1234.56万元，其中项目支出1050.16万元，主要",
    "用于农村饮水安全巩固提升和中小河流治理；机关运行经费96.50万元。",
    "具体见四、财政拨款收支预算表情况说明。",
};

static const double w04[] = {120, 60, 130, 62, 62, 68, 62, 70};
static const hcell h04[] = {
    {0, 0, 1, 2, "收入"},
    {0, 2, 1, 6, "支出"},
    {1, 0, 2, 1, "项目"},
    {1, 1, 2, 1, "金额"},
    {1, 2, 2, 1, "项目"},
    {1, 3, 2, 1, "合计"},
    {1, 4, 1, 2, "一般公共预算"},
    {1, 6, 2, 1, "政府性基金"},
    {1, 7, 2, 1, "国有资本经营\n预算"},
    {2, 4, 1, 1, "小计"},
    {2, 5, 1, 1, "其中：财政拨款"},
};
static const char *const r04[] = {
    "一、一般公共预算", "1,234.56", "一、农林水支出", "1,050.16", "1,050.16",
    "1,050.16", "", "",
    "二、政府性基金预算", "", "二、社会保障和就业支出", "112.80", "112.80",
    "112.80", "", "",
    "三、国有资本经营预算", "", "三、卫生健康支出", "32.40", "32.40",
    "32.40", "", "",
    "", "", "四、住房保障支出", "39.20", "39.20", "39.20", "", "",
    "本年收入合计", "1,234.56", "本年支出合计", "1,234.56", "1,234.56",
    "1,234.56", "", "",
    "上年结转", "", "年终结转结余", "", "", "", "", "",
    "收入总计", "1,234.56", "支出总计", "1,234.56", "1,234.56", "1,234.56",
    "", "",
};

static const double w12[] = {52, 132, 92, 52, 55, 55, 55, 55, 55, 55, 52, 45};
static const hcell h12[] = {
    {0, 0, 2, 1, "类型"},
    {0, 1, 2, 1, "项目名称"},
    {0, 2, 2, 1, "项目单位"},
    {0, 3, 2, 1, "合计"},
    {0, 4, 1, 3, "本年拨款"},
    {0, 7, 1, 3, "财政拨款结转结余"},
    {0, 10, 2, 1, "财政专户\n管理资金"},
    {0, 11, 2, 1, "单位资金"},
    {1, 4, 1, 1, "一般公共\n预算"},
    {1, 5, 1, 1, "政府性基\n金预算"},
    {1, 6, 1, 1, "国有资本经\n营预算"},
    {1, 7, 1, 1, "一般公共\n预算"},
    {1, 8, 1, 1, "政府性基\n金预算"},
    {1, 9, 1, 1, "国有资本经\n营预算"},
};
static const char *const r12[] = {
    "合计", "", "", "1,050.16", "970.16", "", "", "80.00", "", "", "", "",
    "其他运转类", "防汛抗旱值班运行经费", "河西区水利局", "36.00", "36.00",
    "", "", "", "", "", "", "",
    "^", "水利工程运行维护", "^", "58.50", "58.50", "", "", "", "", "", "",
    "",
    "特定目标类", "农村饮水安全巩固提升工程", "河西区水利工程\n服务中心",
    "420.00", "420.00", "", "", "", "", "", "", "",
    "^", "中小河流治理（白河段）", "^", "380.00", "300.00", "", "", "80.00",
    "", "", "", "",
    "^", "水土保持生态修复项目", "^", "155.66", "155.66", "", "", "", "", "",
    "", "",
};

static const double w13[] = {90, 200, 110};
static const hcell h13[] = {
    {0, 0, 1, 2, "部门预算支出经济分类科目"},
    {0, 2, 1, 1, "机构运行经费支出"},
    {1, 0, 1, 1, "科目编码"},
    {1, 1, 1, 1, "科目名称"},
    {1, 2, 1, 1, "合计"},
};
static const char *const r13[] = {
    "", "合计", "96.50",
    "302", "商品和服务支出", "96.50",
    "30201", "办公费", "18.00",
    "30205", "水费", "2.40",
    "30206", "电费", "6.10",
    "30211", "差旅费", "22.00",
    "30228", "工会经费", "13.60",
    "30231", "公务用车运行维护费", "21.40",
    "30299", "其他商品和服务支出", "13.00",
};

static const table_spec hx_tables[] = {
    {"预算04表", "2024年财政拨款收支 预算表", NULL,
     "部门名称：河西区水利局", "单位：万元", 1, RULED, 8, w04, "lrlrrrrr", 3,
     h04, N(h04), r04, N(r04) / 8, 0, NULL, 0},
    {"预算12表", "2024年项目支出预算表", NULL, "部门名称：河西区水利局",
     "单位：万元", 1, RULED, 12, w12, "cllrrrrrrrrr", 2, h12, N(h12), r12,
     N(r12) / 12, 0, NULL, 0},
    {"预算13表", "2024年机关运行经费支出预算表", NULL,
     "部门名称：河西区水利局", "单位：万元", 0, UNRULED, 3, w13, "clr", 2,
     h13, N(h13), r13, N(r13) / 3, 0,
     "说明：机关运行经费是指为保障行政单位运行用于购买货物和服务的各项公用经费。", 0},
};

/* 南山区教育局: 07 over two pages without a repeated header, 项目单位
** and 类型 merged down, a name wrapped over two lines, an amount printed
** with a stray space (883. 50); 15 with a 3-level header, 21-digit
** project codes, project cells merged down over their indicator rows,
** ≥ / % / 年月日 values, wrapped indicator cells; 14, the form, with
** cells merged across and down. */
static const char *const ns_intro[] = {
    ">目    录",
    "一、部门概况",
    "二、2024年部门预算情况说明",
    "附件：2024年部门预算公开表",
    "  - 七、一般公共预算基本支出明细表",
    "  - 十四、部门（单位）整体绩效目标表",
    "  - 十五、部门预算项目绩效目标表",
    "",
    ">二、2024年部门预算情况说明",
    "  2024年一般公共预算基本支出4487.84万元，其中人员类4386.14万元，",
    "公用经费101.70万元。项目支出200.00万元，绩效目标见部门预算项目",
    "绩效目标表。",
};

static const double w07[] = {92, 46, 112, 56, 52, 52, 52, 52, 52, 52, 52, 46};
static const hcell h07[] = {
    {0, 0, 2, 1, "项目单位"},
    {0, 1, 2, 1, "类型"},
    {0, 2, 2, 1, "项目名称"},
    {0, 3, 2, 1, "合计"},
    {0, 4, 1, 3, "本年拨款"},
    {0, 7, 1, 3, "财政拨款结转结余"},
    {0, 10, 2, 1, "财政专户\n管理资金"},
    {0, 11, 2, 1, "单位资金"},
    {1, 4, 1, 1, "一般公共\n预算"},
    {1, 5, 1, 1, "政府性基\n金预算"},
    {1, 6, 1, 1, "国有资本经\n营预算"},
    {1, 7, 1, 1, "一般公共\n预算"},
    {1, 8, 1, 1, "政府性基\n金预算"},
    {1, 9, 1, 1, "国有资本经\n营预算"},
};
static const char *const r07[] = {
    "",  "",  "合计",  "4,487.84",  "4,487.84",  "",  "",  "",  "",  "",  "",
    "",
    "南山区教育局",  "人员类",  "基本工资",  "312.40",  "312.40",  "",  "",  "",  "",  "",
    "",  "",
    "^",  "^",  "津贴补贴",  "186.20",  "186.20",  "",  "",  "",  "",  "",  "",
    "",
    "^",  "^",  "机关事业单位基本养\n老保险缴费",  "98.76",  "98.76",  "",  "",  "",  "",
    "",  "",  "",
    "^",  "公用经费",  "办公费",  "12.00",  "12.00",  "",  "",  "",  "",  "",  "",
    "",
    "^",  "^",  "差旅费",  "8.50",  "8.50",  "",  "",  "",  "",  "",  "",  "",
    "南山区第一实验小学",  "人员类",  "基本工资",  "1,204.88",  "1,204.88",  "",  "",  "",
    "",  "",  "",  "",
    "^",  "^",  "绩效工资",  "883. 50",  "883. 50",  "",  "",  "",  "",  "",  "",
    "",
    "^",  "公用经费",  "水电费",  "36.20",  "36.20",  "",  "",  "",  "",  "",  "",
    "",
    "南山区第二实验小学",  "人员类",  "基本工资",  "998.10",  "998.10",  "",  "",  "",  "",
    "",  "",  "",
    "^",  "^",  "绩效工资",  "702.30",  "702.30",  "",  "",  "",  "",  "",  "",
    "",
    "^",  "公用经费",  "取暖费",  "45.00",  "45.00",  "",  "",  "",  "",  "",  "",
    "",
};

static const double w15[] = {110, 84, 40, 40, 40, 36,
                             48, 52, 48, 52, 48, 52, 48, 52};
static const hcell h15[] = {
    {0, 0, 3, 1, "单位编码\n（项目编码）"},
    {0, 1, 3, 1, "项目单位\n（项目名称）"},
    {0, 2, 1, 4, "项目金额（万元）"},
    {0, 6, 1, 8, "绩效目标"},
    {1, 2, 2, 1, "资金\n总额"},
    {1, 3, 2, 1, "政府预\n算资金"},
    {1, 4, 2, 1, "财政专\n户管理\n资金"},
    {1, 5, 2, 1, "单位\n资金"},
    {1, 6, 1, 2, "成本指标"},
    {1, 8, 1, 2, "产出指标"},
    {1, 10, 1, 2, "效益指标"},
    {1, 12, 1, 2, "满意度指标"},
    {2, 6, 1, 1, "三级指标"},
    {2, 7, 1, 1, "指标值"},
    {2, 8, 1, 1, "三级指标"},
    {2, 9, 1, 1, "指标值"},
    {2, 10, 1, 1, "三级指标"},
    {2, 11, 1, 1, "指标值"},
    {2, 12, 1, 1, "三级指标"},
    {2, 13, 1, 1, "指标值"},
};

static const char *const r15[] = {
    "",  "合计",  "200.00",  "200.00",  "",  "",  "",  "",  "",  "",  "",  "",
    "",  "",
    "411002240000000012345",  "校舍维修改造项目",  "120.00",  "120.00",  "",  "",
    "项目总\n成本",  "≤120万元",  "维修面积",  "≥1500\n平方米",  "消除校舍\n安全隐患",  "有效消除",
    "受益师生\n满意度",  "≥95%",
    "^",  "^",  "^",  "^",  "^",  "^",  "",  "",  "完工时间",  "2024年8月\n31日前",
    "",  "",  "",  "",
    "^",  "^",  "^",  "^",  "^",  "^",  "",  "",  "验收合\n格率",  "100%",  "",
    "",  "",  "",
    "411002240000000012358",  "学生营养改善计划",  "80.00",  "80.00",  "",  "",
    "补助标准",  "4元/生/天",  "受益学生\n人数",  "≥2000人",  "学生营养\n健康水平",  "提升",
    "家长满\n意度",  "≥90%",
    "^",  "^",  "^",  "^",  "^",  "^",  "",  "",  "供餐天数",  "≥200天",  "",  "",
    "",  "",
};

static const double w14[] = {70, 90, 120, 65, 170};
static const char *const r14[] = {
    "部门（单位）\n名称", "南山区教育局", "<", "<", "<",
    "年度履职目标", "目标1：保障全区义务教育学校正常运转；目标2：改善办学条件。",
    "<", "<", "<",
    "年度主要任务", "任务名称", "主要内容", "<", "<",
    "^", "校舍维修改造项目", "完成3所学校校舍维修，消除安全隐患。", "<", "<",
    "^", "学生营养改善计划", "保障2000名学生营养餐供应。", "<", "<",
    "预算情况", "部门预算总额（万元）", "<", "4,687.84", "",
    "^", "1、资金来源：", "（1）政府预算资金", "4,687.84", "",
    "^", "^", "（2）财政专户管理资金", "", "",
    "^", "^", "（3）单位资金", "", "",
    "^", "2、资金结构：", "（1）基本支出", "4,487.84", "",
    "^", "^", "（2）项目支出", "200.00", "",
    "一级指标", "二级指标", "三级指标", "指标值", "指标值说明",
    "产出指标", "重点工作任\n务完成", "校舍维修完成率", "100%",
    "反映校舍维修项目的完成情况。",
    "^", "^", "营养餐供应天数", "≥200天", "反映营养改善计划的实施情况。",
    "效益指标", "满意度", "服务对象满意度", "≥95%",
    "反映学生和家长对教育服务的满意程度。",
};

static const table_spec ns_tables[] = {
    {NULL, "2024年一般公共预算基本支出明细表", NULL,
     "部门名称：南山区教育局", "单位：万元", 1, RULED, 12, w07,
     "cclrrrrrrrrr", 2, h07, N(h07), r07, N(r07) / 12, 9, NULL, 1},
    {"预算15表", "2024年部门预算项目绩效目标表", NULL,
     "部门名称：南山区教育局", "单位：万元", 1, RULED, 14, w15,
     "llrrrrlllllllll", 3, h15, N(h15), r15, N(r15) / 14, 0,
     "备注：项目编码为财政一体化系统编码。", 0},
    {"预算14表", "2024年部门（单位）整体绩效目标表", NULL, NULL, NULL, 0,
     RULED, 5, w14, "lllll", 0, NULL, 0, r14, N(r14) / 5, 0, NULL, 0},
};

/* 青枫县市场监督管理局, another province's template: no 目录 but prose
** citing 《收支预算总表》 and 预算公开06表 and a 情况说明 heading (none are
** tables); 01 in 元 under a title wrapped over two lines with the label
** 公开01表 above; 09 with 会议费/培训费 columns, its label on the title
** line, in 万元; 政府采购预算表, a table with no standard ID (x1). */
static const char *const qf_intro[] = {
    ">一、部门基本情况",
    "  青枫县市场监督管理局负责全县市场综合监督管理，内设机构8个。",
    ">二、收支预算总体情况",
    "  按照综合预算的原则，本部门所有收入和支出均纳入部门预算管理，",
    "收支总预算29016300.00元，详见《收支预算总表》。",
    "四、财政拨款收支预算总表情况说明",
    "  本部门2024年度财政拨款收支总预算28456300.00元，一般公共预算",
    "基本支出情况详见预算公开06表。",
};

static const double wqf01[] = {150, 95, 150, 95};
static const hcell hqf01[] = {
    {0, 0, 1, 2, "收入"},
    {0, 2, 1, 2, "支出"},
    {1, 0, 1, 1, "项目"},
    {1, 1, 1, 1, "预算数"},
    {1, 2, 1, 1, "项目"},
    {1, 3, 1, 1, "预算数"},
};
static const char *const rqf01[] = {
    "一、一般公共预算收入", "28,456,300.00", "一、一般公共服务支出",
    "24,310,500.00",
    "二、政府性基金预算收入", "", "二、社会保障和就业支出", "2,145,800.00",
    "三、国有资本经营预算收入", "", "三、卫生健康支出", "986,400.00",
    "四、财政专户管理资金收入", "", "四、住房保障支出", "1,013,600.00",
    "五、单位资金", "560,000.00", "五、其他支出", "560,000.00",
    "本年收入合计", "29,016,300.00", "本年支出合计", "29,016,300.00",
    "上年结转结余", "", "结转下年", "",
    "收入总计", "29,016,300.00", "支出总计", "29,016,300.00",
};

static const double wqf09[] = {70, 80, 70, 85, 85, 70, 60, 60};
static const hcell hqf09[] = {
    {0, 0, 2, 1, "合计"},
    {0, 1, 2, 1, "因公出国\n（境）费"},
    {0, 2, 1, 3, "公务用车购置及运行费"},
    {0, 5, 2, 1, "公务接待费"},
    {0, 6, 2, 1, "会议费"},
    {0, 7, 2, 1, "培训费"},
    {1, 2, 1, 1, "小计"},
    {1, 3, 1, 1, "公务用车购置费"},
    {1, 4, 1, 1, "公务用车运行费"},
};
static const char *const rqf09[] = {"18.60", "0.00", "9.80", "0.00",
                                    "9.80",  "3.20", "2.60", "3.00"};

static const double wqfx[] = {150, 130, 70, 110};
static const hcell hqfx[] = {
    {0, 0, 1, 1, "项目名称"},
    {0, 1, 1, 1, "采购品目"},
    {0, 2, 1, 1, "采购数量"},
    {0, 3, 1, 1, "预算金额"},
};
static const char *const rqfx[] = {
    "合计", "", "", "178,500.00",
    "执法装备采购", "执法记录仪", "20", "96,000.00",
    "办公设备购置", "台式计算机", "15", "82,500.00",
};

static const table_spec qf_tables[] = {
    {"公开01表", "2024年度青枫县市场监督管理局\n收支预算总表", NULL,
     "编制单位：青枫县市场监督管理局", "单位：元", 0, RULED, 4, wqf01,
     "lrlr", 2, hqf01, N(hqf01), rqf01, N(rqf01) / 4, 0, NULL, 0},
    {NULL,
     "公开09表  2024年度一般公共预算“三公”经费、会议费、培训费支出预算表",
     NULL, "编制单位：青枫县市场监督管理局", "单位：万元", 1, RULED, 8,
     wqf09, "rrrrrrrr", 2, hqf09, N(hqf09), rqf09, 1, 0, NULL, 0},
    {NULL, "2024年度青枫县市场监督管理局政府采购预算表", NULL,
     "编制单位：青枫县市场监督管理局", "单位：元", 0, RULED, 4, wqfx, "llrr",
     1, hqfx, N(hqfx), rqfx, N(rqfx) / 4, 0, NULL, 0},
};

typedef struct sample {
  const char *name;
  const char *heading;
  const char *const *intro;
  size_t nintro;
  const table_spec *tables;
  size_t ntables;
} sample;

static const sample samples[] = {
    {"qingshan-agri", "青山县农业农村局2024年部门预算公开", qs_intro,
     sizeof qs_intro / sizeof qs_intro[0], qs_tables,
     sizeof qs_tables / sizeof qs_tables[0]},
    {"baihe-school", "白河镇中心学校2024年单位预算公开", bh_intro,
     sizeof bh_intro / sizeof bh_intro[0], bh_tables,
     sizeof bh_tables / sizeof bh_tables[0]},
    {"hexi-water", "河西区水利局2024年部门预算公开", hx_intro,
     sizeof hx_intro / sizeof hx_intro[0], hx_tables,
     sizeof hx_tables / sizeof hx_tables[0]},
    {"nanshan-edu", "南山区教育局2024年部门预算公开", ns_intro,
     sizeof ns_intro / sizeof ns_intro[0], ns_tables,
     sizeof ns_tables / sizeof ns_tables[0]},
    {"qingfeng-market", "2024年度青枫县市场监督管理局部门预算", qf_intro,
     sizeof qf_intro / sizeof qf_intro[0], qf_tables,
     sizeof qf_tables / sizeof qf_tables[0]},
};

/* ---- main ------------------------------------------------------------ */

static cairo_surface_t *open_pdf(const char *path)
{
  cairo_surface_t *s = cairo_pdf_surface_create(path, A4_W, A4_H);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "mksample: %s: %s\n", path,
            cairo_status_to_string(cairo_surface_status(s)));
    exit(1);
  }
  /* Fixed metadata: the same sample gives the same file. */
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "mksample");
  cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
                                 "2024-01-15T09:00:00");
  return s;
}

static int finish(cairo_surface_t *s, cairo_t *cr, const char *path)
{
  cairo_destroy(cr);
  cairo_surface_finish(s);
  cairo_status_t st = cairo_surface_status(s);
  cairo_surface_destroy(s);
  if (st != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "mksample: %s: %s\n", path, cairo_status_to_string(st));
    return 1;
  }
  return 0;
}

static int make_sample(const sample *sm, const char *path)
{
  doc d = {open_pdf(path), NULL, 0};
  d.cr = cairo_create(d.surface);
  draw_text_page(&d, sm->heading, sm->intro, sm->nintro);
  for (size_t i = 0; i < sm->ntables; i++)
    draw_table(&d, &sm->tables[i]);
  return finish(d.surface, d.cr, path);
}

/* A page that shows text but has none: the text is drawn into an image
** first, as a scanner would deliver it. */
static int make_image_only(const char *path)
{
  cairo_surface_t *img =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, 595, 842);
  cairo_t *ic = cairo_create(img);
  cairo_set_source_rgb(ic, 1, 1, 1);
  cairo_paint(ic);
  cairo_set_source_rgb(ic, 0, 0, 0);
  font(ic, 16);
  text_at(ic, 297, 80, "2024年部门收支预算表", AL_CENTER);
  font(ic, 10);
  for (int r = 0; r < 6; r++) {
    box(ic, 60, 120 + r * 24, 475, 24);
    text_at(ic, 70, 136 + r * 24, "一、一般公共预算拨款收入   6,045.44",
            AL_LEFT);
  }
  cairo_destroy(ic);
  cairo_surface_flush(img);

  cairo_surface_t *s = open_pdf(path);
  cairo_t *cr = cairo_create(s);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_paint(cr);
  cairo_surface_destroy(img);
  return finish(s, cr, path);
}

int main(int argc, char **argv)
{
  if (argc == 2 && strcmp(argv[1], "--list") == 0) {
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
      puts(samples[i].name);
    return 0;
  }
  if (argc == 3 && strcmp(argv[1], "--image-only") == 0)
    return make_image_only(argv[2]);
  if (argc == 3)
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++)
      if (strcmp(argv[1], samples[i].name) == 0)
        return make_sample(&samples[i], argv[2]);
  fprintf(stderr, "usage: mksample NAME OUT.pdf | --image-only OUT.pdf | "
                  "--list\n");
  return 2;
}
