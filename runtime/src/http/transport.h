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
#include "core/buf.h"
#include "core/error.h"

typedef struct ews_transport ews_transport;

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

/* A transport for o->url with the client options' HTTP settings (URL,
 * authentication, TLS, proxy, timeouts, limits, trace, events, resolve
 * overrides). o is borrowed: it must stay alive and unchanged until
 * ews_transport_free (the client's own copy of its options, or a caller's
 * local one). Checks the configuration (https unless allow_insecure_http,
 * credentials over http only with allow_credentials_over_http, auth method
 * available in this build: otherwise EWS_ENOTSUP naming what to install). */
int ews_transport_new(ews_transport **out, const ews_client_options *o, ews_err *err);
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

#endif
