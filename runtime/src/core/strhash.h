/* Hashes of strings from the server (persona and item ids) for the list's
 * look-up tables. Keyed with a random key per process: a server that
 * crafts colliding ids cannot know which ids collide here, so the tables'
 * probe chains stay short whatever the ids (docs/SECURITY.md, "Hash
 * tables"). */
#ifndef EWS_STRHASH_H
#define EWS_STRHASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of data[0..len) under the 16-byte key. */
uint64_t ews_siphash24(const unsigned char key[16], const void *data, size_t len);

/* SipHash-2-4 of the NUL-terminated s under this process's key. */
uint64_t ews_str_hash(const char *s);

#endif
