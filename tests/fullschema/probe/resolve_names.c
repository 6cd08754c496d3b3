/* ResolveNames, an operation the runtime has no call for, serialized with
 * the serializers generated from the whole schema through the runtime's
 * envelope writer: proof that a full-schema build can be extended from
 * outside the library. Prints the request; exits 0 when it holds the
 * operation and its argument. */
#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "envelope.h"

static void serialize(struct soap *soap, const void *body)
{
    soap_serialize___m__ResolveNames(soap, body);
}

static int put(struct soap *soap, const void *body)
{
    return soap_put___m__ResolveNames(soap, body, "-m:ResolveNames", "");
}

int main(void)
{
    char entry[] = "jdoe";
    struct m__ResolveNamesType req = { 0 };
    req.UnresolvedEntry = entry;
    req.ReturnFullContactData = xsd__boolean__true_;
    req.SearchScope = t__ResolveNamesSearchScopeType__ActiveDirectoryContacts;
    struct __m__ResolveNames wrapper = { &req };
    ews_body_writer w = { serialize, put, &wrapper };
    ews_request_headers h = { "Exchange2013", NULL, { EWS_IMPERSONATE_NONE, NULL } };

    ews_buf out = EWS_BUF_INIT;
    ews_err err;
    ews_err_init(&err);
    int rc = ews_envelope_write(&out, &h, &w, &err);
    if (rc) {
        fprintf(stderr, "fullschema_probe: %s\n", err.pub.message);
        ews_err_free(&err);
        return 1;
    }
    fwrite(out.data, 1, out.len, stdout);
    putchar('\n');
    int ok = memmem(out.data, out.len, "<m:ResolveNames", 15) &&
             memmem(out.data, out.len, "UnresolvedEntry>jdoe<", 21);
    ews_buf_free(&out);
    ews_err_free(&err);
    return ok ? 0 : 1;
}
