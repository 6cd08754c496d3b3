/* The eleven IM-list operations of tests/ops: for each, its request
 * builder and response reader, and the arguments that reproduce the
 * request on Microsoft's reference page (tests/fixtures/<Op>/request-1). */
#ifndef EWS_TEST_OPS_CASES_H
#define EWS_TEST_OPS_CASES_H

#include <stddef.h>

#include "imlist/imops.h"

typedef struct ops_case {
    const ews_im_op *op;
    ews_im_args args;            /* the reference request's values */
    const char *culture;         /* its MailboxCulture, NULL for none */
    /* A header of the reference request this library never sends; NULL
     * when it sends all of them. */
    const char *unsent_header;
    /* Why the reference request's body fails schema validation (a word the
     * validator's message holds); NULL when it validates. */
    const char *reference_invalid;
} ops_case;

extern const ops_case ops_cases[];
extern const size_t ops_case_count;

/* The case of the operation named name; fails the test when there is none. */
const ops_case *ops_case_named(const char *name);

/* tests/fixtures/<op>/<case_dir>/<file>, in an exact-size buffer; fails
 * the test when it is missing. */
char *ops_load(const char *op, const char *case_dir, const char *file, size_t *len);

/* Builds the case's request with headers Exchange2013 + its culture. */
int ops_build(const ops_case *c, ews_buf *out, ews_err *err);

#endif
