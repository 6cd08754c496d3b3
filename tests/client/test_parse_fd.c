/* ews_im_item_list_parse_fd through the public API: a file, a pipe whose
 * size is not known beforehand, standard failures of reading (too big, a
 * read error, a bad descriptor), and the same list as from the caller's
 * buffer. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ts_fixtures.h"
#include "ts_tempdir.h"
#include "ews/ews.h"

static ews_client *parse_client(size_t max_bytes)
{
    ews_client_options o;
    assert_int_equal(ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION), 0);
    if (max_bytes)
        o.max_response_bytes = max_bytes;
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &o), 0);
    return c;
}

/* Every persona's id and name, and every group's name, one a line. */
static char *describe(const ews_imlist *l)
{
    size_t cap = 1 << 16, n = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = '\0';
    for (size_t i = 0; i < ews_imlist_persona_count(l); i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        const char *name = ews_persona_display_name(p);
        int w = snprintf(s + n, cap - n, "p %s %s\n", ews_persona_id(p), name ? name : "-");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    for (size_t i = 0; i < ews_imlist_group_count(l); i++) {
        const char *name = ews_im_group_display_name(ews_imlist_group(l, i));
        int w = snprintf(s + n, cap - n, "g %s\n", name ? name : "-");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    return s;
}

static void same_as_buffer(const char *relative)
{
    size_t len;
    char *data = ts_fixture(relative, &len);
    ews_client *c = parse_client(0);
    ews_imlist *from_buf = NULL, *from_fd = NULL;
    assert_int_equal(ews_im_item_list_parse(&from_buf, c, data, len), 0);
    int fd = open(ts_fixture_path(relative), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(ews_im_item_list_parse_fd(&from_fd, c, fd), 0);
    close(fd);
    char *a = describe(from_buf), *b = describe(from_fd);
    assert_true(ews_imlist_persona_count(from_fd) > 0);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ews_imlist_free(from_buf);
    ews_imlist_free(from_fd);
    ews_client_free(c);
    free(data);
}

static void regular_files(void **state)
{
    (void)state;
    same_as_buffer("GetImItemList/reference-http/response.xml");
    same_as_buffer("GetImItemList/join/response.xml");
}

/* A response of n personas, written to a pipe by another thread. */
typedef struct writer {
    int fd;
    unsigned personas;
    pthread_t thread;
} writer;

static void put(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w <= 0)
            return; /* the reader stopped (too big): nothing more to say */
        s += w;
        n -= (size_t)w;
    }
}

static void *write_response(void *arg)
{
    writer *w = arg;
    put(w->fd, "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
               "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
               "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
               "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError"
               "</m:ResponseCode><m:ImItemList><t:Personas>");
    char item[160];
    for (unsigned i = 0; i < w->personas; i++) {
        snprintf(item, sizeof item, "<t:Persona><t:PersonaId Id=\"P-%u\"/><t:DisplayName>"
                 "Person %u</t:DisplayName></t:Persona>", i, i);
        put(w->fd, item);
    }
    put(w->fd, "</t:Personas></m:ImItemList></m:GetImItemListResponse></s:Body></s:Envelope>");
    close(w->fd);
    return NULL;
}

static int read_from_pipe(ews_client *c, unsigned personas, ews_imlist **out)
{
    int p[2];
    assert_int_equal(pipe(p), 0);
    writer w = { .fd = p[1], .personas = personas };
    assert_int_equal(pthread_create(&w.thread, NULL, write_response, &w), 0);
    int rc = ews_im_item_list_parse_fd(out, c, p[0]);
    close(p[0]); /* a writer still writing gets EPIPE and stops */
    pthread_join(w.thread, NULL);
    return rc;
}

static void pipe_of_unknown_size(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    ews_client *c = parse_client(0);
    ews_imlist *l = NULL;
    /* some 3 MB: the reader grows its buffer many times */
    assert_int_equal(read_from_pipe(c, 40000, &l), 0);
    assert_int_equal(ews_imlist_persona_count(l), 40000);
    assert_string_equal(ews_persona_display_name(ews_imlist_persona(l, 39999)), "Person 39999");
    ews_imlist_free(l);
    ews_client_free(c);
}

static void larger_than_the_limit(void **state)
{
    (void)state;
    signal(SIGPIPE, SIG_IGN);
    ews_client *c = parse_client(100000);
    ews_imlist *l = NULL;
    assert_int_equal(read_from_pipe(c, 40000, &l), EWS_ETOOBIG);
    assert_null(l);
    const ews_error *e = ews_client_last_error(c);
    assert_int_equal(e->code, EWS_ETOOBIG);
    assert_non_null(strstr(e->message, "100000-byte"));
    /* a regular file over the limit, and one exactly at it */
    char *dir = ts_tempdir(), *path = ts_join(dir, "r.xml");
    assert_non_null(dir);
    size_t len;
    char *data = ts_fixture("GetImItemList/reference-http/response.xml", &len);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    ews_client_free(c);
    for (int at_limit = 0; at_limit <= 1; at_limit++) {
        c = parse_client(at_limit ? len : len - 1);
        int fd = open(path, O_RDONLY);
        assert_true(fd >= 0);
        assert_int_equal(ews_im_item_list_parse_fd(&l, c, fd), at_limit ? 0 : EWS_ETOOBIG);
        close(fd);
        ews_imlist_free(l);
        ews_client_free(c);
    }
    free(data);
    free(path);
    ts_rmtree(dir);
}

static void read_errors(void **state)
{
    (void)state;
    ews_client *c = parse_client(0);
    ews_imlist *l = NULL;
    assert_int_equal(ews_im_item_list_parse_fd(&l, c, -1), EWS_EINVAL);
    assert_int_equal(ews_im_item_list_parse_fd(NULL, c, 0), EWS_EINVAL);
    /* a directory opens but cannot be read */
    int fd = open(".", O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(ews_im_item_list_parse_fd(&l, c, fd), EWS_EIO);
    close(fd);
    assert_null(l);
    const ews_error *e = ews_client_last_error(c);
    assert_int_equal(e->code, EWS_EIO);
    assert_int_equal(e->category, EWS_CAT_CONFIG);
    assert_non_null(strstr(e->message, "Is a directory"));
    /* empty input is no SOAP envelope, as from a buffer */
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[1]);
    assert_int_equal(ews_im_item_list_parse_fd(&l, c, p[0]), EWS_ENOTSOAP);
    close(p[0]);
    ews_client_free(c);
}

/* A Warning answer: 0, and the warning in the last error, as from a buffer. */
static void warning_kept(void **state)
{
    (void)state;
    ews_client *c = parse_client(0);
    ews_imlist *l = NULL;
    int fd = open(ts_fixture_path("GetImItemList/warning/response.xml"), O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(ews_im_item_list_parse_fd(&l, c, fd), 0);
    close(fd);
    assert_non_null(ews_imlist_warning(l));
    assert_string_equal(ews_client_last_error(c)->response_class, "Warning");
    ews_imlist_free(l);
    ews_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(regular_files),
        cmocka_unit_test(pipe_of_unknown_size),
        cmocka_unit_test(larger_than_the_limit),
        cmocka_unit_test(read_errors),
        cmocka_unit_test(warning_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
