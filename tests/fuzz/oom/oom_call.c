/* Allocation-failure sweep of whole calls: ews_get_im_item_list() through a
 * client whose transport is the scripted fake, over success, warning,
 * throttling-then-success, fault and HTTP error answers, and client
 * creation itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/client.h"
#include "fake_transport.h"
#include "imlist/imlist.h"
#include "oracle.h"
#include "sweep.h"

/* No waits: every retry hint in these scripts is 0 or 1 ms. */
static const ews_retry_policy policy = { 2, 1000L, 1L, 1L };

typedef struct call_ctx {
    ews_client *client;
    fake_script script;
} call_ctx;

static int run(void *ctx, void **result, ews_err *err)
{
    call_ctx *c = ctx;
    fake_transport_use(&c->script);
    ews_imlist *l = NULL;
    int rc = ews_get_im_item_list(&l, c->client, NULL);
    *result = l;
    /* The record stays the client's; the sweep only reads it. */
    err->pub = *ews_client_last_error(c->client);
    return rc;
}

static void dump(void *ctx, const void *result, ews_buf *out)
{
    call_ctx *c = ctx;
    oracle_check_imlist(result, out);
    /* After a success the last error is a copy of the list's warning (the
     * list's own record is in the dump above), or nothing. A failed copy may
     * leave it short, but never without a message or pointing elsewhere. */
    const ews_error *e = ews_client_last_error(c->client);
    if (e->code != 0 || !e->message || !*e->message)
        oracle_fail("a successful call left last error %d / an empty message", e->code);
    oracle_check_error_strings(e);
}

static void release(void *result)
{
    ews_imlist_free(result);
}

static void settle(void *ctx)
{
    call_ctx *c = ctx;
    ews_err_reset(&c->client->err);
    fake_transport_use(NULL);
}

static const sweep_ops call_ops = { run, dump, release, settle };

/* ---- client creation --------------------------------------------------- */

static int run_new(void *ctx, void **result, ews_err *err)
{
    (void)ctx;
    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = "http://ews.invalid/EWS/Exchange.asmx";
    o.allow_insecure_http = 1;
    o.auth = EWS_AUTH_BASIC;
    o.username = "CONTOSO\\ann";
    o.password = "correct horse battery staple";
    o.culture = "en-US";
    o.impersonation.kind = EWS_IMPERSONATE_SMTP;
    o.impersonation.value = "bob@contoso.com";
    ews_client *c = NULL;
    int rc = ews_client_new(&c, &o);
    if (rc) {
        /* The handle holds the details; the caller frees it either way. */
        const ews_error *e = ews_client_last_error(c);
        if (c)
            ews_err_set(err, rc, "%s", e->message);
        else
            ews_err_set(err, rc, "no handle");
        ews_client_free(c);
        return rc;
    }
    *result = c;
    return 0;
}

static void dump_new(void *ctx, const void *result, ews_buf *out)
{
    (void)ctx;
    const ews_client *c = result;
    if (ews_buf_printf(out, "%s|%s|%s|%d|%s\n", c->opts.url, c->opts.username, c->opts.password,
                       (int)c->opts.impersonation.kind, c->opts.impersonation.value))
        oracle_fail("out of memory writing the dump");
}

static void release_new(void *result)
{
    ews_client_free(result);
}

static const sweep_ops new_ops = { run_new, dump_new, release_new, NULL };

static char *fixture(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/GetImItemList/%s/response.xml", EWS_FIXTURES_DIR, name);
    return sweep_read_file(path, NULL);
}

int main(void)
{
    char *join = fixture("join"), *warning = fixture("warning"), *busy = fixture("server-busy-fault");
    /* The fault's BackOffMilliseconds is 1500: shorten it to retry now. */
    char *hint = strstr(busy, "1500</");
    if (!hint)
        oracle_fail("server-busy-fault no longer says 1500 ms");
    memcpy(hint, "0001", 4);

    ews_buf scripts[6] = { EWS_BUF_INIT, EWS_BUF_INIT, EWS_BUF_INIT,
                           EWS_BUF_INIT, EWS_BUF_INIT, EWS_BUF_INIT };
    const char *names[6] = { "call: 200 success", "call: 200 warning",
                             "call: 503 then 200", "call: busy fault then 200",
                             "call: busy fault twice (EWS_EBUSY)", "call: 401 with offers" };
    const char *ct = "Content-Type: text/xml; charset=utf-8\nrequest-id: rid-1\n";
    int rc = ews_buf_printf(&scripts[0], "200\n%s\n%s", ct, join);
    rc |= ews_buf_printf(&scripts[1], "200\n%s\n%s", ct, warning);
    rc |= ews_buf_printf(&scripts[2], "503\nRetry-After: 0\n\n\n~~~~\n200\n%s\n%s", ct, join);
    rc |= ews_buf_printf(&scripts[3], "500\n%s\n%s\n~~~~\n200\n%s\n%s", ct, busy, ct, join);
    rc |= ews_buf_printf(&scripts[4], "500\n%s\n%s", ct, busy);
    rc |= ews_buf_printf(&scripts[5], "401\nWWW-Authenticate: Negotiate, NTLM\n\n");
    if (rc)
        oracle_fail("out of memory building scripts");

    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = "http://ews.invalid/EWS/Exchange.asmx";
    o.allow_insecure_http = 1;
    o.retry = policy;
    call_ctx c = { NULL, { 0 } };
    if (ews_client_new(&c.client, &o))
        oracle_fail("cannot create the client");

    sweep_stats total = { 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < 6; i++) {
        if (fake_script_parse(&c.script, (const uint8_t *)scripts[i].data, scripts[i].len))
            oracle_fail("out of memory parsing a script");
        sweep(names[i], &call_ops, &c, 100000, 1, &total);
        fake_script_free(&c.script);
        ews_buf_free(&scripts[i]);
    }
    ews_client_free(c.client);
    sweep("client creation", &new_ops, NULL, 100000, 1, &total);
    free(join);
    free(warning);
    free(busy);
    return sweep_report(&total);
}
