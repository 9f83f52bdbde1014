/* hcreate_r() and hsearch_r() are GNU. */
#define _GNU_SOURCE
#include "batch_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <search.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "exit_codes.h"
#include "vec.h"

void batch_inputs_free(batch_list *l)
{
  for (size_t i = 0; i < l->n; i++) {
    free(l->docs[i].path);
    free(l->docs[i].name);
  }
  free(l->docs);
  l->docs = NULL;
  l->n = l->cap = 0;
}

static int has_doc_extension(const char *name)
{
  size_t n = strlen(name);
  return n > 4 && (strcasecmp(name + n - 4, ".pdf") == 0 ||
                   strcasecmp(name + n - 4, ".txt") == 0);
}

/* The file name of path without .pdf/.txt, capped at BATCH_MAX_NAME bytes
** (a byte cut: the -N suffix keeps names unique), into stem. */
static void stem_of(const char *path, char stem[BATCH_MAX_NAME + 1])
{
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  size_t n = strlen(base);
  if (has_doc_extension(base))
    n -= 4;
  if (n > BATCH_MAX_NAME)
    n = BATCH_MAX_NAME;
  memcpy(stem, base, n);
  stem[n] = '\0';
}

/* The name of the folder path is in ("" when none is given), capped. */
static void parent_of(const char *path, char parent[BATCH_MAX_NAME + 1])
{
  const char *end = strrchr(path, '/');
  while (end && end > path && end[-1] == '/')
    end--;
  const char *start = end;
  while (start && start > path && start[-1] != '/')
    start--;
  size_t n = start ? (size_t)(end - start) : 0;
  if (n > BATCH_MAX_NAME)
    n = BATCH_MAX_NAME;
  if (n)
    memcpy(parent, start, n);
  parent[n] = '\0';
  if (!strcmp(parent, ".") || !strcmp(parent, ".."))
    parent[0] = '\0';
}

/* A set of names (libc's hsearch_r table): the names handed out so far,
** or each stem with how many documents share it (in data). */
static int names_init(struct hsearch_data *h, size_t n)
{
  memset(h, 0, sizeof *h);
  return hcreate_r(2 * n + 16, h) ? 0 : -1;
}

static ENTRY *names_find(struct hsearch_data *h, char *key)
{
  ENTRY want = {key, NULL}, *found = NULL;
  return hsearch_r(want, FIND, &found, h) ? found : NULL;
}

static int names_add(struct hsearch_data *h, char *key, void *data)
{
  ENTRY e = {key, data}, *got;
  return hsearch_r(e, ENTER, &got, h) ? 0 : -1;
}

/* Counts key in the table (its count is the entry's data). */
static int names_count(struct hsearch_data *h, char *key)
{
  ENTRY *e = names_find(h, key);
  if (e) {
    e->data = (void *)((uintptr_t)e->data + 1);
    return 0;
  }
  return names_add(h, key, (void *)(uintptr_t)1);
}

static size_t names_counted(struct hsearch_data *h, char *key)
{
  ENTRY *e = names_find(h, key);
  return e ? (size_t)(uintptr_t)e->data : 0;
}

#define DOC_NAME_MAX (BATCH_MAX_NAME / 2 + 1 + BATCH_MAX_NAME)

/* Names every document: its stem; when documents in different folders
** share a stem, each of them its folder's name and the stem (a/doc.pdf,
** b/doc.pdf: a_doc, b_doc), which says more than a number; then -2, -3…
** on the later ones where names still meet (a.pdf and a.txt: a, a-2).
** "." and hidden names would hide the folder (or be the staging one):
** "doc" goes first. Returns -1 out of memory. */
static int name_all(batch_list *l)
{
  size_t n = l->n;
  char(*stems)[BATCH_MAX_NAME + 1] = malloc((n ? n : 1) * sizeof *stems);
  char(*longer)[DOC_NAME_MAX + 1] = malloc((n ? n : 1) * sizeof *longer);
  struct hsearch_data count, taken;
  int rc = -1, have_count = 0, have_taken = 0;
  if (!stems || !longer || names_init(&count, 2 * n) != 0)
    goto out;
  have_count = 1;
  for (size_t i = 0; i < n; i++) {
    char parent[BATCH_MAX_NAME + 1];
    stem_of(l->docs[i].path, stems[i]);
    parent_of(l->docs[i].path, parent);
    /* '/' cannot be in a file name: the folder-qualified name never
    ** meets a bare stem in the count. */
    snprintf(longer[i], sizeof longer[i], "%.*s/%s", BATCH_MAX_NAME / 2,
             parent, stems[i]);
    if (names_count(&count, stems[i]) != 0 ||
        names_count(&count, longer[i]) != 0)
      goto out;
  }
  if (names_init(&taken, n + 2) != 0)
    goto out;
  have_taken = 1;
  static char long_csv[] = "long.csv", failures_csv[] = "failures.csv";
  if (names_add(&taken, long_csv, NULL) || names_add(&taken, failures_csv, NULL))
    goto out;
  for (size_t i = 0; i < n; i++) {
    char base[DOC_NAME_MAX + 1];
    int qualify = longer[i][0] != '/' && names_counted(&count, stems[i]) > 1 &&
                  names_counted(&count, longer[i]) == 1;
    snprintf(base, sizeof base, "%s", qualify ? longer[i] : stems[i]);
    char *slash = strchr(base, '/');
    if (qualify && slash)
      *slash = '_';
    const char *lead = !base[0] || base[0] == '.' ? "doc" : "";
    char cand[sizeof base + 24];
    snprintf(cand, sizeof cand, "%s%s", lead, base);
    for (unsigned k = 2; names_find(&taken, cand); k++)
      snprintf(cand, sizeof cand, "%s%s-%u", lead, base, k);
    if (!(l->docs[i].name = strdup(cand)) ||
        names_add(&taken, l->docs[i].name, NULL) != 0)
      goto out;
  }
  rc = 0;
out:
  if (have_taken)
    hdestroy_r(&taken);
  if (have_count)
    hdestroy_r(&count);
  free(longer);
  free(stems);
  return rc;
}

static int add(batch_list *l, const char *path)
{
  if (l->n >= BATCH_MAX_DOCUMENTS)
    return BUDGET_EXIT_RESOURCE;
  if (vec_reserve(&l->docs, &l->cap, l->n + 1, sizeof *l->docs, 16) != 0)
    return BUDGET_EXIT_RESOURCE;
  batch_doc *d = &l->docs[l->n];
  d->name = NULL; /* name_all() names them once all are in */
  if (!(d->path = strdup(path)))
    return BUDGET_EXIT_RESOURCE;
  l->n++;
  return BUDGET_EXIT_OK;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_folder(batch_list *l, const char *dir, char *err, size_t errsz)
{
  DIR *d = opendir(dir);
  if (!d) {
    snprintf(err, errsz, "%s: %s", dir, strerror(errno));
    return BUDGET_EXIT_NO_INPUT;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = BUDGET_EXIT_OK;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || !has_doc_extension(e->d_name))
      continue;
    if (n >= BATCH_MAX_DOCUMENTS ||
        vec_reserve(&names, &cap, n + 1, sizeof *names, 64) != 0 ||
        !(names[n] = strdup(e->d_name))) {
      rc = BUDGET_EXIT_RESOURCE;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc == BUDGET_EXIT_OK && n)
    qsort(names, n, sizeof *names, by_name);
  size_t dl = strlen(dir);
  int sep = dl && dir[dl - 1] != '/';
  for (size_t i = 0; i < n && rc == BUDGET_EXIT_OK; i++) {
    size_t len = dl + 1 + strlen(names[i]) + 1;
    char *p = malloc(len);
    if (!p) {
      rc = BUDGET_EXIT_RESOURCE;
      break;
    }
    snprintf(p, len, "%s%s%s", dir, sep ? "/" : "", names[i]);
    struct stat st;
    /* a folder named x.pdf is not a document */
    if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      free(p);
      continue;
    }
    rc = add(l, p);
    free(p);
  }
  for (size_t i = 0; i < n; i++)
    free(names[i]);
  free(names);
  if (rc == BUDGET_EXIT_RESOURCE)
    snprintf(err, errsz, "%s: out of memory, or over %d documents", dir,
             BATCH_MAX_DOCUMENTS);
  return rc;
}

int batch_inputs_collect(char *const *inputs, size_t ninputs,
                         batch_list *out, char *err, size_t errsz)
{
  memset(out, 0, sizeof *out);
  err[0] = '\0';
  int rc = BUDGET_EXIT_OK;
  for (size_t i = 0; i < ninputs && rc == BUDGET_EXIT_OK; i++) {
    struct stat st;
    if (stat(inputs[i], &st) != 0) {
      snprintf(err, errsz, "%s: %s", inputs[i], strerror(errno));
      rc = BUDGET_EXIT_NO_INPUT;
    } else if (S_ISDIR(st.st_mode)) {
      rc = add_folder(out, inputs[i], err, errsz);
    } else if ((rc = add(out, inputs[i])) != BUDGET_EXIT_OK) {
      snprintf(err, errsz, "%s: out of memory, or over %d documents",
               inputs[i], BATCH_MAX_DOCUMENTS);
    }
  }
  if (rc == BUDGET_EXIT_OK && name_all(out) != 0) {
    snprintf(err, errsz, "out of memory naming %zu documents", out->n);
    rc = BUDGET_EXIT_RESOURCE;
  }
  if (rc != BUDGET_EXIT_OK)
    batch_inputs_free(out);
  return rc;
}
