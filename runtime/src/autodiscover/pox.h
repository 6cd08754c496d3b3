/* POX Autodiscover (the "outlook" request/response schemas of 2006/2006a):
 * the request body and a small reader of the answer. */
#ifndef EWS_AUTODISCOVER_POX_H
#define EWS_AUTODISCOVER_POX_H

#include <stddef.h>

#include "core/buf.h"

#define POX_MAX_PROTOCOLS 8
#define POX_MAX_VALUE 2048 /* bytes of one text value; more is refused */

typedef struct pox_protocol {
    char *type;            /* EXCH (internal), EXPR (external), WEB, ... */
    char *ews_url;
    char *server_version;  /* hex, as sent */
} pox_protocol;

typedef struct pox_answer {
    char *action;          /* settings, redirectAddr, redirectUrl */
    char *redirect_addr;
    char *redirect_url;
    char *smtp_address;    /* User/AutoDiscoverSMTPAddress */
    char *error_code;      /* Response/Error/ErrorCode */
    char *error_message;
    pox_protocol proto[POX_MAX_PROTOCOLS];
    size_t nproto;
} pox_answer;

/* Whether email is an address this code will ask for: local@domain, at most
 * 320 bytes, printable ASCII or UTF-8 without spaces, quotes or angle
 * brackets; the domain a DNS name of at least two labels. *domain is new
 * (lower case). 0, or EWS_EINVAL with *why (static), or EWS_ENOMEM. */
int pox_split_address(const char *email, char **domain, const char **why);

/* Appends the POX request for email (already checked). */
int pox_request(ews_buf *out, const char *email);

/* Reads an answer. 0, EWS_EPARSE / EWS_ELIMIT with *why (static) for what
 * is not a well-formed Autodiscover document within the bounds, or
 * EWS_ENOMEM. */
int pox_parse(pox_answer *a, const char *data, size_t len, const char **why);
void pox_answer_free(pox_answer *a);

/* The EWS URL of the answer: EXPR (outside the organisation) first, then
 * EXCH, then any other protocol that has one; *version gets that
 * protocol's ServerVersion. NULL when there is none. Borrowed. */
const char *pox_ews_url(const pox_answer *a, const char **version);

/* "15.1.2507" from the 8 hex digits of ServerVersion (MS-OXDSCLI: 4 bits,
 * 6 bits major, 6 bits minor, 1 bit, 15 bits build). 0 or -1. */
int pox_server_version(const char *hex, char *out, size_t outlen);

#endif
