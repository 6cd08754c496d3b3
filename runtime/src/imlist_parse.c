/* GetImItemList response: envelope -> ews_imlist. */
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "envelope.h"
#include "imlist_internal.h"

static const char operation[] = "GetImItemList";

static int read_body(struct soap *soap, void *result)
{
    struct __m__GetImItemListResponse *r = result;
    soap_default___m__GetImItemListResponse(soap, r);
    soap_get___m__GetImItemListResponse(soap, r, "-m:GetImItemListResponse", NULL);
    return soap->error;
}

static void take_server_version(ews_imlist *l)
{
    const struct SOAP_ENV__Header *h = l->soap->header;
    const struct _t__ServerVersionInfo *v = h ? h->t__ServerVersionInfo : NULL;
    if (!v)
        return;
    l->has_server_version = 1;
    l->server_version.major_version = v->MajorVersion ? *v->MajorVersion : -1;
    l->server_version.minor_version = v->MinorVersion ? *v->MinorVersion : -1;
    l->server_version.major_build = v->MajorBuildNumber ? *v->MajorBuildNumber : -1;
    l->server_version.minor_build = v->MinorBuildNumber ? *v->MinorBuildNumber : -1;
    l->server_version.version = v->Version;
}

static void deviation(ews_err *err, const char *element, const char *what)
{
    /* Named like the parser's own strict failures, so callers can grep. */
    ews_err_set(err, EWS_ESTRICT,
                "response does not conform to the EWS schema at element '%s': %s", element, what);
    ews_err_field_set(err, EWS_ERRF_ELEMENT, element);
}

int ews_imlist_check_deviations(const ews_imlist *l, ews_err *err)
{
    for (size_t i = 0; i < l->persona_count; i++) {
        const struct t__PersonaType *p = l->personas[i].raw;
        const struct t__ArrayOfEmailAddressesType *all = p->EmailAddresses;
        if (all && all->__sizeEmailAddress > 0) {
            deviation(err, "Persona/EmailAddresses/EmailAddress",
                      "Persona/EmailAddresses holds EmailAddress elements where the schema "
                      "allows only Address");
            return EWS_ESTRICT;
        }
        if (p->EmailAddress && p->EmailAddress->Address) {
            deviation(err, "Persona/EmailAddress/Address",
                      "Persona/EmailAddress holds an Address element where the schema "
                      "says EmailAddress");
            return EWS_ESTRICT;
        }
        for (int k = 0; all && k < all->__sizeAddress; k++)
            if (all->Address[k].Address) {
                deviation(err, "Persona/EmailAddresses/Address/Address",
                          "an e-mail address holds an Address element where the schema "
                          "says EmailAddress");
                return EWS_ESTRICT;
            }
    }
    return 0;
}

int ews_imlist_parse(ews_imlist **out, const char *data, size_t len, const ews_limits *lim,
                     ews_err *err)
{
    *out = NULL;
    ews_imlist *l = calloc(1, sizeof *l);
    if (!l)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    ews_err_init(&l->warning);
    ews_arena_init(&l->arena, 0);
    l->soap = ews_soap_new();
    if (!l->soap) {
        ews_imlist_free(l);
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    }

    struct __m__GetImItemListResponse r;
    int rc = ews_envelope_read(l->soap, data, len, lim, read_body, &r, operation, err);
    if (rc)
        goto fail;
    if (!r.m__GetImItemListResponse) {
        rc = ews_err_set(err, EWS_EPARSE, "GetImItemList response has no GetImItemListResponse");
        goto fail;
    }
    l->resp = r.m__GetImItemListResponse;
    take_server_version(l);

    ews_response_status st;
    EWS_RESPONSE_STATUS(l->resp, __GetImItemListResponseMessageType_sequence, &st);
    if (st.response_class == t__ResponseClassType__Error) {
        rc = ews_response_status_to_err(&st, operation, err);
        goto fail;
    }
    if (st.response_class == t__ResponseClassType__Warning) {
        ews_response_status_to_err(&st, operation, &l->warning);
        l->has_warning = 1;
        /* A warning that lost its text to a failed copy is not the answer. */
        if (l->warning.incomplete) {
            rc = ews_err_set(err, EWS_ENOMEM, "out of memory keeping the warning");
            goto fail;
        }
    }

    rc = ews_imlist_build_index(l);
    if (rc) {
        ews_err_set(err, rc, rc == EWS_ENOMEM ? "out of memory indexing the IM list"
                                              : "could not index the IM list");
        goto fail;
    }
    if (lim->strict && (rc = ews_imlist_check_deviations(l, err)))
        goto fail;
    *out = l;
    return 0;
fail:
    ews_imlist_free(l);
    return rc;
}
