/* AddImGroup, SetImGroup, RemoveImGroup: a user's own IM groups. */
#include "op_im_common.h"

const ews_operation ews_op_add_im_group = EWS_IM_OPERATION(AddImGroup);
const ews_operation ews_op_set_im_group = EWS_IM_OPERATION(SetImGroup);
const ews_operation ews_op_remove_im_group = EWS_IM_OPERATION(RemoveImGroup);

EWS_IM_BODY_WRITER(AddImGroup);
EWS_IM_BODY_WRITER(SetImGroup);
EWS_IM_BODY_WRITER(RemoveImGroup);

int ews_request_add_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                             ews_err *err)
{
    const ews_operation *op = &ews_op_add_im_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_text(op, "DisplayName", a->display_name, 1, err);
    if (rc)
        return rc;
    struct m__AddImGroupType req = { ews_im_wire(a->display_name) };
    struct __m__AddImGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_AddImGroup, &wrapper, err);
}

int ews_request_set_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                             ews_err *err)
{
    const ews_operation *op = &ews_op_set_im_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (!rc)
        rc = ews_im_check_text(op, "NewDisplayName", a->new_display_name, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__SetImGroupType req = { &group, ews_im_wire(a->new_display_name) };
    struct __m__SetImGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_SetImGroup, &wrapper, err);
}

int ews_request_remove_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                                ews_err *err)
{
    const ews_operation *op = &ews_op_remove_im_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveImGroupType req = { &group };
    struct __m__RemoveImGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_RemoveImGroup, &wrapper, err);
}
