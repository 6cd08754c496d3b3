/* XML namespace tables for the gSOAP engine.
 *
 * The prefixes must be the ones the code was generated with (gen/typemap.dat
 * and gen/ews_fault_detail.h). The third column is the pattern accepted on
 * input: Microsoft's documentation examples write the EWS namespaces as
 * https://, real servers and the schema as http://; lenient reading accepts
 * both (strict only http://, see ews_namespace_check) and we always send
 * http://.
 */
#include <string.h>

#include "soapH.h"
#include "soap/namespaces.h"
#include "ews/errors.h"

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

/* ---- what a response may declare ------------------------------------------
 * The engine binds a declared namespace name to a row of the table when it
 * equals the second column or matches the third, and it matches the third
 * ignoring letter case, with '*' for any run and '-' for any one
 * character: "HTTP://SCHEMAS.MICROSOFT.COM/.../TYPES" would be read as the
 * EWS types namespace, in strict mode too. Namespace names are compared
 * exactly (Namespaces in XML), so whatever the engine would bind other than
 * the spellings below is refused before it reads anything. */

static int is_ews_row(const struct Namespace *row)
{
    return strncmp(row->ns, "http://schemas.microsoft.com/exchange/services/", 47) == 0;
}

/* Whether name matches pattern exactly, '*' standing for any run of
 * characters. Linear in the name for the table's patterns (one '*'
 * backtrack point at a time). */
static int glob_exact(const char *name, const char *pattern)
{
    const char *star = NULL, *resume = NULL;
    while (*name) {
        if (*pattern == '*') {
            star = ++pattern;
            resume = name;
        } else if (*pattern == *name) {
            pattern++;
            name++;
        } else if (star) {
            pattern = star;
            name = ++resume;
        } else {
            return 0;
        }
    }
    while (*pattern == '*')
        pattern++;
    return *pattern == '\0';
}

int ews_namespace_check(const char *name, int strict, const char **why)
{
    const struct Namespace *row = namespaces;
    for (; row->id; row++)
        if (strcmp(name, row->ns) == 0 || (row->in && soap_tag_cmp(name, row->in) == 0))
            break;
    if (!row->id || strcmp(name, row->ns) == 0)
        return 0; /* foreign, or the table's own spelling */
    if (is_ews_row(row)) {
        if (strncmp(name, "https://", 8) == 0 && strcmp(name + 8, row->ns + 7) == 0) {
            if (!strict)
                return 0;
            *why = "is an EWS namespace spelled https://; the schema declares only http:// "
                   "(what real servers send), and strict mode takes nothing else";
            return EWS_ESTRICT;
        }
        *why = "the parser would read as an EWS namespace, though it differs from every "
               "spelling of one (namespace names are compared exactly, letter case included)";
        return EWS_EPARSE;
    }
    if (glob_exact(name, row->in))
        return 0; /* another SOAP or XML Schema version, such as SOAP 1.2 */
    *why = "the parser would read as a SOAP or XML Schema namespace, though it differs from "
           "every spelling of one (namespace names are compared exactly, letter case included)";
    return EWS_EPARSE;
}
