/* HTTP authentication as the mock offers it: none, Basic or Bearer. */
#ifndef EWS_MOCK_AUTH_H
#define EWS_MOCK_AUTH_H

#include <stddef.h>

#include "ews_mock.h"

typedef struct mock_auth_config {
    ews_mock_auth kind;
    const char *username;   /* the identity of every authenticated caller */
    const char *password;
    const char *token;
} mock_auth_config;

typedef enum mock_auth_result {
    MOCK_AUTH_OK = 0,
    MOCK_AUTH_MISSING,      /* no credentials of the expected scheme */
    MOCK_AUTH_WRONG         /* credentials that do not match */
} mock_auth_result;

/* Checks an Authorization header value (NULL when absent). */
mock_auth_result mock_auth_check(const mock_auth_config *cfg, const char *authorization);

/* The WWW-Authenticate value for a 401 after result. */
void mock_auth_challenge(const mock_auth_config *cfg, mock_auth_result result, char *out,
                         size_t outlen);

/* RFC 4648 base64 into out: padded, in the standard alphabet, without
 * blanks or stray bits under the padding. The decoded length, or -1 when
 * malformed or when outlen is less than three bytes per four of input.
 * Exposed for the unit tests. */
long mock_base64_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen);

#endif
