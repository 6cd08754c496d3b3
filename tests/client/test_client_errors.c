/* Each failure a server can produce, driven through the public API over real
 * HTTP, ends in one EWS_E... code and one category. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ts_scripted.h"

typedef struct expect {
    const char *name;
    const char *script;       /* printf format; %s = fixture directory */
    int rc;
    ews_error_category category;
    const char *response_code; /* NULL: not checked */
    long http_status;          /* -1: not checked */
} expect;

#define FIX EWS_FIXTURES_DIR

static const expect cases[] = {
    { .name = "http-302",
      .script = "[{\"status\":302,\"headers\":{\"Location\":\"https://elsewhere.contoso.com/EWS/Exchange.asmx\"}}]",
      .rc = EWS_EREDIRECT, .category = EWS_CAT_PERMANENT, .http_status = 302 },
    { .name = "http-401",
      .script = "[{\"status\":401,\"headers\":{\"WWW-Authenticate\":\"Basic realm=\\\"x\\\"\"}}]",
      .rc = EWS_EAUTH, .category = EWS_CAT_AUTH, .http_status = 401 },
    { .name = "http-403", .script = "[{\"status\":403}]", .rc = EWS_EFORBIDDEN,
      .category = EWS_CAT_AUTH, .http_status = 403 },
    { .name = "http-429", .script = "[{\"status\":429,\"headers\":{\"Retry-After\":\"0\"}}]",
      .rc = EWS_EHTTP, .category = EWS_CAT_RETRYABLE, .http_status = 429 },
    { .name = "http-503", .script = "[{\"status\":503}]", .rc = EWS_EHTTP,
      .category = EWS_CAT_RETRYABLE, .http_status = 503 },
    { .name = "http-404", .script = "[{\"status\":404,\"body\":\"not here\"}]", .rc = EWS_EHTTP,
      .category = EWS_CAT_PERMANENT, .http_status = 404 },
    { .name = "fault-500-schema-version",
      .script = "[{\"status\":500,\"body_file\":\"%s/GetImItemList/fault-incorrect-schema-version/response.xml\"}]",
      .rc = EWS_EFAULT, .category = EWS_CAT_VERSION, .response_code = "ErrorIncorrectSchemaVersion",
      .http_status = 500 },
    { .name = "fault-server-busy",
      .script = "[{\"status\":500,\"body_file\":\"%s/client/fault-server-busy-100/response.xml\"}]",
      .rc = EWS_EFAULT, .category = EWS_CAT_RETRYABLE, .response_code = "ErrorServerBusy",
      .http_status = 500 },
    { .name = "fault-invalid-server-version",
      .script = "[{\"status\":500,\"body_file\":\"%s/client/fault-invalid-server-version/response.xml\"}]",
      .rc = EWS_EFAULT, .category = EWS_CAT_VERSION, .response_code = "ErrorInvalidServerVersion",
      .http_status = 500 },
    { .name = "fault-impersonate-denied",
      .script = "[{\"status\":500,\"body_file\":\"%s/client/fault-impersonate-denied/response.xml\"}]",
      .rc = EWS_EFAULT, .category = EWS_CAT_AUTH, .response_code = "ErrorImpersonateUserDenied",
      .http_status = 500 },
    { .name = "fault-nonexistent-mailbox",
      .script = "[{\"status\":500,\"body_file\":\"%s/client/fault-nonexistent-mailbox/response.xml\"}]",
      .rc = EWS_EFAULT, .category = EWS_CAT_PERMANENT, .response_code = "ErrorNonExistentMailbox",
      .http_status = 500 },
    { .name = "error-access-denied",
      .script = "[{\"body_file\":\"%s/client/error-access-denied/response.xml\"}]", .rc = EWS_EEWS,
      .category = EWS_CAT_AUTH, .response_code = "ErrorAccessDenied", .http_status = 200 },
    { .name = "error-mailbox-move",
      .script = "[{\"body_file\":\"%s/client/error-mailbox-move/response.xml\"}]", .rc = EWS_EEWS,
      .category = EWS_CAT_RETRYABLE, .response_code = "ErrorMailboxMoveInProgress",
      .http_status = 200 },
    { .name = "error-internal-inner-busy",
      .script = "[{\"body_file\":\"%s/client/error-internal-inner-busy/response.xml\"}]",
      .rc = EWS_EEWS, .category = EWS_CAT_RETRYABLE, .response_code = "ErrorInternalServerError",
      .http_status = 200 },
    { .name = "error-transient",
      .script = "[{\"body_file\":\"%s/client/error-transient/response.xml\"}]", .rc = EWS_EEWS,
      .category = EWS_CAT_RETRYABLE, .response_code = "ErrorInternalServerTransientError",
      .http_status = 200 },
    { .name = "html-error-page",
      .script = "[{\"status\":500,\"headers\":{\"Content-Type\":\"text/html\"},\"body_file\":\"%s/GetImItemList/html-error-page/response.xml\"}]",
      .rc = EWS_ENOTSOAP, .category = EWS_CAT_INVALID_RESPONSE, .http_status = 500 },
    { .name = "malformed-xml",
      .script = "[{\"body_file\":\"%s/GetImItemList/malformed/response.xml\"}]", .rc = EWS_EPARSE,
      .category = EWS_CAT_INVALID_RESPONSE, .http_status = 200 },
    { .name = "connection-reset", .script = "[{\"close\":true}]", .rc = EWS_ETRANSPORT,
      .category = EWS_CAT_TRANSPORT, .http_status = -1 },
    { .name = "partial-body",
      .script = "[{\"partial\":true,\"body_file\":\"%s/GetImItemList/reference-http/response.xml\"}]",
      .rc = EWS_ETRANSPORT, .category = EWS_CAT_TRANSPORT, .http_status = -1 },
};

static void run_case(const expect *c)
{
    /* "%s" in a script stands for the fixtures directory */
    char script[1024] = "";
    const char *hole = strstr(c->script, "%s");
    if (hole)
        snprintf(script, sizeof script, "%.*s%s%s", (int)(hole - c->script), c->script, FIX, hole + 2);
    else
        snprintf(script, sizeof script, "%s", c->script);
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, script), 0);
    ews_client_options o = ts_scripted_options(&f);
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = (ews_imlist *)1;
    int rc = ews_get_im_item_list(&list, client, NULL);
    const ews_error *e = ews_client_last_error(client);
    if (rc != c->rc || e->category != c->category)
        print_error("case %s: rc %s (%d) category %s: %s\n", c->name, ews_err_name(rc), rc,
                    ews_category_name(e->category), e->message);
    assert_int_equal(rc, c->rc);
    assert_null(list);
    assert_int_equal(e->code, c->rc);
    assert_int_equal(e->category, c->category);
    assert_non_null(e->message);
    assert_true(strlen(e->message) > 0);
    if (c->response_code)
        assert_string_equal(e->response_code, c->response_code);
    if (c->http_status >= 0)
        assert_int_equal(e->http_status, c->http_status);
    assert_non_null(e->client_request_id);
    assert_int_equal(strlen(e->client_request_id), 36);
    ews_client_free(client);
    ts_scripted_stop(&f);
}

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
}

static void test_warning_returns_data(void **state)
{
    (void)state;
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, "[{\"body_file\":\"" FIX "/GetImItemList/warning/response.xml\"}]"), 0);
    ews_client_options o = ts_scripted_options(&f);
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_get_im_item_list(&list, client, NULL), 0);
    assert_non_null(list);
    const ews_error *w = ews_imlist_warning(list);
    assert_non_null(w);
    assert_string_equal(w->response_class, "Warning");
    const ews_error *e = ews_client_last_error(client);
    assert_string_equal(e->response_class, "Warning");
    assert_int_equal(e->category, EWS_CAT_OK);
    ews_imlist_free(list);
    ews_client_free(client);
    ts_scripted_stop(&f);
}

static void test_connection_refused(void **state)
{
    (void)state;
    /* A port that was just free: bind, read its number, close. */
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, "[{\"status\":200}]"), 0);
    char url[128];
    snprintf(url, sizeof url, "%s", f.url);
    ts_scripted_stop(&f); /* nothing listens there any more */
    ews_client_options o = ts_scripted_options(&f);
    o.url = url;
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_get_im_item_list(&list, client, NULL), EWS_ECONNECT);
    assert_int_equal(ews_client_last_error(client)->category, EWS_CAT_TRANSPORT);
    ews_client_free(client);
}

static void test_tls_failure(void **state)
{
    (void)state;
    /* a certificate no CA vouches for: verification fails */
    ts_scripted f;
    assert_int_equal(ts_scripted_start_tls(&f, "[{\"status\":200}]", NULL, NULL, NULL), 0);
    ews_client_options o = ts_scripted_options(&f);
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_get_im_item_list(&list, client, NULL), EWS_ETLS);
    assert_int_equal(ews_client_last_error(client)->category, EWS_CAT_TRANSPORT);
    ews_client_free(client);
    ts_scripted_stop(&f);
}

static void test_timeout(void **state)
{
    (void)state;
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, "[{\"stall\":true}]"), 0);
    ews_client_options o = ts_scripted_options(&f);
    o.timeout_ms = 1000;
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_get_im_item_list(&list, client, NULL), EWS_ETIMEDOUT);
    assert_int_equal(ews_client_last_error(client)->category, EWS_CAT_TRANSPORT);
    ews_client_free(client);
    ts_scripted_stop(&f);
}

static void test_oversize(void **state)
{
    (void)state;
    ts_scripted f;
    assert_int_equal(ts_scripted_start(&f, "[{\"body_file\":\"" FIX "/GetImItemList/reference-http/response.xml\"}]"), 0);
    ews_client_options o = ts_scripted_options(&f);
    o.max_response_bytes = 1000; /* the reference response is ~9 KB */
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &o), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_get_im_item_list(&list, client, NULL), EWS_ETOOBIG);
    assert_int_equal(ews_client_last_error(client)->category, EWS_CAT_INVALID_RESPONSE);
    ews_client_free(client);
    ts_scripted_stop(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_warning_returns_data),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_tls_failure),
        cmocka_unit_test(test_timeout),
        cmocka_unit_test(test_oversize),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
