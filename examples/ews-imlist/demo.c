/* ews-imlist: --demo, real client calls against a loopback mock server.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * The demo goes through the same client, HTTP and parsing code as a call to
 * Exchange, so it shows what the tool does without an account, and a broken
 * build shows up here first.
 *
 * The server is the ews-mock-server program, installed next to this one and
 * run as a child process. It is built on the library's internal pieces,
 * the generated server skeleton and a gSOAP engine of its own; linking it
 * in would put a second copy of the engine and serializers beside the
 * shared libews this program uses.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define MOCK_PROGRAM "ews-mock-server"
/* Starting takes milliseconds; this only bounds a server that hangs. */
#define MOCK_START_TIMEOUT_MS 30000

/* "<directory of this executable>/ews-mock-server" into buf, or -1. */
static int mock_path(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size);
    if (n <= 0 || (size_t)n >= size)
        return -1;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash || (size_t)(slash + 1 - buf) + sizeof MOCK_PROGRAM > size)
        return -1;
    memcpy(slash + 1, MOCK_PROGRAM, sizeof MOCK_PROGRAM);
    return 0;
}

/* The child: stdout to the pipe, stdin from /dev/null (the terminal stays
 * ours), and gone when we are, even when we are killed. Only
 * async-signal-safe calls between fork and exec. */
static void exec_mock(const char *path, int out_fd, pid_t parent)
{
#ifdef __linux__
    if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
        _exit(127);
#else
    (void)parent;
#endif
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0)
        _exit(127);
    char *const argv[] = { MOCK_PROGRAM, "--demo", "--bind", "127.0.0.1", "--port", "0", NULL };
    execv(path, argv);
    _exit(127);
}

/* Reads the server's "listening on URL" line into url (NUL-terminated,
 * newline dropped). 0, or -1 when it exited or stayed silent. */
static int read_url(int fd, char *url, size_t size)
{
    static const char prefix[] = "listening on ";
    char line[512];
    size_t len = 0;
    while (len < sizeof line - 1) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int r = poll(&p, 1, MOCK_START_TIMEOUT_MS);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        ssize_t n = read(fd, line + len, sizeof line - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        len += (size_t)n;
        line[len] = '\0';
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            size_t plen = sizeof prefix - 1;
            if (strncmp(line, prefix, plen) != 0 || strlen(line + plen) >= size)
                return -1;
            strcpy(url, line + plen);
            return 0;
        }
    }
    return -1;
}

static void stop_mock(pid_t pid)
{
    kill(pid, SIGTERM);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

int cli_with_demo_server(cli_server_fn fn, void *userdata)
{
    char path[4096];
    if (mock_path(path, sizeof path) != 0) {
        fprintf(stderr, CLI_NAME ": --demo: cannot find this program's directory to start "
                        MOCK_PROGRAM " from\n");
        return CLI_EXIT_TRANSPORT;
    }
    if (access(path, X_OK) != 0) {
        fprintf(stderr, CLI_NAME ": --demo: cannot run the demo server %s: %s\n", path,
                strerror(errno));
        return CLI_EXIT_TRANSPORT;
    }
    int fds[2];
    if (pipe(fds) != 0) {
        fprintf(stderr, CLI_NAME ": --demo: %s\n", strerror(errno));
        return CLI_EXIT_TRANSPORT;
    }
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    pid_t parent = getpid();
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    if (pid == 0)
        exec_mock(path, fds[1], parent);
    int fork_errno = errno;
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        fprintf(stderr, CLI_NAME ": --demo: cannot start the demo server: %s\n",
                strerror(fork_errno));
        return CLI_EXIT_TRANSPORT;
    }
    char url[256];
    int rc = read_url(fds[0], url, sizeof url);
    close(fds[0]);
    if (rc != 0) {
        /* the server's own reason, if any, went to our stderr */
        stop_mock(pid);
        fprintf(stderr, CLI_NAME ": --demo: the demo server %s did not start\n", path);
        return CLI_EXIT_TRANSPORT;
    }
    int status = fn(url, userdata);
    stop_mock(pid);
    return status;
}
