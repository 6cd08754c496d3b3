/* Shared by the mock server's tests: starting the mock, posting over real
 * HTTP with libcurl, raw socket exchanges, request envelopes built by the
 * runtime; files, fixtures and text checks come from tests/support.
 * Include after <cmocka.h>. */
#ifndef EWS_MOCK_TEST_UTIL_H
#define EWS_MOCK_TEST_UTIL_H

#include <stddef.h>

#include <curl/curl.h>

#include "core/buf.h"
#include "ews_mock.h"
#include "soap/headers.h"
#include "imlist/imlist.h"
#include "ts_assert.h"
#include "ts_fixtures.h"
#include "ts_tempdir.h"

typedef struct mt_request {
    const char *url;
    const char *body;           /* NULL: an empty body */
    size_t len;
    const char *const *headers; /* "Name: value", NULL-terminated; may be NULL */
    const char *userpwd;        /* basic credentials "user:password" */
    const char *cafile;         /* HTTPS: trust this certificate */
    long timeout_ms;            /* 0: 10 s */
    int chunked;                /* send the body with Transfer-Encoding: chunked */
} mt_request;

typedef struct mt_response {
    CURLcode curl_rc;
    long status;
    ews_buf body;
    char *www_authenticate;
    char *retry_after;
    char *request_id;
    char *client_request_id;
    char *backend_status;
    char *content_type;
    long new_connections;       /* connections curl opened for this request */
    long elapsed_ms;
} mt_response;

/* Options serving the demo mailbox (demo@contoso.com) without auth, strict. */
ews_mock_options mt_demo_options(void);
/* Starts the mock or fails the test with its message. */
ews_mock *mt_start(const ews_mock_options *o);

/* POSTs with a new curl handle (or `curl` when given, to reuse its
 * connection). Fails the test only on setup errors; transfer errors are in
 * curl_rc. */
void mt_post(CURL *curl, const mt_request *rq, mt_response *out);
void mt_response_free(mt_response *r);

/* A GetImItemList request envelope built by the runtime (new buffer). */
char *mt_envelope(const char *version, ews_impersonation_kind kind, const char *value,
                  size_t *len);

/* Parses a response body with ews_imlist_parse. */
int mt_parse(const mt_response *r, int strict, ews_imlist **out, ews_err *err);

/* Sends data over a plain TCP connection to 127.0.0.1:port and reads
 * until the server closes or timeout_ms passes. New NUL-terminated text. */
char *mt_raw_exchange(unsigned short port, const char *data, size_t len, int timeout_ms);

#endif
