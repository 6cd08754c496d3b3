/* Writing a file so that a crash at any moment leaves either the old or the
 * new content, never a mixture or a truncated file. */
#ifndef EWS_MOCK_PERSIST_H
#define EWS_MOCK_PERSIST_H

#include <stddef.h>

/* Replaces path (absolute, not a symbolic link) with data[0..len): written
 * to "<path>.tmp" in the same directory, flushed to disk, renamed over
 * path, and the directory flushed so the rename itself survives a crash.
 * The new file keeps the old one's permission bits. 0 once the rename is
 * done, or an errno value with path unchanged. */
int mock_persist_replace(const char *path, const char *data, size_t len);

#endif
