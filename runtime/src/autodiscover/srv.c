/* The DNS SRV step of Autodiscover: _autodiscover._tcp.<domain>, through
 * glibc's stub resolver (res_query) or a caller's query function, the
 * answer read with libresolv's ns_parse functions. */
#include "autodiscover/srv.h"

#include <arpa/nameser.h>
#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ews/errors.h"

static int default_query(const char *name, int type, unsigned char *answer, int anslen,
                         void *userdata)
{
    (void)userdata;
    return res_query(name, ns_c_in, type, answer, anslen);
}

static int by_priority(const void *a, const void *b)
{
    const ad_srv *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority < y->priority ? -1 : 1;
    /* RFC 2782 picks by weight at random; heaviest first is a fair
     * deterministic reading for the one client that asks. */
    return x->weight > y->weight ? -1 : x->weight < y->weight ? 1 : 0;
}

int ad_srv_lookup(const char *domain, ews_dns_query_fn fn, void *userdata, ad_srv *out,
                  size_t max, size_t *n)
{
    *n = 0;
    char name[300];
    if (snprintf(name, sizeof name, "_autodiscover._tcp.%s", domain) >= (int)sizeof name)
        return EWS_EINVAL;
    unsigned char answer[NS_PACKETSZ * 4];
    int len = (fn ? fn : default_query)(name, ns_t_srv, answer, (int)sizeof answer, userdata);
    if (len <= 0)
        return EWS_ENOTFOUND;
    if (len > (int)sizeof answer)
        len = (int)sizeof answer;
    ns_msg msg;
    if (ns_initparse(answer, len, &msg) < 0)
        return EWS_EPARSE;
    int count = ns_msg_count(msg, ns_s_an);
    for (int i = 0; i < count && *n < max; i++) {
        ns_rr rr;
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0)
            return EWS_EPARSE;
        if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in || ns_rr_rdlen(rr) < 7)
            continue;
        const unsigned char *rd = ns_rr_rdata(rr);
        ad_srv *s = &out[*n];
        s->priority = (unsigned)(rd[0] << 8 | rd[1]);
        s->weight = (unsigned)(rd[2] << 8 | rd[3]);
        s->port = (unsigned)(rd[4] << 8 | rd[5]);
        if (dn_expand(ns_msg_base(msg), ns_msg_end(msg), rd + 6, s->target,
                      (int)sizeof s->target) < 0)
            return EWS_EPARSE;
        /* "." means "no such service here" (RFC 2782). */
        if (!s->target[0] || strcmp(s->target, ".") == 0 || s->port == 0)
            continue;
        (*n)++;
    }
    qsort(out, *n, sizeof *out, by_priority);
    return *n ? 0 : EWS_ENOTFOUND;
}
