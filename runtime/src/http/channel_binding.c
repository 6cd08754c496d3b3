/* tls-server-end-point channel bindings (RFC 5929 section 4) from the
 * OpenSSL session of libcurl's connection. */
#include "http/channel_binding.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ews/errors.h"

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#define SSL_get1_peer_certificate SSL_get_peer_certificate
#endif

int ews_tls_cb_supported(const char **why)
{
    /* The SSL pointer libcurl hands out is only meaningful to the OpenSSL
     * it was made by; a libcurl built on GnuTLS, or on another OpenSSL
     * major version than ours, gets no bindings. */
    const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
    static const char prefix[] = "OpenSSL/";
    if (!v || !v->ssl_version || strncmp(v->ssl_version, prefix, sizeof prefix - 1) != 0) {
        *why = "libcurl's TLS backend is not OpenSSL";
        return 0;
    }
    unsigned long theirs = strtoul(v->ssl_version + sizeof prefix - 1, NULL, 10);
    unsigned long ours = OpenSSL_version_num() >> 28;
    if (theirs != ours) {
        *why = "libcurl uses another OpenSSL major version than ews-c";
        return 0;
    }
    return 1;
}

/* RFC 5929 section 4.1: the hash of the certificate's signature
 * algorithm, except SHA-256 in place of MD5 and SHA-1. A signature without
 * a separate hash (Ed25519, Ed448) is left undefined by the RFC; SHA-256 is
 * used for it too, as for the weak ones. */
static int cb_from_x509(X509 *x, ews_tls_cb *out, const char **why)
{
    int mdnid = NID_undef;
    if (!X509_get_signature_info(x, &mdnid, NULL, NULL, NULL))
        mdnid = NID_undef;
    if (mdnid == NID_undef || mdnid == NID_md5 || mdnid == NID_sha1 ||
        mdnid == NID_md5_sha1)
        mdnid = NID_sha256;
    const EVP_MD *md = EVP_get_digestbynid(mdnid);
    if (!md || EVP_MD_size(md) <= 0 || EVP_MD_size(md) > 64) {
        *why = "the certificate's signature hash is not available";
        return EWS_ENOTSUP;
    }
    size_t plen = sizeof EWS_TLS_CB_PREFIX - 1;
    unsigned int n = 0;
    memcpy(out->data, EWS_TLS_CB_PREFIX, plen);
    if (!X509_digest(x, md, out->data + plen, &n)) {
        *why = "cannot hash the server certificate";
        out->len = 0;
        return EWS_ENOMEM; /* what X509_digest fails of in practice */
    }
    out->len = plen + n;
    out->hash = OBJ_nid2sn(mdnid);
    return 0;
}

int ews_tls_cb_from_curl(CURL *curl, ews_tls_cb *out, const char **why)
{
    memset(out, 0, sizeof *out);
    if (!ews_tls_cb_supported(why))
        return EWS_ENOTSUP;
    const struct curl_tlssessioninfo *ti = NULL;
    if (curl_easy_getinfo(curl, CURLINFO_TLS_SSL_PTR, &ti) != CURLE_OK || !ti) {
        *why = "libcurl does not expose the TLS session";
        return EWS_ENOTSUP;
    }
    if (ti->backend != CURLSSLBACKEND_OPENSSL) {
        *why = "libcurl's TLS backend for this connection is not OpenSSL";
        return EWS_ENOTSUP;
    }
    if (!ti->internals) {
        *why = "no TLS session on this connection";
        return EWS_ETLS;
    }
    X509 *x = SSL_get1_peer_certificate((SSL *)ti->internals);
    if (!x) {
        *why = "the server sent no certificate";
        return EWS_ETLS;
    }
    int rc = cb_from_x509(x, out, why);
    X509_free(x);
    return rc;
}

int ews_tls_cb_from_der(const unsigned char *der, size_t len, ews_tls_cb *out,
                        const char **why)
{
    memset(out, 0, sizeof *out);
    const unsigned char *p = der;
    X509 *x = len <= (size_t)LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
    if (!x) {
        *why = "not a DER certificate";
        return EWS_ETLS;
    }
    int rc = cb_from_x509(x, out, why);
    X509_free(x);
    return rc;
}
