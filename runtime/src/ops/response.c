/* Any generated operation's request and response, through its descriptor:
 * the envelope around the request element, and every response message's
 * status mapped into an error or a kept warning. */
#include <stdlib.h>

#include "soapH.h"
#include "ops/response.h"
#include "soap/wellformed.h"

int ews_request_write(ews_buf *out, const ews_request_headers *h, const ews_op_descriptor *op,
                      const void *request, ews_err *err)
{
    if (!request)
        return ews_err_set(err, EWS_EINVAL, "%s: no request", op->op.name);
    int rc = ews_headers_validate(h, op->op.name, op->op.min_version, err);
    if (rc)
        return rc;
    ews_body_writer w = { op->serialize, op->put, request };
    if ((rc = ews_envelope_write(out, h, &w, err)))
        return rc;
    /* The engine copies the caller's strings to the wire byte for byte;
     * a server refuses the whole request when one is not XML text. */
    ews_xml_verdict v;
    if (ews_xml_check_document(out->data, out->len, 1024, &v) == EWS_EPARSE)
        return ews_err_set(err, EWS_EINVAL,
                           "%s: the request would not be well-formed XML (at byte %zu: %s); a "
                           "string in it is not UTF-8 text that XML can carry",
                           op->op.name, v.offset, v.why);
    return 0;
}

static void take_server_version(ews_response *r)
{
    const struct SOAP_ENV__Header *h = r->soap->header;
    const struct _t__ServerVersionInfo *v = h ? h->t__ServerVersionInfo : NULL;
    if (!v)
        return;
    r->has_server_version = 1;
    r->server_version.major_version = v->MajorVersion ? *v->MajorVersion : -1;
    r->server_version.minor_version = v->MinorVersion ? *v->MinorVersion : -1;
    r->server_version.major_build = v->MajorBuildNumber ? *v->MajorBuildNumber : -1;
    r->server_version.minor_build = v->MinorBuildNumber ? *v->MinorBuildNumber : -1;
    r->server_version.version = v->Version;
}

/* The message at index i as an error (class Error: its code) or a kept
 * warning; 0 for a success. */
static int check_message(ews_response *r, size_t i, ews_err *err)
{
    const ews_op_descriptor *op = r->op;
    ews_response_status st = { 0 };
    char what[160];
    if (r->message_count > 1)
        snprintf(what, sizeof what, "%s (response message %zu of %zu)", op->op.name, i + 1,
                 r->message_count);
    else
        snprintf(what, sizeof what, "%s", op->op.name);
    if (!op->message_status(r->payload, i, &st))
        return ews_err_set(err, EWS_EPARSE, "%s: the response holds an element that is no "
                           "response message", what);
    if (st.response_class == t__ResponseClassType__Error)
        return ews_response_status_to_err(&st, what, err);
    if (st.response_class == t__ResponseClassType__Warning && !r->has_warning) {
        ews_response_status_to_err(&st, what, &r->warning);
        r->has_warning = 1;
        /* A warning that lost its text to a failed copy is not the answer. */
        if (r->warning.incomplete)
            return ews_err_set(err, EWS_ENOMEM, "out of memory keeping the warning");
    }
    return 0;
}

int ews_response_parse(ews_response **out, const ews_op_descriptor *op, const char *data,
                       size_t len, int consumable, const ews_limits *lim, ews_err *err)
{
    *out = NULL;
    ews_response *r = calloc(1, sizeof *r);
    if (!r)
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    r->op = op;
    ews_err_init(&r->warning);
    r->soap = ews_soap_get();
    if (!r->soap) {
        ews_response_free(r);
        return ews_err_set(err, EWS_ENOMEM, "out of memory");
    }
    /* No heap (cells off or unavailable): the C library's blocks. */
    r->cells = ews_cells_new();
    ews_cells *outer = ews_cells_enter(r->cells);
    int rc = ews_envelope_read(r->soap, data, len, consumable, lim, op->read, &r->payload,
                               op->op.name, err);
    ews_cells_leave(outer);
    if (rc)
        goto fail;
    if (!r->payload) {
        rc = ews_err_set(err, EWS_EPARSE, "%s response has no %s", op->op.name,
                         op->response_element);
        goto fail;
    }
    r->message_count = op->message_count ? op->message_count(r->payload) : 0;
    if (op->shape != EWS_OP_SHAPE_OTHER && r->message_count == 0) {
        rc = ews_err_set(err, EWS_EPARSE, "%s response has no response message", op->op.name);
        goto fail;
    }
    for (size_t i = 0; i < r->message_count; i++)
        if ((rc = check_message(r, i, err)))
            goto fail;
    take_server_version(r);
    *out = r;
    return 0;
fail:
    ews_response_free(r);
    return rc;
}

void ews_response_free(ews_response *r)
{
    if (!r)
        return;
    ews_soap_put(r->soap);
    /* After the engine freed its blocks: the slabs go back empty. */
    ews_cells_release(r->cells);
    ews_err_free(&r->warning);
    free(r);
}

const char *ews_response_operation(const ews_response *r)
{
    return r ? r->op->op.name : NULL;
}

size_t ews_response_message_count(const ews_response *r)
{
    return r ? r->message_count : 0;
}

const ews_error *ews_response_warning(const ews_response *r)
{
    return r && r->has_warning ? &r->warning.pub : NULL;
}

const ews_server_version *ews_response_server_version(const ews_response *r)
{
    return r && r->has_server_version ? &r->server_version : NULL;
}
