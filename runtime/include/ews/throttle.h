/* ews-c: throttling shared by several clients.
 *
 * Exchange limits how many requests one account may have in progress
 * (EWSMaxConcurrency) and answers the excess with ErrorServerBusy and a
 * BackOffMilliseconds hint (or HTTP 503/429 with Retry-After). Clients that
 * work for the same account - the workers of a bulk export - learn about
 * that from each other through one ews_throttle:
 *   - a back-off answered to any of them pauses every new request of all of
 *     them until it has passed (requests already sent are not disturbed);
 *   - the number of requests they have in flight together is limited, and
 *     the limit adapts: down by one for each busy answer (to what the
 *     server accepted), back up by one after a round of answers without
 *     any; at the level the server last refused it probes ever more rarely.
 * A wait is bounded by the call's retry budget (ews_retry_policy
 * max_total_ms): a call that could not start within it fails with
 * EWS_EBUSY, as a call that ran out of retries does.
 *
 * Attach it with ews_client_options.throttle (options version 4). The
 * throttle is thread-safe and must outlive every client using it.
 */
#ifndef EWS_THROTTLE_H
#define EWS_THROTTLE_H

#include "common.h"

typedef struct ews_throttle ews_throttle;

#define EWS_THROTTLE_OPTIONS_VERSION 1

typedef struct ews_throttle_options {
    unsigned int version;          /* EWS_THROTTLE_OPTIONS_VERSION */
    unsigned int max_concurrency;  /* requests in flight at most, all clients together;
                                      0: no fixed cap (the limit starts unbounded and
                                      is learnt from busy answers) */
    unsigned int min_concurrency;  /* the adaptive limit never goes below; >= 1 */
    long max_pause_ms;             /* longest shared pause one answer can cause; a
                                      longer hint is cut to this; > 0 */
} ews_throttle_options;

#define EWS_THROTTLE_OPTIONS_INIT { EWS_THROTTLE_OPTIONS_VERSION, 0u, 1u, 60000L }

/* What the throttle has seen so far (a snapshot). */
typedef struct ews_throttle_stats {
    unsigned long requests;        /* requests let through */
    unsigned long busy;            /* busy answers reported back */
    unsigned long waits;           /* requests that had to wait */
    long waited_ms;                /* their waits added up */
    unsigned int limit;            /* the current limit; 0: unbounded */
    unsigned int in_flight;
    unsigned int peak_in_flight;
} ews_throttle_stats;

EWS_BEGIN_DECLS

EWS_API int ews_throttle_options_init(ews_throttle_options *opts, unsigned int version);
/* *out is new (ews_throttle_free). EWS_EINVAL for options out of range,
 * EWS_EOPTVERSION for an unknown version. */
EWS_API int ews_throttle_new(ews_throttle **out, const ews_throttle_options *opts);
/* Only once no client uses it any more. */
EWS_API void ews_throttle_free(ews_throttle *t);
EWS_API int ews_throttle_get_stats(ews_throttle_stats *out, ews_throttle *t);

EWS_END_DECLS

#endif
