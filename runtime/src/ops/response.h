/* A generated operation's request written and its response read, from
 * the operation's descriptor alone. */
#ifndef EWS_RESPONSE_INTERNAL_H
#define EWS_RESPONSE_INTERNAL_H

#include "ops/op_descriptor.h"
#include "soap/cells.h"

struct ews_response {
    const ews_op_descriptor *op;
    struct soap *soap; /* owns payload and everything under it */
    ews_cells *cells;  /* the engine's small blocks; released after soap */
    void *payload;     /* the response element's generated struct */
    size_t message_count;
    ews_err warning;
    int has_warning;
    ews_server_version server_version;
    int has_server_version;
};

/* Validates the headers against op (RequestServerVersion, culture,
 * impersonation) and writes the whole request envelope around request
 * into out; a request the engine would put on the wire as XML that is not
 * well-formed (a string that is not UTF-8, or holds a character XML cannot
 * carry) is EWS_EINVAL. */
int ews_request_write(ews_buf *out, const ews_request_headers *h, const ews_op_descriptor *op,
                      const void *request, ews_err *err);

/* Parses a whole response envelope of op. On 0, *out is new and holds the
 * first Warning, if any. A message of class Error, or a success without
 * the response element, is an error (ews_envelope_read for the others).
 * `consumable` as in ews_envelope_read. */
int ews_response_parse(ews_response **out, const ews_op_descriptor *op, const char *data,
                       size_t len, int consumable, const ews_limits *lim, ews_err *err);

#endif
