/* The IM-list family (ews/imops.h, ews_get_im_item_list) over the
 * generated calls. What the schema says of each operation is in its
 * generated descriptor (ews_op_table.h); an ews_im_op adds only what it
 * cannot say: the argument checks and the request they fill, and which
 * part of the response the ews_imlist accessors show. */
#ifndef EWS_IMOPS_INTERNAL_H
#define EWS_IMOPS_INTERNAL_H

#include <stddef.h>

#include "ews/imlist.h"
#include "core/buf.h"
#include "core/error.h"
#include "ews_op_table.h"
#include "soap/headers.h"
#include "ops/response.h"
#include "soap/context.h"

/* An extended MAPI property GetImItems should return
 * (t:ExtendedFieldURI by tag). */
typedef struct ews_extended_field {
    const char *property_tag;   /* e.g. "0x3001" */
    const char *property_type;  /* e.g. "String" */
} ews_extended_field;

/* The arguments of every IM-list request; each operation reads the members
 * named after its request's elements and ignores the rest. An absent
 * optional element is a NULL pointer (or a zero count). Strings must be
 * UTF-8 without characters XML cannot carry; required strings must not be
 * empty (t:NonEmptyStringType). An id needs its id string; change_key may
 * be NULL. Invalid arguments are EWS_EINVAL naming the element. */
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

/* What a successful response must carry beside its status. */
typedef enum ews_im_result {
    EWS_IM_RESULT_NONE,     /* nothing: the list is empty */
    EWS_IM_RESULT_LIST,     /* ImItemList, which may be absent (no groups, no contacts) */
    EWS_IM_RESULT_GROUP,    /* the ImGroup it created */
    EWS_IM_RESULT_PERSONA   /* the Persona it created */
} ews_im_result;

struct t__ArrayOfImGroupType;
struct t__ArrayOfPeopleType;
struct t__ImGroupType;
struct t__PersonaType;

/* What the accessors show of one response. */
typedef struct ews_im_view {
    const struct t__ArrayOfImGroupType *groups;
    const struct t__ArrayOfPeopleType *people;
    struct t__ImGroupType *group;       /* non-const: array elements point at them */
    struct t__PersonaType *persona;
} ews_im_view;

/* Takes a filled request element: writes or sends it. */
typedef int (*ews_im_send_fn)(void *ctx, const ews_op_descriptor *op, const void *request);

typedef struct ews_im_op {
    const ews_op_descriptor *desc;
    ews_im_result result;
    /* Checks a's members (EWS_EINVAL into err), fills the request element
     * and returns what send returns with it. */
    int (*request)(const ews_im_args *a, ews_im_send_fn send, void *ctx, ews_err *err);
    /* Points v at what the accessors show of the response element; NULL
     * for EWS_IM_RESULT_NONE. */
    void (*view)(const void *response, ews_im_view *v);
} ews_im_op;

extern const ews_im_op ews_im_get_im_item_list;
extern const ews_im_op ews_im_get_im_items;
extern const ews_im_op ews_im_add_im_group;
extern const ews_im_op ews_im_set_im_group;
extern const ews_im_op ews_im_remove_im_group;
extern const ews_im_op ews_im_add_im_contact_to_group;
extern const ews_im_op ews_im_add_new_im_contact_to_group;
extern const ews_im_op ews_im_add_new_tel_uri_contact_to_group;
extern const ews_im_op ews_im_add_distribution_group_to_im_list;
extern const ews_im_op ews_im_remove_im_contact_from_group;
extern const ews_im_op ews_im_remove_contact_from_im_list;
extern const ews_im_op ews_im_remove_distribution_group_from_im_list;

/* The whole request envelope of op with a's values, headers validated
 * (ews_request_write). */
int ews_im_request(ews_buf *out, const ews_request_headers *h, const ews_im_op *op,
                   const ews_im_args *a, ews_err *err);

/* Parses a whole response envelope of op into a new list: the created group
 * or persona, the listed ones, or nothing; a Warning's record is kept on it.
 * Errors as ews_response_parse, and EWS_ESTRICT for a deviation strict mode
 * refuses. */
int ews_imlist_parse_as(ews_imlist **out, const ews_im_op *op, const char *data, size_t len,
                        const ews_limits *lim, ews_err *err);

/* The list around r, which it takes (freed on failure): the part op's view
 * shows, indexed; strict mode's deviations refused (EWS_ESTRICT). */
int ews_imlist_from_response(ews_imlist **out, const ews_im_op *op, ews_response *r,
                             const ews_limits *lim, ews_err *err);

/* The call of op through the client; *out (when out is not NULL) receives
 * the list, which the operations without a result free at once. */
int ews_im_call(ews_imlist **out, ews_client *client, const ews_im_op *op, const ews_im_args *a,
                const ews_call_options *call);

#endif
