#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s[0..n) and its code point,
 * or 0. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
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

/* XML 1.0's Char production. */
static int xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Length of the character reference "&#...;" at s and its value, or 0 when
 * it is malformed or longer than the engine reads correctly: with more than
 * five decimal or four hex digits it decodes a prefix and leaves the rest
 * (";" at least) in the text. */
static size_t char_ref(const char *s, size_t n, uint32_t *value)
{
    size_t i = 2;
    int hex = i < n && s[i] == 'x';
    i += (size_t)hex;
    size_t start = i, max_digits = hex ? 4 : 5;
    uint32_t v = 0;
    for (; i < n && i - start <= max_digits; i++) {
        char c = s[i];
        uint32_t d;
        if (c >= '0' && c <= '9')
            d = (uint32_t)(c - '0');
        else if (hex && c >= 'a' && c <= 'f')
            d = (uint32_t)(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F')
            d = (uint32_t)(c - 'A' + 10);
        else
            break;
        v = v * (hex ? 16u : 10u) + d;
    }
    if (i == start || i - start > max_digits || i >= n || s[i] != ';')
        return 0;
    *value = v;
    return i + 1;
}

static int starts_with(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(s, lit, l) == 0;
}

/* ---- the fast path --------------------------------------------------------
 * Most of a response is printable ASCII. A byte in 0x20-0x7F, or TAB, LF or
 * CR, is a whole well-formed character that XML allows, and the check does
 * nothing with it but step over it unless it is part of something that
 * starts with two ASCII bytes: "<!" (a comment or CDATA section) or "&#" (a
 * character reference) outside a section, the section's terminator inside
 * one. skip_plain steps over plain bytes eight at a time where it can,
 * stopping at the *second* byte of such a start ("!", "#") or at the first
 * of a terminator; every byte that is not plain ASCII goes through the full
 * check, so the verdicts are the same as those of a byte-by-byte walk. */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether none of the eight bytes in w is >= 0x80, < 0x20 (TAB, LF and CR
 * included: they leave the word test to the byte loop), t1 or t2 (given
 * repeated in every byte). */
static int plain_word(uint64_t w, uint64_t t1, uint64_t t2)
{
    uint64_t below_space = (w - 0x20 * ONES) & ~w;
    uint64_t v1 = w ^ t1, v2 = w ^ t2;
    uint64_t is_t1 = (v1 - ONES) & ~v1, is_t2 = (v2 - ONES) & ~v2;
    return ((w | below_space | is_t1 | is_t2) & HIGHS) == 0;
}

static int plain_byte(unsigned char b, unsigned char t1, unsigned char t2)
{
    return ((b >= 0x20 && b < 0x80) || b == '\t' || b == '\n' || b == '\r') && b != t1 &&
           b != t2;
}

/* Index of the first byte at or after i that is not plain ASCII or is t1 or
 * t2, or len. */
static size_t skip_plain(const unsigned char *s, size_t i, size_t len, unsigned char t1,
                         unsigned char t2)
{
    const uint64_t w1 = t1 * ONES, w2 = t2 * ONES;
    for (;;) {
        while (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, sizeof w);
            if (!plain_word(w, w1, w2))
                break;
            i += 8;
        }
        /* A word with a TAB or line break in it, or the end: byte by byte. */
        size_t stop = len - i < 8 ? len : i + 8;
        while (i < stop && plain_byte(s[i], t1, t2))
            i++;
        if (i < stop || i == len)
            return i;
    }
}

size_t ews_xml_text_check(const char *data, size_t len, const char **why)
{
    const unsigned char *bytes = (const unsigned char *)data;
    const char *reason = NULL;
    const char *section_end = NULL; /* in a comment or CDATA: no references */
    size_t i = 0;
    while (i < len) {
        if (section_end) {
            i = skip_plain(bytes, i, len, (unsigned char)section_end[0],
                           (unsigned char)section_end[0]);
        } else {
            i = skip_plain(bytes, i, len, '!', '#');
            /* At "!" or "#": the "<" or "&" before it (stepped over as
             * plain) may start a section or a reference. No longer token
             * ends in "<" or "&", and a section that ended here ended in
             * ">", so that byte was a character of its own, outside any
             * section. */
            if (i < len && i > 0 && ((data[i] == '!' && data[i - 1] == '<') ||
                                     (data[i] == '#' && data[i - 1] == '&')))
                i--;
        }
        if (i == len)
            break;
        const char *p = data + i;
        size_t left = len - i;
        uint32_t c;
        size_t n = decode((const unsigned char *)p, left, &c);
        if (!n) {
            reason = "ill-formed UTF-8";
            break;
        }
        if (!xml_char(c)) {
            reason = "a character XML does not allow";
            break;
        }
        if (section_end) {
            if (starts_with(p, left, section_end)) {
                n = strlen(section_end);
                section_end = NULL;
            }
        } else if (c == '<' && starts_with(p, left, "<!--")) {
            section_end = "-->";
            n = 4;
        } else if (c == '<' && starts_with(p, left, "<![CDATA[")) {
            section_end = "]]>";
            n = 9;
        } else if (c == '<' && left > 1 && p[1] == '!') {
            n = 2; /* "<!" starting neither: two characters */
        } else if (c == '&' && left > 1 && p[1] == '#') {
            uint32_t v;
            n = char_ref(p, left, &v);
            if (!n || !xml_char(v)) {
                reason = "a character reference that is malformed, too long for the "
                         "parser, or names a character XML does not allow";
                break;
            }
        }
        i += n;
    }
    if (why)
        *why = reason;
    return reason ? i : len;
}

void ews_utf8_scrub(char *s)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = decode((const unsigned char *)s + i, len - i, &c);
        if (n) {
            i += n;
        } else {
            s[i++] = '?';
        }
    }
}
