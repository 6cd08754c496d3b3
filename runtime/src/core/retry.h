/* When and how long to wait before retrying a throttled or transient
 * failure. */
#ifndef EWS_RETRY_H
#define EWS_RETRY_H

#include <stdint.h>

#include "ews/client.h"

/* The wait before attempt number `next_attempt` (2 for the first retry):
 * exactly the server's hint when there is one (hint_ms >= 0), else
 * exponential back-off from initial_backoff_ms, capped at max_backoff_ms,
 * with jitter drawn from [d/2, d] using *rng. */
long ews_retry_delay_ms(const ews_retry_policy *p, int next_attempt, long hint_ms, uint64_t *rng);

/* a + b for durations: negative ones count as 0, and a sum past LONG_MAX
 * is LONG_MAX. Every sum of times in a call goes through it. */
long ews_ms_add(long a, long b);
/* Whole seconds, rounded up (for messages). */
long ews_ms_to_s_ceil(long ms);

typedef enum ews_retry_verdict {
    EWS_RETRY_GO,          /* wait delay_ms, then try again */
    EWS_RETRY_NO_ATTEMPTS, /* retrying is off or every attempt is spent */
    EWS_RETRY_OVER_BUDGET  /* the wait would end past max_total_ms */
} ews_retry_verdict;

/* Whether the policy lets another attempt start after `attempts_made`,
 * `elapsed_ms` into the call, waiting `delay_ms` first. */
ews_retry_verdict ews_retry_check(const ews_retry_policy *p, int attempts_made, long elapsed_ms,
                                  long delay_ms);
int ews_retry_allowed(const ews_retry_policy *p, int attempts_made, long elapsed_ms, long delay_ms);

/* Monotonic milliseconds. */
int64_t ews_now_ms(void);
/* Sleeps the whole duration, resuming after signals. */
void ews_sleep_ms(long ms);

#endif
