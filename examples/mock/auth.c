#include "auth.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "core/buf.h"
#include "util.h"

#define REALM "ews-mock"

long mock_base64_decode(const char *in, size_t inlen, unsigned char *out, size_t outlen)
{
    /* OpenSSL's decoder is lenient (blanks around the text, any bits
     * under the padding): the input must be what encoding the result
     * gives back, which checks the length, the alphabet and the padding
     * at once. */
    if (inlen % 4 || inlen > (size_t)INT_MAX || inlen / 4 * 3 > outlen)
        return -1;
    if (inlen == 0)
        return 0;
    int n = EVP_DecodeBlock(out, (const unsigned char *)in, (int)inlen);
    if (n < 0)
        return -1;
    size_t len = (size_t)n - (in[inlen - 1] == '=') - (in[inlen - 2] == '=');
    unsigned char *again = malloc(inlen + 1);
    int same = again && EVP_EncodeBlock(again, out, (int)len) == (int)inlen &&
               memcmp(again, in, inlen) == 0;
    if (again)
        ews_secure_zero(again, inlen + 1);
    free(again);
    if (!same) {
        ews_secure_zero(out, inlen / 4 * 3);
        return -1;
    }
    return (long)len;
}

/* "<scheme> <credentials>": the credentials when the scheme matches. */
static const char *credentials(const char *authorization, const char *scheme)
{
    size_t n = strlen(scheme);
    if (!authorization || strncasecmp(authorization, scheme, n) != 0 || authorization[n] != ' ')
        return NULL;
    const char *c = authorization + n;
    while (*c == ' ')
        c++;
    return c;
}

static mock_auth_result check_basic(const mock_auth_config *cfg, const char *authorization)
{
    const char *b64 = credentials(authorization, "Basic");
    if (!b64)
        return MOCK_AUTH_MISSING;
    unsigned char plain[1024];
    long n = mock_base64_decode(b64, strlen(b64), plain, sizeof plain - 1);
    if (n < 0)
        return MOCK_AUTH_WRONG;
    plain[n] = '\0';
    char *colon = memchr(plain, ':', (size_t)n);
    mock_auth_result r = MOCK_AUTH_WRONG;
    if (colon) {
        *colon = '\0';
        const char *pass = colon + 1;
        size_t passlen = (size_t)n - (size_t)(colon + 1 - (char *)plain);
        /* Evaluate both so the timing does not tell which one was wrong. */
        int user_ok = mock_secret_equal((const char *)plain, (size_t)(colon - (char *)plain),
                                        cfg->username);
        int pass_ok = mock_secret_equal(pass, passlen, cfg->password);
        if (user_ok && pass_ok)
            r = MOCK_AUTH_OK;
    }
    ews_secure_zero(plain, sizeof plain);
    return r;
}

static mock_auth_result check_bearer(const mock_auth_config *cfg, const char *authorization)
{
    const char *token = credentials(authorization, "Bearer");
    if (!token)
        return MOCK_AUTH_MISSING;
    return mock_secret_equal(token, strlen(token), cfg->token) ? MOCK_AUTH_OK : MOCK_AUTH_WRONG;
}

mock_auth_result mock_auth_check(const mock_auth_config *cfg, const char *authorization)
{
    switch (cfg->kind) {
    case EWS_MOCK_AUTH_BASIC:
        return check_basic(cfg, authorization);
    case EWS_MOCK_AUTH_BEARER:
        return check_bearer(cfg, authorization);
    default:
        return MOCK_AUTH_OK;
    }
}

void mock_auth_challenge(const mock_auth_config *cfg, mock_auth_result result, char *out,
                         size_t outlen)
{
    if (cfg->kind == EWS_MOCK_AUTH_BEARER)
        snprintf(out, outlen, result == MOCK_AUTH_WRONG
                                  ? "Bearer realm=\"" REALM "\", error=\"invalid_token\""
                                  : "Bearer realm=\"" REALM "\"");
    else
        snprintf(out, outlen, "Basic realm=\"" REALM "\"");
}
