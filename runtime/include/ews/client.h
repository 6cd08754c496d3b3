/* ews-c: the client handle and the EWS calls.
 *
 * One client talks to one endpoint over one kept-alive connection. A client
 * is used by one thread at a time; separate clients are independent.
 */
#ifndef EWS_CLIENT_H
#define EWS_CLIENT_H

#include "common.h"
#include "errors.h"
#include "imlist.h"
#include "throttle.h"

typedef struct ews_client ews_client;

typedef enum ews_auth_method {
    EWS_AUTH_NONE = 0,
    EWS_AUTH_AUTO,      /* from WWW-Authenticate: Negotiate, then NTLM, then Basic (https only) */
    EWS_AUTH_BASIC,
    EWS_AUTH_BEARER,    /* OAuth 2.0 token from token_cb */
    EWS_AUTH_NTLM,      /* NTLMv2 */
    EWS_AUTH_NEGOTIATE  /* SPNEGO: Kerberos, or NTLM inside SPNEGO */
} ews_auth_method;

typedef enum ews_gss_provider {
    EWS_GSS_AUTO = 0,   /* libcurl when it can, else GSSAPI; GSSAPI first over https
                           unless channel_binding is EWS_CHANNEL_BINDING_OFF */
    EWS_GSS_CURL,       /* libcurl's own NTLM / its SPNEGO with the default credentials */
    EWS_GSS_GSSAPI      /* this library drives GSSAPI (gss-ntlmssp, Kerberos) itself */
} ews_gss_provider;

/* TLS channel binding ("Extended Protection for Authentication", on by
 * default since Exchange 2019 CU14 and in Exchange SE): NTLM and Negotiate
 * over https carry the RFC 5929 tls-server-end-point binding of the TLS
 * connection (a hash of the server's certificate), so a server with
 * Extended Protection accepts them and a man in the middle cannot relay
 * them. Only the NTLM/SPNEGO legs this library drives through GSSAPI can
 * bind; libcurl's own NTLM and Negotiate (7.88) cannot. Nothing is bound
 * over http://, Basic or bearer. */
typedef enum ews_channel_binding {
    EWS_CHANNEL_BINDING_AUTO = 0, /* over https bind whenever GSSAPI drives NTLM/Negotiate;
                                     with EWS_GSS_AUTO prefer GSSAPI (gss-ntlmssp, MIT
                                     SPNEGO) for that, and fall back to libcurl's unbound
                                     NTLM/Negotiate only when GSSAPI cannot do it */
    EWS_CHANNEL_BINDING_OFF,      /* never bind; the provider choice of EWS_GSS_AUTO is
                                     libcurl first (e.g. behind a TLS-terminating proxy,
                                     where the binding names the proxy's certificate) */
    EWS_CHANNEL_BINDING_REQUIRE   /* NTLM/Negotiate only with a binding: ews_client_new
                                     fails with EWS_ENOTSUP when only libcurl could do
                                     them (no gss-ntlmssp, EWS_GSS_CURL) and with
                                     EWS_ECONFIG for an http:// URL; a call fails with
                                     EWS_ENOTSUP / EWS_ETLS rather than send unbound */
} ews_channel_binding;

typedef enum ews_impersonation_kind {
    EWS_IMPERSONATE_INHERIT = 0,   /* call options: use the client's; client options: none */
    EWS_IMPERSONATE_NONE,          /* explicitly none */
    EWS_IMPERSONATE_PRIMARY_SMTP,  /* ConnectingSID/PrimarySmtpAddress */
    EWS_IMPERSONATE_SMTP,          /* ConnectingSID/SmtpAddress */
    EWS_IMPERSONATE_PRINCIPAL_NAME,/* ConnectingSID/PrincipalName (UPN) */
    EWS_IMPERSONATE_SID            /* ConnectingSID/SID */
} ews_impersonation_kind;

typedef struct ews_impersonation {
    ews_impersonation_kind kind;
    const char *value;
} ews_impersonation;

typedef struct ews_retry_policy {
    int max_attempts;        /* total HTTP attempts per call; 1 or 0 disables retrying */
    long max_total_ms;       /* give up when the next wait would pass this; 0 disables retrying */
    long initial_backoff_ms; /* first wait when the server gives no hint */
    long max_backoff_ms;     /* cap of the exponential back-off */
} ews_retry_policy;

#define EWS_RETRY_POLICY_DEFAULT { 5, 600000L, 1000L, 60000L }

/* A new token (malloc'd; the library wipes and frees it) for bearer auth.
 * force_refresh is 1 after the server rejected the previous token.
 * Return 0, or non-zero to fail the call with EWS_ECALLBACK. */
typedef int (*ews_token_fn)(char **token, int force_refresh, void *userdata);

typedef enum ews_trace_kind {
    EWS_TRACE_INFO = 0,
    EWS_TRACE_REQUEST_HEADERS,
    EWS_TRACE_REQUEST_BODY,
    EWS_TRACE_RESPONSE_HEADERS,
    EWS_TRACE_RESPONSE_BODY
} ews_trace_kind;

/* Receives each request and response; Authorization values, cookies,
 * passwords and tokens are already replaced by "***". */
typedef void (*ews_trace_fn)(ews_trace_kind kind, const char *data, size_t len, void *userdata);

/* What a call is doing, for a program that wants to tell its user (a
 * command line's -v): one event per wait before a retry, per request of an
 * authentication handshake and per redirect not followed. Events never
 * carry credentials or tokens. Members may be added at the end; each kind
 * uses only the members listed for it, the others are 0 / NULL. */
typedef enum ews_event_kind {
    EWS_EVENT_RETRY = 1,       /* the call waits delay_ms, then makes attempt `attempt` */
    EWS_EVENT_AUTH_LEG,        /* a request with credentials goes out (method, leg) */
    EWS_EVENT_REDIRECT_REFUSED /* a 3xx answer is not followed (location, reason) */
} ews_event_kind;

typedef struct ews_event {
    ews_event_kind kind;
    const char *operation;     /* e.g. "GetImItemList" */
    /* EWS_EVENT_RETRY */
    long delay_ms;
    int attempt;               /* the attempt after the wait: 2 for the first retry */
    int max_attempts;          /* the retry policy's; the time budget may end sooner */
    long http_status;          /* of the answer that asked for the wait; 0 if none */
    const char *response_code; /* its EWS code (ResponseCode or fault code), or NULL */
    /* EWS_EVENT_AUTH_LEG */
    const char *method;        /* "Basic", "Bearer", "NTLM (GSSAPI)", "Negotiate (libcurl)" */
    int leg;                   /* 1, 2, ... in a handshake; 0 when libcurl runs all legs */
    /* EWS_EVENT_REDIRECT_REFUSED */
    const char *location;      /* where the server pointed (secrets masked; server text) */
    const char *reason;        /* why it is not followed */
} ews_event;

/* Called on the calling thread, during the call; event and its strings are
 * borrowed for the duration of the callback. */
typedef void (*ews_event_fn)(const ews_event *event, void *userdata);

/* 2 added channel_binding, 3 noproxy, the event callback, resolve and
 * connect_to, 4 throttle. A program built against an older version (which sets that
 * version and has the shorter struct) keeps working: the members after its
 * own take their defaults. */
#define EWS_CLIENT_OPTIONS_VERSION 4

typedef struct ews_client_options {
    unsigned int version;            /* EWS_CLIENT_OPTIONS_VERSION */

    const char *url;                 /* https://host/EWS/Exchange.asmx; NULL for a parse-only client */
    ews_auth_method auth;
    const char *username;            /* DOMAIN\user or user@domain */
    const char *password;            /* copied; wiped when the client is freed */
    ews_token_fn token_cb;           /* bearer */
    void *token_userdata;
    ews_gss_provider gss_provider;   /* NTLM / Negotiate engine */

    const char *cafile;              /* PEM bundle; NULL: system store */
    const char *capath;
    int allow_insecure_http;         /* accept a plain http:// URL */
    int allow_credentials_over_http; /* also send Basic/bearer over it */
    int follow_redirects;            /* only to https on the same host */
    const char *proxy;               /* e.g. http://proxy:3128 */
    const char *proxy_username;
    const char *proxy_password;
    const char *user_agent;          /* NULL: "ews-c/<version>" */

    long connect_timeout_ms;         /* 0 disables */
    long stall_timeout_ms;           /* no bytes received for this long; 0 disables */
    long timeout_ms;                 /* whole HTTP exchange; 0 disables */

    size_t max_response_bytes;       /* after decoding; must be > 0 */
    unsigned int max_depth;          /* XML nesting */
    long max_string_length;          /* one text or attribute value */
    size_t max_items;                /* elements of one array */
    int strict;                      /* reject what the schema does not allow */

    ews_retry_policy retry;

    /* SOAP header defaults for every call */
    const char *server_version;      /* RequestServerVersion; NULL: "Exchange2013" */
    const char *culture;             /* MailboxCulture; NULL: none */
    ews_impersonation impersonation;

    ews_trace_fn trace;
    void *trace_userdata;

    /* version 2 */
    ews_channel_binding channel_binding; /* default EWS_CHANNEL_BINDING_AUTO */

    /* version 3 */
    const char *noproxy;             /* hosts reached without the proxy, comma-separated:
                                        names (a name also matches its subdomains), IP
                                        addresses, or "*"; NULL: the no_proxy variable.
                                        Without `proxy`, libcurl's proxy variables
                                        (https_proxy, http_proxy, all_proxy) apply. A
                                        loopback endpoint (localhost, 127.0.0.0/8, ::1)
                                        never goes through a proxy. */
    ews_event_fn event;              /* NULL: none */
    void *event_userdata;
    /* also version 3: name overrides for every request, as curl's --resolve
     * and --connect-to (NULL-terminated lists, copied; NULL: none). TLS is
     * still verified against the host name of the URL.
     *   resolve:    "HOST:PORT:ADDRESS[,ADDRESS...]", e.g.
     *               "mail.contoso.com:443:192.0.2.10"
     *   connect_to: "HOST:PORT:HOST2:PORT2" (HOST or PORT empty: any), e.g.
     *               "autodiscover.contoso.com:443:127.0.0.1:8443" */
    const char *const *resolve;
    const char *const *connect_to;

    /* version 4: shared throttling (ews/throttle.h); borrowed, must outlive
     * the client; NULL: none. Waiting for it counts against the retry
     * policy's max_total_ms. */
    ews_throttle *throttle;
} ews_client_options;

#define EWS_CLIENT_OPTIONS_INIT                                   \
    { EWS_CLIENT_OPTIONS_VERSION, NULL, EWS_AUTH_NONE, NULL, NULL,  \
      NULL, NULL, EWS_GSS_AUTO, NULL, NULL, 0, 0, 0, NULL, NULL,    \
      NULL, NULL, 10000L, 30000L, 120000L,                          \
      (size_t)32 << 20, 256u, 1L << 20, 100000u, 0,                 \
      EWS_RETRY_POLICY_DEFAULT, NULL, NULL,                         \
      { EWS_IMPERSONATE_INHERIT, NULL }, NULL, NULL,                \
      EWS_CHANNEL_BINDING_AUTO, NULL, NULL, NULL, NULL, NULL, NULL }

#define EWS_CALL_OPTIONS_VERSION 1

/* Per-call overrides; zero / NULL members inherit the client's setting. */
typedef struct ews_call_options {
    unsigned int version;            /* EWS_CALL_OPTIONS_VERSION */
    ews_impersonation impersonation;
    const char *culture;
    const char *server_version;
    long timeout_ms;
    const ews_retry_policy *retry;
} ews_call_options;

#define EWS_CALL_OPTIONS_INIT \
    { EWS_CALL_OPTIONS_VERSION, { EWS_IMPERSONATE_INHERIT, NULL }, NULL, NULL, 0, NULL }

EWS_BEGIN_DECLS

/* Fill *opts with the defaults of EWS_CLIENT_OPTIONS_INIT (version 1 to 4;
 * for an older version only the members of its struct are written). */
EWS_API int ews_client_options_init(ews_client_options *opts, unsigned int version);
EWS_API int ews_call_options_init(ews_call_options *opts, unsigned int version);

/* Reference-counted process set-up (libcurl's global init). ews_client_new
 * calls it for you; call it yourself to control when it happens. */
EWS_API int ews_global_init(void);
EWS_API void ews_global_cleanup(void);

/* *out is new: free it with ews_client_free(), also when the call fails.
 * On any failure but EWS_ENOMEM, *out is a handle that cannot make calls
 * but whose ews_client_last_error() says what was wrong with the options
 * (SQLite's sqlite3_open does the same). */
EWS_API int ews_client_new(ews_client **out, const ews_client_options *opts);
EWS_API void ews_client_free(ews_client *client);

/* Details of the client's last failed call (or a warning); borrowed, valid
 * until the next call on the client. Never NULL for a non-NULL client. */
EWS_API const ews_error *ews_client_last_error(const ews_client *client);

/* GetImItemList. *out is new (ews_imlist_free). Returns 0 - also for a
 * ResponseClass="Warning" answer, which ews_imlist_warning() then reports -
 * or a negative EWS_E... code with details in ews_client_last_error(). */
EWS_API int ews_get_im_item_list(ews_imlist **out, ews_client *client,
                                 const ews_call_options *call);

/* Parse a saved GetImItemList response (the whole SOAP envelope), applying
 * the client's strict flag and limits. *out is new. */
EWS_API int ews_im_item_list_parse(ews_imlist **out, ews_client *client,
                                   const void *xml, size_t len);

/* The same, for a saved response read from fd to its end (a file, a pipe,
 * standard input; fd is left open). The bytes are the library's own, so the
 * parse gives their memory back as it passes them: the peak is about the
 * parsed list's size instead of the list's and the response's together.
 * Also EWS_ETOOBIG (more than the client's max_response_bytes) and
 * EWS_EIO (the read failed). */
EWS_API int ews_im_item_list_parse_fd(ews_imlist **out, ews_client *client, int fd);

/* Names of RequestServerVersion values this library knows, oldest first,
 * NULL-terminated (static). */
EWS_API const char *const *ews_server_versions(void);

EWS_END_DECLS

#endif
