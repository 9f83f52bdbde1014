/*
** project_rules.h: the project's own rules/ folder, loaded for a
** normalizer test. Header-only like helpers.h, and not a test itself.
*/
#ifndef BUDGET_TEST_PROJECT_RULES_H
#define BUDGET_TEST_PROJECT_RULES_H

#include <criterion/criterion.h>

#include "rules.h"

/* Loads TEST_SOURCE_DIR/rules into *rs, or fails the test with the load
** error. */
__attribute__((unused)) static void load_project_rules(ruleset *rs)
{
  char err[1024];
  cr_assert_eq(ruleset_load_dir(rs, TEST_SOURCE_DIR "/rules", err, sizeof err),
               0, "%s", err);
}

#endif
