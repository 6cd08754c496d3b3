/* ews-c: what a generated typed call returns (ews/operations.h).
 *
 * ews_call_<Op>(&response, client, request, call) sends the request element
 * (a generated struct, only read; its strings UTF-8) with everything a call
 * of client.h gets: SOAP headers, authentication, retries and the throttle's
 * back-off, limits, the well-formedness check, strict mode, trace. It
 * returns 0 or a negative EWS_E... code, details in ews_client_last_error().
 *
 * Every response message (ResponseClass, ResponseCode, MessageText,
 * MessageXml) is read, in the response's own shape: one message (the IM
 * operations, GetPersona), a ResponseMessages array (ResolveNames, GetItem,
 * ConvertId), or one nested in the response (GetUserOofSettings). A message
 * of class Error makes the call fail with EWS_EEWS and that message's
 * ResponseCode, category and BackOffMilliseconds, so a ServerBusy answer is
 * retried like any other; with several messages the error names which one
 * (a batch of items fails as a whole: send one item per call where a partial
 * answer matters). A Warning gives the data and the warning, both through
 * ews_response_warning() and ews_client_last_error().
 *
 * On 0, *out is new; ews_response_<Op>(response) is its typed response
 * element, borrowed from it (NULL for a response of another operation). */
#ifndef EWS_RESPONSE_H
#define EWS_RESPONSE_H

#include "common.h"
#include "client.h"
#include "errors.h"
#include "imlist.h"

EWS_BEGIN_DECLS

typedef struct ews_response ews_response;

EWS_API void ews_response_free(ews_response *response);

/* The operation's name as in operations.txt ("GetPersona"). Static. */
EWS_API const char *ews_response_operation(const ews_response *response);

/* How many response messages it held (0 for an operation without any). */
EWS_API size_t ews_response_message_count(const ews_response *response);

/* Non-NULL when a message was of class Warning (the first of them). */
EWS_API const ews_error *ews_response_warning(const ews_response *response);

/* ServerVersionInfo from the SOAP header, NULL when the server sent none. */
EWS_API const ews_server_version *ews_response_server_version(const ews_response *response);

/* The operations this build was generated with, by name; static strings. */
EWS_API size_t ews_operation_count(void);
EWS_API const char *ews_operation_name(size_t index);

EWS_END_DECLS

#endif
