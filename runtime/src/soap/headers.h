/* The EWS SOAP request headers: RequestServerVersion, MailboxCulture,
 * ExchangeImpersonation. */
#ifndef EWS_HEADERS_H
#define EWS_HEADERS_H

#include "ews/client.h"
#include "core/error.h"

struct soap;
struct SOAP_ENV__Header;

typedef struct ews_request_headers {
    const char *server_version;       /* required, e.g. "Exchange2013" */
    const char *culture;              /* NULL: no MailboxCulture */
    ews_impersonation impersonation;  /* kind INHERIT/NONE: no ExchangeImpersonation */
} ews_request_headers;

/* Position of a RequestServerVersion name in ews_server_versions(), or -1. */
int ews_server_version_rank(const char *name);

/* Checks what would go on the wire: a known server version at least
 * min_version (NULL: no minimum), a well-formed language tag, an
 * impersonation value without control characters. */
int ews_headers_validate(const ews_request_headers *h, const char *operation,
                         const char *min_version, ews_err *err);

/* Builds the header on soap's heap; EWS_ENOMEM on failure. */
int ews_headers_build(struct soap *soap, const ews_request_headers *h,
                      struct SOAP_ENV__Header **out);

#endif
