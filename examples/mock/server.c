/* The mock's lifecycle: configuration, the listening socket, the accept
 * thread, and a clean stop that joins every thread it started. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>

#include "soap/headers.h"
#include "mock_internal.h"
#include "util.h"

#define DEFAULT_MIN_VERSION "Exchange2013"

static int copy_options(ews_mock *m, const ews_mock_options *o, char *err, size_t errlen)
{
    if (o->version != EWS_MOCK_OPTIONS_VERSION) {
        mock_errf(err, errlen, "options version %u is not %d", o->version,
                  EWS_MOCK_OPTIONS_VERSION);
        return -1;
    }
    if (o->auth == EWS_MOCK_AUTH_BASIC && (!o->username || !*o->username || !o->password)) {
        mock_errf(err, errlen, "basic authentication needs a user name and a password");
        return -1;
    }
    if (o->auth == EWS_MOCK_AUTH_BEARER && (!o->token || !*o->token)) {
        mock_errf(err, errlen, "bearer authentication needs a token");
        return -1;
    }
    if (o->auth != EWS_MOCK_AUTH_NONE && o->auth != EWS_MOCK_AUTH_BASIC &&
        o->auth != EWS_MOCK_AUTH_BEARER) {
        mock_errf(err, errlen, "unknown authentication kind %d", (int)o->auth);
        return -1;
    }
    if (!o->tls_cert_file != !o->tls_key_file) {
        mock_errf(err, errlen, "HTTPS needs both a certificate and a key file");
        return -1;
    }
    const char *min = o->min_server_version ? o->min_server_version : DEFAULT_MIN_VERSION;
    int rank = ews_server_version_rank(min);
    if (rank < 0) {
        mock_errf(err, errlen, "unknown minimum server version '%s'", min);
        return -1;
    }
    size_t n = 0;
    while (o->impersonators && o->impersonators[n])
        n++;
    m->impersonators = calloc(n + 1, sizeof *m->impersonators);
    m->username = mock_strdup(o->username);
    m->password = mock_strdup(o->password);
    m->token = mock_strdup(o->token);
    int oom = !m->impersonators || (o->username && !m->username) ||
              (o->password && !m->password) || (o->token && !m->token);
    for (size_t i = 0; !oom && i < n; i++)
        oom = !(m->impersonators[i] = mock_strdup(o->impersonators[i]));
    size_t nr = 0;
    while (o->autodiscover_redirects && o->autodiscover_redirects[nr])
        nr++;
    m->ad_redirects = oom ? NULL : calloc(nr + 1, sizeof *m->ad_redirects);
    oom = oom || !m->ad_redirects;
    for (size_t i = 0; !oom && i < nr; i++) {
        oom = !(m->ad_redirects[i] = mock_strdup(o->autodiscover_redirects[i]));
        if (!oom && !strchr(m->ad_redirects[i], '=')) {
            mock_errf(err, errlen, "Autodiscover redirect '%s' is not FROM=TO",
                      m->ad_redirects[i]);
            return -1;
        }
    }
    if (oom) {
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    m->auth.kind = o->auth;
    m->auth.username = m->username;
    m->auth.password = m->password;
    m->auth.token = m->token;
    m->service.min_version_rank = rank;
    m->service.strict = o->strict;
    m->service.impersonators = m->impersonators;
    if (mock_canned_load(&m->canned, o->canned, err, errlen))
        return -1;
    m->service.canned = &m->canned;
    m->max_concurrency = o->max_concurrency;
    m->busy_back_off_ms = o->busy_back_off_ms;
    if (o->request_log && !(m->request_log = fopen(o->request_log, "we"))) {
        mock_errf(err, errlen, "cannot write the request log %s: %s", o->request_log,
                  strerror(errno));
        return -1;
    }
    return 0;
}

/* The URL clients should use: a wildcard bind address is reached over
 * loopback, and IPv6 literals need brackets. */
static void make_url(ews_mock *m, const struct sockaddr *sa)
{
    char host[INET6_ADDRSTRLEN] = "127.0.0.1";
    int v6 = sa->sa_family == AF_INET6;
    if (v6) {
        const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
        if (IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr))
            snprintf(host, sizeof host, "::1");
        else
            inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof host);
    } else {
        const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
        if (s4->sin_addr.s_addr != htonl(INADDR_ANY))
            inet_ntop(AF_INET, &s4->sin_addr, host, sizeof host);
    }
    snprintf(m->url, sizeof m->url, "%s://%s%s%s:%u%s", m->tls ? "https" : "http",
             v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)m->port, MOCK_EWS_PATH);
}

static int open_listener(ews_mock *m, const char *bind_address, unsigned short port, char *err,
                         size_t errlen)
{
    char service[8];
    snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    const char *host = bind_address ? bind_address : "127.0.0.1";
    int gai = getaddrinfo(host, service, &hints, &res);
    if (gai) {
        mock_errf(err, errlen, "cannot use bind address '%s': %s", host, gai_strerror(gai));
        return -1;
    }
    int last_errno = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last_errno = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0) {
            struct sockaddr_storage ss;
            socklen_t sl = sizeof ss;
            getsockname(fd, (struct sockaddr *)&ss, &sl);
            m->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                     : ((struct sockaddr_in *)&ss)->sin_port);
            m->listen_fd = fd;
            make_url(m, (struct sockaddr *)&ss);
            freeaddrinfo(res);
            return 0;
        }
        last_errno = errno;
        close(fd);
    }
    freeaddrinfo(res);
    mock_errf(err, errlen, "cannot listen on %s port %u: %s", host, (unsigned)port,
              strerror(last_errno ? last_errno : EADDRNOTAVAIL));
    return -1;
}

/* Joins the threads of finished sessions; all of them when `all`. */
static void reap_sessions(ews_mock *m, int all)
{
    for (;;) {
        mock_session *found = NULL;
        pthread_mutex_lock(&m->lock);
        for (mock_session **pp = &m->sessions; *pp; pp = &(*pp)->next)
            if (all || (*pp)->done) {
                found = *pp;
                *pp = found->next;
                m->session_count--;
                break;
            }
        pthread_mutex_unlock(&m->lock);
        if (!found)
            return;
        pthread_join(found->thread, NULL);
        free(found);
    }
}

static void set_socket_options(int fd)
{
    /* Backstops for blocking calls poll() does not cover (TLS handshake,
     * a record that arrives in pieces, a client that stops reading). */
    struct timeval tv = { MOCK_REQUEST_TIMEOUT_MS / 1000, 0 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void start_session(ews_mock *m, int fd)
{
    mock_session *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        return;
    }
    s->mock = m;
    s->fd = fd;
    set_socket_options(fd);
    pthread_mutex_lock(&m->lock);
    if (m->stopping || m->session_count >= MOCK_MAX_SESSIONS) {
        pthread_mutex_unlock(&m->lock);
        close(fd);
        free(s);
        return;
    }
    s->next = m->sessions;
    m->sessions = s;
    m->session_count++;
    /* Under the lock, so the session cannot finish and be reaped before
     * its thread id is stored. */
    if (pthread_create(&s->thread, NULL, mock_session_main, s) != 0) {
        m->sessions = s->next;
        m->session_count--;
        pthread_mutex_unlock(&m->lock);
        close(fd);
        free(s);
        return;
    }
    pthread_mutex_unlock(&m->lock);
}

static void *listener_main(void *arg)
{
    ews_mock *m = arg;
    struct pollfd p[2] = {
        { .fd = m->listen_fd, .events = POLLIN },
        { .fd = m->wake[0], .events = POLLIN },
    };
    for (;;) {
        int n = poll(p, 2, 1000);
        if (n < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        reap_sessions(m, 0);
        if (n <= 0 || !(p[0].revents & POLLIN))
            continue;
        int fd = accept4(m->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd >= 0) {
            start_session(m, fd);
        } else if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            /* The connection stays queued and poll() would report it at
             * once again: pause instead of spinning, stop still wakes us. */
            struct pollfd w = { .fd = m->wake[0], .events = POLLIN };
            poll(&w, 1, 100);
        }
    }
    return NULL;
}

void mock_session_close_fd(mock_session *s)
{
    pthread_mutex_lock(&s->mock->lock);
    int fd = s->fd;
    s->fd = -1;
    pthread_mutex_unlock(&s->mock->lock);
    if (fd >= 0)
        close(fd);
}

static void destroy(ews_mock *m)
{
    if (m->listen_fd >= 0)
        close(m->listen_fd);
    for (int i = 0; i < 2; i++)
        if (m->wake[i] >= 0)
            close(m->wake[i]);
    mock_tls_free(m->tls);
    mailboxes_free(&m->mailboxes);
    for (char **p = m->impersonators; p && *p; p++)
        free(*p);
    free(m->impersonators);
    mock_canned_free(&m->canned);
    for (char **p = m->ad_redirects; p && *p; p++)
        free(*p);
    free(m->ad_redirects);
    free(m->username);
    if (m->password)
        ews_secure_zero(m->password, strlen(m->password));
    free(m->password);
    if (m->token)
        ews_secure_zero(m->token, strlen(m->token));
    free(m->token);
    inject_destroy(&m->inject);
    if (m->request_log)
        fclose(m->request_log);
    pthread_mutex_destroy(&m->log_lock);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

int ews_mock_start(ews_mock **out, const ews_mock_options *opts, char *err, size_t errlen)
{
    *out = NULL;
    if (!opts) {
        mock_errf(err, errlen, "no options");
        return -1;
    }
    ews_mock *m = calloc(1, sizeof *m);
    if (!m) {
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    m->listen_fd = m->wake[0] = m->wake[1] = -1;
    pthread_mutex_init(&m->lock, NULL);
    pthread_mutex_init(&m->log_lock, NULL);
    inject_init(&m->inject);
    atomic_init(&m->requests, 0);
    atomic_init(&m->connections, 0);
    atomic_init(&m->handshakes, 0);
    atomic_init(&m->challenges, 0);
    atomic_init(&m->busy, 0);
    atomic_init(&m->peak, 0);
    atomic_init(&m->in_progress, 0);

    if (copy_options(m, opts, err, errlen) ||
        mailboxes_load(&m->mailboxes, opts->mailboxes, opts->mailbox_count, err, errlen))
        goto fail;
    m->mailboxes.generated = opts->generate_mailboxes;
    m->service.mailboxes = &m->mailboxes;
    if (opts->tls_cert_file &&
        mock_tls_new(&m->tls, opts->tls_cert_file, opts->tls_key_file, err, errlen))
        goto fail;
    if (open_listener(m, opts->bind_address, opts->port, err, errlen))
        goto fail;
    if (pipe2(m->wake, O_CLOEXEC)) {
        mock_errf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        goto fail;
    }

    /* Our threads block every signal: the application's handlers (and its
     * sigwait, as in ews-mock-server) keep them all, and a write to a
     * closed TLS connection fails with EPIPE instead of raising SIGPIPE.
     * Only this thread's mask changes, and only for the create call. */
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    int rc = pthread_create(&m->listener, NULL, listener_main, m);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (rc) {
        mock_errf(err, errlen, "cannot start a thread: %s", strerror(rc));
        goto fail;
    }
    m->listener_started = 1;
    *out = m;
    return 0;
fail:
    destroy(m);
    return -1;
}

int ews_mock_start_demo(ews_mock **out, char *err, size_t errlen)
{
    ews_mock_mailbox demo = { EWS_MOCK_DEMO_ADDRESS, NULL, ews_mock_demo_mailbox_xml(), NULL };
    ews_mock_options o;
    memset(&o, 0, sizeof o);
    o.version = EWS_MOCK_OPTIONS_VERSION;
    o.mailboxes = &demo;
    o.mailbox_count = 1;
    o.strict = 1;
    return ews_mock_start(out, &o, err, errlen);
}

unsigned short ews_mock_port(const ews_mock *m)
{
    return m ? m->port : 0;
}

const char *ews_mock_url(const ews_mock *m)
{
    return m ? m->url : NULL;
}

void ews_mock_set_faults(ews_mock *m, const ews_mock_faults *f)
{
    if (m)
        inject_set(&m->inject, f);
}

unsigned long ews_mock_request_count(const ews_mock *m)
{
    return m ? atomic_load(&m->requests) : 0;
}

void ews_mock_stop(ews_mock *m)
{
    if (!m)
        return;
    /* Wake everything: poll()s see the pipe, blocking reads and writes
     * (TLS handshakes, a client that stopped reading) see the shutdown. */
    pthread_mutex_lock(&m->lock);
    m->stopping = 1;
    for (mock_session *s = m->sessions; s; s = s->next)
        if (s->fd >= 0)
            shutdown(s->fd, SHUT_RDWR);
    pthread_mutex_unlock(&m->lock);
    ssize_t w;
    do
        w = write(m->wake[1], "x", 1);
    while (w < 0 && errno == EINTR);
    if (m->listener_started)
        pthread_join(m->listener, NULL);
    reap_sessions(m, 1);
    destroy(m);
}
