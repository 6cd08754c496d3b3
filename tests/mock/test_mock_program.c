/* The ews-mock-server program: options, start-up errors, the "listening
 * on" line, the port file, faults from the command line, clean exit on
 * SIGTERM. argv[1] is the program's path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mock_test_util.h"

static const char *program;

typedef struct child {
    pid_t pid;
    int out;    /* its stdout */
    int err;    /* its stderr */
} child;

static child spawn(const char *const *args)
{
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    const char *argv[32] = { program };
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(out[0]);
        close(err[0]);
        /* execv wants char *const []: hand it copies, not cast-away consts. */
        char *copy[32];
        for (size_t i = 0; i <= n; i++)
            copy[i] = argv[i] ? strdup(argv[i]) : NULL;
        execv(program, copy);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    return (child){ pid, out[0], err[0] };
}

/* Everything fd delivers until EOF or timeout_ms, or until a newline when
 * one_line. */
static char *slurp(int fd, int timeout_ms, int one_line)
{
    ews_buf b = EWS_BUF_INIT;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    while (poll(&p, 1, timeout_ms) > 0) {
        char c[512];
        ssize_t n = read(fd, c, one_line ? 1 : sizeof c);
        if (n <= 0)
            break;
        assert_int_equal(ews_buf_append(&b, c, (size_t)n), 0);
        if (one_line && c[0] == '\n')
            break;
    }
    if (!b.data)
        assert_int_equal(ews_buf_puts(&b, ""), 0);
    size_t len;
    return ews_buf_detach(&b, &len);
}

static int finish(child *c)
{
    int status = 0;
    assert_int_equal(waitpid(c->pid, &status, 0), c->pid);
    close(c->out);
    close(c->err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Runs to completion; exit status, with stdout/stderr when asked. */
static int run(const char *const *args, char **out, char **err)
{
    child c = spawn(args);
    char *o = slurp(c.out, 10000, 0);
    char *e = slurp(c.err, 10000, 0);
    int rc = finish(&c);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return rc;
}

static void test_help_and_usage_errors(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(run((const char *[]){ "--help", NULL }, &out, NULL), 0);
    assert_true(ts_contains(out, "Usage: ews-mock-server"));
    assert_true(ts_contains(out, "--port-file"));
    free(out);

    assert_int_equal(run((const char *[]){ NULL }, NULL, &err), 2);
    assert_true(ts_contains(err, "--demo"));
    free(err);
    assert_int_equal(run((const char *[]){ "--demo", "--auth", "kerberos", NULL }, NULL, &err), 2);
    assert_true(ts_contains(err, "kerberos"));
    free(err);
    assert_int_equal(run((const char *[]){ "--demo", "--busy", "3", NULL }, NULL, &err), 2);
    assert_true(ts_contains(err, "--busy"));
    free(err);
    assert_int_equal(run((const char *[]){ "--demo", "--port", "70000", NULL }, NULL, &err), 2);
    free(err);
    assert_int_equal(run((const char *[]){ "--mailbox", "nofile", NULL }, NULL, &err), 2);
    free(err);
    assert_int_equal(run((const char *[]){ "--bogus", NULL }, NULL, &err), 2);
    free(err);
}

static void test_start_failures(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(run((const char *[]){ "--mailbox", "a@contoso.com=/nonexistent/box.xml", NULL },
                         NULL, &err),
                     1);
    assert_true(ts_contains(err, "/nonexistent/box.xml"));
    free(err);
    assert_int_equal(run((const char *[]){ "--demo", "--auth", "basic", "--user", "u", NULL }, NULL,
                         &err),
                     1);
    assert_true(ts_contains(err, "password"));
    free(err);
    assert_int_equal(run((const char *[]){ "--demo", "--token-file", "/nonexistent/token", NULL },
                         NULL, &err),
                     1);
    assert_true(ts_contains(err, "/nonexistent/token"));
    free(err);
}

static void test_serve_until_sigterm(void **state)
{
    (void)state;
    char *dir = ts_tempdir();
    assert_non_null(dir);
    char port_file[4200], pw_file[4200];
    snprintf(port_file, sizeof port_file, "%s/port", dir);
    snprintf(pw_file, sizeof pw_file, "%s/password", dir);
    FILE *f = fopen(pw_file, "w");
    assert_non_null(f);
    fputs("s3cret\n", f);
    fclose(f);

    child c = spawn((const char *[]){ "--demo", "--port-file", port_file, "--auth", "basic",
                                      "--user", "demo@contoso.com", "--password-file", pw_file,
                                      "--busy", "1:250", "--http503", "1:5", NULL });
    char *line = slurp(c.out, 10000, 1);
    assert_true(strncmp(line, "listening on http://127.0.0.1:", 30) == 0);
    f = fopen(port_file, "r");
    assert_non_null(f);
    unsigned port = 0;
    assert_int_equal(fscanf(f, "%u", &port), 1);
    fclose(f);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/EWS/Exchange.asmx\n", port);
    assert_string_equal(line + strlen("listening on "), url);
    free(line);
    url[strlen(url) - 1] = '\0';

    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    mt_request rq = { url, env, len, NULL, "demo@contoso.com:s3cret", NULL, 0, 0 };
    mt_response r;
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 503); /* precedence: 503 before busy */
    assert_string_equal(r.retry_after, "5");
    mt_response_free(&r);
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 500);
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(mt_parse(&r, 0, &l, &err), EWS_EFAULT);
    assert_int_equal(err.pub.back_off_ms, 250);
    ews_err_free(&err);
    mt_response_free(&r);
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(mt_parse(&r, 0, &l, &err), 0);
    assert_int_equal(ews_imlist_group_count(l), 4);
    ews_imlist_free(l);
    mt_response_free(&r);
    rq.userpwd = "demo@contoso.com:s3cret\n";
    mt_post(NULL, &rq, &r);
    assert_int_equal(r.status, 401);
    mt_response_free(&r);
    free(env);

    assert_int_equal(kill(c.pid, SIGTERM), 0);
    assert_int_equal(finish(&c), 0);
    struct stat st;
    assert_int_not_equal(stat(port_file, &st), 0); /* removed at exit */
    ts_rmtree(dir);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH-TO-ews-mock-server\n", argv[0]);
        return 2;
    }
    program = argv[1];
    curl_global_init(CURL_GLOBAL_ALL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_and_usage_errors),
        cmocka_unit_test(test_start_failures),
        cmocka_unit_test(test_serve_until_sigterm),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
