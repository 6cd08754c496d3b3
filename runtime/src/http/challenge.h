/* The WWW-Authenticate challenge list of a 401: which schemes a server
 * offers and the token68 of an NTLM / Negotiate leg. */
#ifndef EWS_HTTP_CHALLENGE_H
#define EWS_HTTP_CHALLENGE_H

#include <stddef.h>

#define EWS_AUTH_MAX_CHALLENGES 16

typedef struct ews_auth_challenge {
    const char *scheme;   /* points into the parsed text, not terminated */
    size_t scheme_len;
    const char *token;    /* token68 (NTLM / Negotiate leg), NULL if none */
    size_t token_len;
} ews_auth_challenge;

/* Splits one or more comma-joined WWW-Authenticate values into challenges
 * (RFC 9110 section 11.6.1: schemes followed by a token68 or auth-params).
 * Returns the number found, at most max; never fails. */
size_t ews_auth_parse_challenges(const char *value, ews_auth_challenge *out, size_t max);

/* The first challenge of scheme (case-insensitive), or NULL. */
const ews_auth_challenge *ews_auth_find_challenge(const ews_auth_challenge *list, size_t n,
                                                  const char *scheme);

#endif
