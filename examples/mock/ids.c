#include "ids.h"

#include <string.h>
#include <time.h>

#include <openssl/rand.h>

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void mock_new_id(char out[MOCK_ID_SIZE], mock_id_kind kind)
{
    /* Exchange's ids are base64 of a binary entry id whose first bytes say
     * what it names; these three bytes give the familiar "AAMk"/"AAQk". */
    unsigned char raw[30] = { 0x00, kind == MOCK_ID_PERSONA ? 0x04 : 0x03, 0x24 };
    static unsigned long long counter;
    unsigned long long n = __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED);
    unsigned long long t = (unsigned long long)time(NULL);
    for (int i = 0; i < 8; i++) {
        raw[3 + i] = (unsigned char)(n >> (8 * i));
        raw[11 + i] = (unsigned char)(t >> (8 * i));
    }
    /* The random tail keeps ids of different runs apart; were it to fail,
     * counter and time still do within one run. */
    if (RAND_bytes(raw + 19, (int)(sizeof raw - 19)) != 1)
        memset(raw + 19, 0, sizeof raw - 19);
    char *o = out;
    for (size_t i = 0; i < sizeof raw; i += 3) {
        unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];
        *o++ = b64[v >> 18 & 63];
        *o++ = b64[v >> 12 & 63];
        *o++ = b64[v >> 6 & 63];
        *o++ = b64[v & 63];
    }
    *o = '\0';
}
