/* base64 through OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock. DecodeBlock
 * is lenient (it skips surrounding whitespace and needs padding), so the
 * shape is checked here first: the alphabet, at most two '=' at the end,
 * no dangling 6-bit group. */
#include "core/base64.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *ews_base64_encode(const void *data, size_t len)
{
    if (len > (size_t)INT_MAX / 4 * 3 - 3)
        return NULL;
    char *out = malloc((len + 2) / 3 * 4 + 1);
    if (out)
        EVP_EncodeBlock((unsigned char *)out, data, (int)len); /* NUL-terminates */
    return out;
}

unsigned char *ews_base64_decode(const char *text, size_t len, size_t *out_len, int *bad)
{
    *bad = 0;
    *out_len = 0;
    size_t pad = 0;
    while (len > 0 && text[len - 1] == '=' && pad < 2) {
        len--;
        pad++;
    }
    /* Servers send padded tokens; accept unpadded ones too, but never a
     * dangling single character (6 bits cannot make a byte). */
    if (len % 4 == 1 || (pad && (len + pad) % 4 != 0) || len > (size_t)INT_MAX / 2) {
        *bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if (!text[i] || !strchr(b64_alphabet, text[i])) {
            *bad = 1;
            return NULL;
        }
    /* DecodeBlock wants whole 4-character groups: pad a copy. */
    size_t groups = (len + 3) / 4;
    char *padded = malloc(groups * 4);
    unsigned char *out = malloc(groups * 3 + 1);
    if (!padded || !out) {
        free(padded);
        free(out);
        return NULL;
    }
    memcpy(padded, text, len);
    memset(padded + len, '=', groups * 4 - len);
    int n = EVP_DecodeBlock(out, (const unsigned char *)padded, (int)(groups * 4));
    free(padded);
    if (n < 0) {
        free(out);
        *bad = 1;
        return NULL;
    }
    /* DecodeBlock counts a zero byte for each '='. */
    *out_len = (size_t)n - (groups * 4 - len);
    return out;
}
