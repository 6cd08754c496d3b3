/* Redaction of secrets in HTTP header blocks before they reach a trace. */
#include "http/redact.h"

#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "http/challenge.h"

typedef enum secret_kind {
    SECRET_NONE,
    SECRET_CREDENTIALS,  /* Authorization: keep the scheme, hide the rest */
    SECRET_WHOLE_VALUE,  /* cookies */
    SECRET_TOKENS        /* challenges: hide the token68 of each */
} secret_kind;

static secret_kind classify(const char *name, size_t len)
{
    static const struct {
        const char *name;
        secret_kind kind;
    } table[] = {
        { "Authorization", SECRET_CREDENTIALS },
        { "Proxy-Authorization", SECRET_CREDENTIALS },
        { "Cookie", SECRET_WHOLE_VALUE },
        { "Set-Cookie", SECRET_WHOLE_VALUE },
        { "Set-Cookie2", SECRET_WHOLE_VALUE },
        { "WWW-Authenticate", SECRET_TOKENS },
        { "Proxy-Authenticate", SECRET_TOKENS },
        { "Authentication-Info", SECRET_WHOLE_VALUE },
        { "Proxy-Authentication-Info", SECRET_WHOLE_VALUE },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (strlen(table[i].name) == len && strncasecmp(table[i].name, name, len) == 0)
            return table[i].kind;
    return SECRET_NONE;
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Length of the header name when line is "name:", else 0 (request and
 * status lines, blank lines, continuations). */
static size_t header_name_len(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && is_name_char(line[i]))
        i++;
    return (i > 0 && i < len && line[i] == ':') ? i : 0;
}

static int put_credentials(ews_buf *b, const char *v, size_t len)
{
    size_t i = 0;
    while (i < len && v[i] != ' ' && v[i] != '\t')
        i++;
    if (i == len) /* a bare value: nothing says which part is harmless */
        return ews_buf_puts(b, "***");
    int rc = ews_buf_append(b, v, i);
    return rc ? rc : ews_buf_puts(b, " ***");
}

static int put_challenges(ews_buf *b, const char *v, size_t len)
{
    /* The challenge parser wants a terminated string. */
    ews_buf copy = EWS_BUF_INIT;
    int rc = ews_buf_append(&copy, v, len);
    if (rc)
        return rc;
    ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
    size_t n = ews_auth_parse_challenges(copy.data, ch, EWS_AUTH_MAX_CHALLENGES);
    size_t done = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!ch[i].token)
            continue;
        size_t at = (size_t)(ch[i].token - copy.data);
        rc = ews_buf_append(b, v + done, at - done);
        if (!rc)
            rc = ews_buf_puts(b, "***");
        done = at + ch[i].token_len;
    }
    if (!rc)
        rc = ews_buf_append(b, v + done, len - done);
    ews_buf_free(&copy);
    return rc;
}

static int put_value(ews_buf *b, secret_kind kind, const char *v, size_t len)
{
    switch (kind) {
    case SECRET_CREDENTIALS: return put_credentials(b, v, len);
    case SECRET_WHOLE_VALUE: return ews_buf_puts(b, "***");
    case SECRET_TOKENS: return put_challenges(b, v, len);
    case SECRET_NONE: break;
    }
    return ews_buf_append(b, v, len);
}

char *ews_redact_headers(const char *text, size_t len, size_t *out_len)
{
    ews_buf b = EWS_BUF_INIT;
    int rc = ews_buf_append(&b, "", 0); /* an empty block still gives "" */
    secret_kind current = SECRET_NONE; /* of the header a continuation extends */
    size_t pos = 0;
    while (!rc && pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t line_len = nl ? (size_t)(nl - line) + 1 : len - pos;
        size_t body_len = line_len; /* without the line ending */
        if (body_len && line[body_len - 1] == '\n')
            body_len--;
        if (body_len && line[body_len - 1] == '\r')
            body_len--;
        pos += line_len;

        size_t name_len = header_name_len(line, body_len);
        size_t value_at;
        if (name_len) {
            current = classify(line, name_len);
            value_at = name_len + 1;
        } else if (body_len && (line[0] == ' ' || line[0] == '\t')) {
            value_at = 0; /* obsolete line folding: more of the same value */
            if (current == SECRET_CREDENTIALS)
                current = SECRET_WHOLE_VALUE;
        } else {
            current = SECRET_NONE;
            value_at = 0;
        }
        if (current == SECRET_NONE) {
            rc = ews_buf_append(&b, line, line_len);
            continue;
        }
        while (value_at < body_len && (line[value_at] == ' ' || line[value_at] == '\t'))
            value_at++;
        rc = ews_buf_append(&b, line, value_at);
        if (!rc)
            rc = put_value(&b, current, line + value_at, body_len - value_at);
        if (!rc)
            rc = ews_buf_append(&b, line + body_len, line_len - body_len);
    }
    if (rc) {
        ews_buf_wipe(&b);
        return NULL;
    }
    return ews_buf_detach(&b, out_len);
}
