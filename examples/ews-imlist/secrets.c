/* ews-imlist: where passwords and bearer tokens come from.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Secrets live in heap buffers of their exact size that are wiped before
 * they are freed; they are never read through stdio, whose buffers would
 * keep a copy nobody wipes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

/* Larger than any password or JWT in practice; a bigger file is a mistake
 * (say, --password-file pointing at a binary). */
#define SECRET_MAX 65536

/* Through a volatile pointer so the compiler cannot drop the stores as dead. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

void cli_secret_free(char *s)
{
    if (s) {
        wipe(s, strlen(s));
        free(s);
    }
}

/* Copies buf[0..len) to an exact-size string, wiping buf. */
static char *take(char *buf, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, buf, len);
        s[len] = '\0';
    }
    wipe(buf, len);
    return s;
}

/* One trailing newline is what editors and `echo` add; anything else is
 * part of the secret. */
static size_t strip_newline(const char *buf, size_t len)
{
    if (len > 0 && buf[len - 1] == '\n') {
        len--;
        if (len > 0 && buf[len - 1] == '\r')
            len--;
    }
    return len;
}

static int read_secret_file(const char *path, const char *what, char **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cli_fail(err, errlen, "%s file '%.200s': %s", what, path, strerror(errno));
    char *buf = malloc(SECRET_MAX + 1);
    if (!buf) {
        close(fd);
        return cli_fail(err, errlen, "out of memory");
    }
    size_t len = 0;
    int rc = 0;
    for (;;) {
        ssize_t n = read(fd, buf + len, SECRET_MAX + 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = cli_fail(err, errlen, "%s file '%.200s': %s", what, path, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > SECRET_MAX) {
            rc = cli_fail(err, errlen, "%s file '%.200s' is larger than %d bytes", what, path,
                          SECRET_MAX);
            break;
        }
    }
    close(fd);
    if (rc == 0) {
        len = strip_newline(buf, len);
        if (memchr(buf, '\0', len))
            rc = cli_fail(err, errlen, "%s file '%.200s' contains a NUL byte", what, path);
        else if (len == 0)
            rc = cli_fail(err, errlen, "%s file '%.200s' is empty", what, path);
    }
    if (rc == 0 && !(*out = take(buf, len)))
        rc = cli_fail(err, errlen, "out of memory");
    wipe(buf, SECRET_MAX + 1);
    free(buf);
    return rc;
}

/* ---- prompt ------------------------------------------------------------ */

/* Restores echo if the user interrupts the prompt; without this a ^C would
 * leave the terminal silent. Only async-signal-safe calls here. */
static struct termios saved_tty;
static volatile sig_atomic_t tty_changed;

static void restore_and_reraise(int sig)
{
    if (tty_changed)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
    signal(sig, SIG_DFL);
    raise(sig);
}

static int prompt_secret(const char *prompt, char **out, char *err, size_t errlen)
{
    /* Not SIGTSTP: after a ^Z and fg the handler would be gone and the rest
     * of the password echoed; a stopped job keeps echo off instead. */
    static const int sigs[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };
    struct sigaction sa, old[sizeof sigs / sizeof sigs[0]];
    char buf[1024];
    size_t len = 0;
    int rc = 0;

    if (tcgetattr(STDIN_FILENO, &saved_tty) != 0)
        return cli_fail(err, errlen, "cannot read the terminal settings: %s", strerror(errno));
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = restore_and_reraise;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, &old[i]);

    struct termios quiet = saved_tty;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    tty_changed = 1;
    /* echo off before the prompt shows: whatever is typed after seeing it
     * must not appear, and TCSAFLUSH drops what was typed ahead of it */
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        tty_changed = 0;
        rc = cli_fail(err, errlen, "cannot turn off terminal echo: %s", strerror(errno));
    } else {
        fputs(prompt, stderr);
        fflush(stderr);
    }
    while (rc == 0) {
        char c;
        ssize_t n = read(STDIN_FILENO, &c, 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || c == '\n')
            break;
        if (len + 1 >= sizeof buf) {
            rc = cli_fail(err, errlen, "password longer than %zu bytes", sizeof buf - 1);
            break;
        }
        buf[len++] = c;
    }
    if (tty_changed) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tty);
        tty_changed = 0;
    }
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &old[i], NULL);
    if (rc == 0 && len == 0)
        rc = cli_fail(err, errlen, "no password entered");
    if (rc == 0 && !(*out = take(buf, len)))
        rc = cli_fail(err, errlen, "out of memory");
    wipe(buf, sizeof buf);
    return rc;
}

int cli_get_password(const cli_options *o, char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (o->password_file)
        return read_secret_file(o->password_file, "password", out, err, errlen);
    const char *env = getenv("EWS_PASSWORD");
    if (env && *env) {
        if (!(*out = strdup(env)))
            return cli_fail(err, errlen, "out of memory");
        return 0;
    }
    if (!isatty(STDIN_FILENO))
        return cli_fail(err, errlen, "no password for --user: use --password-file FILE or "
                                     "EWS_PASSWORD (standard input is not a terminal to ask on)");
    char prompt[300];
    snprintf(prompt, sizeof prompt, "Password for %.256s: ", o->user);
    return prompt_secret(prompt, out, err, errlen);
}

/* ---- bearer tokens ----------------------------------------------------- */

int cli_token_source_init(cli_token_source *ts, const cli_options *o, char *err, size_t errlen)
{
    memset(ts, 0, sizeof *ts);
    if (o->token_file) {
        ts->file = o->token_file;
        return read_secret_file(ts->file, "token", &ts->current, err, errlen);
    }
    const char *env = getenv("EWS_TOKEN");
    if (!env || !*env)
        return cli_fail(err, errlen, "--auth bearer needs a token: use --token-file FILE or "
                                     "EWS_TOKEN");
    ts->env_value = env;
    if (!(ts->current = strdup(env)))
        return cli_fail(err, errlen, "out of memory");
    return 0;
}

void cli_token_source_free(cli_token_source *ts)
{
    cli_secret_free(ts->current);
    ts->current = NULL;
}

int cli_token_cb(char **token, int force_refresh, void *userdata)
{
    cli_token_source *ts = userdata;
    *token = NULL;
    /* A refused token may have been renewed in the file meanwhile (a token
     * helper rewriting it); the variable cannot change, so its token is
     * offered again and the server's refusal becomes the answer. */
    if (force_refresh && ts->file) {
        char err[300];
        char *fresh = NULL;
        if (read_secret_file(ts->file, "token", &fresh, err, sizeof err) != 0) {
            fprintf(stderr, CLI_NAME ": %s\n", err);
            return -1;
        }
        cli_secret_free(ts->current);
        ts->current = fresh;
    }
    if (!ts->current)
        return -1;
    *token = strdup(ts->current);
    return *token ? 0 : -1;
}
