/*
** charreq_gen: writes charreq_seeds.c, the sets of the classes budget
** rules use most, learned by charreq.c itself (charreq_class() on an
** unseeded cache), with the PCRE2 and Unicode versions they were learned
** under. A build step (normalize/CMakeLists.txt), not installed:
**
**   charreq_gen OUT.c
**
** Exit: 0, or 1 when a class cannot be learned or OUT cannot be written.
*/
#include <stdio.h>
#include <string.h>

#include "charreq.h"

/* The classes and escapes PCRE2 is asked about character by character
** (charreq.c); negated ones and '.' are known without asking. */
static const char *const common[] = {"\\s", "\\d", "\\w", "\\h", "\\v",
                                     "\\p{Han}"};

static void put_u64s(FILE *f, const uint64_t *v, size_t n)
{
  fputc('{', f);
  for (size_t i = 0; i < n; i++)
    fprintf(f, "%s0x%016llxu", i ? ", " : "", (unsigned long long)v[i]);
  fputc('}', f);
}

static void put_set(FILE *f, const char_set *s)
{
  fprintf(f, "     .ascii = ");
  put_u64s(f, s->ascii, 2);
  fprintf(f, ",\n     .lead = 0x%016llxu,\n     .nexact = %u,\n",
          (unsigned long long)s->lead, s->nexact);
  if (s->nexact) {
    fprintf(f, "     .exact = {");
    for (unsigned i = 0; i < s->nexact; i++)
      fprintf(f, "%s{0x%02x, 0x%02x, 0x%02x, 0x%02x}", i ? ", " : "",
              s->exact[i][0], s->exact[i][1], s->exact[i][2], s->exact[i][3]);
    fprintf(f, "},\n     .exact_len = {");
    for (unsigned i = 0; i < s->nexact; i++)
      fprintf(f, "%s%u", i ? ", " : "", s->exact_len[i]);
    fprintf(f, "},\n");
  }
  fprintf(f, "     .exact_bloom = ");
  put_u64s(f, s->exact_bloom, 8);
  fprintf(f, ",\n     .exact_leads = 0x%016llxu,\n"
             "     .exact_lasts = 0x%016llxu}",
          (unsigned long long)s->exact_leads,
          (unsigned long long)s->exact_lasts);
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: charreq_gen OUT.c\n");
    return 1;
  }
  charreq_cache *c = charreq_cache_new(0);
  if (!c)
    return 1;
  char versions[160];
  charreq_versions(versions, sizeof versions);
  FILE *f = fopen(argv[1], "w");
  if (!f) {
    perror(argv[1]);
    charreq_cache_free(c);
    return 1;
  }
  fprintf(f, "/* Written by charreq_gen (normalize/charreq_gen.c) at build "
             "time: do not edit. */\n#include \"charreq.h\"\n\n"
             "const char charreq_seeds_versions[] = \"%s\";\n\n"
             "const charreq_seed charreq_seeds[] = {\n",
          versions);
  int rc = 0;
  size_t n = sizeof common / sizeof *common;
  for (size_t i = 0; i < n && !rc; i++) {
    char_set s;
    if (charreq_class(c, common[i], &s) != 0) {
      fprintf(stderr, "charreq_gen: %s: not a class\n", common[i]);
      rc = 1;
      break;
    }
    fprintf(f, "    {\"");
    for (const char *p = common[i]; *p; p++)
      fprintf(f, *p == '\\' ? "\\\\" : "%c", *p);
    fprintf(f, "\",\n    {");
    put_set(f, &s);
    fprintf(f, "},\n");
  }
  fprintf(f, "};\n\nconst size_t charreq_nseeds = %zu;\n", n);
  if (fclose(f) != 0)
    rc = 1;
  charreq_cache_free(c);
  if (rc)
    remove(argv[1]);
  return rc;
}
