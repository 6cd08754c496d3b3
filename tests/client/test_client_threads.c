/* Two threads, each with its own client, calling at the same time: clients
 * share no state (run under ThreadSanitizer by scripts/test.sh). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ts_scripted.h"

#define CALLS 10

typedef struct worker {
    const char *url;
    int ok;
    size_t personas;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    /* each thread creates, uses and frees its own client, global init included */
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = w->url;
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    ews_client *c = NULL;
    if (ews_client_new(&c, &o) == 0) {
        for (int i = 0; i < CALLS; i++) {
            ews_imlist *list = NULL;
            if (ews_get_im_item_list(&list, c, NULL) == 0) {
                w->ok++;
                w->personas += ews_imlist_persona_count(list);
            }
            ews_imlist_free(list);
        }
    }
    ews_client_free(c);
    return NULL;
}

static void test_two_clients_two_threads(void **state)
{
    (void)state;
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, "[{\"body_file\":\"" EWS_FIXTURES_DIR
                                        "/GetImItemList/reference-http/response.xml\"}]"), 0);
    worker w[2] = { { f.url, 0, 0 }, { f.url, 0, 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(w[i].ok, CALLS);
        assert_int_equal(w[i].personas, 2 * CALLS);
    }
    ts_scripted_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_clients_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
