/* RemoveDistributionGroupFromImList: the counterpart of
 * AddDistributionGroupToImList. */
#include "imlist_edit.h"
#include "service_ops.h"

static const mock_ews_error *remove_it(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    (void)soap;
    struct t__ImGroupType *g = imlist_find_group(l, arg);
    if (!g || !imlist_group_is(g, MOCK_GROUP_DL))
        return &MOCK_ERR_ITEM_NOT_FOUND;
    imlist_remove_group(l, g);
    return NULL;
}

int __m__RemoveDistributionGroupFromImList(
    struct soap *soap, struct m__RemoveDistributionGroupFromImListType *req,
    struct __m__RemoveDistributionGroupFromImListResponse *resp)
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
    struct m__RemoveDistributionGroupFromImListResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, RemoveDistributionGroupFromImList, err, msg))
        return soap->error;
    resp->m__RemoveDistributionGroupFromImListResponse = msg;
    return SOAP_OK;
}
