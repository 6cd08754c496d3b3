#include "core/strhash.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* SipHash rather than OpenSSL's EVP_MAC "SIPHASH": a MAC context per
 * look-up would cost more than the whole index build (tens of thousands of
 * ids per list). The algorithm is Aumasson and Bernstein's reference. */

static uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

static uint64_t le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1, v1 = rotl(v1, 13), v1 ^= v0, v0 = rotl(v0, 32);                                  \
        v2 += v3, v3 = rotl(v3, 16), v3 ^= v2;                                                     \
        v0 += v3, v3 = rotl(v3, 21), v3 ^= v0;                                                     \
        v2 += v1, v1 = rotl(v1, 17), v1 ^= v2, v2 = rotl(v2, 32);                                  \
    } while (0)

uint64_t ews_siphash24(const unsigned char key[16], const void *data, size_t len)
{
    const unsigned char *in = data;
    uint64_t k0 = le64(key), k1 = le64(key + 8);
    uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
    size_t whole = len - len % 8;
    for (size_t i = 0; i < whole; i += 8) {
        uint64_t m = le64(in + i);
        v3 ^= m;
        SIPROUND;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t last = (uint64_t)len << 56;
    for (size_t i = 0; i < len % 8; i++)
        last |= (uint64_t)in[whole + i] << (8 * i);
    v3 ^= last;
    SIPROUND;
    SIPROUND;
    v0 ^= last;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

static unsigned char process_key[16];
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void make_key(void)
{
    size_t got = 0;
    while (got < sizeof process_key) {
        ssize_t n = getrandom(process_key + got, sizeof process_key - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (got == sizeof process_key)
        return;
    /* No getrandom (a kernel before 3.17): what a remote server cannot
     * see - the key's own address under ASLR, the process id and the
     * monotonic clock - mixed; weaker, never fixed. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t seed[4] = { (uint64_t)(uintptr_t)process_key, (uint64_t)getpid(),
                         (uint64_t)ts.tv_sec, (uint64_t)ts.tv_nsec };
    unsigned char k[16];
    memcpy(k, seed, sizeof k);
    uint64_t a = ews_siphash24(k, seed, sizeof seed), b = ews_siphash24(k, &a, sizeof a);
    memcpy(process_key, &a, 8);
    memcpy(process_key + 8, &b, 8);
}

uint64_t ews_str_hash(const char *s)
{
    pthread_once(&key_once, make_key);
    return ews_siphash24(process_key, s, strlen(s));
}
