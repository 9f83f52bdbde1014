/*
** normalize/table.c: a row rowvec_add() copied keeps its cells in one
** block, yet every cell stays a string of its own: distinct addresses
** (origin.h names covered cells by them), replaceable, droppable and
** movable within the row, the whole row movable to another vector. The
** sanitizer and valgrind builds run this too: a cell of the block freed
** on its own, or a replaced one leaked, fails there.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static char *const LINE[] = {"项目", "", "", "4596.71", "", NULL, "合计"};
#define NLINE (sizeof LINE / sizeof *LINE)

Test(table, added_row_copies_each_cell_at_its_own_address)
{
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add(&v, LINE, NLINE);
  cr_assert_not_null(r);
  cr_assert_eq(r->n, NLINE);
  for (size_t i = 0; i < NLINE; i++) {
    cr_assert_str_eq(r->cells[i], LINE[i] ? LINE[i] : "", "cell %zu", i);
    cr_assert_neq(r->cells[i], LINE[i], "cell %zu is a copy", i);
    for (size_t j = 0; j < i; j++)
      cr_assert_neq(r->cells[i], r->cells[j], "cells %zu and %zu", j, i);
  }
  cr_assert_eq(row_width(r), NLINE);
  rowvec_clear(&v);
  cr_assert_eq(v.n, 0);
}

Test(table, cells_replaced_dropped_and_moved_are_freed_once)
{
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add(&v, LINE, NLINE);
  cr_assert_not_null(r);
  /* A cell of the block replaced, then the replacement replaced. */
  cr_assert_eq(row_set(r, 0, "收入项目", strlen("收入项目")), 0);
  cr_assert_eq(row_set(r, 0, "支出", strlen("支出")), 0);
  cr_assert_str_eq(r->cells[0], "支出");
  char *own = strdup("一般公共预算");
  cr_assert_not_null(own);
  row_cell_replace(r, 3, own);
  cr_assert_eq(r->cells[3], own);
  /* Cells swap columns within their row (shape.c moves data so). */
  char *tmp = r->cells[1];
  r->cells[1] = r->cells[3];
  r->cells[3] = tmp;
  cr_assert_str_eq(r->cells[1], "一般公共预算");
  cr_assert_str_eq(r->cells[3], "");
  /* Dropping trailing cells frees the replaced ones, not the block's. */
  cr_assert_eq(row_resize(r, 2), 0);
  cr_assert_eq(r->n, 2);
  cr_assert_eq(row_resize(r, 5), 0);
  cr_assert_eq(r->n, 5);
  cr_assert_str_eq(r->cells[4], "");
  cr_assert_eq(row_set(r, 6, "合计", strlen("合计")), 0);
  cr_assert_eq(r->n, 7);
  cr_assert_eq(row_width(r), 7);
  rowvec_clear(&v);
}

Test(table, a_taken_row_keeps_its_block)
{
  rowvec a, b;
  rowvec_init(&a);
  rowvec_init(&b);
  cr_assert_not_null(rowvec_add(&a, LINE, NLINE));
  cr_assert_not_null(rowvec_add(&a, LINE + 3, NLINE - 3));
  cr_assert_eq(row_set(&a.rows[1], 1, "12.00", 5), 0);
  trow *moved = rowvec_take(&b, &a.rows[1]);
  cr_assert_not_null(moved);
  cr_assert_eq(a.rows[1].n, 0, "the source row is left empty");
  rowvec_remove(&a, 1);
  rowvec_clear(&a);
  cr_assert_str_eq(moved->cells[0], "4596.71");
  cr_assert_str_eq(moved->cells[1], "12.00");
  cr_assert_str_eq(moved->cells[3], "合计");
  rowvec_clear(&b);
}

Test(table, an_empty_row_is_a_row)
{
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add(&v, NULL, 0);
  cr_assert_not_null(r);
  cr_assert(row_empty(r));
  cr_assert_eq(row_set(r, 2, "x", 1), 0);
  cr_assert_eq(r->n, 3);
  cr_assert_str_eq(r->cells[2], "x");
  rowvec_clear(&v);
}

/* Each cell read has a byte kept with its text for what cells.c learns of
** it: there from the start, zero, its own (writing it leaves every text
** alone), and gone when the cell is replaced. */
Test(table, read_cells_have_a_facts_byte_of_their_own)
{
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add(&v, LINE, NLINE);
  cr_assert_not_null(r);
  for (size_t i = 0; i < NLINE; i++) {
    unsigned char *f = row_cell_facts(r, i);
    cr_assert_not_null(f, "cell %zu", i);
    cr_assert_eq(*f, 0, "cell %zu", i);
    *f = 0xFF;
  }
  for (size_t i = 0; i < NLINE; i++) {
    cr_assert_str_eq(r->cells[i], LINE[i] ? LINE[i] : "", "cell %zu", i);
    for (size_t j = 0; j < i; j++)
      cr_assert_neq(row_cell_facts(r, i), row_cell_facts(r, j));
  }
  cr_assert_eq(row_set(r, 3, "一般公共预算支出", strlen("一般公共预算支出")), 0);
  cr_assert_null(row_cell_facts(r, 3), "a longer text is a string of its own");
  cr_assert_eq(row_resize(r, NLINE + 1), 0);
  cr_assert_null(row_cell_facts(r, NLINE));
  rowvec_clear(&v);
}

/* A row added with its cleaned cells reads as printed until they are
** taken; then the cleaned ones stand (block strings with facts bytes of
** their own) and the others are untouched. Taking twice changes nothing;
** a row never taken frees its cleaned cells with it. */
Test(table, cleaned_cells_wait_until_taken)
{
  static const char *const cleaned[] = {"收入项目", NULL, NULL, NULL,
                                        NULL,       NULL, ""};
  rowvec v;
  rowvec_init(&v);
  trow *r = rowvec_add_cleaned(&v, LINE, cleaned, NLINE);
  cr_assert_not_null(r);
  cr_assert(r->precleaned);
  cr_assert_str_eq(r->cells[0], "项目");
  cr_assert_str_eq(r->cells[6], "合计");
  char *amount = r->cells[3];
  row_take_cleaned(r);
  cr_assert_str_eq(r->cells[0], "收入项目");
  cr_assert_str_eq(r->cells[6], "");
  cr_assert_eq(r->cells[3], amount, "an unchanged cell stays where it was");
  cr_assert_not_null(row_cell_facts(r, 0));
  for (size_t i = 0; i < NLINE; i++)
    for (size_t j = 0; j < i; j++)
      cr_assert_neq(r->cells[i], r->cells[j], "cells %zu and %zu", j, i);
  row_take_cleaned(r);
  cr_assert_str_eq(r->cells[0], "收入项目");
  cr_assert_not_null(rowvec_add_cleaned(&v, LINE, cleaned, NLINE));
  trow *plain = rowvec_add(&v, LINE, NLINE);
  cr_assert_not(plain->precleaned);
  rowvec_clear(&v);
}
