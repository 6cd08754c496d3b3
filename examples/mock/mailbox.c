#include "mailbox.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "soapH.h"
#include "soap/context.h"
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

/* The list's own context; the version starts with the mailbox's reference. */
static mock_list_version *parse_version(const char *xml, size_t len, char *why, size_t whylen)
{
    mock_list_version *v = calloc(1, sizeof *v);
    if (!v || !(v->soap = ews_soap_new())) {
        free(v);
        mock_errf(why, whylen, "out of memory");
        return NULL;
    }
    if (mailbox_parse(v->soap, xml, len, &v->list, why, whylen)) {
        mailbox_version_free(v);
        return NULL;
    }
    v->refs = 1;
    return v;
}

static int load_one(const ews_mock_mailbox *src, mock_mailbox *dst, char *err, size_t errlen)
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
        /* Changes replace the file by renaming over it: through a symbolic
         * link that would replace the link, so follow it now. */
        dst->file = realpath(src->file, NULL);
        if (!dst->file) {
            mock_errf(err, errlen, "mailbox %s: %s: %s", src->address, src->file,
                      strerror(errno));
            free(data);
            return -1;
        }
    } else if (!src->xml) {
        mock_errf(err, errlen, "mailbox %s: neither a file nor XML content given", src->address);
        return -1;
    }
    dst->current = parse_version(data ? data : src->xml, data ? len : strlen(src->xml), why,
                                 sizeof why);
    free(data);
    if (!dst->current) {
        mock_errf(err, errlen, "mailbox %s: %s is not a mailbox file: %s", src->address, what,
                  why);
        return -1;
    }
    dst->address = mock_strdup(src->address);
    dst->sid = mock_strdup(src->sid);
    if (!dst->address || (src->sid && !dst->sid)) {
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

/* Two mailboxes written to one file would each overwrite the other's
 * changes. */
static const mock_mailbox *same_as_earlier(const mock_mailboxes *mb, size_t i, const char **what)
{
    const mock_mailbox *m = &mb->items[i];
    for (size_t k = 0; k < i; k++) {
        if (mock_ieq(mb->items[k].address, m->address)) {
            *what = "address";
            return &mb->items[k];
        }
        if (m->file && mb->items[k].file && strcmp(mb->items[k].file, m->file) == 0) {
            *what = "file";
            return &mb->items[k];
        }
    }
    return NULL;
}

int mailboxes_load(mock_mailboxes *mb, const ews_mock_mailbox *src, size_t n, char *err,
                   size_t errlen)
{
    memset(mb, 0, sizeof *mb);
    if (n == 0 || !src) {
        mock_errf(err, errlen, "no mailbox to serve (give at least one)");
        return -1;
    }
    mb->items = calloc(n, sizeof *mb->items);
    if (!mb->items) {
        mock_errf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        mock_mailbox *m = &mb->items[i];
        pthread_mutex_init(&m->lock, NULL);
        pthread_mutex_init(&m->change_lock, NULL);
        mb->count = i + 1;
        if (load_one(&src[i], m, err, errlen)) {
            mailboxes_free(mb);
            return -1;
        }
        const char *what = NULL;
        const mock_mailbox *twin = same_as_earlier(mb, i, &what);
        if (twin) {
            if (strcmp(what, "file") == 0)
                mock_errf(err, errlen, "mailboxes %s and %s are both in %s", twin->address,
                          m->address, m->file);
            else
                mock_errf(err, errlen, "mailbox %s is given twice", m->address);
            mailboxes_free(mb);
            return -1;
        }
    }
    return 0;
}

void mailboxes_free(mock_mailboxes *mb)
{
    for (size_t i = 0; i < mb->count && mb->items; i++) {
        mock_mailbox *m = &mb->items[i];
        free(m->address);
        free(m->sid);
        free(m->file);
        mailbox_version_free(m->current);
        pthread_mutex_destroy(&m->lock);
        pthread_mutex_destroy(&m->change_lock);
    }
    free(mb->items);
    memset(mb, 0, sizeof *mb);
}

/* Whether address is one of the generated userN@contoso.com, 1 <= N <= n
 * (no leading zero, so each mailbox has one address). */
static int generated(const char *address, unsigned long n)
{
    if (!n || strncasecmp(address, "user", 4) != 0)
        return 0;
    const char *p = address + 4;
    if (*p < '1' || *p > '9')
        return 0;
    unsigned long v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > n)
            return 0;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    return v <= n && mock_ieq(p, "@contoso.com");
}

mock_mailbox *mailboxes_find(const mock_mailboxes *mb, const char *address)
{
    for (size_t i = 0; address && i < mb->count; i++)
        if (mock_ieq(mb->items[i].address, address))
            return &mb->items[i];
    if (address && mb->count && generated(address, mb->generated))
        return &mb->items[0];
    return NULL;
}

mock_mailbox *mailboxes_find_sid(const mock_mailboxes *mb, const char *sid)
{
    for (size_t i = 0; sid && i < mb->count; i++)
        if (mb->items[i].sid && mock_ieq(mb->items[i].sid, sid))
            return &mb->items[i];
    return NULL;
}

mock_list_version *mailbox_acquire(mock_mailbox *m)
{
    pthread_mutex_lock(&m->lock);
    mock_list_version *v = m->current;
    v->refs++;
    pthread_mutex_unlock(&m->lock);
    return v;
}

void mailbox_release(mock_mailbox *m, mock_list_version *v)
{
    pthread_mutex_lock(&m->lock);
    int last = --v->refs == 0;
    pthread_mutex_unlock(&m->lock);
    if (last)
        mailbox_version_free(v);
}

void mailbox_publish(mock_mailbox *m, mock_list_version *v)
{
    pthread_mutex_lock(&m->lock);
    mock_list_version *old = m->current;
    m->current = v;
    pthread_mutex_unlock(&m->lock);
    mailbox_release(m, old);
}

void mailbox_version_free(mock_list_version *v)
{
    if (!v)
        return;
    ews_soap_free(v->soap);
    free(v);
}

int mailbox_serialize(const struct t__ImItemListType *list, ews_buf *out)
{
    ews_buf_clear(out);
    struct soap *soap = ews_soap_new();
    if (!soap)
        return -1;
    ews_soap_io io;
    ews_soap_write_to(soap, &io, out);
    /* Indented: the file is also for people to read and edit. */
    soap->omode |= SOAP_XML_INDENT;
    soap->mode = soap->omode;
    soap_serialize_t__ImItemListType(soap, list);
    int rc = soap_begin_send(soap) || soap_put_t__ImItemListType(soap, list, "t:ImItemList", NULL) ||
                     soap_end_send(soap) || io.out_rc || ews_buf_append(out, "\n", 1)
                 ? -1
                 : 0;
    ews_soap_free(soap);
    return rc;
}
