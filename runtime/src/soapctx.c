#include "soapctx.h"

#include <string.h>

#include "soapH.h"
#include "namespaces.h"
#include "ews/errors.h"

static size_t mem_recv(struct soap *soap, char *buf, size_t len)
{
    ews_soap_io *io = soap->user;
    size_t n = io->in_left < len ? io->in_left : len;
    if (n) {
        memcpy(buf, io->in, n);
        io->in += n;
        io->in_left -= n;
    }
    return n;
}

static int mem_send(struct soap *soap, const char *s, size_t n)
{
    ews_soap_io *io = soap->user;
    int rc = ews_buf_append(io->out, s, n);
    if (rc) {
        if (!io->out_rc)
            io->out_rc = rc;
        return SOAP_EOM;
    }
    return SOAP_OK;
}

struct soap *ews_soap_new(void)
{
    struct soap *soap = soap_new1(SOAP_XML_TREE | SOAP_C_UTFSTRING);
    if (!soap)
        return NULL;
    soap_set_namespaces(soap, ews_input_namespaces());
    soap->socket = SOAP_INVALID_SOCKET;
    return soap;
}

void ews_soap_free(struct soap *soap)
{
    if (!soap)
        return;
    soap_destroy(soap);
    soap_end(soap);
    soap_free(soap);
}

void ews_soap_read_from(struct soap *soap, ews_soap_io *io, const char *data, size_t len,
                        const ews_limits *lim)
{
    io->in = data;
    io->in_left = len;
    soap->user = io;
    soap->frecv = mem_recv;
    soap->socket = SOAP_INVALID_SOCKET;
    soap->recvfd = -1;
    soap->is = NULL;
    /* Plain XML: no HTTP header is parsed out of the body, whatever it holds. */
    soap->imode = SOAP_XML_TREE | SOAP_C_UTFSTRING | SOAP_ENC_PLAIN;
    if (lim->strict)
        soap->imode |= SOAP_XML_STRICT;
    soap->recv_maxlength = lim->max_bytes;
    soap->maxlevel = lim->max_depth;
    soap->maxlength = lim->max_string;
    soap->maxoccurs = lim->max_items;
    soap_set_namespaces(soap, ews_input_namespaces());
}

void ews_soap_write_to(struct soap *soap, ews_soap_io *io, ews_buf *out)
{
    io->out = out;
    io->out_rc = 0;
    soap->user = io;
    soap->fsend = mem_send;
    soap->socket = SOAP_INVALID_SOCKET;
    soap->sendfd = -1;
    soap->os = NULL;
    soap->omode = SOAP_XML_TREE | SOAP_C_UTFSTRING | SOAP_IO_BUFFER | SOAP_ENC_PLAIN;
    soap_set_namespaces(soap, ews_output_namespaces());
}
