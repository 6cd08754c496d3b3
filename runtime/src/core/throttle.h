/* What the call loop (call_throttle.c) uses of a shared throttle. */
#ifndef EWS_THROTTLE_INTERNAL_H
#define EWS_THROTTLE_INTERNAL_H

#include <stdint.h>

#include "ews/throttle.h"

typedef struct ews_throttle_ticket {
    unsigned long round;
} ews_throttle_ticket;

/* Blocks until a request may start: no shared pause and room under the
 * limit. max_wait_ms < 0: no bound. 0, or EWS_EBUSY when it cannot start
 * within max_wait_ms (then without waiting when a pause already ends
 * later). *waited_ms says how long it waited either way. */
int ews_throttle_enter(ews_throttle *t, long max_wait_ms, ews_throttle_ticket *ticket,
                       long *waited_ms);
/* The request's answer: busy with the server's back-off (ms, <= 0: none)
 * or anything else. */
void ews_throttle_leave(ews_throttle *t, const ews_throttle_ticket *ticket, int busy,
                        long back_off_ms);
/* The same at a given time on ews_now_ms()'s clock (tests). */
void ews_throttle_leave_at(ews_throttle *t, const ews_throttle_ticket *ticket, int busy,
                           long back_off_ms, int64_t now_ms);

#endif
