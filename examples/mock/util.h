/* Small helpers shared by the mock server's modules. */
#ifndef EWS_MOCK_UTIL_H
#define EWS_MOCK_UTIL_H

#include <stddef.h>

/* Formats a one-line message into err (errlen bytes); NULL err is allowed. */
void mock_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A random (version 4) UUID in its 36-character text form. */
void mock_uuid(char out[37]);

/* String equality in time independent of where the strings differ, so a
 * client cannot learn a password or token byte by byte from timings. */
int mock_secret_equal(const char *a, size_t alen, const char *b);

/* ASCII case-insensitive equality (e-mail addresses, header names). */
int mock_ieq(const char *a, const char *b);

/* malloc'd copy, NULL for NULL (and on allocation failure: check). */
char *mock_strdup(const char *s);

/* Whole file into a malloc'd NUL-terminated buffer; 0 or an errno value. */
int mock_read_file(const char *path, size_t max, char **data, size_t *len);

#endif
