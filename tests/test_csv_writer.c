/* csv_writer: RFC 4180 quoting, CRLF, BOM, the tables.csv index. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_writer.h"

typedef struct mem {
  char *buf;
  size_t len;
  FILE *f;
} mem;

/* open_memstream keeps pointers to buf and len: m must stay put. */
static void mem_open(mem *m)
{
  m->buf = NULL;
  m->len = 0;
  m->f = open_memstream(&m->buf, &m->len);
  cr_assert_not_null(m->f);
}

/* Closes the stream; the caller frees m->buf. */
static const char *mem_text(mem *m)
{
  cr_assert_eq(fclose(m->f), 0);
  m->f = NULL;
  return m->buf;
}

static const char *record(const char *const *fields, size_t n, mem *m)
{
  mem_open(m);
  cr_assert_eq(csvout_write_record(m->f, fields, n), 0);
  return mem_text(m);
}

Test(csv_writer, plain_fields_are_not_quoted_and_end_in_crlf)
{
  const char *f[] = {"201", "03", "行政运行", "1397.59", ""};
  mem m;
  cr_assert_str_eq(record(f, 5, &m), "201,03,行政运行,1397.59,\r\n");
  free(m.buf);
}

Test(csv_writer, comma_quote_cr_lf_are_quoted_and_quotes_doubled)
{
  const char *f[] = {"a,b", "say \"hi\"", "two\nlines", "cr\rhere", "x"};
  mem m;
  cr_assert_str_eq(record(f, 5, &m),
                   "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\","
                   "x\r\n");
  free(m.buf);
}

Test(csv_writer, curly_quotes_and_spaces_need_no_quoting)
{
  /* Only ASCII '"' is special; “” and spaces are plain text. */
  const char *f[] = {"“三公”经费合计", " lead", "trail "};
  mem m;
  cr_assert_str_eq(record(f, 3, &m), "“三公”经费合计, lead,trail \r\n");
  free(m.buf);
}

Test(csv_writer, a_lone_empty_field_is_quoted_so_the_line_is_not_blank)
{
  const char *one[] = {""};
  mem m;
  cr_assert_str_eq(record(one, 1, &m), "\"\"\r\n");
  free(m.buf);
  const char *two[] = {"", ""};
  cr_assert_str_eq(record(two, 2, &m), ",\r\n");
  free(m.buf);
  const char *nul[] = {NULL, "x"};
  cr_assert_str_eq(record(nul, 2, &m), ",x\r\n");
  free(m.buf);
}

static tbl_table sample_table(void)
{
  static char *cols[] = {"收入/项目", "收入/金额"};
  static char *cells[] = {"一、一般公共预算拨款收入", "4596.71", "合计,总",
                          ""};
  tbl_table t = {0};
  t.id = "01";
  t.canonical = "部门收支预算表";
  t.printed = "2023年部门收支总体情况表";
  t.unit = "万元";
  t.first_page = "5";
  t.last_page = "6";
  t.columns = cols;
  t.ncolumns = 2;
  t.cells = cells;
  t.nrows = 2;
  return t;
}

Test(csv_writer, table_is_header_then_rows)
{
  tbl_table t = sample_table();
  mem m;
  mem_open(&m);
  cr_assert_eq(csvout_write_table(m.f, &t, 0), 0);
  cr_assert_str_eq(mem_text(&m), "收入/项目,收入/金额\r\n"
                                 "一、一般公共预算拨款收入,4596.71\r\n"
                                 "\"合计,总\",\r\n");
  free(m.buf);
}

Test(csv_writer, bom_comes_first_only_when_asked)
{
  tbl_table t = sample_table();
  mem m;
  mem_open(&m);
  cr_assert_eq(csvout_write_table(m.f, &t, 1), 0);
  const char *s = mem_text(&m);
  cr_assert_eq(memcmp(s, "\xEF\xBB\xBF收入/项目,", 3 + strlen("收入/项目,")),
               0);
  cr_assert_eq(strstr(s + 3, "\xEF\xBB\xBF"), NULL, "one BOM only");
  free(m.buf);
}

Test(csv_writer, header_only_table)
{
  tbl_table t = sample_table();
  t.nrows = 0;
  mem m;
  mem_open(&m);
  cr_assert_eq(csvout_write_table(m.f, &t, 0), 0);
  cr_assert_str_eq(mem_text(&m), "收入/项目,收入/金额\r\n");
  free(m.buf);
}

Test(csv_writer, index_header_and_row)
{
  tbl_table t = sample_table();
  mem m;
  mem_open(&m);
  cr_assert_eq(csvout_write_index_header(m.f, 0), 0);
  cr_assert_eq(csvout_write_index_row(m.f, &t), 0);
  cr_assert_str_eq(mem_text(&m),
                   "id,canonical_title,printed_title,first_page,last_page,"
                   "rows,columns,unit\r\n"
                   "01,部门收支预算表,2023年部门收支总体情况表,5,6,2,2,万元\r\n");
  free(m.buf);
}

Test(csv_writer, index_quotes_a_title_with_ascii_quotes)
{
  tbl_table t = sample_table();
  t.id = "09";
  t.printed = "\"三公\"经费支出预算表";
  mem m;
  mem_open(&m);
  cr_assert_eq(csvout_write_index_row(m.f, &t), 0);
  cr_assert_str_eq(mem_text(&m), "09,部门收支预算表,\"\"\"三公\"\"经费支出预算"
                                 "表\",5,6,2,2,万元\r\n");
  free(m.buf);
}

Test(csv_writer, write_error_is_reported)
{
  FILE *f = fopen("/dev/full", "w");
  if (!f)
    cr_skip_test("no /dev/full");
  setvbuf(f, NULL, _IONBF, 0);
  tbl_table t = sample_table();
  cr_assert_eq(csvout_write_table(f, &t, 0), -1);
  fclose(f);
}
