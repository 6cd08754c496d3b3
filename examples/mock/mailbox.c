#include "mailbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "soapctx.h"
#include "parse_error.h"
#include "util.h"

int mailbox_parse(struct soap *soap, const char *xml, size_t len,
                  struct t__ImItemListType **out, char *why, size_t whylen)
{
    ews_soap_io io;
    /* Lenient on purpose: the mock serves what real servers send, and the
     * type map keeps their known deviations (see gen/typemap.dat) so they
     * go back out on the wire unchanged. */
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.max_bytes = MOCK_MAILBOX_MAX_BYTES;
    *out = NULL;
    ews_soap_read_from(soap, &io, xml, len, &lim);
    if (soap_begin_recv(soap) || soap_peek_element(soap)) {
        mock_describe_parse_error(soap, 0, why, whylen);
        return -1;
    }
    /* Either namespace: a list cut out of a response sits in messages. */
    if (soap_match_tag(soap, soap->tag, "t:ImItemList") != SOAP_OK &&
        soap_match_tag(soap, soap->tag, "m:ImItemList") != SOAP_OK) {
        mock_errf(why, whylen,
                  "the root element is '%s', not ImItemList in the EWS types namespace",
                  soap->tag);
        return -1;
    }
    struct t__ImItemListType *list = soap_in_t__ImItemListType(soap, NULL, NULL, NULL);
    if (!list || soap_end_recv(soap)) {
        mock_describe_parse_error(soap, io.in_left == 0 && soap->bufidx >= soap->buflen, why,
                                  whylen);
        return -1;
    }
    *out = list;
    return 0;
}

static int load_one(mock_mailboxes *mb, const ews_mock_mailbox *src, mock_mailbox *dst,
                    char *err, size_t errlen)
{
    char why[512];
    char *data = NULL;
    size_t len = 0;
    const char *what = src->file ? src->file : "(built-in XML)";

    if (!src->address || !strchr(src->address, '@')) {
        mock_errf(err, errlen, "mailbox %s: the address '%s' is not an SMTP address", what,
                  src->address ? src->address : "(none)");
        return -1;
    }
    if (src->file) {
        int e = mock_read_file(src->file, MOCK_MAILBOX_MAX_BYTES, &data, &len);
        if (e) {
            mock_errf(err, errlen, "mailbox %s: cannot read %s: %s", src->address, src->file,
                      e == EFBIG ? "larger than 64 MiB" : strerror(e));
            return -1;
        }
    } else if (!src->xml) {
        mock_errf(err, errlen, "mailbox %s: neither a file nor XML content given", src->address);
        return -1;
    }
    struct t__ImItemListType *list = NULL;
    int rc = mailbox_parse(mb->soap, data ? data : src->xml, data ? len : strlen(src->xml),
                           &list, why, sizeof why);
    free(data);
    if (rc) {
        mock_errf(err, errlen, "mailbox %s: %s is not a mailbox file: %s", src->address, what,
                  why);
        return -1;
    }
    dst->list = list;
    dst->address = mock_strdup(src->address);
    dst->sid = mock_strdup(src->sid);
    if (!dst->address || (src->sid && !dst->sid)) {
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

int mailboxes_load(mock_mailboxes *mb, const ews_mock_mailbox *src, size_t n, char *err,
                   size_t errlen)
{
    memset(mb, 0, sizeof *mb);
    if (n == 0 || !src) {
        mock_errf(err, errlen, "no mailbox to serve (give at least one)");
        return -1;
    }
    mb->soap = ews_soap_new();
    mb->items = calloc(n, sizeof *mb->items);
    if (!mb->soap || !mb->items) {
        mailboxes_free(mb);
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        mb->count = i + 1;
        if (load_one(mb, &src[i], &mb->items[i], err, errlen)) {
            mailboxes_free(mb);
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (mock_ieq(mb->items[k].address, mb->items[i].address)) {
                mock_errf(err, errlen, "mailbox %s is given twice", mb->items[i].address);
                mailboxes_free(mb);
                return -1;
            }
    }
    return 0;
}

void mailboxes_free(mock_mailboxes *mb)
{
    for (size_t i = 0; i < mb->count && mb->items; i++) {
        free(mb->items[i].address);
        free(mb->items[i].sid);
    }
    free(mb->items);
    ews_soap_free(mb->soap);
    memset(mb, 0, sizeof *mb);
}

const mock_mailbox *mailboxes_find(const mock_mailboxes *mb, const char *address)
{
    for (size_t i = 0; address && i < mb->count; i++)
        if (mock_ieq(mb->items[i].address, address))
            return &mb->items[i];
    return NULL;
}

const mock_mailbox *mailboxes_find_sid(const mock_mailboxes *mb, const char *sid)
{
    for (size_t i = 0; sid && i < mb->count; i++)
        if (mb->items[i].sid && mock_ieq(mb->items[i].sid, sid))
            return &mb->items[i];
    return NULL;
}
