#include "soap/msgxml.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Advances past an XML name; returns its end. */
static const char *name_end(const char *p)
{
    while (*p && !isspace((unsigned char)*p) && *p != '>' && *p != '/' && *p != '=')
        p++;
    return p;
}

static int local_name_is(const char *start, const char *end, const char *want)
{
    const char *colon = memchr(start, ':', (size_t)(end - start));
    if (colon)
        start = colon + 1;
    size_t n = strlen(want);
    return (size_t)(end - start) == n && memcmp(start, want, n) == 0;
}

/* Looks for Name="want" among the attributes of a start tag that begins at
 * p (just after the element name). Returns the position after the tag's
 * '>' when matched, NULL otherwise. */
static const char *match_name_attr(const char *p, const char *want)
{
    int matched = 0;
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '>')
            return matched ? p + 1 : NULL;
        if (*p == '/' || !*p)
            return NULL; /* empty element: no text */
        const char *an = p;
        p = name_end(p);
        const char *ae = p;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '=')
            return NULL;
        p++;
        while (isspace((unsigned char)*p))
            p++;
        char q = *p;
        if (q != '"' && q != '\'')
            return NULL;
        const char *vs = ++p;
        while (*p && *p != q)
            p++;
        if (!*p)
            return NULL;
        if (ae - an == 4 && memcmp(an, "Name", 4) == 0 && (size_t)(p - vs) == strlen(want) &&
            memcmp(vs, want, (size_t)(p - vs)) == 0)
            matched = 1;
        p++;
    }
}

int ews_msgxml_find(const char *xml, const char *name, char *out, size_t cap)
{
    if (!xml || !name || !out || !cap)
        return 0;
    for (const char *p = strchr(xml, '<'); p; p = strchr(p + 1, '<')) {
        const char *ns = p + 1;
        if (*ns == '/' || *ns == '?' || *ns == '!')
            continue;
        const char *ne = name_end(ns);
        if (!local_name_is(ns, ne, "Value"))
            continue;
        const char *text = match_name_attr(ne, name);
        if (!text)
            continue;
        const char *end = strchr(text, '<');
        if (!end)
            return 0;
        while (text < end && isspace((unsigned char)*text))
            text++;
        while (end > text && isspace((unsigned char)end[-1]))
            end--;
        size_t n = (size_t)(end - text);
        if (n >= cap)
            n = cap - 1;
        memcpy(out, text, n);
        out[n] = '\0';
        return 1;
    }
    return 0;
}

int ews_msgxml_find_in(char *const *xml, int count, const char *name, char *out, size_t cap)
{
    for (int i = 0; xml && i < count; i++)
        if (ews_msgxml_find(xml[i], name, out, cap))
            return 1;
    return 0;
}

long ews_msgxml_back_off(char *const *xml, int count)
{
    char v[32];
    if (!ews_msgxml_find_in(xml, count, "BackOffMilliseconds", v, sizeof v))
        return -1;
    char *end;
    /* Out of range saturates to LONG_MAX (strtol's ERANGE value), a wait
     * no retry budget admits; the value is cut to 31 digits above, which
     * cannot bring it back in range. */
    long ms = strtol(v, &end, 10);
    if (end == v || *end || ms < 0)
        return -1;
    return ms;
}
