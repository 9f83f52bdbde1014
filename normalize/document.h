/*
** document.h: the department and budget year of one document, found in
** its stream.
**
** Promise: doc_meta_observe() is given every record normalize_stream()
** reads and keeps only a bounded tally (at most DOC_MAX_CANDIDATES
** distinct names and years), never the document. What names a department
** or a year is the rules' (the dept-* and year kinds, rules/README.md;
** this module knows the weights only). With rules/40-document.rules the
** evidence, strongest first:
**   - a label naming the department: `部门（单位）名称：X`, `部门名称：X`,
**     `单位名称：X`, `部门/单位：X`, `部门：X`, in a text line or a cell, or
**     a cell `部门（单位）名称` whose next non-empty cell is X (the 14 form);
**   - a cover or table title carrying year and department:
**     `青山县农业农村局2024年部门预算`, `2018年度江苏省高级人民法院收支预算
**     总表`, or a cover printed as `X` over `2025年度部门预算`.
** A name counts only when it looks like an organisation (CJK text ending
** in 局, 委, 厅, 院, 会, 中心, 馆, 学校 …): `单位：万元`, a column head
** `部门（单位）名称 | 合计` or a label cut by a wrap gives nothing rather
** than a guess. The year comes from the same titles and from any table
** title `2024年…表` / `…预算…`; a date line (`2024年2月`) is not a title.
** The most frequent name and year win (a tie: the one seen first). A
** document with no evidence has an empty department and year.
**
** A `@@document` directive in the input (a stream this stage wrote) is
** taken as given, so normalizing twice changes nothing. `@@source NAME
** PAGES` names the source and its page count; without it the pages are
** those the stream counts and the source is the name given to
** doc_meta_new() (empty for stdin).
**
** doc_meta_emit() writes `@@document DEPARTMENT YEAR SOURCE PAGES`
** (docs/stream.md).
**
** Failure: doc_meta_new() returns NULL when memory gives out;
** doc_meta_observe() returns -1 on out of memory; doc_meta_emit() -1 on a
** write error.
*/
#ifndef BUDGET_NORMALIZE_DOCUMENT_H
#define BUDGET_NORMALIZE_DOCUMENT_H

#include <stdio.h>

#include "rules.h"
#include "stream.h"

#define DOC_MAX_CANDIDATES 32

typedef struct doc_meta doc_meta;

/* name: the input's name for messages ("<stdin>" is not a source). rs
** must outlive the doc and is matched against by doc_meta_observe(): it
** belongs to the thread that observes (a twin, rules.h, when that is not
** the thread that made it). */
doc_meta *doc_meta_new(const char *name, const ruleset *rs);
void doc_meta_free(doc_meta *d);

int doc_meta_observe(doc_meta *d, const stream_record *rec);

/* The winners so far: "" when none. year is 0 when none. */
const char *doc_meta_department(doc_meta *d);
int doc_meta_year(doc_meta *d);

int doc_meta_emit(doc_meta *d, FILE *out);

#endif
