/* RemoveImContactFromGroup: takes a contact out of one group; it stays on
 * the IM list. */
#include "imlist_edit.h"
#include "service_ops.h"

typedef struct remove_member {
    const char *contact_id;
    const char *group_id;
} remove_member;

static const mock_ews_error *remove_it(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    (void)soap;
    remove_member *r = arg;
    struct t__PersonaType *p = imlist_find_contact(l, r->contact_id);
    if (!p)
        return &MOCK_ERR_INVALID_IM_CONTACT_ID;
    struct t__ImGroupType *g = imlist_find_group(l, r->group_id);
    if (!g)
        return &MOCK_ERR_INVALID_IM_GROUP_ID;
    if (group_remove_member(g, p) == 0)
        return &MOCK_ERR_NOT_IN_GROUP;
    return NULL;
}

int __m__RemoveImContactFromGroup(struct soap *soap, struct m__RemoveImContactFromGroupType *req,
                                  struct __m__RemoveImContactFromGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require_id(soap, req->ContactId, "ContactId");
    if (!rc)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (rc)
        return rc;
    remove_member r = { req->ContactId->Id, req->GroupId->Id };
    const mock_ews_error *err = mock_check_id(req->ContactId);
    if (!err)
        err = mock_check_id(req->GroupId);
    if (!err)
        err = mock_service_change(soap, m, remove_it, &r);
    struct m__RemoveImContactFromGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, RemoveImContactFromGroup, err, msg))
        return soap->error;
    resp->m__RemoveImContactFromGroupResponse = msg;
    return SOAP_OK;
}
