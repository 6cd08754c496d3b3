/* The generated typed calls of <ews/operations.h> through the public API,
 * over loopback HTTP against the in-process mock: its own behaviour for
 * the IM operations, and canned envelopes (--canned) for the answers it
 * would not give by itself (Warning, Error, busy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ews/ews.h"
#include "ews/operations.h"
#include "mock_test_util.h"

/* The fixtures a case answers with: "OP=tests/fixtures/<path>". */
typedef struct canned_case {
    const char *op;
    const char *fixture; /* under tests/fixtures */
} canned_case;

typedef struct fixture {
    ews_mock *mock;
    ews_client *client;
    char specs[4][512];
    const char *canned[5];
} fixture;

static void start(fixture *f, const canned_case *cases, size_t n)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < n; i++) {
        snprintf(f->specs[i], sizeof f->specs[i], "%s=%s/%s", cases[i].op, EWS_FIXTURES_DIR,
                 cases[i].fixture);
        f->canned[i] = f->specs[i];
    }
    ews_mock_options o = mt_demo_options();
    o.canned = f->canned;
    f->mock = mt_start(&o);
    ews_client_options co = EWS_CLIENT_OPTIONS_INIT;
    co.url = ews_mock_url(f->mock);
    co.allow_insecure_http = 1;
    co.retry.max_attempts = 2;
    co.retry.initial_backoff_ms = 1;
    co.retry.max_backoff_ms = 1;
    assert_int_equal(ews_client_new(&f->client, &co), 0);
}

static void stop(fixture *f)
{
    ews_client_free(f->client);
    ews_mock_stop(f->mock);
}

static void test_operation_list(void **state)
{
    (void)state;
    assert_int_equal(ews_operation_count(), EWS_GENERATED_OPERATION_COUNT);
    int seen = 0;
    for (size_t i = 0; i < ews_operation_count(); i++) {
        assert_non_null(ews_operation_name(i));
        if (i > 0)
            assert_true(strcmp(ews_operation_name(i - 1), ews_operation_name(i)) < 0);
        seen += strcmp(ews_operation_name(i), "GetImItemList") == 0;
    }
    assert_int_equal(seen, 1);
    assert_null(ews_operation_name(ews_operation_count()));
}

/* The mock's own GetImItemList answer, read through the typed view. */
static void test_get_im_item_list(void **state)
{
    (void)state;
    fixture f;
    start(&f, NULL, 0);
    struct m__GetImItemListType req = { 0 };
    ews_response *r = NULL;
    assert_int_equal(ews_call_GetImItemList(&r, f.client, &req, NULL), 0);
    assert_string_equal(ews_response_operation(r), "GetImItemList");
    assert_int_equal(ews_response_message_count(r), 1);
    assert_null(ews_response_warning(r));
    const ews_server_version *v = ews_response_server_version(r);
    assert_non_null(v);
    assert_int_equal(v->major_version, 15);

    const struct m__GetImItemListResponseMessageType *m = ews_response_GetImItemList(r);
    assert_non_null(m);
    assert_int_equal(m->ResponseClass, t__ResponseClassType__Success);
    assert_non_null(m->ImItemList);
    assert_non_null(m->ImItemList->Groups);
    /* the demo mailbox: Microsoft's reference list, 4 groups and 2 personas */
    assert_int_equal(m->ImItemList->Groups->__size_ArrayOfImGroupType, 4);
    assert_int_equal(m->ImItemList->Personas->__size_ArrayOfPeopleType, 2);
    /* a view of another operation is not this response's */
    assert_null(ews_response_AddImGroup(r));
    ews_response_free(r);
    stop(&f);
}

/* A call that changes the mailbox, then the change read back. */
static void test_add_im_group_round_trip(void **state)
{
    (void)state;
    fixture f;
    start(&f, NULL, 0);
    char name[] = "Typed call group";
    struct m__AddImGroupType add = { .DisplayName = name };
    ews_response *r = NULL;
    assert_int_equal(ews_call_AddImGroup(&r, f.client, &add, NULL), 0);
    const struct m__AddImGroupResponseMessageType *m = ews_response_AddImGroup(r);
    assert_non_null(m);
    assert_non_null(m->ImGroup);
    assert_string_equal(m->ImGroup->DisplayName, name);
    ews_response_free(r);

    ews_imlist *l = NULL;
    assert_int_equal(ews_get_im_item_list(&l, f.client, NULL), 0);
    int found = 0;
    for (size_t i = 0; i < ews_imlist_group_count(l); i++)
        found += strcmp(ews_im_group_display_name(ews_imlist_group(l, i)), name) == 0;
    assert_int_equal(found, 1);
    ews_imlist_free(l);
    stop(&f);
}

/* A Warning gives the data and the warning, also as the last error. */
static void test_warning(void **state)
{
    (void)state;
    static const canned_case cases[] = { { .op = "GetImItemList",
                                           .fixture = "GetImItemList/warning/response.xml" } };
    fixture f;
    start(&f, cases, 1);
    struct m__GetImItemListType req = { 0 };
    ews_response *r = NULL;
    assert_int_equal(ews_call_GetImItemList(&r, f.client, &req, NULL), 0);
    const ews_error *w = ews_response_warning(r);
    assert_non_null(w);
    assert_string_equal(w->response_code, "ErrorBatchProcessingStopped");
    assert_string_equal(ews_client_last_error(f.client)->response_code,
                        "ErrorBatchProcessingStopped");
    const struct m__GetImItemListResponseMessageType *m = ews_response_GetImItemList(r);
    assert_int_equal(m->ImItemList->Groups->__size_ArrayOfImGroupType, 1);
    ews_response_free(r);
    stop(&f);
}

/* An Error message fails the call with its code; no response is given. */
static void test_error(void **state)
{
    (void)state;
    static const canned_case cases[] = {
        { .op = "GetImItemList", .fixture = "client/error-access-denied/response.xml" },
    };
    fixture f;
    start(&f, cases, 1);
    struct m__GetImItemListType req = { 0 };
    ews_response *r = (ews_response *)&f; /* must be reset */
    assert_int_equal(ews_call_GetImItemList(&r, f.client, &req, NULL), EWS_EEWS);
    assert_null(r);
    const ews_error *e = ews_client_last_error(f.client);
    assert_string_equal(e->response_code, "ErrorAccessDenied");
    assert_true(ts_contains(e->message, "GetImItemList"));
    assert_int_equal(ews_mock_request_count(f.mock), 1); /* not retryable */
    stop(&f);
}

/* ErrorInternalServerError wrapping ErrorServerBusy is retried, as in
 * every call of the runtime, and ends as EWS_EBUSY when it stays busy. */
static void test_busy_retried(void **state)
{
    (void)state;
    static const canned_case cases[] = {
        { .op = "GetImItemList", .fixture = "client/error-internal-inner-busy/response.xml" },
    };
    fixture f;
    start(&f, cases, 1);
    struct m__GetImItemListType req = { 0 };
    ews_response *r = NULL;
    assert_int_equal(ews_call_GetImItemList(&r, f.client, &req, NULL), EWS_EBUSY);
    assert_null(r);
    assert_int_equal(ews_mock_request_count(f.mock), 2);
    stop(&f);
}

/* What the runtime refuses before anything is sent. */
static void test_refused_before_sending(void **state)
{
    (void)state;
    fixture f;
    start(&f, NULL, 0);
    ews_response *r = NULL;

    /* operations.txt: the IM operations need Exchange2013 */
    struct m__GetImItemListType req = { 0 };
    ews_call_options old = EWS_CALL_OPTIONS_INIT;
    old.server_version = "Exchange2010_SP2";
    assert_int_equal(ews_call_GetImItemList(&r, f.client, &req, &old), EWS_EVERSION);
    assert_true(ts_contains(ews_client_last_error(f.client)->message, "Exchange2013"));

    /* strings the engine would put on the wire as XML that is not */
    char control[] = "bell\a";
    struct m__AddImGroupType add = { .DisplayName = control };
    assert_int_equal(ews_call_AddImGroup(&r, f.client, &add, NULL), EWS_EINVAL);
    assert_true(ts_contains(ews_client_last_error(f.client)->message, "AddImGroup"));
    char broken[] = "caf\xC3";
    add.DisplayName = broken;
    assert_int_equal(ews_call_AddImGroup(&r, f.client, &add, NULL), EWS_EINVAL);

    assert_int_equal(ews_call_AddImGroup(&r, f.client, NULL, NULL), EWS_EINVAL);
    assert_int_equal(ews_call_AddImGroup(NULL, f.client, &add, NULL), EWS_EINVAL);
    assert_int_equal(ews_call_GetImItemList(&r, NULL, &req, NULL), EWS_EINVAL);
    assert_null(r);
    assert_int_equal(ews_mock_request_count(f.mock), 0);
    stop(&f);
}

/* A success without its response element is no answer. */
static void test_missing_response_element(void **state)
{
    (void)state;
    static const canned_case cases[] = { { .op = "GetImItemList",
                                           .fixture = "GetImItemList/empty-body/response.xml" } };
    fixture f;
    start(&f, cases, 1);
    struct m__GetImItemListType req = { 0 };
    ews_response *r = NULL;
    int rc = ews_call_GetImItemList(&r, f.client, &req, NULL);
    assert_true(rc == EWS_EPARSE || rc == EWS_ESTRICT);
    assert_null(r);
    stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operation_list),
        cmocka_unit_test(test_get_im_item_list),
        cmocka_unit_test(test_add_im_group_round_trip),
        cmocka_unit_test(test_warning),
        cmocka_unit_test(test_error),
        cmocka_unit_test(test_busy_retried),
        cmocka_unit_test(test_refused_before_sending),
        cmocka_unit_test(test_missing_response_element),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
