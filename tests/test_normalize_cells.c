/* Cell cleaning by the repo's rules: wrap spaces, damaged amounts, codes
** and text that must stay as printed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cells.h"
#include "project_rules.h"

static ruleset rs;

static void setup(void)
{
  load_project_rules(&rs);
}

static void teardown(void) { ruleset_free(&rs); }

TestSuite(normalize_cells, .init = setup, .fini = teardown);

static void clean(const char *in, int body, const char *want)
{
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_CELL);
  strbuf_append_str(&b, in);
  cr_assert_eq(cells_clean(&rs, &b, body) >= 0, 1);
  cr_assert_str_eq(strbuf_cstr(&b), want, "'%s'", in);
  /* The same through the bytes cells_unchanged_bytes() took (header
  ** cells; the caller's path in segment.c). */
  subject_bytes sb;
  int taken;
  size_t n = strlen(in);
  if (!body && !cells_unchanged_bytes(&rs, in, n, 1, 0, &sb, &taken)) {
    strbuf_clear(&b);
    strbuf_append_str(&b, in);
    cr_assert_eq(cells_clean_bytes(&rs, &b, taken ? &sb : NULL), 0);
    cr_assert_str_eq(strbuf_cstr(&b), want, "'%s' (bytes taken: %d)", in,
                     taken);
  }
  strbuf_free(&b);
}

Test(normalize_cells, wrapped_cjk_joined)
{
  clean("工资福利支 出", 0, "工资福利支出");
  clean("机关事业单位基本养老保 险缴费支出", 1, "机关事业单位基本养老保险缴费支出");
  clean("单位（科目名 称）", 0, "单位（科目名称）");
  clean("  行政运行  ", 1, "行政运行");
  clean("IPv6 维护", 1, "IPv6维护");
  clean("≥1500 平方米", 1, "≥1500平方米");
  clean("Windows 10", 1, "Windows 10");
}

Test(normalize_cells, amounts)
{
  clean("4,596.71", 1, "4596.71");
  clean("91,016,775.35", 1, "91016775.35");
  clean("883. 50", 1, "883.50");
  clean("230.0 0", 1, "230.00");
  clean("1 234.50", 1, "1234.50");
  clean("883.5", 1, "883.5");
  clean("0.00", 1, "0.00");
  clean("-12.30", 1, "-12.30");
  clean("1,2", 1, "1,2");
  clean("1,217.8 1", 1, "1217.81");
  clean("4, 596.71", 1, "4596.71");
  clean("12,34.5", 1, "12,34.5");
}

Test(normalize_cells, codes_and_text_stay)
{
  clean("001", 1, "001");
  clean("03", 1, "03");
  clean("30101", 1, "30101");
  clean("411100220000000007009", 1, "411100220000000007009");
  clean("4111002300000000024412", 1, "4111002300000000024412");
  clean("201 03 01", 1, "201 03 01");
  clean("≥95%", 1, "≥95%");
  clean("≤20万元", 1, "≤20万元");
  clean("2023年12月31日前", 1, "2023年12月31日前");
  clean("\\geq95%", 1, "≥95%");
}

Test(normalize_cells, classify)
{
  cr_assert(cell_is_amount(&rs, "4596.71"));
  cr_assert(cell_is_amount(&rs, "0.00"));
  cr_assert_not(cell_is_amount(&rs, "2023年"));
  cr_assert(cell_is_code(&rs, "201"));
  cr_assert(cell_is_code(&rs, "411100220000000007009"));
  cr_assert_not(cell_is_code(&rs, "行政运行"));
}

/* Raw row cells that make their row table data (not read as lines): a
** decimal amount, as printed; a year, a code or a label does not. */
Test(normalize_cells, data_cells)
{
  cr_assert(cell_is_data(&rs, "4,596.71"));
  cr_assert(cell_is_data(&rs, " 0.00 "));
  cr_assert(cell_is_data(&rs, "-12.5%"));
  cr_assert_not(cell_is_data(&rs, "2023"));
  cr_assert_not(cell_is_data(&rs, "201"));
  cr_assert_not(cell_is_data(&rs, "2023年12月"));
  cr_assert_not(cell_is_data(&rs, "预算13"));
  cr_assert_not(cell_is_data(&rs, ""));
  /* Asked again, the kept answer is the same. */
  cr_assert(cell_is_data(&rs, "4,596.71"));
  cr_assert_not(cell_is_data(&rs, "2023"));
}

Test(normalize_cells, converter_residue)
{
  clean("\\geq 98%", 1, "≥98%");
  clean("\\leq 20%", 1, "≤20%");
  clean("预算完成数/预算数） \\times 100%", 0, "预算完成数/预算数）×100%");
  clean("$\\geq 98\\%$", 1, "≥98%");
  clean("\\pm 5%", 1, "±5%");
  clean("<b>合计</b>", 1, "合计");
  clean("工资福利<br/>支出", 0, "工资福利支出");
  clean("<td class=\"x\">行政运行</td>", 1, "行政运行");
  clean("水&amp;电", 1, "水&电");
  clean("a &lt; b", 1, "a < b");
  /* A dollar amount and a formula with letters stay. */
  clean("$x$", 1, "$x$");
}

Test(normalize_cells, ocr_look_alikes)
{
  clean("€100%", 1, "≤100%");
  clean("€ 5万元", 1, "≤5万元");
  clean("I有效提升", 1, "有效提升");
  clean("|行政运行", 1, "行政运行");
  clean("《政策创新动态)经费", 1, "《政策创新动态》经费");
  clean("因公出国（境)费", 0, "因公出国（境）费");
  clean("因公出国(境）费", 0, "因公出国(境)费");
  /* What they are not: Latin text, a category, brackets of one width. */
  clean("IPv6维护", 1, "IPv6维护");
  clean("I类地区", 1, "I类地区");
  clean("因公出国(境)费", 0, "因公出国(境)费");
  clean("平台(系统)建设数量", 1, "平台(系统)建设数量");
  clean("《焦作经济》专款", 1, "《焦作经济》专款");
}

Test(normalize_cells, character_by_character_wrap)
{
  clean("工 作 人 员 满 意 度", 1, "工作人员满意度");
  clean("对单 位履 职、 促进 事业", 1, "对单位履职、促进事业");
  /* Two values printed on one line keep the space that tells them apart. */
  clean("明显 ≥99%", 1, "明显 ≥99%");
  clean("≥90% 100%", 1, "≥90% 100%");
}

/* Squeezing drops ASCII white space and U+3000 wherever they are, and
** keeps every other character, those led by the same byte (E3) as U+3000
** too: 、 is E3 80 81. */
Test(cells, squeeze_drops_only_white_space)
{
  strbuf b;
  strbuf_init(&b, STRBUF_CAP_CELL);
  cr_assert_eq(cells_squeeze("\xe3\x80\x80" "a\xe3\x80\x80" "b c\t\xe3\x80\x81"
                             "d\r\n\xe3\x80\x80",
                             &b),
               0);
  cr_assert_str_eq(strbuf_cstr(&b), "abc\xe3\x80\x81" "d");
  cr_assert_eq(cells_squeeze("  ", &b), 0);
  cr_assert_str_eq(strbuf_cstr(&b), "");
  cr_assert_not_null(b.data);
  cr_assert_eq(cells_squeeze_append("一 二", &b), 0);
  cr_assert_eq(cells_squeeze_append("三\xe3\x80\x80四", &b), 0);
  cr_assert_str_eq(strbuf_cstr(&b), "一二三四");
  strbuf_free(&b);
}

/* The answers kept for recent texts are the rules' own: asked again, after
** cells_forget(), for a text rewritten in place, and past the memo's room
** (every text then kept anew), each cell gets what the rules say of it. */
Test(normalize_cells, kept_answers_are_the_rules_answers)
{
  static const char *const texts[] = {"1,397.59", "0.00", "201", "行政运行",
                                      "-", "2023", "12.5%", "合计", ""};
  int want[sizeof texts / sizeof *texts][2];
  for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
    size_t n = strlen(texts[i]);
    want[i][0] = n && rules_any(&rs, RULE_AMOUNT, texts[i], n);
    want[i][1] = n && rules_any(&rs, RULE_CODE, texts[i], n);
  }
  cr_assert(want[0][0] && want[2][1] && !want[3][0] && !want[3][1]);
  for (int round = 0; round < 3; round++) {
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
      cr_assert_eq(cell_is_amount(&rs, texts[i]), want[i][0], "'%s'", texts[i]);
      cr_assert_eq(cell_is_code(&rs, texts[i]), want[i][1], "'%s'", texts[i]);
      cr_assert_eq(cell_is_number(&rs, texts[i]), want[i][0] || want[i][1],
                   "'%s'", texts[i]);
    }
    if (round == 1)
      cells_forget(&rs);
  }
  /* One buffer, its text changed in place: asked by text, not by place. */
  char cell[16] = "1,397.59";
  cr_assert(cell_is_amount(&rs, cell));
  memcpy(cell, "行政", sizeof "行政");
  cr_assert_not(cell_is_amount(&rs, cell));
  /* More texts than the memo keeps at once. */
  for (int v = 0; v < 5000; v++) {
    char num[32];
    snprintf(num, sizeof num, "%d.%02d", v, v % 100);
    cr_assert(cell_is_number(&rs, num), "%s", num);
    snprintf(num, sizeof num, "项目%d甲", v);
    cr_assert_not(cell_is_number(&rs, num), "%s", num);
  }
  cr_assert(cell_is_amount(&rs, "1,397.59"));
}

/* The squeezed text compared in place: what cells_squeeze() would make of
** it, as a prefix of another text. */
Test(cells, squeezed_prefix_is_the_squeezed_text)
{
  static const char *const cells[] = {"项 目", "项\xe3\x80\x80目", " 项目\t",
                                      "预算数", "", "  "};
  static const char *const texts[] = {"项目\x1f预算数", "项目", "预算",
                                      "预算数\x1f项目", ""};
  for (size_t i = 0; i < sizeof cells / sizeof *cells; i++)
    for (size_t j = 0; j < sizeof texts / sizeof *texts; j++) {
      strbuf b;
      strbuf_init(&b, STRBUF_CAP_CELL);
      cr_assert_eq(cells_squeeze(cells[i], &b), 0);
      size_t want = strncmp(texts[j], strbuf_cstr(&b), b.len) == 0 &&
                            strlen(texts[j]) >= b.len
                        ? b.len
                        : (size_t)-1;
      cr_assert_eq(cells_squeezed_prefix(cells[i], texts[j]), want,
                   "'%s' in '%s'", cells[i], texts[j]);
      strbuf_free(&b);
    }
}

/* What a row's cell was found to be is kept with the cell's text
** (table.h): it follows the text through every change a row's cells go
** through while a table is shaped, and never answers for another text. */
Test(normalize_cells, row_answers_follow_the_cell_text)
{
  static char *const line[] = {"4596.71", "行政运行", "201", "1,234.00", "",
                               "合计", "0.00"};
  const size_t n = sizeof line / sizeof *line;
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add(&v, line, n);
  cr_assert_not_null(r);
  for (int round = 0; round < 2; round++) /* asked, then answered kept */
    for (size_t c = 0; c < n; c++) {
      cr_assert_eq(row_cell_is_amount(&rs, r, c), cell_is_amount(&rs, line[c]),
                   "'%s'", line[c]);
      cr_assert_eq(row_cell_is_code(&rs, r, c), cell_is_code(&rs, line[c]),
                   "'%s'", line[c]);
      cr_assert_eq(row_cell_is_number(&rs, r, c), cell_is_number(&rs, line[c]),
                   "'%s'", line[c]);
    }
  cr_assert(row_cell_is_amount(&rs, r, 0) && row_cell_is_code(&rs, r, 2));
  cr_assert_not(row_cell_is_number(&rs, r, 1));

  /* Replaced: the amount's answer is gone with its text (a shorter text
  ** may take the amount's place). */
  cr_assert_eq(row_set(r, 0, "合计", strlen("合计")), 0);
  cr_assert_not(row_cell_is_amount(&rs, r, 0));
  cr_assert_not(row_cell_is_number(&rs, r, 0));
  char *own = strdup("项目");
  cr_assert_not_null(own);
  row_cell_replace(r, 6, own);
  cr_assert_not(row_cell_is_amount(&rs, r, 6));
  cr_assert_not(row_cell_is_number(&rs, r, 6));
  /* ...and a text by an amount. */
  cr_assert_eq(row_set(r, 1, "12.50", 5), 0);
  cr_assert(row_cell_is_amount(&rs, r, 1));

  /* Swapped and moved: the answers travel with the texts. */
  char *tmp = r->cells[2];
  r->cells[2] = r->cells[5];
  r->cells[5] = tmp;
  cr_assert_not(row_cell_is_number(&rs, r, 2), "'%s'", r->cells[2]);
  cr_assert(row_cell_is_code(&rs, r, 5), "'%s'", r->cells[5]);
  row_cell_free(r, r->cells[0]);
  memmove(&r->cells[0], &r->cells[1], (r->n - 1) * sizeof *r->cells);
  r->n--;
  cr_assert(row_cell_is_amount(&rs, r, 0), "'%s'", r->cells[0]);
  cr_assert(row_cell_is_amount(&rs, r, 2), "'%s'", r->cells[2]);

  /* Cut to empty in place, dropped and grown back: no answer survives. */
  r->cells[2][0] = '\0';
  cr_assert_not(row_cell_is_amount(&rs, r, 2));
  cr_assert_not(row_cell_is_number(&rs, r, 2));
  cr_assert_eq(row_resize(r, 1), 0);
  cr_assert_eq(row_resize(r, 4), 0);
  for (size_t c = 1; c < 4; c++)
    cr_assert_not(row_cell_is_number(&rs, r, c));
  cr_assert(row_cell_is_amount(&rs, r, 0));
  rowvec_clear(&v);
}
