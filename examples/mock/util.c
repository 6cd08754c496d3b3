#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

void mock_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

void mock_uuid(char out[37])
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1) {
        /* Request ids only need to be distinct, not secret. */
        static unsigned long fallback;
        memset(b, 0, sizeof b);
        unsigned long n = __atomic_add_fetch(&fallback, 1, __ATOMIC_RELAXED);
        memcpy(b, &n, sizeof n < sizeof b ? sizeof n : sizeof b);
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

int mock_secret_equal(const char *a, size_t alen, const char *b)
{
    if (!a || !b)
        return 0;
    size_t blen = strlen(b);
    /* Compare against ourselves when the lengths differ, so the time spent
     * does not depend on how long the secret is either. */
    const char *other = alen == blen ? b : a;
    int same = CRYPTO_memcmp(a, other, alen) == 0;
    return same && alen == blen;
}

int mock_ieq(const char *a, const char *b)
{
    return a && b && strcasecmp(a, b) == 0;
}

char *mock_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int mock_read_file(const char *path, size_t max, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? 0 : ENOMEM;
    while (!rc) {
        if (n == cap) {
            if (cap >= max) {
                rc = EFBIG;
                break;
            }
            cap = cap * 2 > max ? max : cap * 2;
            char *p = realloc(buf, cap + 1);
            if (!p) {
                rc = ENOMEM;
                break;
            }
            buf = p;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f))
                rc = EIO;
            break;
        }
    }
    fclose(f);
    if (rc) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}
