#define _POSIX_C_SOURCE 200809L
#include "bench_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNS 64
#define MAX_REQUEST (1u << 20)

struct bench_server {
    int fd;
    unsigned short port;
    const char *body;
    size_t len;
    char header[256];
    size_t header_len;
    atomic_int stop;
    atomic_ulong requests;
    pthread_t acceptor;
    pthread_mutex_t lock;
    char *first;
    size_t first_len;
    pthread_t conns[MAX_CONNS];
    int conn_fds[MAX_CONNS];
    atomic_int nconns;
};

typedef struct conn {
    bench_server *s;
    int fd;
} conn;

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Content-Length of a request head, or -1 when it has none. */
static long content_length(const char *head)
{
    for (const char *p = head; (p = strchr(p, '\n')) != NULL;) {
        p++;
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            return strtol(p + 15, NULL, 10);
    }
    return -1;
}

static void *serve(void *arg)
{
    conn c = *(conn *)arg;
    free(arg);
    bench_server *s = c.s;
    char *buf = malloc(MAX_REQUEST + 1);
    size_t have = 0;
    while (buf && !atomic_load(&s->stop)) {
        ssize_t k = recv(c.fd, buf + have, MAX_REQUEST - have, 0);
        if (k <= 0)
            break;
        have += (size_t)k;
        for (;;) {
            buf[have] = '\0';
            char *end = strstr(buf, "\r\n\r\n");
            if (!end)
                break;
            size_t head = (size_t)(end + 4 - buf);
            long body = content_length(buf);
            if (body < 0 || head + (size_t)body > MAX_REQUEST)
                goto done;
            if (have < head + (size_t)body)
                break;
            pthread_mutex_lock(&s->lock);
            if (!s->first && (s->first = malloc((size_t)body + 1))) {
                memcpy(s->first, buf + head, (size_t)body);
                s->first[body] = '\0';
                s->first_len = (size_t)body;
            }
            pthread_mutex_unlock(&s->lock);
            atomic_fetch_add(&s->requests, 1);
            if (send_all(c.fd, s->header, s->header_len) || send_all(c.fd, s->body, s->len))
                goto done;
            size_t used = head + (size_t)body;
            memmove(buf, buf + used, have - used);
            have -= used;
        }
    }
done:
    free(buf);
    close(c.fd);
    return NULL;
}

static void *accept_loop(void *arg)
{
    bench_server *s = arg;
    while (!atomic_load(&s->stop)) {
        struct pollfd p = { s->fd, POLLIN, 0 };
        if (poll(&p, 1, 100) <= 0)
            continue;
        int fd = accept(s->fd, NULL, NULL);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        conn *c = malloc(sizeof *c);
        if (!c || s->nconns == MAX_CONNS) {
            free(c);
            close(fd);
            continue;
        }
        c->s = s;
        c->fd = fd;
        s->conn_fds[s->nconns] = fd;
        if (pthread_create(&s->conns[s->nconns], NULL, serve, c) != 0) {
            free(c);
            close(fd);
            continue;
        }
        s->nconns++;
    }
    return NULL;
}

bench_server *bench_server_start(const char *body, size_t len)
{
    bench_server *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->body = body;
    s->len = len;
    s->header_len = (size_t)snprintf(s->header, sizeof s->header,
                                     "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=utf-8\r\n"
                                     "Content-Length: %zu\r\n\r\n",
                                     len);
    pthread_mutex_init(&s->lock, NULL);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(s->fd, 64) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &alen) != 0) {
        if (s->fd >= 0)
            close(s->fd);
        free(s);
        return NULL;
    }
    s->port = ntohs(a.sin_port);
    if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
        close(s->fd);
        free(s);
        return NULL;
    }
    return s;
}

unsigned short bench_server_port(const bench_server *s)
{
    return s->port;
}

const char *bench_server_first_request(bench_server *s, size_t *len)
{
    pthread_mutex_lock(&s->lock);
    const char *r = s->first;
    *len = s->first_len;
    pthread_mutex_unlock(&s->lock);
    return r;
}

unsigned long bench_server_requests(bench_server *s)
{
    return atomic_load(&s->requests);
}

int bench_server_connections(bench_server *s)
{
    return atomic_load(&s->nconns);
}

void bench_server_stop(bench_server *s)
{
    atomic_store(&s->stop, 1);
    pthread_join(s->acceptor, NULL);
    /* Wakes connection threads blocked in recv. */
    for (int i = 0; i < s->nconns; i++)
        shutdown(s->conn_fds[i], SHUT_RDWR);
    for (int i = 0; i < s->nconns; i++)
        pthread_join(s->conns[i], NULL);
    close(s->fd);
    free(s->first);
    pthread_mutex_destroy(&s->lock);
    free(s);
}
