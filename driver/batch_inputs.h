/*
** batch_inputs.h: the documents a batch runs on, each with its own output
** folder name.
**
** Promise: batch_inputs_collect() turns the command line's INPUTs into a
** list: a folder gives its *.pdf and *.txt files (the extension in any
** case; hidden files and subfolders skipped, not recursive), sorted by
** byte order of their names; a file is taken as it is, whatever its name.
** The list keeps the INPUTs' order. Each document's name is its file name
** without .pdf/.txt; a file name documents in several folders share gets
** its folder's name in front (a/doc.pdf, b/doc.pdf: a_doc, b_doc); a name
** still shared gets "-2", "-3"… on the later ones,
** and a name never equals one of the batch's own files (long.csv,
** failures.csv) or starts with '.', so every document has a folder of its
** own under the output root.
**
** Ownership: the list owns its strings; batch_inputs_free() releases them.
** Failure: returns a budget_exit status; on anything but BUDGET_EXIT_OK
** err holds one line naming the INPUT (missing or unreadable:
** BUDGET_EXIT_NO_INPUT; out of memory: BUDGET_EXIT_RESOURCE) and the list
** is empty. A folder with no document in it is not an error here: the
** caller decides what an empty batch means.
*/
#ifndef BUDGET_BATCH_INPUTS_H
#define BUDGET_BATCH_INPUTS_H

#include <stddef.h>

/* Caps, so a hostile folder cannot make the batch allocate without bound. */
#define BATCH_MAX_DOCUMENTS 100000
#define BATCH_MAX_NAME 240

typedef struct batch_doc {
  char *path; /* as given or INPUT/entry */
  char *name; /* output folder name, unique in the list */
} batch_doc;

typedef struct batch_list {
  batch_doc *docs;
  size_t n, cap;
} batch_list;

int batch_inputs_collect(char *const *inputs, size_t ninputs,
                         batch_list *out, char *err, size_t errsz);
void batch_inputs_free(batch_list *l);

#endif
