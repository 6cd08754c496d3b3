/* Allocation-failure sweep of whole calls over real HTTP on loopback:
 * client creation, libcurl, zlib's gzip decoding and chunked transfer,
 * then the parse, for plain, gzip, chunked and gzip+chunked answers of a
 * success, a warning, a fault and a large list. The server is a child
 * process (tests/support/loopback_server.py), so only the client side's
 * allocations are counted and failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "ts_scripted.h"
#include "oracle.h"
#include "sweep.h"

typedef struct http_ctx {
    const char *url;
    ews_client *client; /* made by run, freed by settle */
} http_ctx;

static int run(void *ctx, void **result, ews_err *err)
{
    http_ctx *h = ctx;
    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = h->url;
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    o.timeout_ms = 20000;
    int rc = ews_client_new(&h->client, &o);
    ews_imlist *l = NULL;
    if (rc == 0)
        rc = ews_get_im_item_list(&l, h->client, NULL);
    *result = l;
    if (h->client) {
        /* Borrowed until settle frees the client. */
        err->pub = *ews_client_last_error(h->client);
    } else {
        err->pub.code = rc;
        err->pub.category = EWS_CAT_CONFIG;
        err->pub.message = "no client handle";
    }
    return rc;
}

static void dump(void *ctx, const void *result, ews_buf *out)
{
    http_ctx *h = ctx;
    oracle_check_imlist(result, out);
    const ews_error *e = ews_client_last_error(h->client);
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
    http_ctx *h = ctx;
    ews_client_free(h->client);
    h->client = NULL;
}

static const sweep_ops http_ops = { run, dump, release, settle };

/* Every failure once, unchecked: some failure paths of libcurl and libc
 * make a one-time, process-wide allocation that stays reachable (valgrind
 * finds no definite leak in this program), which the sweep's per-run block
 * balance would count as a leak. A real leak happens again in the sweep
 * proper and is caught there. */
static void warm_failure_paths(http_ctx *h, size_t full, size_t stride)
{
    ews_err err;
    ews_err_init(&err);
    void *result = NULL;
    alloc_fail_arm(0);
    int rc = run(h, &result, &err);
    size_t n = alloc_fail_calls();
    alloc_fail_disarm();
    for (size_t k = 0; k <= n; k = k < full ? k + 1 : k + stride) {
        if (k) {
            alloc_fail_arm(k);
            rc = run(h, &result, &err);
            alloc_fail_disarm();
        }
        if (rc == 0)
            release(result);
        result = NULL;
        settle(h);
    }
}

/* Personas with an attribution and attributed values, in groups. */
static char *large_list(size_t personas)
{
    ews_buf b = EWS_BUF_INIT;
    int rc = ews_buf_puts(&b,
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
        "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError"
        "</m:ResponseCode><m:ImItemList><t:Groups><t:ImGroup><t:DisplayName>All"
        "</t:DisplayName><t:GroupType>IPM.DistList.MOC.UserGroup</t:GroupType>"
        "<t:MemberCorrelationKey>");
    for (size_t i = 0; i < personas; i++)
        rc |= ews_buf_printf(&b, "<t:ItemId Id=\"SRC-%zu\"/>", i);
    rc |= ews_buf_puts(&b, "</t:MemberCorrelationKey></t:ImGroup></t:Groups><t:Personas>");
    for (size_t i = 0; i < personas; i++)
        rc |= ews_buf_printf(&b,
            "<t:Persona><t:PersonaId Id=\"P-%zu\"/><t:DisplayName>Person %zu</t:DisplayName>"
            "<t:EmailAddress><t:EmailAddress>p%zu@contoso.com</t:EmailAddress></t:EmailAddress>"
            "<t:Attributions><t:Attribution><t:Id>0</t:Id><t:SourceId Id=\"SRC-%zu\"/>"
            "</t:Attribution></t:Attributions>"
            "<t:DisplayNames><t:StringAttributedValue><t:Value>Person %zu</t:Value>"
            "<t:Attributions><t:Attribution>0</t:Attribution></t:Attributions>"
            "</t:StringAttributedValue></t:DisplayNames></t:Persona>",
            i, i, i, i, i);
    rc |= ews_buf_puts(&b, "</t:Personas></m:ImItemList></m:GetImItemListResponse>"
                           "</s:Body></s:Envelope>");
    if (rc)
        oracle_fail("out of memory generating the large list");
    return ews_buf_detach(&b, NULL);
}

typedef struct http_case {
    const char *name;
    const char *body_file; /* under the fixtures, or NULL: the large list */
    int status;
    const char *encoding;  /* JSON members added to the answer */
    size_t full, stride;   /* sweep every k up to full, then every stride-th */
} http_case;

int main(void)
{
    static const http_case cases[] = {
        { .name = "http: 200 success", .body_file = "GetImItemList/join/response.xml",
          .status = 200, .encoding = "", .full = 100000, .stride = 1 },
        { .name = "http: 200 success, gzip", .body_file = "GetImItemList/join/response.xml",
          .status = 200, .encoding = ", \"gzip\": true", .full = 100000, .stride = 1 },
        { .name = "http: 200 success, chunked", .body_file = "GetImItemList/join/response.xml",
          .status = 200, .encoding = ", \"chunked\": 512", .full = 100000, .stride = 1 },
        { .name = "http: 200 success, gzip+chunked", .body_file = "GetImItemList/join/response.xml",
          .status = 200, .encoding = ", \"gzip\": true, \"chunked\": 100", .full = 100000,
          .stride = 1 },
        { .name = "http: 200 warning, gzip", .body_file = "GetImItemList/warning/response.xml",
          .status = 200, .encoding = ", \"gzip\": true", .full = 100000, .stride = 1 },
        { .name = "http: 500 fault, chunked",
          .body_file = "GetImItemList/server-busy-fault/response.xml", .status = 500,
          .encoding = ", \"chunked\": 64", .full = 100000, .stride = 1 },
        { .name = "http: 200 large list, gzip+chunked", .status = 200,
          .encoding = ", \"gzip\": true, \"chunked\": 1024", .full = 400, .stride = 9 },
    };
    sweep_stats total = { 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const http_case *c = &cases[i];
        const char *only = getenv("EWS_OOM_ONLY");
        if (only && !strstr(c->name, only))
            continue;
        ts_scripted f;
        char script[1024], body[600];
        if (c->body_file) {
            snprintf(body, sizeof body, "%s/%s", EWS_FIXTURES_DIR, c->body_file);
        } else {
            snprintf(body, sizeof body, "%s/oom_http_large.xml", EWS_OOM_DIR);
            char *list = large_list(50);
            FILE *out = fopen(body, "wb");
            if (!out || fputs(list, out) < 0 || fclose(out) != 0)
                oracle_fail("cannot write %s", body);
            free(list);
        }
        snprintf(script, sizeof script, "[{\"status\": %d, \"body_file\": \"%s\"%s}]",
                 c->status, body, c->encoding);
        if (ts_scripted_start(&f, script))
            oracle_fail("cannot start the scripted server for %s", c->name);
        http_ctx h = { f.url, NULL };
        warm_failure_paths(&h, c->full, c->stride);
        sweep(c->name, &http_ops, &h, c->full, c->stride, &total);
        ts_scripted_stop(&f);
    }
    return sweep_report(&total);
}
