/* Private scratch directories and the files tests put in them. */
#ifndef EWS_TS_TEMPDIR_H
#define EWS_TS_TEMPDIR_H

#include <stddef.h>

/* A new private directory under $TMPDIR (else /tmp); free with ts_rmtree.
 * NULL on failure. */
char *ts_tempdir(void);
/* Removes dir and everything under it, then frees the string; NULL is a
 * no-op. */
void ts_rmtree(char *dir);

/* dir/name in a new string (free). */
char *ts_join(const char *dir, const char *name);
/* Writes text to path: 0, or -1. */
int ts_write_file(const char *path, const char *text);
/* The whole file in a buffer of exactly its size (no terminator), so a
 * read past the given length trips ASan and valgrind. NULL when unreadable;
 * *len is 0 for an empty file, which still gives a non-NULL buffer. */
char *ts_read_file(const char *path, size_t *len);
/* The whole file, NUL-terminated (len may be NULL). NULL when unreadable. */
char *ts_read_text(const char *path, size_t *len);

/* A fresh self-signed certificate for 127.0.0.1 and localhost (nobody
 * trusts it): dir/cert.pem and dir/key.pem. 0, or -1. */
int ts_make_certificate(const char *dir);

#endif
