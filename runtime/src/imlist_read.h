/* Reading the response of any IM-list operation into an ews_imlist: the
 * per-operation readers and the parser they plug into. */
#ifndef EWS_IMLIST_READ_H
#define EWS_IMLIST_READ_H

#include "envelope.h"
#include "imlist_internal.h"

/* What a successful response must carry beside its status. */
typedef enum ews_im_result {
    EWS_IM_RESULT_NONE,     /* nothing: the list is empty */
    EWS_IM_RESULT_LIST,     /* ImItemList, which may be absent (no groups, no contacts) */
    EWS_IM_RESULT_GROUP,    /* the ImGroup it created */
    EWS_IM_RESULT_PERSONA   /* the Persona it created */
} ews_im_result;

/* One response as a reader leaves it. */
typedef struct ews_im_response {
    const void *message; /* <Op>ResponseMessageType; NULL when the Body had none */
    ews_response_status status;
    const struct t__ArrayOfImGroupType *groups;
    const struct t__ArrayOfPeopleType *people;
    struct t__ImGroupType *group;       /* non-const: array elements point at them */
    struct t__PersonaType *persona;
} ews_im_response;

typedef struct ews_im_reader {
    const char *operation;
    ews_im_result result;
    ews_body_reader read; /* fills the ews_im_response passed as result */
} ews_im_reader;

extern const ews_im_reader ews_im_reader_get_im_item_list;
extern const ews_im_reader ews_im_reader_get_im_items;
extern const ews_im_reader ews_im_reader_add_im_group;
extern const ews_im_reader ews_im_reader_set_im_group;
extern const ews_im_reader ews_im_reader_remove_im_group;
extern const ews_im_reader ews_im_reader_add_im_contact_to_group;
extern const ews_im_reader ews_im_reader_add_new_im_contact_to_group;
extern const ews_im_reader ews_im_reader_add_new_tel_uri_contact_to_group;
extern const ews_im_reader ews_im_reader_add_distribution_group_to_im_list;
extern const ews_im_reader ews_im_reader_remove_im_contact_from_group;
extern const ews_im_reader ews_im_reader_remove_contact_from_im_list;
extern const ews_im_reader ews_im_reader_remove_distribution_group_from_im_list;

/* Parses a whole response envelope of rd's operation. On 0, *out is new:
 * the created group or persona, the listed ones, or nothing; a Warning's
 * record is kept on it. Errors as ews_imlist_parse. */
int ews_imlist_parse_as(ews_imlist **out, const ews_im_reader *rd, const char *data, size_t len,
                        const ews_limits *lim, ews_err *err);

#endif
