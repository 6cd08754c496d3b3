#include "answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* The close-mid-body fault: a response announcing its whole length whose
 * content stops half way, after which MHD closes the connection. */
typedef struct cut_body {
    char *data;
    size_t send_len;
} cut_body;

static ssize_t cut_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    cut_body *b = cls;
    if (pos >= b->send_len)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = b->send_len - (size_t)pos;
    if (n > max)
        n = max;
    memcpy(buf, b->data + pos, n);
    return (ssize_t)n;
}

static void cut_free(void *cls)
{
    cut_body *b = cls;
    free(b->data);
    free(b);
}

static struct MHD_Response *cut_response(const char *body, size_t len, size_t send_len)
{
    cut_body *b = calloc(1, sizeof *b);
    if (!b || !(b->data = malloc(len ? len : 1))) {
        free(b);
        return NULL;
    }
    memcpy(b->data, body, len);
    b->send_len = send_len;
    struct MHD_Response *r = MHD_create_response_from_callback(len, 16384, cut_read, b, cut_free);
    if (!r)
        cut_free(b);
    return r;
}

enum MHD_Result mock_answer(answer_ctx *a, int status, const char *content_type,
                              char *body, size_t len, size_t send_len,
                              const char *const *extra)
{
    struct MHD_Response *r =
        send_len < len ? cut_response(body, len, send_len)
                       : MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    char uuid[37], backend[8];
    mock_uuid(uuid);
    snprintf(backend, sizeof backend, "%d", status);
    int ok = MHD_add_response_header(r, "Server", "ews-mock") == MHD_YES &&
             MHD_add_response_header(r, "Cache-Control", "private") == MHD_YES &&
             MHD_add_response_header(r, "request-id", uuid) == MHD_YES &&
             MHD_add_response_header(r, "X-BackEndHttpStatus", backend) == MHD_YES;
    /* Exchange echoes the caller's id only when asked to. */
    const char *want =
        MHD_lookup_connection_value(a->c, MHD_HEADER_KIND, "return-client-request-id");
    const char *id = MHD_lookup_connection_value(a->c, MHD_HEADER_KIND, "client-request-id");
    if (ok && want && strcasecmp(want, "true") == 0 && id && *id && strlen(id) <= 256)
        ok = MHD_add_response_header(r, "client-request-id", id) == MHD_YES;
    for (const char *const *e = extra; ok && e && e[0]; e += 2)
        ok = MHD_add_response_header(r, e[0], e[1]) == MHD_YES;
    if (ok && content_type)
        ok = MHD_add_response_header(r, "Content-Type", content_type) == MHD_YES;
    /* MHD closes the connection after a response that says so. */
    if (ok && a->close)
        ok = MHD_add_response_header(r, "Connection", "close") == MHD_YES;
    else if (ok)
        ok = MHD_set_response_options(r, MHD_RF_SEND_KEEP_ALIVE_HEADER, MHD_RO_END) == MHD_YES;
    enum MHD_Result rc = ok ? MHD_queue_response(a->c, (unsigned)status, r) : MHD_NO;
    MHD_destroy_response(r);
    return rc;
}

enum MHD_Result mock_answer_error(answer_ctx *a, int status, const char *why,
                                    const char *const *extra)
{
    char text[512];
    const char *reason = MHD_get_reason_phrase_for((unsigned)status);
    int n = snprintf(text, sizeof text, "%d %s%s%s\n", status, reason, why && *why ? ": " : "",
                     why ? why : "");
    if (n < 0 || (size_t)n >= sizeof text)
        n = (int)strlen(text);
    /* After a framing error the rest of the stream cannot be trusted. */
    if (status == 400 || status == 413 || status == 417 || status == 501)
        a->close = 1;
    return mock_answer(a, status, "text/plain; charset=utf-8", text, (size_t)n, (size_t)n, extra);
}
