/* How requests authenticate: the plan fixed at creation or chosen from the
 * first 401's offers (EWS_AUTH_AUTO), libcurl's own engines or our GSSAPI
 * legs (NTLM, SPNEGO) with TLS channel bindings, and the exchange that runs
 * them. */
#include "http/transport_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/challenge.h"

static int curl_has(int feature)
{
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    return v && (v->features & feature);
}

static void plan_set(auth_plan *p, auth_engine e, unsigned long curlauth, ews_gss_mech mech,
                     const char *label)
{
    p->engine = e;
    p->curlauth = curlauth;
    p->mech = mech;
    p->label = label;
}

/* Channel binding is required over this connection (https). */
static int cb_required(const ews_transport *t)
{
    return t->bind && t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE;
}

static int plan_ntlm(const ews_transport *t, auth_plan *p, ews_err *err)
{
    const char *why = NULL;
    int have_pw = t->o->username && t->o->password;
    int curl_ok = curl_has(CURL_VERSION_NTLM);
    switch (t->o->gss_provider) {
    case EWS_GSS_CURL:
        if (cb_required(t))
            return ews_err_set(err, EWS_ENOTSUP,
                               "channel binding is required, but libcurl's NTLM cannot send "
                               "it; use the GSSAPI provider (gss-ntlmssp)");
        if (!curl_ok)
            return ews_err_set(err, EWS_ENOTSUP,
                               "this libcurl has no NTLM; use the GSSAPI provider "
                               "(install gss-ntlmssp)");
        if (!have_pw)
            return ews_err_set(err, EWS_ECONFIG, "NTLM needs a username and a password");
        plan_set(p, ENGINE_CURL, CURLAUTH_NTLM, EWS_GSS_MECH_NTLM, "NTLM (libcurl)");
        return 0;
    case EWS_GSS_GSSAPI:
        if (!ews_gss_available(EWS_GSS_MECH_NTLM, &why))
            return ews_err_set(err, EWS_ENOTSUP, "NTLM through GSSAPI: %s", why);
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    case EWS_GSS_AUTO:
        break;
    }
    int gss_ok = ews_gss_available(EWS_GSS_MECH_NTLM, &why);
    /* Only our GSSAPI legs can bind: over https they go first, so servers
     * with Extended Protection accept NTLM. */
    if (gss_ok && t->bind) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    }
    if (cb_required(t))
        return ews_err_set(err, EWS_ENOTSUP,
                           "channel binding is required, but libcurl's NTLM cannot send it "
                           "and %s", why);
    if (curl_ok && have_pw) {
        plan_set(p, ENGINE_CURL, CURLAUTH_NTLM, EWS_GSS_MECH_NTLM, "NTLM (libcurl)");
        return 0;
    }
    if (gss_ok) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_NTLM, "NTLM (GSSAPI)");
        return 0;
    }
    if (curl_ok)
        return ews_err_set(err, EWS_ECONFIG, "NTLM needs a username and a password");
    return ews_err_set(err, EWS_ENOTSUP,
                       "NTLM is not available: this libcurl has no NTLM and %s", why);
}

static int plan_negotiate(const ews_transport *t, auth_plan *p, ews_err *err)
{
    const char *why = NULL;
    int curl_ok = curl_has(CURL_VERSION_SPNEGO);
    switch (t->o->gss_provider) {
    case EWS_GSS_CURL:
        /* libcurl would silently ignore it and use the ticket cache. */
        if (t->o->password)
            return ews_err_set(err, EWS_ECONFIG,
                               "libcurl's Negotiate uses the default credentials (Kerberos "
                               "ticket cache) and cannot use a password; use the GSSAPI "
                               "provider");
        if (cb_required(t))
            return ews_err_set(err, EWS_ENOTSUP,
                               "channel binding is required, but libcurl's Negotiate cannot "
                               "send it; use the GSSAPI provider");
        if (!curl_ok)
            return ews_err_set(err, EWS_ENOTSUP, "this libcurl has no Negotiate (SPNEGO)");
        plan_set(p, ENGINE_CURL, CURLAUTH_NEGOTIATE, EWS_GSS_MECH_SPNEGO,
                 "Negotiate (libcurl)");
        return 0;
    case EWS_GSS_GSSAPI:
        if (!ews_gss_available(EWS_GSS_MECH_SPNEGO, &why))
            return ews_err_set(err, EWS_ENOTSUP, "Negotiate through GSSAPI: %s", why);
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_SPNEGO, "Negotiate (GSSAPI)");
        return 0;
    case EWS_GSS_AUTO:
        break;
    }
    /* Ours also with the default credentials when binding: libcurl's
     * SPNEGO cannot bind. */
    if (ews_gss_available(EWS_GSS_MECH_SPNEGO, &why) && (t->o->password || !curl_ok || t->bind)) {
        plan_set(p, ENGINE_GSS, 0, EWS_GSS_MECH_SPNEGO, "Negotiate (GSSAPI)");
        return 0;
    }
    if (cb_required(t))
        return ews_err_set(err, EWS_ENOTSUP,
                           "channel binding is required, but libcurl's Negotiate cannot send "
                           "it and %s", why);
    if (t->o->password)
        return ews_err_set(err, EWS_ENOTSUP, "Negotiate with a password needs GSSAPI: %s", why);
    if (!curl_ok)
        return ews_err_set(err, EWS_ENOTSUP, "Negotiate is not available: %s", why);
    plan_set(p, ENGINE_CURL, CURLAUTH_NEGOTIATE, EWS_GSS_MECH_SPNEGO, "Negotiate (libcurl)");
    return 0;
}

int ews_http_plan_for(const ews_transport *t, ews_auth_method m, auth_plan *p, ews_err *err)
{
    switch (m) {
    case EWS_AUTH_NONE:
    case EWS_AUTH_AUTO:
        plan_set(p, ENGINE_NONE, 0, EWS_GSS_MECH_NTLM, "none");
        return 0;
    case EWS_AUTH_BASIC:
        if (!t->o->username || !t->o->password)
            return ews_err_set(err, EWS_ECONFIG, "Basic needs a username and a password");
        plan_set(p, ENGINE_CURL, CURLAUTH_BASIC, EWS_GSS_MECH_NTLM, "Basic");
        return 0;
    case EWS_AUTH_BEARER:
        plan_set(p, ENGINE_BEARER, 0, EWS_GSS_MECH_NTLM, "Bearer");
        return 0;
    case EWS_AUTH_NTLM:
        return plan_ntlm(t, p, err);
    case EWS_AUTH_NEGOTIATE:
        return plan_negotiate(t, p, err);
    }
    return ews_err_set(err, EWS_EINVAL, "unknown authentication method %d", (int)m);
}

/* Feeds the server's token of a 401 to the context. A token the mechanism
 * refuses (SPNEGO's reject, a wrong target) makes that 401 the answer, as
 * for any rejected credentials: *rejected is set and 0 returned. A token
 * that is malformed fails the call with EWS_EAUTH saying what is wrong. */
static int answer_challenge(const ews_transport *t, const auth_plan *plan, ews_gss_ctx *g,
                            const ews_auth_challenge *c, char **token, int *complete,
                            int *rejected, ews_err *err)
{
    ews_err why;
    ews_err_init(&why);
    int rc = ews_gss_ctx_step(g, c->token, c->token_len, token, complete, &why);
    if (rc && ews_gss_ctx_malformed(g)) {
        ews_http_fail(t, err, rc, NULL, "%s from %s:%ld: %s", plan->label, t->host, t->port,
             why.pub.message);
        ews_err_free(&why);
        *rejected = 0;
        return rc;
    }
    *rejected = rc == EWS_EAUTH;
    if (*rejected)
        ews_http_trace_info(t, "ews: %s: %s", plan->label, why.pub.message);
    else if (rc)
        ews_err_set(err, rc, "%s", why.pub.message);
    ews_err_free(&why);
    return *rejected ? 0 : rc;
}

/* The server's last token on the final response (mutual authentication).
 * The response has arrived and TLS already authenticated the server, so a
 * failure is traced, not fatal. */
static void verify_server(const ews_transport *t, const auth_plan *plan, ews_gss_ctx *g,
                          const ews_auth_challenge *c)
{
    char *unused = NULL;
    int complete;
    ews_err why;
    ews_err_init(&why);
    if (ews_gss_ctx_step(g, c->token, c->token_len, &unused, &complete, &why))
        ews_http_trace_info(t, "ews: %s: %s", plan->label, why.pub.message);
    ews_http_free_secret(unused);
    ews_err_free(&why);
}

/* Gives g the channel binding of the connection the last request went out
 * on (which delivered the challenge being answered, and which the next leg
 * reuses); *used receives it (len 0: unbound). needed: this leg's token
 * carries a binding (NTLM binds in its AUTHENTICATE message, Kerberos in
 * SPNEGO's first token). Without one REQUIRE fails the call rather than send
 * unbound credentials; AUTO says so in the trace and goes on. */
static int bind_leg(ews_transport *t, const auth_plan *plan, ews_gss_ctx *g, int needed,
                    ews_tls_cb *used, ews_err *err)
{
    used->len = 0;
    if (!t->bind || !needed)
        return 0;
    if (t->conn_cb.len) {
        *used = t->conn_cb;
        ews_http_trace_info(t, "ews: %s: channel binding tls-server-end-point (%s)", plan->label,
                   used->hash);
        return ews_gss_ctx_set_binding(g, used->data, used->len, err);
    }
    int rc = ews_gss_ctx_set_binding(g, NULL, 0, err);
    if (rc)
        return rc;
    const char *why = t->conn_cb_why ? t->conn_cb_why : "no TLS connection yet";
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
        return ews_http_fail(t, err, t->conn_cb_rc ? t->conn_cb_rc : EWS_ETLS, NULL,
                    "%s: channel binding is required but unavailable: %s", plan->label, why);
    ews_http_trace_info(t, "ews: %s: sending without channel binding: %s", plan->label, why);
    return 0;
}

/* The token just sent was bound to another certificate than that of the
 * connection it went out on (a reconnect reached a server with another
 * certificate): the server's 401 may be about that. */
static int binding_changed(const ews_transport *t, const ews_tls_cb *used)
{
    return used->len &&
           (t->conn_cb.len != used->len || memcmp(t->conn_cb.data, used->data, used->len) != 0);
}

/* One NTLM / SPNEGO handshake: a token in "Authorization: <scheme>" on each
 * request, the whole body each time, the server's answer in the 401's
 * WWW-Authenticate, all on one kept-alive connection. *replaced is set when
 * libcurl had to open a new connection mid-way, which loses the server's
 * half of the handshake. */
static int gss_legs(ews_transport *t, const auth_plan *plan, const char *url,
                    const ews_http_request *req, exchange *ex, const deadline *dl, int *sent,
                    int *replaced, ews_err *err)
{
    const char *scheme = ews_gss_mech_scheme(plan->mech);
    ews_gss_cred **cred = &t->gss_cred[plan->mech];
    int rc = *cred ? 0 : ews_gss_cred_acquire(cred, plan->mech, t->o->username, t->o->password, err);
    ews_gss_ctx *g = NULL;
    if (!rc)
        rc = ews_gss_ctx_new(&g, *cred, t->host, err);
    if (rc)
        return rc;
    *replaced = 0;
    char *token = NULL;
    int complete = 0;
    ews_tls_cb used;
    rc = bind_leg(t, plan, g, plan->mech == EWS_GSS_MECH_SPNEGO, &used, err);
    if (rc) {
        ews_gss_ctx_free(g);
        return rc;
    }
    rc = ews_gss_ctx_step(g, NULL, 0, &token, &complete, err);
    if (rc) {
        /* Expired or unusable credentials: acquire them afresh next time. */
        ews_gss_cred_free(*cred);
        *cred = NULL;
    }
    ews_buf header = EWS_BUF_INIT;
    for (int leg = 0; !rc && token && leg < MAX_AUTH_LEGS; leg++) {
        ews_buf_wipe(&header);
        rc = ews_buf_printf(&header, "Authorization: %s %s", scheme, token);
        ews_http_free_secret(token);
        token = NULL;
        if (rc) {
            rc = ews_http_fail(t, err, EWS_ENOMEM, NULL, "out of memory");
            break;
        }
        ews_http_auth_leg_event(t, plan->label, leg + 1);
        rc = ews_http_perform(t, url, req, header.data, NULL, ex, dl, err);
        *sent = 1;
        if (rc)
            break;
        if (leg > 0 && ex->new_connections > 0 && ex->status == 401) {
            *replaced = 1;
            break;
        }
        if (ex->status == 401 && binding_changed(t, &used)) {
            ews_http_trace_info(t, "ews: %s: the connection has another certificate than the binding",
                       plan->label);
            *replaced = 1;
            break;
        }
        ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
        size_t nch = ews_auth_parse_challenges(ex->www_authenticate.data, ch,
                                               EWS_AUTH_MAX_CHALLENGES);
        const ews_auth_challenge *c = ews_auth_find_challenge(ch, nch, scheme);
        if (ex->status != 401) {
            t->gss_conn_authed = 1;
            if (c && c->token && !complete)
                verify_server(t, plan, g, c);
            break;
        }
        if (!c || !c->token)
            break; /* a 401 without a continuation: credentials rejected */
        rc = bind_leg(t, plan, g, 1, &used, err);
        if (rc)
            break;
        int rejected;
        rc = answer_challenge(t, plan, g, c, &token, &complete, &rejected, err);
        if (rejected)
            break;
    }
    /* Out of legs or of things to say while the server wants more: the last
     * 401 stands as the answer. */
    ews_http_free_secret(token);
    ews_buf_wipe(&header);
    ews_gss_ctx_free(g);
    return rc;
}

/* Our own NTLM / SPNEGO through GSSAPI. *sent says whether any request
 * went out (AUTO tries the next offer when GSSAPI fails before that). */
static int gss_handshake(ews_transport *t, const auth_plan *plan, const char *url,
                         const ews_http_request *req, exchange *ex, const deadline *dl,
                         int *sent, ews_err *err)
{
    *sent = 0;
    ews_http_set_curl_auth(t, NULL);
    if (t->gss_conn_authed) {
        /* NTLM and (on IIS) Kerberos authenticate the connection, not each
         * request: try without a token, authenticate again on a 401. */
        int rc = ews_http_perform(t, url, req, NULL, NULL, ex, dl, err);
        *sent = 1;
        if (rc || ex->status != 401)
            return rc;
        t->gss_conn_authed = 0;
        ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
        size_t nch = ews_auth_parse_challenges(ex->www_authenticate.data, ch,
                                               EWS_AUTH_MAX_CHALLENGES);
        if (!ews_auth_find_challenge(ch, nch, ews_gss_mech_scheme(plan->mech)))
            return 0;
        ews_http_trace_info(t, "ews: connection no longer authenticated; %s again", plan->label);
    } else if (t->bind && plan->mech == EWS_GSS_MECH_SPNEGO && !t->conn_cb.len) {
        /* Kerberos binds its first token, which must wait for a
         * connection to bind to: the request goes out once without
         * credentials (the server may even accept it). */
        int rc = ews_http_perform(t, url, req, NULL, NULL, ex, dl, err);
        *sent = 1;
        if (rc || ex->status != 401)
            return rc;
    }
    int replaced;
    int rc = gss_legs(t, plan, url, req, ex, dl, sent, &replaced, err);
    if (!rc && replaced) {
        /* Once: a server that closes every connection after a 401 cannot
         * do connection-bound authentication at all. */
        ews_http_trace_info(t, "ews: connection replaced during %s; starting over", plan->label);
        rc = gss_legs(t, plan, url, req, ex, dl, sent, &replaced, err);
    }
    return rc;
}

static int run_plan(ews_transport *t, const auth_plan *plan, const char *url,
                    const ews_http_request *req, exchange *ex, const deadline *dl, int *sent,
                    ews_err *err)
{
    *sent = 1;
    switch (plan->engine) {
    case ENGINE_NONE:
    case ENGINE_CURL:
        ews_http_set_curl_auth(t, plan);
        /* libcurl runs NTLM's and Negotiate's legs inside one perform */
        if (plan->engine == ENGINE_CURL)
            ews_http_auth_leg_event(t, plan->label, plan->curlauth == CURLAUTH_BASIC ? 1 : 0);
        return ews_http_perform(t, url, req, NULL, NULL, ex, dl, err);
    case ENGINE_BEARER: {
        ews_buf line = EWS_BUF_INIT;
        ews_http_set_curl_auth(t, NULL);
        ews_http_auth_leg_event(t, plan->label, 1);
        if (ews_buf_printf(&line, "Authorization: Bearer %s", req->bearer_token))
            return ews_http_fail(t, err, EWS_ENOMEM, NULL, "out of memory");
        int rc = ews_http_perform(t, url, req, line.data, req->bearer_token, ex, dl, err);
        ews_buf_wipe(&line);
        return rc;
    }
    case ENGINE_GSS:
        return gss_handshake(t, plan, url, req, ex, dl, sent, err);
    }
    return ews_http_fail(t, err, EWS_EINTERNAL, NULL, "unknown authentication engine");
}

/* EWS_AUTH_AUTO: ask without credentials, then use the best offer of the
 * 401 we can serve: Negotiate, NTLM, Basic. The choice is kept for the
 * following requests. */
static int auto_authenticate(ews_transport *t, const char *url, const ews_http_request *req,
                             exchange *ex, const deadline *dl, ews_err *err)
{
    int sent;
    int rc = run_plan(t, &t->plan, url, req, ex, dl, &sent, err);
    if (rc || ex->status != 401)
        return rc;

    static const struct {
        const char *scheme;
        ews_auth_method method;
    } order[] = { { "Negotiate", EWS_AUTH_NEGOTIATE },
                  { "NTLM", EWS_AUTH_NTLM },
                  { "Basic", EWS_AUTH_BASIC } };
    ews_auth_challenge ch[EWS_AUTH_MAX_CHALLENGES];
    char *offers = strdup(ex->www_authenticate.data ? ex->www_authenticate.data : "");
    if (!offers)
        return ews_http_fail(t, err, EWS_ENOMEM, NULL, "out of memory");
    size_t nch = ews_auth_parse_challenges(offers, ch, EWS_AUTH_MAX_CHALLENGES);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!ews_auth_find_challenge(ch, nch, order[i].scheme))
            continue;
        auth_plan p;
        ews_err why;
        ews_err_init(&why);
        if (ews_http_plan_for(t, order[i].method, &p, &why)) {
            ews_http_trace_info(t, "ews: server offers %s; cannot use it: %s", order[i].scheme,
                       why.pub.message);
            ews_err_free(&why);
            continue;
        }
        ews_http_trace_info(t, "ews: server offers %s; authenticating with %s", offers, p.label);
        ews_err_reset(&why);
        rc = run_plan(t, &p, url, req, ex, dl, &sent, &why);
        if (rc && !sent) {
            /* GSSAPI could not even start (no credentials for this
             * mechanism): the next offer may still work. */
            ews_http_trace_info(t, "ews: %s unusable: %s", p.label, why.pub.message);
            ews_err_free(&why);
            continue;
        }
        if (rc)
            ews_err_set(err, rc, "%s", why.pub.message);
        else {
            t->plan = p;
            t->plan_known = 1;
        }
        ews_err_free(&why);
        free(offers);
        return rc;
    }
    free(offers);
    return 0; /* nothing we can answer: the 401 is the result */
}

int ews_http_authenticated_exchange(ews_transport *t, const char *url,
                                  const ews_http_request *req, exchange *ex, const deadline *dl,
                                  ews_err *err)
{
    if (t->o->auth == EWS_AUTH_AUTO && !t->plan_known)
        return auto_authenticate(t, url, req, ex, dl, err);
    int sent;
    return run_plan(t, &t->plan, url, req, ex, dl, &sent, err);
}
