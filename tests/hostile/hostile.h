/* The hostile-server suite: the loopback server in hostile mode
 * (tests/support/loopback/hostile.py) and a runner that makes one ews_get_im_item_list()
 * call against it in a forked child and checks how the call ended - code,
 * time, peak memory, and that the password stayed out of the error. */
#ifndef EWS_TEST_HOSTILE_H
#define EWS_TEST_HOSTILE_H

#include <stddef.h>

#include <ews/ews.h>

#include "ts_process.h"

/* Every client authenticates with Basic over plain http: the server
 * receives the password on each request and reflects it where it can. */
#define HOSTILE_USER "hostile-user"
#define HOSTILE_PASSWORD "canary-Pw-7c1e5d"
#define HOSTILE_PASSWORD_B64 "aG9zdGlsZS11c2VyOmNhbmFyeS1Qdy03YzFlNWQ=" /* user:password */

/* The options every case starts from. */
#define HOSTILE_STALL_MS 2000L
#define HOSTILE_TOTAL_MS 5000L
#define HOSTILE_MAX_BYTES ((size_t)1 << 20)

typedef struct hostile_server {
    ts_server server;
    char *dir; /* private: the log, redirect-loop's certificate */
    char url[160];
    char log_path[300];
    char cafile[300]; /* redirect-loop (https): the server's certificate */
} hostile_server;

/* Starts the loopback server misbehaving in the given way (hostile.py's
 * mode_<mode>); count is its --count. */
int hostile_start(hostile_server *s, const char *mode, long count);
void hostile_stop(hostile_server *s);
/* The log line starting with prefix (waiting up to wait_ms for it to
 * appear): the number that follows the prefix, or -1 when there is none. */
long hostile_log_number(const hostile_server *s, const char *prefix, long wait_ms);
/* How many log lines start with prefix. */
int hostile_log_count(const hostile_server *s, const char *prefix);

typedef struct hostile_case {
    const char *name;
    int rc;                 /* the expected result */
    long http_status;       /* -1: not checked */
    long min_ms, max_ms;    /* the call ends within [min_ms, max_ms] */
    long max_growth_mb;     /* bound on the peak RSS growth during the call; 0: none */
    const char *message_has;/* NULL, or a text the error message must contain */
    /* Adjusts the options; may be NULL. */
    void (*tune)(ews_client_options *o, ews_call_options *call);
    /* Further checks of the outcome, in the child: NULL when all is well,
     * else what is wrong. May be NULL. */
    const char *(*check)(const ews_imlist *list, const ews_error *e);
} hostile_case;

/* Runs the case against s in a child process and fails the current cmocka
 * test with the child's complaint if the outcome deviates. */
void hostile_run(const hostile_case *c, const hostile_server *s);

/* Call once from main() before the tests. */
void hostile_init(void);

/* 1 under valgrind or a sanitizer: RSS says nothing about our allocations
 * there and everything runs slower. */
int hostile_instrumented(void);
int hostile_under_valgrind(void);

#endif
