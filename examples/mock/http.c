#include "http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ews/errors.h"

size_t http_head_length(const char *data, size_t len)
{
    /* A blank line ends the head; bare LF line ends are tolerated
     * (RFC 9112 section 2.2). */
    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n')
            continue;
        size_t j = i + 1;
        if (j < len && data[j] == '\r')
            j++;
        if (j < len && data[j] == '\n')
            return j + 1;
    }
    return 0;
}

static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_token(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

/* Splits off the next line, NUL-terminating it without its CR LF. A CR
 * anywhere else makes the head malformed. */
static char *next_line(char **cursor, char *end, int *bad)
{
    char *s = *cursor;
    if (s >= end)
        return NULL;
    char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl)
        nl = end;
    char *e = nl;
    if (e > s && e[-1] == '\r')
        e--;
    if (memchr(s, '\r', (size_t)(e - s)) || memchr(s, '\0', (size_t)(e - s)))
        *bad = 1;
    *e = '\0';
    *cursor = nl < end ? nl + 1 : end;
    return s;
}

static int parse_request_line(http_request *req, char *line, const char **why)
{
    char *sp1 = strchr(line, ' ');
    char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (!sp1 || !sp2 || strchr(sp2 + 1, ' ')) {
        *why = "the request line is not 'METHOD target HTTP/1.1'";
        return 400;
    }
    *sp1 = *sp2 = '\0';
    req->method = line;
    req->target = sp1 + 1;
    const char *version = sp2 + 1;
    if (!is_token(req->method)) {
        *why = "the method is not a token";
        return 400;
    }
    for (const unsigned char *t = (const unsigned char *)req->target; *t; t++)
        if (*t <= 0x20 || *t >= 0x7f) {
            *why = "the request target contains a character that needs escaping";
            return 400;
        }
    if (!*req->target) {
        *why = "the request target is empty";
        return 400;
    }
    if (strncmp(version, "HTTP/", 5) != 0 || version[5] < '0' || version[5] > '9' ||
        version[6] != '.' || version[7] < '0' || version[7] > '9' || version[8]) {
        *why = "the protocol version is not HTTP/x.y";
        return 400;
    }
    if (version[5] != '1') {
        *why = "only HTTP/1.0 and HTTP/1.1 are supported";
        return 505;
    }
    req->minor_version = version[7] - '0';
    return 0;
}

/* The path of an origin-form ("/p?q") or absolute-form
 * ("http://host/p?q") target, without query or fragment. */
static int extract_path(http_request *req, const char **why)
{
    const char *t = req->target;
    if (t[0] != '/') {
        const char *scheme_end = strstr(t, "://");
        if (!scheme_end || (strncasecmp(t, "http://", 7) != 0 && strncasecmp(t, "https://", 8) != 0)) {
            if (strcmp(t, "*") == 0) {
                strcpy(req->path_buf, "*");
                req->path = req->path_buf;
                return 0;
            }
            *why = "the request target is neither a path nor an http(s) URL";
            return 400;
        }
        t = strchr(scheme_end + 3, '/');
        if (!t)
            t = "/";
    }
    size_t n = strcspn(t, "?#");
    if (n >= sizeof req->path_buf) {
        *why = "the request path is too long";
        return 414;
    }
    memcpy(req->path_buf, t, n);
    req->path_buf[n] = '\0';
    req->path = req->path_buf;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static int parse_header(http_request *req, char *line, const char **why)
{
    if (line[0] == ' ' || line[0] == '\t') {
        *why = "folded header lines are not allowed";
        return 400;
    }
    char *colon = strchr(line, ':');
    if (!colon) {
        *why = "a header line has no colon";
        return 400;
    }
    *colon = '\0';
    if (!is_token(line)) {
        *why = "a header name is not a token (or has blanks before the colon)";
        return 400;
    }
    char *value = trim(colon + 1);
    for (const unsigned char *v = (const unsigned char *)value; *v; v++)
        if ((*v < 0x20 && *v != '\t') || *v == 0x7f) {
            *why = "a header value contains a control character";
            return 400;
        }
    if (req->header_count == HTTP_MAX_HEADERS) {
        *why = "too many header fields";
        return 431;
    }
    req->headers[req->header_count].name = line;
    req->headers[req->header_count].value = value;
    req->header_count++;
    return 0;
}

static int parse_length(const char *v, uint64_t *out)
{
    uint64_t n = 0;
    if (!*v)
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -1;
        if (n > (UINT64_MAX - 9) / 10)
            return -1;
        n = n * 10 + (uint64_t)(*v - '0');
    }
    *out = n;
    return 0;
}

/* Framing and connection semantics from the parsed header fields. */
static int interpret_headers(http_request *req, const char **why)
{
    int hosts = 0, lengths = 0, codings = 0;
    for (size_t i = 0; i < req->header_count; i++) {
        const http_header *h = &req->headers[i];
        if (strcasecmp(h->name, "Host") == 0) {
            hosts++;
        } else if (strcasecmp(h->name, "Content-Length") == 0) {
            uint64_t n;
            if (parse_length(h->value, &n)) {
                *why = "Content-Length is not a decimal number";
                return 400;
            }
            if (lengths++ && n != req->content_length) {
                *why = "conflicting Content-Length headers";
                return 400;
            }
            req->content_length = n;
            req->has_content_length = 1;
        } else if (strcasecmp(h->name, "Transfer-Encoding") == 0) {
            if (codings++ || strcasecmp(h->value, "chunked") != 0) {
                *why = "only Transfer-Encoding: chunked is supported";
                return 501;
            }
            req->chunked = 1;
        } else if (strcasecmp(h->name, "Expect") == 0) {
            if (strcasecmp(h->value, "100-continue") != 0) {
                *why = "only the 100-continue expectation is supported";
                return 417;
            }
            req->expect_continue = 1;
        }
    }
    /* Both framings at once is the classic request-smuggling shape. */
    if (req->chunked && req->has_content_length) {
        *why = "both Transfer-Encoding and Content-Length are present";
        return 400;
    }
    if (req->chunked && req->minor_version == 0) {
        *why = "Transfer-Encoding is not allowed in an HTTP/1.0 request";
        return 400;
    }
    if (req->minor_version >= 1 && hosts != 1) {
        *why = hosts ? "more than one Host header" : "an HTTP/1.1 request needs a Host header";
        return 400;
    }
    if (req->minor_version >= 1)
        req->keep_alive = !http_header_has_token(req, "Connection", "close");
    else
        req->keep_alive = http_header_has_token(req, "Connection", "keep-alive");
    return 0;
}

int http_parse_head(http_request *req, char *head, size_t len, const char **why)
{
    memset(req, 0, sizeof *req);
    *why = "";
    char *cursor = head, *end = head + len;
    int bad = 0;
    /* Tolerate blank lines before the request line (RFC 9112 section 2.2):
     * some clients send an extra CR LF after a body. */
    while (cursor < end && (*cursor == '\r' || *cursor == '\n'))
        cursor++;
    char *line = next_line(&cursor, end, &bad);
    if (!line || !*line || bad) {
        *why = line && *line ? "a bare CR or NUL in the request line" : "the request line is empty";
        return 400;
    }
    int rc = parse_request_line(req, line, why);
    if (rc)
        return rc;
    while ((line = next_line(&cursor, end, &bad)) != NULL) {
        if (bad) {
            *why = "a bare CR or NUL in a header line";
            return 400;
        }
        if (!*line)
            break;
        if ((rc = parse_header(req, line, why)) != 0)
            return rc;
    }
    if ((rc = interpret_headers(req, why)) != 0)
        return rc;
    return extract_path(req, why);
}

const char *http_header_get(const http_request *req, const char *name)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

int http_header_has_token(const http_request *req, const char *name, const char *token)
{
    size_t tlen = strlen(token);
    for (size_t i = 0; i < req->header_count; i++) {
        if (strcasecmp(req->headers[i].name, name) != 0)
            continue;
        const char *v = req->headers[i].value;
        while (*v) {
            while (*v == ' ' || *v == '\t' || *v == ',')
                v++;
            size_t n = strcspn(v, ",");
            size_t m = n;
            while (m && (v[m - 1] == ' ' || v[m - 1] == '\t'))
                m--;
            if (m == tlen && strncasecmp(v, token, tlen) == 0)
                return 1;
            v += n;
        }
    }
    return 0;
}

enum {
    CH_SIZE = 0,     /* hex digits of a chunk size */
    CH_SIZE_EXT,     /* chunk extension, ignored up to the line end */
    CH_DATA,
    CH_DATA_END,     /* the CR LF after chunk data */
    CH_TRAILER,      /* trailer lines until a blank one */
    CH_DONE
};

#define CHUNK_LINE_MAX 4096
#define CHUNK_TRAILERS_MAX 16384

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int http_chunked_feed(http_chunked *c, const char *in, size_t len, size_t *used, ews_buf *body)
{
    size_t i = 0;
    int status = HTTP_CHUNKED_MORE;
    while (i < len && c->state != CH_DONE) {
        char ch = in[i];
        switch (c->state) {
        case CH_SIZE: {
            int v = hex_value(ch);
            if (v >= 0) {
                if (c->remaining > (UINT64_MAX >> 4)) {
                    status = 413;
                    goto out;
                }
                c->remaining = c->remaining * 16 + (uint64_t)v;
                c->saw_digit = 1;
                if (++c->line_len > CHUNK_LINE_MAX) {
                    status = 400;
                    goto out;
                }
                i++;
                break;
            }
            if (!c->saw_digit || (ch != ';' && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')) {
                status = 400;
                goto out;
            }
            /* Reject a too-large chunk before receiving it. */
            if (body->limit && c->remaining > body->limit - body->len) {
                status = 413;
                goto out;
            }
            c->state = CH_SIZE_EXT;
            break;
        }
        case CH_SIZE_EXT:
            i++;
            if (ch == '\n') {
                c->line_len = 0;
                c->saw_digit = 0;
                c->state = c->remaining ? CH_DATA : CH_TRAILER;
            } else if (++c->line_len > CHUNK_LINE_MAX) {
                status = 400;
                goto out;
            }
            break;
        case CH_DATA: {
            size_t n = len - i;
            if ((uint64_t)n > c->remaining)
                n = (size_t)c->remaining;
            int rc = ews_buf_append(body, in + i, n);
            if (rc) {
                status = rc == EWS_ETOOBIG ? 413 : 500;
                goto out;
            }
            i += n;
            c->remaining -= n;
            if (!c->remaining)
                c->state = CH_DATA_END;
            break;
        }
        case CH_DATA_END:
            i++;
            if (ch == '\n')
                c->state = CH_SIZE;
            else if (ch != '\r' || c->line_len++) {
                status = 400;
                goto out;
            }
            if (c->state == CH_SIZE)
                c->line_len = 0;
            break;
        case CH_TRAILER:
            i++;
            if (ch == '\n') {
                if (c->line_len == 0) {
                    c->state = CH_DONE;
                    status = HTTP_CHUNKED_DONE;
                }
                c->line_len = 0;
            } else if (ch != '\r' || c->line_len) {
                /* a CR starts the blank line; anything else a trailer line,
                 * read and dropped: `remaining` bounds their total size */
                if (++c->line_len > CHUNK_LINE_MAX || ++c->remaining > CHUNK_TRAILERS_MAX) {
                    status = 400;
                    goto out;
                }
            }
            break;
        default:
            break;
        }
    }
out:
    *used = i;
    return status;
}

const char *http_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

int http_status_line(ews_buf *out, int status)
{
    return ews_buf_printf(out, "HTTP/1.1 %d %s\r\n", status, http_reason(status));
}

int http_add_header(ews_buf *out, const char *name, const char *value)
{
    return ews_buf_printf(out, "%s: %s\r\n", name, value);
}
