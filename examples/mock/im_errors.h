/* The EWS errors the IM operations answer with (ResponseClass="Error"),
 * worded as in Microsoft's reference pages where those show them. */
#ifndef EWS_MOCK_IM_ERRORS_H
#define EWS_MOCK_IM_ERRORS_H

typedef struct mock_ews_error {
    const char *code;   /* ResponseCode */
    const char *text;   /* MessageText */
} mock_ews_error;

extern const mock_ews_error MOCK_ERR_INVALID_IM_GROUP_ID;
extern const mock_ews_error MOCK_ERR_INVALID_IM_CONTACT_ID;
extern const mock_ews_error MOCK_ERR_ITEM_NOT_FOUND;
extern const mock_ews_error MOCK_ERR_ID_MALFORMED;
extern const mock_ews_error MOCK_ERR_ID_EMPTY;
extern const mock_ews_error MOCK_ERR_GROUP_NAME_EXISTS;
extern const mock_ews_error MOCK_ERR_GROUP_LIMIT;
extern const mock_ews_error MOCK_ERR_CONTACT_LIMIT;
extern const mock_ews_error MOCK_ERR_INVALID_DG_ADDRESS;
extern const mock_ews_error MOCK_ERR_NOT_IN_GROUP;
extern const mock_ews_error MOCK_ERR_INTERNAL;

/* Limits of the mock's IM lists, answered with the errors above. */
#define MOCK_MAX_IM_GROUPS 64
#define MOCK_MAX_IM_CONTACTS 1000

#endif
