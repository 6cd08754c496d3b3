/* Per-operation request builders and response parsers over the generated
 * serializers. Each operation states the oldest RequestServerVersion that
 * has it. */
#ifndef EWS_OPERATIONS_H
#define EWS_OPERATIONS_H

#include <stddef.h>

#include "ews/imlist.h"
#include "buf.h"
#include "err.h"
#include "headers.h"

typedef struct ews_operation {
    const char *name;         /* e.g. "GetImItemList" */
    const char *min_version;  /* e.g. "Exchange2013" */
    const char *soap_action;  /* http://schemas.microsoft.com/exchange/services/2006/messages/<name> */
} ews_operation;

/* The IM-list family; Microsoft's reference pages give Exchange 2013 as
 * the first release of every one of them. */
extern const ews_operation ews_op_get_im_item_list;
extern const ews_operation ews_op_get_im_items;
extern const ews_operation ews_op_add_im_group;
extern const ews_operation ews_op_set_im_group;
extern const ews_operation ews_op_remove_im_group;
extern const ews_operation ews_op_add_im_contact_to_group;
extern const ews_operation ews_op_add_new_im_contact_to_group;
extern const ews_operation ews_op_add_new_tel_uri_contact_to_group;
extern const ews_operation ews_op_add_distribution_group_to_im_list;
extern const ews_operation ews_op_remove_im_contact_from_group;
extern const ews_operation ews_op_remove_contact_from_im_list;
extern const ews_operation ews_op_remove_distribution_group_from_im_list;

/* Validates the headers against the operation and serializes the whole
 * request envelope into out. */
int ews_request_get_im_item_list(ews_buf *out, const ews_request_headers *h, ews_err *err);

/* An extended MAPI property GetImItems should return
 * (t:ExtendedFieldURI by tag). */
typedef struct ews_extended_field {
    const char *property_tag;   /* e.g. "0x3001" */
    const char *property_type;  /* e.g. "String" */
} ews_extended_field;

/* The arguments of every other IM-list request; each builder reads the
 * members named after its request's elements and ignores the rest. An
 * absent optional element is a NULL pointer (or a zero count). Strings must
 * be UTF-8 without characters XML cannot carry; required strings must not
 * be empty (t:NonEmptyStringType). An id needs its id string; change_key
 * may be NULL. Invalid arguments are EWS_EINVAL naming the element. */
typedef struct ews_im_args {
    const ews_item_id *contact_id;       /* ContactId */
    const ews_item_id *group_id;         /* GroupId */
    const char *display_name;            /* DisplayName */
    const char *new_display_name;        /* NewDisplayName (SetImGroup) */
    const char *im_address;              /* ImAddress */
    const char *smtp_address;            /* SmtpAddress */
    const char *tel_uri_address;         /* TelUriAddress */
    const char *im_contact_sip_uri_address;
    const char *im_telephone_number;
    const ews_item_id *contact_ids;      /* GetImItems ContactIds */
    size_t contact_count;
    const ews_item_id *group_ids;        /* GetImItems GroupIds */
    size_t group_count;
    const ews_extended_field *extended_properties; /* GetImItems ExtendedProperties */
    size_t extended_count;
} ews_im_args;

typedef int (*ews_im_request_fn)(ews_buf *out, const ews_request_headers *h,
                                 const ews_im_args *a, ews_err *err);

int ews_request_get_im_items(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                             ews_err *err);
int ews_request_add_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                             ews_err *err);
int ews_request_set_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                             ews_err *err);
int ews_request_remove_im_group(ews_buf *out, const ews_request_headers *h, const ews_im_args *a,
                                ews_err *err);
int ews_request_add_im_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                        const ews_im_args *a, ews_err *err);
int ews_request_add_new_im_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                            const ews_im_args *a, ews_err *err);
int ews_request_add_new_tel_uri_contact_to_group(ews_buf *out, const ews_request_headers *h,
                                                 const ews_im_args *a, ews_err *err);
int ews_request_add_distribution_group_to_im_list(ews_buf *out, const ews_request_headers *h,
                                                  const ews_im_args *a, ews_err *err);
int ews_request_remove_im_contact_from_group(ews_buf *out, const ews_request_headers *h,
                                             const ews_im_args *a, ews_err *err);
int ews_request_remove_contact_from_im_list(ews_buf *out, const ews_request_headers *h,
                                            const ews_im_args *a, ews_err *err);
int ews_request_remove_distribution_group_from_im_list(ews_buf *out,
                                                       const ews_request_headers *h,
                                                       const ews_im_args *a, ews_err *err);

#endif
