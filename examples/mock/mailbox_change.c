#include "mailbox_change.h"

#include <stdlib.h>
#include <string.h>

#include "soapH.h"
#include "persist.h"
#include "soap/context.h"
#include "util.h"

/* There is no generated deep copy in C; a round trip through the mailbox
 * document gives one, and proves the result can be read back. */
static mock_list_version *copy_version(const mock_list_version *from, ews_buf *xml, char *why,
                                       size_t whylen)
{
    if (mailbox_serialize(from->list, xml)) {
        mock_errf(why, whylen, "out of memory");
        return NULL;
    }
    mock_list_version *v = calloc(1, sizeof *v);
    if (!v || !(v->soap = ews_soap_new())) {
        free(v);
        mock_errf(why, whylen, "out of memory");
        return NULL;
    }
    if (mailbox_parse(v->soap, xml->data, xml->len, &v->list, why, whylen)) {
        mailbox_version_free(v);
        return NULL;
    }
    return v;
}

static mock_change_result change_locked(mock_mailbox *m, mock_change_fn fn, void *arg,
                                        mock_list_version **out,
                                        const mock_ews_error **refusal, char *why,
                                        size_t whylen)
{
    ews_buf xml = EWS_BUF_INIT;
    /* Only changes replace m->current, and we hold the change lock. */
    mock_list_version *v = copy_version(m->current, &xml, why, whylen);
    if (!v) {
        ews_buf_free(&xml);
        return MOCK_CHANGE_FAILED;
    }
    *refusal = fn(v->soap, v->list, arg);
    if (*refusal) {
        ews_buf_free(&xml);
        mailbox_version_free(v);
        return MOCK_CHANGE_REFUSED;
    }
    if (mailbox_serialize(v->list, &xml)) {
        mock_errf(why, whylen, "out of memory");
        goto failed;
    }
    if (xml.len > MOCK_MAILBOX_MAX_BYTES) {
        mock_errf(why, whylen, "the mailbox would be larger than 64 MiB");
        goto failed;
    }
    if (m->file) {
        int e = mock_persist_replace(m->file, xml.data, xml.len);
        if (e) {
            mock_errf(why, whylen, "cannot write %s: %s", m->file, strerror(e));
            goto failed;
        }
    }
    ews_buf_free(&xml);
    /* One reference for the mailbox, one for the caller. */
    v->refs = 2;
    mailbox_publish(m, v);
    *out = v;
    return MOCK_CHANGE_DONE;
failed:
    ews_buf_free(&xml);
    mailbox_version_free(v);
    return MOCK_CHANGE_FAILED;
}

mock_change_result mailbox_change(mock_mailbox *m, mock_change_fn fn, void *arg,
                                  mock_list_version **out, const mock_ews_error **refusal,
                                  char *why, size_t whylen)
{
    *out = NULL;
    *refusal = NULL;
    pthread_mutex_lock(&m->change_lock);
    mock_change_result r = change_locked(m, fn, arg, out, refusal, why, whylen);
    pthread_mutex_unlock(&m->change_lock);
    return r;
}
