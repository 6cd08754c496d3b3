#include "soapH.h"
#include "envelope.h"
#include "operations.h"

const ews_operation ews_op_get_im_item_list = {
    "GetImItemList", "Exchange2013",
    "http://schemas.microsoft.com/exchange/services/2006/messages/GetImItemList"
};

static void serialize(struct soap *soap, const void *body)
{
    soap_serialize___m__GetImItemList(soap, body);
}

static int put(struct soap *soap, const void *body)
{
    return soap_put___m__GetImItemList(soap, body, "-m:GetImItemList", "");
}

int ews_request_get_im_item_list(ews_buf *out, const ews_request_headers *h, ews_err *err)
{
    const ews_operation *op = &ews_op_get_im_item_list;
    int rc = ews_headers_validate(h, op->name, op->min_version, err);
    if (rc)
        return rc;
    struct m__GetImItemListType req = { 0 };
    struct __m__GetImItemList wrapper = { &req };
    ews_body_writer w = { serialize, put, &wrapper };
    return ews_envelope_write(out, h, &w, err);
}
