/* Mailboxes the mock serves: their IM lists, parsed once at start with the
 * generated deserializer and then only read (by any number of threads). */
#ifndef EWS_MOCK_MAILBOX_H
#define EWS_MOCK_MAILBOX_H

#include <stddef.h>

#include "ews_mock.h"

struct soap;
struct t__ImItemListType;

typedef struct mock_mailbox {
    char *address;
    char *sid;                            /* NULL: not reachable by SID */
    /* Lives on mock_mailboxes.soap; never modified after loading, but not
     * const: the generated response struct that points to it is not. */
    struct t__ImItemListType *list;
} mock_mailbox;

typedef struct mock_mailboxes {
    struct soap *soap;                    /* owns every parsed list */
    size_t count;
    mock_mailbox *items;
} mock_mailboxes;

/* Largest mailbox file accepted. */
#define MOCK_MAILBOX_MAX_BYTES ((size_t)64 << 20)

/* Loads every mailbox (file, or xml when file is NULL). 0, or -1 with a
 * message naming the mailbox, file and element in err. */
int mailboxes_load(mock_mailboxes *mb, const ews_mock_mailbox *src, size_t n, char *err,
                   size_t errlen);
void mailboxes_free(mock_mailboxes *mb);

/* Case-insensitive look-up by SMTP address; NULL when absent. */
const mock_mailbox *mailboxes_find(const mock_mailboxes *mb, const char *address);
/* Exact look-up by SID (SIDs are case-insensitive in their S-1-... form). */
const mock_mailbox *mailboxes_find_sid(const mock_mailboxes *mb, const char *sid);

/* Parses one mailbox document held in memory onto soap: exposed so the
 * tests can check a file without starting a server. */
int mailbox_parse(struct soap *soap, const char *xml, size_t len,
                  struct t__ImItemListType **out, char *why, size_t whylen);

#endif
