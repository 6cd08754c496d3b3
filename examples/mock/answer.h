/* The mock's HTTP answers through libmicrohttpd: the headers Exchange
 * sends with every answer, keep-alive or close, and the close-mid-body
 * fault (a response announcing its whole length whose content stops half
 * way, after which MHD closes the connection). */
#ifndef EWS_MOCK_ANSWER_H
#define EWS_MOCK_ANSWER_H

#include <stddef.h>

#include "mock_internal.h"

/* What every answer to one request shares. */
typedef struct answer_ctx {
    ews_mock *m;
    struct MHD_Connection *c;
    mock_conn *conn;
    int close;              /* end the connection after this answer */
} answer_ctx;

/* Queues a complete response (send_len < len: the close-mid-body fault).
 * extra: header name/value pairs, NULL-terminated. */
enum MHD_Result mock_answer(answer_ctx *a, int status, const char *content_type, char *body,
                            size_t len, size_t send_len, const char *const *extra);

/* A short text/plain answer for HTTP-level errors saying what was wrong;
 * closes the connection after a framing error. */
enum MHD_Result mock_answer_error(answer_ctx *a, int status, const char *why,
                                  const char *const *extra);

#endif
