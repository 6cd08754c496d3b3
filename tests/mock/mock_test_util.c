#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mock_test_util.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "imlist/imops.h"

ews_mock_options mt_demo_options(void)
{
    static ews_mock_mailbox demo;
    demo = (ews_mock_mailbox){ "demo@contoso.com", NULL, ews_mock_demo_mailbox_xml(), NULL };
    ews_mock_options o;
    memset(&o, 0, sizeof o);
    o.version = EWS_MOCK_OPTIONS_VERSION;
    o.mailboxes = &demo;
    o.mailbox_count = 1;
    o.strict = 1;
    return o;
}

ews_mock *mt_start(const ews_mock_options *o)
{
    char err[512] = "";
    ews_mock *m = NULL;
    if (ews_mock_start(&m, o, err, sizeof err) != 0)
        fail_msg("ews_mock_start: %s", err);
    return m;
}

static char *dup_trimmed(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    char *p = malloc(n + 1);
    assert_non_null(p);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static void take_header(char **slot, const char *line, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n > k + 1 && strncasecmp(line, name, k) == 0 && line[k] == ':') {
        free(*slot);
        *slot = dup_trimmed(line + k + 1, n - k - 1);
    }
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    mt_response *r = ud;
    size_t n = size * nmemb;
    take_header(&r->www_authenticate, data, n, "WWW-Authenticate");
    take_header(&r->retry_after, data, n, "Retry-After");
    take_header(&r->request_id, data, n, "request-id");
    take_header(&r->client_request_id, data, n, "client-request-id");
    take_header(&r->backend_status, data, n, "X-BackEndHttpStatus");
    take_header(&r->content_type, data, n, "Content-Type");
    return n;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
    mt_response *r = ud;
    return ews_buf_append(&r->body, data, size * nmemb) ? 0 : size * nmemb;
}

/* Feeds the body in small pieces so it goes out chunked. */
typedef struct reader {
    const char *p;
    size_t left;
} reader;

static size_t on_read(char *dst, size_t size, size_t nmemb, void *ud)
{
    reader *r = ud;
    size_t n = size * nmemb;
    if (n > 100)
        n = 100;
    if (n > r->left)
        n = r->left;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

void mt_post(CURL *curl, const mt_request *rq, mt_response *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl ? curl : curl_easy_init();
    assert_non_null(c);
    struct curl_slist *hdrs = NULL;
    hdrs = curl_slist_append(hdrs, "Content-Type: text/xml; charset=utf-8");
    for (const char *const *h = rq->headers; h && *h; h++)
        hdrs = curl_slist_append(hdrs, *h);
    reader rd = { rq->body ? rq->body : "", rq->body ? rq->len : 0 };
    if (rq->chunked)
        hdrs = curl_slist_append(hdrs, "Transfer-Encoding: chunked");
    assert_non_null(hdrs);

    curl_easy_setopt(c, CURLOPT_URL, rq->url);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    if (rq->chunked) {
        curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
        curl_easy_setopt(c, CURLOPT_READDATA, &rd);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, NULL);
    } else {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, rd.p);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rd.left);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, rq->timeout_ms ? rq->timeout_ms : 10000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERPWD, rq->userpwd);
    if (rq->cafile) {
        curl_easy_setopt(c, CURLOPT_CAINFO, rq->cafile);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    out->curl_rc = curl_easy_perform(c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    out->elapsed_ms = (t1.tv_sec - t0.tv_sec) * 1000L + (t1.tv_nsec - t0.tv_nsec) / 1000000L;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &out->new_connections);
    /* The handle may outlive this call: drop pointers to our locals. */
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, NULL);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(c, CURLOPT_READDATA, NULL);
    curl_slist_free_all(hdrs);
    if (!curl)
        curl_easy_cleanup(c);
}

void mt_response_free(mt_response *r)
{
    ews_buf_free(&r->body);
    free(r->www_authenticate);
    free(r->retry_after);
    free(r->request_id);
    free(r->client_request_id);
    free(r->backend_status);
    free(r->content_type);
    memset(r, 0, sizeof *r);
}

char *mt_envelope(const char *version, ews_impersonation_kind kind, const char *value,
                  size_t *len)
{
    ews_request_headers h;
    memset(&h, 0, sizeof h);
    h.server_version = version;
    h.impersonation.kind = kind;
    h.impersonation.value = value;
    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_im_request(&out, &h, &ews_im_get_im_item_list, &(ews_im_args){ 0 }, &err);
    if (rc)
        fail_msg("ews_im_request: %s", err.pub.message);
    ews_err_free(&err);
    return ews_buf_detach(&out, len);
}

int mt_parse(const mt_response *r, int strict, ews_imlist **out, ews_err *err)
{
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = strict;
    return ews_imlist_parse(out, r->body.data ? r->body.data : "", r->body.len, &lim, err);
}

char *mt_raw_exchange(unsigned short port, const char *data, size_t len, int timeout_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    size_t sent = 0;
    while (sent < len) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break; /* the server may close early: read what it said */
        sent += (size_t)n;
    }
    /* Nothing more from us: a server waiting for more sees the end. */
    shutdown(fd, SHUT_WR);
    ews_buf in = EWS_BUF_INIT;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    for (;;) {
        if (poll(&p, 1, timeout_ms) <= 0)
            break;
        char buf[4096];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        assert_int_equal(ews_buf_append(&in, buf, (size_t)n), 0);
    }
    close(fd);
    if (!in.data)
        assert_int_equal(ews_buf_puts(&in, ""), 0);
    size_t n;
    return ews_buf_detach(&in, &n);
}
