/* What the service functions of the IM operations (ops/) share with the
 * service core (service.c). A service function: mock_service_begin, then
 * its checks and its read (mailbox_acquire + mock_service_hold) or change
 * (mock_service_change), then MOCK_RESPONSE. */
#ifndef EWS_MOCK_SERVICE_OPS_H
#define EWS_MOCK_SERVICE_OPS_H

#include "soapH.h"
#include "im_errors.h"
#include "mailbox.h"
#include "mailbox_change.h"
#include "ops/op_descriptor.h"

/* The checks every operation starts with: RequestServerVersion, then the
 * mailbox the request is about (ExchangeImpersonation). SOAP_OK, or a fault
 * ready to be returned. */
int mock_service_begin(struct soap *soap, mock_mailbox **out);

/* A required element the schema allows neither absent nor empty, checked
 * here too because non-strict parsing lets both through: SOAP_OK, or the
 * ErrorSchemaValidation fault to return. */
int mock_service_require(struct soap *soap, const char *value, const char *element);
int mock_service_require_id(struct soap *soap, const struct t__ItemIdType *id,
                            const char *element);

/* NULL when id looks like an Exchange id (base64), else why not. */
const mock_ews_error *mock_check_id(const struct t__ItemIdType *id);

/* Keeps v, which the caller holds, alive until the response has been
 * written, then releases it: responses point into the list. */
void mock_service_hold(struct soap *soap, mock_mailbox *m, mock_list_version *v);

/* Runs mailbox_change. Returns NULL when the change was made (the new
 * version is held for the response, so what fn stored in arg stays valid),
 * or the error to answer with. */
const mock_ews_error *mock_service_change(struct soap *soap, mock_mailbox *m, mock_change_fn fn,
                                          void *arg);

/* Fills the head every response message has, from err (NULL: success),
 * and sets up the response around it (ServerVersionInfo, namespaces).
 * SOAP_OK or SOAP_EOM. */
int mock_response_head(struct soap *soap, const mock_ews_error *err,
                       enum t__ResponseClassType *response_class, char **message_text,
                       char **response_code, int **descriptive_link_key);

/* Each operation's response message is a struct of its own with that same
 * head: allocates msg, a `struct m__<Op>ResponseMessageType *`, and fills
 * the head. Evaluates to SOAP_OK or SOAP_EOM. */
#define MOCK_RESPONSE(soap, Op, err, msg)                                                  \
    (((msg) = soap_new_m__##Op##ResponseMessageType((soap), 1)) == NULL ||              \
             ((msg)->__##Op##ResponseMessageType_sequence =                              \
                  soap_new___m__##Op##ResponseMessageType_sequence((soap), 1)) == NULL   \
         ? ((soap)->error = SOAP_EOM)                                                    \
         : mock_response_head(                                                           \
               (soap), (err), &(msg)->ResponseClass,                                     \
               &(msg)->__##Op##ResponseMessageType_sequence->MessageText,                \
               &(msg)->__##Op##ResponseMessageType_sequence->ResponseCode,               \
               &(msg)->__##Op##ResponseMessageType_sequence->DescriptiveLinkKey))

/* The service function of every operation without one in ops/ (the
 * generated ews_mock_fallback.c): SOAP_STOP with the whole answer written
 * (its canned response, or an Error response message saying the mock does
 * not implement op), or a fault. */
int mock_service_fallback(struct soap *soap, const ews_op_descriptor *op);

#endif
