/* Reading and writing SOAP envelopes in memory, for any generated operation. */
#ifndef EWS_ENVELOPE_H
#define EWS_ENVELOPE_H

#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "soap/headers.h"
#include "soap/context.h"

struct soap;

/* Operation-specific pieces of a request body. */
typedef struct ews_body_writer {
    void (*serialize)(struct soap *soap, const void *body); /* soap_serialize_... */
    int (*put)(struct soap *soap, const void *body);        /* soap_put_... */
    const void *body;
} ews_body_writer;

/* Serializes headers + body into out. */
int ews_envelope_write(ews_buf *out, const ews_request_headers *h, const ews_body_writer *w,
                       ews_err *err);

/* Reads the operation's response element; returns soap->error. */
typedef int (*ews_body_reader)(struct soap *soap, void *result);

/* Parses a whole envelope held in data. With `consumable`, data is the
 * caller's own buffer that it frees afterwards without reading: the pages
 * the engine has passed are given back during the parse. On 0 the result
 * (and soap->header) live on `soap`'s heap. Otherwise err says why: EWS_EFAULT (with fault code,
 * string, detail ResponseCode/Message/BackOffMilliseconds), EWS_ENOTSOAP,
 * EWS_EPARSE, EWS_ESTRICT (element named), EWS_ELIMIT, EWS_ETOOBIG or
 * EWS_ENOMEM. */
int ews_envelope_read(struct soap *soap, const char *data, size_t len, int consumable,
                      const ews_limits *lim, ews_body_reader read, void *result,
                      const char *operation, ews_err *err);

/* The fields every EWS response message shares. */
typedef struct ews_response_status {
    int response_class;       /* enum t__ResponseClassType */
    const char *response_code;
    const char *message_text;
    char *const *message_xml;
    int message_xml_count;
    const char *element; /* the message's element, "m:GetPersonaResponseMessage" */
} ews_response_status;

/* Turns an Error (or Warning) response message into err: EWS_EEWS with the
 * category of its ResponseCode (ErrorInternalServerError wrapping a
 * retryable InnerErrorResponseCode counts as retryable), ResponseClass,
 * MessageText and BackOffMilliseconds. Returns the code set (0 for a
 * Success status). */
int ews_response_status_to_err(const ews_response_status *st, const char *operation, ews_err *err);

#endif
