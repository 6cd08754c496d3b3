#include "conn.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>

/* Whether input is ready without touching the socket: TLS may hold a
 * decrypted record already. */
static int tls_has_pending(const mock_conn *c)
{
    return c->ssl && SSL_has_pending(c->ssl);
}

static int wait_readable(mock_conn *c, int timeout_ms)
{
    struct pollfd p[2] = {
        { .fd = c->fd, .events = POLLIN },
        { .fd = c->wake_fd, .events = POLLIN },
    };
    for (;;) {
        int n = poll(p, 2, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return CONN_ERROR;
        if (n == 0)
            return CONN_TIMEOUT;
        if (p[1].revents)
            return CONN_STOP;
        return CONN_OK;
    }
}

int conn_wait_input(mock_conn *c, int timeout_ms)
{
    return wait_readable(c, timeout_ms);
}

static int read_tls(mock_conn *c, char *dst, size_t cap)
{
    for (;;) {
        ERR_clear_error();
        int n = SSL_read(c->ssl, dst, cap > (size_t)0x7fffffff ? 0x7fffffff : (int)cap);
        if (n > 0)
            return n;
        int e = SSL_get_error(c->ssl, n);
        if (e == SSL_ERROR_ZERO_RETURN)
            return CONN_EOF;
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
            return 0; /* a non-application record: wait for more */
        c->tls_failed = 1;
        if (e == SSL_ERROR_SYSCALL && !ERR_peek_error())
            return CONN_EOF; /* closed without close_notify */
        return CONN_ERROR;
    }
}

int conn_fill(mock_conn *c, int timeout_ms)
{
    if (c->start == c->end) {
        c->start = c->end = 0;
    } else if (c->end == sizeof c->buf) {
        if (c->start == 0)
            return CONN_FULL;
        memmove(c->buf, c->buf + c->start, c->end - c->start);
        c->end -= c->start;
        c->start = 0;
    }
    char *dst = c->buf + c->end;
    size_t cap = sizeof c->buf - c->end;
    for (;;) {
        if (!tls_has_pending(c)) {
            int rc = wait_readable(c, timeout_ms);
            if (rc)
                return rc;
        }
        if (c->ssl) {
            int n = read_tls(c, dst, cap);
            if (n < 0)
                return n;
            if (n == 0)
                continue;
            c->end += (size_t)n;
            return CONN_OK;
        }
        ssize_t n = recv(c->fd, dst, cap, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK ? CONN_TIMEOUT : CONN_ERROR;
        if (n == 0)
            return CONN_EOF;
        c->end += (size_t)n;
        return CONN_OK;
    }
}

int conn_write(mock_conn *c, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        size_t chunk = len > (size_t)1 << 30 ? (size_t)1 << 30 : len;
        if (c->ssl) {
            ERR_clear_error();
            /* SIGPIPE is blocked in the server's threads, so a write to a
             * closed socket inside OpenSSL fails with EPIPE instead. */
            int n = SSL_write(c->ssl, p, (int)chunk);
            if (n <= 0) {
                c->tls_failed = 1;
                return CONN_ERROR;
            }
            p += n;
            len -= (size_t)n;
            continue;
        }
        ssize_t n = send(c->fd, p, chunk, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return CONN_ERROR;
        p += n;
        len -= (size_t)n;
    }
    return CONN_OK;
}

int conn_wait(mock_conn *c, int timeout_ms)
{
    /* POLLRDHUP notices a client that gave up, without consuming any
     * request it may have pipelined. */
    struct pollfd p[2] = {
        { .fd = c->fd, .events = POLLRDHUP },
        { .fd = c->wake_fd, .events = POLLIN },
    };
    for (;;) {
        int n = poll(p, 2, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return CONN_ERROR;
        if (n == 0)
            return CONN_TIMEOUT;
        if (p[1].revents)
            return CONN_STOP;
        return CONN_EOF;
    }
}
