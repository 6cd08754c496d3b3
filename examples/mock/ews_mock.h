/* A loopback mock EWS server built from the same generated code as the
 * library: serves the IM list operations for mailboxes described in files
 * (writing changes back to them), checks requests like Exchange does, and
 * injects faults for tests. Used by the ews-mock-server program, by
 * `ews-imlist --demo` and by the tests. */
#ifndef EWS_MOCK_H
#define EWS_MOCK_H

#include <stddef.h>

typedef struct ews_mock ews_mock;

typedef enum ews_mock_auth {
    EWS_MOCK_AUTH_NONE = 0,
    EWS_MOCK_AUTH_BASIC,
    EWS_MOCK_AUTH_BEARER
} ews_mock_auth;

typedef struct ews_mock_mailbox {
    const char *address;   /* primary SMTP address, e.g. alice@contoso.com */
    const char *file;      /* mailbox file (see README in examples/mock); or */
    const char *xml;       /* the same content in memory (file == NULL);
                              changes then stay in memory */
    const char *sid;       /* optional: impersonation by ConnectingSID/SID reaches it */
} ews_mock_mailbox;

/* 2 added the load-test members (max_concurrency to request_log). */
#define EWS_MOCK_OPTIONS_VERSION 3

typedef struct ews_mock_options {
    unsigned int version;               /* EWS_MOCK_OPTIONS_VERSION */
    const char *bind_address;           /* NULL: 127.0.0.1 (loopback only) */
    unsigned short port;                /* 0: any free port */
    const char *tls_cert_file;          /* PEM; with tls_key_file: serve HTTPS */
    const char *tls_key_file;
    ews_mock_auth auth;
    const char *username;               /* basic: user; also the default mailbox owner */
    const char *password;               /* basic */
    const char *token;                  /* bearer */
    const ews_mock_mailbox *mailboxes;  /* the first is the authenticated user's own */
    size_t mailbox_count;
    const char *const *impersonators;   /* users allowed to impersonate, NULL-terminated */
    const char *min_server_version;     /* NULL: Exchange2013 */
    int strict;                         /* schema-check requests (default on in the program) */
    /* POX Autodiscover (/autodiscover/autodiscover.xml, served for every
     * mailbox): "FROM=TO" entries, NULL-terminated, make FROM's answer a
     * redirectAddr to TO (an address) or a redirectUrl to TO (a URL). */
    const char *const *autodiscover_redirects;
    /* Load tests (version 2). Exchange's EWSMaxConcurrency: above
     * max_concurrency EWS requests in progress at once, a request gets
     * ErrorServerBusy with BackOffMilliseconds busy_back_off_ms (0: no
     * cap). */
    unsigned int max_concurrency;
    long busy_back_off_ms;
    /* Serves user1@contoso.com ... userN@contoso.com besides the mailboxes
     * above, all reading (and changing) the first mailbox's list. */
    unsigned long generate_mailboxes;
    /* A line per EWS request (see README.md), NULL: none. */
    const char *request_log;
    /* Canned responses (version 3), NULL-terminated: "OP=FILE", or a folder
     * of OP.xml files. A request for OP is answered with its canned
     * envelope as it is (status 500 when it holds a Fault, else 200),
     * whatever the mock would otherwise answer. Without one, an operation
     * the mock has no behaviour for answers with a response message of
     * class Error (ErrorInvalidOperation) saying the mock does not
     * implement it. */
    const char *const *canned;
} ews_mock_options;

/* What the server has seen so far. */
typedef struct ews_mock_stats {
    unsigned long connections;      /* accepted */
    unsigned long handshakes;       /* connections that authenticated (once each, however
                                       many requests they carry); with --auth none: 0 */
    unsigned long challenges;       /* 401 answers asking for credentials */
    unsigned long requests;         /* EWS requests */
    unsigned long busy;             /* ErrorServerBusy answers, injected or over the cap */
    unsigned long peak_concurrency; /* EWS requests in progress at once, most seen */
} ews_mock_stats;

void ews_mock_get_stats(struct ews_mock *m, ews_mock_stats *out);

/* Fault injection, applied to the next calls in order. */
typedef struct ews_mock_faults {
    int busy_count;            /* next N calls: ErrorServerBusy fault */
    long busy_back_off_ms;     /* its BackOffMilliseconds */
    int http503_count;         /* next N calls: HTTP 503 */
    long retry_after_s;        /* with Retry-After (seconds), -1 none */
    long delay_ms;             /* delay every response */
    int stall;                 /* accept the request, never answer */
    int close_mid_body;        /* send half the body, then close */
} ews_mock_faults;

/* Starts serving in background threads. *out is new (ews_mock_stop).
 * Returns 0 or -1 with a message in err (errlen bytes). */
int ews_mock_start(ews_mock **out, const ews_mock_options *opts, char *err, size_t errlen);
unsigned short ews_mock_port(const ews_mock *m);
/* e.g. "http://127.0.0.1:41234/EWS/Exchange.asmx" (borrowed) */
const char *ews_mock_url(const ews_mock *m);
void ews_mock_set_faults(ews_mock *m, const ews_mock_faults *f);
/* Number of EWS requests served (any operation, any outcome). */
unsigned long ews_mock_request_count(const ews_mock *m);
void ews_mock_stop(ews_mock *m);

/* The demo mailbox: Microsoft's reference GetImItemList example
 * (4 groups, 2 personas), compiled in. Static string. */
const char *ews_mock_demo_mailbox_xml(void);

/* The demo mailbox's owner. */
#define EWS_MOCK_DEMO_ADDRESS "demo@contoso.com"

/* Starts the demo server: the demo mailbox as EWS_MOCK_DEMO_ADDRESS, no
 * authentication, strict checks, on 127.0.0.1 at a free port. Same
 * contract as ews_mock_start. */
int ews_mock_start_demo(ews_mock **out, char *err, size_t errlen);

#endif
