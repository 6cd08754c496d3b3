/* What the service functions of the IM operations (ops/) share with the
 * service core (service.c). */
#ifndef EWS_MOCK_SERVICE_OPS_H
#define EWS_MOCK_SERVICE_OPS_H

struct soap;

/* Answers an operation the mock does not carry out yet with the fault
 * Exchange gives a request it cannot handle (ErrorSchemaValidation, as for
 * any operation outside the mock's set). */
int mock_service_unimplemented(struct soap *soap, const char *operation);

#endif
