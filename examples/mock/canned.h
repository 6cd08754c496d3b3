/* Canned responses: a whole SOAP envelope per operation, sent as it is in
 * place of what the mock would answer (its own behaviour for the IM
 * operations, an Error response for the others). */
#ifndef EWS_MOCK_CANNED_H
#define EWS_MOCK_CANNED_H

#include <stddef.h>

#include "ops/op_descriptor.h"

typedef struct mock_canned {
    const ews_op_descriptor *op;
    char *body;
    size_t len;
} mock_canned;

typedef struct mock_canned_set {
    mock_canned *items;
    size_t count;
} mock_canned_set;

/* Loads specs (NULL-terminated): "OP=FILE" for one operation, or a folder
 * whose OP.xml files are each OP's response. OP must be an operation this
 * build was generated with; a later spec for the same OP replaces an
 * earlier one. 0, or -1 with err saying why. */
int mock_canned_load(mock_canned_set *set, const char *const *specs, char *err, size_t errlen);

/* The canned response of the operation whose request element is element
 * ("m:GetPersona"), or NULL. */
const mock_canned *mock_canned_for_element(const mock_canned_set *set, const char *element);

void mock_canned_free(mock_canned_set *set);

#endif
