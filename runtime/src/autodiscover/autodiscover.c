/* ews_autodiscover(): the candidate order, redirections and the credential
 * policy. Order and redirect rules from Microsoft's public documentation
 * ("Autodiscover for Exchange", "Implementing an Autodiscover Client",
 * [MS-OXDISCO] 3.1.5 and [MS-OXDSCLI] 3.2.5): POX at the domain, then at
 * autodiscover.<domain>, the unauthenticated http GET whose 302 names the
 * https endpoint, the SRV record; redirectAddr, redirectUrl and HTTP 302 of
 * a POX endpoint followed, at most 10 redirections. Never
 * autodiscover.<parent domain>: the 2021 leaks came from that guess.
 */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "autodiscover/pox.h"
#include "core/base64.h"
#include "autodiscover/srv.h"
#include "http/transport.h"
#include "ops/client.h"
#include "ews/autodiscover.h"
#include "ews/version.h"

#define MAX_REDIRECTS 10
#define MAX_CANDIDATES 64
#define MAX_SRV 8
#define MAX_ANSWER_BYTES ((size_t)1 << 20)
#define POX_PATH "/autodiscover/autodiscover.xml"

struct ews_autodiscover_result {
    ews_err err;
    char *ews_url;
    char *server_version;
    char *anchor;
    char *email;
    char *answer_url;
    ews_autodiscover_candidate cand[MAX_CANDIDATES];
    char *owned[MAX_CANDIDATES][3]; /* the candidates' url, email, why */
    size_t ncand;
    int global_ref;
};

typedef enum step { STEP_NEXT, STEP_DONE, STEP_RESTART, STEP_STOP } step;

typedef struct ad_ctx {
    ews_autodiscover_result *r;
    const ews_autodiscover_options *o;
    ews_client_options c;    /* the caller's client options or the defaults */
    char *home;              /* the domain of the address the caller gave */
    char *email;             /* the address being asked for */
    char *domain;
    ews_buf body;
    char *token;             /* bearer, asked for once */
    char *basic;             /* base64(user:password), what Basic sends */
    int redirects;
    int max_redirects;
    int saw_auth, saw_untrusted, saw_bad_redirect;
    int stop_code;           /* a failure that ends the whole discovery */
    char *allowed[MAX_CANDIDATES]; /* hosts the caller allowed (confirm) */
    size_t nallowed;
} ad_ctx;

/* ---- the result --------------------------------------------------------- */

static void masked(char *s, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (!s || !n)
        return;
    for (char *hit = s; (hit = strstr(hit, secret)) != NULL; hit += n)
        memset(hit, '*', n);
}

/* Records a candidate; the text is scrubbed of the password (a server can
 * reflect what it was sent). */
static void record(ad_ctx *x, const char *url, ews_autodiscover_source src, int code,
                   long status, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void record(ad_ctx *x, const char *url, ews_autodiscover_source src, int code,
                   long status, const char *fmt, ...)
{
    ews_autodiscover_result *r = x->r;
    if (r->ncand == MAX_CANDIDATES)
        return;
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ews_autodiscover_candidate *c = &r->cand[r->ncand];
    char **own = r->owned[r->ncand];
    own[0] = strdup(url);
    own[1] = strdup(x->email);
    own[2] = strdup(line);
    if (!own[0] || !own[1] || !own[2]) {
        for (int k = 0; k < 3; k++) {
            free(own[k]);
            own[k] = NULL;
        }
        return;
    }
    const char *secrets[] = { x->c.password, x->c.proxy_password, x->token, x->basic };
    for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
        masked(own[2], secrets[k]);
    c->url = own[0];
    c->email = own[1];
    c->why = own[2];
    c->source = src;
    c->code = code;
    c->http_status = status;
    r->ncand++;
    if (x->c.trace) {
        char t[800];
        int n = snprintf(t, sizeof t, "ews: autodiscover: %s [%s]: %s", url,
                         ews_autodiscover_source_name(src), c->why);
        if (n > 0)
            x->c.trace(EWS_TRACE_INFO, t, (size_t)n < sizeof t ? (size_t)n : sizeof t - 1,
                       x->c.trace_userdata);
    }
}

/* ---- URLs and hosts ------------------------------------------------------ */

/* Scheme and host of url (new, curl_free), resolved against base. *full
 * gets the resolved URL when full is not NULL. */
static int url_parts(const char *base, const char *url, char **scheme, char **host,
                     int *userinfo, char **full)
{
    *scheme = *host = NULL;
    CURLU *u = curl_url();
    if (!u)
        return EWS_ENOMEM;
    int rc = EWS_EINVAL;
    char *user = NULL;
    if (base && curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
        goto done;
    if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, host, 0) != CURLUE_OK)
        goto done;
    *userinfo = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK;
    if (full && curl_url_get(u, CURLUPART_URL, full, 0) != CURLUE_OK)
        goto done;
    rc = 0;
done:
    curl_free(user);
    curl_url_cleanup(u);
    if (rc) {
        curl_free(*scheme);
        curl_free(*host);
        *scheme = *host = NULL;
    }
    return rc;
}

/* host is domain or one of its subdomains. */
static int in_domain(const char *host, const char *domain)
{
    size_t h = strlen(host), d = strlen(domain);
    if (h == d)
        return strcasecmp(host, domain) == 0;
    return h > d && host[h - d - 1] == '.' && strcasecmp(host + h - d, domain) == 0;
}

/* Whether the credentials may go to host. Inside the domain of the address
 * the caller gave: yes. Elsewhere only with allow_other_domains or the
 * caller's confirm callback (asked once per host). */
static int may_send_credentials(ad_ctx *x, const char *host, const char *url)
{
    if (x->c.auth == EWS_AUTH_NONE || in_domain(host, x->home) || x->o->allow_other_domains)
        return 1;
    for (size_t i = 0; i < x->nallowed; i++)
        if (strcasecmp(x->allowed[i], host) == 0)
            return 1;
    if (!x->o->confirm || !x->o->confirm(host, url, x->o->confirm_userdata))
        return 0;
    if (x->nallowed < MAX_CANDIDATES && (x->allowed[x->nallowed] = strdup(host)))
        x->nallowed++;
    return 1;
}

/* ---- one HTTP exchange --------------------------------------------------- */

static int exchange(ad_ctx *x, const char *url, int get, ews_http_response *resp, ews_err *err)
{
    /* The caller's options with what each step must decide itself. */
    ews_client_options tc = x->c;
    tc.url = url;
    if (!tc.max_response_bytes || tc.max_response_bytes > MAX_ANSWER_BYTES)
        tc.max_response_bytes = MAX_ANSWER_BYTES;
    tc.allow_insecure_http = get;
    tc.allow_credentials_over_http = 0;
    tc.follow_redirects = 0; /* each redirect is judged here */
    if (get) {
        /* The http probe never carries credentials. */
        tc.auth = EWS_AUTH_NONE;
        tc.username = tc.password = NULL;
        tc.channel_binding = EWS_CHANNEL_BINDING_OFF;
    }
    const ews_client_options *c = &x->c;
    ews_transport *t = NULL;
    int rc = ews_transport_new(&t, &tc, err);
    if (rc)
        return rc;
    ews_http_request req = { .get = get, .operation = "Autodiscover" };
    if (!get) {
        req.body = x->body.data;
        req.body_len = x->body.len;
        if (c->auth == EWS_AUTH_BEARER) {
            if (!x->token && c->token_cb(&x->token, 0, c->token_userdata))
                rc = ews_err_set(err, EWS_ECALLBACK, "the token callback failed");
            else if (!x->token)
                rc = ews_err_set(err, EWS_ECALLBACK, "the token callback gave no token");
            req.bearer_token = x->token;
        }
    }
    if (!rc)
        rc = ews_transport_post(t, &req, resp, err);
    ews_transport_free(t);
    return rc;
}

static int is_redirect(long status)
{
    return status == 301 || status == 302 || status == 307 || status == 308;
}

/* The next redirection, or STEP_STOP past the limit. */
static int count_redirect(ad_ctx *x)
{
    if (x->redirects >= x->max_redirects) {
        x->stop_code = EWS_EREDIRECT;
        return 0;
    }
    x->redirects++;
    return 1;
}

/* An https target of a redirect, resolved against base; NULL (recorded)
 * when refused. New memory. */
static char *https_target(ad_ctx *x, const char *base, const char *target,
                          ews_autodiscover_source src, long status)
{
    char *scheme, *host, *full = NULL;
    int userinfo = 0;
    if (url_parts(base, target, &scheme, &host, &userinfo, &full)) {
        record(x, base, src, EWS_EREDIRECT, status, "redirects to something that is not a URL");
        x->saw_bad_redirect = 1;
        return NULL;
    }
    char *copy = NULL;
    if (strcasecmp(scheme, "https") != 0 || userinfo) {
        record(x, base, src, EWS_EREDIRECT, status, "refused the redirect to %.300s: %s", full,
               userinfo ? "it carries credentials" : "not https");
        x->saw_bad_redirect = 1;
    } else if (!(copy = strdup(full))) {
        x->stop_code = EWS_ENOMEM;
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(full);
    return copy;
}

/* Takes the settings of an answer. */
static step take_settings(ad_ctx *x, const char *url, ews_autodiscover_source src,
                          const pox_answer *a, long status)
{
    const char *hex = NULL;
    const char *ews = pox_ews_url(a, &hex);
    if (!ews) {
        record(x, url, src, EWS_EDISCOVER, status, "the settings have no EwsUrl");
        return STEP_NEXT;
    }
    ews_autodiscover_result *r = x->r;
    char version[32];
    r->ews_url = strdup(ews);
    r->email = strdup(x->email);
    r->answer_url = strdup(url);
    if (hex && pox_server_version(hex, version, sizeof version) == 0)
        r->server_version = strdup(version);
    if (a->smtp_address && *a->smtp_address)
        r->anchor = strdup(a->smtp_address);
    if (!r->ews_url || !r->email || !r->answer_url) {
        x->stop_code = EWS_ENOMEM;
        return STEP_STOP;
    }
    record(x, url, src, 0, status, "EWS URL %.300s", ews);
    return STEP_DONE;
}

/* Reads a 200 answer of a POX endpoint; *next gets a redirectUrl. */
static step read_answer(ad_ctx *x, const char *url, ews_autodiscover_source src,
                        const ews_http_response *resp, char **next)
{
    pox_answer a;
    const char *why = NULL;
    int rc = pox_parse(&a, resp->body.data ? resp->body.data : "", resp->body.len, &why);
    if (rc == EWS_ENOMEM) {
        x->stop_code = rc;
        return STEP_STOP;
    }
    if (rc) {
        record(x, url, src, rc, resp->status, "the answer is not usable XML: %s", why);
        return STEP_NEXT;
    }
    step s = STEP_NEXT;
    const char *action = a.action ? a.action : "";
    if (a.error_code || a.error_message) {
        record(x, url, src, EWS_EDISCOVER, resp->status, "the server answered error %.20s: %.200s",
               a.error_code ? a.error_code : "?", a.error_message ? a.error_message : "");
    } else if (strcmp(action, "redirectAddr") == 0) {
        char *domain = NULL;
        const char *bad = "no RedirectAddr";
        if (!a.redirect_addr || pox_split_address(a.redirect_addr, &domain, &bad)) {
            record(x, url, src, EWS_EDISCOVER, resp->status, "redirectAddr refused: %s", bad);
        } else if (!count_redirect(x)) {
            record(x, url, src, EWS_EREDIRECT, resp->status,
                   "redirectAddr to %.200s: more than %d redirections", a.redirect_addr,
                   x->max_redirects);
            free(domain);
            s = STEP_STOP;
        } else {
            record(x, url, src, EWS_EREDIRECT, resp->status, "redirectAddr to %.200s",
                   a.redirect_addr);
            char *email = strdup(a.redirect_addr);
            if (!email) {
                free(domain);
                x->stop_code = EWS_ENOMEM;
                s = STEP_STOP;
            } else {
                free(x->email);
                free(x->domain);
                x->email = email;
                x->domain = domain;
                s = STEP_RESTART;
            }
        }
    } else if (strcmp(action, "redirectUrl") == 0) {
        if (!a.redirect_url) {
            record(x, url, src, EWS_EDISCOVER, resp->status, "redirectUrl without RedirectUrl");
        } else if ((*next = https_target(x, url, a.redirect_url, src, resp->status))) {
            if (!count_redirect(x)) {
                record(x, url, src, EWS_EREDIRECT, resp->status,
                       "redirectUrl to %.300s: more than %d redirections", *next,
                       x->max_redirects);
                free(*next);
                *next = NULL;
                s = STEP_STOP;
            } else {
                record(x, url, src, EWS_EREDIRECT, resp->status, "redirectUrl to %.300s", *next);
            }
        }
    } else if (strcmp(action, "settings") == 0 || a.nproto) {
        s = take_settings(x, url, src, &a, resp->status);
    } else {
        record(x, url, src, EWS_EDISCOVER, resp->status,
               "not an Autodiscover answer (no Action, no Error)");
    }
    pox_answer_free(&a);
    return x->stop_code && s != STEP_DONE ? STEP_STOP : s;
}

/* POSTs to a POX endpoint and follows its redirections. */
static step try_pox(ad_ctx *x, const char *start, ews_autodiscover_source src)
{
    char *url = strdup(start);
    if (!url) {
        x->stop_code = EWS_ENOMEM;
        return STEP_STOP;
    }
    step s = STEP_NEXT;
    for (;;) {
        char *scheme, *host, *next = NULL;
        int userinfo = 0;
        if (url_parts(NULL, url, &scheme, &host, &userinfo, NULL)) {
            record(x, url, src, EWS_EINVAL, 0, "not a valid URL");
            break;
        }
        int allowed = may_send_credentials(x, host, url);
        if (!allowed) {
            record(x, url, src, EWS_EUNTRUSTED, 0,
                   "credentials not sent to %.200s: outside %.200s and not allowed", host,
                   x->home);
            x->saw_untrusted = 1;
        }
        curl_free(scheme);
        curl_free(host);
        if (!allowed)
            break;
        ews_http_response resp;
        ews_err err;
        ews_err_init(&err);
        int rc = exchange(x, url, 0, &resp, &err);
        if (rc == EWS_ENOMEM) {
            x->stop_code = rc;
            s = STEP_STOP;
        } else if (rc) {
            record(x, url, src, rc, 0, "%s", err.pub.message);
        } else if (is_redirect(resp.status) && resp.location) {
            if ((next = https_target(x, url, resp.location, src, resp.status))) {
                if (count_redirect(x)) {
                    record(x, url, src, EWS_EREDIRECT, resp.status, "HTTP %ld to %.300s",
                           resp.status, next);
                } else {
                    record(x, url, src, EWS_EREDIRECT, resp.status,
                           "HTTP %ld to %.300s: more than %d redirections", resp.status, next,
                           x->max_redirects);
                    free(next);
                    next = NULL;
                    s = STEP_STOP;
                }
            }
        } else if (resp.status == 401 || resp.status == 403) {
            record(x, url, src, EWS_EAUTH, resp.status, "HTTP %ld: credentials %s",
                   resp.status, resp.status == 401 ? "refused or missing" : "not allowed");
            x->saw_auth = 1;
        } else if (resp.status != 200) {
            record(x, url, src, EWS_EHTTP, resp.status, "HTTP %ld", resp.status);
        } else {
            s = read_answer(x, url, src, &resp, &next);
        }
        ews_http_response_free(&resp);
        ews_err_free(&err);
        free(url);
        url = next;
        if (!url || s != STEP_NEXT)
            break;
        src = EWS_AUTODISCOVER_REDIRECT;
    }
    free(url);
    return s;
}

/* The http GET whose 3xx names the https endpoint. */
static step try_http_redirect(ad_ctx *x)
{
    char url[400];
    snprintf(url, sizeof url, "http://autodiscover.%s" POX_PATH, x->domain);
    ews_http_response resp;
    ews_err err;
    ews_err_init(&err);
    step s = STEP_NEXT;
    char *next = NULL;
    int rc = exchange(x, url, 1, &resp, &err);
    if (rc == EWS_ENOMEM) {
        x->stop_code = rc;
        s = STEP_STOP;
    } else if (rc) {
        record(x, url, EWS_AUTODISCOVER_HTTP_REDIRECT, rc, 0, "%s", err.pub.message);
    } else if (!is_redirect(resp.status) || !resp.location) {
        record(x, url, EWS_AUTODISCOVER_HTTP_REDIRECT, EWS_EHTTP, resp.status,
               "HTTP %ld, not a redirect", resp.status);
    } else if ((next = https_target(x, url, resp.location, EWS_AUTODISCOVER_HTTP_REDIRECT,
                                    resp.status))) {
        if (count_redirect(x)) {
            record(x, url, EWS_AUTODISCOVER_HTTP_REDIRECT, EWS_EREDIRECT, resp.status,
                   "HTTP %ld to %.300s", resp.status, next);
        } else {
            record(x, url, EWS_AUTODISCOVER_HTTP_REDIRECT, EWS_EREDIRECT, resp.status,
                   "HTTP %ld to %.300s: more than %d redirections", resp.status, next,
                   x->max_redirects);
            s = STEP_STOP;
        }
    }
    ews_http_response_free(&resp);
    ews_err_free(&err);
    if (next && s == STEP_NEXT)
        s = try_pox(x, next, EWS_AUTODISCOVER_HTTP_REDIRECT);
    free(next);
    return x->stop_code && s != STEP_DONE ? STEP_STOP : s;
}

static step try_srv(ad_ctx *x)
{
    ad_srv recs[MAX_SRV];
    size_t n = 0;
    char name[300];
    snprintf(name, sizeof name, "dns:_autodiscover._tcp.%s", x->domain);
    int rc = ad_srv_lookup(x->domain, x->o->dns_query, x->o->dns_userdata, recs, MAX_SRV, &n);
    if (rc) {
        record(x, name, EWS_AUTODISCOVER_SRV, rc == EWS_ENOTFOUND ? EWS_ERESOLVE : rc, 0, "%s",
               rc == EWS_ENOTFOUND ? "no SRV record" : "the DNS answer is malformed");
        return STEP_NEXT;
    }
    for (size_t i = 0; i < n; i++) {
        char url[400];
        if (recs[i].port == 443)
            snprintf(url, sizeof url, "https://%s" POX_PATH, recs[i].target);
        else
            snprintf(url, sizeof url, "https://%s:%u" POX_PATH, recs[i].target, recs[i].port);
        record(x, name, EWS_AUTODISCOVER_SRV, EWS_EREDIRECT, 0, "SRV %u %u %u %.260s",
               recs[i].priority, recs[i].weight, recs[i].port, recs[i].target);
        step s = try_pox(x, url, EWS_AUTODISCOVER_SRV);
        if (s != STEP_NEXT)
            return s;
    }
    return STEP_NEXT;
}

/* Every method for the current address, in order. */
static step discover_domain(ad_ctx *x)
{
    unsigned m = x->o->methods ? x->o->methods : EWS_AUTODISCOVER_ALL_METHODS;
    ews_buf_clear(&x->body);
    if (pox_request(&x->body, x->email)) {
        x->stop_code = EWS_ENOMEM;
        return STEP_STOP;
    }
    char url[400];
    step s = STEP_NEXT;
    if (s == STEP_NEXT && (m & EWS_AUTODISCOVER_DOMAIN)) {
        snprintf(url, sizeof url, "https://%s" POX_PATH, x->domain);
        s = try_pox(x, url, EWS_AUTODISCOVER_DOMAIN);
    }
    if (s == STEP_NEXT && (m & EWS_AUTODISCOVER_AUTODISCOVER)) {
        snprintf(url, sizeof url, "https://autodiscover.%s" POX_PATH, x->domain);
        s = try_pox(x, url, EWS_AUTODISCOVER_AUTODISCOVER);
    }
    if (s == STEP_NEXT && (m & EWS_AUTODISCOVER_HTTP_REDIRECT))
        s = try_http_redirect(x);
    if (s == STEP_NEXT && (m & EWS_AUTODISCOVER_SRV))
        s = try_srv(x);
    return s;
}

/* The failure's code: the one thing the caller can act on first. */
static int final_code(const ad_ctx *x)
{
    if (x->stop_code)
        return x->stop_code;
    if (x->saw_auth)
        return EWS_EAUTH;
    if (x->saw_untrusted)
        return EWS_EUNTRUSTED;
    if (x->saw_bad_redirect)
        return EWS_EREDIRECT;
    return EWS_EDISCOVER;
}

static int fail_with_candidates(ad_ctx *x, const char *email)
{
    ews_autodiscover_result *r = x->r;
    int code = final_code(x);
    ews_buf m = EWS_BUF_INIT;
    int rc = ews_buf_printf(&m, "Autodiscover for %s: %s", email,
                            code == EWS_EREDIRECT && x->stop_code
                                ? "stopped after the redirection limit"
                                : code == EWS_EAUTH     ? "credentials refused, no EWS endpoint"
                                : code == EWS_EUNTRUSTED ? "credentials withheld from a host "
                                                           "outside the address's domain"
                                : code == EWS_EREDIRECT ? "a redirect was refused"
                                                        : "no EWS endpoint found");
    if (!rc && r->ncand)
        rc = ews_buf_puts(&m, "; tried:");
    for (size_t i = 0; !rc && i < r->ncand; i++)
        rc = ews_buf_printf(&m, " %zu) %s (%s): %s [%s];", i + 1, r->cand[i].url,
                            ews_autodiscover_source_name(r->cand[i].source), r->cand[i].why,
                            r->cand[i].code ? ews_err_name(r->cand[i].code) : "ok");
    ews_err_set(&r->err, code, "Autodiscover for %.320s failed", email);
    if (!rc)
        ews_err_field_set(&r->err, EWS_ERRF_MESSAGE, m.data);
    const char *secrets[] = { x->c.password, x->c.proxy_password, x->token, x->basic };
    for (size_t k = 0; k < sizeof secrets / sizeof secrets[0]; k++)
        ews_err_mask(&r->err, secrets[k]);
    ews_buf_free(&m);
    for (size_t i = r->ncand; i-- > 0;)
        if (r->cand[i].http_status) {
            r->err.pub.http_status = r->cand[i].http_status;
            break;
        }
    return code;
}

/* ---- public API ------------------------------------------------------------ */

int ews_autodiscover_options_init(ews_autodiscover_options *opts, unsigned int version)
{
    if (!opts)
        return EWS_EINVAL;
    if (version != EWS_AUTODISCOVER_OPTIONS_VERSION)
        return EWS_EOPTVERSION;
    const ews_autodiscover_options init = EWS_AUTODISCOVER_OPTIONS_INIT;
    *opts = init;
    return 0;
}

static int check_options(ad_ctx *x)
{
    const ews_autodiscover_options *o = x->o;
    ews_err *e = &x->r->err;
    if (o->methods & ~EWS_AUTODISCOVER_ALL_METHODS)
        return ews_err_set(e, EWS_EINVAL, "unknown Autodiscover method bits 0x%x", o->methods);
    if (o->max_redirects < 0 || o->max_redirects > MAX_REDIRECTS)
        return ews_err_set(e, EWS_EINVAL, "max_redirects must be 0 to %d", MAX_REDIRECTS);
    x->max_redirects = o->max_redirects ? o->max_redirects : MAX_REDIRECTS;
    const ews_client_options init = EWS_CLIENT_OPTIONS_INIT;
    x->c = init;
    if (o->client) {
        /* The client's own copy rules: members past its version keep the
         * defaults. */
        ews_client *probe = NULL;
        ews_client_options parse_only = init;
        int rc;
        if (o->client->version < 1 || o->client->version > EWS_CLIENT_OPTIONS_VERSION)
            return ews_err_set(e, EWS_EOPTVERSION, "client options version %u is not supported",
                               o->client->version);
        ews_client_options_init(&parse_only, o->client->version);
        memcpy(&parse_only, o->client, ews_client_options_size(o->client->version));
        x->c = parse_only;
        x->c.version = EWS_CLIENT_OPTIONS_VERSION;
        x->c.url = NULL; /* validate as a parse-only client: same rules */
        rc = ews_client_new(&probe, &x->c);
        if (rc && probe)
            ews_err_copy(e, &probe->err);
        else if (rc)
            ews_err_set(e, rc, "out of memory");
        ews_client_free(probe);
        if (rc)
            return rc;
    }
    if (x->c.auth == EWS_AUTH_BEARER && !x->c.token_cb)
        return ews_err_set(e, EWS_EINVAL, "bearer authentication needs a token callback");
    const char *why;
    for (int k = 0; k < 2; k++) {
        const char *const *list = k ? x->c.connect_to : x->c.resolve;
        for (size_t i = 0; list && list[i]; i++)
            if (ews_transport_check_override(list[i], k, &why))
                return ews_err_set(e, EWS_EINVAL, "%s entry %zu: %s",
                                   k ? "connect_to" : "resolve", i + 1, why);
    }
    return 0;
}

int ews_autodiscover(ews_autodiscover_result **out, const char *email,
                     const ews_autodiscover_options *opts)
{
    if (!out)
        return EWS_EINVAL;
    *out = NULL;
    ews_autodiscover_result *r = calloc(1, sizeof *r);
    if (!r)
        return EWS_ENOMEM;
    ews_err_init(&r->err);
    *out = r;
    const ews_autodiscover_options defaults = EWS_AUTODISCOVER_OPTIONS_INIT;
    if (opts && opts->version != EWS_AUTODISCOVER_OPTIONS_VERSION)
        return ews_err_set(&r->err, EWS_EOPTVERSION,
                           "Autodiscover options version %u is not supported", opts->version);
    ad_ctx x;
    memset(&x, 0, sizeof x);
    x.r = r;
    x.o = opts ? opts : &defaults;
    int rc = check_options(&x);
    if (rc)
        return rc;
    const char *why = NULL;
    rc = pox_split_address(email, &x.home, &why);
    if (rc == EWS_ENOMEM)
        return ews_err_set(&r->err, rc, "out of memory");
    if (rc)
        return ews_err_set(&r->err, rc, "Autodiscover: %s", why);
    x.email = strdup(email);
    x.domain = strdup(x.home);
    if (!x.email || !x.domain || ews_global_init()) {
        rc = ews_err_set(&r->err, EWS_ENOMEM, "out of memory");
        goto done;
    }
    r->global_ref = 1;
    if (x.c.username && x.c.password) {
        ews_buf pair = EWS_BUF_INIT;
        if (ews_buf_printf(&pair, "%s:%s", x.c.username, x.c.password) ||
            !(x.basic = ews_base64_encode(pair.data, pair.len))) {
            ews_buf_wipe(&pair);
            rc = ews_err_set(&r->err, EWS_ENOMEM, "out of memory");
            goto done;
        }
        ews_buf_wipe(&pair);
    }
    step s;
    do
        s = discover_domain(&x);
    while (s == STEP_RESTART);
    rc = s == STEP_DONE ? 0 : fail_with_candidates(&x, email);
done:
    if (x.token) {
        ews_secure_zero(x.token, strlen(x.token));
        free(x.token);
    }
    if (x.basic) {
        ews_secure_zero(x.basic, strlen(x.basic));
        free(x.basic);
    }
    for (size_t i = 0; i < x.nallowed; i++)
        free(x.allowed[i]);
    ews_buf_free(&x.body);
    free(x.email);
    free(x.domain);
    free(x.home);
    return rc;
}

void ews_autodiscover_result_free(ews_autodiscover_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncand; i++)
        for (int k = 0; k < 3; k++)
            free(r->owned[i][k]);
    free(r->ews_url);
    free(r->server_version);
    free(r->anchor);
    free(r->email);
    free(r->answer_url);
    ews_err_free(&r->err);
    if (r->global_ref)
        ews_global_cleanup();
    free(r);
}

const ews_error *ews_autodiscover_last_error(const ews_autodiscover_result *r)
{
    return r ? &r->err.pub : NULL;
}

const char *ews_autodiscover_ews_url(const ews_autodiscover_result *r)
{
    return r ? r->ews_url : NULL;
}

const char *ews_autodiscover_server_version(const ews_autodiscover_result *r)
{
    return r ? r->server_version : NULL;
}

const char *ews_autodiscover_anchor_mailbox(const ews_autodiscover_result *r)
{
    return r ? r->anchor : NULL;
}

const char *ews_autodiscover_email(const ews_autodiscover_result *r)
{
    return r ? r->email : NULL;
}

const char *ews_autodiscover_answer_url(const ews_autodiscover_result *r)
{
    return r ? r->answer_url : NULL;
}

size_t ews_autodiscover_candidate_count(const ews_autodiscover_result *r)
{
    return r ? r->ncand : 0;
}

const ews_autodiscover_candidate *ews_autodiscover_candidate_at(const ews_autodiscover_result *r,
                                                                size_t i)
{
    return r && i < r->ncand ? &r->cand[i] : NULL;
}

const char *ews_autodiscover_source_name(ews_autodiscover_source source)
{
    switch (source) {
    case EWS_AUTODISCOVER_DOMAIN: return "domain";
    case EWS_AUTODISCOVER_AUTODISCOVER: return "autodiscover";
    case EWS_AUTODISCOVER_HTTP_REDIRECT: return "http-redirect";
    case EWS_AUTODISCOVER_SRV: return "srv";
    case EWS_AUTODISCOVER_REDIRECT: return "redirect";
    }
    return "unknown";
}
