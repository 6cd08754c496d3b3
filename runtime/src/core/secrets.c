#include "core/secrets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base64.h"
#include "core/buf.h"
#include "ews/errors.h"

static char *basic_pair(const char *user, const char *password)
{
    size_t ul = strlen(user), pl = strlen(password);
    char *pair = malloc(ul + pl + 2);
    if (!pair)
        return NULL;
    snprintf(pair, ul + pl + 2, "%s:%s", user, password);
    char *b64 = ews_base64_encode(pair, ul + pl + 1);
    ews_secure_zero(pair, ul + pl + 1);
    free(pair);
    return b64;
}

int ews_secrets_add(ews_secrets *s, const char *secret)
{
    if (!secret || !*secret)
        return 0;
    char *copy = s->count < EWS_SECRET_FORMS_MAX ? strdup(secret) : NULL;
    if (!copy) {
        s->incomplete = 1;
        return EWS_ENOMEM;
    }
    s->form[s->count++] = copy;
    return 0;
}

static int add_pair(ews_secrets *s, const char *user, const char *password)
{
    if (!user || !password)
        return 0;
    char *b64 = basic_pair(user, password);
    int rc = b64 ? ews_secrets_add(s, b64) : EWS_ENOMEM;
    if (!b64)
        s->incomplete = 1;
    else {
        ews_secure_zero(b64, strlen(b64));
        free(b64);
    }
    return rc;
}

int ews_secrets_init(ews_secrets *s, const char *user, const char *password,
                     const char *proxy_user, const char *proxy_password)
{
    memset(s, 0, sizeof *s);
    ews_secrets_add(s, password);
    ews_secrets_add(s, proxy_password);
    add_pair(s, user, password);
    add_pair(s, proxy_user, proxy_password);
    return s->incomplete ? EWS_ENOMEM : 0;
}

void ews_secrets_free(ews_secrets *s)
{
    for (int i = 0; i < s->count; i++) {
        ews_secure_zero(s->form[i], strlen(s->form[i]));
        free(s->form[i]);
    }
    memset(s, 0, sizeof *s);
}

/* Knuth-Morris-Pratt over data, marking every byte of every occurrence of
 * pat (overlapping ones included) in hit[]; each byte is marked at most
 * once, so the whole pass is linear in len + m. */
static int mark(const char *pat, const char *data, size_t len, unsigned char *hit)
{
    size_t m = strlen(pat);
    if (!m || m > len)
        return 0;
    size_t *fail = malloc(m * sizeof *fail);
    if (!fail)
        return EWS_ENOMEM;
    fail[0] = 0;
    for (size_t i = 1, k = 0; i < m; i++) {
        while (k && pat[i] != pat[k])
            k = fail[k - 1];
        if (pat[i] == pat[k])
            k++;
        fail[i] = k;
    }
    size_t covered = 0; /* hit[] is set below this index for the current run */
    for (size_t i = 0, k = 0; i < len; i++) {
        while (k && data[i] != pat[k])
            k = fail[k - 1];
        if (data[i] == pat[k])
            k++;
        if (k == m) {
            size_t from = i + 1 - m;
            if (from < covered)
                from = covered;
            memset(hit + from, 1, i + 1 - from);
            covered = i + 1;
            k = fail[k - 1];
        }
    }
    free(fail);
    return 0;
}

char *ews_secrets_mask(const ews_secrets *s, const char *extra, const char *data, size_t len,
                       size_t *out_len)
{
    if (s->incomplete)
        return NULL;
    unsigned char *hit = calloc(len ? len : 1, 1);
    if (!hit)
        return NULL;
    int rc = 0;
    for (int i = 0; i < s->count && !rc; i++)
        rc = mark(s->form[i], data, len, hit);
    if (!rc && extra)
        rc = mark(extra, data, len, hit);
    ews_buf b = EWS_BUF_INIT;
    if (!rc)
        rc = ews_buf_append(&b, "", 0);
    for (size_t i = 0; i < len && !rc;) {
        size_t j = i;
        while (j < len && hit[j] == hit[i])
            j++;
        rc = hit[i] ? ews_buf_puts(&b, "***") : ews_buf_append(&b, data + i, j - i);
        i = j;
    }
    free(hit);
    if (rc) {
        ews_buf_wipe(&b);
        return NULL;
    }
    return ews_buf_detach(&b, out_len);
}
