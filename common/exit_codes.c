#include "exit_codes.h"

const char *budget_exit_name(budget_exit code)
{
  switch (code) {
  case BUDGET_EXIT_OK: return "ok";
  case BUDGET_EXIT_USAGE: return "usage";
  case BUDGET_EXIT_NO_INPUT: return "no input";
  case BUDGET_EXIT_NOT_PDF: return "not a PDF";
  case BUDGET_EXIT_ENCRYPTED: return "encrypted";
  case BUDGET_EXIT_NO_TEXT: return "no text layer";
  case BUDGET_EXIT_NO_TABLES: return "no tables";
  case BUDGET_EXIT_BAD_RULES: return "bad rules";
  case BUDGET_EXIT_BAD_TEXT: return "bad text";
  case BUDGET_EXIT_OUTPUT: return "output error";
  case BUDGET_EXIT_RESOURCE: return "resource limit";
  case BUDGET_EXIT_STAGE: return "stage failed";
  case BUDGET_EXIT_PARTIAL: return "some documents failed";
  }
  return "unknown";
}
