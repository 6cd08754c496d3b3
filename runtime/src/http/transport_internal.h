/* The transport's insides, shared by its three files and by nothing
 * outside http/:
 *   transport.c  the entry points (one POST, its redirects) and creation;
 *   exchange.c   one curl_easy_perform with its callbacks and error mapping,
 *                the curl handle's settings, the error and trace helpers
 *                that keep secrets out;
 *   auth_plan.c  how requests authenticate: the plan (fixed, or chosen
 *                from a 401's offers) and the GSSAPI legs with channel
 *                bindings.
 */
#ifndef EWS_HTTP_TRANSPORT_INTERNAL_H
#define EWS_HTTP_TRANSPORT_INTERNAL_H

#include <curl/curl.h>
#include <time.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/secrets.h"
#include "http/channel_binding.h"
#include "http/gss.h"
#include "http/transport.h"

/* NTLM takes two legs, SPNEGO two or three; more means a confused server. */
#define MAX_AUTH_LEGS 4

typedef enum auth_engine {
    ENGINE_NONE,   /* send no credentials */
    ENGINE_CURL,   /* libcurl: Basic, NTLM, Negotiate with default credentials */
    ENGINE_BEARER, /* our own Authorization: Bearer header */
    ENGINE_GSS     /* our own NTLM / SPNEGO legs through GSSAPI */
} auth_engine;

/* How requests authenticate: fixed at creation, or (EWS_AUTH_AUTO) chosen
 * from the first 401's offers. */
typedef struct auth_plan {
    auth_engine engine;
    unsigned long curlauth; /* ENGINE_CURL */
    ews_gss_mech mech;      /* ENGINE_GSS */
    const char *label;      /* for traces and messages */
} auth_plan;

struct ews_transport {
    const ews_client_options *o; /* borrowed: the caller keeps it alive and unchanged */
    const char *user_agent;   /* o's, or default_agent */
    char default_agent[32];
    CURL *curl;
    char *url;
    char *host;               /* as in the URL ("[::1]" for IPv6) */
    long port;
    int https;

    auth_plan plan;
    int plan_known;           /* AUTO: 0 until a 401 said what the server offers */
    int gss_conn_authed;      /* ENGINE_GSS: this connection passed the handshake */
    ews_gss_cred *gss_cred[2];/* ENGINE_GSS, by ews_gss_mech; acquired at first use */
    int bind;                 /* https and channel binding not OFF: GSSAPI legs carry
                                 bindings */
    ews_tls_cb conn_cb;       /* binding of the connection of the last request; len 0:
                                 none (why in conn_cb_why, code in conn_cb_rc) */
    const char *conn_cb_why;
    int conn_cb_rc;
    ews_secrets secrets;      /* what a trace must not show (secrets.h) */
    int curl_answers_tokens;  /* libcurl's own NTLM / Negotiate answers this perform's
                                 challenges: on_header checks them first */
    struct curl_slist *resolve;    /* CURLOPT_RESOLVE, kept for the handle's life */
    struct curl_slist *connect_to; /* CURLOPT_CONNECT_TO */
    const char *operation;    /* of the request under way, for events */

    char errbuf[CURL_ERROR_SIZE];
};

/* What the callbacks gather during one curl_easy_perform. */
typedef struct exchange {
    ews_transport *t;
    long status;
    long new_connections;
    ews_buf body;
    ews_buf www_authenticate; /* offers, comma-joined */
    char *content_type;
    char *request_id;
    char *backend_status;
    char *location;
    char *retry_after;
    const char *bearer;       /* the request's token, masked in traces */
    ews_buf trace_headers;    /* response header block being gathered */
    struct timespec last_progress;
    curl_off_t last_down, last_up;
    int too_big;
    int nomem;
    int stalled;
    int headers_done; /* the last header block seen has ended */
    int responses_401;    /* 401s in this perform (libcurl's own NTLM legs) */
    int too_many_legs;    /* aborted: the server kept challenging */
    int bad_token;        /* aborted: a challenge failed auth_token.h's checks */
    int curl_challenges;  /* NTLM / Negotiate tokens libcurl received */
    ews_err token_err;    /* what is wrong with it */
} exchange;

typedef struct deadline {
    int set;
    struct timespec at;
} deadline;

/* ---- helpers (exchange.c) --------------------------------------------- */

/* Sets err with a message scrubbed of the transport's secrets and of extra
 * (a per-request token); returns code. */
int ews_http_fail(const ews_transport *t, ews_err *err, int code, const char *extra,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* An informational trace line, masked like every traced block. */
void ews_http_trace_info(const ews_transport *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ews_http_auth_leg_event(const ews_transport *t, const char *method, int leg);
void ews_http_redirect_refused_event(const ews_transport *t, const char *location,
                                     const char *reason);
/* Wipes and frees a NUL-terminated secret (NULL is fine). */
void ews_http_free_secret(char *s);

/* ---- one exchange (exchange.c) ---------------------------------------- */

void ews_http_exchange_init(exchange *ex, ews_transport *t);
void ews_http_exchange_free(exchange *ex);
deadline ews_http_deadline_in(long ms);
void ews_http_set_curl_auth(ews_transport *t, const auth_plan *plan);
/* One curl_easy_perform of req to url with the Authorization value auth
 * (NULL: none); secret is masked wherever the exchange is reported. */
int ews_http_perform(ews_transport *t, const char *url, const ews_http_request *req,
                     const char *auth, const char *secret, exchange *ex, const deadline *dl,
                     ews_err *err);
/* The curl handle of a new transport, set from o. */
int ews_http_setup_curl(ews_transport *t, const ews_client_options *o, ews_err *err);

/* ---- authentication (auth_plan.c) ------------------------------------- */

int ews_http_plan_for(const ews_transport *t, ews_auth_method m, auth_plan *p, ews_err *err);
/* One exchange with whatever legs the plan needs. */
int ews_http_authenticated_exchange(ews_transport *t, const char *url,
                                    const ews_http_request *req, exchange *ex,
                                    const deadline *dl, ews_err *err);

#endif
