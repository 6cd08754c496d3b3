/* The SOAP faults the mock answers with, shaped and worded like
 * Exchange's: faultcode a:<ResponseCode> (a = the types namespace), the
 * faultstring, and a detail with e:ResponseCode, e:Message and optionally
 * t:MessageXml name/value pairs (types namespace, as Exchange sends it). */
#ifndef EWS_MOCK_SOAP_FAULT_H
#define EWS_MOCK_SOAP_FAULT_H

#include "core/buf.h"

struct soap;

/* Puts the fault on soap->fault (allocated on soap). message NULL:
 * Exchange's usual text for code. value_name/value: one
 * <t:Value Name="...">...</t:Value> in MessageXml, or NULL. Returns
 * SOAP_FAULT, or SOAP_EOM when out of memory, ready to be returned from a
 * service function. */
int mock_fault_set(struct soap *soap, const char *code, const char *message,
                   const char *value_name, const char *value);

/* Serializes soap->fault as a whole SOAP 1.1 envelope into out (cleared
 * first). 0, or -1 when out of memory. */
int mock_fault_write(struct soap *soap, ews_buf *out);

/* Writes a fault for code on a fresh context, for callers that have no
 * parsed request (e.g. injected ErrorServerBusy). 0 or -1. */
int mock_fault_standalone(ews_buf *out, const char *code, const char *message,
                          const char *value_name, const char *value);

#endif
