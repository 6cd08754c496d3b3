/* Harness B: HTTP responses -> ews_get_im_item_list() through a client whose
 * transport is the scripted fake (fake_transport.h). Besides the result and
 * error oracles, the call path must agree with the parser: a call answered
 * by one 200 response ends as parsing that body directly does (or as
 * EWS_EBUSY when that was a retryable error the budget did not cover). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ops/client.h"
#include "fake_transport.h"
#include "harness.h"
#include "imlist/imlist.h"
#include "oracle.h"

/* Two attempts and a 20 ms budget: retries happen, sleeps stay short. */
static const ews_retry_policy policy = { 2, 20L, 1L, 2L };

static ews_client *client_for(int strict)
{
    static ews_client *clients[2];
    if (clients[strict])
        return clients[strict];
    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = "http://ews.invalid/EWS/Exchange.asmx";
    o.allow_insecure_http = 1;
    o.strict = strict;
    o.retry = policy;
    if (ews_client_new(&clients[strict], &o) != 0)
        oracle_fail("cannot create the client: %s",
                    ews_client_last_error(clients[strict])->message);
    return clients[strict];
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The header as sent, except that bytes which are not UTF-8 read as '?'
 * (error records hold text only). */
static int same_request_id(const char *got, const char *sent)
{
    if (!got || !sent)
        return !got && !sent;
    if (oracle_utf8_ok(sent, strlen(sent)))
        return strcmp(got, sent) == 0;
    return strlen(got) == strlen(sent);
}

/* Parses a body as the client would; returns rc and the dump on success. */
static int direct_parse(const fake_block *b, const ews_client *c, ews_buf *dump,
                        ews_error_category *cat)
{
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_imlist_parse(&l, b->body ? b->body : "", b->body_len, &c->limits, &err);
    if (!rc)
        oracle_check_imlist(l, dump);
    *cat = err.pub.category;
    ews_imlist_free(l);
    ews_err_free(&err);
    return rc;
}

static void check_failure(int rc, const ews_error *e, size_t posts, const fake_block *last)
{
    oracle_check_failure(rc, e);
    if ((size_t)e->attempts != posts)
        oracle_fail("error says %d attempts, the transport saw %zu", e->attempts, posts);
    if (!e->client_request_id || strlen(e->client_request_id) != 36)
        oracle_fail("error without the call's client-request-id");
    long want_status = last->transport_rc ? 0 : last->status;
    if (e->http_status != want_status)
        oracle_fail("error says HTTP %ld, the last response was %ld", e->http_status,
                    want_status);
    if (!last->transport_rc && !same_request_id(e->server_request_id, last->request_id))
        oracle_fail("error's server request-id is not the last response's");
}

static void check_against_parser(int rc, const ews_imlist *l, const ews_client *c,
                                 const fake_block *last)
{
    ews_buf want = EWS_BUF_INIT, got = EWS_BUF_INIT;
    ews_error_category cat;
    int want_rc = direct_parse(last, c, &want, &cat);
    if (rc != want_rc && !(rc == EWS_EBUSY && cat == EWS_CAT_RETRYABLE))
        oracle_fail("one 200 response: call returned %d, parsing its body gives %d", rc,
                    want_rc);
    if (rc == 0) {
        oracle_check_imlist(l, &got);
        if (got.len != want.len || memcmp(got.data, want.data, got.len) != 0)
            oracle_fail("one 200 response: the call's list differs from the parsed body's");
    }
    ews_buf_free(&want);
    ews_buf_free(&got);
}

int fuzz_http_one(const uint8_t *data, size_t size)
{
    fake_script s;
    if (fake_script_parse(&s, data, size))
        return 0;
    ews_client *c = client_for(s.strict);
    fake_transport_use(&s);

    ews_imlist *l = (ews_imlist *)1;
    long start = now_ms();
    int rc = ews_get_im_item_list(&l, c, NULL);
    long took = now_ms() - start;
    const ews_error *e = ews_client_last_error(c);
    size_t posts = fake_transport_posts();
    const fake_block *last = fake_transport_last();

    if (getenv("EWS_FUZZ_DUMP"))
        printf("rc %s after %zu POSTs in %ld ms: %s\n", ews_err_name(rc), posts, took,
               e->message);
    if (posts < 1 || posts > (size_t)policy.max_attempts)
        oracle_fail("%zu POSTs for a %d-attempt policy", posts, policy.max_attempts);
    if (took > 1000)
        oracle_fail("the call took %ld ms with a %ld ms retry budget", took,
                    policy.max_total_ms);
    if (rc == 0) {
        if (!l || l == (ews_imlist *)1)
            oracle_fail("success without a list");
        if (last->transport_rc || (last->status != 200 && last->status != 500))
            oracle_fail("success from HTTP %ld", last->status);
        oracle_check_imlist(l, NULL);
        const ews_error *w = ews_imlist_warning(l);
        if (e->code != 0 || (w && !same_str(e->response_code, w->response_code)))
            oracle_fail("last error of a successful call is not its warning");
    } else {
        if (l)
            oracle_fail("failed call (%d) returned a list", rc);
        check_failure(rc, e, posts, last);
    }
    if (posts == 1 && !last->transport_rc && last->status == 200)
        check_against_parser(rc, l, c, last);

    ews_imlist_free(l);
    fake_transport_use(NULL);
    fake_script_free(&s);
    return 0;
}

#ifdef EWS_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_http_one(data, size);
}
#endif
