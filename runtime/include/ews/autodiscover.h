/* ews-c: Autodiscover - from an e-mail address to the EWS endpoint.
 *
 * ews_autodiscover() follows the documented order (docs/AUTODISCOVER.md):
 *   1. POX Autodiscover, POST to https://<domain>/autodiscover/autodiscover.xml
 *   2. the same at https://autodiscover.<domain>/autodiscover/autodiscover.xml
 *   3. the HTTP redirect method: an unauthenticated GET of
 *      http://autodiscover.<domain>/autodiscover/autodiscover.xml whose 3xx
 *      is followed only to an https URL
 *   4. DNS SRV _autodiscover._tcp.<domain>, the target tried over https
 * following redirectAddr (a new address: start again), redirectUrl and
 * HTTP 3xx (https only), at most 10 redirections in all. The Active
 * Directory SCP lookup is out of scope (it needs LDAP to a domain
 * controller). Never a guessed name outside the address's domain (no
 * autodiscover.<parent domain>); a host outside it is contacted only
 * because a server or the domain's SRV record named it, and it gets the
 * credentials only when the caller allows it (allow_other_domains or
 * confirm). TLS is always verified.
 */
#ifndef EWS_AUTODISCOVER_H
#define EWS_AUTODISCOVER_H

#include "client.h"
#include "common.h"
#include "errors.h"

typedef struct ews_autodiscover_result ews_autodiscover_result;

/* Where a candidate came from; also the bits of ews_autodiscover_options.methods. */
typedef enum ews_autodiscover_source {
    EWS_AUTODISCOVER_DOMAIN = 1,        /* https://<domain>/autodiscover/autodiscover.xml */
    EWS_AUTODISCOVER_AUTODISCOVER = 2,  /* https://autodiscover.<domain>/... */
    EWS_AUTODISCOVER_HTTP_REDIRECT = 4, /* the GET over http, and the https URL it named */
    EWS_AUTODISCOVER_SRV = 8,           /* _autodiscover._tcp.<domain> */
    EWS_AUTODISCOVER_REDIRECT = 16      /* redirectUrl or a 3xx of a POX candidate */
} ews_autodiscover_source;

#define EWS_AUTODISCOVER_ALL_METHODS 15u

/* Whether the credentials may go to host (outside the address's domain),
 * reached through url. Return 1 to allow, 0 to refuse. */
typedef int (*ews_autodiscover_confirm_fn)(const char *host, const char *url, void *userdata);

/* A DNS query in the shape of res_query(3) (class IN): the answer's length,
 * or -1. The default is glibc's res_query; tests pass their own. */
typedef int (*ews_dns_query_fn)(const char *name, int type, unsigned char *answer, int anslen,
                                void *userdata);

#define EWS_AUTODISCOVER_OPTIONS_VERSION 1

typedef struct ews_autodiscover_options {
    unsigned int version;               /* EWS_AUTODISCOVER_OPTIONS_VERSION */
    /* Authentication, credentials, TLS (cafile/capath), proxy, timeouts,
     * user agent, trace, resolve/connect_to as for a client; url, the SOAP
     * header defaults and the parser limits are not used. NULL: no
     * credentials and the defaults. Bearer tokens are asked for once. */
    const ews_client_options *client;
    unsigned int methods;               /* EWS_AUTODISCOVER_* bits; 0: all */
    int max_redirects;                  /* 0: 10 (also the most allowed) */
    int allow_other_domains;            /* credentials to any host a redirect names */
    ews_autodiscover_confirm_fn confirm;/* else asked per host; NULL: refused */
    void *confirm_userdata;
    ews_dns_query_fn dns_query;         /* NULL: res_query */
    void *dns_userdata;
} ews_autodiscover_options;

#define EWS_AUTODISCOVER_OPTIONS_INIT \
    { EWS_AUTODISCOVER_OPTIONS_VERSION, NULL, 0u, 0, 0, NULL, NULL, NULL, NULL }

/* One URL tried, in order. Strings borrowed from the result. */
typedef struct ews_autodiscover_candidate {
    const char *url;
    const char *email;                  /* the address asked for */
    ews_autodiscover_source source;
    int code;                           /* 0: it answered; else EWS_E... why it was left */
    long http_status;                   /* 0: no HTTP response */
    const char *why;                    /* one line; never NULL */
} ews_autodiscover_candidate;

EWS_BEGIN_DECLS

EWS_API int ews_autodiscover_options_init(ews_autodiscover_options *opts, unsigned int version);

/* Finds the EWS endpoint of email. *out is new: free it with
 * ews_autodiscover_result_free(), also when the call fails. On any failure
 * but EWS_ENOMEM, *out holds the error (ews_autodiscover_last_error, whose
 * message names every candidate tried and why it was left) and the
 * candidates. Returns 0, or: EWS_EINVAL (not an address, bad options),
 * EWS_EAUTH (a candidate refused the credentials and none answered),
 * EWS_EUNTRUSTED (only hosts outside the domain were left, and the
 * credentials were not allowed there), EWS_EREDIRECT (more than 10
 * redirections, or a redirect to http), EWS_EDISCOVER (nothing else). */
EWS_API int ews_autodiscover(ews_autodiscover_result **out, const char *email,
                             const ews_autodiscover_options *opts);
EWS_API void ews_autodiscover_result_free(ews_autodiscover_result *r);

/* Never NULL for a non-NULL result; code 0 after success. */
EWS_API const ews_error *ews_autodiscover_last_error(const ews_autodiscover_result *r);

/* Borrowed from r; NULL when discovery failed or the answer lacked it. */
EWS_API const char *ews_autodiscover_ews_url(const ews_autodiscover_result *r);
/* "15.1.2507" from the answer's ServerVersion, or NULL. */
EWS_API const char *ews_autodiscover_server_version(const ews_autodiscover_result *r);
/* The mailbox's address for X-AnchorMailbox (the answer's
 * AutoDiscoverSMTPAddress), or NULL. */
EWS_API const char *ews_autodiscover_anchor_mailbox(const ews_autodiscover_result *r);
/* The address the settings are for (after redirectAddr). */
EWS_API const char *ews_autodiscover_email(const ews_autodiscover_result *r);
/* The Autodiscover URL that answered. */
EWS_API const char *ews_autodiscover_answer_url(const ews_autodiscover_result *r);

EWS_API size_t ews_autodiscover_candidate_count(const ews_autodiscover_result *r);
EWS_API const ews_autodiscover_candidate *
ews_autodiscover_candidate_at(const ews_autodiscover_result *r, size_t i);
/* "domain", "autodiscover", "http-redirect", "srv", "redirect" (static). */
EWS_API const char *ews_autodiscover_source_name(ews_autodiscover_source source);

EWS_END_DECLS

#endif
