/*
** self_path.h: where the running executable lives, and so where its data
** files (pipeline.conf, rules/) are.
**
** Promise: self_dir() returns the folder holding this process's executable
** (read from /proc/self/exe), as a string the caller frees, or NULL when
** it cannot be read (no /proc, or out of memory). budget2csv and
** budget-batch use it to find the programs built next to them.
**
** budget_data_dir() returns the folder the defaults are read from, as a
** string the caller frees (NULL only when out of memory):
**   1. the installed data folder: BUDGET_DATA_FROM_BIN (set by CMake from
**      GNUInstallDirs, normally ../share/budget2csv) taken from the
**      executable's folder, when that folder exists, so an installed copy
**      works wherever its prefix was moved and never reads a source tree;
**   2. else the source tree it was built from (BUDGET_SOURCE_DIR), so a
**      build tree runs with the checkout's own pipeline.conf and rules/.
** The caller appends "pipeline.conf" or "rules"; --config, --rules and
** the environment variables are the programs' business and come first.
*/
#ifndef BUDGET_SELF_PATH_H
#define BUDGET_SELF_PATH_H

char *self_dir(void);

char *budget_data_dir(void);

#endif
