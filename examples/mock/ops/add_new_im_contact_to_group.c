/* AddNewImContactToGroup: a contact for an IM address, put in a group. An
 * address already on the list is that contact, not a second one. */
#include "imlist_edit.h"
#include "im_new.h"
#include "service_ops.h"

typedef struct add_contact {
    const struct m__AddNewImContactToGroupType *req;
    struct t__PersonaType *made;
} add_contact;

static const mock_ews_error *add(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    add_contact *a = arg;
    struct t__ImGroupType *g;
    if (imlist_contact_group(l, a->req->GroupId ? a->req->GroupId->Id : NULL, &g))
        return &MOCK_ERR_INVALID_IM_GROUP_ID;
    a->made = imlist_find_im_address(l, a->req->ImAddress);
    if (!a->made) {
        if (imlist_persona_count(l) >= MOCK_MAX_IM_CONTACTS)
            return &MOCK_ERR_CONTACT_LIMIT;
        a->made = mock_new_im_contact(soap, l, a->req->ImAddress, a->req->DisplayName);
        if (!a->made || imlist_add_persona(soap, l, a->made))
            return &MOCK_ERR_INTERNAL;
    }
    if (g && !group_has_member(g, a->made) && group_add_member(soap, g, a->made))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__AddNewImContactToGroup(struct soap *soap, struct m__AddNewImContactToGroupType *req,
                                struct __m__AddNewImContactToGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require(soap, req->ImAddress, "ImAddress");
    if (!rc && req->GroupId)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (rc)
        return rc;
    add_contact a = { req, NULL };
    const mock_ews_error *err = req->GroupId ? mock_check_id(req->GroupId) : NULL;
    if (!err)
        err = mock_service_change(soap, m, add, &a);
    struct m__AddNewImContactToGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, AddNewImContactToGroup, err, msg))
        return soap->error;
    msg->Persona = err ? NULL : a.made;
    resp->m__AddNewImContactToGroupResponse = msg;
    return SOAP_OK;
}
