/* The mock server object shared by its lifecycle (server.c) and its
 * connection threads (session.c). */
#ifndef EWS_MOCK_INTERNAL_H
#define EWS_MOCK_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "auth.h"
#include "conn.h"
#include "ews_mock.h"
#include "http.h"
#include "inject.h"
#include "mailbox.h"
#include "service.h"
#include "tls.h"

/* Largest request body accepted: IM list requests are small, and a
 * bound keeps a hostile client from exhausting memory. */
#define MOCK_MAX_REQUEST_BYTES ((size_t)1 << 20)
/* How long a kept-alive connection may sit idle, and how long a client may
 * take to send a whole request once it started. */
#define MOCK_IDLE_TIMEOUT_MS 30000
#define MOCK_REQUEST_TIMEOUT_MS 10000
/* Connections served at once; more are closed right after accept. */
#define MOCK_MAX_SESSIONS 128
/* How long unread input is drained after an early answer (session.c). */
#define MOCK_LINGER_MS 1000
#define MOCK_EWS_PATH "/EWS/Exchange.asmx"

typedef struct mock_session {
    struct ews_mock *mock;
    pthread_t thread;
    int fd;                       /* -1 once closed; under mock->lock */
    int done;                     /* the thread has finished; under mock->lock */
    int linger;                   /* closing on our initiative: drain first */
    int authenticated;            /* counted as a handshake already */
    unsigned long id;             /* connection number, from 1 (request log) */
    long long deadline;           /* monotonic ms by which the request must be in */
    struct mock_session *next;
    mock_conn conn;
    char head[MOCK_CONN_BUFSIZE]; /* the current request's head, parsed in place */
} mock_session;

struct ews_mock {
    /* configuration, owned copies */
    char *username, *password, *token;
    char **impersonators;
    char **ad_redirects;          /* Autodiscover "FROM=TO" entries */
    mock_auth_config auth;
    mock_mailboxes mailboxes;
    mock_service service;
    mock_canned_set canned;
    mock_tls *tls;
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

    int listen_fd;
    int wake[2];                  /* [0] becomes readable when stopping */
    pthread_t listener;
    int listener_started;
    pthread_mutex_t lock;         /* sessions, session_count, stopping */
    mock_session *sessions;
    size_t session_count;
    int stopping;
};

/* loadtest.c: the concurrency cap and the request log. Admits one EWS
 * request: 1 when it is over the cap (answer busy; no mock_load_leave). */
int mock_load_enter(struct ews_mock *m);
void mock_load_leave(struct ews_mock *m);
/* One request-log line: start and end (monotonic microseconds), the
 * connection, the HTTP status and the EWS code or "-". */
void mock_load_log(struct ews_mock *m, const mock_session *s, long long start_us, int status,
                   const char *code);
long long mock_now_us(void);

/* Thread body for one accepted connection (session.c). */
void *mock_session_main(void *arg);

/* Closes the session's socket so stop() can no longer shut it down. */
void mock_session_close_fd(mock_session *s);

#endif
