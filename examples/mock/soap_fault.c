#include "soap_fault.h"

#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "soap/context.h"

#define NS_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define NS_TYPES "http://schemas.microsoft.com/exchange/services/2006/types"
#define NS_ERRORS "http://schemas.microsoft.com/exchange/services/2006/errors"

/* Exchange writes the faultcode as a:<code> with a bound to the types
 * namespace; t is the same namespace again, for the MessageXml values. */
static struct Namespace fault_namespaces[] = {
    { "SOAP-ENV", NS_ENV, NULL, NULL },
    { "a", NS_TYPES, NULL, NULL },
    { "e", NS_ERRORS, NULL, NULL },
    { "t", NS_TYPES, NULL, NULL },
    { NULL, NULL, NULL, NULL }
};

static const struct {
    const char *code;
    const char *text;
} standard_texts[] = {
    { "ErrorIncorrectSchemaVersion",
      "The request is valid but does not specify the correct server version in the "
      "RequestServerVersion SOAP header.  Ensure that the RequestServerVersion SOAP header is "
      "set with the correct RequestServerVersionValue." },
    { "ErrorInvalidServerVersion", "The specified server version is invalid." },
    { "ErrorSchemaValidation", "The request failed schema validation." },
    { "ErrorImpersonateUserDenied",
      "The account does not have permission to impersonate the requested user." },
    { "ErrorNonExistentMailbox", "The SMTP address has no mailbox associated with it." },
    { "ErrorServerBusy", "The server cannot service this request right now. Try again later." },
    { "ErrorInvalidExchangeImpersonationHeaderData",
      "The ExchangeImpersonation SOAP header does not identify a mailbox." },
    { "ErrorInternalServerError", "An internal server error occurred. The operation failed." },
};

static const char *standard_text(const char *code)
{
    for (size_t i = 0; i < sizeof standard_texts / sizeof standard_texts[0]; i++)
        if (strcmp(standard_texts[i].code, code) == 0)
            return standard_texts[i].text;
    return "The request failed.";
}

/* MessageXml is literal XML: the value must be escaped by hand. */
static char *escaped(struct soap *soap, const char *s)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : (*p == '<' || *p == '>') ? 4 : *p == '"' ? 6 : 1;
    char *out = soap_malloc(soap, n);
    if (!out)
        return NULL;
    char *o = out;
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                        : *p == '"' ? "&quot;" : NULL;
        if (rep) {
            size_t k = strlen(rep);
            memcpy(o, rep, k);
            o += k;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

int mock_fault_set(struct soap *soap, const char *code, const char *message,
                   const char *value_name, const char *value)
{
    struct SOAP_ENV__Fault *f = soap_new_SOAP_ENV__Fault(soap, 1);
    struct SOAP_ENV__Detail *d = soap_new_SOAP_ENV__Detail(soap, 1);
    size_t codelen = strlen(code);
    char *faultcode = soap_malloc(soap, codelen + 3);
    if (!f || !d || !faultcode)
        return soap->error = SOAP_EOM;
    snprintf(faultcode, codelen + 3, "a:%s", code);
    f->faultcode = faultcode;
    f->faultstring = soap_strdup(soap, message ? message : standard_text(code));
    d->e__ResponseCode = soap_strdup(soap, code);
    d->e__Message = f->faultstring;
    if (!f->faultstring || !d->e__ResponseCode)
        return soap->error = SOAP_EOM;
    if (value_name && value) {
        struct e__MessageXml *mx = soap_new_e__MessageXml(soap, 1);
        char **any = soap_malloc(soap, sizeof *any);
        char *name = escaped(soap, value_name), *val = escaped(soap, value);
        if (!mx || !any || !name || !val)
            return soap->error = SOAP_EOM;
        size_t n = strlen(name) + strlen(val) + 40;
        if (!(any[0] = soap_malloc(soap, n)))
            return soap->error = SOAP_EOM;
        snprintf(any[0], n, "<t:Value Name=\"%s\">%s</t:Value>", name, val);
        mx->__size = 1;
        mx->__any = any;
        /* In a fault Exchange writes MessageXml in the types namespace
         * (inside a response message it is m:MessageXml): public captures
         * of ErrorServerBusy show t:MessageXml, and exchangelib reads only
         * that form. */
        d->t__MessageXml = mx;
    }
    f->detail = d;
    soap->fault = f;
    return soap->error = SOAP_FAULT;
}

int mock_fault_write(struct soap *soap, ews_buf *out)
{
    ews_soap_io io;
    ews_buf_clear(out);
    ews_soap_write_to(soap, &io, out);
    /* Faults go out as SOAP 1.1 whatever came in. The version must be set
     * before the table: changing it later rewrites the table's entries. */
    soap->version = 1;
    soap_set_namespaces(soap, fault_namespaces);
    soap->header = NULL; /* Exchange sends faults without a header */
    soap->encodingStyle = NULL;
    soap->error = SOAP_OK;
    soap_serializefault(soap);
    if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_body_begin_out(soap) ||
        soap_putfault(soap) || soap_body_end_out(soap) || soap_envelope_end_out(soap) ||
        soap_end_send(soap))
        return -1;
    return 0;
}

int mock_fault_standalone(ews_buf *out, const char *code, const char *message,
                          const char *value_name, const char *value)
{
    struct soap *soap = ews_soap_new();
    if (!soap)
        return -1;
    int rc = mock_fault_set(soap, code, message, value_name, value) == SOAP_FAULT
                 ? mock_fault_write(soap, out)
                 : -1;
    ews_soap_free(soap);
    return rc;
}
