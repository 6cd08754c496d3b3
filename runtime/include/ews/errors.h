/* ews-c: error codes, categories and the detailed error record.
 *
 * Every function that can fail returns 0 or a negative EWS_E... code. The
 * client handle keeps the details of its last failure (ews_client_last_error).
 */
#ifndef EWS_ERRORS_H
#define EWS_ERRORS_H

#include "common.h"

/* What a caller should do about a failure. */
typedef enum ews_error_category {
    EWS_CAT_OK = 0,           /* no error */
    EWS_CAT_RETRYABLE,        /* transient: the same call may succeed later */
    EWS_CAT_AUTH,             /* credentials or permissions */
    EWS_CAT_PERMANENT,        /* the request cannot succeed as sent */
    EWS_CAT_VERSION,          /* server version / RequestServerVersion mismatch */
    EWS_CAT_CONFIG,           /* caller's arguments or options */
    EWS_CAT_TRANSPORT,        /* network, TLS, timeouts */
    EWS_CAT_INVALID_RESPONSE  /* the server sent something unusable */
} ews_error_category;

/* X(NAME, value, default category, message). One table generates the enum,
 * ews_err_name() and ews_strerror(). Values are stable across releases. */
#define EWS_ERRNO_MAP(X)                                                                     \
    X(OK,             0, OK,               "success")                                        \
    X(ENOMEM,        -1, PERMANENT,        "out of memory")                                  \
    X(EINVAL,        -2, CONFIG,           "invalid argument")                               \
    X(EOPTVERSION,   -3, CONFIG,           "unsupported options struct version")             \
    X(ECONFIG,       -4, CONFIG,           "invalid or unsafe configuration")                \
    X(ENOTSUP,       -5, CONFIG,           "not supported by this build or platform")        \
    X(EVERSION,      -6, VERSION,          "operation needs a newer RequestServerVersion")   \
    X(ENOTFOUND,     -7, PERMANENT,        "no such value")                                  \
    X(ECALLBACK,     -8, CONFIG,           "a caller-supplied callback failed")              \
    X(EIO,           -9, CONFIG,           "could not read the input")                       \
    X(ECONNECT,     -10, TRANSPORT,        "could not connect to the server")                \
    X(ERESOLVE,     -11, TRANSPORT,        "could not resolve the host name")                \
    X(ETLS,         -12, TRANSPORT,        "TLS handshake or certificate verification failed") \
    X(ETIMEDOUT,    -13, TRANSPORT,        "operation timed out")                            \
    X(ETRANSPORT,   -14, TRANSPORT,        "connection failed while sending or receiving")   \
    X(ETOOBIG,      -15, INVALID_RESPONSE, "response exceeds the size limit")                \
    X(EREDIRECT,    -16, PERMANENT,        "server answered with a redirect")                \
    X(EDISCOVER,    -17, PERMANENT,        "Autodiscover found no EWS endpoint")             \
    X(EUNTRUSTED,   -18, CONFIG,           "credentials withheld from a host outside the address's domain") \
    X(EAUTH,        -20, AUTH,             "authentication failed")                          \
    X(EFORBIDDEN,   -21, AUTH,             "access denied by the server")                    \
    X(EHTTP,        -22, PERMANENT,        "unexpected HTTP status")                         \
    X(EBUSY,        -23, RETRYABLE,        "server busy; retry budget exhausted")            \
    X(EFAULT,       -30, PERMANENT,        "server returned a SOAP fault")                   \
    X(EEWS,         -31, PERMANENT,        "server returned an EWS error response")          \
    X(EPARSE,       -40, INVALID_RESPONSE, "malformed XML in the response")                  \
    X(ENOTSOAP,     -41, INVALID_RESPONSE, "response is not a SOAP envelope")                \
    X(ESTRICT,      -42, INVALID_RESPONSE, "response does not conform to the EWS schema")    \
    X(ELIMIT,       -43, INVALID_RESPONSE, "response exceeds a parser limit")                \
    X(EINTERNAL,    -99, PERMANENT,        "internal error")

typedef enum ews_errcode {
#define EWS_X_ENUM_(name, value, cat, msg) EWS_##name = value,
    EWS_ERRNO_MAP(EWS_X_ENUM_)
#undef EWS_X_ENUM_
    EWS_ERRCODE_END_ = -100
} ews_errcode;

/* Details of a failure. Every string is borrowed from the object that
 * returned the record and stays valid until that object's next call or its
 * free; any string may be NULL when the server did not send it, except
 * `message`, which is never NULL. Never contains credentials. */
typedef struct ews_error {
    int code;                        /* EWS_E... (0 for a warning record) */
    ews_error_category category;
    const char *message;             /* one line naming the cause */
    long http_status;                /* 0 when no HTTP response was received */
    const char *soap_faultcode;      /* e.g. "a:ErrorServerBusy" */
    const char *soap_faultstring;
    const char *response_class;      /* "Error" or "Warning" */
    const char *response_code;       /* raw EWS ResponseCode, kept for unknown codes too */
    const char *message_text;        /* EWS MessageText or fault detail Message */
    long back_off_ms;                /* server's BackOffMilliseconds / Retry-After, -1 if none */
    const char *client_request_id;   /* our client-request-id for the call */
    const char *server_request_id;   /* server's request-id header */
    const char *backend_http_status; /* server's X-BackEndHttpStatus header */
    const char *element;             /* strict mode: path of the offending element */
    int attempts;                    /* HTTP requests made for the call */
} ews_error;

EWS_BEGIN_DECLS

/* Static strings; unknown codes give "EWS_EUNKNOWN" / "unknown error". */
EWS_API const char *ews_err_name(int code);
EWS_API const char *ews_strerror(int code);
/* Default category of a code (the detailed record may refine it). */
EWS_API ews_error_category ews_err_category(int code);
/* "ok", "retryable", "auth", "permanent", "version", "config", "transport",
 * "invalid_response". */
EWS_API const char *ews_category_name(ews_error_category cat);
/* Category of an EWS ResponseCode string (e.g. "ErrorServerBusy" ->
 * EWS_CAT_RETRYABLE). Codes the table does not know are EWS_CAT_PERMANENT. */
EWS_API ews_error_category ews_response_code_category(const char *response_code);

EWS_END_DECLS

#endif
