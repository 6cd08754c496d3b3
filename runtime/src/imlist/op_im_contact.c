/* AddImContactToGroup, RemoveImContactFromGroup, RemoveContactFromImList:
 * existing contacts (persona ids) on the IM list. */
#include "imlist/op_im_common.h"

static int request_add_im_contact_to_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_AddImContactToGroup.op;
    int rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 0, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id), group = { NULL, NULL };
    if (a->group_id)
        group = ews_im_item_id(a->group_id);
    struct m__AddImContactToGroupType req = { &contact, a->group_id ? &group : NULL };
    return send(ctx, &ews_op_AddImContactToGroup, &req);
}

static int request_remove_im_contact_from_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_RemoveImContactFromGroup.op;
    int rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id);
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveImContactFromGroupType req = { &contact, &group };
    return send(ctx, &ews_op_RemoveImContactFromGroup, &req);
}

static int request_remove_contact_from_im_list(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_RemoveContactFromImList.op;
    int rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id);
    struct m__RemoveContactFromImListType req = { &contact };
    return send(ctx, &ews_op_RemoveContactFromImList, &req);
}

const ews_im_op ews_im_add_im_contact_to_group = {
    &ews_op_AddImContactToGroup, EWS_IM_RESULT_NONE, request_add_im_contact_to_group, NULL
};
const ews_im_op ews_im_remove_im_contact_from_group = {
    &ews_op_RemoveImContactFromGroup, EWS_IM_RESULT_NONE, request_remove_im_contact_from_group,
    NULL
};
const ews_im_op ews_im_remove_contact_from_im_list = {
    &ews_op_RemoveContactFromImList, EWS_IM_RESULT_NONE, request_remove_contact_from_im_list, NULL
};
