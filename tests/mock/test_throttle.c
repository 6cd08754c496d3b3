/* ews_throttle (ews/throttle.h) through the public API, over loopback HTTP
 * against the in-process mock: clients in parallel threads share one
 * throttle (run under ThreadSanitizer by scripts/test.sh, label tsan). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ews/ews.h"
#include "mock_test_util.h"

#define WORKERS 8
#define CALLS 25
#define CAP 3

static const char *const impersonators[] = { "svc@contoso.com", NULL };

static ews_mock *start_load_mock(unsigned cap, long back_off_ms, long delay_ms)
{
    ews_mock_options o = mt_demo_options();
    o.username = "svc@contoso.com";
    o.impersonators = impersonators;
    o.generate_mailboxes = WORKERS * CALLS;
    o.max_concurrency = cap;
    o.busy_back_off_ms = back_off_ms;
    ews_mock *m = mt_start(&o);
    ews_mock_faults f;
    memset(&f, 0, sizeof f);
    f.retry_after_s = -1;
    f.delay_ms = delay_ms;
    ews_mock_set_faults(m, &f);
    return m;
}

static ews_client *new_client(const char *url, ews_throttle *t)
{
    ews_client_options o;
    assert_int_equal(ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION), 0);
    o.url = url;
    o.allow_insecure_http = 1;
    o.throttle = t;
    o.retry.max_total_ms = 2000; /* far less than the back-offs below */
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &o), 0);
    return c;
}

static int call_as(ews_client *c, int n)
{
    char who[64];
    snprintf(who, sizeof who, "user%d@contoso.com", n);
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    call.impersonation.kind = EWS_IMPERSONATE_PRIMARY_SMTP;
    call.impersonation.value = who;
    ews_imlist *l = NULL;
    int rc = ews_get_im_item_list(&l, c, &call);
    ews_imlist_free(l);
    return rc;
}

typedef struct worker {
    const char *url;
    ews_throttle *throttle;
    int first;
    int ok;
} worker;

static void *run(void *arg)
{
    worker *w = arg;
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = w->url;
    o.allow_insecure_http = 1;
    o.throttle = w->throttle;
    ews_client *c = NULL;
    if (ews_client_new(&c, &o) == 0)
        for (int i = 0; i < CALLS; i++)
            w->ok += call_as(c, w->first + i) == 0;
    ews_client_free(c);
    return NULL;
}

static void options(void **state)
{
    (void)state;
    ews_throttle_options to;
    assert_int_equal(ews_throttle_options_init(&to, 99), EWS_EOPTVERSION);
    assert_int_equal(ews_throttle_options_init(&to, EWS_THROTTLE_OPTIONS_VERSION), 0);
    ews_throttle *t = NULL;
    to.min_concurrency = 0;
    assert_int_equal(ews_throttle_new(&t, &to), EWS_EINVAL);
    assert_null(t);
    to.min_concurrency = 4;
    to.max_concurrency = 2;
    assert_int_equal(ews_throttle_new(&t, &to), EWS_EINVAL);
    to.max_concurrency = 0;
    to.max_pause_ms = 0;
    assert_int_equal(ews_throttle_new(&t, &to), EWS_EINVAL);
    to.version = 7;
    to.max_pause_ms = 1000;
    assert_int_equal(ews_throttle_new(&t, &to), EWS_EOPTVERSION);
    ews_throttle_free(NULL);

    /* A program built against options version 3 (no throttle member)
     * keeps working: the member after its struct is not read. */
    ews_client_options v3;
    assert_int_equal(ews_client_options_init(&v3, 3), 0);
    memset(&v3.throttle, 0x5a, sizeof v3.throttle); /* past a v3 caller's struct */
    v3.url = "http://127.0.0.1:9/EWS/Exchange.asmx";
    v3.allow_insecure_http = 1;
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &v3), 0);
    ews_client_free(c);
}

/* More workers than the server's cap: the shared limit settles at the cap,
 * so busy answers stay few (without the throttle, most of the workers are
 * refused in every round) and every call succeeds. */
static void shared_limit(void **state)
{
    (void)state;
    ews_mock *m = start_load_mock(CAP, 20, 20);
    ews_throttle_options to = EWS_THROTTLE_OPTIONS_INIT;
    ews_throttle *t = NULL;
    assert_int_equal(ews_throttle_new(&t, &to), 0);
    pthread_t th[WORKERS];
    worker w[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = (worker){ ews_mock_url(m), t, 1 + i * CALLS, 0 };
        assert_int_equal(pthread_create(&th[i], NULL, run, &w[i]), 0);
    }
    int ok = 0;
    for (int i = 0; i < WORKERS; i++) {
        pthread_join(th[i], NULL);
        ok += w[i].ok;
    }
    ews_mock_stats ms;
    ews_mock_get_stats(m, &ms);
    ews_throttle_stats ts;
    assert_int_equal(ews_throttle_get_stats(&ts, t), 0);
    ews_mock_stop(m);
    assert_int_equal(ok, WORKERS * CALLS);
    assert_true(ms.busy > 0);
    assert_int_equal(ts.busy, ms.busy);
    assert_true(ms.busy < WORKERS * CALLS / 4);
    assert_int_equal(ts.in_flight, 0);
    assert_true(ts.limit >= 1 && ts.limit <= CAP + 1);
    assert_int_equal(ms.handshakes, 0); /* no auth here */
    assert_true(ms.connections <= WORKERS);
    ews_throttle_free(t);
}

/* A back-off answered to one client stops the other before it sends; a
 * wait longer than the call's retry budget fails at once with EWS_EBUSY. */
static void shared_pause_within_budget(void **state)
{
    (void)state;
    ews_mock *m = start_load_mock(0, 0, 0);
    ews_mock_faults f;
    memset(&f, 0, sizeof f);
    f.retry_after_s = -1;
    f.busy_count = 1;
    f.busy_back_off_ms = 30000;
    ews_mock_set_faults(m, &f);
    ews_throttle_options to = EWS_THROTTLE_OPTIONS_INIT;
    ews_throttle *t = NULL;
    assert_int_equal(ews_throttle_new(&t, &to), 0);
    ews_client *a = new_client(ews_mock_url(m), t);
    ews_client *b = new_client(ews_mock_url(m), t);
    assert_int_equal(call_as(a, 1), EWS_EBUSY);
    assert_int_equal(ews_mock_request_count(m), 1);
    /* b never heard the answer itself, and does not send inside it */
    assert_int_equal(call_as(b, 2), EWS_EBUSY);
    assert_int_equal(ews_mock_request_count(m), 1);
    assert_non_null(strstr(ews_client_last_error(b)->message, "shared throttle"));
    ews_throttle_stats ts;
    ews_throttle_get_stats(&ts, t);
    assert_int_equal(ts.busy, 1);
    ews_client_free(a);
    ews_client_free(b);
    /* a client without the throttle is not held */
    ews_client *c = new_client(ews_mock_url(m), NULL);
    assert_int_equal(call_as(c, 3), 0);
    assert_int_equal(ews_mock_request_count(m), 2);
    ews_client_free(c);
    ews_mock_stop(m);
    ews_throttle_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options),
        cmocka_unit_test(shared_limit),
        cmocka_unit_test(shared_pause_within_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
