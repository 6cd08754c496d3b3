/* For the tests of the IM operations that change a mailbox: requests
 * posted to the mock over HTTP, answers read with libxml2 and checked
 * against the schema fragments (wsdl/), the list read back with
 * GetImItemList through the runtime. Include after <cmocka.h>. */
#ifndef EWS_IMOPS_TEST_UTIL_H
#define EWS_IMOPS_TEST_UTIL_H

#include <libxml/tree.h>

#include "mock_test_util.h"

typedef struct it_reply {
    long status;               /* HTTP */
    xmlDocPtr doc;
    xmlNodePtr message;        /* the Body's child: the response message or the Fault */
    char *response_class;      /* "Success", "Error"; NULL for a fault */
    char *code;                /* ResponseCode, also a fault's */
} it_reply;

/* Posts body_xml (the Body's content; m and t are bound) to m in an
 * envelope asking for Exchange2013. Fails the test unless the answer is
 * well-formed and, when not a fault, valid against the fragments. */
void it_call(ews_mock *m, it_reply *r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void it_reply_free(it_reply *r);

/* Posts, expects ResponseClass and code, frees. */
void it_expect(ews_mock *m, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The first element named local (any namespace) under from: its text, or
 * the value of attr when attr is given. New string (free), or NULL. */
char *it_find(xmlNodePtr from, const char *local, const char *attr);

/* GetImItemList of the caller's mailbox, parsed by the runtime. */
ews_imlist *it_list(ews_mock *m);
const ews_im_group *it_group_named(const ews_imlist *l, const char *name);
const ews_persona *it_persona_with_im(const ews_imlist *l, const char *address);
/* Whether persona_id is among the group's personas (members joined to
 * personas by the runtime). */
int it_group_has(const ews_im_group *g, const char *persona_id);

/* A mock serving file (a copy the test may change) as me@contoso.com,
 * strict unless told otherwise. */
ews_mock *it_start_file(const char *file, int strict);

/* A copy of tests/fixtures/mock/<fixture> (or of the demo mailbox for
 * NULL) at a new path under the build tree; static buffer. */
const char *it_copy_mailbox(const char *fixture, const char *name);

/* The demo mailbox's ids, for requests about what is already there. */
#define IT_DEMO_OTHER_CONTACTS "AAMkAGQ1MjJjMTBkLThQoTbWAAAAAAQUAAA="
#define IT_DEMO_FAVORITES "AAMkAGQ1MjJjMTAAAAAQSAAA="
#define IT_DEMO_CUSTOM2 "AAMkAGQ1MjJjKAAA="
#define IT_DEMO_ANTHONY "AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAFgxE1nBcqRGgYWWorM9/+s="
/* the second contact item of Anthony's persona */
#define IT_DEMO_ANTHONY_ITEM "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5Ny04/bhQoTbWAAAAAAveAAA="

#endif
