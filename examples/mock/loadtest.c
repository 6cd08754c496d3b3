/* The mock's load-test features: a cap on EWS requests in progress that
 * answers busy above it (as Exchange's EWSMaxConcurrency does), counters
 * of connections and handshakes, and a request log for tests that check
 * when clients sent what. */
#include <time.h>

#include "mock_internal.h"

long long mock_now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

int mock_load_enter(ews_mock *m)
{
    unsigned long now = atomic_fetch_add(&m->in_progress, 1) + 1;
    if (m->max_concurrency && now > m->max_concurrency) {
        atomic_fetch_sub(&m->in_progress, 1);
        return 1;
    }
    unsigned long peak = atomic_load(&m->peak);
    while (now > peak && !atomic_compare_exchange_weak(&m->peak, &peak, now))
        ;
    return 0;
}

void mock_load_leave(ews_mock *m)
{
    atomic_fetch_sub(&m->in_progress, 1);
}

void mock_load_log(ews_mock *m, const mock_conn *c, long long start_us, int status,
                   const char *code)
{
    if (!m->request_log)
        return;
    long long end = mock_now_us();
    pthread_mutex_lock(&m->log_lock);
    fprintf(m->request_log, "%lld %lld %lu %d %s\n", start_us, end, c->id, status,
            code && *code ? code : "-");
    fflush(m->request_log);
    pthread_mutex_unlock(&m->log_lock);
}

void ews_mock_get_stats(ews_mock *w, ews_mock_stats *out)
{
    out->connections = atomic_load(&w->connections);
    out->handshakes = atomic_load(&w->handshakes);
    out->challenges = atomic_load(&w->challenges);
    out->requests = atomic_load(&w->requests);
    out->busy = atomic_load(&w->busy);
    out->peak_concurrency = atomic_load(&w->peak);
}
