#include "request_checks.h"

#include <string.h>
#include <strings.h>

typedef struct header_check {
    int hosts, lengths, codings, bad_length, bad_coding, bad_expect, bad_name, bad_value;
    const char *length;
} header_check;

static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static enum MHD_Result check_one(void *cls, enum MHD_ValueKind kind, const char *name,
                                 const char *value)
{
    header_check *h = cls;
    (void)kind;
    if (!*name)
        h->bad_name = 1;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (!is_tchar(*p))
            h->bad_name = 1;
    for (const unsigned char *v = (const unsigned char *)value; v && *v; v++)
        if ((*v < 0x20 && *v != '\t') || *v == 0x7f)
            h->bad_value = 1;
    if (!value)
        value = "";
    if (strcasecmp(name, "Host") == 0) {
        h->hosts++;
    } else if (strcasecmp(name, "Content-Length") == 0) {
        if (h->lengths++ && strcmp(h->length, value) != 0)
            h->bad_length = 1;
        h->length = value;
    } else if (strcasecmp(name, "Transfer-Encoding") == 0) {
        if (h->codings++ || strcasecmp(value, "chunked") != 0)
            h->bad_coding = 1;
    } else if (strcasecmp(name, "Expect") == 0) {
        if (strcasecmp(value, "100-continue") != 0)
            h->bad_expect = 1;
    }
    return MHD_YES;
}

int mock_check_request(struct MHD_Connection *c, const char *method, const char *version,
                       const char **why)
{
    for (const char *p = method; *p; p++)
        if (!is_tchar((unsigned char)*p)) {
            *why = "the method is not a token";
            return 400;
        }
    header_check h;
    memset(&h, 0, sizeof h);
    MHD_get_connection_values(c, MHD_HEADER_KIND, check_one, &h);
    int http10 = strcmp(version, MHD_HTTP_VERSION_1_0) == 0;
    if (h.bad_name)
        *why = "a header name is not a token (or has blanks before the colon)";
    else if (h.bad_value)
        *why = "a header value contains a control character";
    else if (h.bad_length)
        *why = "conflicting Content-Length headers";
    else if (h.bad_coding) {
        *why = "only Transfer-Encoding: chunked is supported";
        return 501;
    } else if (h.bad_expect) {
        *why = "only the 100-continue expectation is supported";
        return 417;
    }
    /* Both framings at once is the classic request-smuggling shape. */
    else if (h.codings && h.lengths)
        *why = "both Transfer-Encoding and Content-Length are present";
    else if (h.codings && http10)
        *why = "Transfer-Encoding is not allowed in an HTTP/1.0 request";
    else if (!http10 && h.hosts != 1)
        *why = h.hosts ? "more than one Host header" : "an HTTP/1.1 request needs a Host header";
    else
        return 0;
    return 400;
}
