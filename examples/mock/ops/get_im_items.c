/* GetImItems: the named contacts and groups; ids the list does not hold
 * are left out, as of a store that no longer has them. */
#include "imlist_edit.h"
#include "service_ops.h"

static size_t id_count(const struct t__NonEmptyArrayOfBaseItemIdsType *ids)
{
    return ids && ids->__size_NonEmptyArrayOfBaseItemIdsType > 0
               ? (size_t)ids->__size_NonEmptyArrayOfBaseItemIdsType
               : 0;
}

/* Only ItemId names an IM item; the other choices (occurrences, recurring
 * masters) are calendar ids, malformed here. */
static const mock_ews_error *check_ids(const struct t__NonEmptyArrayOfBaseItemIdsType *ids)
{
    for (size_t i = 0; i < id_count(ids); i++) {
        const struct t__ItemIdType *id = ids->__union_NonEmptyArrayOfBaseItemIdsType[i].ItemId;
        const mock_ews_error *err = id ? mock_check_id(id) : &MOCK_ERR_ID_MALFORMED;
        if (err)
            return err;
    }
    return NULL;
}

/* The answer points into v's list, which the request holds until sent. */
static int select_groups(struct soap *soap, const struct t__ImItemListType *l,
                         const struct t__NonEmptyArrayOfBaseItemIdsType *ids,
                         struct t__ArrayOfImGroupType **out)
{
    size_t n = id_count(ids), k = 0;
    struct t__ArrayOfImGroupType *a = soap_new_t__ArrayOfImGroupType(soap, 1);
    struct __t__union_ArrayOfImGroupType *u =
        n ? soap_new___t__union_ArrayOfImGroupType(soap, (int)n) : NULL;
    if (!a || (n && !u))
        return SOAP_EOM;
    for (size_t i = 0; i < n; i++) {
        struct t__ImGroupType *g =
            imlist_find_group(l, ids->__union_NonEmptyArrayOfBaseItemIdsType[i].ItemId->Id);
        int dup = 0;
        for (size_t j = 0; g && j < k; j++)
            dup |= u[j].ImGroup == g;
        if (g && !dup)
            u[k++].ImGroup = g;
    }
    a->__size_ArrayOfImGroupType = (int)k;
    a->__union_ArrayOfImGroupType = u;
    *out = a;
    return SOAP_OK;
}

static int select_personas(struct soap *soap, const struct t__ImItemListType *l,
                           const struct t__NonEmptyArrayOfBaseItemIdsType *ids,
                           struct t__ArrayOfPeopleType **out)
{
    size_t n = id_count(ids), k = 0;
    struct t__ArrayOfPeopleType *a = soap_new_t__ArrayOfPeopleType(soap, 1);
    struct __t__union_ArrayOfPeopleType *u =
        n ? soap_new___t__union_ArrayOfPeopleType(soap, (int)n) : NULL;
    if (!a || (n && !u))
        return SOAP_EOM;
    for (size_t i = 0; i < n; i++) {
        struct t__PersonaType *p =
            imlist_find_contact(l, ids->__union_NonEmptyArrayOfBaseItemIdsType[i].ItemId->Id);
        int dup = 0;
        for (size_t j = 0; p && j < k; j++)
            dup |= u[j].Persona == p;
        if (p && !dup)
            u[k++].Persona = p;
    }
    a->__size_ArrayOfPeopleType = (int)k;
    a->__union_ArrayOfPeopleType = u;
    *out = a;
    return SOAP_OK;
}

int __m__GetImItems(struct soap *soap, struct m__GetImItemsType *req,
                    struct __m__GetImItemsResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (rc)
        return rc;
    /* ExtendedProperties asks for MAPI properties the mock does not keep;
     * what a group carries is served as it is. */
    const mock_ews_error *err = check_ids(req->ContactIds);
    if (!err)
        err = check_ids(req->GroupIds);
    struct t__ImItemListType *items = NULL;
    if (!err) {
        mock_list_version *v = mailbox_acquire(m);
        mock_service_hold(soap, m, v);
        if (!(items = soap_new_t__ImItemListType(soap, 1)) ||
            select_groups(soap, v->list, req->GroupIds, &items->Groups) ||
            select_personas(soap, v->list, req->ContactIds, &items->Personas))
            return soap->error = SOAP_EOM;
    }
    struct m__GetImItemsResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, GetImItems, err, msg))
        return soap->error;
    msg->ImItemList = items;
    resp->m__GetImItemsResponse = msg;
    return SOAP_OK;
}
