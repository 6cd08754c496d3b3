/* The character-level pre-scan the library had before its well-formedness
 * check (runtime/src/core/utf8.c as commit 7e000b1 left it, before its ASCII
 * fast path), unchanged but for the UTF-8 decoding and XML character test
 * it now shares with the library (utf8.h): ews-bench-textcheck checks that
 * the library refuses everything this refuses, and compares their speed. */
#include "text_check_ref.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"

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

size_t ref_xml_text_check(const char *data, size_t len, const char **why)
{
    const char *reason = NULL;
    const char *section_end = NULL; /* in a comment or CDATA: no references */
    size_t i = 0;
    while (i < len) {
        const char *p = data + i;
        size_t left = len - i;
        uint32_t c;
        size_t n = ews_utf8_decode((const unsigned char *)p, left, &c);
        if (!n) {
            reason = "ill-formed UTF-8";
            break;
        }
        if (!ews_xml_char(c)) {
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
        } else if (c == '&' && left > 1 && p[1] == '#') {
            uint32_t v;
            n = char_ref(p, left, &v);
            if (!n || !ews_xml_char(v)) {
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

