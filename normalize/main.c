#include <stddef.h>
#include "diag.h"
#include "exit_codes.h"
int main(void)
{
  diag_set_program("budget-normalize");
  diag_error(NULL, "not implemented yet");
  return BUDGET_EXIT_STAGE;
}
