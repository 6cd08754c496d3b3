/* The mock server object shared by its lifecycle (server.c) and the
 * request handler libmicrohttpd calls (handler.c). */
#ifndef EWS_MOCK_INTERNAL_H
#define EWS_MOCK_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include <microhttpd.h>

#include "auth.h"
#include "ews_mock.h"
#include "inject.h"
#include "mailbox.h"
#include "service.h"

/* Largest request body accepted: IM list requests are small, and a
 * bound keeps a hostile client from exhausting memory. */
#define MOCK_MAX_REQUEST_BYTES ((size_t)1 << 20)
#define MOCK_EWS_PATH "/EWS/Exchange.asmx"
/* libmicrohttpd's limits (why each is what it is: server.c). */
#define MOCK_MAX_CONNECTIONS 128
#define MOCK_IDLE_TIMEOUT_S 30
#define MOCK_HEAD_POOL_BYTES 16384

/* One client connection (libmicrohttpd's socket context). Authentication
 * is per connection, as NTLM and Negotiate make it on IIS: a connection
 * counts as one handshake however many requests it carries. */
typedef struct mock_conn {
    unsigned long id;             /* connection number, from 1 (request log) */
    int authenticated;
} mock_conn;

struct ews_mock {
    /* configuration, owned copies */
    char *username, *password, *token;
    char **impersonators;
    char **ad_redirects;          /* Autodiscover "FROM=TO" entries */
    mock_auth_config auth;
    mock_mailboxes mailboxes;
    mock_service service;
    mock_canned_set canned;
    int https;
    char *tls_cert, *tls_key;     /* PEM in memory, for MHD */
    size_t tls_key_len;
    const char *tls_cert_file, *tls_key_file; /* the caller's, during start only */
    unsigned short port;
    char url[160];

    mock_inject inject;
    atomic_ulong requests;
    /* load tests (loadtest.c) */
    unsigned int max_concurrency;
    long busy_back_off_ms;
    atomic_ulong connections, handshakes, challenges, busy, peak, in_progress;
    FILE *request_log;            /* under log_lock */
    pthread_mutex_t log_lock;

    struct MHD_Daemon *daemon;
    char *start_log;              /* under log_lock: MHD's first message while starting */
    char start_log_buf[256];
    int wake[2];                  /* [0] becomes readable when stopping */
};

/* loadtest.c: the concurrency cap and the request log. Admits one EWS
 * request: 1 when it is over the cap (answer busy; no mock_load_leave). */
int mock_load_enter(struct ews_mock *m);
void mock_load_leave(struct ews_mock *m);
/* One request-log line: start and end (monotonic microseconds), the
 * connection, the HTTP status and the EWS code or "-". */
void mock_load_log(struct ews_mock *m, const mock_conn *c, long long start_us, int status,
                   const char *code);
long long mock_now_us(void);

/* handler.c: libmicrohttpd's callbacks (cls is the ews_mock). */
enum MHD_Result mock_handle(void *cls, struct MHD_Connection *connection, const char *url,
                            const char *method, const char *version, const char *upload_data,
                            size_t *upload_data_size, void **req_cls);
void mock_request_done(void *cls, struct MHD_Connection *connection, void **req_cls,
                       enum MHD_RequestTerminationCode toe);
void mock_conn_event(void *cls, struct MHD_Connection *connection, void **socket_context,
                     enum MHD_ConnectionNotificationCode toe);

#endif
