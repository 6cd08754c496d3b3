#include "soap/wellformed.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "ews/errors.h"
#include "core/utf8.h"

/* A name in the document: offset and length. */
typedef struct span {
    size_t at;
    size_t len;
} span;

typedef struct open_element {
    span name;
    size_t prefixes; /* declared prefixes in scope before its own */
    size_t text;     /* profile: where its first text is, or NO_TEXT */
    int children;    /* profile: whether it has a child element */
} open_element;

#define NO_TEXT ((size_t)-1)

typedef struct attribute {
    span name;
    size_t colon; /* prefix length, 0 without one */
    unsigned slot;
} attribute;

#define ATTR_SLOTS 512 /* power of two, twice EWS_XML_MAX_ATTRIBUTES */

typedef struct scanner {
    const unsigned char *s;
    size_t len, i;
    int rc;
    ews_xml_verdict *v;

    open_element *open;
    size_t depth, open_cap;
    unsigned int max_depth;
    open_element first_open[64];

    span prefixes[EWS_XML_MAX_PREFIXES];
    size_t nprefixes;

    attribute attrs[EWS_XML_MAX_ATTRIBUTES];
    size_t nattrs;
    uint16_t slots[ATTR_SLOTS]; /* attribute index + 1, or 0 */

    /* The response profile (NULL: plain well-formedness). */
    const ews_xml_profile *profile;
    size_t max_name; /* 0: any */
    int mixed;       /* refuse mixed content */
    char ns_small[256]; /* a decoded namespace name, or ns_big when longer */
    char *ns_big;
    size_t ns_big_cap;
} scanner;

static int fail_at(scanner *sc, size_t at, int rc, const char *why)
{
    sc->rc = rc;
    sc->v->offset = at;
    sc->v->why = why;
    sc->v->quote_len = 0;
    sc->v->profile = 0;
    return rc;
}

/* A refusal of the profile's: the document is well-formed up to here. */
static int refuse(scanner *sc, size_t at, int rc, const char *why, size_t quote_len)
{
    fail_at(sc, at, rc, why);
    sc->v->quote_len = quote_len;
    sc->v->profile = 1;
    return rc;
}

static int fail(scanner *sc, const char *why)
{
    return fail_at(sc, sc->i, EWS_EPARSE, why);
}

static int at_end(const scanner *sc)
{
    return sc->i >= sc->len;
}

static int looking_at(const scanner *sc, const char *lit)
{
    size_t l = strlen(lit);
    return sc->len - sc->i >= l && memcmp(sc->s + sc->i, lit, l) == 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whether white space was there to skip. */
static int skip_space(scanner *sc)
{
    size_t from = sc->i;
    while (sc->i < sc->len && is_space(sc->s[sc->i]))
        sc->i++;
    return sc->i > from;
}

/* ---- characters ----------------------------------------------------------
 * Most of a response is printable ASCII. A byte in 0x20-0x7F, or TAB, LF or
 * CR, is a whole character that XML allows, so the scan only has to stop at
 * the bytes that end the construct it is in (up to three), at bytes >= 0x80
 * (decoded and checked one character at a time) and at other controls. It
 * tests eight bytes at a time where it can. */

#if defined(__GNUC__) || defined(__clang__)
#define EWS_ALWAYS_INLINE __attribute__((always_inline))
#else
#define EWS_ALWAYS_INLINE
#endif

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t has_byte(uint64_t w, uint64_t t)
{
    uint64_t v = w ^ t;
    return (v - ONES) & ~v;
}

/* The high bit of each byte of w that is >= 0x80, < 0x20 (TAB, LF and CR
 * included: they leave the word test to the slow path) or t1, t2 or t3
 * (given repeated in every byte). Bytes above the first flagged one may be
 * flagged falsely (a borrow runs on), the first one never. */
static uint64_t stop_bytes(uint64_t w, uint64_t t1, uint64_t t2, uint64_t t3)
{
    uint64_t below_space = (w - 0x20 * ONES) & ~w;
    return (w | below_space | has_byte(w, t1) | has_byte(w, t2) | has_byte(w, t3)) & HIGHS;
}

static int plain_byte(unsigned char b, unsigned char t1, unsigned char t2, unsigned char t3)
{
    return ((b >= 0x20 && b < 0x80) || b == '\t' || b == '\n' || b == '\r') && b != t1 &&
           b != t2 && b != t3;
}

/* The byte at *i is not plain ASCII: steps over it if it is TAB, LF, CR
 * or a well-formed character XML allows; 0, or the failure. */
static int other_char(scanner *sc, size_t *i)
{
    const unsigned char *s = sc->s;
    if (s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r') {
        ++*i;
        return 0;
    }
    uint32_t c;
    size_t n = ews_utf8_decode(s + *i, sc->len - *i, &c);
    if (!n) {
        sc->i = *i;
        return fail(sc, "ill-formed UTF-8");
    }
    if (!ews_xml_char(c)) {
        sc->i = *i;
        return fail(sc, "a character XML does not allow");
    }
    *i += n;
    return 0;
}

/* Steps over characters until one of t1, t2, t3 or the end; 0, or the
 * failure for a byte sequence that is not a character XML allows. Inlined
 * into each caller, where the three stop bytes are constants. */
EWS_ALWAYS_INLINE static inline int scan_chars(scanner *sc, unsigned char t1, unsigned char t2,
                                               unsigned char t3)
{
    const unsigned char *s = sc->s;
    const size_t len = sc->len;
    const uint64_t w1 = t1 * ONES, w2 = t2 * ONES, w3 = t3 * ONES;
    size_t i = sc->i;
    for (;;) {
        while (len - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, sizeof w);
            uint64_t stop = stop_bytes(w, w1, w2, w3);
            if (stop) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                i += (size_t)__builtin_ctzll(stop) >> 3; /* the first byte in memory */
#else
                while (plain_byte(s[i], t1, t2, t3))
                    i++;
#endif
                break;
            }
            i += 8;
        }
        while (i < len && plain_byte(s[i], t1, t2, t3))
            i++;
        if (i == len || s[i] == t1 || s[i] == t2 || s[i] == t3)
            break;
        if (other_char(sc, &i))
            return sc->rc;
    }
    sc->i = i;
    return 0;
}

/* ---- names ---------------------------------------------------------------- */

enum { NAME_START = 1, NAME_CHAR = 2 };

/* NAME_START | NAME_CHAR for A-Z a-z _ :, NAME_CHAR for 0-9 - ., by byte;
 * 0 for the rest and for bytes above ASCII (decoded separately). */
static const unsigned char ascii_name[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 0, 0, 0, 0, 0,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 3,
    0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* XML 1.0 fifth edition, NameStartChar and NameChar above ASCII. */
static int name_start_above_ascii(uint32_t c)
{
    return (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static int name_char_above_ascii(uint32_t c)
{
    return name_start_above_ascii(c) || c == 0xB7 || (c >= 0x300 && c <= 0x36F) ||
           (c >= 0x203F && c <= 0x2040);
}

/* Reads a Name at sc->i into *name; 0 or the failure. */
/* Index of the first byte at or after i that is not an ASCII name
 * character (A-Z a-z 0-9 _ : - .), or len. */
static size_t skip_ascii_name_chars(const unsigned char *s, size_t i, size_t len)
{
#if defined(__SSE2__)
    /* Sixteen bytes at a time: a start tag's name, or an attribute's, is
     * mostly read in one step. x <= m as unsigned bytes is min(x, m) == x. */
    const __m128i letter_span = _mm_set1_epi8(25), digit_span = _mm_set1_epi8(':' - '-');
    while (len - i >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i l = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
        __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(l, letter_span), l);
        __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('-')); /* - . / 0-9 : */
        __m128i dash_to_colon = _mm_cmpeq_epi8(_mm_min_epu8(d, digit_span), d);
        __m128i slash = _mm_cmpeq_epi8(v, _mm_set1_epi8('/'));
        __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
        __m128i ok = _mm_or_si128(_mm_or_si128(letter, underscore),
                                  _mm_andnot_si128(slash, dash_to_colon));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(ok) & 0xFFFFu;
        if (stop)
            return i + (size_t)__builtin_ctz(stop);
        i += 16;
    }
#endif
    while (i < len && (ascii_name[s[i]] & NAME_CHAR))
        i++;
    return i;
}

static int read_name(scanner *sc, span *name)
{
    const unsigned char *s = sc->s;
    size_t start = sc->i, i = sc->i, len = sc->len;
    if (i < len && s[i] < 0x80) {
        if (!(ascii_name[s[i]] & NAME_START))
            return fail(sc, "a name expected");
        i++;
    }
    for (;;) {
        i = skip_ascii_name_chars(s, i, len);
        if (i == len || s[i] < 0x80)
            break;
        uint32_t c;
        size_t n = ews_utf8_decode(s + i, len - i, &c);
        if (!n) {
            sc->i = i;
            return fail(sc, "ill-formed UTF-8");
        }
        if (!(i == start ? name_start_above_ascii(c) : name_char_above_ascii(c)))
            break;
        i += n;
    }
    if (i == start)
        return fail(sc, "a name expected");
    name->at = start;
    name->len = i - start;
    sc->i = i;
    return 0;
}

/* Length of the prefix of a qualified name (0 without one), or (size_t)-1
 * when it is not a QName of Namespaces in XML: one colon at most, not
 * first or last, and the local part an NCName, so starting with a
 * NameStartChar ("xmlns:-" is a Name but no QName). */
static size_t qname_prefix(const scanner *sc, span name)
{
    const unsigned char *p = sc->s + name.at;
    const unsigned char *colon = memchr(p, ':', name.len);
    if (!colon)
        return 0;
    size_t at = (size_t)(colon - p);
    if (at == 0 || at + 1 == name.len || memchr(colon + 1, ':', name.len - at - 1))
        return (size_t)-1;
    unsigned char c = colon[1];
    if (c == '-' || c == '.' || (c >= '0' && c <= '9'))
        return (size_t)-1;
    uint32_t cp;
    if (c >= 0x80 && (!ews_utf8_decode(colon + 1, name.len - at - 1, &cp) ||
                      !name_start_above_ascii(cp)))
        return (size_t)-1;
    return at;
}

static int span_is(const scanner *sc, size_t at, size_t len, const char *lit)
{
    return strlen(lit) == len && memcmp(sc->s + at, lit, len) == 0;
}

static int same_text(const scanner *sc, span a, span b)
{
    return a.len == b.len && memcmp(sc->s + a.at, sc->s + b.at, a.len) == 0;
}

/* ---- references ----------------------------------------------------------- */

/* A character reference at sc->i ("&#"): its value must be a character XML
 * allows, and at most five decimal or four hex digits long (see the
 * header). */
static int char_reference(scanner *sc)
{
    size_t i = sc->i + 2;
    int hex = i < sc->len && sc->s[i] == 'x';
    i += (size_t)hex;
    size_t start = i, max_digits = hex ? 4 : 5;
    uint32_t v = 0;
    for (; i < sc->len && i - start <= max_digits; i++) {
        unsigned char c = sc->s[i];
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
    if (i == start || i - start > max_digits || i >= sc->len || sc->s[i] != ';' ||
        !ews_xml_char(v))
        return fail(sc, "a character reference that is malformed, too long for the parser, or "
                        "names a character XML does not allow");
    sc->i = i + 1;
    return 0;
}

/* A reference at sc->i ("&"). */
static int reference(scanner *sc)
{
    if (sc->i + 1 < sc->len && sc->s[sc->i + 1] == '#')
        return char_reference(sc);
    size_t amp = sc->i;
    sc->i++;
    span name;
    if (read_name(sc, &name) || at_end(sc) || sc->s[sc->i] != ';')
        return fail_at(sc, amp, EWS_EPARSE, "a '&' that does not start a reference");
    static const char *const predefined[] = { "lt", "gt", "amp", "quot", "apos" };
    for (size_t k = 0; k < sizeof predefined / sizeof predefined[0]; k++) {
        if (span_is(sc, name.at, name.len, predefined[k])) {
            sc->i++;
            return 0;
        }
    }
    return fail_at(sc, amp, EWS_EPARSE,
                   "a reference to an entity other than the five XML predefines");
}

/* ---- markup other than elements -------------------------------------------- */

/* Steps over characters up to and past the terminator term (which starts
 * with a byte no other character there needs to stop at). */
static int scan_past(scanner *sc, const char *term, const char *unterminated)
{
    unsigned char first = (unsigned char)term[0];
    for (;;) {
        if (scan_chars(sc, first, first, first))
            return sc->rc;
        if (at_end(sc))
            return fail(sc, unterminated);
        if (looking_at(sc, term)) {
            sc->i += strlen(term);
            return 0;
        }
        sc->i++;
    }
}

/* After "<!--": "--" may only end it. */
static int comment(scanner *sc)
{
    if (scan_past(sc, "--", "the document ends inside a comment"))
        return sc->rc;
    if (at_end(sc) || sc->s[sc->i] != '>')
        return fail_at(sc, sc->i - 2, EWS_EPARSE, "'--' inside a comment");
    sc->i++;
    return 0;
}

static int ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* After "<?": a processing instruction other than the XML declaration. */
static int processing_instruction(scanner *sc)
{
    size_t start = sc->i - 2;
    span target;
    if (read_name(sc, &target))
        return sc->rc;
    if (target.len == 3 && ascii_lower(sc->s[target.at]) == 'x' &&
        ascii_lower(sc->s[target.at + 1]) == 'm' && ascii_lower(sc->s[target.at + 2]) == 'l')
        return fail_at(sc, start, EWS_EPARSE,
                       "an XML declaration (or a processing instruction named xml) that is "
                       "not at the very start");
    if (memchr(sc->s + target.at, ':', target.len))
        return fail_at(sc, target.at, EWS_EPARSE, "a processing instruction target with a colon");
    if (!skip_space(sc)) {
        if (looking_at(sc, "?>")) {
            sc->i += 2;
            return 0;
        }
        return fail(sc, "white space or '?>' expected after a processing instruction target");
    }
    return scan_past(sc, "?>", "the document ends inside a processing instruction");
}

/* A quoted pseudo-attribute value of the XML declaration; its span. */
static int decl_value(scanner *sc, const char *name, span *value)
{
    if (!looking_at(sc, name))
        return fail(sc, "a malformed XML declaration");
    sc->i += strlen(name);
    skip_space(sc);
    if (at_end(sc) || sc->s[sc->i] != '=')
        return fail(sc, "'=' expected in the XML declaration");
    sc->i++;
    skip_space(sc);
    if (at_end(sc) || (sc->s[sc->i] != '"' && sc->s[sc->i] != '\''))
        return fail(sc, "a quoted value expected in the XML declaration");
    unsigned char quote = sc->s[sc->i++];
    value->at = sc->i;
    while (sc->i < sc->len && sc->s[sc->i] != quote) {
        unsigned char c = sc->s[sc->i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return fail(sc, "a malformed value in the XML declaration");
        sc->i++;
    }
    if (at_end(sc))
        return fail(sc, "the document ends inside the XML declaration");
    value->len = sc->i - value->at;
    sc->i++;
    return 0;
}

static int equals_ignoring_case(const scanner *sc, span s, const char *lit)
{
    if (strlen(lit) != s.len)
        return 0;
    for (size_t k = 0; k < s.len; k++)
        if (ascii_lower(sc->s[s.at + k]) != (unsigned char)lit[k])
            return 0;
    return 1;
}

/* "<?xml" followed by white space, at sc->i. */
static int xml_declaration(scanner *sc)
{
    span v;
    sc->i += 5;
    skip_space(sc);
    if (decl_value(sc, "version", &v))
        return sc->rc;
    if (v.len < 3 || memcmp(sc->s + v.at, "1.", 2) != 0 ||
        strspn((const char *)sc->s + v.at + 2, "0123456789") < v.len - 2)
        return fail_at(sc, v.at, EWS_EPARSE, "an XML version other than 1.x");
    int space = skip_space(sc);
    if (space && looking_at(sc, "encoding")) {
        if (decl_value(sc, "encoding", &v))
            return sc->rc;
        if (!equals_ignoring_case(sc, v, "utf-8"))
            return fail_at(sc, v.at, EWS_EPARSE, "an encoding other than UTF-8");
        space = skip_space(sc);
    }
    if (space && looking_at(sc, "standalone")) {
        if (decl_value(sc, "standalone", &v))
            return sc->rc;
        if (!span_is(sc, v.at, v.len, "yes") && !span_is(sc, v.at, v.len, "no"))
            return fail_at(sc, v.at, EWS_EPARSE, "a standalone value other than yes or no");
        skip_space(sc);
    }
    if (!looking_at(sc, "?>"))
        return fail(sc, "a malformed XML declaration");
    sc->i += 2;
    return 0;
}

/* ---- elements ------------------------------------------------------------- */

static int prefix_declared(const scanner *sc, span prefix)
{
    if (span_is(sc, prefix.at, prefix.len, "xml"))
        return 1;
    for (size_t k = sc->nprefixes; k-- > 0;)
        if (same_text(sc, sc->prefixes[k], prefix))
            return 1;
    return 0;
}

static unsigned name_hash(const scanner *sc, span name)
{
    uint32_t h = 2166136261u;
    for (size_t k = 0; k < name.len; k++)
        h = (h ^ sc->s[name.at + k]) * 16777619u;
    return h & (ATTR_SLOTS - 1);
}

static const char xml_namespace[] = "http://www.w3.org/XML/1998/namespace";
static const char xmlns_namespace[] = "http://www.w3.org/2000/xmlns/";

/* The attribute value at `value` (checked: characters and the references
 * reference() accepts) with its references replaced, NUL-terminated, in
 * the scanner's scratch space; NULL when that cannot grow. */
static const char *decoded_value(scanner *sc, span value)
{
    char *out = sc->ns_small;
    if (value.len >= sizeof sc->ns_small) {
        if (value.len >= sc->ns_big_cap) {
            char *grown = realloc(sc->ns_big, value.len + 1);
            if (!grown)
                return NULL;
            sc->ns_big = grown;
            sc->ns_big_cap = value.len + 1;
        }
        out = sc->ns_big;
    }
    const unsigned char *s = sc->s + value.at, *end = s + value.len;
    size_t n = 0;
    while (s < end) {
        if (*s != '&') {
            out[n++] = (char)*s++;
            continue;
        }
        const unsigned char *semi = memchr(s, ';', (size_t)(end - s));
        if (s[1] != '#') {
            static const struct { const char *name; char c; } predefined[] = {
                { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
            };
            for (size_t k = 0; k < sizeof predefined / sizeof predefined[0]; k++)
                if (strncmp((const char *)s + 1, predefined[k].name, strlen(predefined[k].name)) == 0)
                    out[n++] = predefined[k].c;
        } else {
            int hex = s[2] == 'x';
            uint32_t v = (uint32_t)strtoul((const char *)s + 2 + hex, NULL, hex ? 16 : 10);
            /* At most U+FFFF (see char_reference): three bytes, fewer than
             * the reference takes. */
            n += ews_utf8_encode(v, out + n);
        }
        s = semi + 1;
    }
    out[n] = '\0';
    return out;
}

/* A namespace name declared at `value`, offered to the profile. */
static int namespace_name(scanner *sc, span value)
{
    if (!sc->profile || !sc->profile->check_namespace)
        return 0;
    const char *name = decoded_value(sc, value);
    if (!name)
        return fail_at(sc, value.at, EWS_ENOMEM, "out of memory checking the document");
    const char *why = NULL;
    int rc = sc->profile->check_namespace(sc->profile->ctx, name, &why);
    if (rc)
        return refuse(sc, value.at, rc, why ? why : "a namespace name the parser refuses",
                      value.len);
    return 0;
}

/* A namespace declaration xmlns:p="value" (prefix p at name.at + 6). */
static int declare_prefix(scanner *sc, const attribute *a, span value)
{
    span prefix = { a->name.at + 6, a->name.len - 6 };
    int is_xml = span_is(sc, prefix.at, prefix.len, "xml");
    int binds_xml = span_is(sc, value.at, value.len, xml_namespace);
    if (span_is(sc, prefix.at, prefix.len, "xmlns") || is_xml != binds_xml ||
        span_is(sc, value.at, value.len, xmlns_namespace))
        return fail_at(sc, a->name.at, EWS_EPARSE,
                       "a namespace declaration of a reserved prefix or name");
    if (value.len == 0)
        return fail_at(sc, a->name.at, EWS_EPARSE,
                       "a prefix declared with an empty namespace name");
    if (is_xml)
        return 0;
    if (sc->nprefixes == EWS_XML_MAX_PREFIXES)
        return fail_at(sc, a->name.at, EWS_ELIMIT,
                       "more namespace prefixes declared in scope than the check allows");
    sc->prefixes[sc->nprefixes++] = prefix;
    return namespace_name(sc, value);
}

/* An attribute at sc->i: Name Eq AttValue. */
static int attribute_(scanner *sc)
{
    if (sc->nattrs == EWS_XML_MAX_ATTRIBUTES)
        return fail_at(sc, sc->i, EWS_ELIMIT, "more attributes on one element than the check allows");
    attribute *a = &sc->attrs[sc->nattrs];
    if (read_name(sc, &a->name))
        return sc->rc;
    if (sc->max_name && a->name.len > sc->max_name)
        return refuse(sc, a->name.at, EWS_ELIMIT, "a name longer than the parser reads", 0);
    a->colon = qname_prefix(sc, a->name);
    if (a->colon == (size_t)-1)
        return fail_at(sc, a->name.at, EWS_EPARSE, "a name that is not a qualified name");

    unsigned slot = name_hash(sc, a->name);
    for (; sc->slots[slot]; slot = (slot + 1) & (ATTR_SLOTS - 1))
        if (same_text(sc, sc->attrs[sc->slots[slot] - 1].name, a->name))
            return fail_at(sc, a->name.at, EWS_EPARSE, "an attribute given twice on one element");
    a->slot = slot;
    sc->slots[slot] = (uint16_t)(++sc->nattrs);

    skip_space(sc);
    if (at_end(sc) || sc->s[sc->i] != '=')
        return fail(sc, "'=' expected after an attribute name");
    sc->i++;
    skip_space(sc);
    if (at_end(sc) || (sc->s[sc->i] != '"' && sc->s[sc->i] != '\''))
        return fail(sc, "an attribute value without quotes");
    unsigned char quote = sc->s[sc->i++];
    span value = { sc->i, 0 };
    for (;;) {
        if (scan_chars(sc, quote, '<', '&'))
            return sc->rc;
        if (at_end(sc))
            return fail(sc, "the document ends inside an attribute value");
        unsigned char c = sc->s[sc->i];
        if (c == quote)
            break;
        if (c == '<')
            return fail(sc, "'<' in an attribute value");
        if (reference(sc))
            return sc->rc;
    }
    value.len = sc->i - value.at;
    sc->i++;

    if (a->colon == 5 && span_is(sc, a->name.at, 5, "xmlns"))
        return declare_prefix(sc, a, value);
    if (span_is(sc, a->name.at, a->name.len, "xmlns")) {
        if (span_is(sc, value.at, value.len, xml_namespace) ||
            span_is(sc, value.at, value.len, xmlns_namespace))
            return fail_at(sc, a->name.at, EWS_EPARSE,
                           "a namespace declaration of a reserved prefix or name");
        if (value.len) /* xmlns="" only undeclares the default */
            return namespace_name(sc, value);
    }
    return 0;
}

static int push_open(scanner *sc, span name, size_t prefixes)
{
    if (sc->depth == sc->open_cap) {
        size_t cap = sc->open_cap * 2;
        if (cap > sc->max_depth)
            cap = sc->max_depth;
        open_element *grown;
        if (sc->open == sc->first_open) {
            grown = malloc(cap * sizeof *grown);
            if (grown)
                memcpy(grown, sc->open, sc->depth * sizeof *grown);
        } else {
            grown = realloc(sc->open, cap * sizeof *grown);
        }
        if (!grown)
            return fail_at(sc, name.at, EWS_ENOMEM, "out of memory checking the document");
        sc->open = grown;
        sc->open_cap = cap;
    }
    sc->open[sc->depth].name = name;
    sc->open[sc->depth].prefixes = prefixes;
    sc->open[sc->depth].text = NO_TEXT;
    sc->open[sc->depth].children = 0;
    sc->depth++;
    return 0;
}

/* A start tag or empty-element tag at sc->i ("<" and a name start). */
static int start_tag(scanner *sc)
{
    size_t lt = sc->i++;
    span name;
    if (read_name(sc, &name))
        return sc->rc;
    if (sc->max_name && name.len > sc->max_name)
        return refuse(sc, name.at, EWS_ELIMIT, "a name longer than the parser reads", 0);
    if (sc->depth >= sc->max_depth)
        return fail_at(sc, lt, EWS_ELIMIT, "elements nested deeper than the max_depth limit");
    size_t colon = qname_prefix(sc, name);
    if (colon == (size_t)-1)
        return fail_at(sc, name.at, EWS_EPARSE, "a name that is not a qualified name");
    size_t prefixes = sc->nprefixes;
    int empty = 0, rc = 0;
    sc->nattrs = 0;
    for (;;) {
        int space = skip_space(sc);
        if (at_end(sc)) {
            rc = fail(sc, "the document ends inside a start tag");
            break;
        }
        if (sc->s[sc->i] == '>') {
            sc->i++;
            break;
        }
        if (looking_at(sc, "/>")) {
            sc->i += 2;
            empty = 1;
            break;
        }
        if (!space) {
            rc = fail(sc, "white space expected between attributes");
            break;
        }
        if ((rc = attribute_(sc)) != 0)
            break;
    }
    for (size_t k = 0; k < sc->nattrs; k++)
        sc->slots[sc->attrs[k].slot] = 0;
    if (rc)
        return rc;

    /* Prefixes are declared by any attribute of the tag, so checked last. */
    if (colon) {
        span prefix = { name.at, colon };
        if (span_is(sc, prefix.at, prefix.len, "xmlns"))
            return fail_at(sc, name.at, EWS_EPARSE, "an element with the prefix xmlns");
        if (!prefix_declared(sc, prefix))
            return fail_at(sc, name.at, EWS_EPARSE, "a namespace prefix that is not declared");
    }
    for (size_t k = 0; k < sc->nattrs; k++) {
        const attribute *a = &sc->attrs[k];
        span prefix = { a->name.at, a->colon };
        if (a->colon && !span_is(sc, prefix.at, prefix.len, "xmlns") &&
            !prefix_declared(sc, prefix))
            return fail_at(sc, a->name.at, EWS_EPARSE, "a namespace prefix that is not declared");
    }
    if (empty) {
        sc->nprefixes = prefixes;
        return 0;
    }
    return push_open(sc, name, prefixes);
}

/* An end tag at sc->i ("</"). */
static int end_tag(scanner *sc)
{
    size_t lt = sc->i;
    sc->i += 2;
    const open_element *top = &sc->open[sc->depth - 1];
    /* The open element's name followed by something that cannot continue a
     * name is that name: no need to read it again. */
    size_t after = sc->i + top->name.len;
    if (after < sc->len && memcmp(sc->s + sc->i, sc->s + top->name.at, top->name.len) == 0 &&
        sc->s[after] < 0x80 && !(ascii_name[sc->s[after]] & NAME_CHAR)) {
        sc->i = after;
    } else {
        span name;
        if (read_name(sc, &name))
            return sc->rc;
        if (!same_text(sc, name, top->name))
            return fail_at(sc, lt, EWS_EPARSE, "an end tag that does not match the open element");
    }
    skip_space(sc);
    if (at_end(sc) || sc->s[sc->i] != '>')
        return fail(sc, "'>' expected to close an end tag");
    sc->i++;
    sc->nprefixes = top->prefixes;
    sc->depth--;
    return 0;
}

/* Markup starting with "<!" or "<?" that may appear in content and outside
 * the root: comments and processing instructions; CDATA only in content. */
static int other_markup(scanner *sc, int in_content)
{
    if (looking_at(sc, "<!--")) {
        sc->i += 4;
        return comment(sc);
    }
    if (looking_at(sc, "<?")) {
        sc->i += 2;
        return processing_instruction(sc);
    }
    if (in_content && looking_at(sc, "<![CDATA[")) {
        sc->i += 9;
        return scan_past(sc, "]]>", "the document ends inside a CDATA section");
    }
    if (looking_at(sc, "<!DOCTYPE"))
        return fail(sc, "a document type declaration (EWS responses have none; none is read)");
    return fail(sc, "a malformed '<!' construct");
}

static const char mixed_why[] =
    "text beside child elements (mixed content, which no EWS type has; the parser would skip "
    "the elements after the text)";

/* Profile: text in the open element's content at [from, to). Comments and
 * processing instructions are not text; CDATA and references are. */
static int note_text(scanner *sc, size_t from, size_t to)
{
    open_element *top = &sc->open[sc->depth - 1];
    if (top->text != NO_TEXT)
        return 0;
    while (from < to && is_space(sc->s[from]))
        from++;
    if (from == to)
        return 0;
    top->text = from;
    return top->children ? refuse(sc, from, EWS_EPARSE, mixed_why, 0) : 0;
}

/* Profile: a child element starts in the open element. */
static int note_child(scanner *sc)
{
    open_element *top = &sc->open[sc->depth - 1];
    top->children = 1;
    return top->text != NO_TEXT ? refuse(sc, top->text, EWS_EPARSE, mixed_why, 0) : 0;
}

/* The root element's content up to and with its end tag. */
static int content(scanner *sc)
{
    while (sc->depth > 0) {
        size_t from = sc->i;
        if (scan_chars(sc, '<', '&', ']'))
            return sc->rc;
        if (sc->mixed && sc->i > from && note_text(sc, from, sc->i))
            return sc->rc;
        if (at_end(sc))
            return fail(sc, "the document ends before its elements are closed");
        unsigned char c = sc->s[sc->i];
        if (c == ']') {
            if (looking_at(sc, "]]>"))
                return fail(sc, "']]>' in text");
            if (sc->mixed && note_text(sc, sc->i, sc->i + 1))
                return sc->rc;
            sc->i++;
        } else if (c == '&') {
            if (sc->mixed && note_text(sc, sc->i, sc->i + 1))
                return sc->rc;
            if (reference(sc))
                return sc->rc;
        } else if (sc->i + 1 < sc->len && sc->s[sc->i + 1] == '/') {
            if (end_tag(sc))
                return sc->rc;
        } else if (sc->i + 1 < sc->len &&
                   (sc->s[sc->i + 1] == '!' || sc->s[sc->i + 1] == '?')) {
            if (sc->mixed && looking_at(sc, "<![CDATA[") && note_text(sc, sc->i, sc->i + 1))
                return sc->rc;
            if (other_markup(sc, 1))
                return sc->rc;
        } else {
            if (sc->mixed && note_child(sc))
                return sc->rc;
            if (start_tag(sc))
                return sc->rc;
        }
    }
    return 0;
}

/* White space, comments and processing instructions before or after the
 * root; stops at the root's "<" or the end. */
static int misc(scanner *sc)
{
    for (;;) {
        skip_space(sc);
        if (at_end(sc))
            return 0;
        if (sc->s[sc->i] != '<')
            return fail(sc, "text outside the root element");
        if (sc->i + 1 < sc->len && (sc->s[sc->i + 1] == '!' || sc->s[sc->i + 1] == '?')) {
            if (other_markup(sc, 0))
                return sc->rc;
            continue;
        }
        return 0;
    }
}

static int document(scanner *sc)
{
    if (looking_at(sc, "\xEF\xBB\xBF"))
        sc->i += 3;
    if (looking_at(sc, "<?xml") && sc->len - sc->i > 5 && is_space(sc->s[sc->i + 5]) &&
        xml_declaration(sc))
        return sc->rc;
    if (misc(sc))
        return sc->rc;
    if (at_end(sc))
        return fail(sc, "no root element");
    if (sc->i + 1 < sc->len && sc->s[sc->i + 1] == '/')
        return fail(sc, "an end tag without a start tag");
    if (start_tag(sc) || content(sc) || misc(sc))
        return sc->rc;
    if (!at_end(sc))
        return fail(sc, "a second root element");
    return 0;
}

static int check(const char *data, size_t len, unsigned int max_depth,
                 const ews_xml_profile *profile, ews_xml_verdict *verdict)
{
    /* About 15 kB: on the stack, so the check adds no allocation to a parse
     * that nests no deeper than 64. */
    scanner sc;
    sc.s = (const unsigned char *)data;
    sc.len = len;
    sc.i = 0;
    sc.rc = 0;
    sc.v = verdict;
    sc.open = sc.first_open;
    sc.depth = 0;
    sc.open_cap = sizeof sc.first_open / sizeof sc.first_open[0];
    sc.max_depth = max_depth;
    sc.nprefixes = 0;
    sc.nattrs = 0;
    memset(sc.slots, 0, sizeof sc.slots);
    sc.profile = profile;
    sc.max_name = profile ? profile->max_name : 0;
    sc.mixed = profile ? profile->no_mixed_content : 0;
    sc.ns_big = NULL;
    sc.ns_big_cap = 0;
    int rc = document(&sc);
    if (sc.open != sc.first_open)
        free(sc.open);
    free(sc.ns_big);
    return rc;
}

int ews_xml_check_document(const char *data, size_t len, unsigned int max_depth,
                           ews_xml_verdict *verdict)
{
    return check(data, len, max_depth, NULL, verdict);
}

int ews_xml_check_response(const char *data, size_t len, const ews_xml_profile *profile,
                           ews_xml_verdict *verdict)
{
    return check(data, len, profile->max_depth, profile, verdict);
}

/* Index of the first byte at or after i that is a or b, or len. */
static size_t first_of(const char *data, size_t len, size_t i, char a, char b)
{
    while (i < len && data[i] != a && data[i] != b)
        i++;
    return i;
}

/* Index just past the first occurrence of lit at or after i, or len. */
static size_t past(const char *data, size_t len, size_t i, const char *lit)
{
    size_t l = strlen(lit);
    for (; i + l <= len; i++)
        if (memcmp(data + i, lit, l) == 0)
            return i + l;
    return len;
}

int ews_xml_guess_root(const char *data, size_t len, size_t *at, size_t *name_len)
{
    size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    for (;;) {
        while (i < len && is_space((unsigned char)data[i]))
            i++;
        if (i + 1 >= len || data[i] != '<')
            return 0;
        if (data[i + 1] == '?') {
            i = past(data, len, i + 2, "?>");
        } else if (len - i >= 4 && memcmp(data + i, "<!--", 4) == 0) {
            i = past(data, len, i + 4, "-->");
        } else if (data[i + 1] == '!') {
            /* A DOCTYPE, with an internal subset in brackets or not. One
             * scan for whichever comes first: looking for each separately
             * ran to the end for every '<!x>' without a '[' (quadratic). */
            size_t j = first_of(data, len, i + 2, '>', '[');
            if (j < len && data[j] == '[')
                i = past(data, len, past(data, len, j + 1, "]"), ">");
            else
                i = j < len ? j + 1 : len;
        } else {
            break;
        }
    }
    size_t start = ++i;
    while (i < len && (ascii_name[(unsigned char)data[i]] & NAME_CHAR))
        i++;
    if (i == start)
        return 0;
    *at = start;
    *name_len = i - start;
    return 1;
}
