/* POX Autodiscover request and answer.
 *
 * Shapes from Microsoft's public documentation: "Autodiscover Request
 * (POX)" and "POX Autodiscover XML elements" (Autodiscover / Request /
 * EMailAddress + AcceptableResponseSchema; Autodiscover / Response / User,
 * Account / Action, RedirectAddr, RedirectUrl, Protocol / Type, EwsUrl,
 * ServerVersion; Response / Error / ErrorCode, Message) and [MS-OXDSCLI]
 * (the ServerVersion bit layout). The answer first passes the same
 * well-formedness check as every EWS response (no DTD, UTF-8, bounded
 * depth); the reader below then only has to walk tags and text, and keeps
 * just the handful of values it knows, each bounded.
 */
#include "autodiscover/pox.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/errors.h"
#include "core/utf8.h"
#include "soap/wellformed.h"

#define REQUEST_NS "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
#define RESPONSE_SCHEMA \
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
#define MAX_DEPTH 32

int pox_split_address(const char *email, char **domain, const char **why)
{
    *domain = NULL;
    size_t len = email ? strlen(email) : 0;
    const char *at = email ? strrchr(email, '@') : NULL;
    if (!len || len > 320 || !at || at == email || !at[1]) {
        *why = "not an address of the form user@domain";
        return EWS_EINVAL;
    }
    for (const char *p = email; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7f || strchr("<>\"'\\&", c)) {
            *why = "the address contains spaces, control characters, quotes or brackets";
            return EWS_EINVAL;
        }
    }
    const char *d = at + 1;
    size_t dlen = strlen(d), label = 0, labels = 1;
    for (size_t i = 0; i < dlen; i++) {
        char c = d[i];
        if (c == '.') {
            if (label == 0)
                break;
            label = 0;
            labels++;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '-') {
            if (++label > 63)
                break;
        } else {
            label = 0;
            break;
        }
    }
    /* A single label ("user@com") would make autodiscover.<TLD> a
     * candidate: exactly the name that must never be asked. */
    if (label == 0 || labels < 2 || dlen > 253 || d[0] == '-') {
        *why = "the domain is not a DNS name of at least two labels";
        return EWS_EINVAL;
    }
    char *copy = strdup(d);
    if (!copy)
        return EWS_ENOMEM;
    for (char *p = copy; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    *domain = copy;
    return 0;
}

int pox_request(ews_buf *out, const char *email)
{
    /* pox_split_address refused every character XML would need escaped. */
    return ews_buf_printf(out,
                          "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                          "<Autodiscover xmlns=\"" REQUEST_NS "\">\n"
                          "  <Request>\n"
                          "    <EMailAddress>%s</EMailAddress>\n"
                          "    <AcceptableResponseSchema>" RESPONSE_SCHEMA
                          "</AcceptableResponseSchema>\n"
                          "  </Request>\n"
                          "</Autodiscover>\n",
                          email);
}

/* ---- the reader ---------------------------------------------------------- */

typedef struct reader {
    pox_answer *a;
    const char *names[MAX_DEPTH]; /* local names of the open elements */
    size_t lens[MAX_DEPTH];
    int depth;
    char **target;                /* where the current element's text goes */
    ews_buf text;
    const char *why;
} reader;

static int at_path(const reader *r, const char *const *path)
{
    int n = 0;
    while (path[n])
        n++;
    if (n != r->depth)
        return 0;
    for (int i = 0; i < n; i++)
        if (strlen(path[i]) != r->lens[i] || memcmp(path[i], r->names[i], r->lens[i]) != 0)
            return 0;
    return 1;
}

#define P(...) ((const char *const[]){ "Autodiscover", "Response", __VA_ARGS__, NULL })

/* Where the text of the element just opened belongs, or NULL. */
static char **slot_for(reader *r)
{
    pox_answer *a = r->a;
    if (at_path(r, P("Account", "Protocol"))) {
        if (a->nproto < POX_MAX_PROTOCOLS)
            a->nproto++;
        else
            r->why = "more Protocol elements than this reader keeps";
        return NULL;
    }
    pox_protocol *pr = a->nproto ? &a->proto[a->nproto - 1] : NULL;
    const struct {
        const char *const *path;
        char **slot;
    } table[] = {
        { P("User", "AutoDiscoverSMTPAddress"), &a->smtp_address },
        { P("Account", "Action"), &a->action },
        { P("Account", "RedirectAddr"), &a->redirect_addr },
        { P("Account", "RedirectUrl"), &a->redirect_url },
        { P("Error", "ErrorCode"), &a->error_code },
        { P("Error", "Message"), &a->error_message },
        { P("Account", "Protocol", "Type"), pr ? &pr->type : NULL },
        { P("Account", "Protocol", "EwsUrl"), pr ? &pr->ews_url : NULL },
        { P("Account", "Protocol", "ServerVersion"), pr ? &pr->server_version : NULL },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (table[i].slot && at_path(r, table[i].path))
            return table[i].slot;
    return NULL;
}

static int put_utf8(ews_buf *b, unsigned long cp)
{
    char u[4];
    return ews_buf_append(b, u, ews_utf8_encode((uint32_t)cp, u));
}

/* Character data (the check has vouched for every reference in it). */
static int add_text(reader *r, const char *p, size_t n)
{
    if (!r->target)
        return 0;
    const char *end = p + n;
    int rc = 0;
    while (!rc && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        if (!amp)
            return ews_buf_append(&r->text, p, (size_t)(end - p));
        rc = ews_buf_append(&r->text, p, (size_t)(amp - p));
        const char *semi = memchr(amp, ';', (size_t)(end - amp));
        if (rc || !semi)
            break;
        const char *ent = amp + 1;
        size_t elen = (size_t)(semi - ent);
        static const struct {
            const char *name;
            char c;
        } named[] = { { "lt", '<' }, { "gt", '>' }, { "amp", '&' }, { "quot", '"' },
                      { "apos", '\'' } };
        if (elen && ent[0] == '#') {
            int hex = elen > 1 && ent[1] == 'x';
            rc = put_utf8(&r->text, strtoul(ent + 1 + hex, NULL, hex ? 16 : 10));
        } else {
            for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
                if (strlen(named[i].name) == elen && memcmp(named[i].name, ent, elen) == 0)
                    rc = ews_buf_append(&r->text, &named[i].c, 1);
        }
        p = semi + 1;
    }
    return rc;
}

static int open_element(reader *r, const char *name, size_t len)
{
    const char *colon = memchr(name, ':', len);
    if (colon) {
        len -= (size_t)(colon + 1 - name);
        name = colon + 1;
    }
    if (r->depth == MAX_DEPTH)
        return EWS_ELIMIT; /* the check has already refused deeper documents */
    r->names[r->depth] = name;
    r->lens[r->depth] = len;
    r->depth++;
    r->target = slot_for(r);
    ews_buf_clear(&r->text);
    return r->why ? EWS_ELIMIT : 0;
}

static int close_element(reader *r)
{
    int rc = 0;
    if (r->target && !*r->target) { /* the first of repeated elements counts */
        if (r->text.len > POX_MAX_VALUE) {
            r->why = "a value is longer than 2048 bytes";
            return EWS_ELIMIT;
        }
        *r->target = strdup(r->text.data ? r->text.data : "");
        if (!*r->target)
            rc = EWS_ENOMEM;
    }
    r->target = NULL;
    ews_buf_clear(&r->text);
    if (r->depth > 0)
        r->depth--;
    return rc;
}

static size_t name_len(const char *p, const char *end)
{
    const char *q = p;
    while (q < end && !strchr(" \t\r\n/>", *q))
        q++;
    return (size_t)(q - p);
}

/* Past a tag's attributes to its '>' (quoted values may hold '>'). */
static const char *tag_end(const char *p, const char *end)
{
    char quote = 0;
    for (; p < end; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '"' || *p == '\'') {
            quote = *p;
        } else if (*p == '>') {
            return p;
        }
    }
    return NULL;
}

static const char *find(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);
    for (; p + n <= end; p++)
        if (memcmp(p, s, n) == 0)
            return p;
    return NULL;
}

static int walk(reader *r, const char *p, const char *end)
{
    int rc = 0;
    while (!rc && p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));
        if (!lt)
            return add_text(r, p, (size_t)(end - p));
        if ((rc = add_text(r, p, (size_t)(lt - p))))
            break;
        const char *close;
        if (lt + 1 < end && lt[1] == '?') {
            close = find(lt, end, "?>");
            p = close ? close + 2 : end;
        } else if (lt + 3 < end && memcmp(lt, "<!--", 4) == 0) {
            close = find(lt, end, "-->");
            p = close ? close + 3 : end;
        } else if (lt + 8 < end && memcmp(lt, "<![CDATA[", 9) == 0) {
            close = find(lt, end, "]]>");
            if (!close)
                break;
            rc = r->target ? ews_buf_append(&r->text, lt + 9, (size_t)(close - lt - 9)) : 0;
            p = close + 3;
        } else if (lt + 1 < end && lt[1] == '/') {
            close = tag_end(lt, end);
            rc = close_element(r);
            p = close ? close + 1 : end;
        } else {
            close = tag_end(lt, end);
            if (!close)
                break;
            rc = open_element(r, lt + 1, name_len(lt + 1, close));
            if (!rc && close[-1] == '/')
                rc = close_element(r);
            p = close + 1;
        }
        if (r->text.len > POX_MAX_VALUE) {
            r->why = "a value is longer than 2048 bytes";
            rc = EWS_ELIMIT;
        }
    }
    return rc;
}

int pox_parse(pox_answer *a, const char *data, size_t len, const char **why)
{
    memset(a, 0, sizeof *a);
    ews_xml_verdict v;
    int rc = ews_xml_check_document(data, len, MAX_DEPTH, &v);
    if (rc) {
        *why = v.why ? v.why : "not well-formed XML";
        return rc;
    }
    reader r;
    memset(&r, 0, sizeof r);
    r.a = a;
    rc = walk(&r, data, data + len);
    ews_buf_free(&r.text);
    if (rc == EWS_ENOMEM)
        *why = "out of memory";
    else if (rc)
        *why = r.why ? r.why : "an element the reader cannot take";
    if (rc)
        pox_answer_free(a);
    return rc;
}

void pox_answer_free(pox_answer *a)
{
    char **all[] = { &a->action, &a->redirect_addr, &a->redirect_url, &a->smtp_address,
                     &a->error_code, &a->error_message };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(*all[i]);
        *all[i] = NULL;
    }
    for (size_t i = 0; i < a->nproto; i++) {
        free(a->proto[i].type);
        free(a->proto[i].ews_url);
        free(a->proto[i].server_version);
    }
    memset(a, 0, sizeof *a);
}

const char *pox_ews_url(const pox_answer *a, const char **version)
{
    static const char *const order[] = { "EXPR", "EXCH", NULL };
    *version = NULL;
    for (int pass = 0; pass < 3; pass++)
        for (size_t i = 0; i < a->nproto; i++) {
            const pox_protocol *p = &a->proto[i];
            if (!p->ews_url || !*p->ews_url)
                continue;
            if (order[pass] && (!p->type || strcmp(p->type, order[pass]) != 0))
                continue;
            *version = p->server_version;
            return p->ews_url;
        }
    return NULL;
}

int pox_server_version(const char *hex, char *out, size_t outlen)
{
    if (!hex || strlen(hex) != 8 || strspn(hex, "0123456789abcdefABCDEF") != 8)
        return -1;
    unsigned long v = strtoul(hex, NULL, 16);
    unsigned major = (unsigned)((v >> 22) & 0x3F);
    unsigned minor = (unsigned)((v >> 16) & 0x3F);
    unsigned build = (unsigned)(v & 0x7FFF);
    int n = snprintf(out, outlen, "%u.%u.%u", major, minor, build);
    return n > 0 && (size_t)n < outlen ? 0 : -1;
}
