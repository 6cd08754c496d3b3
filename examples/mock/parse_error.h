/* Words for a failed gSOAP parse, for messages a person reads: the mock's
 * start-up errors and the ErrorSchemaValidation faults it returns. */
#ifndef EWS_MOCK_PARSE_ERROR_H
#define EWS_MOCK_PARSE_ERROR_H

#include <stddef.h>

struct soap;

/* Describes soap->error at soap->tag, e.g. "unexpected element
 * 't:Bogus'". truncated: all input was consumed, so a tag mismatch or
 * syntax error means the document was cut short. */
void mock_describe_parse_error(const struct soap *soap, int truncated, char *out, size_t outlen);

#endif
