/* AddNewImContactToGroup, AddNewTelUriContactToGroup: contacts created by
 * the request. */
#include "imlist/op_im_common.h"

static int request_add_new_im_contact_to_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_AddNewImContactToGroup.op;
    int rc = ews_im_check_text(op, "ImAddress", a->im_address, 1, err);
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
    return send(ctx, &ews_op_AddNewImContactToGroup, &req);
}

static int request_add_new_tel_uri_contact_to_group(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err)
{
    const ews_operation *op = &ews_op_AddNewTelUriContactToGroup.op;
    int rc = ews_im_check_text(op, "TelUriAddress", a->tel_uri_address, 1, err);
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
    return send(ctx, &ews_op_AddNewTelUriContactToGroup, &req);
}

static void view_add_new_im_contact_to_group(const void *response, ews_im_view *v)
{
    const struct m__AddNewImContactToGroupResponseMessageType *m = response;
    v->persona = m->Persona;
}

static void view_add_new_tel_uri_contact_to_group(const void *response, ews_im_view *v)
{
    const struct m__AddNewTelUriContactToGroupResponseMessageType *m = response;
    v->persona = m->Persona;
}

const ews_im_op ews_im_add_new_im_contact_to_group = {
    &ews_op_AddNewImContactToGroup, EWS_IM_RESULT_PERSONA,
    request_add_new_im_contact_to_group, view_add_new_im_contact_to_group
};
const ews_im_op ews_im_add_new_tel_uri_contact_to_group = {
    &ews_op_AddNewTelUriContactToGroup, EWS_IM_RESULT_PERSONA,
    request_add_new_tel_uri_contact_to_group, view_add_new_tel_uri_contact_to_group
};
