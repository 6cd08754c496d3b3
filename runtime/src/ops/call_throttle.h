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
/* When the attempt's HTTP exchange is over, answered or not: its place is
 * the next request's while the answer is read (the server is done with
 * it; above the server's cap this keeps its places busy). */
void ews_call_throttle_release(ews_client *c);
/* After the answer was read: rc and the client's error say how it went. */
void ews_call_throttle_report(ews_client *c, const ews_throttle_ticket *ticket, int rc,
                              long http_status);

#endif
