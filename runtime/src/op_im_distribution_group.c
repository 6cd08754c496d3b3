/* AddDistributionGroupToImList, RemoveDistributionGroupFromImList. */
#include "op_im_common.h"

const ews_operation ews_op_add_distribution_group_to_im_list =
    EWS_IM_OPERATION(AddDistributionGroupToImList);
const ews_operation ews_op_remove_distribution_group_from_im_list =
    EWS_IM_OPERATION(RemoveDistributionGroupFromImList);

EWS_IM_BODY_WRITER(AddDistributionGroupToImList);
EWS_IM_BODY_WRITER(RemoveDistributionGroupFromImList);

int ews_request_add_distribution_group_to_im_list(ews_buf *out, const ews_request_headers *h,
                                                  const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_add_distribution_group_to_im_list;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_text(op, "SmtpAddress", a->smtp_address, 1, err);
    /* Required by the schema although Microsoft's reference request leaves
     * it out; a server validating requests would refuse that one. */
    if (!rc)
        rc = ews_im_check_text(op, "DisplayName", a->display_name, 1, err);
    if (rc)
        return rc;
    struct m__AddDistributionGroupToImListType req = { ews_im_wire(a->smtp_address),
                                                       ews_im_wire(a->display_name) };
    struct __m__AddDistributionGroupToImList wrapper = { &req };
    return ews_im_write(out, h, &writer_AddDistributionGroupToImList, &wrapper, err);
}

int ews_request_remove_distribution_group_from_im_list(ews_buf *out,
                                                       const ews_request_headers *h,
                                                       const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_remove_distribution_group_from_im_list;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 1, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = ews_im_item_id(a->group_id);
    struct m__RemoveDistributionGroupFromImListType req = { &group };
    struct __m__RemoveDistributionGroupFromImList wrapper = { &req };
    return ews_im_write(out, h, &writer_RemoveDistributionGroupFromImList, &wrapper, err);
}
