/* Changing a mailbox's IM list: read-modify-write under the mailbox's
 * change lock, so concurrent changes never lose one another, and written
 * back to the mailbox file before anyone sees the new version. */
#ifndef EWS_MOCK_MAILBOX_CHANGE_H
#define EWS_MOCK_MAILBOX_CHANGE_H

#include <stddef.h>

#include "im_errors.h"
#include "mailbox.h"

/* Edits list, a private copy allocated on soap (allocate additions there
 * too). Returns NULL to keep the result, or the error refusing the change
 * (the copy is then dropped, so fn may leave it half-edited). */
typedef const mock_ews_error *(*mock_change_fn)(struct soap *soap,
                                                struct t__ImItemListType *list, void *arg);

typedef enum mock_change_result {
    MOCK_CHANGE_DONE = 0,    /* *out: the new version, held (mailbox_release) */
    MOCK_CHANGE_REFUSED,     /* *refusal: what fn refused with; nothing changed */
    MOCK_CHANGE_FAILED       /* memory or the file: why says which; nothing changed */
} mock_change_result;

mock_change_result mailbox_change(mock_mailbox *m, mock_change_fn fn, void *arg,
                                  mock_list_version **out, const mock_ews_error **refusal,
                                  char *why, size_t whylen);

#endif
