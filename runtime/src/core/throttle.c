/* A throttle several clients share (ews/throttle.h): one pause deadline
 * and one adaptive limit on requests in flight, under one lock.
 *
 * The limit: the first busy answer of a round sets it one below what was
 * in flight, each further busy answer of that round takes one more off
 * (so a burst of refusals leaves it at the number the server accepted),
 * and answers to requests that started before the cut do not count twice.
 * A round of `limit` answers without a busy one raises it by one. Raising
 * it to the level the server last refused is a probe that costs everyone
 * a pause when refused again, so it waits for 8 rounds, and also for 64
 * times the pause that the last refusal caused (a probe then costs at
 * most 1/64 of the time, whatever back-off the server asks for; counting
 * answers alone made a pause of 50 ms at 500 answers/s cost 4% of a
 * sweep); both twice as long again after each probe refused at the same
 * level (up to 32 times), the time never beyond 10 minutes. A sweep with
 * more workers than the server allows settles at its cap. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "ews/errors.h"
#include "core/throttle.h"
#include "core/retry.h"

enum { PROBE_ROUNDS = 8, PROBE_PAUSES = 64, PROBE_DOUBLINGS = 5 };
#define PROBE_MAX_WAIT_MS (10 * 60 * 1000L)

struct ews_throttle {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    ews_throttle_options opts;
    int64_t pause_until;          /* monotonic ms; no request starts before */
    unsigned int limit;           /* 0: unbounded */
    unsigned int refused_at;      /* the lowest level refused lately; 0: none yet */
    unsigned int probes;          /* probes refused in a row at refused_at */
    int64_t refused_ms;           /* monotonic ms of the last busy answer */
    long refused_pause_ms;        /* the pause it caused; 0: none */
    unsigned int in_flight;
    unsigned long round;          /* bumped by each cut */
    unsigned long calm;           /* answers without busy since the last change */
    ews_throttle_stats stats;
};

int ews_throttle_options_init(ews_throttle_options *opts, unsigned int version)
{
    if (!opts)
        return EWS_EINVAL;
    if (version != EWS_THROTTLE_OPTIONS_VERSION)
        return EWS_EOPTVERSION;
    const ews_throttle_options init = EWS_THROTTLE_OPTIONS_INIT;
    *opts = init;
    return 0;
}

int ews_throttle_new(ews_throttle **out, const ews_throttle_options *opts)
{
    if (!out)
        return EWS_EINVAL;
    *out = NULL;
    if (!opts)
        return EWS_EINVAL;
    if (opts->version != EWS_THROTTLE_OPTIONS_VERSION)
        return EWS_EOPTVERSION;
    if (opts->min_concurrency < 1 || opts->max_pause_ms <= 0 ||
        (opts->max_concurrency && opts->max_concurrency < opts->min_concurrency))
        return EWS_EINVAL;
    ews_throttle *t = calloc(1, sizeof *t);
    if (!t)
        return EWS_ENOMEM;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_mutex_init(&t->lock, NULL) != 0) {
        pthread_condattr_destroy(&ca);
        free(t);
        return EWS_ENOMEM;
    }
    if (pthread_cond_init(&t->cond, &ca) != 0) {
        pthread_condattr_destroy(&ca);
        pthread_mutex_destroy(&t->lock);
        free(t);
        return EWS_ENOMEM;
    }
    pthread_condattr_destroy(&ca);
    t->opts = *opts;
    t->limit = opts->max_concurrency;
    *out = t;
    return 0;
}

void ews_throttle_free(ews_throttle *t)
{
    if (!t)
        return;
    pthread_cond_destroy(&t->cond);
    pthread_mutex_destroy(&t->lock);
    free(t);
}

int ews_throttle_get_stats(ews_throttle_stats *out, ews_throttle *t)
{
    if (!out || !t)
        return EWS_EINVAL;
    pthread_mutex_lock(&t->lock);
    *out = t->stats;
    out->limit = t->limit;
    out->in_flight = t->in_flight;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

static void wait_until(ews_throttle *t, int64_t when)
{
    struct timespec ts = { (time_t)(when / 1000), (long)(when % 1000) * 1000000L };
    int rc;
    do
        rc = pthread_cond_timedwait(&t->cond, &t->lock, &ts);
    while (rc == EINTR);
}

int ews_throttle_enter(ews_throttle *t, long max_wait_ms, ews_throttle_ticket *ticket,
                       long *waited_ms)
{
    int64_t start = ews_now_ms();
    int64_t deadline = max_wait_ms < 0 ? INT64_MAX : start + max_wait_ms;
    int waited = 0;
    *waited_ms = 0;
    pthread_mutex_lock(&t->lock);
    for (;;) {
        int64_t now = ews_now_ms();
        int paused = now < t->pause_until;
        int full = t->limit && t->in_flight >= t->limit;
        if (!paused && !full)
            break;
        /* A pause that ends past the budget ends the call now: sleeping
         * first would only end the same way. */
        if ((paused && t->pause_until > deadline) || (!paused && now >= deadline)) {
            *waited_ms = (long)(now - start);
            pthread_mutex_unlock(&t->lock);
            return EWS_EBUSY;
        }
        waited = 1;
        wait_until(t, paused ? t->pause_until : deadline);
    }
    t->in_flight++;
    if (t->in_flight > t->stats.peak_in_flight)
        t->stats.peak_in_flight = t->in_flight;
    t->stats.requests++;
    *waited_ms = (long)(ews_now_ms() - start);
    if (waited) {
        t->stats.waits++;
        t->stats.waited_ms = ews_ms_add(t->stats.waited_ms, *waited_ms);
    }
    ticket->round = t->round;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

/* Whether the calm since the last change allows a probe of the level
 * refused lately (see the top of the file). */
static int may_probe(const ews_throttle *t, int64_t now)
{
    if (t->calm < ((unsigned long)t->limit * PROBE_ROUNDS) << t->probes)
        return 0;
    long wait = t->refused_pause_ms;
    if (wait <= 0)
        return 1;
    wait = wait > PROBE_MAX_WAIT_MS / PROBE_PAUSES ? PROBE_MAX_WAIT_MS : wait * PROBE_PAUSES;
    wait = wait > PROBE_MAX_WAIT_MS >> t->probes ? PROBE_MAX_WAIT_MS : wait << t->probes;
    return now - t->refused_ms >= wait;
}

/* A freed place wakes one waiter: waking all of them (ten, with twenty
 * workers against a cap of ten) for one place to take cost a third more
 * CPU per request and delayed the one that got it. A pause or a new limit
 * wakes them all, so that each waits by the clock for the pause's end or
 * takes a new place; while a pause lasts nobody sleeps without a deadline,
 * and a woken waiter that cannot go leaves no place free. */
static void wake(ews_throttle *t, int all)
{
    if (all)
        pthread_cond_broadcast(&t->cond);
    else
        pthread_cond_signal(&t->cond);
}

/* What an answer says, under the lock; whether every waiter must wake. */
static int account(ews_throttle *t, const ews_throttle_ticket *ticket, int busy,
                   long back_off_ms, int64_t now)
{
    int wake_all = busy;
    if (busy) {
        t->stats.busy++;
        long pause = 0;
        if (back_off_ms > 0) {
            pause = back_off_ms > t->opts.max_pause_ms ? t->opts.max_pause_ms : back_off_ms;
            int64_t until = now + pause;
            if (until > t->pause_until)
                t->pause_until = until;
        }
        t->refused_ms = now;
        t->refused_pause_ms = pause;
        unsigned int base;
        if (ticket->round == t->round) {
            base = t->in_flight + 1; /* with this one */
            if (t->limit && t->limit < base)
                base = t->limit;
            t->probes = base == t->refused_at
                            ? (t->probes < PROBE_DOUBLINGS ? t->probes + 1 : PROBE_DOUBLINGS)
                            : 0;
            t->round++;
        } else {
            base = t->limit ? t->limit : t->in_flight + 1;
        }
        t->limit = base > t->opts.min_concurrency ? base - 1 : t->opts.min_concurrency;
        t->refused_at = t->limit + 1;
        t->calm = 0;
    } else if (t->limit) {
        unsigned int cap = t->opts.max_concurrency;
        int probe = t->refused_at && t->limit + 1 >= t->refused_at;
        ++t->calm;
        if ((probe ? may_probe(t, now) : t->calm >= t->limit) && (!cap || t->limit < cap)) {
            t->limit++;
            t->calm = 0;
            wake_all = 1;
        }
    }
    return wake_all;
}

void ews_throttle_leave(ews_throttle *t, const ews_throttle_ticket *ticket, int busy,
                        long back_off_ms)
{
    ews_throttle_leave_at(t, ticket, busy, back_off_ms, ews_now_ms());
}

void ews_throttle_leave_at(ews_throttle *t, const ews_throttle_ticket *ticket, int busy,
                           long back_off_ms, int64_t now)
{
    pthread_mutex_lock(&t->lock);
    t->in_flight--;
    int all = account(t, ticket, busy, back_off_ms, now);
    pthread_mutex_unlock(&t->lock);
    wake(t, all);
}
