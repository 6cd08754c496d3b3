/* ews-imlist: terminal-safe text and display width.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Our own small tables instead of wcwidth(3): that needs a UTF-8 locale to
 * be installed and selected, and the output must line up the same in a
 * minimal container as on a desktop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/utf8.h"

/* The runtime's decoder (well-formed UTF-8 only: no overlong forms,
 * surrogates or values past U+10FFFF) over a NUL-terminated string: the
 * sequence at s, its length in bytes, or 0 for a bad one or the NUL. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    size_t avail = 0;
    while (avail < 4 && s[avail])
        avail++;
    return avail ? ews_utf8_decode(s, avail, cp) : 0;
}

typedef struct range {
    uint32_t lo, hi;
} range;

static int in(const range *r, size_t n, uint32_t cp)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi)
            return 1;
    return 0;
}

/* Characters that change how text is laid out rather than showing
 * anything: C0/C1 controls, DEL, and the bidirectional embeddings,
 * overrides and isolates (the "Trojan Source" family). */
static int unsafe(uint32_t cp)
{
    static const range r[] = {
        { 0x00, 0x1F }, { 0x7F, 0x9F }, { 0x202A, 0x202E }, { 0x2066, 0x2069 },
        { 0x200E, 0x200F }, { 0x061C, 0x061C },
    };
    return in(r, sizeof r / sizeof r[0], cp);
}

static int zero_width(uint32_t cp)
{
    static const range r[] = {
        { 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x0610, 0x061A },
        { 0x064B, 0x065F }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
        { 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200D }, { 0x2060, 0x2064 },
        { 0x20D0, 0x20FF }, { 0xFE00, 0xFE0F }, { 0xFE20, 0xFE2F }, { 0xFEFF, 0xFEFF },
        { 0xE0100, 0xE01EF },
    };
    return in(r, sizeof r / sizeof r[0], cp);
}

/* East Asian Wide and Fullwidth blocks, and the emoji most terminals draw
 * two cells wide. */
static int double_width(uint32_t cp)
{
    static const range r[] = {
        { 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
        { 0x2614, 0x2615 }, { 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF },
        { 0x4E00, 0x9FFF }, { 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 },
        { 0xF900, 0xFAFF }, { 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 },
        { 0xFFE0, 0xFFE6 }, { 0x1F300, 0x1F64F }, { 0x1F900, 0x1F9FF }, { 0x20000, 0x2FFFD },
        { 0x30000, 0x3FFFD },
    };
    return in(r, sizeof r / sizeof r[0], cp);
}

char *cli_text_clean(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        uint32_t cp;
        size_t n = decode(p, &cp);
        if (n == 0 || unsafe(cp)) {
            out[o++] = '?';
            p += n ? n : 1;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
    return out;
}

size_t cli_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t w = 0;
    while (*p) {
        uint32_t cp;
        size_t n = decode(p, &cp);
        if (n == 0) {
            w++;
            p++;
            continue;
        }
        p += n;
        if (zero_width(cp))
            continue;
        w += double_width(cp) ? 2 : 1;
    }
    return w;
}

size_t cli_utf8_len(const char *s)
{
    uint32_t cp;
    return decode((const unsigned char *)s, &cp);
}

char *cli_utf8_repair(const char *s)
{
    size_t len = strlen(s);
    /* each bad byte becomes 3 bytes of U+FFFD */
    char *out = malloc(len * 3 + 1);
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t n = cli_utf8_len((const char *)p);
        if (n == 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            p++;
            continue;
        }
        memcpy(out + o, p, n);
        o += n;
        p += n;
    }
    out[o] = '\0';
    return out;
}
