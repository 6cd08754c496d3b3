/* The client handle: options, global set-up, last error. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "ops/client.h"
#include "ews/version.h"

static pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long global_refs;

int ews_global_init(void)
{
    int rc = 0;
    pthread_mutex_lock(&global_lock);
    if (global_refs == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        rc = EWS_EINTERNAL;
    else
        global_refs++;
    pthread_mutex_unlock(&global_lock);
    return rc;
}

void ews_global_cleanup(void)
{
    pthread_mutex_lock(&global_lock);
    if (global_refs > 0 && --global_refs == 0) {
        curl_global_cleanup();
        ews_soap_kept_drain();
    }
    pthread_mutex_unlock(&global_lock);
}

/* Bytes of the options struct a caller of each version has: members are
 * only ever added at the end. */
size_t ews_client_options_size(unsigned int version)
{
    switch (version) {
    case 1: return offsetof(ews_client_options, channel_binding);
    case 2: return offsetof(ews_client_options, noproxy);
    case 3: return offsetof(ews_client_options, throttle);
    case 4: return sizeof(ews_client_options);
    default: return 0;
    }
}

int ews_client_options_init(ews_client_options *opts, unsigned int version)
{
    if (!opts)
        return EWS_EINVAL;
    size_t size = ews_client_options_size(version);
    if (!size)
        return EWS_EOPTVERSION;
    ews_client_options init = EWS_CLIENT_OPTIONS_INIT;
    init.version = version;
    memcpy(opts, &init, size);
    return 0;
}

int ews_call_options_init(ews_call_options *opts, unsigned int version)
{
    if (!opts)
        return EWS_EINVAL;
    if (version != EWS_CALL_OPTIONS_VERSION)
        return EWS_EOPTVERSION;
    const ews_call_options init = EWS_CALL_OPTIONS_INIT;
    *opts = init;
    return 0;
}

/* Keeps a private copy of a caller's string; the password copies are wiped
 * on free. */
static int own(ews_client *c, const char **field)
{
    if (!*field)
        return 0;
    if (c->nstrings >= (int)(sizeof c->strings / sizeof c->strings[0]))
        return EWS_EINTERNAL;
    char *copy = strdup(*field);
    if (!copy)
        return EWS_ENOMEM;
    c->strings[c->nstrings++] = copy;
    *field = copy;
    return 0;
}

/* A NULL-terminated copy of a caller's list (NULL stays NULL). */
static int own_list(char ***slot, const char *const **field)
{
    if (!*field)
        return 0;
    size_t n = 0;
    while ((*field)[n])
        n++;
    char **copy = calloc(n + 1, sizeof *copy);
    if (!copy)
        return EWS_ENOMEM;
    *slot = copy;
    for (size_t i = 0; i < n; i++)
        if (!(copy[i] = strdup((*field)[i])))
            return EWS_ENOMEM;
    *field = (const char *const *)copy;
    return 0;
}

static void free_list(char **list)
{
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}

static int copy_options(ews_client *c, const ews_client_options *o)
{
    /* An older caller's struct is shorter: the rest keeps the defaults. */
    const ews_client_options init = EWS_CLIENT_OPTIONS_INIT;
    c->opts = init;
    memcpy(&c->opts, o, ews_client_options_size(o->version));
    const char **fields[] = {
        &c->opts.url, &c->opts.username, &c->opts.password, &c->opts.cafile, &c->opts.capath,
        &c->opts.proxy, &c->opts.proxy_username, &c->opts.proxy_password, &c->opts.user_agent,
        &c->opts.server_version, &c->opts.culture, &c->opts.impersonation.value,
        &c->opts.noproxy,
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int rc = own(c, fields[i]);
        if (rc)
            return rc;
    }
    int rc = own_list(&c->lists[0], &c->opts.resolve);
    return rc ? rc : own_list(&c->lists[1], &c->opts.connect_to);
}

static int validate(ews_client *c)
{
    const ews_client_options *o = &c->opts;
    ews_err *e = &c->err;
    if (o->auth < EWS_AUTH_NONE || o->auth > EWS_AUTH_NEGOTIATE)
        return ews_err_set(e, EWS_EINVAL, "unknown authentication method %d", (int)o->auth);
    if (o->max_response_bytes == 0 || o->max_depth == 0 || o->max_string_length <= 0 ||
        o->max_items == 0)
        return ews_err_set(e, EWS_EINVAL, "response limits must be greater than zero");
    if (o->connect_timeout_ms < 0 || o->stall_timeout_ms < 0 || o->timeout_ms < 0)
        return ews_err_set(e, EWS_EINVAL, "timeouts must not be negative");
    if (o->channel_binding < EWS_CHANNEL_BINDING_AUTO ||
        o->channel_binding > EWS_CHANNEL_BINDING_REQUIRE)
        return ews_err_set(e, EWS_EINVAL, "unknown channel binding setting %d",
                           (int)o->channel_binding);
    if (o->auth == EWS_AUTH_BEARER && !o->token_cb)
        return ews_err_set(e, EWS_EINVAL, "bearer authentication needs a token callback");
    if (o->auth == EWS_AUTH_BASIC && (!o->username || !o->password))
        return ews_err_set(e, EWS_EINVAL, "basic authentication needs a user name and a password");
    ews_request_headers h = { o->server_version ? o->server_version : "Exchange2013", o->culture,
                              o->impersonation };
    return ews_headers_validate(&h, "the client", NULL, e);
}

static int open_transport(ews_client *c)
{
    return ews_transport_new(&c->transport, &c->opts, &c->err);
}

int ews_client_new(ews_client **out, const ews_client_options *opts)
{
    if (!out)
        return EWS_EINVAL;
    *out = NULL;
    ews_client *c = calloc(1, sizeof *c);
    if (!c)
        return EWS_ENOMEM;
    ews_err_init(&c->err);
    *out = c;
    if (!opts)
        return ews_err_set(&c->err, EWS_EINVAL, "options are required");
    if (!ews_client_options_size(opts->version))
        return ews_err_set(&c->err, EWS_EOPTVERSION,
                           "options version %u is not supported (this library: 1 to %u)",
                           opts->version, (unsigned)EWS_CLIENT_OPTIONS_VERSION);
    int rc = copy_options(c, opts);
    if (rc)
        return ews_err_set(&c->err, rc, "out of memory copying the options");
    if ((rc = validate(c)))
        return rc;
    c->limits.max_bytes = c->opts.max_response_bytes;
    c->limits.max_depth = c->opts.max_depth;
    c->limits.max_string = c->opts.max_string_length;
    c->limits.max_items = c->opts.max_items;
    c->limits.strict = c->opts.strict;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    c->rng = ((uint64_t)ts.tv_nsec << 16) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40) ^
             (uint64_t)(uintptr_t)c;
    if (c->opts.url) {
        if ((rc = ews_global_init()))
            return ews_err_set(&c->err, rc, "libcurl global initialisation failed");
        c->global_ref = 1;
        if ((rc = open_transport(c)))
            return rc;
    }
    c->usable = 1;
    return 0;
}

void ews_client_free(ews_client *c)
{
    if (!c)
        return;
    ews_transport_free(c->transport);
    if (c->global_ref)
        ews_global_cleanup();
    for (int i = 0; i < c->nstrings; i++) {
        ews_secure_zero(c->strings[i], strlen(c->strings[i]));
        free(c->strings[i]);
    }
    free_list(c->lists[0]);
    free_list(c->lists[1]);
    ews_err_free(&c->err);
    free(c);
}

const ews_error *ews_client_last_error(const ews_client *c)
{
    return c ? &c->err.pub : NULL;
}
