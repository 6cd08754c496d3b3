/* AddImGroup, SetImGroup, RemoveImGroup: a user's own IM groups. */
#include "imlist/op_im_common.h"

static int request_add_im_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_AddImGroup.op;
    int rc = ews_im_check_text(op, "DisplayName", a->display_name, 1, err);
    if (rc)
        return rc;
    struct m__AddImGroupType req = { ews_im_wire(a->display_name) };
    return send(ctx, &ews_op_AddImGroup, &req);
}

static int request_set_im_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_SetImGroup.op;
    int rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (!rc)
        rc = ews_im_check_text(op, "NewDisplayName", a->new_display_name, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__SetImGroupType req = { &group, ews_im_wire(a->new_display_name) };
    return send(ctx, &ews_op_SetImGroup, &req);
}

static int request_remove_im_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_RemoveImGroup.op;
    int rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveImGroupType req = { &group };
    return send(ctx, &ews_op_RemoveImGroup, &req);
}

static void view_add_im_group(const void *response, ews_im_view *v)
{
    const struct m__AddImGroupResponseMessageType *m = response;
    v->group = m->ImGroup;
}

const ews_im_op ews_im_add_im_group = { &ews_op_AddImGroup, EWS_IM_RESULT_GROUP,
                                        request_add_im_group, view_add_im_group };
const ews_im_op ews_im_set_im_group = { &ews_op_SetImGroup, EWS_IM_RESULT_NONE,
                                        request_set_im_group, NULL };
const ews_im_op ews_im_remove_im_group = { &ews_op_RemoveImGroup, EWS_IM_RESULT_NONE,
                                           request_remove_im_group, NULL };
