#include "http/auth_token.h"

#include <stdint.h>
#include <string.h>

/* ---- NTLM (MS-NLMP 2.2.1.2, 2.2.2.1) ------------------------------------ */

#define NTLM_CHALLENGE_TYPE 2u
#define NTLM_FIXED_LEN 48u           /* through TargetInfoFields */
#define NTLM_VERSION_LEN 8u          /* present with NEGOTIATE_VERSION */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_TARGET_TYPE_SERVER 0x00020000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u

enum {
    AV_EOL = 0,
    AV_NB_COMPUTER = 1,
    AV_NB_DOMAIN = 2,
    AV_DNS_COMPUTER = 3,
    AV_DNS_DOMAIN = 4,
    AV_DNS_TREE = 5,
    AV_FLAGS = 6,
    AV_TIMESTAMP = 7,
    AV_SINGLE_HOST = 8,
    AV_TARGET_NAME = 9,
    AV_CHANNEL_BINDINGS = 10,
    AV_KNOWN_ = 11
};

/* Fixed value sizes of the AV pairs that have one; -2: UTF-16 text (even
 * length); -1: any length. */
static const int av_size[AV_KNOWN_] = {
    [AV_EOL] = 0,          [AV_NB_COMPUTER] = -2, [AV_NB_DOMAIN] = -2,
    [AV_DNS_COMPUTER] = -2, [AV_DNS_DOMAIN] = -2, [AV_DNS_TREE] = -2,
    [AV_FLAGS] = 4,        [AV_TIMESTAMP] = 8,    [AV_SINGLE_HOST] = -1,
    [AV_TARGET_NAME] = -2, [AV_CHANNEL_BINDINGS] = 16,
};

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int ntlm_bad(ews_err *err, const char *what)
{
    return ews_err_set(err, EWS_EAUTH, "the server's NTLM challenge is malformed: %s", what);
}

/* A security buffer (Len, MaxLen, Offset at p). MaxLen "MUST be ignored on
 * receipt" (MS-NLMP), so only Len and Offset must lie inside the message
 * and after its fixed part. */
static int field(const unsigned char *msg, size_t len, size_t at, size_t payload,
                 size_t *off, size_t *n)
{
    *n = get16(msg + at);
    *off = get32(msg + at + 4);
    if (*n == 0)
        return 0;
    return *off >= payload && *off <= len && *n <= len - *off ? 0 : -1;
}

static int check_av_pairs(const unsigned char *p, size_t n, ews_err *err)
{
    unsigned seen = 0;
    size_t i = 0;
    while (n - i >= 4) {
        unsigned id = get16(p + i), vlen = get16(p + i + 2);
        i += 4;
        if (vlen > n - i)
            return ntlm_bad(err, "an AV pair of the target info runs past its end");
        if (id < AV_KNOWN_) {
            if (seen & (1u << id))
                return ntlm_bad(err, "an AV pair appears twice in the target info");
            seen |= 1u << id;
            int want = av_size[id];
            if ((want >= 0 && vlen != (unsigned)want) || (want == -2 && vlen % 2))
                return ntlm_bad(err, "an AV pair of the target info has a wrong length");
        }
        i += vlen;
        if (id == AV_EOL)
            return i == n ? 0 : ntlm_bad(err, "bytes follow MsvAvEOL in the target info");
    }
    return ntlm_bad(err, "the target info does not end with MsvAvEOL");
}

int ews_ntlm_check_challenge(const unsigned char *msg, size_t len, ews_err *err)
{
    if (len < NTLM_FIXED_LEN)
        return ntlm_bad(err, "shorter than its fixed fields");
    if (len > EWS_NTLM_MAX_CHALLENGE)
        return ews_err_set(err, EWS_EAUTH,
                           "the server's NTLM challenge is too large (%zu bytes; limit %d)", len,
                           EWS_NTLM_MAX_CHALLENGE);
    if (memcmp(msg, "NTLMSSP\0", 8) != 0)
        return ntlm_bad(err, "no NTLMSSP signature");
    if (get32(msg + 8) != NTLM_CHALLENGE_TYPE)
        return ntlm_bad(err, "not a CHALLENGE message (type 2)");
    uint32_t flags = get32(msg + 20);
    size_t payload = NTLM_FIXED_LEN;
    if (flags & NTLMSSP_NEGOTIATE_VERSION) {
        payload += NTLM_VERSION_LEN;
        if (len < payload)
            return ntlm_bad(err, "shorter than its fixed fields and Version");
    }
    size_t name_off, name_len, info_off, info_len;
    if (field(msg, len, 12, payload, &name_off, &name_len))
        return ntlm_bad(err, "TargetName lies outside the message");
    if (field(msg, len, 40, payload, &info_off, &info_len))
        return ntlm_bad(err, "TargetInfo lies outside the message");
    uint32_t types = flags & (NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_TARGET_TYPE_SERVER);
    if (types == (NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_TARGET_TYPE_SERVER))
        return ntlm_bad(err, "both target type flags are set");
    if (types && name_len == 0)
        return ntlm_bad(err, "TargetName is empty although a target type is set");
    if ((flags & NTLMSSP_NEGOTIATE_UNICODE) && name_len % 2)
        return ntlm_bad(err, "TargetName is not UTF-16 (odd length)");
    if ((flags & NTLMSSP_NEGOTIATE_TARGET_INFO) && info_len == 0)
        return ntlm_bad(err, "the target info flag is set but TargetInfo is empty");
    if (info_len)
        return check_av_pairs(msg + info_off, info_len, err);
    return 0;
}

size_t ews_ntlm_target_info_len(const unsigned char *msg)
{
    return get16(msg + 40);
}

/* ---- SPNEGO NegTokenResp (RFC 4178 4.2.2), DER ------------------------------ */

/* 1.3.6.1.4.1.311.2.2.10 */
static const unsigned char oid_ntlmssp[] = { 0x2b, 0x06, 0x01, 0x04, 0x01,
                                             0x82, 0x37, 0x02, 0x02, 0x0a };

typedef struct der {
    const unsigned char *p;
    size_t n;
} der;

/* The next TLV of d: single-byte tag, definite length in at most 4
 * bytes, contents inside d. -1 otherwise. */
static int der_next(der *d, unsigned *tag, der *content)
{
    if (d->n < 2 || (d->p[0] & 0x1f) == 0x1f)
        return -1;
    *tag = d->p[0];
    size_t i = 2, n = d->p[1];
    if (n & 0x80) {
        size_t bytes = n & 0x7f;
        if (bytes == 0 || bytes > 4 || d->n - 2 < bytes)
            return -1; /* indefinite, absurd, or cut */
        n = 0;
        for (size_t k = 0; k < bytes; k++)
            n = n << 8 | d->p[2 + k];
        i += bytes;
    }
    if (n > d->n - i)
        return -1;
    content->p = d->p + i;
    content->n = n;
    d->p += i + n;
    d->n -= i + n;
    return 0;
}

/* The one element of an explicit tag [k], of universal type want. */
static int der_only(der outer, unsigned want, der *inner)
{
    unsigned tag;
    return der_next(&outer, &tag, inner) == 0 && tag == want && outer.n == 0 ? 0 : -1;
}

static int spnego_bad(ews_err *err, const char *what)
{
    return ews_err_set(err, EWS_EAUTH, "the server's SPNEGO token is malformed: %s", what);
}

int ews_spnego_check_resp(const unsigned char *tok, size_t len, int ntlm_context,
                          int *selects_ntlm, ews_err *err)
{
    *selects_ntlm = 0;
    if (len > EWS_SPNEGO_MAX_TOKEN)
        return ews_err_set(err, EWS_EAUTH,
                           "the server's SPNEGO token is too large (%zu bytes; limit %d)", len,
                           EWS_SPNEGO_MAX_TOKEN);
    der all = { tok, len }, resp, seq;
    unsigned tag;
    if (der_next(&all, &tag, &resp) || tag != 0xa1 || all.n)
        return spnego_bad(err, "not a NegTokenResp, or its length is wrong");
    if (der_only(resp, 0x30, &seq))
        return spnego_bad(err, "NegTokenResp is not one SEQUENCE");
    int last = -1;
    der response_token = { NULL, 0 };
    int has_token = 0;
    while (seq.n) {
        der f, v;
        if (der_next(&seq, &tag, &f))
            return spnego_bad(err, "a field's length runs past the NegTokenResp");
        int k = (int)tag - 0xa0;
        if (k < 0 || k > 3 || k <= last)
            return spnego_bad(err, "an unknown, repeated or misplaced field");
        last = k;
        static const unsigned inner_tag[] = { 0x0a, 0x06, 0x04, 0x04 };
        if (der_only(f, inner_tag[k], &v))
            return spnego_bad(err, "a field is not of its type");
        switch (k) {
        case 0: /* negState ENUMERATED 0..3 */
            if (v.n != 1 || v.p[0] > 3)
                return spnego_bad(err, "negState is not one of the four states");
            break;
        case 1: /* supportedMech */
            if (v.n == 0 || v.n > 32)
                return spnego_bad(err, "supportedMech is not an OID");
            *selects_ntlm = v.n == sizeof oid_ntlmssp && memcmp(v.p, oid_ntlmssp, v.n) == 0;
            break;
        case 2:
            response_token = v;
            has_token = 1;
            break;
        default: /* mechListMIC: the mechanism checks it */
            break;
        }
    }
    if (has_token && (*selects_ntlm || ntlm_context))
        return ews_ntlm_check_challenge(response_token.p, response_token.n, err);
    return 0;
}
