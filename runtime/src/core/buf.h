/* Growable byte buffer, always NUL-terminated. */
#ifndef EWS_BUF_H
#define EWS_BUF_H

#include <stddef.h>

typedef struct ews_buf {
    char *data;   /* NULL until the first append */
    size_t len;
    size_t cap;
    size_t limit; /* 0: unbounded; otherwise appends past it fail */
} ews_buf;

#define EWS_BUF_INIT { NULL, 0, 0, 0 }

/* 0, EWS_ENOMEM, or EWS_ETOOBIG when the limit would be passed. */
int ews_buf_append(ews_buf *b, const void *data, size_t len);
int ews_buf_puts(ews_buf *b, const char *s);
int ews_buf_printf(ews_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void ews_buf_clear(ews_buf *b);
/* Overwrites the contents before freeing (bodies may carry credentials). */
void ews_buf_wipe(ews_buf *b);
void ews_buf_free(ews_buf *b);
/* Hands the data to the caller (new, free()), leaving the buffer empty. */
char *ews_buf_detach(ews_buf *b, size_t *len);

/* memset that the compiler may not drop. */
void ews_secure_zero(void *p, size_t n);

#endif
