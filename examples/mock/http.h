/* HTTP/1.1 message syntax for the mock server: parsing a request head,
 * decoding a chunked body, formatting a response head. Pure functions over
 * memory; the socket side is in session.c. */
#ifndef EWS_MOCK_HTTP_H
#define EWS_MOCK_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define HTTP_MAX_HEADERS 64

typedef struct http_header {
    const char *name;
    const char *value;   /* leading and trailing blanks removed */
} http_header;

typedef struct http_request {
    const char *method;
    const char *target;  /* as sent */
    const char *path;    /* origin-form path without the query */
    int minor_version;   /* HTTP/1.<minor> */
    size_t header_count;
    http_header headers[HTTP_MAX_HEADERS];
    int chunked;              /* Transfer-Encoding: chunked */
    uint64_t content_length;  /* valid when has_content_length */
    int has_content_length;
    int keep_alive;           /* what the client asked for */
    int expect_continue;      /* Expect: 100-continue */
    char path_buf[1024];
} http_request;

/* Length of the head (request line, headers, blank line) at the start of
 * data, or 0 when the blank line has not arrived yet. */
size_t http_head_length(const char *data, size_t len);

/* Parses a complete head in place (head[0..len) is modified: the strings
 * in req point into it). Returns 0, or the HTTP status to answer (400,
 * 501 for an unsupported transfer coding, 505 for a version other than
 * 1.x) with *why naming the problem. */
int http_parse_head(http_request *req, char *head, size_t len, const char **why);

/* Value of the first header called name (case-insensitive), or NULL. */
const char *http_header_get(const http_request *req, const char *name);
/* Whether a comma-separated header contains token (case-insensitive). */
int http_header_has_token(const http_request *req, const char *name, const char *token);

/* Incremental decoder for Transfer-Encoding: chunked. */
typedef struct http_chunked {
    int state;
    uint64_t remaining;   /* bytes left in the current chunk */
    size_t line_len;      /* length of the size or trailer line so far */
    int saw_digit;
} http_chunked;

enum { HTTP_CHUNKED_MORE = 0, HTTP_CHUNKED_DONE = 1 };

/* Feeds in[0..len); appends chunk data to body (whose limit bounds the
 * decoded size) and sets *used to the bytes consumed. Returns
 * HTTP_CHUNKED_MORE (need more input), HTTP_CHUNKED_DONE (*used stops
 * right after the body), or an HTTP status: 400 malformed, 413 too large,
 * 500 out of memory. */
int http_chunked_feed(http_chunked *c, const char *in, size_t len, size_t *used, ews_buf *body);

/* Reason phrase of a status code. */
const char *http_reason(int status);

/* Appends "HTTP/1.1 <status> <reason>\r\n". */
int http_status_line(ews_buf *out, int status);
/* Appends "<name>: <value>\r\n". */
int http_add_header(ews_buf *out, const char *name, const char *value);

#endif
