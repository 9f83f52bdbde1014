/* Title lines: which table a printed title is, and which lines are not
** titles at all (目录 bullets, citations, headings), by the repo's rules. */
#include <criterion/criterion.h>
#include <string.h>

#include "title.h"
#include "project_rules.h"

static ruleset rs;
static strbuf tmp;

static void setup(void)
{
  load_project_rules(&rs);
  strbuf_init(&tmp, STRBUF_CAP_LINE);
}

static void teardown(void)
{
  ruleset_free(&rs);
  strbuf_free(&tmp);
}

static void is_title(const char *line, const char *id)
{
  title_info ti;
  line_class c = title_classify(&rs, line, &ti, &tmp);
  cr_assert_eq(c, LINE_TITLE, "'%s' is not a title (class %d)", line, c);
  cr_assert_str_eq(ti.id, id, "'%s'", line);
  /* Whatever its bytes, a title is never ruled out before it is read. */
  cr_assert_eq(title_may_name_table(&rs, line, strlen(line)), 1, "'%s'", line);
}

static void is_class(const char *line, line_class want)
{
  title_info ti;
  line_class c = title_classify(&rs, line, &ti, &tmp);
  cr_assert_eq(c, want, "'%s': class %d, want %d", line, c, want);
}

TestSuite(normalize_title, .init = setup, .fini = teardown);

Test(normalize_title, henan_titles_and_aliases)
{
  is_title("2023 年部门收支总体情况表", "01");
  is_title("2023年部门收支预算表", "01");
  is_title("2023年单位收入总体情况表", "02");
  is_title("2023 年部门支出预算表", "03");
  is_title("2023年财政拨款收支总体情况表", "04");
  is_title("2023年一般公共预算支出表", "05");
  is_title("一般公共预算基本支出预算表", "06");
  is_title("2023年一般公共预算基本支出明细表", "07");
  is_title("2023 年支出经济分类汇总表", "08");
  is_title("2023年一般公共预算“三公”经费支出情况表", "09");
  is_title("2024年一般公共预算\"三公\"经费预算表", "09");
  is_title("2023 年政府性基金预算支出预算表", "10");
  is_title("2023年国有资本经营支出预算表", "11");
  is_title("2023 年项目支出情况表", "12");
  is_title("2023 年机关（机构）运行经费预算表", "13");
  is_title("机关(机构)运行经费", "13");
  is_title("本级部门（单位）整体绩效目标表", "14");
  is_title("本级部门(单位)整体绩效目标表", "14");
  is_title("2023年度本级部门预算项目绩效目标表", "15");
  is_title("2023 年部门预算项目绩效目标汇总表", "15");
}

Test(normalize_title, labels_spaces_and_years)
{
  is_title("预算03表 2023年部门支出预算表", "03");
  is_title("2023年部门支出预算表 预算 03 表", "03");
  is_title("财政拨款收支 预算表", "04");
  is_title("2 0 2 3 年 部 门 收 入 预 算 表", "02");
  is_title("（2023年度）部门收支预算表", "01");
  is_title("十二、项目支出预算表", "12");
}

Test(normalize_title, other_provinces)
{
  is_title("2018年度江苏省高级人民法院收支预算总表", "01");
  is_title("2018年度江苏省高级人民法院财政拨款收支预算总表", "04");
  is_title("公开09表：一般公共预算“三公”经费支出预算表", "09");
  is_title("“三公”经费、会议费、培训费支出预算表（一般公共预算）", "09");
  is_title("部门“三公”经费和机关运行经费预算表", "09");
  is_title("一般公共预算支出预算表（功能科目）", "05");
  is_title("一般公共预算基本支出部门预算经济分类预算表", "06");
  is_title("政府性基金预算财政拨款支出预算表", "10");
  is_title("国有资本经营预算支出功能分类预算表", "11");
  is_title("一般公共预算机关运行经费支出预算表", "13");
  is_title("预算单位财务收支预算总表", "01");
  is_title("支出预算总表", "03");
  is_title("收入决算表", "02");
  is_title("财政拨款收入支出决算总表", "04");
  is_title("一般公共预算财政拨款基本支出决算表", "06");
}

Test(normalize_title, not_titles)
{
  is_class("- 三、部门支出预算表", LINE_PROSE);
  is_class("· 九、一般公共预算“三公”经费预算表", LINE_PROSE);
  is_class("详见《收支预算总表》", LINE_PROSE);
  is_class("四、财政拨款收支预算总表情况说明", LINE_PROSE);
  is_class("附件：驻马店市市场监督管理局2023年部门预算表", LINE_PROSE);
  is_class("2023年收入总计6380.86万元，支出总计6380.86万元。", LINE_PROSE);
}

Test(normalize_title, generic_title_block_note_skip)
{
  is_class("政府采购预算表", LINE_GENERIC);
  is_class("财政拨款支出预算表（功能科目）", LINE_GENERIC);
  is_class("预算03表", LINE_TITLE_BLOCK);
  is_class("（2023年度）", LINE_TITLE_BLOCK);
  is_class("部门（单位）名称：驻马店市市场监督管理局 金额单位：万元",
           LINE_TITLE_BLOCK);
  is_class("注：本表反映一般公共预算支出。", LINE_NOTE);
  is_class("我部门没有政府性基金收入，也没有使用政府性基金安排的支出，故此表无数据。",
           LINE_NOTE);
  is_class("第 7 页", LINE_SKIP);
  title_info ti;
  title_classify(&rs, "单位：万元", &ti, &tmp);
  cr_assert_str_eq(ti.unit, "万元");
  title_classify(&rs, "金额单位: 元", &ti, &tmp);
  cr_assert_str_eq(ti.unit, "元");
}

Test(normalize_title, spaced_title_block_lines)
{
  title_info ti;
  cr_assert_eq(title_classify(&rs, "单 位 ： 万 元", &ti, &tmp), LINE_TITLE_BLOCK);
  cr_assert_str_eq(ti.unit, "万元");
  is_class("部 门 名 称 ： 某 局", LINE_TITLE_BLOCK);
  is_class("第 7 页", LINE_SKIP);
  is_class("注 ： 本 表 反 映 支 出 。", LINE_NOTE);
}

Test(normalize_title, lines_no_title_rule_can_meet)
{
  static const char *const none[] = {
      "行政运行", "2024年度青枫县市场监督管理局", "单位：万元",
      "一、一般公共预算拨款收入 4,596.71", ""};
  for (size_t i = 0; i < sizeof none / sizeof *none; i++)
    cr_assert_eq(title_may_name_table(&rs, none[i], strlen(none[i])), 0,
                 "'%s'", none[i]);
  /* Spaced or with noise the rules remove, it may still be one. */
  cr_assert_eq(title_may_name_table(&rs, "部门收支 预算表", strlen("部门收支 预算表")), 1);
  is_title("2024年度青枫县市场监督管理局收支预算总表", "01");
}
