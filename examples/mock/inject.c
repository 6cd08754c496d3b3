#include "inject.h"

#include <string.h>

void inject_init(mock_inject *in)
{
    pthread_mutex_init(&in->lock, NULL);
    memset(&in->f, 0, sizeof in->f);
}

void inject_destroy(mock_inject *in)
{
    pthread_mutex_destroy(&in->lock);
}

void inject_set(mock_inject *in, const ews_mock_faults *f)
{
    pthread_mutex_lock(&in->lock);
    if (f)
        in->f = *f;
    else
        memset(&in->f, 0, sizeof in->f);
    pthread_mutex_unlock(&in->lock);
}

/* One request suffers at most one fault. The order puts the faults that
 * hide everything else first, so a test that sets several sees each. */
mock_plan inject_next(mock_inject *in)
{
    mock_plan p = { MOCK_ACT_SERVE, 0, -1, -1 };
    pthread_mutex_lock(&in->lock);
    ews_mock_faults *f = &in->f;
    p.delay_ms = f->delay_ms > 0 ? f->delay_ms : 0;
    if (f->stall > 0) {
        f->stall--;
        p.action = MOCK_ACT_STALL;
    } else if (f->http503_count > 0) {
        f->http503_count--;
        p.action = MOCK_ACT_HTTP503;
        p.retry_after_s = f->retry_after_s;
    } else if (f->close_mid_body > 0) {
        f->close_mid_body--;
        p.action = MOCK_ACT_CLOSE_MID_BODY;
    } else if (f->busy_count > 0) {
        f->busy_count--;
        p.action = MOCK_ACT_BUSY;
        p.back_off_ms = f->busy_back_off_ms;
    }
    pthread_mutex_unlock(&in->lock);
    return p;
}
