/* The request rules libmicrohttpd 0.9 leaves to applications, checked
 * once the head is in and before any of the body is read: one framing
 * (never Content-Length and Transfer-Encoding together, nor two lengths
 * that differ), chunked the only coding, 100-continue the only
 * expectation, one Host, tokens for the method and header names, no
 * control characters in values. */
#ifndef EWS_MOCK_REQUEST_CHECKS_H
#define EWS_MOCK_REQUEST_CHECKS_H

#include <microhttpd.h>

/* 0, or the status to refuse the request with (400, 417, 501), *why
 * saying why. */
int mock_check_request(struct MHD_Connection *c, const char *method, const char *version,
                       const char **why);

#endif
