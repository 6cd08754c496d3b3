/* RemoveImGroup: removes a group; its contacts stay on the IM list (the
 * personas are removed by RemoveContactFromImList). */
#include "imlist_edit.h"
#include "service_ops.h"

static const mock_ews_error *remove_it(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    (void)soap;
    struct t__ImGroupType *g = imlist_find_group(l, arg);
    /* Distribution groups go with RemoveDistributionGroupFromImList. */
    if (!g || imlist_group_is(g, MOCK_GROUP_DL))
        return &MOCK_ERR_INVALID_IM_GROUP_ID;
    imlist_remove_group(l, g);
    return NULL;
}

int __m__RemoveImGroup(struct soap *soap, struct m__RemoveImGroupType *req,
                       struct __m__RemoveImGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (rc)
        return rc;
    const mock_ews_error *err = mock_check_id(req->GroupId);
    if (!err)
        err = mock_service_change(soap, m, remove_it, req->GroupId->Id);
    struct m__RemoveImGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, RemoveImGroup, err, msg))
        return soap->error;
    resp->m__RemoveImGroupResponse = msg;
    return SOAP_OK;
}
