/* The typed calls of ews/operations.h: each generated ews_call_<Op> and
 * ews_response_<Op> is one of these two with its descriptor. */
#include "ops/client.h"
#include "ews_op_table.h"
#include "ops/response.h"

int ews_op_call(ews_response **out, ews_client *client, const ews_op_descriptor *op,
                const void *request, const ews_call_options *call)
{
    return ews_client_call(client, op, request, call, out);
}

const void *ews_op_payload(const ews_response *r, const ews_op_descriptor *op)
{
    return r && r->op == op ? r->payload : NULL;
}

size_t ews_operation_count(void)
{
    return ews_op_table_count;
}

const char *ews_operation_name(size_t i)
{
    return i < ews_op_table_count ? ews_op_table[i]->op.name : NULL;
}
