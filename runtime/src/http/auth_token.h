/* Structure and bounds checks of the authentication tokens a server sends
 * (NTLM CHALLENGE, SPNEGO NegTokenResp), made before a third-party
 * mechanism parses them: gss-ntlmssp 1.2.0 writes through a NULL pointer
 * on a CHALLENGE with a target type but an empty TargetName, and libcurl's
 * NTLM reports a large target-info block as out of memory. What passes is
 * what MS-NLMP and RFC 4178 describe, within sizes no real server exceeds.
 */
#ifndef EWS_AUTH_TOKEN_H
#define EWS_AUTH_TOKEN_H

#include <stddef.h>

#include "core/error.h"

/* A Windows challenge is 150-600 bytes; names of 255 characters in every
 * AV pair stay under 4 KiB. */
#define EWS_NTLM_MAX_CHALLENGE 4096
/* A server's NegTokenResp wraps an NTLM challenge or a Kerberos AP-REP
 * (a few hundred bytes). */
#define EWS_SPNEGO_MAX_TOKEN 16384

/* 0, or EWS_EAUTH naming what is wrong with the NTLM CHALLENGE_MESSAGE
 * (MS-NLMP 2.2.1.2) in msg. */
int ews_ntlm_check_challenge(const unsigned char *msg, size_t len, ews_err *err);

/* TargetInfoLen of a challenge that passed ews_ntlm_check_challenge. */
size_t ews_ntlm_target_info_len(const unsigned char *msg);

/* 0, or EWS_EAUTH naming what is wrong with the SPNEGO NegTokenResp
 * (RFC 4178 4.2.2) in tok: DER lengths inside the buffer, the fields in
 * order, nothing trailing. *selects_ntlm is set when supportedMech is
 * NTLMSSP; ntlm_context says an earlier reply of the exchange chose it.
 * Either way, a responseToken is then checked as an NTLM challenge. */
int ews_spnego_check_resp(const unsigned char *tok, size_t len, int ntlm_context,
                          int *selects_ntlm, ews_err *err);

#endif
