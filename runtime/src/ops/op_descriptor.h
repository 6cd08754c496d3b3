/* What the runtime knows of an operation: one generated descriptor each
 * (gen/gen_operations.py writes them into the build tree as ews_op_table.c
 * from the WSDL the library was generated with). Nothing here names an
 * operation; the call loop, the response reader and the mock work from
 * these rows alone. */
#ifndef EWS_OP_DESCRIPTOR_H
#define EWS_OP_DESCRIPTOR_H

#include <stddef.h>
#include <string.h>

#include "ews/response.h"
#include "soap/envelope.h"

/* Where a response's ResponseClass, ResponseCode, MessageText and
 * MessageXml are. */
typedef enum ews_op_shape {
    EWS_OP_SHAPE_SINGLE, /* the response element is one response message (the IM operations) */
    EWS_OP_SHAPE_ARRAY,  /* it holds ResponseMessages, one message per item (ResolveNames, GetItem) */
    EWS_OP_SHAPE_NESTED, /* one of its members is a response message (GetUserOofSettings) */
    EWS_OP_SHAPE_OTHER   /* none: only a SOAP fault says it failed (GetUserAvailability) */
} ews_op_shape;

typedef struct ews_operation {
    const char *name;        /* "GetPersona" */
    const char *min_version; /* oldest RequestServerVersion (operations.txt); NULL: any */
    const char *soap_action;
} ews_operation;

typedef struct ews_op_descriptor {
    ews_operation op;
    const char *request_element;  /* "m:GetPersona" */
    const char *response_element; /* as the WSDL's output part names it: "m:GetPersonaResponseMessage" */
    /* ARRAY: each message's element ("m:ResolveNamesResponseMessage"), NULL
     * when the schema has none named after the operation; NESTED: the
     * message's element ("m:ResponseMessage"); else NULL. */
    const char *message_element;
    ews_op_shape shape;
    /* The request element's generated struct, serialized and written. */
    void (*serialize)(struct soap *soap, const void *request);
    int (*put)(struct soap *soap, const void *request);
    /* An ews_body_reader: reads the response element; *(void **)result is
     * its struct (on the soap heap), NULL when the Body has none. */
    int (*read)(struct soap *soap, void *result);
    /* The response's messages (NULL for EWS_OP_SHAPE_OTHER), in order;
     * status returns 0 for an entry that is none of the schema's messages. */
    size_t (*message_count)(const void *response);
    int (*message_status)(const void *response, size_t index, ews_response_status *out);
} ews_op_descriptor;

/* The generated wrappers hold the request element by a non-const pointer;
 * the serializers only read through it. */
static inline void *ews_op_unconst(const void *p)
{
    void *r;
    memcpy(&r, &p, sizeof r);
    return r;
}

/* The generated typed calls are these two, with their descriptor. */
int ews_op_call(ews_response **out, ews_client *client, const ews_op_descriptor *op,
                const void *request, const ews_call_options *call);
const void *ews_op_payload(const ews_response *response, const ews_op_descriptor *op);

#endif
