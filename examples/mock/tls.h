/* HTTPS for the mock server: one OpenSSL server context per mock, one
 * handshake per connection. */
#ifndef EWS_MOCK_TLS_H
#define EWS_MOCK_TLS_H

#include <stddef.h>

#include <openssl/ssl.h>

typedef struct mock_tls mock_tls;

/* Loads a PEM certificate (chain) and its private key. 0, or -1 with a
 * message naming the file and OpenSSL's reason. */
int mock_tls_new(mock_tls **out, const char *cert_file, const char *key_file, char *err,
                 size_t errlen);
void mock_tls_free(mock_tls *t);

/* Server handshake on a connected, blocking socket (its timeouts bound the
 * wait). NULL on failure, with the reason in why. */
SSL *mock_tls_accept(mock_tls *t, int fd, char *why, size_t whylen);

/* Sends close_notify (when the connection is still clean: OpenSSL forbids
 * it after a fatal error) without waiting for the peer's, then frees. */
void mock_tls_close(SSL *ssl, int clean);

/* OpenSSL's queued error for this thread as text, and clears the queue. */
void mock_tls_error(char *out, size_t outlen);

#endif
