/* The typed IM-list calls of ews/imops.h over real HTTP against a scripted
 * loopback server: each sends its operation with the caller's arguments
 * and returns the result, and shares GetImItemList's version check, error
 * model, retries and warnings (the client's call loop). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ts_scripted.h"

#define FIX EWS_FIXTURES_DIR
#define BODY(op, case_dir) "{\"body_file\":\"" FIX "/" op "/" case_dir "/response.xml\"}"

static ews_client *start(ts_scripted *f, const char *script, int attempts)
{
    assert_int_equal(ts_scripted_start(f, script), 0);
    ews_client_options o = ts_scripted_options(f);
    o.retry.max_attempts = attempts;
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &o), 0);
    return c;
}

static void finish(ts_scripted *f, ews_client *c)
{
    ews_client_free(c);
    ts_scripted_stop(f);
}

/* The log shows one request for op whose body holds each of values. */
static void assert_sent(const ts_scripted *f, const char *op, const char *const *values)
{
    char *log = ts_scripted_log(f);
    char want[200];
    snprintf(want, sizeof want,
             "\"soapaction\": \"\\\"http://schemas.microsoft.com/exchange/services/2006/"
             "messages/%s\\\"\"", op);
    if (!strstr(log, want))
        fail_msg("no SOAPAction %s in:\n%s", op, log);
    snprintf(want, sizeof want, "<m:%s>", op);
    assert_non_null(strstr(log, want));
    for (; values && *values; values++)
        if (!strstr(log, *values))
            fail_msg("%s: '%s' was not sent:\n%s", op, *values, log);
    int requests = 0;
    for (const char *p = log; (p = strchr(p, '\n')); p++)
        requests++;
    assert_int_equal(requests, 1);
    free(log);
}

static const ews_item_id group = { "GROUP-1", "GK" };
static const ews_item_id contact = { "CONTACT-1", NULL };

/* One public call each, with arguments the request must show. */
static int get_items(ews_client *c, ews_imlist **out)
{
    return ews_get_im_items(out, c, &contact, 1, &group, 1, NULL);
}
static int add_group(ews_client *c, ews_imlist **out)
{
    return ews_add_im_group(out, c, "Team A", NULL);
}
static int set_group(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_set_im_group(c, group, "Team B", NULL);
}
static int remove_group(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_remove_im_group(c, group, NULL);
}
static int add_contact(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_add_im_contact_to_group(c, contact, &group, NULL);
}
static int add_new_contact(ews_client *c, ews_imlist **out)
{
    return ews_add_new_im_contact_to_group(out, c, "new@contoso.com", "New Person", &group, NULL);
}
static int add_tel_contact(ews_client *c, ews_imlist **out)
{
    return ews_add_new_tel_uri_contact_to_group(out, c, "tel:5550100", "sip:n@contoso.com",
                                                "5550100", NULL, NULL);
}
static int add_dl(ews_client *c, ews_imlist **out)
{
    return ews_add_distribution_group_to_im_list(out, c, "dl@contoso.com", "The DL", NULL);
}
static int remove_contact(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_remove_im_contact_from_group(c, contact, group, NULL);
}
static int remove_from_list(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_remove_contact_from_im_list(c, contact, NULL);
}
static int remove_dl(ews_client *c, ews_imlist **out)
{
    (void)out;
    return ews_remove_distribution_group_from_im_list(c, group, NULL);
}

typedef struct call_case {
    const char *op;
    int (*call)(ews_client *c, ews_imlist **out);
    const char *sent[4];       /* in the request body, JSON-escaped */
    int returns_list;
    size_t groups, personas;   /* in the result of the page's response-1 */
} call_case;

#define GID "Id=\\\"GROUP-1\\\" ChangeKey=\\\"GK\\\""
#define CID "Id=\\\"CONTACT-1\\\""

static const call_case cases[] = {
    { .op = "GetImItems", .call = get_items,
      .sent = { "<m:ContactIds><t:ItemId " CID, "<m:GroupIds><t:ItemId " GID }, .returns_list = 1,
      .groups = 1, .personas = 1 },
    { .op = "AddImGroup", .call = add_group, .sent = { "<m:DisplayName>Team A<" },
      .returns_list = 1, .groups = 1, .personas = 0 },
    { .op = "SetImGroup", .call = set_group,
      .sent = { "<m:GroupId " GID, "<m:NewDisplayName>Team B<" }, .returns_list = 0, .groups = 0,
      .personas = 0 },
    { .op = "RemoveImGroup", .call = remove_group, .sent = { "<m:GroupId " GID }, .returns_list = 0,
      .groups = 0, .personas = 0 },
    { .op = "AddImContactToGroup", .call = add_contact,
      .sent = { "<m:ContactId " CID, "<m:GroupId " GID }, .returns_list = 0, .groups = 0,
      .personas = 0 },
    { .op = "AddNewImContactToGroup", .call = add_new_contact,
      .sent = { "<m:ImAddress>new@contoso.com<", "<m:DisplayName>New Person<", "<m:GroupId " GID },
      .returns_list = 1, .groups = 0, .personas = 1 },
    { .op = "AddNewTelUriContactToGroup", .call = add_tel_contact,
      .sent = { "<m:TelUriAddress>tel:5550100<", "<m:ImContactSipUriAddress>sip:n@contoso.com<",
                "<m:ImTelephoneNumber>5550100<" },
      .returns_list = 1, .groups = 0, .personas = 1 },
    { .op = "AddDistributionGroupToImList", .call = add_dl,
      .sent = { "<m:SmtpAddress>dl@contoso.com<", "<m:DisplayName>The DL<" }, .returns_list = 1,
      .groups = 1, .personas = 0 },
    { .op = "RemoveImContactFromGroup", .call = remove_contact,
      .sent = { "<m:ContactId " CID, "<m:GroupId " GID }, .returns_list = 0, .groups = 0,
      .personas = 0 },
    { .op = "RemoveContactFromImList", .call = remove_from_list, .sent = { "<m:ContactId " CID },
      .returns_list = 0, .groups = 0, .personas = 0 },
    { .op = "RemoveDistributionGroupFromImList", .call = remove_dl, .sent = { "<m:GroupId " GID },
      .returns_list = 0, .groups = 0, .personas = 0 },
};

static char *script_for(const char *op, const char *case_dir)
{
    static char script[512];
    snprintf(script, sizeof script, "[{\"body_file\":\"%s/%s/%s/response.xml\"}]", FIX, op,
             case_dir);
    return script;
}

static void test_each_operation(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const call_case *k = &cases[i];
        ts_scripted f;
        ews_client *c = start(&f, script_for(k->op, "response-1"), 1);
        ews_imlist *l = NULL;
        int rc = k->call(c, &l);
        if (rc)
            fail_msg("%s: %s", k->op, ews_client_last_error(c)->message);
        assert_int_equal(ews_client_last_error(c)->code, 0);
        assert_null(ews_client_last_error(c)->response_class); /* no warning */
        if (k->returns_list) {
            assert_non_null(l);
            assert_int_equal(ews_imlist_group_count(l), k->groups);
            assert_int_equal(ews_imlist_persona_count(l), k->personas);
        }
        assert_sent(&f, k->op, k->sent);
        ews_imlist_free(l);
        finish(&f, c);
    }
}

/* Results are optional to receive: out NULL still makes the call. */
static void test_result_may_be_ignored(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f, script_for("AddImGroup", "response-1"), 1);
    assert_int_equal(ews_add_im_group(NULL, c, "Team A", NULL), 0);
    assert_sent(&f, "AddImGroup", NULL);
    finish(&f, c);
}

static void test_error_response(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f, script_for("RemoveImGroup", "response-2"), 3);
    assert_int_equal(ews_remove_im_group(c, group, NULL), EWS_EEWS);
    const ews_error *e = ews_client_last_error(c);
    assert_string_equal(e->response_code, "ErrorInvalidImGroupId");
    assert_string_equal(e->response_class, "Error");
    assert_int_equal(e->attempts, 1); /* permanent: not retried */
    assert_int_equal(e->http_status, 200);
    assert_non_null(e->client_request_id);
    finish(&f, c);

    c = start(&f, script_for("AddImGroup", "fault-1"), 3);
    ews_imlist *l = NULL;
    assert_int_equal(ews_add_im_group(&l, c, "a&b", NULL), EWS_EFAULT);
    assert_null(l);
    assert_string_equal(ews_client_last_error(c)->response_code, "ErrorSchemaValidation");
    finish(&f, c);
}

/* Throttling: the server-busy fault's back-off, then the answer. */
static void test_throttled_call_is_retried(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f,
                          "[{\"status\":500,\"body_file\":\"" FIX
                          "/client/fault-server-busy-100/response.xml\"},"
                          "{\"status\":503},"
                          BODY("AddDistributionGroupToImList", "response-1") "]",
                          5);
    ews_imlist *l = NULL;
    assert_int_equal(ews_add_distribution_group_to_im_list(&l, c, "dl@x", "DL", NULL), 0);
    assert_int_equal(ews_imlist_group_count(l), 1);
    assert_int_equal(ews_client_last_error(c)->attempts, 3);
    double t[4];
    assert_int_equal(ts_scripted_times(&f, t, 4), 3);
    assert_true(t[1] - t[0] >= 0.1); /* the fault asked for 100 ms */
    ews_imlist_free(l);
    finish(&f, c);
}

static void test_warning_reaches_the_caller(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f, script_for("SetImGroup", "warning"), 1);
    assert_int_equal(ews_set_im_group(c, group, "Team B", NULL), 0);
    const ews_error *e = ews_client_last_error(c);
    assert_int_equal(e->code, 0);
    assert_string_equal(e->response_class, "Warning");
    assert_string_equal(e->response_code, "ErrorBatchProcessingStopped");
    finish(&f, c);
}

/* Checked before anything is sent: the version, the arguments. */
static void test_refused_before_sending(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f, script_for("AddImGroup", "response-1"), 1);
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    call.server_version = "Exchange2010_SP2";
    ews_imlist *l = NULL;
    assert_int_equal(ews_add_im_group(&l, c, "Team A", &call), EWS_EVERSION);
    assert_int_equal(ews_client_last_error(c)->category, EWS_CAT_VERSION);
    assert_int_equal(ews_add_im_group(&l, c, NULL, NULL), EWS_EINVAL);
    assert_non_null(strstr(ews_client_last_error(c)->message, "DisplayName"));
    assert_int_equal(ews_get_im_items(&l, c, NULL, 1, NULL, 0, NULL), EWS_EINVAL);
    const ews_item_id no_id = { NULL, NULL };
    assert_int_equal(ews_remove_contact_from_im_list(c, no_id, NULL), EWS_EINVAL);
    assert_null(l);
    char *log = ts_scripted_log(&f);
    assert_string_equal(log, "");
    free(log);
    assert_int_equal(ews_add_im_group(&l, NULL, "x", NULL), EWS_EINVAL);
    finish(&f, c);
}

/* The call options reach the wire as for GetImItemList. */
static void test_call_options_apply(void **state)
{
    (void)state;
    ts_scripted f;
    ews_client *c = start(&f, script_for("RemoveImContactFromGroup", "response-1"), 1);
    ews_call_options call = EWS_CALL_OPTIONS_INIT;
    call.impersonation.kind = EWS_IMPERSONATE_SMTP;
    call.impersonation.value = "bob@contoso.com";
    call.server_version = "Exchange2016";
    call.culture = "de-DE";
    assert_int_equal(ews_remove_im_contact_from_group(c, contact, group, &call), 0);
    static const char *const sent[] = { "SmtpAddress>bob@contoso.com<", "Version=\\\"Exchange2016\\\"",
                                        "MailboxCulture>de-DE<", "\"x-anchormailbox\": \"bob@contoso.com\"",
                                        NULL };
    assert_sent(&f, "RemoveImContactFromGroup", sent);
    finish(&f, c);
}

/* Each thread's calls carry that thread's arguments. */
typedef struct worker {
    const char *url;
    const char *name;
    int ok;
} worker;

#define THREAD_CALLS 15

static void *run(void *arg)
{
    worker *w = arg;
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = w->url;
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    ews_client *c = NULL;
    if (ews_client_new(&c, &o) == 0)
        for (int i = 0; i < THREAD_CALLS; i++)
            w->ok += ews_add_im_group(NULL, c, w->name, NULL) == 0;
    ews_client_free(c);
    return NULL;
}

static void test_threads_keep_their_arguments(void **state)
{
    (void)state;
    ts_scripted f[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(ts_scripted_start(&f[i], script_for("AddImGroup", "response-1")), 0);
    worker w[2] = { { f[0].url, "Thread-Zero", 0 }, { f[1].url, "Thread-One", 0 } };
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&t[i], NULL, run, &w[i]), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(w[i].ok, THREAD_CALLS);
        char *log = ts_scripted_log(&f[i]);
        int mine = 0;
        for (const char *p = log; (p = strstr(p, w[i].name)); p++)
            mine++;
        assert_int_equal(mine, THREAD_CALLS);
        assert_null(strstr(log, w[1 - i].name));
        free(log);
        ts_scripted_stop(&f[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_operation),
        cmocka_unit_test(test_result_may_be_ignored),
        cmocka_unit_test(test_error_response),
        cmocka_unit_test(test_throttled_call_is_retried),
        cmocka_unit_test(test_warning_reaches_the_caller),
        cmocka_unit_test(test_refused_before_sending),
        cmocka_unit_test(test_call_options_apply),
        cmocka_unit_test(test_threads_keep_their_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
