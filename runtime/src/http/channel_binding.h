/* TLS channel bindings for NTLM and Negotiate (Extended Protection for
 * Authentication).
 *
 * Exchange with Extended Protection rejects NTLM/Kerberos over https unless
 * the authentication carries the RFC 5929 "tls-server-end-point" binding of
 * the TLS connection it runs on: the prefix "tls-server-end-point:" followed
 * by a hash of the server's leaf certificate. A man in the middle who
 * terminates TLS with another certificate cannot relay such an
 * authentication to the real server.
 *
 * libcurl 7.88 keeps the TLS session to itself once a transfer ends, so the
 * certificate is read while a transfer is on its connection (from
 * CURLOPT_PREREQFUNCTION, for new and reused connections alike), through
 * CURLINFO_TLS_SSL_PTR: the OpenSSL session libcurl uses.
 */
#ifndef EWS_TRANSPORT_CB_H
#define EWS_TRANSPORT_CB_H

#include <stddef.h>

#include <curl/curl.h>

#define EWS_TLS_CB_PREFIX "tls-server-end-point:"
/* The prefix and the longest hash RFC 5929 can call for (SHA-512). */
#define EWS_TLS_CB_MAX (sizeof EWS_TLS_CB_PREFIX - 1 + 64)

typedef struct ews_tls_cb {
    size_t len;                          /* 0: none known */
    const char *hash;                    /* "SHA256", ...: static, for traces */
    unsigned char data[EWS_TLS_CB_MAX];  /* GSSAPI application data */
} ews_tls_cb;

/* 1 when bindings can be computed for this libcurl's connections (its TLS
 * backend is the OpenSSL this library is built with, same major version);
 * else 0 with *why (static text). */
int ews_tls_cb_supported(const char **why);

/* The binding of the connection curl is using for its current transfer
 * (call from a callback that runs during the transfer). 0; EWS_ENOTSUP
 * (TLS backend not usable) or EWS_ETLS (no TLS session or no peer
 * certificate) with *why (static text); EWS_ENOMEM. */
int ews_tls_cb_from_curl(CURL *curl, ews_tls_cb *out, const char **why);

/* The binding for a DER-encoded certificate (the same computation; tests). */
int ews_tls_cb_from_der(const unsigned char *der, size_t len, ews_tls_cb *out,
                        const char **why);

#endif
