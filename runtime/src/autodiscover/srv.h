/* DNS SRV lookup for Autodiscover. */
#ifndef EWS_AUTODISCOVER_SRV_H
#define EWS_AUTODISCOVER_SRV_H

#include <stddef.h>

#include "ews/autodiscover.h"

typedef struct ad_srv {
    unsigned priority, weight, port;
    char target[256];
} ad_srv;

/* The records of _autodiscover._tcp.<domain>, lowest priority first (then
 * heaviest). 0 with *n > 0, EWS_ENOTFOUND (no usable record, no answer),
 * EWS_EPARSE (a broken answer), EWS_EINVAL (name too long). */
int ad_srv_lookup(const char *domain, ews_dns_query_fn fn, void *userdata, ad_srv *out,
                  size_t max, size_t *n);

#endif
