/*
** title.h: what a text line outside a table body is.
**
** Promise: title_classify() sorts one line into prose, a standard or
** generic table title, a title-block line, a note, or page furniture, by
** the rules alone (no title or department is known to the C code). A
** title's ID is taken from the "title" rule whose match starts earliest
** in the squeezed, de-noised title, so the longest alias wins
** (财政拨款收支预算总表 is 04, not 01). Any line may also name a unit.
** Lines are read after the "cell" rules, so spaced text (单 位 ： 万 元)
** reads as printed without its layout spaces.
** The result points into the ruleset; nothing is allocated for the caller.
*/
#ifndef BUDGET_NORMALIZE_TITLE_H
#define BUDGET_NORMALIZE_TITLE_H

#include "rules.h"
#include "strbuf.h"

typedef enum line_class {
  LINE_PROSE = 0,
  LINE_TITLE,       /* a standard table title: id set */
  LINE_GENERIC,     /* a table title with no standard counterpart */
  LINE_TITLE_BLOCK, /* label, 部门名称, （2023年度）, 单位 line */
  LINE_NOTE,        /* 注：…, 此表无数据 */
  LINE_SKIP         /* page number and other furniture */
} line_class;

typedef struct title_info {
  const rule *table;   /* LINE_TITLE: the catalog entry */
  const char *id;      /* LINE_TITLE: the ID */
  char unit[16];       /* unit named on the line, or "" */
} title_info;

/* tmp is scratch space owned by the caller. Returns LINE_PROSE on error. */
line_class title_classify(ruleset *rs, const char *line, title_info *ti,
                          strbuf *tmp);
/* The same on line[0..n) with its bytes already taken (bytes is of it). */
line_class title_classify_bytes(ruleset *rs, const char *line, size_t n,
                                const subject_bytes *bytes, title_info *ti,
                                strbuf *tmp);

/* 0 when no line with s[0..n)'s bytes and characters can be a LINE_TITLE,
** however the cell and noise rules rewrite it (so classifying it may be
** skipped where only a title would count); 1 when it may be one. */
int title_may_name_table(const ruleset *rs, const char *s, size_t n);

#endif
