#include "tls.h"

#include <stdlib.h>

#include <openssl/err.h>

#include "util.h"

struct mock_tls {
    SSL_CTX *ctx;
};

void mock_tls_error(char *out, size_t outlen)
{
    unsigned long e = ERR_get_error();
    if (!e)
        mock_errf(out, outlen, "no details from OpenSSL");
    else
        ERR_error_string_n(e, out, outlen);
    ERR_clear_error();
}

int mock_tls_new(mock_tls **out, const char *cert_file, const char *key_file, char *err,
                 size_t errlen)
{
    char why[256];
    *out = NULL;
    ERR_clear_error();
    mock_tls *t = calloc(1, sizeof *t);
    if (!t || !(t->ctx = SSL_CTX_new(TLS_server_method()))) {
        free(t);
        mock_errf(err, errlen, "TLS: cannot create a server context (out of memory?)");
        return -1;
    }
    /* Clients of a 2020s Exchange server speak TLS 1.2 or later; offering
     * less would only hide client-side misconfiguration. */
    SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
    /* Resumption is of no use to tests and would keep per-session state. */
    SSL_CTX_set_session_cache_mode(t->ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_num_tickets(t->ctx, 0);
    if (SSL_CTX_use_certificate_chain_file(t->ctx, cert_file) != 1) {
        mock_tls_error(why, sizeof why);
        mock_errf(err, errlen, "TLS: cannot load the certificate %s: %s", cert_file, why);
        goto fail;
    }
    if (SSL_CTX_use_PrivateKey_file(t->ctx, key_file, SSL_FILETYPE_PEM) != 1) {
        mock_tls_error(why, sizeof why);
        mock_errf(err, errlen, "TLS: cannot load the private key %s: %s", key_file, why);
        goto fail;
    }
    if (SSL_CTX_check_private_key(t->ctx) != 1) {
        mock_tls_error(why, sizeof why);
        mock_errf(err, errlen, "TLS: the key %s does not belong to the certificate %s: %s",
                  key_file, cert_file, why);
        goto fail;
    }
    *out = t;
    return 0;
fail:
    mock_tls_free(t);
    return -1;
}

void mock_tls_free(mock_tls *t)
{
    if (!t)
        return;
    SSL_CTX_free(t->ctx);
    free(t);
}

SSL *mock_tls_accept(mock_tls *t, int fd, char *why, size_t whylen)
{
    ERR_clear_error();
    SSL *ssl = SSL_new(t->ctx);
    if (!ssl) {
        mock_errf(why, whylen, "out of memory");
        return NULL;
    }
    if (SSL_set_fd(ssl, fd) != 1) {
        mock_tls_error(why, whylen);
        SSL_free(ssl);
        return NULL;
    }
    int rc = SSL_accept(ssl);
    if (rc != 1) {
        int e = SSL_get_error(ssl, rc);
        if (e == SSL_ERROR_SYSCALL && !ERR_peek_error())
            mock_errf(why, whylen, "the client went away during the handshake");
        else
            mock_tls_error(why, whylen);
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

void mock_tls_close(SSL *ssl, int clean)
{
    if (!ssl)
        return;
    ERR_clear_error();
    /* One call sends our close_notify; the peer's is not awaited. */
    if (clean)
        (void)SSL_shutdown(ssl);
    ERR_clear_error();
    SSL_free(ssl);
}
