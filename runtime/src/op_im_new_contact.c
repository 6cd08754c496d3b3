/* AddNewImContactToGroup, AddNewTelUriContactToGroup: contacts created by
 * the request. */
#include "op_im_common.h"

const ews_operation ews_op_add_new_im_contact_to_group = EWS_IM_OPERATION(AddNewImContactToGroup);
const ews_operation ews_op_add_new_tel_uri_contact_to_group =
    EWS_IM_OPERATION(AddNewTelUriContactToGroup);

EWS_IM_BODY_WRITER(AddNewImContactToGroup);
EWS_IM_BODY_WRITER(AddNewTelUriContactToGroup);

int ews_request_add_new_im_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                            const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_add_new_im_contact_to_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_text(op, "ImAddress", a->im_address, 1, err);
    /* Optional, but when sent it is a t:NonEmptyStringType. */
    if (!rc && a->display_name)
        rc = ews_im_check_text(op, "DisplayName", a->display_name, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 0, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = { NULL, NULL };
    if (a->group_id)
        group = ews_im_item_id(a->group_id);
    struct m__AddNewImContactToGroupType req = { ews_im_wire(a->im_address),
                                                 ews_im_wire(a->display_name),
                                                 a->group_id ? &group : NULL };
    struct __m__AddNewImContactToGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_AddNewImContactToGroup, &wrapper, err);
}

int ews_request_add_new_tel_uri_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                                 const ews_im_args *a, ews_err *err)
{
    const ews_operation *op = &ews_op_add_new_tel_uri_contact_to_group;
    int rc = ews_im_check_headers(op, h, a, err);
    if (!rc)
        rc = ews_im_check_text(op, "TelUriAddress", a->tel_uri_address, 1, err);
    if (!rc)
        rc = ews_im_check_text(op, "ImContactSipUriAddress", a->im_contact_sip_uri_address, 1,
                               err);
    if (!rc)
        rc = ews_im_check_text(op, "ImTelephoneNumber", a->im_telephone_number, 1, err);
    if (!rc)
        rc = ews_im_check_id(op, "GroupId", a->group_id, 0, err);
    if (rc)
        return rc;
    struct t__ItemIdType group = { NULL, NULL };
    if (a->group_id)
        group = ews_im_item_id(a->group_id);
    struct m__AddNewTelUriContactToGroupType req = {
        ews_im_wire(a->tel_uri_address), ews_im_wire(a->im_contact_sip_uri_address),
        ews_im_wire(a->im_telephone_number), a->group_id ? &group : NULL
    };
    struct __m__AddNewTelUriContactToGroup wrapper = { &req };
    return ews_im_write(out, h, &writer_AddNewTelUriContactToGroup, &wrapper, err);
}
