/* What the IM-list operations' argument checks (op_*.c) share. */
#ifndef EWS_OP_IM_COMMON_H
#define EWS_OP_IM_COMMON_H

#include "soapH.h"
#include "imlist/imops.h"

/* The generated structs hold `char *`; the serializers only read through
 * them, so the caller's strings go on the wire without a copy. */
char *ews_im_wire(const char *s);

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

#endif
