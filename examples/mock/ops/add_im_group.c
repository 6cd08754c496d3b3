/* AddImGroup: a new user group. */
#include "imlist_edit.h"
#include "im_new.h"
#include "service_ops.h"

typedef struct add_group {
    const char *name;
    struct t__ImGroupType *made;
} add_group;

static const mock_ews_error *add(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    add_group *a = arg;
    if (imlist_find_group_named(l, a->name, NULL))
        return &MOCK_ERR_GROUP_NAME_EXISTS;
    if (imlist_group_count(l) >= MOCK_MAX_IM_GROUPS)
        return &MOCK_ERR_GROUP_LIMIT;
    a->made = mock_new_group(soap, l, a->name, MOCK_GROUP_USER, NULL);
    if (!a->made || imlist_add_group(soap, l, a->made))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__AddImGroup(struct soap *soap, struct m__AddImGroupType *req,
                    struct __m__AddImGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require(soap, req->DisplayName, "DisplayName");
    if (rc)
        return rc;
    add_group a = { req->DisplayName, NULL };
    const mock_ews_error *err = mock_service_change(soap, m, add, &a);
    struct m__AddImGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, AddImGroup, err, msg))
        return soap->error;
    msg->ImGroup = err ? NULL : a.made;
    resp->m__AddImGroupResponse = msg;
    return SOAP_OK;
}
