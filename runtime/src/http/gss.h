/* Authentication helpers of the HTTP transport: the WWW-Authenticate
 * NTLM / SPNEGO security contexts driven through GSSAPI with caller-supplied
 * credentials.
 *
 * libcurl's own NTLM is going away upstream and its Negotiate only uses the
 * default credentials (ticket cache), so the transport can produce those
 * tokens itself: gss-ntlmssp provides the NTLM mechanism, MIT krb5 SPNEGO
 * and Kerberos.
 */
#ifndef EWS_TRANSPORT_AUTH_GSS_H
#define EWS_TRANSPORT_AUTH_GSS_H

#include <stddef.h>

#include "core/base64.h"
#include "core/error.h"

/* ---- GSSAPI security contexts ----------------------------------------- */

typedef enum ews_gss_mech {
    EWS_GSS_MECH_NTLM,    /* raw NTLMSSP, "Authorization: NTLM" */
    EWS_GSS_MECH_SPNEGO   /* "Authorization: Negotiate": Kerberos or NTLM */
} ews_gss_mech;

/* 1 when this build has GSSAPI and the mechanism is registered (gss-ntlmssp
 * for NTLM), else 0 with *why naming what is missing (static text). */
int ews_gss_available(ews_gss_mech mech, const char **why);

/* Credentials for one mechanism, kept for the transport's life: acquiring
 * them may cost a KDC round trip (Kerberos with a password). */
typedef struct ews_gss_cred ews_gss_cred;

/* user and password NULL: the default credentials (Kerberos ticket cache,
 * NTLM_USER_FILE), looked up at each handshake. Otherwise they are
 * acquired from them: NTLM, or for SPNEGO every mechanism it can negotiate
 * (Kerberos, NTLM). EWS_EAUTH when that fails, EWS_ENOTSUP, EWS_ENOMEM. */
int ews_gss_cred_acquire(ews_gss_cred **out, ews_gss_mech mech, const char *user,
                         const char *password, ews_err *err);
void ews_gss_cred_free(ews_gss_cred *c);

typedef struct ews_gss_ctx ews_gss_ctx;

/* One handshake with host's HTTP service using cred (which must outlive
 * it). EWS_EAUTH, EWS_ENOMEM. */
int ews_gss_ctx_new(ews_gss_ctx **out, const ews_gss_cred *cred, const char *host,
                    ews_err *err);

/* Channel bindings (GSSAPI application data, e.g. RFC 5929
 * "tls-server-end-point:<hash>") for the following legs; len 0 removes
 * them. NTLM carries them in its AUTHENTICATE message (the second leg),
 * Kerberos in the authenticator of the first, so each leg gets those of the
 * connection it is sent on. EWS_EINVAL when longer than
 * EWS_GSS_MAX_BINDING. */
#define EWS_GSS_MAX_BINDING 128
int ews_gss_ctx_set_binding(ews_gss_ctx *c, const void *data, size_t len, ews_err *err);

/* One leg: in is the server's base64 token (NULL on the first leg). *out is
 * a new base64 token to send (NULL when there is nothing to send);
 * *complete is set once the context is established. The token is checked
 * (auth_token.h) before the mechanism sees it. EWS_EAUTH when the check
 * or the mechanism rejects the exchange, EWS_ENOMEM. */
int ews_gss_ctx_step(ews_gss_ctx *c, const char *in, size_t in_len, char **out, int *complete,
                     ews_err *err);

/* 1 when the last ews_gss_ctx_step failed because the server's token is
 * malformed (not because the mechanism refused it). */
int ews_gss_ctx_malformed(const ews_gss_ctx *c);

void ews_gss_ctx_free(ews_gss_ctx *c);

/* Scheme name on the wire: "NTLM" or "Negotiate". */
const char *ews_gss_mech_scheme(ews_gss_mech mech);

#endif
