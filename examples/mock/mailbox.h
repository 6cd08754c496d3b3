/* Mailboxes the mock serves: their IM lists, parsed with the generated
 * deserializer, read by any number of threads and changed by the IM
 * operations one change at a time (mailbox_change.c). */
#ifndef EWS_MOCK_MAILBOX_H
#define EWS_MOCK_MAILBOX_H

#include <pthread.h>
#include <stddef.h>

#include "core/buf.h"
#include "ews_mock.h"

struct soap;
struct t__ImItemListType;

/* One state of a mailbox's IM list. Never modified once published: a
 * change makes a new version, so a response being written from an older
 * one is not disturbed. */
typedef struct mock_list_version {
    struct soap *soap;                    /* owns list and everything in it */
    /* Not const: the generated response structs that point here are not. */
    struct t__ImItemListType *list;
    unsigned long refs;                   /* under the mailbox's lock */
} mock_list_version;

typedef struct mock_mailbox {
    char *address;
    char *sid;                            /* NULL: not reachable by SID */
    char *file;                           /* absolute; NULL: changes stay in memory */
    pthread_mutex_t lock;                 /* current and every refs */
    pthread_mutex_t change_lock;          /* held for a whole read-modify-write */
    mock_list_version *current;
} mock_mailbox;

typedef struct mock_mailboxes {
    size_t count;
    mock_mailbox *items;
    unsigned long generated;  /* user1@contoso.com ... userN@contoso.com: items[0]'s list */
} mock_mailboxes;

/* Largest mailbox file accepted. */
#define MOCK_MAILBOX_MAX_BYTES ((size_t)64 << 20)

/* Loads every mailbox (file, or xml when file is NULL). 0, or -1 with a
 * message naming the mailbox, file and element in err. */
int mailboxes_load(mock_mailboxes *mb, const ews_mock_mailbox *src, size_t n, char *err,
                   size_t errlen);
/* Only when no version is held any more (every connection has ended). */
void mailboxes_free(mock_mailboxes *mb);

/* Case-insensitive look-up by SMTP address; NULL when absent. */
mock_mailbox *mailboxes_find(const mock_mailboxes *mb, const char *address);
/* Exact look-up by SID (SIDs are case-insensitive in their S-1-... form). */
mock_mailbox *mailboxes_find_sid(const mock_mailboxes *mb, const char *sid);

/* The current version, kept alive until mailbox_release. */
mock_list_version *mailbox_acquire(mock_mailbox *m);
void mailbox_release(mock_mailbox *m, mock_list_version *v);

/* Makes v the current version (v->refs counts the mailbox's reference);
 * the previous one goes once its last reader releases it. */
void mailbox_publish(mock_mailbox *m, mock_list_version *v);
/* Frees a version nobody holds (one that was never published). */
void mailbox_version_free(mock_list_version *v);

/* Parses one mailbox document held in memory onto soap: exposed so the
 * tests can check a file without starting a server. */
int mailbox_parse(struct soap *soap, const char *xml, size_t len,
                  struct t__ImItemListType **out, char *why, size_t whylen);
/* The mailbox document of list: what mailbox_parse reads back as the same
 * list. out is cleared first. 0, or -1 when out of memory. */
int mailbox_serialize(const struct t__ImItemListType *list, ews_buf *out);

#endif
