/*
** budget-batch end to end: a folder holding the bundled samples, a text
** document, a broken "PDF" and files that are not documents. Checks the
** per-document folders, the failure listed and skipped, long.csv against
** the samples' expected CSVs, -j 1 against -j 2, a second run over the
** same output root, the usage and input errors, and --page-column,
** --excel and --fill-down passed on to budget2csv and read back into
** long.csv.
*/
#include <criterion/criterion.h>

#include "helpers.h"

static const char *const pdf_samples[] = {"baihe-school", "hexi-water",
                                          "nanshan-edu", "qingfeng-market",
                                          "qingshan-agri"};
#define NPDF (sizeof pdf_samples / sizeof pdf_samples[0])

static char *tmp, *in;

static void copy_file(const char *from, const char *to)
{
  size_t n;
  char *data = h_read(from, &n);
  cr_assert_not_null(data, "%s", from);
  h_write(to, data, n);
  free(data);
}

/* in/: <sample>.pdf for each PDF sample, text-paste.txt, broken.pdf (not
** a PDF), notes.md and a folder sub/ holding a PDF (neither is taken). */
static void setup(void)
{
  tmp = h_tmpdir();
  in = h_fmt("%s/in", tmp);
  cr_assert_eq(mkdir(in, 0755), 0);
  for (size_t i = 0; i < NPDF; i++) {
    char *from = h_fmt("%s/samples/%s/doc.pdf", h_home(), pdf_samples[i]);
    char *to = h_fmt("%s/%s.pdf", in, pdf_samples[i]);
    copy_file(from, to);
    free(from);
    free(to);
  }
  char *from = h_fmt("%s/samples/text-paste/doc.txt", h_home());
  char *to = h_fmt("%s/text-paste.txt", in);
  copy_file(from, to);
  free(from);
  free(to);
  char *p = h_fmt("%s/broken.pdf", in);
  h_write_str(p, "this is not a PDF\n");
  free(p);
  p = h_fmt("%s/notes.md", in);
  h_write_str(p, "# not a document\n");
  free(p);
  p = h_fmt("%s/sub", in);
  cr_assert_eq(mkdir(p, 0755), 0);
  free(p);
  p = h_fmt("%s/sub/nested.pdf", in);
  h_write_str(p, "%PDF-1.4 never read\n");
  free(p);
}

static void teardown(void)
{
  h_rm_rf(tmp);
  free(tmp);
  free(in);
}

TestSuite(batch, .init = setup, .fini = teardown, .timeout = 300);

static h_result batch(const char *out, const char *jobs, const char *input)
{
  char *prog = h_bin("budget-batch");
  char *argv[] = {prog, "-o", (char *)out, "-j", (char *)jobs,
                  (char *)input, NULL};
  h_result r = h_run(argv, NULL);
  free(prog);
  return r;
}

/* ---- a small CSV reader, for the checks ------------------------------- */

/* Reads one RFC 4180 record from *p into f (n fields at most); returns
** the number of fields. */
static size_t csv_record(const char **p, char f[][512], size_t max)
{
  size_t n = 0;
  const char *s = *p;
  for (;;) {
    char *o = f[n < max ? n : max - 1];
    size_t k = 0;
    if (*s == '"') {
      for (s++; *s && !(*s == '"' && s[1] != '"'); s++) {
        if (*s == '"')
          s++;
        if (k < 511)
          o[k++] = *s;
      }
      if (*s == '"')
        s++;
    } else {
      while (*s && *s != ',' && *s != '\r' && *s != '\n')
        if (k < 511)
          o[k++] = *s++;
        else
          s++;
    }
    o[k] = '\0';
    n++;
    if (*s == ',') {
      s++;
      continue;
    }
    if (*s == '\r')
      s++;
    if (*s == '\n')
      s++;
    break;
  }
  *p = s;
  return n;
}

static int is_number(const char *s)
{
  if (*s == '-')
    s++;
  if (*s < '0' || *s > '9')
    return 0;
  while (*s >= '0' && *s <= '9')
    s++;
  if (*s == '.' && s[1] >= '0' && s[1] <= '9')
    for (s++; *s >= '0' && *s <= '9'; s++)
      ;
  return *s == '\0';
}

static int is_code_header(const char *h)
{
  const char *leaf = strrchr(h, '/');
  leaf = leaf ? leaf + 1 : h;
  return strstr(h, "编码") || strstr(h, "代码") || strstr(h, "编号") ||
         !strcmp(leaf, "类") || !strcmp(leaf, "款") || !strcmp(leaf, "项");
}

/* The numbers a sample's expected table holds outside its code columns:
** what long.csv must list for it. */
static size_t expected_values(const char *sample, const char *id)
{
  char *p = h_fmt("%s/samples/%s/expected/%s.csv", h_home(), sample, id);
  char *text = h_read(p, NULL);
  cr_assert_not_null(text, "%s", p);
  static char head[64][512], f[64][512];
  const char *s = text;
  size_t nh = csv_record(&s, head, 64), count = 0;
  while (*s) {
    size_t n = csv_record(&s, f, 64);
    for (size_t i = 0; i < n && i < nh; i++)
      if (is_number(f[i]) && !is_code_header(head[i]))
        count++;
  }
  free(text);
  free(p);
  return count;
}

/* The fields long.csv's records have: 11 with --page-column. */
static size_t long_fields = 10;

/* A table ID as long.csv writes it: ="03" with --excel. */
static int same_id(const char *field, const char *id)
{
  char wrapped[32];
  snprintf(wrapped, sizeof wrapped, "=\"%s\"", id);
  return !strcmp(field, id) || !strcmp(field, wrapped);
}

/* Records of long.csv for one document and table. */
static size_t long_values(const char *longcsv, const char *doc,
                          const char *id)
{
  static char f[16][512];
  const char *s = longcsv;
  if (!strncmp(s, "\xEF\xBB\xBF", 3))
    s += 3;
  csv_record(&s, f, 16);
  size_t count = 0;
  while (*s) {
    size_t n = csv_record(&s, f, 16);
    cr_assert_eq(n, long_fields, "a long.csv record of %zu fields", n);
    if (!strcmp(f[0], doc) && same_id(f[3], id))
      count++;
  }
  return count;
}

static char *listing_of(const char *dir)
{
  char *l = h_listing(dir);
  cr_assert_not_null(l, "%s missing", dir);
  return l;
}

/* The tables a sample's expected/ holds, from its tables.csv. */
static void check_long_against_expected(const char *longcsv,
                                        const char *sample, const char *doc)
{
  char *ip = h_fmt("%s/samples/%s/expected/tables.csv", h_home(), sample);
  char *index = h_read(ip, NULL);
  cr_assert_not_null(index);
  static char f[16][512];
  const char *s = index;
  csv_record(&s, f, 16);
  size_t tables = 0;
  while (*s) {
    csv_record(&s, f, 16);
    char id[16];
    snprintf(id, sizeof id, "%.8s", f[0]);
    size_t want = strcmp(id, "14") ? expected_values(sample, id) : 0;
    size_t got = long_values(longcsv, doc, id);
    cr_expect_eq(got, want, "%s table %s: %zu values in long.csv, %zu in "
                 "expected/", doc, id, got, want);
    tables++;
  }
  cr_assert_gt(tables, 0);
  free(index);
  free(ip);
}

Test(batch, folder_with_a_broken_document)
{
  char *out = h_fmt("%s/out", tmp);
  h_result r = batch(out, "1", in);
  cr_assert_eq(r.status, 13, "status %d: %s", r.status, r.err);
  /* not a terminal: no progress, only the failure's one line */
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "broken.pdf: failed, exit 4 (not a PDF): "
                          "budget2csv: "),
            "%s", r.err);
  char *l = listing_of(out);
  cr_assert_str_eq(l, "baihe-school\nfailures.csv\nhexi-water\nlong.csv\n"
                      "nanshan-edu\nqingfeng-market\nqingshan-agri\n"
                      "text-paste\n");
  free(l);

  /* each folder holds what the sample's expected/ holds (budget2csv may
  ** write more, provenance.csv say: test_e2e_samples.c checks its folder) */
  const char *names[NPDF + 1];
  for (size_t i = 0; i < NPDF; i++)
    names[i] = pdf_samples[i];
  names[NPDF] = "text-paste";
  for (size_t i = 0; i <= NPDF; i++) {
    char *dir = h_fmt("%s/%s", out, names[i]);
    char *want = h_fmt("%s/samples/%s/expected", h_home(), names[i]);
    char *gl = listing_of(dir), *wl = listing_of(want);
    for (char *n = wl; *n;) {
      char *nl = strchr(n, '\n');
      *nl = '\0';
      char *line = h_fmt("\n%s\n", n), *glist = h_fmt("\n%s", gl);
      cr_expect(strstr(glist, line), "%s: no %s", names[i], n);
      free(line);
      free(glist);
      n = nl + 1;
    }
    char *gp = h_fmt("%s/document.csv", dir);
    char *wp = h_fmt("%s/document.csv", want);
    char *g = h_read(gp, NULL), *w = h_read(wp, NULL);
    cr_assert(g && w);
    /* the source is the file's own name (baihe-school.pdf, not doc.pdf) */
    const char *gr = strchr(g, '\n'), *wr = strchr(w, '\n');
    cr_assert(gr && wr && strchr(gr, ',') && strchr(wr, ','));
    cr_expect_str_eq(strchr(gr, ','), strchr(wr, ','), "%s document.csv",
                     names[i]);
    free(g);
    free(w);
    free(gp);
    free(wp);
    free(gl);
    free(wl);
    free(dir);
    free(want);
  }

  char *fp = h_fmt("%s/failures.csv", out);
  char *failures = h_read(fp, NULL);
  cr_assert_not_null(failures);
  cr_assert_eq(h_lines(failures), 2, "%s", failures);
  char *broken = h_fmt("broken,%s/broken.pdf,4,not a PDF,budget2csv: ", in);
  cr_assert(strstr(failures, broken), "%s", failures);
  free(broken);
  free(failures);
  free(fp);

  char *lp = h_fmt("%s/long.csv", out);
  char *longcsv = h_read(lp, NULL);
  cr_assert_not_null(longcsv);
  cr_assert(!strncmp(longcsv, "document,department,year,table_id,row,code,"
                              "row_label,column,value,unit\r\n", 72));
  for (size_t i = 0; i <= NPDF; i++)
    check_long_against_expected(longcsv, names[i], names[i]);
  /* some values as the pages print them */
  cr_assert(strstr(longcsv, "\nqingshan-agri,青山县农业农村局,2024,01,1,,"
                            "一、一般公共预算拨款收入,收入/金额,6045.44,万元\r\n"),
            "01 收入 half");
  cr_assert(strstr(longcsv, "\nqingshan-agri,青山县农业农村局,2024,01,5,,"
                            "五、社会保障和就业支出,支出/金额,279.36,万元\r\n"),
            "01 支出 half");
  cr_assert(strstr(longcsv, "\nqingshan-agri,青山县农业农村局,2024,03,5,"
                            "2080505,机关事业单位基本养老保险缴费支出,"
                            "基本支出/工资福利支出,186.24,万元\r\n"),
            "03 code joined over 类/款/项");
  cr_assert(strstr(longcsv, "\nqingfeng-market,青枫县市场监督管理局,2024,x1,"
                            "2,,执法装备采购,预算金额,96000.00,元\r\n"),
            "x1 in 元");
  cr_assert_null(strstr(longcsv, "\nbroken,"));
  cr_assert_null(strstr(longcsv, ",2024,14,"), "the 14 form gives no values");
  free(longcsv);
  free(lp);
  /* no staging folder or temporary file left (the listing above shows
  ** hidden names too) */
  cr_assert_not(h_has_entry_prefix(out, ".batch-"));
  cr_assert_not(h_has_entry_prefix(out, ".long.csv"));
  free(out);
  h_result_free(&r);
}

Test(batch, one_or_two_jobs_give_the_same_long_csv)
{
  char *o1 = h_fmt("%s/o1", tmp), *o2 = h_fmt("%s/o2", tmp);
  h_result a = batch(o1, "1", in), b = batch(o2, "2", in);
  cr_assert_eq(a.status, 13);
  cr_assert_eq(b.status, 13);
  char *p1 = h_fmt("%s/long.csv", o1), *p2 = h_fmt("%s/long.csv", o2);
  size_t n1, n2;
  char *l1 = h_read(p1, &n1), *l2 = h_read(p2, &n2);
  cr_assert(l1 && l2);
  cr_assert_gt(h_lines(l1), 100);
  cr_assert(n1 == n2 && !memcmp(l1, l2, n1), "-j 1 and -j 2 differ");
  char *f1 = h_fmt("%s/failures.csv", o1), *f2 = h_fmt("%s/failures.csv", o2);
  char *a1 = h_read(f1, NULL), *a2 = h_read(f2, NULL);
  cr_assert_str_eq(a1, a2);
  free(a1);
  free(a2);
  free(f1);
  free(f2);
  free(l1);
  free(l2);
  free(p1);
  free(p2);
  free(o1);
  free(o2);
  h_result_free(&a);
  h_result_free(&b);
}

Test(batch, a_second_run_replaces_what_it_writes)
{
  char *out = h_fmt("%s/out", tmp);
  h_result a = batch(out, "2", in);
  cr_assert_eq(a.status, 13);
  char *one = h_fmt("%s/hexi-water.pdf", in);
  h_result b = batch(out, "2", one);
  cr_assert_eq(b.status, 0, "status %d: %s", b.status, b.err);
  cr_assert_str_eq(b.err, "");
  char *lp = h_fmt("%s/long.csv", out), *fp = h_fmt("%s/failures.csv", out);
  char *longcsv = h_read(lp, NULL), *failures = h_read(fp, NULL);
  cr_assert(longcsv && failures);
  cr_assert_null(strstr(longcsv, "\nqingshan-agri,"), "old records remain");
  cr_assert(strstr(longcsv, "\nhexi-water,河西区水利局,2024,"));
  cr_assert_str_eq(failures, "document,input,status,status_name,error\r\n");
  free(longcsv);
  free(failures);
  free(lp);
  free(fp);
  free(one);
  free(out);
  h_result_free(&a);
  h_result_free(&b);
}

/* Two inputs with one base name get two folders. */
Test(batch, same_names_made_unique)
{
  char *a = h_fmt("%s/samples/baihe-school/doc.pdf", h_home());
  char *b = h_fmt("%s/samples/hexi-water/doc.pdf", h_home());
  char *out = h_fmt("%s/out", tmp);
  char *prog = h_bin("budget-batch");
  char *argv[] = {prog, "-o", out, a, b, NULL};
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  char *l = listing_of(out);
  /* Both are doc.pdf: each is named by its folder too. */
  cr_assert_str_eq(l, "baihe-school_doc\nfailures.csv\nhexi-water_doc\n"
                      "long.csv\n");
  char *p = h_fmt("%s/hexi-water_doc/document.csv", out);
  char *d = h_read(p, NULL);
  cr_assert(d && strstr(d, ",河西区水利局,2024,"), "%s", d);
  free(d);
  free(p);
  free(l);
  free(prog);
  free(out);
  free(a);
  free(b);
  h_result_free(&r);
}

static void expect_error(char *const argv[], int status, const char *what)
{
  h_result r = h_run(argv, NULL);
  cr_assert_eq(r.status, status, "status %d: %s", r.status, r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, what), "%s", r.err);
  h_result_free(&r);
}

Test(batch, usage_and_input_errors)
{
  char *prog = h_bin("budget-batch");
  char *out = h_fmt("%s/out", tmp);
  char *missing = h_fmt("%s/nothing-here", tmp);
  char *empty = h_fmt("%s/empty", tmp);
  cr_assert_eq(mkdir(empty, 0755), 0);
  char *no_out[] = {prog, in, NULL};
  expect_error(no_out, 2, "give -o OUTROOT");
  char *bad_j[] = {prog, "-o", out, "-j", "0", in, NULL};
  expect_error(bad_j, 2, "-j wants a number");
  char *no_input[] = {prog, "-o", out, missing, NULL};
  expect_error(no_input, 3, "nothing-here: No such file or directory");
  char *none[] = {prog, "-o", out, empty, NULL};
  expect_error(none, 3, "no .pdf or .txt document");
  cr_assert_not(h_exists(out), "nothing written on an input error");
  char *file_out = h_fmt("%s/notes.md", in);
  char *bad_out[] = {prog, "-o", file_out, in, NULL};
  expect_error(bad_out, 10, "cannot create the output folder");
  free(file_out);
  free(prog);
  free(out);
  free(missing);
  free(empty);
}

/* ---- budget2csv's options passed on --------------------------------- */

static h_result batch_with(const char *out, const char *option)
{
  char *prog = h_bin("budget-batch");
  char *argv[] = {prog, "-o", (char *)out, "-j", "2", (char *)option, in,
                  NULL};
  h_result r = h_run(argv, NULL);
  free(prog);
  cr_assert_eq(r.status, 13, "%s: status %d: %s", option, r.status, r.err);
  return r;
}

static char *read_in(const char *out, const char *name)
{
  char *p = h_fmt("%s/%s", out, name);
  char *t = h_read(p, NULL);
  cr_assert_not_null(t, "%s", p);
  free(p);
  return t;
}

static const char *const all_docs[] = {"baihe-school", "hexi-water",
                                       "nanshan-edu", "qingfeng-market",
                                       "qingshan-agri", "text-paste"};

/* Each record's last field is its row's page: a number for a PDF (the
** page the table CSV gives that row), and the values are exactly the
** expected tables' (the page column gives none). */
Test(batch, page_column_goes_to_long_csv_not_its_values)
{
  char *out = h_fmt("%s/out", tmp);
  h_result r = batch_with(out, "--page-column");
  char *t = read_in(out, "qingshan-agri/03.csv");
  cr_assert(strstr(t, ",page\r\n"), "--page-column not passed on: %.200s",
            t);
  free(t);
  char *longcsv = read_in(out, "long.csv");
  cr_assert(!strncmp(longcsv, "document,department,year,table_id,row,code,"
                              "row_label,column,value,unit,page\r\n", 77),
            "%.100s", longcsv);
  long_fields = 11;
  for (size_t i = 0; i < sizeof all_docs / sizeof all_docs[0]; i++)
    check_long_against_expected(longcsv, all_docs[i], all_docs[i]);
  /* every record of a PDF has a page from 1 */
  static char f[16][512];
  const char *s = longcsv;
  csv_record(&s, f, 16);
  size_t pdf_records = 0;
  while (*s) {
    csv_record(&s, f, 16);
    if (!strcmp(f[0], "text-paste"))
      continue;
    pdf_records++;
    cr_expect(f[10][0] >= '1' && f[10][0] <= '9' &&
                  strspn(f[10], "0123456789") == strlen(f[10]),
              "%s %s row %s: page '%s'", f[0], f[3], f[4], f[10]);
  }
  cr_assert_gt(pdf_records, 100);
  cr_assert(strstr(longcsv, "\nqingshan-agri,青山县农业农村局,2024,03,5,"
                            "2080505,机关事业单位基本养老保险缴费支出,"
                            "基本支出/工资福利支出,186.24,万元,3\r\n"),
            "03 row 5 with its page");
  free(longcsv);
  free(out);
  h_result_free(&r);
}

/* The ="05" codes of the table CSVs are read back as codes: joined over
** 类/款/项 as without --excel; long.csv keeps its own 03 text for Excel. */
Test(batch, excel_codes_read_back_as_codes)
{
  char *out = h_fmt("%s/out", tmp);
  h_result r = batch_with(out, "--excel");
  char *t = read_in(out, "qingshan-agri/03.csv");
  cr_assert(strstr(t, ",\"=\"\"05\"\"\","), "--excel not passed on: %.300s",
            t);
  free(t);
  char *longcsv = read_in(out, "long.csv");
  cr_assert(!strncmp(longcsv, "\xEF\xBB\xBF" "document,", 12),
            "no BOM: %.40s", longcsv);
  long_fields = 10;
  for (size_t i = 0; i < sizeof all_docs / sizeof all_docs[0]; i++)
    check_long_against_expected(longcsv, all_docs[i], all_docs[i]);
  cr_assert(strstr(longcsv, "\nqingshan-agri,青山县农业农村局,2024,"
                            "\"=\"\"03\"\"\",5,2080505,"
                            "机关事业单位基本养老保险缴费支出,"
                            "基本支出/工资福利支出,186.24,万元\r\n"),
            "03 row 5 code joined from formulas");
  char *failures = read_in(out, "failures.csv");
  cr_assert(!strncmp(failures, "\xEF\xBB\xBF" "document,", 12));
  free(failures);
  free(longcsv);
  free(out);
  h_result_free(&r);
}

/* The labels --fill-down repeats are in the CSVs long.csv reads; the
** values stay the expected ones (an amount is never filled). */
Test(batch, fill_down_labels_reach_long_csv)
{
  char *out = h_fmt("%s/out", tmp);
  h_result r = batch_with(out, "--fill-down");
  char *t = read_in(out, "hexi-water/12.csv");
  cr_assert(strstr(t, "\r\n其他运转类,水利工程运行维护,河西区水利局,58.50,"),
            "--fill-down not passed on: %.400s", t);
  free(t);
  char *longcsv = read_in(out, "long.csv");
  long_fields = 10;
  for (size_t i = 0; i < sizeof all_docs / sizeof all_docs[0]; i++)
    check_long_against_expected(longcsv, all_docs[i], all_docs[i]);
  cr_assert(strstr(longcsv, "\nhexi-water,河西区水利局,2024,12,3,,"
                            "水利工程运行维护,合计,58.50,万元\r\n"),
            "12 row 3");
  free(longcsv);
  free(out);
  h_result_free(&r);
}

/* SIGTERM to budget-batch: the running budget2csv and its stage get it
** too (none is left running); the batch says after how many documents it
** stopped, in one line, and exits 12 without long.csv or failures.csv. */
Test(batch, terminated_batch_passes_the_signal_on)
{
  char *mark = h_fmt("%s/started", tmp);
  char *stage = h_slow_stage(tmp, mark, 30);
  char *cf = h_fmt("%s/pipeline.conf", tmp);
  char *conf = h_fmt("pdf = %s {input} | budget-csv {output}\n"
                     "text = %s {input} | budget-csv {output}\n",
                     stage, stage);
  h_write_str(cf, conf);
  char *doc = h_fmt("%s/doc.txt", tmp);
  h_write_str(doc, "项目\t金额\n");
  char *out = h_fmt("%s/signalled", tmp);
  char *prog = h_bin("budget-batch");
  char *cmd = h_fmt("'%s' -o '%s' --config '%s' '%s'", prog, out, cf, doc);
  h_result r = h_run_terminated(cmd, mark);
  cr_assert_str_eq(r.out, "status 12\n", "stderr: %s", r.err);
  cr_assert_eq(h_lines(r.err), 1, "%s", r.err);
  cr_assert(strstr(r.err, "interrupted by signal 15"), "%s", r.err);
  char *longcsv = h_fmt("%s/long.csv", out);
  cr_assert_not(h_exists(longcsv));
  h_result_free(&r);
  free(longcsv);
  free(cmd);
  free(prog);
  free(out);
  free(doc);
  free(conf);
  free(cf);
  free(stage);
  free(mark);
}
