/* GetImItemList: the whole IM list of the mailbox. */
#include "service_ops.h"

int __m__GetImItemList(struct soap *soap, struct m__GetImItemListType *req,
                       struct __m__GetImItemListResponse *resp)
{
    (void)req; /* GetImItemList has no parameters */
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (rc)
        return rc;
    mock_list_version *v = mailbox_acquire(m);
    mock_service_hold(soap, m, v);
    struct m__GetImItemListResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, GetImItemList, NULL, msg))
        return soap->error;
    msg->ImItemList = v->list;
    resp->m__GetImItemListResponse = msg;
    return SOAP_OK;
}
