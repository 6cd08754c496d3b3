/* XML namespace tables for the gSOAP engine.
 *
 * The prefixes must be the ones the code was generated with (gen/typemap.dat
 * and gen/ews_fault_detail.h). The third column is the pattern accepted on
 * input: Microsoft's documentation examples write the EWS namespaces as
 * https://, real servers and the schema as http://; we accept both and
 * always send http://.
 */
#include "soapH.h"
#include "namespaces.h"

#define EWS_NS_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define EWS_NS_TYPES "http://schemas.microsoft.com/exchange/services/2006/types"
#define EWS_NS_MESSAGES "http://schemas.microsoft.com/exchange/services/2006/messages"
#define EWS_NS_ERRORS "http://schemas.microsoft.com/exchange/services/2006/errors"

/* The engine library refers to a global table by this name; it is ours and
 * hidden inside libews. */
struct Namespace namespaces[] = {
    { "SOAP-ENV", EWS_NS_ENV, "http://www.w3.org/*/soap-envelope", NULL },
    { "SOAP-ENC", "http://schemas.xmlsoap.org/soap/encoding/", "http://www.w3.org/*/soap-encoding", NULL },
    { "xsi", "http://www.w3.org/2001/XMLSchema-instance", "http://www.w3.org/*/XMLSchema-instance", NULL },
    { "xsd", "http://www.w3.org/2001/XMLSchema", "http://www.w3.org/*/XMLSchema", NULL },
    { "t", EWS_NS_TYPES, "http*://schemas.microsoft.com/exchange/services/2006/types", NULL },
    { "m", EWS_NS_MESSAGES, "http*://schemas.microsoft.com/exchange/services/2006/messages", NULL },
    { "e", EWS_NS_ERRORS, "http*://schemas.microsoft.com/exchange/services/2006/errors", NULL },
    { NULL, NULL, NULL, NULL }
};

/* Requests declare only what they use. */
static struct Namespace output_namespaces[] = {
    { "SOAP-ENV", EWS_NS_ENV, NULL, NULL },
    { "t", EWS_NS_TYPES, NULL, NULL },
    { "m", EWS_NS_MESSAGES, NULL, NULL },
    { NULL, NULL, NULL, NULL }
};

const struct Namespace *ews_input_namespaces(void)
{
    return namespaces;
}

const struct Namespace *ews_output_namespaces(void)
{
    return output_namespaces;
}
