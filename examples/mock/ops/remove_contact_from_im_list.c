/* RemoveContactFromImList: removes a contact from the list and from every
 * group. */
#include "imlist_edit.h"
#include "service_ops.h"

static const mock_ews_error *remove_it(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    (void)soap;
    struct t__PersonaType *p = imlist_find_contact(l, arg);
    if (!p)
        return &MOCK_ERR_ITEM_NOT_FOUND;
    imlist_remove_persona(l, p);
    return NULL;
}

int __m__RemoveContactFromImList(struct soap *soap, struct m__RemoveContactFromImListType *req,
                                 struct __m__RemoveContactFromImListResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require_id(soap, req->ContactId, "ContactId");
    if (rc)
        return rc;
    const mock_ews_error *err = mock_check_id(req->ContactId);
    if (!err)
        err = mock_service_change(soap, m, remove_it, req->ContactId->Id);
    struct m__RemoveContactFromImListResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, RemoveContactFromImList, err, msg))
        return soap->error;
    resp->m__RemoveContactFromImListResponse = msg;
    return SOAP_OK;
}
