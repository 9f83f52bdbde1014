/*
** outdir.h: an output folder replaced as a whole, never half-written.
**
** Files are written into a hidden staging directory created next to the
** final folder (same file system, so renames are atomic). outdir_commit()
** then moves them into the final folder: if it does not exist, the staging
** directory itself is renamed into place; if it does, each new file takes
** its old self's place in one step (swapped out where the file system can,
** renamed over elsewhere), and the folder's other *managed* files
** (NN.csv, xN.csv, tables.csv, document.csv, provenance.csv, checks.csv:
** outdir_is_managed()) are removed, so stale tables never mix with new
** ones. Files the tool does not manage are left alone. tables.csv is moved
** last, so an index never lists a missing file.
**
** Ownership: outdir keeps copies of the paths it is given; FILEs from
** outdir_open() are closed by outdir_close() (or by commit/abort).
**
** Failure: each function returns 0 / non-NULL on success; on failure it
** returns -1 / NULL and outdir_error() holds one line naming the path and
** the system's reason. outdir_abort() (also done by outdir_free() on an
** uncommitted folder) removes the staging directory and all it holds.
** Parent folders of the final folder are created as needed (mkdir -p).
*/
#ifndef BUDGET_OUTDIR_H
#define BUDGET_OUTDIR_H

#include <stddef.h>
#include <stdio.h>

typedef struct outdir outdir;

/* Creates the staging directory for final_dir. NULL on failure with the
** reason in err (errsz bytes). */
outdir *outdir_begin(const char *final_dir, char *err, size_t errsz);

/* Opens name (a plain file name, no '/') for writing in the staging dir. */
FILE *outdir_open(outdir *d, const char *name);

/* Flushes and closes a FILE from outdir_open(); -1 on a write error. */
int outdir_close(outdir *d, FILE *f);

/* Moves the staged files into the final folder; the outdir is spent. */
int outdir_commit(outdir *d);

/* Removes the staging dir; safe to call twice and after a commit. */
void outdir_abort(outdir *d);

/* Aborts unless committed, then frees. NULL is a no-op. */
void outdir_free(outdir *d);

const char *outdir_error(const outdir *d);
const char *outdir_staging_path(const outdir *d);

/* 1 for the names this tool owns in an output folder: two digits + .csv,
** 'x' + digits + .csv, tables.csv, document.csv, provenance.csv,
** checks.csv. */
int outdir_is_managed(const char *name);

/* 1 when id makes a managed file name ("03", "x2"): guards against a
** stream that tries to write "../something". */
int outdir_valid_id(const char *id);

/* Moves the managed files of an existing directory staged (written by
** another process) into final_dir by the same rules as outdir_commit(),
** then removes staged. For budget2csv, which stages whole stage runs.
** Returns 0, or -1 with one line in err. */
int outdir_replace_from(const char *staged, const char *final_dir, char *err,
                        size_t errsz);

/* Removes a directory and everything in it, folders included (a stage
** killed mid-write may leave its own staging folder inside); symlinks
** are removed, not followed. */
void outdir_remove_tree(const char *dir);

#endif
