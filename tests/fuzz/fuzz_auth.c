/* Harness C: a server's authentication token -> the checks of auth_token.h
 * -> ews_gss_ctx_step, the path every NTLM / SPNEGO challenge takes to
 * gss-ntlmssp and MIT SPNEGO (issue 11: an empty TargetName killed the
 * client inside gss-ntlmssp).
 *
 * Input: one mode byte, then the token's raw bytes (the harness base64s
 * them as the server would). Mode bit 0: SPNEGO (else raw NTLM); bit 1:
 * the context carries a channel binding. Each input gets a fresh context
 * that has sent its first token, as after the first 401.
 *
 * Beyond "no crash": the step ends in 0, EWS_EAUTH or EWS_ENOMEM with a
 * message that never holds the password; an NTLM token the checks refuse
 * never reaches the mechanism (the step fails as malformed); a token it
 * accepts that succeeds yields an AUTHENTICATE message. */
#include <stdlib.h>
#include <string.h>

#include "http/auth_token.h"
#include "core/base64.h"
#include "harness.h"
#include "oracle.h"
#include "http/gss.h"

#define USER "CONTOSO\\fuzz"
#define PASSWORD "Fuzz-Canary-Pw-0c7"
#define BINDING "tls-server-end-point:0123456789abcdef0123456789abcdef"

/* Credentials cost a password hash: once per process and mechanism. NULL
 * when this build or machine cannot do the mechanism. */
static ews_gss_cred *cred_for(ews_gss_mech mech)
{
    static ews_gss_cred *creds[2];
    static int tried[2];
    if (!tried[mech]) {
        tried[mech] = 1;
        const char *why;
        ews_err err;
        ews_err_init(&err);
        if (ews_gss_available(mech, &why) &&
            ews_gss_cred_acquire(&creds[mech], mech, USER, PASSWORD, &err) != 0)
            creds[mech] = NULL;
        ews_err_free(&err);
    }
    return creds[mech];
}

static void check_error(int rc, const ews_err *err)
{
    if (rc != EWS_EAUTH && rc != EWS_ENOMEM)
        oracle_fail("ews_gss_ctx_step: unexpected code %d (%s)", rc, ews_err_name(rc));
    if (err->pub.code != rc || !err->pub.message || !err->pub.message[0])
        oracle_fail("ews_gss_ctx_step failed without a record: %d", rc);
    if (strstr(err->pub.message, PASSWORD))
        oracle_fail("the error message holds the password: %s", err->pub.message);
}

/* What the checks alone say of the token (1: acceptable). */
static int checks_accept(ews_gss_mech mech, const uint8_t *tok, size_t len)
{
    ews_err err;
    ews_err_init(&err);
    int ntlm = 0;
    int rc = mech == EWS_GSS_MECH_NTLM ? ews_ntlm_check_challenge(tok, len, &err)
                                       : ews_spnego_check_resp(tok, len, 0, &ntlm, &err);
    if (rc && (rc != EWS_EAUTH || !err.pub.message || !err.pub.message[0]))
        oracle_fail("a refused token without EWS_EAUTH and a message: %d", rc);
    ews_err_free(&err);
    return rc == 0;
}

int fuzz_auth_one(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    ews_gss_mech mech = (data[0] & 1) ? EWS_GSS_MECH_SPNEGO : EWS_GSS_MECH_NTLM;
    int bind = (data[0] & 2) != 0;
    const uint8_t *tok = data + 1;
    size_t len = size - 1;
    int accepted = checks_accept(mech, tok, len);

    ews_gss_cred *cred = cred_for(mech);
    if (!cred)
        return 0; /* no mechanism here: the checks were the whole run */
    char *b64 = ews_base64_encode(tok, len);
    if (!b64)
        return 0;
    ews_err err;
    ews_err_init(&err);
    ews_gss_ctx *g = NULL;
    char *out = NULL;
    int complete = 0;
    int rc = ews_gss_ctx_new(&g, cred, "ews.invalid", &err);
    if (!rc && bind)
        rc = ews_gss_ctx_set_binding(g, BINDING, strlen(BINDING), &err);
    if (!rc)
        rc = ews_gss_ctx_step(g, NULL, 0, &out, &complete, &err);
    if (rc) {
        /* Setting up is not what is fuzzed; it fails only for want of
         * memory. */
        check_error(rc, &err);
    } else {
        free(out);
        out = NULL;
        rc = ews_gss_ctx_step(g, b64, strlen(b64), &out, &complete, &err);
        if (rc) {
            check_error(rc, &err);
            if (!accepted && !ews_gss_ctx_malformed(g))
                oracle_fail("a token the checks refuse was not reported as malformed");
            if (ews_gss_ctx_malformed(g) && accepted)
                oracle_fail("a token the checks accept was reported as malformed");
        } else {
            if (!accepted)
                oracle_fail("a token the checks refuse reached the mechanism and passed");
            if (mech == EWS_GSS_MECH_NTLM && (!out || !complete))
                oracle_fail("an accepted NTLM challenge gave no AUTHENTICATE message");
        }
    }
    free(out);
    ews_gss_ctx_free(g);
    ews_err_free(&err);
    free(b64);
    return 0;
}

#ifdef EWS_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_auth_one(data, size);
}
#endif
