#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/errors.h"

static int grow(ews_buf *b, size_t need)
{
    if (b->limit && need > b->limit)
        return EWS_ETOOBIG;
    if (need + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need + 1) {
        if (cap > SIZE_MAX / 2)
            return EWS_ENOMEM;
        cap *= 2;
    }
    char *p = realloc(b->data, cap);
    if (!p)
        return EWS_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int ews_buf_append(ews_buf *b, const void *data, size_t len)
{
    if (len > SIZE_MAX - b->len - 1)
        return EWS_ENOMEM;
    int rc = grow(b, b->len + len);
    if (rc)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int ews_buf_puts(ews_buf *b, const char *s)
{
    return ews_buf_append(b, s, strlen(s));
}

int ews_buf_printf(ews_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return EWS_EINVAL;
    int rc = grow(b, b->len + (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void ews_buf_clear(ews_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void ews_secure_zero(void *p, size_t n)
{
    if (!p || !n)
        return;
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

void ews_buf_wipe(ews_buf *b)
{
    if (b->data)
        ews_secure_zero(b->data, b->cap);
    ews_buf_free(b);
}

void ews_buf_free(ews_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *ews_buf_detach(ews_buf *b, size_t *len)
{
    char *p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
