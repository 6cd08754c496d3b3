/* One client connection, plain or TLS: buffered reads that give up when
 * the server stops or the client stays silent too long, and complete
 * writes that never raise SIGPIPE in the process. */
#ifndef EWS_MOCK_CONN_H
#define EWS_MOCK_CONN_H

#include <stddef.h>

#include <openssl/ssl.h>

#define MOCK_CONN_BUFSIZE 16384

typedef struct mock_conn {
    int fd;
    SSL *ssl;            /* NULL: plain TCP */
    int tls_failed;      /* a fatal TLS error happened: no close_notify */
    int wake_fd;         /* becomes readable when the server stops */
    char buf[MOCK_CONN_BUFSIZE];
    size_t start, end;   /* unread input is buf[start..end) */
} mock_conn;

enum {
    CONN_OK = 0,
    CONN_EOF = -1,       /* the client closed its side */
    CONN_TIMEOUT = -2,
    CONN_STOP = -3,      /* the server is stopping */
    CONN_ERROR = -4,     /* reset, TLS failure, ... */
    CONN_FULL = -5       /* the buffer holds MOCK_CONN_BUFSIZE unread bytes */
};

/* Unread bytes. */
static inline const char *conn_data(const mock_conn *c) { return c->buf + c->start; }
static inline size_t conn_avail(const mock_conn *c) { return c->end - c->start; }
static inline void conn_consume(mock_conn *c, size_t n) { c->start += n; }

/* Reads whatever arrives within timeout_ms (> 0) and appends it to the
 * unread input. CONN_OK or one of the codes above. */
int conn_fill(mock_conn *c, int timeout_ms);

/* Sends all of data. CONN_OK, CONN_ERROR. */
int conn_write(mock_conn *c, const void *data, size_t len);

/* Waits up to timeout_ms for raw input on the socket. CONN_OK when some
 * is there, else CONN_TIMEOUT, CONN_STOP or CONN_ERROR. */
int conn_wait_input(mock_conn *c, int timeout_ms);

/* Sleeps for timeout_ms (< 0: without limit), returning early with
 * CONN_STOP when the server stops or CONN_EOF when the client hangs up;
 * CONN_TIMEOUT when the time ran out. */
int conn_wait(mock_conn *c, int timeout_ms);

#endif
