/* Fault injection: what the next requests should suffer. Shared by every
 * connection thread; set at any time from the test's thread. */
#ifndef EWS_MOCK_INJECT_H
#define EWS_MOCK_INJECT_H

#include <pthread.h>

#include "ews_mock.h"

typedef enum mock_action {
    MOCK_ACT_SERVE = 0,      /* answer normally */
    MOCK_ACT_STALL,          /* never answer */
    MOCK_ACT_HTTP503,        /* 503 Service Unavailable */
    MOCK_ACT_CLOSE_MID_BODY, /* send half the response, then close */
    MOCK_ACT_BUSY            /* ErrorServerBusy SOAP fault */
} mock_action;

typedef struct mock_plan {
    mock_action action;
    long delay_ms;           /* before answering, whatever the action */
    long back_off_ms;        /* MOCK_ACT_BUSY: BackOffMilliseconds */
    long retry_after_s;      /* MOCK_ACT_HTTP503: Retry-After, < 0 none */
} mock_plan;

typedef struct mock_inject {
    pthread_mutex_t lock;
    ews_mock_faults f;       /* counts left */
} mock_inject;

void inject_init(mock_inject *in);
void inject_destroy(mock_inject *in);
/* Replaces what is pending with f (NULL: nothing). */
void inject_set(mock_inject *in, const ews_mock_faults *f);
/* Takes the plan for one request, using up one count of one fault. */
mock_plan inject_next(mock_inject *in);

#endif
