#include "fake_transport.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "oracle.h"

struct ews_transport {
    size_t max_response_bytes;
};

static const fake_script *script;
static size_t posts;
static const fake_block *last;

/* The failures ews_transport_post documents. */
static const int transport_failures[8] = { EWS_ECONNECT, EWS_ERESOLVE, EWS_ETLS, EWS_ETIMEDOUT,
                                           EWS_ETRANSPORT, EWS_ETOOBIG, EWS_EAUTH, EWS_ENOMEM };

static char *next_line(char **p, char *end)
{
    if (*p >= end)
        return NULL;
    char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    char *stop = nl ? nl : end;
    if (stop > line && stop[-1] == '\r')
        stop[-1] = '\0';
    *stop = '\0';
    *p = nl ? nl + 1 : end;
    return line;
}

static int header_is(const char *line, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncasecmp(line, name, n) != 0 || line[n] != ':')
        return 0;
    const char *v = line + n + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    *value = v;
    return 1;
}

static void parse_block(fake_block *b, char *p, char *end)
{
    memset(b, 0, sizeof *b);
    b->retry_after_ms = -1;
    b->status = 200;
    char *line = next_line(&p, end);
    if (line && line[0] == 'E') {
        b->transport_rc = transport_failures[(unsigned)atoi(line + 1) % 8];
    } else if (line) {
        long s = strtol(line, NULL, 10);
        b->status = s >= 100 && s <= 999 ? s : 200;
    }
    while ((line = next_line(&p, end)) && *line) {
        const char *v;
        if (header_is(line, "Content-Type", &v))
            b->content_type = v;
        else if (header_is(line, "request-id", &v))
            b->request_id = v;
        else if (header_is(line, "X-BackEndHttpStatus", &v))
            b->backend_status = v;
        else if (header_is(line, "WWW-Authenticate", &v))
            b->www_authenticate = v;
        else if (header_is(line, "Location", &v))
            b->location = v;
        else if (header_is(line, "Retry-After", &v))
            b->retry_after_ms = strtol(v, NULL, 10) < 0 ? -1 : strtol(v, NULL, 10);
    }
    b->body = p;
    b->body_len = (size_t)(end - p);
}

int fake_script_parse(fake_script *s, const uint8_t *data, size_t size)
{
    memset(s, 0, sizeof *s);
    s->text = malloc(size + 1);
    if (!s->text)
        return EWS_ENOMEM;
    memcpy(s->text, data, size);
    s->text[size] = '\0';
    char *p = s->text, *end = s->text + size;
    if (size >= 8 && memcmp(p, "#strict\n", 8) == 0) {
        s->strict = 1;
        p += 8;
    }
    static const char sep[] = "\n~~~~\n";
    while (s->nblocks < FAKE_MAX_BLOCKS) {
        char *stop = s->nblocks + 1 < FAKE_MAX_BLOCKS ? memmem(p, (size_t)(end - p), sep, 6) : NULL;
        parse_block(&s->blocks[s->nblocks++], p, stop ? stop : end);
        if (!stop)
            break;
        p = stop + 6;
    }
    return 0;
}

void fake_script_free(fake_script *s)
{
    free(s->text);
    memset(s, 0, sizeof *s);
}

void fake_transport_use(const fake_script *s)
{
    script = s;
    posts = 0;
    last = NULL;
}

size_t fake_transport_posts(void)
{
    return posts;
}

const fake_block *fake_transport_last(void)
{
    return last;
}

/* ---- transport.h ---------------------------------------------------------- */

int ews_transport_new(ews_transport **out, const ews_client_options *cfg, ews_err *err)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    (*out)->max_response_bytes = cfg->max_response_bytes;
    return 0;
}

void ews_transport_free(ews_transport *t)
{
    free(t);
}

static int dup_field(char **slot, const char *v)
{
    if (!v)
        return 0;
    *slot = strdup(v);
    return *slot ? 0 : EWS_ENOMEM;
}

int ews_transport_post(ews_transport *t, const ews_http_request *req, ews_http_response *resp,
                       ews_err *err)
{
    memset(resp, 0, sizeof *resp);
    resp->retry_after_ms = -1;
    if (!script || !script->nblocks)
        oracle_fail("fake transport used without a script");
    if (!req->body || !req->body_len || !req->soap_action || !req->client_request_id ||
        strlen(req->client_request_id) != 36)
        oracle_fail("the call path posted an incomplete request");
    const fake_block *b = &script->blocks[posts < script->nblocks ? posts : script->nblocks - 1];
    posts++;
    last = b;
    if (b->transport_rc)
        return ews_err_set(err, b->transport_rc, "fake transport: %s",
                           ews_strerror(b->transport_rc));
    if (b->body_len > t->max_response_bytes)
        return ews_err_set(err, EWS_ETOOBIG, "fake transport: body over the limit");

    resp->status = b->status;
    int rc = ews_buf_append(&resp->body, b->body, b->body_len);
    rc = rc ? rc : dup_field(&resp->content_type, b->content_type);
    rc = rc ? rc : dup_field(&resp->request_id, b->request_id);
    rc = rc ? rc : dup_field(&resp->backend_status, b->backend_status);
    /* As the real transport: Location only of a 3xx, offers only of a 401. */
    if (b->status >= 300 && b->status < 400)
        rc = rc ? rc : dup_field(&resp->location, b->location);
    if (b->status == 401)
        rc = rc ? rc : dup_field(&resp->www_authenticate, b->www_authenticate);
    resp->retry_after_ms = b->retry_after_ms;
    if (rc) {
        ews_http_response_free(resp);
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    }
    return 0;
}

