/* The EWS side of the mock: one SOAP request body in, one response body
 * out, through the generated server skeleton (soapServer.c) and the
 * service functions it calls. */
#ifndef EWS_MOCK_SERVICE_H
#define EWS_MOCK_SERVICE_H

#include <stddef.h>

#include "core/buf.h"
#include "canned.h"
#include "mailbox.h"

typedef struct mock_service {
    const mock_mailboxes *mailboxes;  /* items[0]: the caller's own */
    char *const *impersonators;       /* NULL-terminated; NULL: nobody */
    int min_version_rank;             /* ews_server_version_rank() of the minimum */
    int strict;                       /* schema-check requests */
    const mock_canned_set *canned;    /* for operations without behaviour here */
} mock_service;

typedef struct mock_service_result {
    int status;          /* HTTP status to send: 200, or 500 with a fault */
    char code[64];       /* ResponseCode answered, e.g. NoError, ErrorSchemaValidation */
} mock_service_result;

/* Answers body for the authenticated user (NULL: anonymous). out holds a
 * complete SOAP envelope afterwards. 0, or -1 when out of memory (out is
 * then unusable). */
int mock_service_handle(const mock_service *svc, const char *user, const char *body, size_t len,
                        ews_buf *out, mock_service_result *res);

/* An ErrorServerBusy fault carrying BackOffMilliseconds, as Exchange's
 * throttling sends it. 0 or -1. */
int mock_service_busy(long back_off_ms, ews_buf *out, mock_service_result *res);

/* The ServerVersionInfo the mock reports. */
#define MOCK_SERVER_MAJOR 15
#define MOCK_SERVER_MINOR 1
#define MOCK_SERVER_MAJOR_BUILD 2507
#define MOCK_SERVER_MINOR_BUILD 6
#define MOCK_SERVER_VERSION "V2017_07_11"

#endif
