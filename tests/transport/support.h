/* Shared pieces of the transport tests: transports with test defaults, a
 * request, server counters, canary traces. Servers, scratch directories and
 * text checks come from tests/support. */
#ifndef EWS_TESTS_TRANSPORT_SUPPORT_H
#define EWS_TESTS_TRANSPORT_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/error.h"
#include "http/transport.h"
#include "ts_assert.h"
#include "ts_process.h"
#include "ts_tempdir.h"

/* The acceptors that are real peers, not our loopback server:
 * cb_acceptor.py, apache_negotiate.py; and mkcerts.py, the test PKI. */
#define TT_SERVERS EWS_SOURCE_DIR "/tests/transport/servers"

/* Process set-up every transport test does first: libcurl's global init and
 * no proxy from the environment (the tests talk to loopback only). */
void tt_init(void);

/* A counter of a listener ("connections", "requests", "authorization",
 * "ntlm") read from the plain-http listener ctl of the same server. */
long tt_server_stat(const ts_server *s, const char *ctl, const char *listener,
                    const char *counter);

/* "scheme://host:port/path" in a static buffer (one at a time). */
const char *tt_url(const char *scheme, const char *host, long port, const char *path);
/* Like the server's make_token(n): new memory. */
char *tt_make_token(size_t n);

/* Sensible test defaults for url. */
void tt_config_init(ews_client_options *cfg, const char *url);

/* One POST through a new transport; the creation must succeed. */
int tt_post(const ews_client_options *cfg, const ews_http_request *req,
            ews_http_response *resp, ews_err *err);
/* A request with a small SOAP-ish body and the usual headers. */
ews_http_request tt_request(void);

/* POSTs tt_request() through a new transport made from cfg: the HTTP
 * status, or -1 after printing the transport's error to stderr. */
long tt_post_status(const ews_client_options *cfg);

/* Everything a trace callback received, kinds counted. */
typedef struct tt_trace {
    ews_buf all;
    int count[5];
} tt_trace;
void tt_trace_collect(ews_trace_kind kind, const char *data, size_t len, void *userdata);

#endif
