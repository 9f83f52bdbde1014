#include "batch_inputs.h"

#include <dirent.h>
#include <errno.h>
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

static int name_taken(const batch_list *l, const char *name)
{
  if (!strcmp(name, "long.csv") || !strcmp(name, "failures.csv"))
    return 1;
  for (size_t i = 0; i < l->n; i++)
    if (!strcmp(l->docs[i].name, name))
      return 1;
  return 0;
}

/* The folder name for path: its base name without .pdf/.txt, made unique
** in l. malloc'd, NULL on OOM. */
static char *unique_name(const batch_list *l, const char *path)
{
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  char stem[BATCH_MAX_NAME + 4];
  size_t n = strlen(base);
  if (has_doc_extension(base))
    n -= 4;
  if (n > BATCH_MAX_NAME)
    n = BATCH_MAX_NAME; /* a byte cut: the -N suffix keeps it unique */
  memcpy(stem, base, n);
  stem[n] = '\0';
  /* "." and hidden names would hide the folder, or be the staging one */
  if (!stem[0] || stem[0] == '.') {
    memmove(stem + 3, stem, n + 1);
    memcpy(stem, "doc", 3);
  }
  char cand[BATCH_MAX_NAME + 32];
  snprintf(cand, sizeof cand, "%s", stem);
  for (unsigned k = 2; name_taken(l, cand); k++)
    snprintf(cand, sizeof cand, "%s-%u", stem, k);
  return strdup(cand);
}

static int add(batch_list *l, const char *path)
{
  if (l->n >= BATCH_MAX_DOCUMENTS)
    return BUDGET_EXIT_RESOURCE;
  if (vec_reserve(&l->docs, &l->cap, l->n + 1, sizeof *l->docs, 16) != 0)
    return BUDGET_EXIT_RESOURCE;
  batch_doc *d = &l->docs[l->n];
  d->path = strdup(path);
  d->name = d->path ? unique_name(l, path) : NULL;
  if (!d->path || !d->name) {
    free(d->path);
    free(d->name);
    return BUDGET_EXIT_RESOURCE;
  }
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
  if (rc != BUDGET_EXIT_OK)
    batch_inputs_free(out);
  return rc;
}
