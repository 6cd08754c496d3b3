/* SetImGroup: renames a group. */
#include <string.h>

#include "imlist_edit.h"
#include "service_ops.h"

typedef struct rename_group {
    const char *id;
    const char *name;
} rename_group;

static const mock_ews_error *rename_it(struct soap *soap, struct t__ImItemListType *l,
                                       void *arg)
{
    rename_group *r = arg;
    struct t__ImGroupType *g = imlist_find_group(l, r->id);
    /* A distribution group's name is the directory's, not the user's. */
    if (!g || imlist_group_is(g, MOCK_GROUP_DL))
        return &MOCK_ERR_INVALID_IM_GROUP_ID;
    if (imlist_find_group_named(l, r->name, g))
        return &MOCK_ERR_GROUP_NAME_EXISTS;
    if (!(g->DisplayName = soap_strdup(soap, r->name)))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__SetImGroup(struct soap *soap, struct m__SetImGroupType *req,
                    struct __m__SetImGroupResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require_id(soap, req->GroupId, "GroupId");
    if (!rc)
        rc = mock_service_require(soap, req->NewDisplayName, "NewDisplayName");
    if (rc)
        return rc;
    rename_group r = { req->GroupId->Id, req->NewDisplayName };
    const mock_ews_error *err = mock_check_id(req->GroupId);
    if (!err)
        err = mock_service_change(soap, m, rename_it, &r);
    struct m__SetImGroupResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, SetImGroup, err, msg))
        return soap->error;
    resp->m__SetImGroupResponse = msg;
    return SOAP_OK;
}
