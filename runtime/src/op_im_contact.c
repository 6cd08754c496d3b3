/* AddImContactToGroup, RemoveImContactFromGroup, RemoveContactFromImList:
 * existing contacts (persona ids) on the IM list. */
#include "op_im_common.h"

const ews_operation ews_op_add_im_contact_to_group = EWS_IM_OPERATION(AddImContactToGroup);
const ews_operation ews_op_remove_im_contact_from_group =
    EWS_IM_OPERATION(RemoveImContactFromGroup);
const ews_operation ews_op_remove_contact_from_im_list = EWS_IM_OPERATION(RemoveContactFromImList);

EWS_IM_BODY_WRITER(AddImContactToGroup);
EWS_IM_BODY_WRITER(RemoveImContactFromGroup);
EWS_IM_BODY_WRITER(RemoveContactFromImList);

int ews_request_add_im_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                        const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_add_im_contact_to_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 0, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id), group = { NULL, NULL };
    if (a->group_id)
        group = ews_im_item_id(a->group_id);
    struct m__AddImContactToGroupType req = { &contact, a->group_id ? &group : NULL };
    struct __m__AddImContactToGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_AddImContactToGroup, &wrapper, err);
}

int ews_request_remove_im_contact_from_group(ews_buf *out, const ews_request_headers *h,
                                             const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_remove_im_contact_from_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id);
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveImContactFromGroupType req = { &contact, &group };
    struct __m__RemoveImContactFromGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_RemoveImContactFromGroup, &wrapper, err);
}

int ews_request_remove_contact_from_im_list(ews_buf *out, const ews_request_headers *h,
                                            const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_remove_contact_from_im_list;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "ContactId", a->contact_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType contact = ews_im_item_id(a->contact_id);
    struct m__RemoveContactFromImListType req = { &contact };
    struct __m__RemoveContactFromImList wrapper = { &req };
    return ews_im_write(out, h, &writer_RemoveContactFromImList, &wrapper, err);
}
