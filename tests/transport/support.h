/* Shared pieces of the transport tests: child servers on loopback, scratch
 * directories, canary traces. */
#ifndef EWS_TESTS_TRANSPORT_SUPPORT_H
#define EWS_TESTS_TRANSPORT_SUPPORT_H

#include <stddef.h>
#include <sys/types.h>

#include "core/buf.h"
#include "core/error.h"
#include "http/transport.h"

#define TT_SKIP 77
#define TT_MAX_LISTENERS 8

typedef struct tt_server {
    pid_t pid;
    int to_child;   /* the child's stdin: closing it stops the server */
    int from_child; /* the child's stdout */
    int nports;
    char names[TT_MAX_LISTENERS][32];
    long ports[TT_MAX_LISTENERS];
} tt_server;

/* Process set-up every transport test does first: libcurl's global init and
 * no proxy from the environment (the tests talk to loopback only). */
void tt_init(void);

/* Starts servers/<script> (Python) with the NULL-terminated args and waits
 * for its "READY". Returns 0, TT_SKIP when the server printed "SKIP <why>"
 * (printed here too), or -1. */
int tt_server_start(tt_server *s, const char *script, const char *const *args);
/* Port of the named listener, or -1. */
long tt_server_port(const tt_server *s, const char *name);
/* Closes its stdin and waits; kills it by pid if it lingers. */
void tt_server_stop(tt_server *s);

/* A counter of a listener ("connections", "requests", "authorization",
 * "ntlm") read from the plain-http listener ctl of the same server. */
long tt_server_stat(const tt_server *s, const char *ctl, const char *listener,
                    const char *counter);

/* A new private directory (free with tt_rmtree). */
char *tt_tempdir(void);
void tt_rmtree(char *dir);
/* Runs servers/<script> dir to completion: 0, TT_SKIP or -1. */
int tt_run_script(const char *script, const char *arg);

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

int tt_contains(const char *hay, size_t len, const char *needle);

#endif
