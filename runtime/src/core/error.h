/* The detailed error record behind ews_error: owns its strings. */
#ifndef EWS_CORE_ERROR_H
#define EWS_CORE_ERROR_H

#include "ews/errors.h"

typedef enum ews_err_field {
    EWS_ERRF_MESSAGE = 0,
    EWS_ERRF_FAULTCODE,
    EWS_ERRF_FAULTSTRING,
    EWS_ERRF_RESPONSE_CLASS,
    EWS_ERRF_RESPONSE_CODE,
    EWS_ERRF_MESSAGE_TEXT,
    EWS_ERRF_CLIENT_REQUEST_ID,
    EWS_ERRF_SERVER_REQUEST_ID,
    EWS_ERRF_BACKEND_STATUS,
    EWS_ERRF_ELEMENT,
    EWS_ERRF_COUNT_
} ews_err_field;

typedef struct ews_err {
    ews_error pub;
    char *owned[EWS_ERRF_COUNT_];
    int incomplete; /* a value could not be copied (out of memory) */
} ews_err;

void ews_err_init(ews_err *e);
/* Back to "success", keeping nothing. */
void ews_err_reset(ews_err *e);
void ews_err_free(ews_err *e);

/* Sets code, its default category and a formatted message; returns code so
 * callers can `return ews_err_set(...)`. The message must never contain a
 * secret: callers format only names, codes and server-provided text. */
int ews_err_set(ews_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Copies value (NULL clears). An allocation failure leaves the field NULL
 * and sets e->incomplete. */
void ews_err_field_set(ews_err *e, ews_err_field f, const char *value);
/* Hides secret in the record. Server text can quote what the request
 * carried: a hostile server can reflect the client's password into a fault
 * string. Prose (message, fault string, MessageText) gets every whole
 * occurrence overwritten with '*', and the message also a prefix of at
 * least EWS_MASK_MIN_LEN characters that ends it (a quote cut at a byte
 * limit). Ids and codes (request ids, back-end status, response code,
 * fault code, element) are never altered: one that contains a secret of
 * EWS_MASK_MIN_LEN or more characters is dropped (NULL) instead. */
#define EWS_MASK_MIN_LEN 4
void ews_err_mask(ews_err *e, const char *secret);
/* Copies the whole record (for warnings kept on a result). */
int ews_err_copy(ews_err *dst, const ews_err *src);

#endif
