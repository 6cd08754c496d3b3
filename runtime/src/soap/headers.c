#include "soap/headers.h"

#include <string.h>

#include "soapH.h"

static const char *const server_versions[] = {
    "Exchange2007", "Exchange2007_SP1", "Exchange2009", "Exchange2010",
    "Exchange2010_SP1", "Exchange2010_SP2", "Exchange2012", "Exchange2013",
    "Exchange2013_SP1", "Exchange2015", "Exchange2016", "V2015_10_05",
    "V2016_01_06", "V2016_04_13", "V2016_07_13", "V2016_10_10",
    "V2017_01_07", "V2017_04_14", "V2017_07_11", "V2017_10_09",
    "V2018_01_08", NULL
};

const char *const *ews_server_versions(void)
{
    return server_versions;
}

int ews_server_version_rank(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; server_versions[i]; i++)
        if (strcmp(server_versions[i], name) == 0)
            return i;
    return -1;
}

/* xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static int valid_language_tag(const char *s)
{
    size_t run = 0;
    int first = 1;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        int digit = c >= '0' && c <= '9';
        if (c == '-') {
            if (run == 0)
                return 0;
            run = 0;
            first = 0;
        } else if (alpha || (digit && !first)) {
            if (++run > 8)
                return 0;
        } else {
            return 0;
        }
    }
    return run > 0;
}

static int has_control_chars(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            return 1;
    }
    return 0;
}

static int impersonating(const ews_impersonation *imp)
{
    return imp->kind != EWS_IMPERSONATE_INHERIT && imp->kind != EWS_IMPERSONATE_NONE;
}

int ews_headers_validate(const ews_request_headers *h, const char *operation,
                         const char *min_version, ews_err *err)
{
    int rank = ews_server_version_rank(h->server_version);
    if (rank < 0)
        return ews_err_set(err, EWS_EINVAL, "unknown RequestServerVersion '%.64s'",
                           h->server_version ? h->server_version : "(null)");
    if (min_version && rank < ews_server_version_rank(min_version))
        return ews_err_set(err, EWS_EVERSION, "%s needs RequestServerVersion %s or later, not %s",
                           operation, min_version, h->server_version);
    if (h->culture && !valid_language_tag(h->culture))
        return ews_err_set(err, EWS_EINVAL,
                           "MailboxCulture must be a language tag such as en-US");
    if (impersonating(&h->impersonation)) {
        const char *v = h->impersonation.value;
        if (h->impersonation.kind > EWS_IMPERSONATE_SID)
            return ews_err_set(err, EWS_EINVAL, "unknown impersonation kind %d",
                               (int)h->impersonation.kind);
        if (!v || !*v)
            return ews_err_set(err, EWS_EINVAL, "impersonation needs a non-empty value");
        if (has_control_chars(v))
            return ews_err_set(err, EWS_EINVAL,
                               "impersonation value contains control characters");
    }
    return 0;
}

static char *dup_str(struct soap *soap, const char *s)
{
    return soap_strdup(soap, s);
}

int ews_headers_build(struct soap *soap, const ews_request_headers *h,
                      struct SOAP_ENV__Header **out)
{
    struct SOAP_ENV__Header *hdr = soap_new_SOAP_ENV__Header(soap, 1);
    struct _t__RequestServerVersion *rsv = soap_new__t__RequestServerVersion(soap, 1);
    if (!hdr || !rsv)
        return EWS_ENOMEM;
    rsv->Version = dup_str(soap, h->server_version);
    if (!rsv->Version)
        return EWS_ENOMEM;
    hdr->t__RequestServerVersion = rsv;

    if (h->culture) {
        struct t__MailboxCultureType *mc = soap_new_t__MailboxCultureType(soap, 1);
        if (!mc || !(mc->__item = dup_str(soap, h->culture)))
            return EWS_ENOMEM;
        hdr->t__MailboxCulture = mc;
    }

    if (impersonating(&h->impersonation)) {
        struct t__ExchangeImpersonationType *ei = soap_new_t__ExchangeImpersonationType(soap, 1);
        struct t__ConnectingSIDType *sid = soap_new_t__ConnectingSIDType(soap, 1);
        char *v = dup_str(soap, h->impersonation.value);
        if (!ei || !sid || !v)
            return EWS_ENOMEM;
        ei->ConnectingSID = sid;
        switch (h->impersonation.kind) {
        case EWS_IMPERSONATE_PRIMARY_SMTP:
            if (!(sid->PrimarySmtpAddress = soap_new_t__PrimarySmtpAddressType(soap, 1)))
                return EWS_ENOMEM;
            sid->PrimarySmtpAddress->__item = v;
            break;
        case EWS_IMPERSONATE_SMTP:
            if (!(sid->SmtpAddress = soap_new_t__SmtpAddressType(soap, 1)))
                return EWS_ENOMEM;
            sid->SmtpAddress->__item = v;
            break;
        case EWS_IMPERSONATE_PRINCIPAL_NAME:
            if (!(sid->PrincipalName = soap_new_t__PrincipalNameType(soap, 1)))
                return EWS_ENOMEM;
            sid->PrincipalName->__item = v;
            break;
        default:
            if (!(sid->SID = soap_new_t__SIDType(soap, 1)))
                return EWS_ENOMEM;
            sid->SID->__item = v;
            break;
        }
        hdr->t__ExchangeImpersonation = ei;
    }
    *out = hdr;
    return 0;
}
