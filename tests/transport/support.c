#include "support.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tt_init(void)
{
    ts_no_proxy();
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

long tt_server_stat(const ts_server *s, const char *ctl, const char *listener,
                    const char *counter)
{
    ews_client_options cfg;
    tt_config_init(&cfg, tt_url("http", "127.0.0.1", ts_server_port(s, ctl), "/stats"));
    ews_http_request req = tt_request();
    ews_http_response resp = { 0 };
    ews_err err;
    ews_err_init(&err);
    long value = -1;
    if (tt_post(&cfg, &req, &resp, &err) == 0 && resp.status == 200) {
        char key[64];
        snprintf(key, sizeof key, "%s ", listener);
        for (char *line = resp.body.data; line && *line;) {
            char *nl = strchr(line, '\n');
            if (strncmp(line, key, strlen(key)) == 0) {
                char field[64];
                snprintf(field, sizeof field, " %s=", counter);
                char *at = strstr(line, field);
                if (at && (!nl || at < nl))
                    value = strtol(at + strlen(field), NULL, 10);
            }
            line = nl ? nl + 1 : NULL;
        }
    }
    ews_http_response_free(&resp);
    ews_err_free(&err);
    return value;
}

const char *tt_url(const char *scheme, const char *host, long port, const char *path)
{
    static char url[512];
    snprintf(url, sizeof url, "%s://%s:%ld%s", scheme, host, port, path);
    return url;
}

char *tt_make_token(size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char *t = malloc(n + 1);
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++)
        t[i] = alphabet[(i * 31 + 7) % 64];
    t[n] = '\0';
    return t;
}

void tt_config_init(ews_client_options *cfg, const char *url)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->url = url;
    cfg->user_agent = "ews-c-transport-test/1";
    cfg->allow_insecure_http = 1;
    /* generous: under valgrind, loading the system CA store alone takes
     * seconds */
    cfg->connect_timeout_ms = 30000;
    cfg->stall_timeout_ms = 30000;
    cfg->timeout_ms = 60000;
    cfg->max_response_bytes = (size_t)8 << 20;
}

int tt_post(const ews_client_options *cfg, const ews_http_request *req,
            ews_http_response *resp, ews_err *err)
{
    ews_transport *t = NULL;
    int rc = ews_transport_new(&t, cfg, err);
    if (rc) {
        fprintf(stderr, "ews_transport_new: %s\n", err->pub.message);
        return rc;
    }
    rc = ews_transport_post(t, req, resp, err);
    ews_transport_free(t);
    return rc;
}

ews_http_request tt_request(void)
{
    static const char body[] =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
        "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\">"
        "<soap:Body><GetImItemList "
        "xmlns=\"http://schemas.microsoft.com/exchange/services/2006/messages\"/>"
        "</soap:Body></soap:Envelope>";
    ews_http_request req;
    memset(&req, 0, sizeof req);
    req.body = body;
    req.body_len = sizeof body - 1;
    req.soap_action = "http://schemas.microsoft.com/exchange/services/2006/messages/GetImItemList";
    req.anchor_mailbox = "alice@contoso.example";
    req.client_request_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    return req;
}

void tt_trace_collect(ews_trace_kind kind, const char *data, size_t len, void *userdata)
{
    tt_trace *tr = userdata;
    if ((int)kind >= 0 && (int)kind < 5)
        tr->count[kind]++;
    ews_buf_append(&tr->all, data, len);
    ews_buf_append(&tr->all, "\n", 1);
}

long tt_post_status(const ews_client_options *cfg)
{
    ews_http_request req = tt_request();
    ews_http_response r = { 0 };
    ews_err err;
    ews_err_init(&err);
    long status = -1;
    if (tt_post(cfg, &req, &r, &err) == 0)
        status = r.status;
    else
        fprintf(stderr, "transport error: %s\n", err.pub.message);
    ews_http_response_free(&r);
    ews_err_free(&err);
    return status;
}
