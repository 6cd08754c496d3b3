/* The client handle and the operation-independent call loop (headers,
 * authentication, retries, throttling, error mapping). */
#ifndef EWS_CLIENT_INTERNAL_H
#define EWS_CLIENT_INTERNAL_H

#include "ews/client.h"
#include "buf.h"
#include "err.h"
#include "headers.h"
#include "operations.h"
#include "soapctx.h"
#include "transport.h"

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

/* Serializes an operation's request from its arguments (args is what the
 * caller handed ews_client_call; NULL for operations without any). */
typedef int (*ews_build_fn)(ews_buf *out, const ews_request_headers *h, const void *args,
                            ews_err *err);
/* Parses an operation's response into a new result object. */
typedef int (*ews_parse_fn)(void **out, const char *data, size_t len, const ews_limits *lim,
                            ews_err *err);
/* The result's warning record, if it has one (ResponseClass Warning). */
typedef const ews_err *(*ews_warning_fn)(const void *result);

typedef struct ews_call_spec {
    const ews_operation *op;
    ews_build_fn build;
    ews_parse_fn parse;
    ews_warning_fn warning;
    void (*free_result)(void *result);
} ews_call_spec;

/* Bytes of the options struct a caller of `version` has (0: unknown
 * version): members are only ever added at the end. */
size_t ews_client_options_size(unsigned int version);

/* Runs one operation with retries; *out is new on 0. */
int ews_client_call(ews_client *c, const ews_call_spec *spec, const void *args,
                    const ews_call_options *call, void **out);

/* A random RFC 4122 version-4 UUID, 36 characters + NUL. */
void ews_uuid4(char out[37]);

#endif
