/* The one error module: the public tables of EWS_E... codes and EWS
 * ResponseCode strings (names, messages, categories), and the detailed,
 * per-handle error record behind ews_error. */
#include "core/error.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct code_entry {
    int code;
    ews_error_category category;
    const char *name;
    const char *message;
} code_entry;

static const code_entry codes[] = {
#define EWS_X_ENTRY_(name, value, cat, msg) { value, EWS_CAT_##cat, "EWS_" #name, msg },
    EWS_ERRNO_MAP(EWS_X_ENTRY_)
#undef EWS_X_ENTRY_
};

static const code_entry *find_code(int code)
{
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].code == code)
            return &codes[i];
    return NULL;
}

const char *ews_err_name(int code)
{
    const code_entry *e = find_code(code);
    return e ? e->name : "EWS_EUNKNOWN";
}

const char *ews_strerror(int code)
{
    const code_entry *e = find_code(code);
    return e ? e->message : "unknown error";
}

ews_error_category ews_err_category(int code)
{
    const code_entry *e = find_code(code);
    return e ? e->category : EWS_CAT_PERMANENT;
}

const char *ews_category_name(ews_error_category cat)
{
    switch (cat) {
    case EWS_CAT_OK: return "ok";
    case EWS_CAT_RETRYABLE: return "retryable";
    case EWS_CAT_AUTH: return "auth";
    case EWS_CAT_PERMANENT: return "permanent";
    case EWS_CAT_VERSION: return "version";
    case EWS_CAT_CONFIG: return "config";
    case EWS_CAT_TRANSPORT: return "transport";
    case EWS_CAT_INVALID_RESPONSE: return "invalid_response";
    }
    return "unknown";
}

/* ResponseCodes whose category is not "permanent". Sorted for bsearch. The
 * schema lists 500+ codes and grows with each release; everything not here
 * is permanent, and the raw string is always kept for the caller. */
typedef struct rc_entry {
    const char *code;
    ews_error_category category;
} rc_entry;

static const rc_entry response_codes[] = {
    { "ErrorADUnavailable", EWS_CAT_RETRYABLE },
    { "ErrorAccessDenied", EWS_CAT_AUTH },
    { "ErrorAccountDisabled", EWS_CAT_AUTH },
    { "ErrorConnectionFailed", EWS_CAT_RETRYABLE },
    { "ErrorExceededConnectionCount", EWS_CAT_RETRYABLE },
    { "ErrorImpersonateUserDenied", EWS_CAT_AUTH },
    { "ErrorImpersonationDenied", EWS_CAT_AUTH },
    { "ErrorImpersonationFailed", EWS_CAT_AUTH },
    { "ErrorIncorrectSchemaVersion", EWS_CAT_VERSION },
    { "ErrorInternalServerTransientError", EWS_CAT_RETRYABLE },
    { "ErrorInvalidExchangeImpersonationHeaderData", EWS_CAT_CONFIG },
    { "ErrorInvalidSchemaVersionForMailboxVersion", EWS_CAT_VERSION },
    { "ErrorInvalidServerVersion", EWS_CAT_VERSION },
    { "ErrorInvalidSid", EWS_CAT_CONFIG },
    { "ErrorInvalidSmtpAddress", EWS_CAT_CONFIG },
    { "ErrorInvalidUserSid", EWS_CAT_CONFIG },
    { "ErrorInvalidUserSidMissingUPN", EWS_CAT_CONFIG },
    { "ErrorMailboxFailover", EWS_CAT_RETRYABLE },
    { "ErrorMailboxLogonFailed", EWS_CAT_RETRYABLE },
    { "ErrorMailboxMoveInProgress", EWS_CAT_RETRYABLE },
    { "ErrorMailboxStoreUnavailable", EWS_CAT_RETRYABLE },
    { "ErrorNoApplicableProxyCASServersAvailable", EWS_CAT_RETRYABLE },
    { "ErrorProxyTokenExpired", EWS_CAT_AUTH },
    { "ErrorServerBusy", EWS_CAT_RETRYABLE },
    { "ErrorServiceUnavailable", EWS_CAT_RETRYABLE },
    { "ErrorTimeoutExpired", EWS_CAT_RETRYABLE },
    { "ErrorTokenSerializationDenied", EWS_CAT_AUTH },
    { "ErrorUnsupportedCulture", EWS_CAT_CONFIG },
    { "ErrorWrongServerVersion", EWS_CAT_VERSION },
    { "ErrorWrongServerVersionDelegate", EWS_CAT_VERSION },
};

static int rc_cmp(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const rc_entry *)elem)->code);
}

ews_error_category ews_response_code_category(const char *response_code)
{
    if (!response_code || !*response_code)
        return EWS_CAT_PERMANENT;
    if (strcmp(response_code, "NoError") == 0)
        return EWS_CAT_OK;
    const rc_entry *e = bsearch(response_code, response_codes,
                                sizeof response_codes / sizeof response_codes[0],
                                sizeof response_codes[0], rc_cmp);
    return e ? e->category : EWS_CAT_PERMANENT;
}

/* ---- the per-handle record ---------------------------------------------- */

static const char **field_slot(ews_error *p, ews_err_field f)
{
    switch (f) {
    case EWS_ERRF_MESSAGE: return &p->message;
    case EWS_ERRF_FAULTCODE: return &p->soap_faultcode;
    case EWS_ERRF_FAULTSTRING: return &p->soap_faultstring;
    case EWS_ERRF_RESPONSE_CLASS: return &p->response_class;
    case EWS_ERRF_RESPONSE_CODE: return &p->response_code;
    case EWS_ERRF_MESSAGE_TEXT: return &p->message_text;
    case EWS_ERRF_CLIENT_REQUEST_ID: return &p->client_request_id;
    case EWS_ERRF_SERVER_REQUEST_ID: return &p->server_request_id;
    case EWS_ERRF_BACKEND_STATUS: return &p->backend_http_status;
    case EWS_ERRF_ELEMENT: return &p->element;
    case EWS_ERRF_COUNT_: break;
    }
    return NULL;
}

void ews_err_init(ews_err *e)
{
    memset(e, 0, sizeof *e);
    e->pub.message = ews_strerror(0);
    e->pub.back_off_ms = -1;
}

void ews_err_reset(ews_err *e)
{
    ews_err_free(e);
    ews_err_init(e);
}

void ews_err_free(ews_err *e)
{
    for (int i = 0; i < EWS_ERRF_COUNT_; i++) {
        free(e->owned[i]);
        e->owned[i] = NULL;
    }
}

void ews_err_field_set(ews_err *e, ews_err_field f, const char *value)
{
    const char **slot = field_slot(&e->pub, f);
    if (!slot)
        return;
    char *copy = value ? strdup(value) : NULL;
    if (copy) /* a value cut at a byte limit may end inside a character */
        ews_utf8_scrub(copy);
    else if (value)
        e->incomplete = 1;
    free(e->owned[f]);
    e->owned[f] = copy;
    *slot = copy;
    if (f == EWS_ERRF_MESSAGE && !copy)
        *slot = ews_strerror(e->pub.code);
}

int ews_err_set(ews_err *e, int code, const char *fmt, ...)
{
    e->pub.code = code;
    e->pub.category = ews_err_category(code);
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ews_err_field_set(e, EWS_ERRF_MESSAGE, n >= 0 ? line : NULL);
    return code;
}

/* Text the record quotes and may have cut (see ews_err_mask). */
static int is_prose(ews_err_field f)
{
    return f == EWS_ERRF_MESSAGE || f == EWS_ERRF_FAULTSTRING || f == EWS_ERRF_MESSAGE_TEXT;
}

void ews_err_mask(ews_err *e, const char *secret)
{
    size_t n = secret ? strlen(secret) : 0;
    if (!n)
        return;
    for (int f = 0; f < EWS_ERRF_COUNT_; f++) {
        char *s = e->owned[f];
        if (!s)
            continue;
        if (!is_prose((ews_err_field)f)) {
            /* Ids and codes are kept exactly as sent, or not at all: one
             * that carries a secret long enough not to be there by chance
             * is withheld. */
            if (n >= EWS_MASK_MIN_LEN && strstr(s, secret))
                ews_err_field_set(e, (ews_err_field)f, NULL);
            continue;
        }
        for (char *hit = s; (hit = strstr(hit, secret)) != NULL; hit += n)
            memset(hit, '*', n);
        /* Only the message is ever cut (at 511 bytes, or a quote at its
         * precision), and always at its end; a shorter tail is as likely
         * the text's own. */
        if (f != EWS_ERRF_MESSAGE)
            continue;
        size_t len = strlen(s);
        for (size_t k = n - 1 < len ? n - 1 : len; k >= EWS_MASK_MIN_LEN; k--)
            if (memcmp(s + len - k, secret, k) == 0) {
                memset(s + len - k, '*', k);
                break;
            }
    }
}

int ews_err_copy(ews_err *dst, const ews_err *src)
{
    ews_err_reset(dst);
    dst->pub = src->pub;
    int rc = 0;
    /* Every slot, even after a failed copy: none may keep pointing into src,
     * which the caller may free first. */
    for (int f = 0; f < EWS_ERRF_COUNT_; f++) {
        const char **slot = field_slot(&dst->pub, (ews_err_field)f);
        *slot = NULL;
        if (src->owned[f]) {
            ews_err_field_set(dst, (ews_err_field)f, src->owned[f]);
            if (!dst->owned[f])
                rc = EWS_ENOMEM;
        }
    }
    if (!dst->pub.message)
        dst->pub.message = src->pub.message; /* static string */
    dst->incomplete |= src->incomplete;
    return rc;
}
