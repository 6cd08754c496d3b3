#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* pipe2, prctl */
#endif
#include "ts_process.h"

#include <errno.h>
#include <fcntl.h>
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

#include "ts_assert.h"

#ifndef EWS_PYTHON
#define EWS_PYTHON "python3"
#endif
#ifndef TS_LOOPBACK_SERVER
#error "TS_LOOPBACK_SERVER must name tests/support/loopback_server.py"
#endif

void ts_no_proxy(void)
{
    static const char *const vars[] = { "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy",
                                        "ALL_PROXY", "no_proxy", "NO_PROXY" };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
}

void ts_sleep_ms(long ms)
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
    if (pipe2(in, O_CLOEXEC))
        return -1;
    if (pipe2(out, O_CLOEXEC)) {
        close(in[0]);
        close(in[1]);
        return -1;
    }
    const char *argv[64] = { EWS_PYTHON, script };
    size_t argc = 2;
    for (; args && args[argc - 2] && argc < 63; argc++)
        argv[argc] = args[argc - 2];
    argv[argc] = NULL;

    pid_t pid = fork();
    if (pid == 0) {
        /* Dies with the test, whatever way the test ends (a failed
         * assertion never reaches ts_server_stop). */
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

int ts_server_start(ts_server *s, const char *script, const char *const *args)
{
    memset(s, 0, sizeof *s);
    s->pid = spawn(script, args, &s->to_child, &s->from_child);
    if (s->pid < 0) {
        fprintf(stderr, "cannot start %s\n", script);
        s->pid = 0;
        return -1;
    }
    char line[256];
    for (;;) {
        if (read_line(s->from_child, line, sizeof line, 30000)) {
            fprintf(stderr, "%s did not get ready\n", script);
            ts_server_stop(s);
            return -1;
        }
        if (strcmp(line, "READY") == 0)
            return 0;
        if (strncmp(line, "SKIP", 4) == 0) {
            printf("skipped: %s\n", line + 4);
            ts_server_stop(s);
            return TS_SKIP;
        }
        char name[32];
        long port;
        if (sscanf(line, "PORT %31s %ld", name, &port) == 2 && s->nports < TS_MAX_LISTENERS) {
            snprintf(s->names[s->nports], sizeof s->names[0], "%s", name);
            s->ports[s->nports++] = port;
        }
    }
}

int ts_loopback_start(ts_server *s, const char *const *args)
{
    return ts_server_start(s, TS_LOOPBACK_SERVER, args);
}

long ts_server_port(const ts_server *s, const char *name)
{
    for (int i = 0; i < s->nports; i++)
        if (strcmp(s->names[i], name) == 0)
            return s->ports[i];
    return -1;
}

static int reaped_within(pid_t pid, int tries)
{
    int status;
    for (int i = 0; i < tries; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return 1;
        ts_sleep_ms(50);
    }
    return 0;
}

void ts_server_stop(ts_server *s)
{
    if (s->pid <= 0)
        return;
    close(s->to_child);
    close(s->from_child);
    if (!reaped_within(s->pid, 100)) {
        kill(s->pid, SIGTERM);
        if (!reaped_within(s->pid, 40)) {
            kill(s->pid, SIGKILL);
            while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR) {
            }
        }
    }
    s->pid = 0;
}

int ts_run_script(const char *script, const char *arg)
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
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (skip || (WIFEXITED(status) && WEXITSTATUS(status) == TS_SKIP)) {
        printf("skipped: %s\n", line + 4);
        return TS_SKIP;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
