/* The client handle and the operation-independent call loop (headers,
 * authentication, retries, throttling, error mapping). */
#ifndef EWS_CLIENT_INTERNAL_H
#define EWS_CLIENT_INTERNAL_H

#include "ews/client.h"
#include "core/buf.h"
#include "core/error.h"
#include "soap/headers.h"
#include "ops/op_descriptor.h"
#include "soap/context.h"
#include "http/transport.h"

struct ews_client {
    ews_client_options opts;     /* strings below are owned copies */
    char *strings[16];
    int nstrings;
    char **lists[2];             /* owned copies of resolve, connect_to */
    ews_transport *transport;    /* NULL for a parse-only client */
    int usable;                  /* 0 when creation failed */
    ews_limits limits;
    ews_err err;
    uint64_t rng;
    int global_ref;
};

/* Bytes of the options struct a caller of `version` has (0: unknown
 * version): members are only ever added at the end. */
size_t ews_client_options_size(unsigned int version);

/* Runs one operation with retries: request is its request element's
 * generated struct; *out is new on 0 (ews/response.h). */
int ews_client_call(ews_client *c, const ews_op_descriptor *op, const void *request,
                    const ews_call_options *call, ews_response **out);


#endif
