#include "service.h"

#include <stdio.h>
#include <string.h>

#include "soapH.h"
#include "soap/headers.h"
#include "soap/namespaces.h"
#include "parse_error.h"
#include "service_ops.h"
#include "soap_fault.h"
#include "soap/context.h"
#include "util.h"

/* What a service function needs beyond its parameters. It reaches them
 * through soap->user, which the runtime's in-memory I/O callbacks read as
 * an ews_soap_io: hence io comes first. */
typedef struct service_call {
    ews_soap_io io;
    const mock_service *svc;
    const char *user;
    const char *code;     /* what we answered */
    mock_mailbox *held_in;
    mock_list_version *held;  /* released once the response is written */
    int raw_status;           /* > 0: io.out holds the whole answer, with this status */
} service_call;

static int fault(struct soap *soap, const char *code, const char *message,
                 const char *value_name, const char *value)
{
    service_call *call = soap->user;
    call->code = code;
    return mock_fault_set(soap, code, message, value_name, value);
}

static int is_impersonator(const mock_service *svc, const char *user)
{
    for (char *const *p = svc->impersonators; user && p && *p; p++)
        if (mock_ieq(*p, user))
            return 1;
    return 0;
}

/* The mailbox a request is about: the caller's own, or the one named in
 * ExchangeImpersonation when the caller may impersonate. Like Exchange,
 * refusals come back as SOAP faults. */
static int select_mailbox(struct soap *soap, mock_mailbox **out)
{
    service_call *call = soap->user;
    const mock_mailboxes *mb = call->svc->mailboxes;
    const struct t__ExchangeImpersonationType *ei =
        soap->header ? soap->header->t__ExchangeImpersonation : NULL;
    if (!ei) {
        *out = &mb->items[0];
        return SOAP_OK;
    }
    const struct t__ConnectingSIDType *sid = ei->ConnectingSID;
    const char *address = NULL, *sid_value = NULL;
    if (sid && sid->PrimarySmtpAddress)
        address = sid->PrimarySmtpAddress->__item;
    else if (sid && sid->SmtpAddress)
        address = sid->SmtpAddress->__item;
    else if (sid && sid->PrincipalName)
        address = sid->PrincipalName->__item; /* the mock's UPNs are the addresses */
    else if (sid && sid->SID)
        sid_value = sid->SID->__item;
    if ((!address || !*address) && (!sid_value || !*sid_value))
        return fault(soap, "ErrorInvalidExchangeImpersonationHeaderData", NULL, NULL, NULL);
    if (!is_impersonator(call->svc, call->user))
        return fault(soap, "ErrorImpersonateUserDenied", NULL, NULL, NULL);
    *out = address ? mailboxes_find(mb, address) : mailboxes_find_sid(mb, sid_value);
    if (!*out)
        return fault(soap, "ErrorNonExistentMailbox", NULL, address ? "SmtpAddress" : "SID",
                     address ? address : sid_value);
    return SOAP_OK;
}

/* RequestServerVersion checks, in Exchange's order and words. */
static int check_version(struct soap *soap)
{
    service_call *call = soap->user;
    const struct _t__RequestServerVersion *rsv =
        soap->header ? soap->header->t__RequestServerVersion : NULL;
    if (!rsv || !rsv->Version)
        return fault(soap, "ErrorIncorrectSchemaVersion", NULL, NULL, NULL);
    int rank = ews_server_version_rank(rsv->Version);
    if (rank < 0 || rank < call->svc->min_version_rank)
        return fault(soap, "ErrorInvalidServerVersion", NULL, NULL, NULL);
    return SOAP_OK;
}

int mock_service_begin(struct soap *soap, mock_mailbox **out)
{
    *out = NULL;
    int rc = check_version(soap);
    return rc ? rc : select_mailbox(soap, out);
}

int mock_service_require(struct soap *soap, const char *value, const char *element)
{
    if (value && *value)
        return SOAP_OK;
    char message[256];
    snprintf(message, sizeof message,
             "The request failed schema validation: the element '%s' is %s", element,
             value ? "empty" : "missing");
    return fault(soap, "ErrorSchemaValidation", message, NULL, NULL);
}

int mock_service_require_id(struct soap *soap, const struct t__ItemIdType *id,
                            const char *element)
{
    if (id && id->Id)
        return SOAP_OK;
    char message[256];
    snprintf(message, sizeof message,
             "The request failed schema validation: the element '%s'%s is missing", element,
             id ? " has no Id attribute, which" : "");
    return fault(soap, "ErrorSchemaValidation", message, NULL, NULL);
}

const mock_ews_error *mock_check_id(const struct t__ItemIdType *id)
{
    const char *s = id ? id->Id : NULL;
    if (!s || !*s)
        return &MOCK_ERR_ID_EMPTY;
    /* Exchange ids are base64 (the URL-safe alphabet included). */
    for (; *s; s++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_", *s))
            return &MOCK_ERR_ID_MALFORMED;
    return NULL;
}

void mock_service_hold(struct soap *soap, mock_mailbox *m, mock_list_version *v)
{
    service_call *call = soap->user;
    /* One per request: no operation reads twice. */
    if (call->held)
        mailbox_release(call->held_in, call->held);
    call->held_in = m;
    call->held = v;
}

const mock_ews_error *mock_service_change(struct soap *soap, mock_mailbox *m, mock_change_fn fn,
                                          void *arg)
{
    mock_list_version *v = NULL;
    const mock_ews_error *refusal = NULL;
    char why[512];
    switch (mailbox_change(m, fn, arg, &v, &refusal, why, sizeof why)) {
    case MOCK_CHANGE_DONE:
        mock_service_hold(soap, m, v);
        return NULL;
    case MOCK_CHANGE_REFUSED:
        return refusal;
    case MOCK_CHANGE_FAILED:
        break;
    }
    /* The reason (a full disk, say) is what whoever runs the mock needs. */
    mock_ews_error *e = soap_malloc(soap, sizeof *e);
    char text[640];
    snprintf(text, sizeof text, "%s (%s)", MOCK_ERR_INTERNAL.text, why);
    if (!e || !(e->text = soap_strdup(soap, text)))
        return &MOCK_ERR_INTERNAL;
    e->code = MOCK_ERR_INTERNAL.code;
    return e;
}

static int *new_int(struct soap *soap, int v)
{
    int *p = soap_malloc(soap, sizeof *p);
    if (p)
        *p = v;
    return p;
}

/* The response header carries only ServerVersionInfo; the request's
 * headers must not be echoed. */
static int set_response_header(struct soap *soap)
{
    struct SOAP_ENV__Header *h = soap_new_SOAP_ENV__Header(soap, 1);
    struct _t__ServerVersionInfo *v = soap_new__t__ServerVersionInfo(soap, 1);
    if (!h || !v || !(v->MajorVersion = new_int(soap, MOCK_SERVER_MAJOR)) ||
        !(v->MinorVersion = new_int(soap, MOCK_SERVER_MINOR)) ||
        !(v->MajorBuildNumber = new_int(soap, MOCK_SERVER_MAJOR_BUILD)) ||
        !(v->MinorBuildNumber = new_int(soap, MOCK_SERVER_MINOR_BUILD)) ||
        !(v->Version = soap_strdup(soap, MOCK_SERVER_VERSION)))
        return soap->error = SOAP_EOM;
    h->t__ServerVersionInfo = v;
    soap->header = h;
    return SOAP_OK;
}

int mock_response_head(struct soap *soap, const mock_ews_error *err,
                       enum t__ResponseClassType *response_class, char **message_text,
                       char **response_code, int **descriptive_link_key)
{
    service_call *call = soap->user;
    *response_class = err ? t__ResponseClassType__Error : t__ResponseClassType__Success;
    if (!(*response_code = soap_strdup(soap, err ? err->code : "NoError")) ||
        (err && !(*message_text = soap_strdup(soap, err->text))) ||
        (err && !(*descriptive_link_key = new_int(soap, 0))) || set_response_header(soap))
        return soap->error = SOAP_EOM;
    /* Answer with http:// namespaces whatever the request used (gSOAP
     * would otherwise echo the request's), as SOAP 1.1 like Exchange. The
     * version goes first: changing it later rewrites the table. */
    soap->version = 1;
    soap_set_namespaces(soap, ews_output_namespaces());
    call->code = err ? err->code : "NoError";
    return SOAP_OK;
}

/* The answer of an operation the mock has no behaviour of its own for and
 * no canned response (the generated ews_mock_fallback.c calls this): a
 * response message of class Error saying so, in the operation's own shape,
 * or a fault where the operation has no response message. */
int mock_service_fallback(struct soap *soap, const ews_op_descriptor *op)
{
    service_call *call = soap->user;
    ews_buf *out = call->io.out;
    char text[200];
    snprintf(text, sizeof text, "The mock EWS server does not implement %s.", op->op.name);
    const char *msg = op->shape == EWS_OP_SHAPE_SINGLE ? op->response_element : op->message_element;
    if (op->shape == EWS_OP_SHAPE_OTHER || !msg)
        return fault(soap, "ErrorInvalidOperation", text, NULL, NULL);
    call->code = "ErrorInvalidOperation";
    int rc = ews_buf_printf(
        out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">"
        "<s:Header><t:ServerVersionInfo MajorVersion=\"%d\" MinorVersion=\"%d\" "
        "MajorBuildNumber=\"%d\" MinorBuildNumber=\"%d\" Version=\"%s\"/></s:Header><s:Body>",
        MOCK_SERVER_MAJOR, MOCK_SERVER_MINOR, MOCK_SERVER_MAJOR_BUILD, MOCK_SERVER_MINOR_BUILD,
        MOCK_SERVER_VERSION);
    if (!rc && op->shape != EWS_OP_SHAPE_SINGLE)
        rc = ews_buf_printf(out, "<%s>%s", op->response_element,
                            op->shape == EWS_OP_SHAPE_ARRAY ? "<m:ResponseMessages>" : "");
    if (!rc)
        rc = ews_buf_printf(out,
                            "<%s ResponseClass=\"Error\"><m:MessageText>%s</m:MessageText>"
                            "<m:ResponseCode>ErrorInvalidOperation</m:ResponseCode>"
                            "<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></%s>",
                            msg, text, msg);
    if (!rc && op->shape != EWS_OP_SHAPE_SINGLE)
        rc = ews_buf_printf(out, "%s</%s>",
                            op->shape == EWS_OP_SHAPE_ARRAY ? "</m:ResponseMessages>" : "",
                            op->response_element);
    if (!rc)
        rc = ews_buf_puts(out, "</s:Body></s:Envelope>");
    if (rc)
        return soap->error = SOAP_EOM;
    call->raw_status = 200;
    return soap->error = SOAP_STOP;
}

/* A canned response replaces whatever the mock would answer for its
 * operation: the whole envelope as it is, with the status Exchange sends
 * it with. */
static int answer_canned(struct soap *soap, const mock_canned *c)
{
    service_call *call = soap->user;
    call->code = "canned";
    if (ews_buf_append(call->io.out, c->body, c->len))
        return soap->error = SOAP_EOM;
    call->raw_status = memmem(c->body, c->len, "Fault>", 6) ? 500 : 200;
    return soap->error = SOAP_STOP;
}

/* Reads the envelope up to the Body's child and dispatches on it. */
static int serve(struct soap *soap)
{
    service_call *call = soap->user;
    if (soap_begin_recv(soap) || soap_envelope_begin_in(soap))
        return soap->error;
    /* gSOAP lets a root other than Envelope through (REST) unread. */
    if (soap->peeked)
        return soap->error = SOAP_VERSIONMISMATCH;
    if (soap_recv_header(soap) || soap_body_begin_in(soap))
        return soap->error;
    /* The engine names the Body's child with our prefixes ("m:GetPersona")
     * whatever the request's were. */
    if (call->svc->canned && call->svc->canned->count && soap_peek_element(soap) == SOAP_OK) {
        const mock_canned *c = mock_canned_for_element(call->svc->canned, soap->tag);
        if (c)
            return answer_canned(soap, c);
    }
    return soap_serve_request(soap);
}

static int answer_parse_failure(struct soap *soap, service_call *call)
{
    char why[400], message[512];
    if (soap->error == SOAP_EOM)
        return fault(soap, "ErrorInternalServerError", NULL, NULL, NULL);
    if (soap->error == SOAP_NO_METHOD)
        snprintf(why, sizeof why,
                 "the SOAP Body holds '%.200s', which is not an operation this server implements "
                 "(the IM list operations)",
                 soap->tag[0] ? soap->tag : "nothing");
    else
        mock_describe_parse_error(soap, call->io.in_left == 0 && soap->bufidx >= soap->buflen,
                                  why, sizeof why);
    snprintf(message, sizeof message, "The request failed schema validation: %s", why);
    return fault(soap, "ErrorSchemaValidation", message, NULL, NULL);
}

int mock_service_handle(const mock_service *svc, const char *user, const char *body, size_t len,
                        ews_buf *out, mock_service_result *res)
{
    service_call call;
    memset(&call, 0, sizeof call);
    call.svc = svc;
    call.user = user;
    ews_buf_clear(out);

    struct soap *soap = ews_soap_new();
    if (!soap)
        return -1;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.strict = svc->strict;
    /* Reading last: it installs the input namespace table. */
    ews_soap_write_to(soap, &call.io, out);
    ews_soap_read_from(soap, &call.io, body, len, &lim);

    int rc = 0;
    int err = serve(soap);
    if (err == SOAP_OK && call.io.out_rc)
        soap->error = SOAP_EOM; /* the response did not fit in memory */
    if (call.raw_status) {
        res->status = call.raw_status; /* mock_service_fallback wrote all of it */
    } else if (err == SOAP_OK && !call.io.out_rc) {
        res->status = 200;
    } else {
        /* A fault of ours, or the request could not be read: either way a
         * fault replaces whatever partial output there is. */
        if (soap->error != SOAP_FAULT || !soap->fault)
            answer_parse_failure(soap, &call);
        if (soap->error == SOAP_FAULT && mock_fault_write(soap, out) == 0)
            res->status = 500;
        else
            rc = -1;
    }
    snprintf(res->code, sizeof res->code, "%s", call.code ? call.code : "?");
    if (call.held)
        mailbox_release(call.held_in, call.held);
    ews_soap_free(soap);
    return rc;
}

int mock_service_busy(long back_off_ms, ews_buf *out, mock_service_result *res)
{
    char value[32];
    snprintf(value, sizeof value, "%ld", back_off_ms < 0 ? 0 : back_off_ms);
    res->status = 500;
    snprintf(res->code, sizeof res->code, "ErrorServerBusy");
    return mock_fault_standalone(out, "ErrorServerBusy", NULL, "BackOffMilliseconds", value);
}
