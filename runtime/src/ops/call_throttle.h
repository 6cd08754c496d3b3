/* Shared throttling around each HTTP attempt of a call (call.c). */
#ifndef EWS_CALL_THROTTLE_H
#define EWS_CALL_THROTTLE_H

#include "ops/client.h"
#include "core/throttle.h"

/* 0 when the client has no throttle or the attempt may start; else
 * EWS_EBUSY recorded in the client's error (the wait would pass the
 * policy's max_total_ms, of which elapsed_ms are spent). */
int ews_call_throttle_enter(ews_client *c, const char *operation, const ews_retry_policy *p,
                            long elapsed_ms, ews_throttle_ticket *ticket);
/* After the attempt: rc and the client's error say how it went. The place
 * is freed only now, not when the HTTP exchange ended: a request sent then
 * could reach the server before it counted the last one as done (its busy
 * answers rose from 12 to 15 in 10,000 at --jobs 20 over a cap of 10, each
 * a shared pause and a cut of the limit; 96% of the rate at the cap). */
void ews_call_throttle_leave(ews_client *c, const ews_throttle_ticket *ticket, int rc,
                             long http_status);

#endif
