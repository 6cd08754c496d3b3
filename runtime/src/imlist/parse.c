/* An IM-list operation's response -> ews_imlist. */
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "imlist/imops.h"
#include "imlist/imlist.h"

static void deviation(ews_err *err, const char *element, const char *what)
{
    /* Named like the parser's own strict failures, so callers can grep. */
    ews_err_set(err, EWS_ESTRICT,
                "response does not conform to the EWS schema at element '%s': %s", element, what);
    ews_err_field_set(err, EWS_ERRF_ELEMENT, element);
}

/* The Address spelling inside the attributed e-mail values (Microsoft's
 * AddNewImContactToGroup example has it in Emails1). */
static int attributed_email_deviation(const struct t__PersonaType *p, ews_err *err)
{
    const struct t__ArrayOfEmailAddressAttributedValuesType *lists[] = { p->Emails1, p->Emails2,
                                                                         p->Emails3 };
    static const char *const where[] = {
        "Persona/Emails1/EmailAddressAttributedValue/Value/Address",
        "Persona/Emails2/EmailAddressAttributedValue/Value/Address",
        "Persona/Emails3/EmailAddressAttributedValue/Value/Address",
    };
    for (int k = 0; k < 3; k++)
        for (int i = 0; lists[k] && i < lists[k]->__sizeEmailAddressAttributedValue; i++) {
            const struct t__EmailAddressType *v = lists[k]->EmailAddressAttributedValue[i].Value;
            if (v && v->Address) {
                deviation(err, where[k],
                          "an attributed e-mail address holds an Address element where the "
                          "schema says EmailAddress");
                return 1;
            }
        }
    return 0;
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
        if (attributed_email_deviation(p, err))
            return EWS_ESTRICT;
    }
    return 0;
}

/* One-element arrays around a created group or persona, so that one index
 * builder serves every result. They live on the list's soap heap. */
static int wrap_created(ews_imlist *l, const ews_im_view *r)
{
    if (r->group) {
        struct t__ArrayOfImGroupType *a = soap_malloc(l->soap, sizeof *a);
        struct __t__union_ArrayOfImGroupType *u = soap_malloc(l->soap, sizeof *u);
        if (!a || !u)
            return EWS_ENOMEM;
        u->ImGroup = r->group;
        a->__size_ArrayOfImGroupType = 1;
        a->__union_ArrayOfImGroupType = u;
        l->groups_in = a;
    }
    if (r->persona) {
        struct t__ArrayOfPeopleType *a = soap_malloc(l->soap, sizeof *a);
        struct __t__union_ArrayOfPeopleType *u = soap_malloc(l->soap, sizeof *u);
        if (!a || !u)
            return EWS_ENOMEM;
        u->Persona = r->persona;
        a->__size_ArrayOfPeopleType = 1;
        a->__union_ArrayOfPeopleType = u;
        l->people_in = a;
    }
    return 0;
}

/* Points the list at what the response carries. A success that lacks the
 * object the operation creates is not an answer the caller can use. */
static int take_result(ews_imlist *l, const ews_im_op *op, ews_err *err)
{
    ews_im_view v = { 0 };
    if (op->view)
        op->view(l->resp, &v);
    switch (op->result) {
    case EWS_IM_RESULT_NONE:
        return 0;
    case EWS_IM_RESULT_LIST:
        l->groups_in = v.groups;
        l->people_in = v.people;
        return 0;
    case EWS_IM_RESULT_GROUP:
        if (!v.group && !l->response->has_warning)
            return ews_err_set(err, EWS_EPARSE, "%s succeeded but its response holds no ImGroup",
                               op->desc->op.name);
        break;
    case EWS_IM_RESULT_PERSONA:
        if (!v.persona && !l->response->has_warning)
            return ews_err_set(err, EWS_EPARSE, "%s succeeded but its response holds no Persona",
                               op->desc->op.name);
        break;
    }
    if (wrap_created(l, &v))
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    return 0;
}

int ews_imlist_from_response(ews_imlist **out, const ews_im_op *op, ews_response *r,
                             const ews_limits *lim, ews_err *err)
{
    *out = NULL;
    ews_imlist *l = calloc(1, sizeof *l);
    if (!l) {
        ews_response_free(r);
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    }
    ews_arena_init(&l->arena, 0);
    l->response = r;
    l->soap = r->soap;
    l->resp = r->payload;
    int rc = take_result(l, op, err);
    if (rc)
        goto fail;
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

static int parse_as(ews_imlist **out, const ews_im_op *op, const char *data, size_t len,
                    int consumable, const ews_limits *lim, ews_err *err)
{
    ews_response *r = NULL;
    *out = NULL;
    int rc = ews_response_parse(&r, op->desc, data, len, consumable, lim, err);
    return rc ? rc : ews_imlist_from_response(out, op, r, lim, err);
}

int ews_imlist_parse_as(ews_imlist **out, const ews_im_op *op, const char *data, size_t len,
                        const ews_limits *lim, ews_err *err)
{
    return parse_as(out, op, data, len, 0, lim, err);
}

int ews_imlist_parse_consuming(ews_imlist **out, const char *data, size_t len,
                               const ews_limits *lim, ews_err *err)
{
    return parse_as(out, &ews_im_get_im_item_list, data, len, 1, lim, err);
}

int ews_imlist_parse(ews_imlist **out, const char *data, size_t len, const ews_limits *lim,
                     ews_err *err)
{
    return ews_imlist_parse_as(out, &ews_im_get_im_item_list, data, len, lim, err);
}
