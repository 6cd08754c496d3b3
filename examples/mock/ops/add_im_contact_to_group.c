/* AddImContactToGroup: puts a contact already on the list in a group. */
#include "imlist_edit.h"
#include "service_ops.h"

typedef struct add_member {
    const char *contact_id;
    const char *group_id;     /* NULL: the Other Contacts group, if any */
} add_member;

static const mock_ews_error *add(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    add_member *a = arg;
    struct t__PersonaType *p = imlist_find_contact(l, a->contact_id);
    if (!p)
        return &MOCK_ERR_INVALID_IM_CONTACT_ID;
    struct t__ImGroupType *g;
    if (imlist_contact_group(l, a->group_id, &g))
        return &MOCK_ERR_INVALID_IM_GROUP_ID;
    if (g && !group_has_member(g, p) && group_add_member(soap, g, p))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__AddImContactToGroup(struct soap *soap, struct m__AddImContactToGroupType *req,
                             struct __m__AddImContactToGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require_id(soap, req->ContactId, "ContactId");
    if (!rc && req->GroupId)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (rc)
        return rc;
    add_member a = { req->ContactId->Id, req->GroupId ? req->GroupId->Id : NULL };
    const mock_ews_error *err = mock_check_id(req->ContactId);
    if (!err && req->GroupId)
        err = mock_check_id(req->GroupId);
    if (!err)
        err = mock_service_change(soap, m, add, &a);
    struct m__AddImContactToGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, AddImContactToGroup, err, msg))
        return soap->error;
    resp->m__AddImContactToGroupResponse = msg;
    return SOAP_OK;
}
