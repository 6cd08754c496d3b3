#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strsignal */
#endif
#include "hostile.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ts_tempdir.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HOSTILE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define HOSTILE_SANITIZED 1
#endif
#endif
#ifndef HOSTILE_SANITIZED
#define HOSTILE_SANITIZED 0
#endif

/* Instrumented runs are many times slower; the library's own timers are
 * not, so only the slack on top of them grows. */
#define SLOW_SLACK_MS 90000L

int hostile_under_valgrind(void)
{
    return RUNNING_ON_VALGRIND != 0;
}

int hostile_instrumented(void)
{
    return HOSTILE_SANITIZED || RUNNING_ON_VALGRIND;
}

void hostile_init(void)
{
    ts_no_proxy();
    /* HOSTILE_ONLY=test_drip (a glob) runs just the matching tests. */
    if (getenv("HOSTILE_ONLY"))
        cmocka_set_test_filter(getenv("HOSTILE_ONLY"));
}

static long ms_since(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long)((now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000);
}

/* ---- the server ---------------------------------------------------------- */

int hostile_start(hostile_server *s, const char *mode, long count)
{
    memset(s, 0, sizeof *s);
    if (!(s->dir = ts_tempdir()))
        return -1;
    int tls = strcmp(mode, "redirect-loop") == 0;
    char listen[700], n[32];
    snprintf(listen, sizeof listen, "main");
    snprintf(s->log_path, sizeof s->log_path, "%s/log", s->dir);
    snprintf(s->cafile, sizeof s->cafile, "%s/cert.pem", s->dir);
    if (tls) {
        if (ts_make_certificate(s->dir))
            return -1;
        snprintf(listen, sizeof listen, "main:%s:%s/key.pem", s->cafile, s->dir);
    }
    snprintf(n, sizeof n, "%ld", count);
    const char *args[] = { "--listen", listen, "--log", s->log_path, "hostile", mode,
                           "--count", n, NULL };
    if (ts_loopback_start(&s->server, args))
        return -1;
    snprintf(s->url, sizeof s->url, "%s://127.0.0.1:%ld/EWS/Exchange.asmx", tls ? "https" : "http",
             ts_server_port(&s->server, "main"));
    return 0;
}

void hostile_stop(hostile_server *s)
{
    ts_server_stop(&s->server);
    ts_rmtree(s->dir);
    s->dir = NULL;
}

static char *read_log(const hostile_server *s)
{
    return ts_read_text(s->log_path, NULL);
}

static const char *next_line(const char *p)
{
    const char *nl = strchr(p, '\n');
    return nl ? nl + 1 : NULL;
}

/* The line starting with prefix, or NULL. */
static const char *find_line(const char *log, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = log; p && *p; p = next_line(p))
        if (strncmp(p, prefix, n) == 0)
            return p;
    return NULL;
}

long hostile_log_number(const hostile_server *s, const char *prefix, long wait_ms)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        char *log = read_log(s);
        const char *line = find_line(log, prefix);
        long v = line ? strtol(line + strlen(prefix), NULL, 10) : -1;
        free(log);
        if (line || ms_since(&t0) >= wait_ms)
            return v;
        ts_sleep_ms(20);
    }
}

int hostile_log_count(const hostile_server *s, const char *prefix)
{
    char *log = read_log(s);
    int count = 0;
    size_t n = strlen(prefix);
    for (const char *p = log; p && *p; p = next_line(p))
        count += strncmp(p, prefix, n) == 0;
    free(log);
    return count;
}

/* ---- the client, in a child process ----------------------------------------- */

static char complaint[1024];

static void complain(const hostile_case *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void complain(const hostile_case *c, const char *fmt, ...)
{
    if (complaint[0])
        return; /* the first deviation is the interesting one */
    int n = snprintf(complaint, sizeof complaint, "%s: ", c->name);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(complaint + n, sizeof complaint - (size_t)n, fmt, ap);
    va_end(ap);
}

static long status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            kb = strtol(line + strlen(field), NULL, 10);
    fclose(f);
    return kb;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0); 0 when it could. */
static int reset_peak(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return -1;
    int ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok ? 0 : -1;
}

static void check_no_secret(const hostile_case *c, const ews_error *e)
{
    const char *fields[] = { e->message, e->soap_faultcode, e->soap_faultstring,
                             e->response_class, e->response_code, e->message_text,
                             e->client_request_id, e->server_request_id,
                             e->backend_http_status, e->element };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i] && (strstr(fields[i], HOSTILE_PASSWORD) ||
                          strstr(fields[i], HOSTILE_PASSWORD_B64)))
            complain(c, "the error record carries the password: \"%s\"", fields[i]);
}

static ews_client_options base_options(const hostile_server *s)
{
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = s->url;
    o.allow_insecure_http = 1;
    o.auth = EWS_AUTH_BASIC;
    o.username = HOSTILE_USER;
    o.password = HOSTILE_PASSWORD;
    o.allow_credentials_over_http = 1;
    o.connect_timeout_ms = 2000;
    o.stall_timeout_ms = HOSTILE_STALL_MS;
    o.timeout_ms = HOSTILE_TOTAL_MS;
    o.max_response_bytes = HOSTILE_MAX_BYTES;
    o.retry.max_attempts = 1;
    if (strncmp(s->url, "https:", 6) == 0)
        o.cafile = s->cafile;
    return o;
}

static void check_outcome(const hostile_case *c, int rc, const ews_imlist *list,
                          const ews_error *e, long ms)
{
    if (rc != c->rc)
        complain(c, "%s (%d) instead of %s: %s", ews_err_name(rc), rc, ews_err_name(c->rc),
                 e->message);
    if (rc == 0 && !list)
        complain(c, "success without a list");
    if (rc != 0 && list)
        complain(c, "a list despite %s", ews_err_name(rc));
    if (rc != 0 && (e->code != rc || !e->message || !e->message[0]))
        complain(c, "error record: code %d, message \"%s\"", e->code,
                 e->message ? e->message : "(null)");
    if (c->http_status >= 0 && e->http_status != c->http_status)
        complain(c, "http_status %ld instead of %ld", e->http_status, c->http_status);
    if (c->message_has && !strstr(e->message, c->message_has))
        complain(c, "the message \"%s\" does not say \"%s\"", e->message, c->message_has);
    long max_ms = c->max_ms + (hostile_instrumented() ? SLOW_SLACK_MS : 0);
    if (ms < c->min_ms || ms > max_ms)
        complain(c, "ended after %ld ms, outside [%ld, %ld] ms (%s)", ms, c->min_ms, max_ms,
                 e->message);
    check_no_secret(c, e);
    if (c->check) {
        const char *why = c->check(list, e);
        if (why)
            complain(c, "%s", why);
    }
}

/* Returns the growth in KiB, -1 when unknown. */
static long check_memory(const hostile_case *c, long base_kb)
{
    long peak_kb = status_kb("VmHWM:");
    if (base_kb < 0 || peak_kb < 0)
        return -1;
    if (hostile_instrumented() || c->max_growth_mb <= 0)
        return peak_kb - base_kb;
    if (peak_kb - base_kb > c->max_growth_mb * 1024)
        complain(c, "peak RSS grew by %ld MiB during the call (bound %ld MiB)",
                 (peak_kb - base_kb) / 1024, c->max_growth_mb);
    return peak_kb - base_kb;
}

static void run_child(const hostile_case *c, const hostile_server *s, int report)
{
    /* A SIGPIPE while sending must not kill the caller: leave it fatal. */
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) != 0 || sa.sa_handler != SIG_DFL)
        complain(c, "SIGPIPE is not at its default disposition in the test");

    ews_client_options o = base_options(s);
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    if (c->tune)
        c->tune(&o, &call);
    ews_client *client = NULL;
    int rc = ews_client_new(&client, &o);
    if (rc != 0) {
        complain(c, "ews_client_new: %s", ews_client_last_error(client)->message);
    } else {
        /* Without a reset, the peak inherited from the parent is the base. */
        long base_kb = status_kb(reset_peak() == 0 ? "VmRSS:" : "VmHWM:");
        ews_imlist *list = NULL;
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        rc = ews_get_im_item_list(&list, client, &call);
        long ms = ms_since(&t0);
        const ews_error *e = ews_client_last_error(client);
        check_outcome(c, rc, list, e, ms);
        long grew_kb = check_memory(c, base_kb);
        /* One line per case for the log: what it ended in, when, at what cost. */
        printf("[ hostile  ] %s: %s after %ld ms, peak RSS +%ld KiB: %s\n", c->name,
               ews_err_name(rc), ms, grew_kb, rc ? e->message : "ok");
        fflush(stdout);
        ews_imlist_free(list);
    }
    ews_client_free(client);
    size_t n = strlen(complaint);
    ssize_t w = write(report, complaint, n);
    (void)w;
    close(report);
    /* exit, not _exit: leak checkers report at exit. */
    exit(n ? 1 : 0);
}

void hostile_run(const hostile_case *c, const hostile_server *s)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        run_child(c, s, p[1]);
    }
    close(p[1]);
    long limit = c->max_ms + (hostile_instrumented() ? SLOW_SLACK_MS : 0) + 10000;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int status = 0;
    pid_t got;
    while ((got = waitpid(pid, &status, WNOHANG)) == 0 && ms_since(&t0) < limit)
        ts_sleep_ms(20);
    if (got == 0) {
        /* SIGABRT first: a core, or valgrind's stack of where it hangs. */
        kill(pid, SIGABRT);
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (waitpid(pid, &status, WNOHANG) == 0 && ms_since(&t0) < 10000)
            ts_sleep_ms(20);
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        close(p[0]);
        fail_msg("%s: the call had not returned after %ld ms", c->name, limit);
    }
    char msg[sizeof complaint + 1] = "";
    ssize_t n = read(p[0], msg, sizeof msg - 1);
    msg[n > 0 ? n : 0] = '\0';
    close(p[0]);
    if (WIFSIGNALED(status))
        fail_msg("%s: the client process died of signal %d (%s)", c->name, WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("%s", msg[0] ? msg : "the client process failed (see its output above)");
}
