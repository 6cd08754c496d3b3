/* GetImItemList: the whole IM list of the mailbox. */
#include "imlist/op_im_common.h"

static int request_get_im_item_list(const ews_im_args *a, ews_im_send_fn send, void *ctx,
                                    ews_err *err)
{
    (void)a;
    (void)err;
    struct m__GetImItemListType req = { 0 };
    return send(ctx, &ews_op_GetImItemList, &req);
}

static void view_get_im_item_list(const void *response, ews_im_view *v)
{
    const struct m__GetImItemListResponseMessageType *m = response;
    v->groups = m->ImItemList ? m->ImItemList->Groups : NULL;
    v->people = m->ImItemList ? m->ImItemList->Personas : NULL;
}

const ews_im_op ews_im_get_im_item_list = { &ews_op_GetImItemList, EWS_IM_RESULT_LIST,
                                            request_get_im_item_list, view_get_im_item_list };
