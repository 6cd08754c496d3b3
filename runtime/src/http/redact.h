/* Redaction of secrets in HTTP header blocks before they reach a trace. */
#ifndef EWS_HTTP_REDACT_H
#define EWS_HTTP_REDACT_H

#include <stddef.h>

/* Replaces secrets in a block of HTTP headers or a body by "***":
 * Authorization / Proxy-Authorization / Cookie / Set-Cookie values and
 * WWW-Authenticate tokens. Returns new memory (NULL on ENOMEM). */
char *ews_redact_headers(const char *text, size_t len, size_t *out_len);

#endif
