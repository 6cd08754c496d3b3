/* HTTP over libcurl, the entry points: configuration checked at creation,
 * one POST with its redirects, the response handed over.
 *
 * gSOAP's own HTTP stack is never used (it cuts long bearer tokens, dies of
 * SIGPIPE, has no timeouts and no NTLMv2); everything that touches the
 * network is in this folder. Secrets (password, proxy password, bearer
 * token, NTLM/SPNEGO tokens) never reach a trace or an error message: traces
 * pass through ews_redact_headers() and messages are scrubbed once more.
 */
#include "http/transport_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ews/version.h"

/* A loop of same-host redirects ends here; the 3xx is returned as is. */
#define MAX_REDIRECTS 5

/* A header value that would let a caller's string add header lines. */
static int has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static const char *method_name(ews_auth_method m)
{
    switch (m) {
    case EWS_AUTH_NONE: return "no";
    case EWS_AUTH_AUTO: return "automatic";
    case EWS_AUTH_BASIC: return "Basic";
    case EWS_AUTH_BEARER: return "bearer";
    case EWS_AUTH_NTLM: return "NTLM";
    case EWS_AUTH_NEGOTIATE: return "Negotiate";
    }
    return "unknown";
}

/* ---- URLs --------------------------------------------------------------- */

typedef struct origin {
    char *scheme;
    char *host;
    long port;
    int has_userinfo;
} origin;

static void origin_free(origin *o)
{
    curl_free(o->scheme);
    curl_free(o->host);
    memset(o, 0, sizeof *o);
}

/* Parses url, relative to base when base is not NULL. *full receives the
 * resolved URL (curl_free) when full is not NULL. */
static int parse_url(const char *base, const char *url, origin *o, char **full)
{
    memset(o, 0, sizeof *o);
    CURLU *u = curl_url();
    if (!u)
        return EWS_ENOMEM;
    int rc = EWS_EINVAL;
    char *port = NULL, *user = NULL, *password = NULL;
    if (base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        goto done;
    if (curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &o->host, 0) != CURLUE_OK)
        goto done;
    /* An unknown scheme has no default port: report the scheme, not this. */
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
        o->port = strtol(port, NULL, 10);
    o->has_userinfo = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
                      curl_url_get(u, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK;
    if (full && curl_url_get(u, CURLUPART_URL, full, 0) != CURLUE_OK)
        goto done;
    rc = 0;
done:
    curl_free(port);
    if (user)
        ews_secure_zero(user, strlen(user));
    if (password)
        ews_secure_zero(password, strlen(password));
    curl_free(user);
    curl_free(password);
    curl_url_cleanup(u);
    if (rc)
        origin_free(o);
    return rc;
}

/* The URL to follow a redirect to, or NULL with *why set. Only https on the
 * same host (and port, but for the http -> https upgrade) is followed, so
 * credentials and cookies never reach another server. */
static char *redirect_target(const char *base, const char *location, const char **why)
{
    origin from, to;
    char *full = NULL;
    if (parse_url(NULL, base, &from, NULL)) {
        *why = "cannot parse the current URL";
        return NULL;
    }
    if (parse_url(base, location, &to, &full)) {
        origin_free(&from);
        *why = "the Location is not a valid URL";
        return NULL;
    }
    *why = NULL;
    if (strcmp(to.scheme, "https") != 0)
        *why = "it is not https";
    else if (to.has_userinfo)
        *why = "the Location carries credentials";
    else if (strcasecmp(to.host, from.host) != 0)
        *why = "it points to another host";
    else if (to.port != from.port && !(strcmp(from.scheme, "http") == 0 && to.port == 443))
        *why = "it points to another port";
    origin_free(&from);
    origin_free(&to);
    if (*why) {
        curl_free(full);
        return NULL;
    }
    char *copy = strdup(full);
    curl_free(full);
    if (!copy)
        *why = "out of memory";
    return copy;
}

/* ---- public entry points -------------------------------------------------- */

static int check_request(const ews_transport *t, const ews_http_request *req, ews_err *err)
{
    if (!req->body && req->body_len)
        return ews_http_fail(t, err, EWS_EINVAL, NULL, "request body is NULL");
    const struct {
        const char *name;
        const char *value;
    } fields[] = { { "SOAPAction", req->soap_action },
                   { "X-AnchorMailbox", req->anchor_mailbox },
                   { "client-request-id", req->client_request_id } };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].value && has_control_chars(fields[i].value))
            return ews_http_fail(t, err, EWS_EINVAL, NULL, "%s value contains control characters",
                        fields[i].name);
    if (t->o->auth == EWS_AUTH_BEARER) {
        if (!req->bearer_token || !req->bearer_token[0])
            return ews_http_fail(t, err, EWS_EINVAL, NULL, "bearer authentication needs a token");
        if (has_control_chars(req->bearer_token) || strchr(req->bearer_token, ' '))
            return ews_http_fail(t, err, EWS_EINVAL, req->bearer_token,
                        "the bearer token contains spaces or control characters");
    }
    return 0;
}

static long parse_retry_after(const char *v)
{
    if (!v || !*v)
        return -1;
    if (*v >= '0' && *v <= '9') {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(v, &end, 10);
        if (*end)
            return -1;
        if (errno == ERANGE || s > (unsigned long long)(LONG_MAX / 1000))
            return LONG_MAX;
        return (long)s * 1000;
    }
    time_t when = curl_getdate(v, NULL);
    if (when == (time_t)-1)
        return -1;
    double ms = difftime(when, time(NULL)) * 1000.0;
    if (ms <= 0)
        return 0;
    return ms >= (double)LONG_MAX ? LONG_MAX : (long)ms;
}

static void take_response(exchange *ex, ews_http_response *resp)
{
    resp->status = ex->status;
    resp->body = ex->body;
    resp->body.limit = 0;
    memset(&ex->body, 0, sizeof ex->body);
    resp->content_type = ex->content_type;
    resp->request_id = ex->request_id;
    resp->backend_status = ex->backend_status;
    ex->content_type = ex->request_id = ex->backend_status = NULL;
    if (ex->status >= 300 && ex->status < 400) {
        resp->location = ex->location;
        ex->location = NULL;
    }
    if (ex->status == 401 && ex->www_authenticate.data)
        resp->www_authenticate = ews_buf_detach(&ex->www_authenticate, NULL);
    resp->retry_after_ms = parse_retry_after(ex->retry_after);
}

static int is_followable(long status)
{
    /* 303 means "fetch something else with GET": not a place to re-POST. */
    return status == 301 || status == 302 || status == 307 || status == 308;
}

int ews_transport_post(ews_transport *t, const ews_http_request *req, ews_http_response *resp,
                       ews_err *err)
{
    if (!t || !req || !resp)
        return ews_err_set(err, EWS_EINVAL, "ews_transport_post: NULL argument");
    memset(resp, 0, sizeof *resp);
    resp->retry_after_ms = -1;
    int rc = check_request(t, req, err);
    if (rc)
        return rc;

    deadline dl = ews_http_deadline_in(req->timeout_ms > 0 ? req->timeout_ms : t->o->timeout_ms);
    exchange ex;
    ews_http_exchange_init(&ex, t);
    char *url = strdup(t->url);
    if (!url)
        return ews_http_fail(t, err, EWS_ENOMEM, NULL, "out of memory");
    t->operation = req->operation;
    for (int redirects = 0;; redirects++) {
        rc = ews_http_authenticated_exchange(t, url, req, &ex, &dl, err);
        if (rc || ex.status < 300 || ex.status >= 400 || ex.status == 304)
            break;
        if (!is_followable(ex.status) || !ex.location || !t->o->follow_redirects) {
            ews_http_redirect_refused_event(t, ex.location,
                                   !ex.location ? "the answer names no Location"
                                   : !is_followable(ex.status)
                                       ? "the status does not allow repeating the POST"
                                       : "following redirects is off");
            break;
        }
        if (redirects == MAX_REDIRECTS) {
            ews_http_trace_info(t, "ews: not following more than %d redirects", MAX_REDIRECTS);
            ews_http_redirect_refused_event(t, ex.location, "too many redirects");
            break;
        }
        const char *why = NULL;
        char *next = redirect_target(url, ex.location, &why);
        if (!next) {
            ews_http_trace_info(t, "ews: not following the redirect to %s: %s", ex.location, why);
            ews_http_redirect_refused_event(t, ex.location, why);
            break;
        }
        ews_http_trace_info(t, "ews: following the redirect to %s", next);
        free(url);
        url = next;
    }
    free(url);
    t->operation = NULL;
    if (!rc)
        take_response(&ex, resp);
    ews_http_exchange_free(&ex);
    return rc;
}

/* ---- creation ---------------------------------------------------------------- */

static int check_url(ews_transport *t, const ews_client_options *opts, ews_err *err)
{
    origin o;
    int rc = parse_url(NULL, opts->url, &o, NULL);
    if (rc == EWS_ENOMEM)
        return ews_err_set(err, rc, "out of memory");
    if (rc)
        return ews_err_set(err, EWS_EINVAL, "the endpoint URL is not a valid absolute URL");
    if (strcmp(o.scheme, "https") == 0) {
        t->https = 1;
    } else if (strcmp(o.scheme, "http") == 0) {
        if (!opts->allow_insecure_http)
            rc = ews_err_set(err, EWS_ECONFIG,
                             "refusing plain http:// to %s: the endpoint should be https:// "
                             "(allow_insecure_http accepts it)", o.host);
    } else {
        rc = ews_err_set(err, EWS_EINVAL, "unsupported URL scheme '%s' (expected https://)",
                         o.scheme);
    }
    if (!rc && o.has_userinfo)
        rc = ews_err_set(err, EWS_ECONFIG,
                         "the endpoint URL must not carry credentials; use username and "
                         "password");
    if (!rc && !t->https && opts->auth != EWS_AUTH_NONE && !opts->allow_credentials_over_http)
        rc = ews_err_set(err, EWS_ECONFIG,
                         "refusing to send %s credentials over plain http:// to %s "
                         "(allow_credentials_over_http permits it)",
                         method_name(opts->auth), o.host);
    if (!rc) {
        t->port = o.port;
        t->host = strdup(o.host);
        t->url = strdup(opts->url);
        if (!t->host || !t->url)
            rc = ews_err_set(err, EWS_ENOMEM, "out of memory");
    }
    origin_free(&o);
    return rc;
}

/* Whether requests bind (t->bind); REQUIRE fails here when they cannot. */
static int check_binding(ews_transport *t, ews_err *err)
{
    const char *why = NULL;
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_OFF)
        return 0;
    if (!t->https) {
        if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
            return ews_err_set(err, EWS_ECONFIG,
                               "channel binding is required, but a plain http:// endpoint "
                               "has no TLS channel to bind to");
        return 0; /* AUTO: nothing to bind over http */
    }
#if LIBCURL_VERSION_NUM < 0x075000
    why = "this libcurl is older than 7.80 (no CURLOPT_PREREQFUNCTION)";
#else
    if (ews_tls_cb_supported(&why)) {
        t->bind = 1;
        return 0;
    }
#endif
    if (t->o->channel_binding == EWS_CHANNEL_BINDING_REQUIRE)
        return ews_err_set(err, EWS_ENOTSUP, "channel binding is required, but %s", why);
    return 0; /* AUTO: NTLM/Negotiate go unbound, as libcurl's would */
}

int ews_transport_check_override(const char *entry, int connect_to, const char **why)
{
    *why = NULL;
    if (!entry || !*entry)
        *why = "an empty entry";
    else if (has_control_chars(entry) || strpbrk(entry, " \t"))
        *why = "spaces or control characters";
    if (*why)
        return EWS_EINVAL;
    /* HOST:PORT:... where a [bracketed] IPv6 host may hold colons. */
    const char *p = entry;
    if (!connect_to && (*p == '+' || *p == '-'))
        p++;
    if (*p == '[') {
        p = strchr(p, ']');
        if (!p) {
            *why = "an unclosed [";
            return EWS_EINVAL;
        }
    }
    const char *c1 = strchr(p, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c1 || !c2) {
        *why = connect_to ? "not HOST:PORT:HOST2:PORT2" : "not HOST:PORT:ADDRESS";
        return EWS_EINVAL;
    }
    const char *port = c1 + 1;
    size_t digits = strspn(port, "0123456789");
    long n = digits ? strtol(port, NULL, 10) : 0;
    /* --connect-to may leave HOST and PORT empty: "any". */
    if (port + digits != c2 || digits > 5 || (!connect_to && (n < 1 || n > 65535)) ||
        (connect_to && digits && (n < 1 || n > 65535))) {
        *why = "the PORT is not a number from 1 to 65535";
        return EWS_EINVAL;
    }
    if (!connect_to && (entry[0] == '-'))
        return 0; /* removal: HOST:PORT alone is enough */
    if (!c2[1] && !connect_to) {
        *why = "no ADDRESS";
        return EWS_EINVAL;
    }
    return 0;
}

int ews_transport_new(ews_transport **out, const ews_client_options *o, ews_err *err)
{
    if (out)
        *out = NULL;
    if (!out || !o || !o->url)
        return ews_err_set(err, EWS_EINVAL, "ews_transport_new: missing argument");
    if (o->connect_timeout_ms < 0 || o->stall_timeout_ms < 0 || o->timeout_ms < 0)
        return ews_err_set(err, EWS_EINVAL, "timeouts must not be negative");
    if (o->auth < EWS_AUTH_NONE || o->auth > EWS_AUTH_NEGOTIATE)
        return ews_err_set(err, EWS_EINVAL, "unknown authentication method %d", (int)o->auth);
    if (o->gss_provider < EWS_GSS_AUTO || o->gss_provider > EWS_GSS_GSSAPI)
        return ews_err_set(err, EWS_EINVAL, "unknown GSS provider %d", (int)o->gss_provider);
    if (o->channel_binding < EWS_CHANNEL_BINDING_AUTO ||
        o->channel_binding > EWS_CHANNEL_BINDING_REQUIRE)
        return ews_err_set(err, EWS_EINVAL, "unknown channel binding setting %d",
                           (int)o->channel_binding);
    if (o->user_agent && has_control_chars(o->user_agent))
        return ews_err_set(err, EWS_EINVAL, "the user agent contains control characters");

    ews_transport *t = calloc(1, sizeof *t);
    if (!t)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    t->o = o;
    snprintf(t->default_agent, sizeof t->default_agent, "ews-c/%s", ews_version());
    t->user_agent = o->user_agent ? o->user_agent : t->default_agent;
    int rc = ews_secrets_init(&t->secrets, o->username, o->password, o->proxy_username,
                              o->proxy_password)
                 ? ews_err_set(err, EWS_ENOMEM, "out of memory")
                 : 0;
    if (!rc)
        rc = check_url(t, o, err);
    if (!rc)
        rc = check_binding(t, err);
    if (!rc)
        rc = ews_http_plan_for(t, o->auth, &t->plan, err);
    if (!rc)
        rc = ews_http_setup_curl(t, o, err);
    if (rc) {
        ews_transport_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void ews_transport_free(ews_transport *t)
{
    if (!t)
        return;
    if (t->curl)
        curl_easy_cleanup(t->curl);
    curl_slist_free_all(t->resolve);
    curl_slist_free_all(t->connect_to);
    free(t->url);
    free(t->host);
    for (size_t i = 0; i < sizeof t->gss_cred / sizeof t->gss_cred[0]; i++)
        ews_gss_cred_free(t->gss_cred[i]);
    ews_secrets_free(&t->secrets);
    ews_secure_zero(t, sizeof *t);
    free(t);
}
