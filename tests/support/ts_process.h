/* Test servers as child processes: the loopback server
 * (tests/support/loopback_server.py) in one of its modes, or another
 * program that speaks its start-up lines ("PORT <name> <port>"... then
 * "READY", or "SKIP <why>") and stops when its stdin closes. */
#ifndef EWS_TS_PROCESS_H
#define EWS_TS_PROCESS_H

#include <sys/types.h>

#define TS_MAX_LISTENERS 8

typedef struct ts_server {
    pid_t pid;
    int to_child;   /* the child's stdin: closing it stops the server */
    int from_child; /* the child's stdout */
    int nports;
    char names[TS_MAX_LISTENERS][32];
    long ports[TS_MAX_LISTENERS];
} ts_server;

/* No proxy from the environment: libcurl would send loopback requests to a
 * proxy named there. Call first. */
void ts_no_proxy(void);

/* Runs the Python script (a path) with the NULL-terminated args and waits
 * for its READY. Returns 0, TS_SKIP when it printed "SKIP <why>" (printed
 * here too), or -1. */
int ts_server_start(ts_server *s, const char *script, const char *const *args);
/* The same for tests/support/loopback_server.py: args are its own
 * ("--listen", ..., MODE, mode options). */
int ts_loopback_start(ts_server *s, const char *const *args);
/* Port of the named listener ("main" when the mode chose), or -1. */
long ts_server_port(const ts_server *s, const char *name);
/* Closes its stdin and waits; SIGTERM, then SIGKILL if it lingers. */
void ts_server_stop(ts_server *s);

/* Runs the Python script with one argument to completion: 0, TS_SKIP or -1. */
int ts_run_script(const char *script, const char *arg);

void ts_sleep_ms(long ms);

#endif
