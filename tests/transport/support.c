#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, memmem, prctl */
#endif
#include "support.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef EWS_PYTHON
#define EWS_PYTHON "python3"
#endif
#ifndef EWS_TEST_SERVERS_DIR
#error "EWS_TEST_SERVERS_DIR must name tests/transport/servers"
#endif

void tt_init(void)
{
    static const char *const proxy_vars[] = { "http_proxy", "https_proxy", "HTTPS_PROXY",
                                              "all_proxy", "ALL_PROXY", "no_proxy",
                                              "NO_PROXY" };
    for (size_t i = 0; i < sizeof proxy_vars / sizeof proxy_vars[0]; i++)
        unsetenv(proxy_vars[i]);
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

static void sleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

/* Reads one line from fd (at most cap-1 bytes), waiting up to timeout_ms. */
static int read_line(int fd, char *line, size_t cap, long timeout_ms)
{
    size_t n = 0;
    while (n + 1 < cap) {
        struct pollfd p = { fd, POLLIN, 0 };
        int r = poll(&p, 1, (int)timeout_ms);
        if (r <= 0)
            return -1;
        char c;
        ssize_t got = read(fd, &c, 1);
        if (got <= 0)
            return -1;
        if (c == '\n')
            break;
        line[n++] = c;
    }
    line[n] = '\0';
    return 0;
}

static pid_t spawn(const char *script, const char *const *args, int *to_child, int *from_child)
{
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
        return -1;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", EWS_TEST_SERVERS_DIR, script);
    const char *argv[64] = { EWS_PYTHON, path };
    size_t argc = 2;
    for (; args && args[argc - 2] && argc < 63; argc++)
        argv[argc] = args[argc - 2];
    argv[argc] = NULL;

    pid_t pid = fork();
    if (pid == 0) {
        /* Dies with the test, whatever way the test ends. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        dup2(in[0], 0);
        dup2(out[1], 1);
        execvp(argv[0], (char *const *)(uintptr_t)argv);
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    if (pid < 0) {
        close(in[1]);
        close(out[0]);
        return -1;
    }
    *to_child = in[1];
    *from_child = out[0];
    return pid;
}

int tt_server_start(tt_server *s, const char *script, const char *const *args)
{
    memset(s, 0, sizeof *s);
    s->pid = spawn(script, args, &s->to_child, &s->from_child);
    if (s->pid < 0) {
        fprintf(stderr, "cannot start %s\n", script);
        return -1;
    }
    char line[256];
    for (;;) {
        if (read_line(s->from_child, line, sizeof line, 30000)) {
            fprintf(stderr, "%s did not get ready\n", script);
            tt_server_stop(s);
            return -1;
        }
        if (strcmp(line, "READY") == 0)
            return 0;
        if (strncmp(line, "SKIP", 4) == 0) {
            printf("skipped: %s\n", line + 4);
            tt_server_stop(s);
            return TT_SKIP;
        }
        char name[32];
        long port;
        if (sscanf(line, "PORT %31s %ld", name, &port) == 2 && s->nports < TT_MAX_LISTENERS) {
            snprintf(s->names[s->nports], sizeof s->names[0], "%s", name);
            s->ports[s->nports++] = port;
        }
    }
}

long tt_server_port(const tt_server *s, const char *name)
{
    for (int i = 0; i < s->nports; i++)
        if (strcmp(s->names[i], name) == 0)
            return s->ports[i];
    return -1;
}

void tt_server_stop(tt_server *s)
{
    if (s->pid <= 0)
        return;
    close(s->to_child);
    close(s->from_child);
    int status;
    for (int i = 0; i < 100; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            return;
        }
        sleep_ms(50);
    }
    kill(s->pid, SIGTERM);
    for (int i = 0; i < 40; i++) {
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            s->pid = 0;
            return;
        }
        sleep_ms(50);
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, &status, 0);
    s->pid = 0;
}

long tt_server_stat(const tt_server *s, const char *ctl, const char *listener,
                    const char *counter)
{
    ews_client_options cfg;
    tt_config_init(&cfg, tt_url("http", "127.0.0.1", tt_server_port(s, ctl), "/stats"));
    ews_http_request req = tt_request();
    ews_http_response resp = { 0 };
    ews_err err;
    ews_err_init(&err);
    long value = -1;
    if (tt_post(&cfg, &req, &resp, &err) == 0 && resp.status == 200) {
        char key[64];
        snprintf(key, sizeof key, "%s ", listener);
        for (char *line = resp.body.data; line && *line;) {
            char *nl = strchr(line, '\n');
            if (strncmp(line, key, strlen(key)) == 0) {
                char field[64];
                snprintf(field, sizeof field, " %s=", counter);
                char *at = strstr(line, field);
                if (at && (!nl || at < nl))
                    value = strtol(at + strlen(field), NULL, 10);
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    ews_http_response_free(&resp);
    ews_err_free(&err);
    return value;
}

char *tt_tempdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/ews-transport-XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void tt_rmtree(char *dir)
{
    if (dir)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(dir);
}

int tt_run_script(const char *script, const char *arg)
{
    const char *args[] = { arg, NULL };
    int to, from;
    pid_t pid = spawn(script, args, &to, &from);
    if (pid < 0)
        return -1;
    close(to);
    char line[256] = "";
    int skip = read_line(from, line, sizeof line, 60000) == 0 && strncmp(line, "SKIP", 4) == 0;
    close(from);
    int status;
    waitpid(pid, &status, 0);
    if (skip || (WIFEXITED(status) && WEXITSTATUS(status) == TT_SKIP)) {
        printf("skipped: %s\n", line + 4);
        return TT_SKIP;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

const char *tt_url(const char *scheme, const char *host, long port, const char *path)
{
    static char url[512];
    snprintf(url, sizeof url, "%s://%s:%ld%s", scheme, host, port, path);
    return url;
}

char *tt_make_token(size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        t[i] = alphabet[(i * 31 + 7) % 64];
    t[n] = '\0';
    return t;
}

void tt_config_init(ews_client_options *cfg, const char *url)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->url = url;
    cfg->user_agent = "ews-c-transport-test/1";
    cfg->allow_insecure_http = 1;
    /* generous: under valgrind, loading the system CA store alone takes
     * seconds */
    cfg->connect_timeout_ms = 30000;
    cfg->stall_timeout_ms = 30000;
    cfg->timeout_ms = 60000;
    cfg->max_response_bytes = (size_t)8 << 20;
}

int tt_post(const ews_client_options *cfg, const ews_http_request *req,
            ews_http_response *resp, ews_err *err)
{
    ews_transport *t = NULL;
    int rc = ews_transport_new(&t, cfg, err);
    if (rc) {
        fprintf(stderr, "ews_transport_new: %s\n", err->pub.message);
        return rc;
    }
    rc = ews_transport_post(t, req, resp, err);
    ews_transport_free(t);
    return rc;
}

ews_http_request tt_request(void)
{
    static const char body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        "<soap:Body><GetImItemList "
        "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\"/>"
        "</soap:Body></soap:Envelope>";
    ews_http_request req;
    memset(&req, 0, sizeof req);
    req.body = body;
    req.body_len = sizeof body - 1;
    req.soap_action = "http://schemas.microsoft.com/exchange/services/2006/messages/GetImItemList";
    req.anchor_mailbox = "alice@contoso.example";
    req.client_request_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    return req;
}

void tt_trace_collect(ews_trace_kind kind, const char *data, size_t len, void *userdata)
{
    tt_trace *tr = userdata;
    if ((int)kind >= 0 && (int)kind < 5)
        tr->count[kind]++;
    ews_buf_append(&tr->all, data, len);
    ews_buf_append(&tr->all, "\n", 1);
}

int tt_contains(const char *hay, size_t len, const char *needle)
{
    return hay && memmem(hay, len, needle, strlen(needle)) != NULL;
}

long tt_post_status(const ews_client_options *cfg)
{
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    long status = -1;
    if (tt_post(cfg, &req, &r, &err) == 0)
        status = r.status;
    else
        fprintf(stderr, "transport error: %s\n", err.pub.message);
    ews_http_response_free(&r);
    ews_err_free(&err);
    return status;
}
