/* Changes to a mailbox file survive the server, are never lost to one
 * another, and a change that cannot be written is not made at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <valgrind/valgrind.h>

#include "imops_test_util.h"

static void add_group(ews_mock *m, const char *name)
{
    it_expect(m, "NoError", "<m:AddImGroup><m:DisplayName>%s</m:DisplayName></m:AddImGroup>",
              name);
}

/* Group names and persona ids of a list, one string, for comparing. */
static char *summary(const ews_imlist *l)
{
    ews_buf b = EWS_BUF_INIT;
    for (size_t i = 0; i < ews_imlist_group_count(l); i++) {
        const ews_im_group *g = ews_imlist_group(l, i);
        assert_int_equal(ews_buf_printf(&b, "G %s %s %zu\n", ews_im_group_display_name(g),
                                        ews_im_group_store_id(g).id,
                                        ews_im_group_member_count(g)), 0);
    }
    for (size_t i = 0; i < ews_imlist_persona_count(l); i++)
        assert_int_equal(ews_buf_printf(&b, "P %s\n", ews_persona_id(ews_imlist_persona(l, i))),
                         0);
    size_t len;
    return ews_buf_detach(&b, &len);
}

static void test_survives_restart(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s", it_copy_mailbox(NULL, "restart.xml"));
    assert_int_equal(chmod(path, 0600), 0);
    ews_mock *m = it_start_file(path, 1);
    add_group(m, "Kept");
    it_expect(m, "NoError",
              "<m:AddNewImContactToGroup><m:ImAddress>kim@contoso.com</m:ImAddress>"
              "</m:AddNewImContactToGroup>");
    it_expect(m, "NoError",
              "<m:RemoveImGroup><m:GroupId Id=\"" IT_DEMO_FAVORITES "\"/></m:RemoveImGroup>");
    ews_imlist *before = it_list(m);
    char *want = summary(before);
    ews_imlist_free(before);
    ews_mock_stop(m);

    m = it_start_file(path, 1);
    ews_imlist *after = it_list(m);
    char *got = summary(after);
    assert_string_equal(got, want);
    assert_true(ts_contains(got, "G Kept "));
    assert_false(ts_contains(got, "G Favorites "));
    ews_imlist_free(after);
    ews_mock_stop(m);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(access(tmp, F_OK), -1);
    free(want);
    free(got);
}

typedef struct writer {
    const char *url;
    int id;
    int failures;
} writer;

enum { WRITERS = 4 };

/* Changes per writer: under valgrind each fsync'ed change is slow enough
 * that 200 take minutes, and 20 exercise the same paths for its checks. */
static int writes(void)
{
    return RUNNING_ON_VALGRIND ? 5 : 50;
}

/* Threads post with libcurl directly: a cmocka assertion may only fail in
 * the thread that runs the test. */
static int post_ok(CURL *curl, const char *url, const char *body)
{
    ews_buf out = EWS_BUF_INIT;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &out);
    int ok = curl_easy_perform(curl) == CURLE_OK && out.data &&
             strstr(out.data, "ResponseClass=\"Success\"");
    ews_buf_free(&out);
    return ok;
}

static size_t collect(char *data, size_t size, size_t n, void *ud)
{
    return ews_buf_append(ud, data, size * n) == 0 ? size * n : 0;
}

static void *write_contacts(void *arg)
{
    writer *w = arg;
    CURL *curl = curl_easy_init();
    if (!curl) {
        w->failures = writes();
        return NULL;
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    for (int i = 0; i < writes(); i++) {
        char body[1024];
        snprintf(body, sizeof body,
                 "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                 "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
                 "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"
                 "<soap:Header><t:RequestServerVersion Version=\"Exchange2013\"/></soap:Header>"
                 "<soap:Body><m:AddNewImContactToGroup><m:ImAddress>w%d-%d@contoso.com"
                 "</m:ImAddress></m:AddNewImContactToGroup></soap:Body></soap:Envelope>",
                 w->id, i);
        w->failures += !post_ok(curl, w->url, body);
    }
    curl_easy_cleanup(curl);
    return NULL;
}

/* Read-modify-write under the mailbox's lock: concurrent changes all
 * land, in memory and in the file. */
static void test_concurrent_changes(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof path, "%s", it_copy_mailbox("empty.xml", "concurrent.xml"));
    ews_mock *m = it_start_file(path, 1);
    pthread_t t[WRITERS];
    writer w[WRITERS];
    for (int i = 0; i < WRITERS; i++) {
        w[i] = (writer){ ews_mock_url(m), i, 0 };
        assert_int_equal(pthread_create(&t[i], NULL, write_contacts, &w[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    ews_imlist *l = it_list(m);
    assert_int_equal(ews_imlist_persona_count(l), WRITERS * writes());
    ews_imlist_free(l);
    ews_mock_stop(m);

    m = it_start_file(path, 1);
    l = it_list(m);
    assert_int_equal(ews_imlist_persona_count(l), WRITERS * writes());
    for (int i = 0; i < WRITERS; i++)
        for (int k = 0; k < writes(); k++) {
            char address[64];
            snprintf(address, sizeof address, "w%d-%d@contoso.com", i, k);
            assert_non_null(it_persona_with_im(l, address));
        }
    ews_imlist_free(l);
    ews_mock_stop(m);
}

/* A change that cannot be written is refused, and the list stays as the
 * file has it. */
static void test_unwritable(void **state)
{
    (void)state;
    char path[1024], tmp[1100];
    snprintf(path, sizeof path, "%s", it_copy_mailbox(NULL, "unwritable.xml"));
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    ews_mock *m = it_start_file(path, 1);
    /* Root ignores permissions; a directory where the temporary file goes
     * stops anyone. */
    assert_int_equal(mkdir(tmp, 0755), 0);
    it_reply r;
    it_call(m, &r, "<m:AddImGroup><m:DisplayName>Lost</m:DisplayName></m:AddImGroup>");
    assert_string_equal(r.code, "ErrorInternalServerError");
    char *text = it_find(r.message->children, "MessageText", NULL);
    assert_non_null(strstr(text, "unwritable.xml"));
    free(text);
    it_reply_free(&r);
    ews_imlist *l = it_list(m);
    assert_null(it_group_named(l, "Lost"));
    ews_imlist_free(l);

    assert_int_equal(rmdir(tmp), 0);
    add_group(m, "Written");
    ews_mock_stop(m);
    m = it_start_file(path, 1);
    l = it_list(m);
    assert_non_null(it_group_named(l, "Written"));
    assert_null(it_group_named(l, "Lost"));
    ews_imlist_free(l);
    ews_mock_stop(m);
}

/* A mailbox given as XML (the demo) changes in memory only. */
static void test_in_memory(void **state)
{
    (void)state;
    ews_mock_options o = mt_demo_options();
    ews_mock *m = mt_start(&o);
    add_group(m, "Ephemeral");
    ews_imlist *l = it_list(m);
    assert_non_null(it_group_named(l, "Ephemeral"));
    ews_imlist_free(l);
    ews_mock_stop(m);
    m = mt_start(&o);
    l = it_list(m);
    assert_null(it_group_named(l, "Ephemeral"));
    ews_imlist_free(l);
    ews_mock_stop(m);
}

/* Two mailboxes in one file would overwrite each other's changes. */
static void test_one_file_twice(void **state)
{
    (void)state;
    const char *path = it_copy_mailbox("empty.xml", "shared.xml");
    ews_mock_mailbox mb[2] = { { "a@contoso.com", path, NULL, NULL },
                               { "b@contoso.com", path, NULL, NULL } };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = mb;
    o.mailbox_count = 2;
    char err[512] = "";
    ews_mock *m = NULL;
    assert_int_equal(ews_mock_start(&m, &o, err, sizeof err), -1);
    assert_null(m);
    assert_true(ts_contains(err, "are both in"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_survives_restart),
        cmocka_unit_test(test_concurrent_changes),
        cmocka_unit_test(test_unwritable),
        cmocka_unit_test(test_in_memory),
        cmocka_unit_test(test_one_file_twice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
