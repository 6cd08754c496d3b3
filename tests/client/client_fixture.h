/* Shared set-up for the client tests: a scripted loopback server and a
 * client pointed at it. */
#ifndef EWS_TEST_CLIENT_FIXTURE_H
#define EWS_TEST_CLIENT_FIXTURE_H

#include <ews/ews.h>

#include "child_server.h"

typedef struct client_fixture {
    child_server server;
    char url[128];
    char log_path[300];
} client_fixture;

/* Starts scripted_server.py with the given JSON script; 0 on success. */
int fixture_start(client_fixture *f, const char *script_json);
/* Same over HTTPS with a fresh self-signed certificate (nobody trusts it). */
int fixture_start_ex(client_fixture *f, const char *script_json, int tls);
void fixture_stop(client_fixture *f);

/* Options for a client of the fixture: http allowed, no auth, one attempt. */
ews_client_options fixture_options(const client_fixture *f);

/* Absolute path of a fixture file (static buffer). */
const char *fixture_path(const char *relative);

/* The requests the server received, one JSON object per line (new, free()). */
char *fixture_log(const client_fixture *f);
/* Arrival times (monotonic s) of the requests; returns how many (<= max). */
int fixture_request_times(const client_fixture *f, double *times, int max);

#endif
