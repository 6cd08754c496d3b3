/* The call loop's side of a shared throttle (ews/throttle.h): wait for a
 * turn within the retry budget before each attempt, report the answer
 * after it. Kept apart from call.c so the loop changes by two calls. */
#include "ops/call_throttle.h"

#include "core/retry.h"

int ews_call_throttle_enter(ews_client *c, const char *operation, const ews_retry_policy *p,
                            long elapsed_ms, ews_throttle_ticket *ticket)
{
    ews_throttle *t = c->opts.throttle;
    if (!t)
        return 0;
    long left = p->max_total_ms - elapsed_ms;
    if (left < 0)
        left = 0;
    long waited = 0;
    if (ews_throttle_enter(t, left, ticket, &waited) == 0)
        return 0;
    return ews_err_set(&c->err, EWS_EBUSY,
                       "%s: server busy: the shared throttle would not let the request start "
                       "within the retry budget (%ld s)",
                       operation, ews_ms_to_s_ceil(p->max_total_ms));
}

void ews_call_throttle_leave(ews_client *c, const ews_throttle_ticket *ticket, int rc,
                             long http_status)
{
    ews_throttle *t = c->opts.throttle;
    if (!t)
        return;
    const ews_error *e = &c->err.pub;
    /* Busy: a throttling answer (ErrorServerBusy's back-off, 429, 503), not
     * a lost connection or a gateway's 502/504. */
    int busy = rc != 0 && e->category == EWS_CAT_RETRYABLE &&
               (e->back_off_ms > 0 || http_status == 429 || http_status == 503);
    ews_throttle_leave(t, ticket, busy, busy ? e->back_off_ms : 0);
}
