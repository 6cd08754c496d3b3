#include "http/challenge.h"

#include <string.h>
#include <strings.h>

static int is_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

static int is_token68_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-._~+/", c));
}

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *skip_token(const char *p)
{
    while (is_tchar(*p))
        p++;
    return p;
}

static const char *skip_quoted(const char *p)
{
    p++; /* opening quote */
    while (*p && *p != '"') {
        if (*p == '\\' && p[1])
            p++;
        p++;
    }
    return *p ? p + 1 : p;
}

/* A token68 runs to the end of the challenge: only spaces, then a comma or
 * the end, may follow it. Returns its end, or NULL if what follows p is not
 * a token68 (it is an auth-param list then). */
static const char *token68_end(const char *p)
{
    const char *q = p;
    while (is_token68_char(*q))
        q++;
    if (q == p)
        return NULL;
    while (*q == '=')
        q++;
    const char *after = skip_ws(q);
    return (*after == ',' || *after == '\0') ? q : NULL;
}

/* After a comma inside a challenge: does an auth-param (name BWS "=") start
 * here, or the next challenge's scheme? */
static int param_starts(const char *p)
{
    const char *q = skip_token(p);
    if (q == p)
        return 0;
    q = skip_ws(q);
    return *q == '=';
}

/* Skips "name = value" pairs separated by commas; stops before the comma that
 * precedes the next challenge. */
static const char *skip_params(const char *p)
{
    for (;;) {
        p = skip_token(p);
        p = skip_ws(p);
        if (*p != '=')
            return p;
        p = skip_ws(p + 1);
        p = (*p == '"') ? skip_quoted(p) : skip_token(p);
        p = skip_ws(p);
        if (*p != ',')
            return p;
        const char *next = p;
        while (*next == ',' || *next == ' ' || *next == '\t')
            next++;
        if (!param_starts(next))
            return p;
        p = next;
    }
}

size_t ews_auth_parse_challenges(const char *value, ews_auth_challenge *out, size_t max)
{
    size_t n = 0;
    const char *p = value ? value : "";
    while (n < max) {
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *scheme = p;
        p = skip_token(p);
        if (p == scheme) { /* garbage: resynchronise at the next comma */
            while (*p && *p != ',')
                p++;
            continue;
        }
        ews_auth_challenge *c = &out[n++];
        c->scheme = scheme;
        c->scheme_len = (size_t)(p - scheme);
        c->token = NULL;
        c->token_len = 0;
        if (*p != ' ' && *p != '\t')
            continue;
        p = skip_ws(p);
        const char *end = token68_end(p);
        if (end) {
            c->token = p;
            c->token_len = (size_t)(end - p);
            p = end;
        } else if (param_starts(p)) {
            p = skip_params(p);
        }
        while (*p && *p != ',')
            p++; /* whatever is malformed up to the next challenge */
    }
    return n;
}

const ews_auth_challenge *ews_auth_find_challenge(const ews_auth_challenge *list, size_t n,
                                                  const char *scheme)
{
    size_t len = strlen(scheme);
    for (size_t i = 0; i < n; i++)
        if (list[i].scheme_len == len && strncasecmp(list[i].scheme, scheme, len) == 0)
            return &list[i];
    return NULL;
}
