/* The mock's lifecycle: configuration, libmicrohttpd's daemon with the
 * limits that bound a hostile client, and a clean stop that joins every
 * thread it started. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
    snprintf(m->url, sizeof m->url, "%s://%s%s%s:%u%s", m->https ? "https" : "http",
             v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)m->port, MOCK_EWS_PATH);
}

/* MHD reports why it could not start only through its log: the first
 * message while starting is kept for the caller's error. Later messages
 * (a client that went away, a failed handshake) are a client's business
 * and stay quiet, as they did before MHD. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    ews_mock *m = cls;
    pthread_mutex_lock(&m->log_lock);
    if (m->start_log && !m->start_log[0]) {
        vsnprintf(m->start_log, sizeof m->start_log_buf, fmt, ap);
        m->start_log[strcspn(m->start_log, "\n")] = '\0';
    }
    pthread_mutex_unlock(&m->log_lock);
}

/* The TLS credentials MHD takes from memory, kept until stop. */
static int load_tls(ews_mock *m, const char *cert_file, const char *key_file, char *err,
                    size_t errlen)
{
    size_t len;
    int e = mock_read_file(cert_file, 1 << 20, &m->tls_cert, &len);
    if (e) {
        mock_errf(err, errlen, "TLS: cannot load the certificate %s: %s", cert_file, strerror(e));
        return -1;
    }
    e = mock_read_file(key_file, 1 << 20, &m->tls_key, &m->tls_key_len);
    if (e) {
        mock_errf(err, errlen, "TLS: cannot load the private key %s: %s", key_file, strerror(e));
        return -1;
    }
    m->https = 1;
    return 0;
}

/* Starts MHD on one resolved address. */
static struct MHD_Daemon *start_daemon(ews_mock *m, const struct addrinfo *ai)
{
    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                         MHD_USE_POLL | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    if (m->https)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls[] = {
        { MHD_OPTION_HTTPS_MEM_CERT, 0, m->tls_cert },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, m->tls_key },
        /* Clients of a 2020s Exchange server speak TLS 1.2 or later;
         * offering less would only hide client-side misconfiguration. */
        { MHD_OPTION_HTTPS_PRIORITIES, 0,
          (void *)"NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" },
        { MHD_OPTION_END, 0, NULL },
    };
    struct MHD_OptionItem plain[] = { { MHD_OPTION_END, 0, NULL } };
    return MHD_start_daemon(
        flags, 0, NULL, NULL, mock_handle, m,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, m,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, 1U,
        MHD_OPTION_NOTIFY_CONNECTION, mock_conn_event, m,
        MHD_OPTION_NOTIFY_COMPLETED, mock_request_done, m,
        /* One thread per connection: this many threads at most. Well
         * above what a test or the export benchmark opens (--jobs 20),
         * low enough that a flood cannot exhaust the process; more are
         * closed at once. */
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MOCK_MAX_CONNECTIONS,
        /* (No per-address cap: every client is on loopback, so it would
         * be the same cap.) Idle and stalled clients: a connection silent this long is
         * closed, whether between requests (keep-alive), inside a head,
         * inside a body, or during the TLS handshake. */
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)MOCK_IDLE_TIMEOUT_S,
        /* The request head (request line and headers) must fit in this
         * pool with MHD's own bookkeeping: 16 KiB as before MHD, far above
         * what any EWS client sends (curl's with NTLM tokens is under
         * 2 KiB); a longer head gets 431 (414 for the request line). The
         * body is not held here: it streams to mock_handle, which caps it
         * at MOCK_MAX_REQUEST_BYTES. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MOCK_HEAD_POOL_BYTES,
        /* A Host header for HTTP/1.1 and no blanks inside the target, as
         * RFC 9112 asks; the rest of the checks are in handler.c. */
        MHD_OPTION_STRICT_FOR_CLIENT, 1,
        MHD_OPTION_ARRAY, m->https ? tls : plain,
        MHD_OPTION_END);
}

static int start_listening(ews_mock *m, const char *bind_address, unsigned short port,
                           char *err, size_t errlen)
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
    /* Our threads (MHD's inherit them) block every signal: the
     * application's handlers (and its sigwait, as in ews-mock-server) keep
     * them all, and a write to a closed connection fails with EPIPE
     * instead of raising SIGPIPE. Only this thread's mask changes, and
     * only while MHD starts its threads. */
    sigset_t all, saved;
    sigfillset(&all);
    for (struct addrinfo *ai = res; ai && !m->daemon; ai = ai->ai_next) {
        pthread_mutex_lock(&m->log_lock);
        m->start_log_buf[0] = '\0';
        m->start_log = m->start_log_buf;
        pthread_mutex_unlock(&m->log_lock);
        pthread_sigmask(SIG_SETMASK, &all, &saved);
        m->daemon = start_daemon(m, ai);
        pthread_sigmask(SIG_SETMASK, &saved, NULL);
        pthread_mutex_lock(&m->log_lock);
        m->start_log = NULL;
        pthread_mutex_unlock(&m->log_lock);
        if (m->daemon) {
            const union MHD_DaemonInfo *di =
                MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
            m->port = di ? di->port : port;
            make_url(m, ai->ai_addr);
        }
    }
    freeaddrinfo(res);
    if (m->daemon)
        return 0;
    const char *why = m->start_log_buf[0] ? m->start_log_buf : "libmicrohttpd did not start";
    if (m->https)
        mock_errf(err, errlen, "cannot serve HTTPS on %s port %u with the certificate %s and "
                  "the key %s: %s", host, (unsigned)port, m->tls_cert_file, m->tls_key_file, why);
    else
        mock_errf(err, errlen, "cannot listen on %s port %u: %s", host, (unsigned)port, why);
    return -1;
}

static void destroy(ews_mock *m)
{
    for (int i = 0; i < 2; i++)
        if (m->wake[i] >= 0)
            close(m->wake[i]);
    free(m->tls_cert);
    if (m->tls_key)
        ews_secure_zero(m->tls_key, m->tls_key_len);
    free(m->tls_key);
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
    m->wake[0] = m->wake[1] = -1;
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
    m->tls_cert_file = opts->tls_cert_file;
    m->tls_key_file = opts->tls_key_file;
    if (opts->tls_cert_file && load_tls(m, opts->tls_cert_file, opts->tls_key_file, err, errlen))
        goto fail;
    if (pipe2(m->wake, O_CLOEXEC)) {
        mock_errf(err, errlen, "cannot create a pipe: %s", strerror(errno));
        goto fail;
    }
    if (start_listening(m, opts->bind_address, opts->port, err, errlen))
        goto fail;
    m->tls_cert_file = m->tls_key_file = NULL; /* the caller's, valid during start only */
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
    /* Wake the handlers that wait (a delay, a stall) before MHD joins the
     * connection threads. */
    ssize_t w;
    do
        w = write(m->wake[1], "x", 1);
    while (w < 0 && errno == EINTR);
    MHD_stop_daemon(m->daemon);
    destroy(m);
}
