#include "soap/envelope.h"

#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "soap/memory.h"
#include "soap/msgxml.h"
#include "soap/namespaces.h"
#include "soap/wellformed.h"

int ews_envelope_write(ews_buf *out, const ews_request_headers *h, const ews_body_writer *w,
                       ews_err *err)
{
    ews_alloc_reserve_fill();
    unsigned long failures = ews_alloc_failures();
    struct soap *soap = ews_soap_get();
    if (!soap)
        return ews_err_set(err, EWS_ENOMEM, "out of memory building the request");
    ews_soap_io io;
    int rc = 0;
    struct SOAP_ENV__Header *hdr = NULL;

    soap_begin(soap);
    ews_soap_write_to(soap, &io, out);
    soap->encodingStyle = NULL; /* document/literal */
    rc = ews_headers_build(soap, h, &hdr);
    if (rc) {
        ews_err_set(err, rc, "out of memory building the request");
        goto done;
    }
    soap->header = hdr;
    soap_serializeheader(soap);
    w->serialize(soap, w->body);
    if (soap_begin_send(soap) || soap_envelope_begin_out(soap) || soap_putheader(soap) ||
        soap_body_begin_out(soap) || w->put(soap, w->body) || soap_body_end_out(soap) ||
        soap_envelope_end_out(soap) || soap_end_send(soap)) {
        rc = io.out_rc ? io.out_rc : (soap->error == SOAP_EOM ? EWS_ENOMEM : EWS_EINTERNAL);
        ews_err_set(err, rc, "could not serialize the request (gSOAP error %d)", soap->error);
    }
done:
    soap->header = NULL;
    ews_soap_put(soap);
    ews_alloc_reserve_fill();
    /* The engine may have written a request with parts missing instead. */
    if (!rc && ews_alloc_failures() != failures)
        rc = ews_err_set(err, EWS_ENOMEM, "out of memory building the request");
    return rc;
}

static int is_limit_error(int e)
{
    return e == SOAP_LEVEL || e == SOAP_LENGTH || e == SOAP_OCCURS;
}

/* Maps a failed parse to one of our codes, naming the element when known. */
static int element_in_text(struct soap *soap, const ews_soap_io *io, const ews_limits *lim,
                           const char *what, ews_err *err);

static int parse_failure(struct soap *soap, const ews_limits *lim, const char *what, ews_err *err)
{
    int e = soap->error;
    const char *tag = soap->tag[0] ? soap->tag : NULL;
    if (e == SOAP_EOM)
        return ews_err_set(err, EWS_ENOMEM, "out of memory parsing the %s", what);
    const ews_soap_io *io = soap->user;
    if (io && io->text_child_at)
        return element_in_text(soap, io, lim, what, err);
    if (lim->strict && (e == SOAP_TAG_MISMATCH || e == SOAP_NO_TAG || e == SOAP_OCCURS ||
                        e == SOAP_TYPE || e == SOAP_NULL || e == SOAP_NAMESPACE)) {
        ews_err_field_set(err, EWS_ERRF_ELEMENT, tag);
        return ews_err_set(err, EWS_ESTRICT,
                           "%s does not conform to the EWS schema at element '%s' (gSOAP error %d)",
                           what, tag ? tag : "?", e);
    }
    if (is_limit_error(e)) {
        ews_err_field_set(err, EWS_ERRF_ELEMENT, tag);
        return ews_err_set(err, EWS_ELIMIT, "%s exceeds the parser's %s limit near '%s'", what,
                           e == SOAP_LEVEL ? "nesting depth" : e == SOAP_LENGTH ? "string length"
                                                                                : "item count",
                           tag ? tag : "?");
    }
    if (tag)
        ews_err_field_set(err, EWS_ERRF_ELEMENT, tag);
    if (e == SOAP_EOF)
        return ews_err_set(err, EWS_EPARSE, "%s ends before the XML document does", what);
    return ews_err_set(err, EWS_EPARSE, "malformed %s near element '%s' (gSOAP error %d)", what,
                       tag ? tag : "?", e);
}

static const char *local_part(const char *qname)
{
    const char *c = qname ? strrchr(qname, ':') : NULL;
    return c ? c + 1 : qname;
}

static void copy_fault(const struct SOAP_ENV__Fault *f, ews_err *err)
{
    const char *code = f->faultcode;
    const char *string = f->faultstring;
    const struct SOAP_ENV__Detail *d = f->detail ? f->detail : f->SOAP_ENV__Detail;
    if (!code && f->SOAP_ENV__Code) { /* SOAP 1.2 */
        code = f->SOAP_ENV__Code->SOAP_ENV__Value;
        if (f->SOAP_ENV__Code->SOAP_ENV__Subcode && f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value)
            code = f->SOAP_ENV__Code->SOAP_ENV__Subcode->SOAP_ENV__Value;
    }
    if (!string && f->SOAP_ENV__Reason)
        string = f->SOAP_ENV__Reason->SOAP_ENV__Text;

    const char *rc = d && d->e__ResponseCode ? d->e__ResponseCode : NULL;
    if (!rc && code && strncmp(local_part(code), "Error", 5) == 0)
        rc = local_part(code);
    ews_err_set(err, EWS_EFAULT, "SOAP fault %s: %.300s", rc ? rc : (code ? code : "(no code)"),
                string ? string : "(no fault string)");
    if (rc)
        err->pub.category = ews_response_code_category(rc);
    ews_err_field_set(err, EWS_ERRF_FAULTCODE, code);
    ews_err_field_set(err, EWS_ERRF_FAULTSTRING, string);
    ews_err_field_set(err, EWS_ERRF_RESPONSE_CODE, rc);
    ews_err_field_set(err, EWS_ERRF_MESSAGE_TEXT, d ? d->e__Message : NULL);
    /* Real servers put MessageXml in the types namespace; the errors
     * namespace is read too (see gen/ews_fault_detail.h). */
    const struct e__MessageXml *mx[2] = { d ? d->t__MessageXml : NULL,
                                          d ? d->e__MessageXml : NULL };
    err->pub.back_off_ms = -1;
    for (int i = 0; i < 2 && err->pub.back_off_ms < 0; i++)
        if (mx[i])
            err->pub.back_off_ms = ews_msgxml_back_off(mx[i]->__any, mx[i]->__size);
}

/* An HTML error page (or another document) in place of the envelope is
 * not a SOAP response at all, whether or not it is well-formed. */
static int not_well_formed(const char *data, size_t len, const ews_xml_verdict *v, int rc,
                           const char *what, ews_err *err)
{
    size_t at, n;
    if (!ews_xml_guess_root(data, len, &at, &n))
        return ews_err_set(err, EWS_ENOTSOAP, "%s is not XML: %s at byte %zu", what, v->why,
                           v->offset);
    char root[64];
    snprintf(root, sizeof root, "%.*s", (int)(n < sizeof root ? n : sizeof root - 1), data + at);
    const char *colon = strchr(root, ':');
    if (strcmp(colon ? colon + 1 : root, "Envelope") != 0) {
        ews_err_field_set(err, EWS_ERRF_ELEMENT, root);
        return ews_err_set(err, EWS_ENOTSOAP, "%s is not a SOAP envelope (root element '%s')",
                           what, root);
    }
    if (v->profile && v->quote_len) {
        int quote = v->quote_len > 200 ? 200 : (int)v->quote_len;
        return ews_err_set(err, rc, "%s declares namespace '%.*s' (byte %zu), which %s", what,
                           quote, data + v->offset, v->offset, v->why);
    }
    if (v->profile)
        return ews_err_set(err, rc, "%s has %s at byte %zu", what, v->why, v->offset);
    return ews_err_set(err, EWS_EPARSE, "%s is not well-formed XML: %s at byte %zu", what, v->why,
                       v->offset);
}

static int check_namespace(const void *strict, const char *name, const char **why)
{
    return ews_namespace_check(name, *(const int *)strict, why);
}

/* A text field that held an element (ews_soap_instring). */
static int element_in_text(struct soap *soap, const ews_soap_io *io, const ews_limits *lim,
                           const char *what, ews_err *err)
{
    const char *tag = soap->tag[0] ? soap->tag : "?";
    ews_err_field_set(err, EWS_ERRF_ELEMENT, tag);
    return ews_err_set(err, lim->strict ? EWS_ESTRICT : EWS_EPARSE,
                       "%s has an element inside the text field '%s' (byte %zu); the schema "
                       "gives it text only", what, tag, io->text_child_at - 1);
}

static int read_envelope(struct soap *soap, const char *data, size_t len, int consumable,
                         const ews_limits *lim, ews_body_reader read, void *result,
                         const char *what, ews_err *err, unsigned long failures)
{
    ews_soap_io io;

    if (len > lim->max_bytes)
        return ews_err_set(err, EWS_ETOOBIG, "%s is %zu bytes, over the %zu-byte limit", what, len,
                           lim->max_bytes);
    if (len == 0)
        return ews_err_set(err, EWS_ENOTSOAP, "%s is empty", what);
    /* Before the engine sees it: it would read some malformed documents
     * into strings that are not UTF-8, silently cut short, or quietly
     * different from the document (see wellformed.h). */
    ews_xml_verdict v;
    /* Also what the engine would silently read as something else: mixed
     * content, names longer than its tag buffer, namespace names it would
     * match ignoring case (see wellformed.h and namespaces.h). */
    const ews_xml_profile profile = {
        .max_depth = lim->max_depth,
        .max_name = sizeof soap->tag - 1,
        .no_mixed_content = 1,
        .check_namespace = check_namespace,
        .ctx = &lim->strict,
    };
    int bad = ews_xml_check_response(data, len, &profile, &v);
    if (bad == EWS_ENOMEM)
        return ews_err_set(err, EWS_ENOMEM, "out of memory checking the %s", what);
    if (bad == EWS_ELIMIT)
        return ews_err_set(err, EWS_ELIMIT, "%s exceeds the parser's limits: %s at byte %zu",
                           what, v.why, v.offset);
    if (bad)
        return not_well_formed(data, len, &v, bad, what, err);
    ews_soap_read_from(soap, &io, data, len, lim);
    if (consumable)
        ews_soap_read_consumable(&io);

    if (soap_begin_recv(soap))
        return parse_failure(soap, lim, what, err);
    if (soap_envelope_begin_in(soap)) {
        if (soap->error == SOAP_EOM)
            return ews_err_set(err, EWS_ENOMEM, "out of memory parsing the %s", what);
        if (soap->error == SOAP_SYNTAX_ERROR || soap->error == SOAP_EOF)
            return parse_failure(soap, lim, what, err);
        ews_err_field_set(err, EWS_ERRF_ELEMENT, soap->tag[0] ? soap->tag : NULL);
        return ews_err_set(err, EWS_ENOTSOAP, "%s is not a SOAP envelope (root element '%s')",
                           what, soap->tag[0] ? soap->tag : "?");
    }
    /* gSOAP lets a root other than Envelope through (for REST) and leaves
     * it unread: an HTML error page, for instance. */
    if (soap->peeked) {
        ews_err_field_set(err, EWS_ERRF_ELEMENT, soap->tag[0] ? soap->tag : NULL);
        return ews_err_set(err, EWS_ENOTSOAP, "%s is not a SOAP envelope (root element '%s')",
                           what, soap->tag[0] ? soap->tag : "?");
    }
    if (soap_recv_header(soap) || soap_body_begin_in(soap))
        return parse_failure(soap, lim, what, err);

    unsigned int body_level = soap->level;
    if (read(soap, result) == SOAP_OK) {
        if (soap_body_end_in(soap) || soap_envelope_end_in(soap) || soap_end_recv(soap))
            return parse_failure(soap, lim, what, err);
        return 0;
    }
    /* Strict mode reports running out of input as a tag mismatch. */
    if (io.in_left == 0 && soap->bufidx >= soap->buflen)
        soap->error = SOAP_EOF;
    /* A mismatch deeper than the Body's child is inside the response
     * element, not a different element (such as a Fault) in its place. */
    if ((soap->error != SOAP_TAG_MISMATCH && soap->error != SOAP_NO_TAG) ||
        soap->level > body_level)
        return parse_failure(soap, lim, what, err);

    /* Not the response element: a fault, or something unexpected. */
    char unexpected[sizeof soap->tag];
    snprintf(unexpected, sizeof unexpected, "%s", soap->tag);
    soap->error = SOAP_OK;
    struct SOAP_ENV__Fault *f = soap_get_SOAP_ENV__Fault(soap, NULL, "SOAP-ENV:Fault", NULL);
    if (ews_alloc_failures() != failures) /* f may point anywhere (soap/memory.h) */
        return EWS_ENOMEM;
    if (io.text_child_at)
        return element_in_text(soap, &io, lim, what, err);
    if (f && soap->error == SOAP_OK) {
        copy_fault(f, err);
        /* A fault whose detail says NoError is still a failure. */
        if (err->pub.category == EWS_CAT_OK)
            err->pub.category = EWS_CAT_INVALID_RESPONSE;
        return EWS_EFAULT;
    }
    if (soap->error == SOAP_EOM)
        return ews_err_set(err, EWS_ENOMEM, "out of memory parsing the %s", what);
    if (unexpected[0]) {
        ews_err_field_set(err, EWS_ERRF_ELEMENT, unexpected);
        return ews_err_set(err, lim->strict ? EWS_ESTRICT : EWS_EPARSE,
                           "%s has unexpected element '%s' in the SOAP Body (wrong namespace?)",
                           what, unexpected);
    }
    return ews_err_set(err, EWS_EPARSE, "%s has an empty SOAP Body", what);
}

int ews_envelope_read(struct soap *soap, const char *data, size_t len, int consumable,
                      const ews_limits *lim, ews_body_reader read, void *result,
                      const char *operation, ews_err *err)
{
    char what[96];
    snprintf(what, sizeof what, "%s response", operation);
    /* An allocation that failed inside the engine may have left a result
     * that looks whole but is not, or made it report some other error. */
    ews_alloc_reserve_fill();
    unsigned long failures = ews_alloc_failures();
    int rc = read_envelope(soap, data, len, consumable, lim, read, result, what, err, failures);
    ews_alloc_reserve_fill();
    if (ews_alloc_failures() != failures)
        return ews_err_set(err, EWS_ENOMEM, "out of memory parsing the %s", what);
    return rc;
}

static int inner_code_retryable(const ews_response_status *st)
{
    char inner[128];
    if (!ews_msgxml_find_in(st->message_xml, st->message_xml_count, "InnerErrorResponseCode",
                            inner, sizeof inner))
        return 0;
    return ews_response_code_category(inner) == EWS_CAT_RETRYABLE;
}

int ews_response_status_to_err(const ews_response_status *st, const char *operation, ews_err *err)
{
    if (st->response_class == t__ResponseClassType__Success)
        return 0;
    int warning = st->response_class == t__ResponseClassType__Warning;
    const char *code = st->response_code ? st->response_code : "(no ResponseCode)";
    if (warning)
        ews_err_set(err, 0, "%s warning %s: %.300s", operation, code,
                    st->message_text ? st->message_text : "(no message text)");
    else
        ews_err_set(err, EWS_EEWS, "%s failed with %s: %.300s", operation, code,
                    st->message_text ? st->message_text : "(no message text)");
    err->pub.category = warning ? EWS_CAT_OK : ews_response_code_category(st->response_code);
    /* ResponseClass Error with ResponseCode NoError: the server contradicts
     * itself. Still a failure, but not one with an "ok" category. */
    if (!warning && err->pub.category == EWS_CAT_OK) {
        ews_err_set(err, EWS_EEWS,
                    "%s failed with ResponseClass Error but ResponseCode %s, which contradict "
                    "each other: %.300s",
                    operation, code, st->message_text ? st->message_text : "(no message text)");
        err->pub.category = EWS_CAT_INVALID_RESPONSE;
    }
    if (!warning && st->response_code && strcmp(st->response_code, "ErrorInternalServerError") == 0 &&
        inner_code_retryable(st))
        err->pub.category = EWS_CAT_RETRYABLE;
    ews_err_field_set(err, EWS_ERRF_RESPONSE_CLASS, warning ? "Warning" : "Error");
    ews_err_field_set(err, EWS_ERRF_RESPONSE_CODE, st->response_code);
    ews_err_field_set(err, EWS_ERRF_MESSAGE_TEXT, st->message_text);
    err->pub.back_off_ms = ews_msgxml_back_off(st->message_xml, st->message_xml_count);
    return err->pub.code;
}
