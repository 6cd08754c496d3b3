/* The one implementation of UTF-8 decoding and encoding and of XML 1.0's
 * character rules: the response check (soap/wellformed.c), error texts,
 * argument checks, Autodiscover's answer and the CLI's output. */
#ifndef EWS_UTF8_H
#define EWS_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at s[0..n) (n >= 1) and its code
 * point, or 0 for overlong forms, surrogates, values above U+10FFFF, stray
 * or missing continuation bytes. */
static inline size_t ews_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t more;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        more = 1, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        more = 2, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        more = 3, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n <= more)
        return 0;
    for (size_t i = 1; i <= more; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return more + 1;
}

/* Writes code point cp (at most U+10FFFF, no surrogate: the caller has
 * checked it) as UTF-8 into out; returns the length, 1 to 4. */
static inline size_t ews_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* XML 1.0's Char production. */
static inline int ews_xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Replaces every byte of s that is not part of well-formed UTF-8 by '?', so
 * text cut at a byte limit (or copied from a broken response) stays
 * printable. */
void ews_utf8_scrub(char *s);

#endif
