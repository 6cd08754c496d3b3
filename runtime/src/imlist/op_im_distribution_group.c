/* AddDistributionGroupToImList, RemoveDistributionGroupFromImList. */
#include "imlist/op_im_common.h"

static int request_add_distribution_group_to_im_list(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_AddDistributionGroupToImList.op;
    int rc = ews_im_check_text(op, "SmtpAddress", a->smtp_address, 1, err);
    /* Required by the schema although Microsoft's reference request leaves
     * it out; a server validating requests would refuse that one. */
    if (!rc)
        rc = ews_im_check_text(op, "DisplayName", a->display_name, 1, err);
    if (rc)
        return rc;
    struct m__AddDistributionGroupToImListType req = { ews_im_wire(a->smtp_address),
                                                       ews_im_wire(a->display_name) };
    return send(ctx, &ews_op_AddDistributionGroupToImList, &req);
}

static int request_remove_distribution_group_from_im_list(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_RemoveDistributionGroupFromImList.op;
    int rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveDistributionGroupFromImListType req = { &group };
    return send(ctx, &ews_op_RemoveDistributionGroupFromImList, &req);
}

static void view_add_distribution_group_to_im_list(const void *response, ews_im_view *v)
{
    const struct m__AddDistributionGroupToImListResponseMessageType *m = response;
    v->group = m->ImGroup;
}

const ews_im_op ews_im_add_distribution_group_to_im_list = {
    &ews_op_AddDistributionGroupToImList, EWS_IM_RESULT_GROUP,
    request_add_distribution_group_to_im_list, view_add_distribution_group_to_im_list
};
const ews_im_op ews_im_remove_distribution_group_from_im_list = {
    &ews_op_RemoveDistributionGroupFromImList, EWS_IM_RESULT_NONE,
    request_remove_distribution_group_from_im_list, NULL
};
