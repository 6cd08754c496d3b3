#include "ts_scripted.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts_tempdir.h"

static int start(ts_scripted *f, const char *script_json, int tls, const char *cert,
                 const char *key, const char *host)
{
    memset(f, 0, sizeof *f);
    if (!(f->dir = ts_tempdir()))
        return -1;
    char script[300], listen[700];
    snprintf(script, sizeof script, "%s/script.json", f->dir);
    snprintf(f->log_path, sizeof f->log_path, "%s/requests.jsonl", f->dir);
    if (ts_write_file(script, script_json))
        return -1;
    snprintf(listen, sizeof listen, "main");
    if (tls) {
        char own_cert[300], own_key[300];
        if (!cert) {
            if (ts_make_certificate(f->dir))
                return -1;
            snprintf(own_cert, sizeof own_cert, "%s/cert.pem", f->dir);
            snprintf(own_key, sizeof own_key, "%s/key.pem", f->dir);
            cert = own_cert;
            key = own_key;
        }
        snprintf(listen, sizeof listen, "main:%s:%s", cert, key);
    }
    const char *args[] = { "--listen", listen, "--log", f->log_path, "script", script, NULL };
    if (ts_loopback_start(&f->server, args))
        return -1;
    snprintf(f->url, sizeof f->url, "%s://%s:%ld/EWS/Exchange.asmx", tls ? "https" : "http",
             host ? host : "127.0.0.1", ts_server_port(&f->server, "main"));
    return 0;
}

int ts_scripted_start(ts_scripted *f, const char *script_json)
{
    return start(f, script_json, 0, NULL, NULL, NULL);
}

int ts_scripted_start_tls(ts_scripted *f, const char *script_json, const char *cert,
                          const char *key, const char *host)
{
    return start(f, script_json, 1, cert, key, host);
}

void ts_scripted_stop(ts_scripted *f)
{
    ts_server_stop(&f->server);
    ts_rmtree(f->dir);
    f->dir = NULL;
}

ews_client_options ts_scripted_options(const ts_scripted *f)
{
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = f->url;
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    o.timeout_ms = 10000;
    return o;
}

char *ts_scripted_log(const ts_scripted *f)
{
    char *s = ts_read_text(f->log_path, NULL);
    return s ? s : calloc(1, 1);
}

int ts_scripted_requests(const ts_scripted *f)
{
    char *log = ts_scripted_log(f);
    int n = 0;
    for (const char *p = log; p && (p = strchr(p, '\n')); p++)
        n++;
    free(log);
    return n;
}

int ts_scripted_times(const ts_scripted *f, double *times, int max)
{
    char *log = ts_scripted_log(f);
    int n = 0;
    for (char *p = log; p && n < max && (p = strstr(p, "{\"t\": ")); p++)
        times[n++] = strtod(p + 6, NULL);
    free(log);
    return n;
}
