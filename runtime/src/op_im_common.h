/* What the IM-list request builders (op_im_*.c, op_get_im_items.c) share:
 * argument checks and the shape of a generated request body. */
#ifndef EWS_OP_IM_COMMON_H
#define EWS_OP_IM_COMMON_H

#include "soapH.h"
#include "envelope.h"
#include "operations.h"

/* Every IM-list operation first shipped with Exchange 2013 (Microsoft's
 * reference pages; the schema does not say). */
#define EWS_IM_OPERATION(Op)                                               \
    {                                                                      \
        #Op, "Exchange2013",                                               \
            "http://schemas.microsoft.com/exchange/services/2006/messages/" #Op \
    }

/* The serialize/put pair of an ews_body_writer for the generated wrapper
 * struct __m__<Op>; every operation's names follow this one pattern. */
#define EWS_IM_BODY_WRITER(Op)                                            \
    static void serialize_##Op(struct soap *soap, const void *body)       \
    {                                                                     \
        soap_serialize___m__##Op(soap, body);                             \
    }                                                                     \
    static int put_##Op(struct soap *soap, const void *body)              \
    {                                                                     \
        return soap_put___m__##Op(soap, body, "-m:" #Op, "");             \
    }                                                                     \
    static const ews_body_writer writer_##Op = { serialize_##Op, put_##Op, NULL }

/* The generated structs hold `char *`; the serializers only read through
 * them, so the caller's strings go on the wire without a copy. */
char *ews_im_wire(const char *s);

/* Headers valid for op (ews_headers_validate); args non-NULL. */
int ews_im_check_headers(const ews_operation *op, const ews_request_headers *h,
                         const ews_im_args *a, ews_err *err);

/* A string argument for <element>: required ones non-NULL and non-empty;
 * any one well-formed UTF-8 without characters XML 1.0 cannot carry. */
int ews_im_check_text(const ews_operation *op, const char *element, const char *value,
                      int required, ews_err *err);

/* An id argument for <element>: required ones non-NULL; a given one needs
 * its id string, and both strings must pass ews_im_check_text. */
int ews_im_check_id(const ews_operation *op, const char *element, const ews_item_id *id,
                    int required, ews_err *err);

/* The t:ItemIdType of id, borrowing its strings. */
struct t__ItemIdType ews_im_item_id(const ews_item_id *id);

/* Serializes the body of writer w (whose body member is ignored) around
 * wrapper. */
int ews_im_write(ews_buf *out, const ews_request_headers *h, const ews_body_writer *w,
                 const void *wrapper, ews_err *err);

#endif
