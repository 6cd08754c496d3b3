/* End-to-end benchmark over loopback with keep-alive:
 *
 *   ews-bench-e2e RESPONSE.xml [CALLS [MAILBOXES]]
 *
 * 1. ews_get_im_item_list calls per second against bench_server (a fixed
 *    response), and in the same run a plain libcurl loop posting the very
 *    request bytes the library sent to the same server (the transport
 *    floor), alternated in halves so load drifts hit both alike;
 * 2. a sweep of MAILBOXES (default 1000; 0: no sweep) impersonated mailboxes
 *    spread over 1, 2 and 4 clients in parallel threads.
 * Prints key=value lines. Every loop is bounded by its call count. */
#define _POSIX_C_SOURCE 200809L
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_server.h"
#include "bench_util.h"
#include "ews/ews.h"

static int mailboxes = 1000;
static size_t response_len;

static char url[128];

static ews_client *new_client(void)
{
    ews_client_options o;
    ews_client_options_init(&o, EWS_CLIENT_OPTIONS_VERSION);
    o.url = url;
    o.allow_insecure_http = 1;
    o.max_response_bytes = (size_t)1 << 30;
    ews_client *c = NULL;
    if (ews_client_new(&c, &o) != 0) {
        fprintf(stderr, "ews_client_new: %s\n",
                c ? ews_client_last_error(c)->message : "out of memory");
        ews_client_free(c);
        return NULL;
    }
    return c;
}

static int ews_call(ews_client *c, const ews_call_options *call)
{
    ews_imlist *l = NULL;
    int rc = ews_get_im_item_list(&l, c, call);
    if (rc != 0)
        fprintf(stderr, "ews_get_im_item_list: %s\n", ews_client_last_error(c)->message);
    ews_imlist_free(l);
    return rc;
}

/* CPU seconds of the calling thread: the client's own work, without the
 * server's threads and without the time other processes held the cores. */
static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double ews_loop(ews_client *c, int calls, double *cpu)
{
    double t0 = bench_now(), c0 = thread_cpu();
    for (int i = 0; i < calls; i++)
        if (ews_call(c, NULL) != 0)
            return -1;
    *cpu += thread_cpu() - c0;
    return bench_now() - t0;
}

static size_t sink(char *p, size_t size, size_t n, void *userdata)
{
    size_t *got = userdata;
    (void)p;
    *got += size * n;
    return size * n;
}

static double curl_loop(CURL *h, int calls, double *cpu)
{
    double t0 = bench_now(), c0 = thread_cpu();
    for (int i = 0; i < calls; i++) {
        size_t got = 0;
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &got);
        CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (rc != CURLE_OK || status != 200 || got == 0) {
            fprintf(stderr, "curl: %s (HTTP %ld)\n", curl_easy_strerror(rc), status);
            return -1;
        }
    }
    *cpu += thread_cpu() - c0;
    return bench_now() - t0;
}

typedef struct sweep_arg {
    int first, step, failed;
} sweep_arg;

static void *sweep_thread(void *p)
{
    sweep_arg *a = p;
    ews_client *c = new_client();
    if (!c) {
        a->failed = 1;
        return NULL;
    }
    for (int i = a->first; i < mailboxes; i += a->step) {
        char who[64];
        snprintf(who, sizeof who, "user%04d@contoso.com", i);
        ews_call_options call;
        ews_call_options_init(&call, EWS_CALL_OPTIONS_VERSION);
        call.impersonation.kind = EWS_IMPERSONATE_PRIMARY_SMTP;
        call.impersonation.value = who;
        if (ews_call(c, &call) != 0) {
            a->failed = 1;
            break;
        }
    }
    ews_client_free(c);
    return NULL;
}

static int sweep(int threads)
{
    pthread_t t[4];
    sweep_arg a[4];
    double t0 = bench_now();
    for (int i = 0; i < threads; i++) {
        a[i] = (sweep_arg){ i, threads, 0 };
        if (pthread_create(&t[i], NULL, sweep_thread, &a[i]) != 0)
            return -1;
    }
    int failed = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        failed |= a[i].failed;
    }
    double s = bench_now() - t0;
    if (failed)
        return -1;
    printf("impl=sweep-ews threads=%d calls=%d seconds=%.6f calls_per_s=%.1f sweep_response_bytes=%zu\n",
           threads, mailboxes, s, mailboxes / s, response_len);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s RESPONSE.xml [CALLS [MAILBOXES]]\n", argv[0]);
        return 2;
    }
    int calls = argc > 2 ? atoi(argv[2]) : 2000;
    if (calls < 2)
        calls = 2;
    if (argc > 3)
        mailboxes = atoi(argv[3]);
    size_t len;
    char *body = bench_read_file(argv[1], &len);
    if (!body)
        return 1;
    response_len = len;
    ews_global_init();
    bench_server *srv = bench_server_start(body, len);
    if (!srv) {
        perror("bench server");
        return 1;
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%u/EWS/Exchange.asmx", bench_server_port(srv));

    int rc = 1;
    CURL *h = NULL;
    struct curl_slist *hdrs = NULL;
    ews_client *c = new_client();
    double warm_cpu = 0;
    if (!c || ews_loop(c, 20, &warm_cpu) < 0) /* warm-up; also captures the request */
        goto out;
    size_t req_len;
    const char *req = bench_server_first_request(srv, &req_len);
    h = curl_easy_init();
    hdrs = curl_slist_append(hdrs, "Content-Type: text/xml; charset=utf-8");
    hdrs = curl_slist_append(hdrs, "SOAPAction: \"http://schemas.microsoft.com/exchange/services/2006/messages/GetImItemList\"");
    if (!req || !h || !hdrs)
        goto out;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req_len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (curl_loop(h, 20, &warm_cpu) < 0)
        goto out;

    int conns0 = bench_server_connections(srv);
    double ews_s = 0, curl_s = 0, ews_cpu = 0, curl_cpu = 0;
    for (int half = 0; half < 2; half++) {
        double a = ews_loop(c, calls / 2, &ews_cpu), b = curl_loop(h, calls / 2, &curl_cpu);
        if (a < 0 || b < 0)
            goto out;
        ews_s += a;
        curl_s += b;
    }
    int done = calls / 2 * 2;
    /* Both loops should have kept their one connection. */
    int new_conns = bench_server_connections(srv) - conns0;
    printf("impl=e2e-ews threads=1 calls=%d seconds=%.6f calls_per_s=%.1f client_cpu_s=%.6f "
           "response_bytes=%zu new_connections=%d\n", done, ews_s, done / ews_s, ews_cpu, len,
           new_conns);
    printf("impl=e2e-curl threads=1 calls=%d seconds=%.6f calls_per_s=%.1f client_cpu_s=%.6f "
           "response_bytes=%zu\n", done, curl_s, done / curl_s, curl_cpu, len);
    fflush(stdout);
    rc = 0;
    for (int t = 1; t <= 4 && rc == 0 && mailboxes > 0; t *= 2)
        rc = sweep(t) ? 1 : 0;
out:
    if (hdrs)
        curl_slist_free_all(hdrs);
    if (h)
        curl_easy_cleanup(h);
    ews_client_free(c);
    bench_server_stop(srv);
    ews_global_cleanup();
    free(body);
    return rc;
}
