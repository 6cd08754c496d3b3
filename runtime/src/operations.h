/* Per-operation request builders and response parsers over the generated
 * serializers. Each operation states the oldest RequestServerVersion that
 * has it. */
#ifndef EWS_OPERATIONS_H
#define EWS_OPERATIONS_H

#include "buf.h"
#include "err.h"
#include "headers.h"

typedef struct ews_operation {
    const char *name;         /* e.g. "GetImItemList" */
    const char *min_version;  /* e.g. "Exchange2013" */
    const char *soap_action;  /* http://schemas.microsoft.com/exchange/services/2006/messages/<name> */
} ews_operation;

extern const ews_operation ews_op_get_im_item_list;

/* Validates the headers against the operation and serializes the whole
 * request envelope into out. */
int ews_request_get_im_item_list(ews_buf *out, const ews_request_headers *h, ews_err *err);

#endif
