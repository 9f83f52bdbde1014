/* The department and year of a document (normalize/document.h): the
** module fed a stream record by record, and the @@document line
** normalize_stream() ends its output with. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document.h"
#include "exit_codes.h"
#include "segment.h"
#include "stream.h"
#include "project_rules.h"

typedef struct found {
  char dept[256];
  int year;
  char line[1024]; /* the @@document line doc_meta_emit() writes */
} found;

/* detect() by the rules in rules_text (NULL: the project's rules/). */
static found detect_by(const char *input, const char *rules_text);

static found detect(const char *input) { return detect_by(input, NULL); }

static found detect_by(const char *input, const char *rules_text)
{
  found f;
  memset(&f, 0, sizeof f);
  FILE *in = fmemopen((void *)input, strlen(input), "r");
  cr_assert_not_null(in);
  stream_reader *rd = stream_reader_new(in, "doc.txt");
  ruleset rs;
  char err[1024];
  int loaded =
      rules_text ? ruleset_load_text(&rs, "t.rules", rules_text, err, sizeof err)
                 : ruleset_load_dir(&rs, TEST_SOURCE_DIR "/rules", err,
                                    sizeof err);
  cr_assert_eq(loaded, 0, "%s", err);
  doc_meta *d = doc_meta_new("doc.txt", &rs);
  cr_assert(rd && d);
  stream_record rec;
  stream_kind k;
  while ((k = stream_read(rd, &rec)) != STREAM_EOF) {
    cr_assert_neq(k, STREAM_ERROR, "%s", rec.error);
    cr_assert_eq(doc_meta_observe(d, &rec), 0);
  }
  snprintf(f.dept, sizeof f.dept, "%s", doc_meta_department(d));
  f.year = doc_meta_year(d);
  FILE *out = fmemopen(f.line, sizeof f.line - 1, "w");
  cr_assert_eq(doc_meta_emit(d, out), 0);
  fclose(out);
  doc_meta_free(d);
  ruleset_free(&rs);
  stream_reader_free(rd);
  fclose(in);
  return f;
}

Test(document, cover_with_department_before_the_year)
{
  found f = detect("青山县农业农村局2024年部门预算公开\n\n目录\n"
                   "第二部分 青山县农业农村局2024年部门预算情况说明\n");
  cr_assert_str_eq(f.dept, "青山县农业农村局");
  cr_assert_eq(f.year, 2024);
}

Test(document, cover_with_the_year_first_and_spaces)
{
  found f = detect("2023 年驻马店市市场监督管理局部门预算说明\n2023年2月\n");
  cr_assert_str_eq(f.dept, "驻马店市市场监督管理局");
  cr_assert_eq(f.year, 2023);
}

Test(document, table_title_carrying_year_and_department)
{
  found f = detect("\f目 录\n\f2018年度江苏省高级人民法院收支预算总表\n"
                   "单位：万元\n项目\t金额\n合计\t1.00\n");
  cr_assert_str_eq(f.dept, "江苏省高级人民法院");
  cr_assert_eq(f.year, 2018);
}

Test(document, cover_printed_over_two_lines)
{
  found f = detect("洛宁县人力资源和社会保障局\n2025年度部门预算\n2025年3月18日\n");
  cr_assert_str_eq(f.dept, "洛宁县人力资源和社会保障局");
  cr_assert_eq(f.year, 2025);
}

/* The labels on every table name the department in full; the cover and
** the headings of the parts may shorten it. */
Test(document, label_outweighs_a_shortened_name)
{
  found f = detect("\f第二部分 省委办公厅2017年度部门预算表\n"
                   "\f收支预算总表\n部门：中共江苏省委办公厅 单位：万元\n"
                   "\f收入预算总表\n部门：中共江苏省委办公厅 单位：万元\n");
  cr_assert_str_eq(f.dept, "中共江苏省委办公厅");
  cr_assert_eq(f.year, 2017);
}

Test(document, label_run_into_the_unit)
{
  found f = detect("2019年部门收支预算表\n部门名称：江苏省高级人民法院单位:万元\n");
  cr_assert_str_eq(f.dept, "江苏省高级人民法院");
}

Test(document, the_fourteen_form_row)
{
  found f = detect("2024年部门（单位）整体绩效目标表\n"
                   "部门（单位）名称\t南山区教育局\t\t\n"
                   "年度履职目标\t目标1：保障运转\t\t\n");
  cr_assert_str_eq(f.dept, "南山区教育局");
  cr_assert_eq(f.year, 2024);
}

/* Nothing that only looks like a label: a unit line, a column head over
** amounts, a label cut by a wrap, a date, prose. */
Test(document, no_evidence_gives_nothing)
{
  found f = detect("目 录\n2024年2月\n单位：万元\n部门名称：江苏省人大\n"
                   "部门（单位）名称\t合计\t基本支出\n"
                   "本部门2024年度收支总预算由青山县农业农村局编制。\n"
                   "科目编码\t科目名称\t金额\n");
  cr_assert_str_eq(f.dept, "");
  cr_assert_eq(f.year, 0);
  cr_assert_str_eq(f.line, "@@document\t\t\tdoc.txt\t1\n");
}

Test(document, year_without_department)
{
  found f = detect("2024年部门收支预算表\n单位：万元\n"
                   "2024年一般公共预算“三公”经费支出情况表\n");
  cr_assert_str_eq(f.dept, "");
  cr_assert_eq(f.year, 2024);
}

Test(document, source_directive_names_document_and_pages)
{
  found f = detect("@@budget-stream\t1\n@@source\tin/河西.pdf\t4\n"
                   "@@page\t1\t595\t842\t0\n河西区水利局2024年部门预算公开\n");
  cr_assert_str_eq(f.line,
                   "@@document\t河西区水利局\t2024\tin/河西.pdf\t4\n");
  found s = detect("@@source\t<stdin>\t3\n");
  cr_assert_str_eq(s.line, "@@document\t\t\t\t3\n");
}

Test(document, a_given_directive_stands)
{
  found f = detect("@@document\t白河镇中心学校\t2024\tdoc.pdf\t4\n"
                   "河西区水利局2023年部门预算公开\n");
  cr_assert_str_eq(f.dept, "白河镇中心学校");
  cr_assert_eq(f.year, 2024);
  cr_assert_str_eq(f.line, "@@document\t白河镇中心学校\t2024\tdoc.pdf\t4\n");
}

/* Through the normalizer: the directive is the stream's last line, and
** normalizing the output again gives the same bytes. */
static char *normalize(const char *input)
{
  ruleset rs;
  load_project_rules(&rs);
  char err[1024];
  FILE *in = fmemopen((void *)input, strlen(input), "r");
  char *out;
  size_t len;
  FILE *o = open_memstream(&out, &len);
  cr_assert(in && o);
  int rc = normalize_stream(&rs, in, "doc.txt", o, NULL, err, sizeof err);
  cr_assert_eq(rc, BUDGET_EXIT_OK, "%s", err);
  fclose(in);
  fclose(o);
  ruleset_free(&rs);
  return out;
}

Test(document, normalizer_ends_with_the_directive)
{
  const char *doc = "青山县农业农村局2024年部门预算公开\n\n"
                    "2024年一般公共预算“三公”经费支出情况表\n单位：万元\n"
                    "项目\t2024年“三公”经费预算数\n共计\t28.60\n";
  char *a = normalize(doc);
  const char *want = "@@end\n@@document\t青山县农业农村局\t2024\tdoc.txt\t1\n";
  size_t la = strlen(a), lw = strlen(want);
  cr_assert(la > lw && strcmp(a + la - lw, want) == 0, "%s", a);
  char *b = normalize(a);
  cr_assert_str_eq(b, a);
  free(a);
  free(b);
}

/* What names a department is the rules': another label and another kind
** of body are rule lines, and without rules nothing is found. */
Test(document, the_rules_say_what_names_a_department)
{
  const char *input = "主管单位：青枫县供销合作总社\n"
                      "部门名称：青枫县农业农村局\n2024年部门预算\n";
  found by_project = detect(input);
  cr_assert_str_eq(by_project.dept, "青枫县农业农村局");
  found by_own = detect_by(input, "dept-label owner ^主管单位[:：](?<dept>\\S+)\n"
                                  "dept-name any-body ^(?<dept>\\p{Han}+总社)$\n");
  cr_assert_str_eq(by_own.dept, "青枫县供销合作总社");
  cr_assert_eq(by_own.year, 0); /* no year-title rule */
  found by_none = detect_by(input, "# no rules\n");
  cr_assert_str_eq(by_none.dept, "");
}

/* What is no title is the rules' too: a sentence by the project's rules,
** any line a doc-not-title rule matches by one's own. */
Test(document, the_rules_say_what_is_no_title)
{
  cr_assert_str_eq(detect("青山县农业农村局2024年部门预算，\n").dept, "");
  found plain = detect("青山县农业农村局2024年部门预算\n");
  cr_assert_str_eq(plain.dept, "青山县农业农村局");
  const char *title = "dept-title t ^(?<dept>\\p{Han}+局)(?<year>20\\d\\d)年\n";
  const char *input = "青山县农业农村局2024年预算；\n";
  found by_title = detect_by(input, title);
  cr_assert_str_eq(by_title.dept, "青山县农业农村局");
  cr_assert_eq(by_title.year, 2024);
  char barred[256];
  snprintf(barred, sizeof barred, "%sdoc-not-title semicolon ；\n", title);
  found by_barred = detect_by(input, barred);
  cr_assert_str_eq(by_barred.dept, "");
  cr_assert_eq(by_barred.year, 0);
}

/* Layout spaces before a title and inside a label's cell are no part of
** what the rules read (titles are read squeezed). */
Test(document, spaces_before_the_text)
{
  found f = detect("   2023 年 驻马店市市场监督管理局部门预算说明\n");
  cr_assert_str_eq(f.dept, "驻马店市市场监督管理局");
  cr_assert_eq(f.year, 2023);
  found g = detect("2024年部门（单位）整体绩效目标表\n"
                   " 部门（单位）名称 \t  南山区教育局\t\t\n");
  cr_assert_str_eq(g.dept, "南山区教育局");
}
