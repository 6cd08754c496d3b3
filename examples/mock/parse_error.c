#include "parse_error.h"

#include <stdio.h>

#include "soapH.h"

void mock_describe_parse_error(const struct soap *soap, int truncated, char *out, size_t outlen)
{
    const char *tag = soap->tag[0] ? soap->tag : "?";
    /* Strict mode reports running out of input as a tag mismatch. */
    if (truncated && (soap->error == SOAP_TAG_MISMATCH || soap->error == SOAP_NO_TAG ||
                      soap->error == SOAP_SYNTAX_ERROR)) {
        snprintf(out, outlen, "the XML document ends prematurely (inside '%s')", tag);
        return;
    }
    switch (soap->error) {
    case SOAP_EOF:
        snprintf(out, outlen, "the XML document ends prematurely");
        break;
    case SOAP_SYNTAX_ERROR:
        snprintf(out, outlen, "malformed XML near '%s'", tag);
        break;
    case SOAP_TAG_MISMATCH:
    case SOAP_NO_TAG:
        snprintf(out, outlen, "unexpected element '%s'", tag);
        break;
    case SOAP_OCCURS:
        snprintf(out, outlen, "element '%s' occurs too few or too many times", tag);
        break;
    case SOAP_TYPE:
        snprintf(out, outlen, "element or attribute '%s' has a value of the wrong type", tag);
        break;
    case SOAP_NULL:
        snprintf(out, outlen, "element '%s' must not be nil", tag);
        break;
    case SOAP_NAMESPACE:
        snprintf(out, outlen, "element '%s' is in an unexpected namespace", tag);
        break;
    case SOAP_VERSIONMISMATCH:
        snprintf(out, outlen, "the root element '%s' is not a SOAP 1.1 or 1.2 Envelope", tag);
        break;
    case SOAP_MUSTUNDERSTAND:
        snprintf(out, outlen, "header '%s' is marked mustUnderstand but is not understood", tag);
        break;
    case SOAP_LEVEL:
        snprintf(out, outlen, "elements are nested too deeply at '%s'", tag);
        break;
    case SOAP_LENGTH:
        snprintf(out, outlen, "a value in '%s' is too long", tag);
        break;
    case SOAP_EOM:
        snprintf(out, outlen, "out of memory");
        break;
    case SOAP_UTF_ERROR:
        snprintf(out, outlen, "invalid UTF-8 near '%s'", tag);
        break;
    default:
        snprintf(out, outlen, "the XML could not be read near '%s' (gSOAP error %d)", tag,
                 soap->error);
        break;
    }
}
