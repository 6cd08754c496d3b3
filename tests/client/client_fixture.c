#include "client_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int make_self_signed(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
             "-keyout '%s/key.pem' -out '%s/cert.pem' >/dev/null 2>&1", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

int fixture_start(client_fixture *f, const char *script_json)
{
    return fixture_start_ex(f, script_json, 0);
}

int fixture_start_ex(client_fixture *f, const char *script_json, int tls)
{
    memset(f, 0, sizeof *f);
    if (child_server_mkdir(&f->server))
        return -1;
    if (tls && make_self_signed(f->server.dir))
        return -1;
    char script[300], port[300], cert[300], key[300];
    snprintf(cert, sizeof cert, "%s/cert.pem", f->server.dir);
    snprintf(key, sizeof key, "%s/key.pem", f->server.dir);
    snprintf(script, sizeof script, "%s", child_server_write_file(&f->server, "script.json", script_json));
    snprintf(port, sizeof port, "%s/port", f->server.dir);
    snprintf(f->log_path, sizeof f->log_path, "%s/requests.jsonl", f->server.dir);
    char *argv[] = { "python3", EWS_SOURCE_DIR "/tests/support/scripted_server.py",
                     "--script", script, "--port-file", port, "--log", f->log_path,
                     tls ? "--tls" : NULL, cert, key, NULL };
    if (child_server_start(&f->server, argv, port))
        return -1;
    snprintf(f->url, sizeof f->url, "%s://127.0.0.1:%d/EWS/Exchange.asmx", tls ? "https" : "http",
             f->server.port);
    return 0;
}

void fixture_stop(client_fixture *f)
{
    child_server_stop(&f->server);
}

ews_client_options fixture_options(const client_fixture *f)
{
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT;
    o.url = f->url;
    o.allow_insecure_http = 1;
    o.retry.max_attempts = 1;
    o.timeout_ms = 10000;
    return o;
}

const char *fixture_path(const char *relative)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", EWS_FIXTURES_DIR, relative);
    return path;
}

char *fixture_log(const client_fixture *f)
{
    FILE *fp = fopen(f->log_path, "rb");
    if (!fp)
        return calloc(1, 1);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n)
        s[0] = '\0';
    fclose(fp);
    return s;
}

int fixture_request_times(const client_fixture *f, double *times, int max)
{
    char *log = fixture_log(f);
    int n = 0;
    for (char *p = log; p && n < max && (p = strstr(p, "{\"t\": ")); p++)
        times[n++] = strtod(p + 6, NULL);
    free(log);
    return n;
}
