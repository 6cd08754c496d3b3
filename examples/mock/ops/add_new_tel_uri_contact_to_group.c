/* AddNewTelUriContactToGroup: a contact for a telephone number, put in a
 * group. */
#include "imlist_edit.h"
#include "im_new.h"
#include "service_ops.h"

typedef struct add_tel {
    const struct m__AddNewTelUriContactToGroupType *req;
    struct t__PersonaType *made;
} add_tel;

static const mock_ews_error *add(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    add_tel *a = arg;
    struct t__ImGroupType *g;
    /* This operation's reference page answers ErrorItemNotFound where the
     * others say ErrorInvalidImGroupId. */
    if (imlist_contact_group(l, a->req->GroupId ? a->req->GroupId->Id : NULL, &g))
        return &MOCK_ERR_ITEM_NOT_FOUND;
    if (imlist_persona_count(l) >= MOCK_MAX_IM_CONTACTS)
        return &MOCK_ERR_CONTACT_LIMIT;
    a->made = mock_new_tel_contact(soap, l, a->req->ImTelephoneNumber);
    if (!a->made || imlist_add_persona(soap, l, a->made) ||
        (g && group_add_member(soap, g, a->made)))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__AddNewTelUriContactToGroup(struct soap *soap,
                                    struct m__AddNewTelUriContactToGroupType *req,
                                    struct __m__AddNewTelUriContactToGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require(soap, req->TelUriAddress, "TelUriAddress");
    if (!rc)
        rc = mock_service_require(soap, req->ImContactSipUriAddress, "ImContactSipUriAddress");
    if (!rc)
        rc = mock_service_require(soap, req->ImTelephoneNumber, "ImTelephoneNumber");
    if (!rc && req->GroupId)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (rc)
        return rc;
    add_tel a = { req, NULL };
    const mock_ews_error *err = req->GroupId ? mock_check_id(req->GroupId) : NULL;
    if (!err)
        err = mock_service_change(soap, m, add, &a);
    struct m__AddNewTelUriContactToGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, AddNewTelUriContactToGroup, err, msg))
        return soap->error;
    msg->Persona = err ? NULL : a.made;
    resp->m__AddNewTelUriContactToGroupResponse = msg;
    return SOAP_OK;
}
