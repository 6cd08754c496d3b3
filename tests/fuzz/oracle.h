/* What the fuzz harnesses and the allocation-failure sweep require of every
 * result and every error, beyond "it did not crash". A violation prints what
 * was wrong and aborts, so libFuzzer and the replay runner both report it. */
#ifndef EWS_FUZZ_ORACLE_H
#define EWS_FUZZ_ORACLE_H

#include <stddef.h>

#include "ews/imlist.h"
#include "core/buf.h"

/* Aborts with a message naming the broken promise. */
void oracle_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
int oracle_utf8_ok(const char *s, size_t len);

/* Walks every accessor of `list` over every group, persona, attribution and
 * attributed value, checks each promise of ews/imlist.h, and appends a
 * canonical text of everything it saw to `dump` (NULL: check only). */
void oracle_check_imlist(const ews_imlist *list, ews_buf *dump);

/* A failed call: rc is a known negative code equal to the record's code,
 * with a category and a non-empty message. */
void oracle_check_failure(int rc, const ews_error *e);

/* Strings an error record carries are text a caller may print or log. */
void oracle_check_error_strings(const ews_error *e);

#endif
