#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

void ews_utf8_scrub(char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = ews_utf8_decode((const unsigned char *)s + i, len - i, &c);
        if (n) {
            i += n;
        } else {
            s[i++] = '?';
        }
    }
}
