/* The loopback server in script mode with a client pointed at it: what the
 * client, auth, ops and allocation-failure tests start from. */
#ifndef EWS_TS_SCRIPTED_H
#define EWS_TS_SCRIPTED_H

#include <ews/ews.h>

#include "ts_process.h"

typedef struct ts_scripted {
    ts_server server;
    char *dir; /* private: the script, the request log, a certificate */
    char url[128];
    char log_path[300];
} ts_scripted;

/* Starts the server over http with the given JSON script (see
 * tests/support/loopback/script.py); 0 on success. */
int ts_scripted_start(ts_scripted *f, const char *script_json);
/* Over https: with cert/key, or NULL for a fresh self-signed certificate
 * (nobody trusts it); the URL names host. */
int ts_scripted_start_tls(ts_scripted *f, const char *script_json, const char *cert,
                          const char *key, const char *host);
void ts_scripted_stop(ts_scripted *f);

/* Options for a client of the server: http allowed, no auth, one attempt. */
ews_client_options ts_scripted_options(const ts_scripted *f);

/* The requests the server received, one JSON object per line (new, free();
 * "" before the first). */
char *ts_scripted_log(const ts_scripted *f);
/* How many requests the server received. */
int ts_scripted_requests(const ts_scripted *f);
/* Arrival times (monotonic s) of the requests; returns how many (<= max). */
int ts_scripted_times(const ts_scripted *f, double *times, int max);

#endif
