#include "http/gss.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/auth_token.h"
#include "core/buf.h"

const char *ews_gss_mech_scheme(ews_gss_mech mech)
{
    return mech == EWS_GSS_MECH_NTLM ? "NTLM" : "Negotiate";
}

static const char *mech_label(ews_gss_mech mech)
{
    return mech == EWS_GSS_MECH_NTLM ? "NTLM (GSSAPI)" : "Negotiate (GSSAPI)";
}

/* ---- GSSAPI ------------------------------------------------------------ */

#ifdef EWS_HAVE_GSSAPI

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

/* 1.3.6.1.4.1.311.2.2.10 (NTLMSSP, gss-ntlmssp) and 1.3.6.1.5.5.2 (SPNEGO) */
static gss_OID_desc oid_ntlmssp = { 10, "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a" };
static gss_OID_desc oid_spnego = { 6, "\x2b\x06\x01\x05\x05\x02" };

struct ews_gss_cred {
    ews_gss_mech mech;
    gss_OID oid;
    gss_cred_id_t cred; /* GSS_C_NO_CREDENTIAL: the default credentials */
};

struct ews_gss_ctx {
    const ews_gss_cred *cred;
    gss_name_t target;
    gss_ctx_id_t ctx;
    int complete;
    int spnego_ntlm;    /* SPNEGO chose NTLM: its tokens are NTLM messages */
    int malformed;      /* the last server token failed auth_token.h's checks */
    size_t binding_len; /* 0: GSS_C_NO_CHANNEL_BINDINGS */
    unsigned char binding[EWS_GSS_MAX_BINDING];
};

/* GSSAPI buffers are not const-qualified, but never written through for
 * input. */
static void *unconst(const void *p)
{
    return (void *)(uintptr_t)p;
}

static void append_status(ews_buf *b, OM_uint32 code, int type, gss_OID mech)
{
    OM_uint32 minor, more = 0;
    do {
        gss_buffer_desc text = GSS_C_EMPTY_BUFFER;
        if (GSS_ERROR(gss_display_status(&minor, code, type, mech, &more, &text)))
            break;
        if (b->len)
            ews_buf_puts(b, "; ");
        ews_buf_append(b, text.value, text.length);
        gss_release_buffer(&minor, &text);
    } while (more);
}

/* Major and minor status as text; the password never reaches GSSAPI
 * messages (they name principals and mechanisms only). */
static int gss_fail(ews_err *err, int code, ews_gss_mech mech, const char *what, OM_uint32 major,
                    OM_uint32 minor, gss_OID oid)
{
    ews_buf b = EWS_BUF_INIT;
    append_status(&b, major, GSS_C_GSS_CODE, GSS_C_NO_OID);
    if (minor)
        append_status(&b, minor, GSS_C_MECH_CODE, oid);
    ews_err_set(err, code, "%s: %s: %s", mech_label(mech), what, b.data ? b.data : "failed");
    ews_buf_free(&b);
    return code;
}

int ews_gss_available(ews_gss_mech mech, const char **why)
{
    OM_uint32 minor;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    if (GSS_ERROR(gss_indicate_mechs(&minor, &mechs))) {
        *why = "GSSAPI lists no mechanisms";
        return 0;
    }
    int present = 0;
    gss_OID want = mech == EWS_GSS_MECH_NTLM ? &oid_ntlmssp : &oid_spnego;
    gss_test_oid_set_member(&minor, want, mechs, &present);
    gss_release_oid_set(&minor, &mechs);
    if (!present)
        *why = mech == EWS_GSS_MECH_NTLM
                   ? "the GSSAPI NTLM mechanism is not installed (install gss-ntlmssp)"
                   : "GSSAPI has no SPNEGO mechanism (install the MIT krb5 GSSAPI library)";
    return present;
}

static OM_uint32 import_name(gss_name_t *out, const char *text, gss_OID type, OM_uint32 *minor)
{
    gss_buffer_desc b = { strlen(text), unconst(text) };
    return gss_import_name(minor, &b, type, out);
}

/* The acceptor's name for HTTP is HTTP@host; brackets of an IPv6 literal are
 * URL syntax, not part of the host. */
static int import_target(ews_gss_ctx *c, const char *host, ews_err *err)
{
    size_t len = strlen(host);
    if (len >= 2 && host[0] == '[' && host[len - 1] == ']') {
        host++;
        len -= 2;
    }
    ews_buf b = EWS_BUF_INIT;
    if (ews_buf_printf(&b, "HTTP@%.*s", (int)len, host))
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    OM_uint32 minor = 0;
    OM_uint32 major = import_name(&c->target, b.data, GSS_C_NT_HOSTBASED_SERVICE, &minor);
    ews_buf_free(&b);
    if (GSS_ERROR(major))
        return gss_fail(err, EWS_EAUTH, c->cred->mech, "cannot name the server", major, minor,
                        c->cred->oid);
    return 0;
}

int ews_gss_cred_acquire(ews_gss_cred **out, ews_gss_mech mech, const char *user,
                         const char *password, ews_err *err)
{
    *out = NULL;
    ews_gss_cred *c = calloc(1, sizeof *c);
    if (!c)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    c->mech = mech;
    c->oid = mech == EWS_GSS_MECH_NTLM ? &oid_ntlmssp : &oid_spnego;
    c->cred = GSS_C_NO_CREDENTIAL;
    if (!user) {
        *out = c;
        return 0;
    }
    OM_uint32 major, minor = 0, ignored;
    gss_name_t name = GSS_C_NO_NAME;
    major = import_name(&name, user, GSS_C_NT_USER_NAME, &minor);
    if (GSS_ERROR(major)) {
        gss_fail(err, EWS_EAUTH, mech, "cannot parse the user name", major, minor, c->oid);
        free(c);
        return EWS_EAUTH;
    }
    /* For SPNEGO the password goes to SPNEGO itself, which acquires it for
     * every mechanism it can negotiate and skips those that fail (Kerberos
     * without a reachable KDC); a credential acquired for NTLM alone would
     * not be used by it. */
    gss_OID_set_desc mechs = { 1, c->oid };
    if (password) {
        gss_buffer_desc pw = { strlen(password), unconst(password) };
        major = gss_acquire_cred_with_password(&minor, name, &pw, GSS_C_INDEFINITE, &mechs,
                                               GSS_C_INITIATE, &c->cred, NULL, NULL);
    } else {
        major = gss_acquire_cred(&minor, name, GSS_C_INDEFINITE, &mechs, GSS_C_INITIATE,
                                 &c->cred, NULL, NULL);
    }
    gss_release_name(&ignored, &name);
    if (GSS_ERROR(major)) {
        gss_fail(err, EWS_EAUTH, mech, "cannot acquire credentials", major, minor, c->oid);
        free(c);
        return EWS_EAUTH;
    }
    *out = c;
    return 0;
}

void ews_gss_cred_free(ews_gss_cred *c)
{
    if (!c)
        return;
    OM_uint32 minor;
    if (c->cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&minor, &c->cred);
    free(c);
}

int ews_gss_ctx_new(ews_gss_ctx **out, const ews_gss_cred *cred, const char *host,
                    ews_err *err)
{
    *out = NULL;
    ews_gss_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    c->cred = cred;
    c->target = GSS_C_NO_NAME;
    c->ctx = GSS_C_NO_CONTEXT;
    int rc = import_target(c, host, err);
    if (rc) {
        ews_gss_ctx_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int ews_gss_ctx_set_binding(ews_gss_ctx *c, const void *data, size_t len, ews_err *err)
{
    if (len > sizeof c->binding)
        return ews_err_set(err, EWS_EINVAL, "%s: channel binding data too long",
                           mech_label(c->cred->mech));
    if (len)
        memcpy(c->binding, data, len);
    c->binding_len = len;
    return 0;
}

int ews_gss_ctx_step(ews_gss_ctx *c, const char *in, size_t in_len, char **out, int *complete,
                     ews_err *err)
{
    *out = NULL;
    *complete = c->complete;
    if (c->complete)
        return 0;
    /* Application data only, as Windows sends and checks them: no
     * addresses (an HTTP client behind NAT does not know its own). */
    struct gss_channel_bindings_struct cb;
    memset(&cb, 0, sizeof cb);
    cb.application_data.length = c->binding_len;
    cb.application_data.value = c->binding;
    gss_buffer_desc input = GSS_C_EMPTY_BUFFER;
    unsigned char *raw = NULL;
    if (in) {
        size_t raw_len;
        int bad;
        raw = ews_base64_decode(in, in_len, &raw_len, &bad);
        if (!raw)
            return bad ? ews_err_set(err, EWS_EAUTH, "%s: the server's token is not base64",
                                     mech_label(c->cred->mech))
                       : ews_err_set(err, EWS_ENOMEM, "out of memory");
        input.value = raw;
        input.length = raw_len;
        /* The mechanisms trust the server's lengths and flags: nothing
         * reaches them that MS-NLMP / RFC 4178 would not allow. */
        int selects_ntlm = 0;
        int rc = c->cred->mech == EWS_GSS_MECH_NTLM
                     ? ews_ntlm_check_challenge(raw, raw_len, err)
                     : ews_spnego_check_resp(raw, raw_len, c->spnego_ntlm, &selects_ntlm, err);
        c->malformed = rc != 0;
        if (rc) {
            free(raw);
            return rc;
        }
        c->spnego_ntlm |= selects_ntlm;
    }
    /* Mutual authentication matters for Kerberos; NTLM cannot provide it
     * and gss-ntlmssp ignores the flag. */
    OM_uint32 flags = c->cred->mech == EWS_GSS_MECH_SPNEGO ? GSS_C_MUTUAL_FLAG : 0;
    OM_uint32 minor = 0;
    gss_buffer_desc token = GSS_C_EMPTY_BUFFER;
    OM_uint32 major = gss_init_sec_context(&minor, c->cred->cred, &c->ctx, c->target,
                                           c->cred->oid, flags, 0,
                                           c->binding_len ? &cb : GSS_C_NO_CHANNEL_BINDINGS,
                                           in ? &input : GSS_C_NO_BUFFER, NULL, &token, NULL,
                                           NULL);
    free(raw);
    if (GSS_ERROR(major)) {
        OM_uint32 ignored;
        gss_release_buffer(&ignored, &token);
        return gss_fail(err, EWS_EAUTH, c->cred->mech,
                        in ? "the server's challenge was rejected" : "cannot start",
                        major, minor, c->cred->oid);
    }
    int rc = 0;
    if (token.length) {
        *out = ews_base64_encode(token.value, token.length);
        if (!*out)
            rc = ews_err_set(err, EWS_ENOMEM, "out of memory");
        /* The NTLM type-3 message carries the NTLMv2 response: wipe it. */
        ews_secure_zero(token.value, token.length);
    }
    OM_uint32 ignored;
    gss_release_buffer(&ignored, &token);
    c->complete = major == GSS_S_COMPLETE;
    *complete = c->complete;
    return rc;
}

int ews_gss_ctx_malformed(const ews_gss_ctx *c)
{
    return c->malformed;
}

void ews_gss_ctx_free(ews_gss_ctx *c)
{
    if (!c)
        return;
    OM_uint32 minor;
    if (c->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&minor, &c->ctx, GSS_C_NO_BUFFER);
    if (c->target != GSS_C_NO_NAME)
        gss_release_name(&minor, &c->target);
    free(c);
}

#else /* !EWS_HAVE_GSSAPI */

struct ews_gss_cred {
    int unused;
};

struct ews_gss_ctx {
    int unused;
};

int ews_gss_available(ews_gss_mech mech, const char **why)
{
    (void)mech;
    *why = "this build of ews-c has no GSSAPI (rebuild with libkrb5-dev)";
    return 0;
}

int ews_gss_cred_acquire(ews_gss_cred **out, ews_gss_mech mech, const char *user,
                         const char *password, ews_err *err)
{
    (void)user;
    (void)password;
    *out = NULL;
    return ews_err_set(err, EWS_ENOTSUP, "%s: this build of ews-c has no GSSAPI",
                       mech_label(mech));
}

void ews_gss_cred_free(ews_gss_cred *c)
{
    free(c);
}

int ews_gss_ctx_new(ews_gss_ctx **out, const ews_gss_cred *cred, const char *host,
                    ews_err *err)
{
    (void)cred;
    (void)host;
    *out = NULL;
    return ews_err_set(err, EWS_ENOTSUP, "this build of ews-c has no GSSAPI");
}

int ews_gss_ctx_set_binding(ews_gss_ctx *c, const void *data, size_t len, ews_err *err)
{
    (void)c;
    (void)data;
    (void)len;
    return ews_err_set(err, EWS_ENOTSUP, "this build of ews-c has no GSSAPI");
}

int ews_gss_ctx_step(ews_gss_ctx *c, const char *in, size_t in_len, char **out, int *complete,
                     ews_err *err)
{
    (void)c;
    (void)in;
    (void)in_len;
    *out = NULL;
    *complete = 0;
    return ews_err_set(err, EWS_ENOTSUP, "this build of ews-c has no GSSAPI");
}

int ews_gss_ctx_malformed(const ews_gss_ctx *c)
{
    (void)c;
    return 0;
}

void ews_gss_ctx_free(ews_gss_ctx *c)
{
    free(c);
}

#endif
