/*
** utf8.h: UTF-8 checks and the few code-point helpers the stages share.
**
** Validation follows RFC 3629 (no overlongs, no surrogates, nothing past
** U+10FFFF). Decoding never reads past the given length.
*/
#ifndef BUDGET_UTF8_H
#define BUDGET_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* 1 if s[0..n) is valid UTF-8 without NUL bytes; else 0 and, if bad_at is
** non-NULL, the byte offset of the first bad sequence. */
int utf8_valid(const char *s, size_t n, size_t *bad_at);

/* Decodes one code point at s (n bytes available). Returns its byte length
** (1..4) and stores the code point; on a bad sequence returns 1 and stores
** U+FFFD. n must be > 0. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* The characters of NUL-terminated s (valid UTF-8): its bytes that are
** not continuation bytes. */
size_t utf8_chars(const char *s);

/* Encodes cp into out (at least 4 bytes); returns the byte count. */
size_t utf8_encode(uint32_t cp, char *out);

/* 1 for CJK ideographs and CJK/full-width punctuation: the characters
** between which a line wrap leaves no space. */
int utf8_is_cjk(uint32_t cp);

#endif
