#include "core/retry.h"

#include <errno.h>
#include <limits.h>
#include <time.h>

static uint64_t next_random(uint64_t *s)
{
    /* xorshift64*: jitter only needs to spread clients apart */
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ULL;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

long ews_retry_delay_ms(const ews_retry_policy *p, int next_attempt, long hint_ms, uint64_t *rng)
{
    if (hint_ms >= 0)
        return hint_ms;
    long d = p->initial_backoff_ms > 0 ? p->initial_backoff_ms : 1000;
    long cap = p->max_backoff_ms > 0 ? p->max_backoff_ms : 60000;
    for (int i = 2; i < next_attempt && d < cap; i++)
        d = d > cap / 2 ? cap : d * 2;
    if (d > cap)
        d = cap;
    long half = d / 2;
    return half + (long)(next_random(rng) % (uint64_t)(d - half + 1));
}

long ews_ms_add(long a, long b)
{
    if (a < 0)
        a = 0;
    if (b < 0)
        b = 0;
    return a > LONG_MAX - b ? LONG_MAX : a + b;
}

ews_retry_verdict ews_retry_check(const ews_retry_policy *p, int attempts_made, long elapsed_ms,
                                  long delay_ms)
{
    if (p->max_attempts <= 1 || p->max_total_ms <= 0 || attempts_made >= p->max_attempts)
        return EWS_RETRY_NO_ATTEMPTS;
    /* Saturating: a server's hint of LONG_MAX must not wrap to a wait that
     * seems to fit. */
    return ews_ms_add(elapsed_ms, delay_ms) <= p->max_total_ms ? EWS_RETRY_GO
                                                                : EWS_RETRY_OVER_BUDGET;
}

int ews_retry_allowed(const ews_retry_policy *p, int attempts_made, long elapsed_ms, long delay_ms)
{
    return ews_retry_check(p, attempts_made, elapsed_ms, delay_ms) == EWS_RETRY_GO;
}

long ews_ms_to_s_ceil(long ms)
{
    return ms <= 0 ? 0 : ms / 1000 + (ms % 1000 != 0);
}

int64_t ews_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ews_sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec req = { ms / 1000, (ms % 1000) * 1000000L }, rem;
    while (nanosleep(&req, &rem) == -1 && errno == EINTR)
        req = rem;
}
