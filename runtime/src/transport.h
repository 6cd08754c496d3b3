/* HTTP over libcurl: the only code that touches the network.
 *
 * One transport = one curl easy handle = one kept-alive connection (NTLM and
 * Negotiate authenticate the connection), with its own cookie store (EWS
 * backend affinity). The whole serialized request is handed to curl, so
 * multi-leg authentication can resend it.
 */
#ifndef EWS_TRANSPORT_H
#define EWS_TRANSPORT_H

#include <stddef.h>

#include "ews/client.h"
#include "buf.h"
#include "err.h"

typedef struct ews_transport ews_transport;

typedef struct ews_transport_config {
    const char *url;
    ews_auth_method auth;
    const char *username;
    const char *password;
    ews_gss_provider gss_provider;
    ews_channel_binding channel_binding; /* 0 (AUTO) in a zeroed config */
    const char *cafile;
    const char *capath;
    int allow_insecure_http;
    int allow_credentials_over_http;
    int follow_redirects;
    const char *proxy;
    const char *proxy_username;
    const char *proxy_password;
    const char *noproxy;               /* CURLOPT_NOPROXY; NULL: the no_proxy variable */
    ews_event_fn event;                /* auth legs and refused redirects; NULL: none */
    void *event_userdata;
    const char *user_agent;            /* never NULL here */
    long connect_timeout_ms;
    long stall_timeout_ms;
    long timeout_ms;
    size_t max_response_bytes;
    ews_trace_fn trace;
    void *trace_userdata;
    /* NULL-terminated lists in curl's --resolve HOST:PORT:ADDRESS[,ADDRESS]
     * and --connect-to HOST:PORT:HOST2:PORT2 forms, or NULL. */
    const char *const *resolve;
    const char *const *connect_to;
} ews_transport_config;

typedef struct ews_http_request {
    const char *body;
    size_t body_len;
    const char *soap_action;
    const char *anchor_mailbox;    /* X-AnchorMailbox, NULL: none */
    const char *client_request_id; /* client-request-id (with return-client-request-id: true) */
    const char *bearer_token;      /* EWS_AUTH_BEARER: the token for this attempt */
    const char *operation;         /* named in events; may be NULL */
    long timeout_ms;               /* > 0 overrides the config for this request */
    int get;                       /* a GET without a body (Autodiscover's HTTP redirect probe) */
} ews_http_request;

typedef struct ews_http_response {
    long status;                   /* final HTTP status (after auth legs) */
    ews_buf body;                  /* decoded (gzip/deflate) body */
    char *content_type;
    char *request_id;              /* request-id */
    char *backend_status;          /* X-BackEndHttpStatus */
    char *www_authenticate;        /* the offers of a final 401, comma-joined */
    char *location;                /* of a 3xx */
    long retry_after_ms;           /* Retry-After, -1 if none */
} ews_http_response;

/* Checks the configuration (https unless allow_insecure_http, credentials
 * over http only with allow_credentials_over_http, auth method available in
 * this build: otherwise EWS_ENOTSUP naming what to install). */
int ews_transport_new(ews_transport **out, const ews_transport_config *cfg, ews_err *err);
void ews_transport_free(ews_transport *t);

/* One POST, including any authentication legs. Returns 0 when an HTTP
 * response was received (whatever its status), else EWS_ECONNECT,
 * EWS_ERESOLVE, EWS_ETLS, EWS_ETIMEDOUT, EWS_ETRANSPORT, EWS_ETOOBIG,
 * EWS_EAUTH (auth could not proceed), EWS_ENOMEM with err set.
 * resp must be zero-initialised or freed before reuse. */
int ews_transport_post(ews_transport *t, const ews_http_request *req, ews_http_response *resp,
                       ews_err *err);

void ews_http_response_free(ews_http_response *r);

/* Checks one --resolve (connect_to 0) or --connect-to (1) entry's shape, so
 * that a typo is a configuration error and not an entry libcurl ignores.
 * 0, or EWS_EINVAL with *why set to a static text. */
int ews_transport_check_override(const char *entry, int connect_to, const char **why);

/* Replaces secrets in a block of HTTP headers or a body by "***":
 * Authorization / Proxy-Authorization / Cookie / Set-Cookie values and
 * WWW-Authenticate tokens. Returns new memory (NULL on ENOMEM). */
char *ews_redact_headers(const char *text, size_t len, size_t *out_len);

#endif
