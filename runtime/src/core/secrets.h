/* The forms in which a configured secret can come back from a server:
 * the password, the proxy password, a bearer token, and what Basic puts on
 * the wire, base64(user:password), for the server and for the proxy. One
 * list for both places that hide them: error records (call.c) and traces
 * (transport.c). */
#ifndef EWS_SECRETS_H
#define EWS_SECRETS_H

#include <stddef.h>

#define EWS_SECRET_FORMS_MAX 6

typedef struct ews_secrets {
    char *form[EWS_SECRET_FORMS_MAX]; /* owned, wiped on free */
    int count;
    int incomplete; /* a form could not be built (out of memory) */
} ews_secrets;

/* Fills s from the credentials (any may be NULL). 0, or EWS_ENOMEM with
 * s->incomplete set; s must be freed either way. */
int ews_secrets_init(ews_secrets *s, const char *user, const char *password,
                     const char *proxy_user, const char *proxy_password);
/* Adds one more form (a copy); empty or NULL secrets are ignored. */
int ews_secrets_add(ews_secrets *s, const char *secret);
void ews_secrets_free(ews_secrets *s);

/* A copy of data[0..len) in which every whole occurrence of a form of s or
 * of extra (NULL: none) - overlapping ones too - is replaced by "***", and
 * its length in *out_len; NUL-terminated. Linear in len for each form.
 * NULL when out of memory or when s is incomplete: the caller then shows
 * nothing rather than a secret. */
char *ews_secrets_mask(const ews_secrets *s, const char *extra, const char *data, size_t len,
                       size_t *out_len);

#endif
