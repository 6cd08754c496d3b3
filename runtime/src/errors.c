/* Public error tables: names, messages, categories of EWS_E... codes and of
 * EWS ResponseCode strings. */
#include <stdlib.h>
#include <string.h>

#include "ews/errors.h"

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
