/* base64 (RFC 4648, with padding), OpenSSL's, for authentication tokens
 * and the Basic credentials the call path masks in error records. */
#ifndef EWS_BASE64_H
#define EWS_BASE64_H

#include <stddef.h>

/* New NUL-terminated text, NULL on ENOMEM. */
char *ews_base64_encode(const void *data, size_t len);
/* New buffer (*out_len bytes) or NULL when text is not valid base64 or on
 * ENOMEM (*bad is set for the former). */
unsigned char *ews_base64_decode(const char *text, size_t len, size_t *out_len, int *bad);

#endif
