#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "alloc_fail.h"
#include "soap/memory.h"
#include "oracle.h"

/* One run with allocation k failing (0: none). Returns rc; *dump gets the
 * result's dump on success. Checks the leak balance itself. */
static int one_run(const sweep_ops *ops, void *ctx, size_t k, ews_buf *dump, size_t *calls)
{
    ews_err err;
    ews_err_init(&err);
    /* Blocks the runtime sets aside for the engine are not leaks. */
    long before = alloc_fail_live() - (long)ews_alloc_reserve_size();
    void *result = NULL;

    alloc_fail_arm(k);
    int rc = ops->run(ctx, &result, &err);
    *calls = alloc_fail_calls();
    int fired = alloc_fail_fired();
    alloc_fail_disarm();

    ews_buf mine = EWS_BUF_INIT;
    if (rc == 0) {
        if (err.pub.code)
            oracle_fail("k=%zu: success with error %d recorded", k, err.pub.code);
        ops->dump(ctx, result, &mine);
    } else {
        if (result)
            oracle_fail("k=%zu: failure %d left a result", k, rc);
        oracle_check_failure(rc, &err.pub);
        if (k && !fired && getenv("EWS_OOM_VERBOSE"))
            fprintf(stderr, "k=%zu: failed (%d) without an injected failure\n", k, rc);
    }
    if (result)
        ops->release(result);
    ews_err_free(&err);
    if (ops->settle)
        ops->settle(ctx);
    /* The dump's own buffer is the one block that may outlive the run. */
    long after = alloc_fail_live() - (long)ews_alloc_reserve_size() - (mine.data != NULL);
    /* Under valgrind libc's own allocations bypass the counters (valgrind
     * checks leaks itself there). */
    if (after != before && !RUNNING_ON_VALGRIND)
        oracle_fail("k=%zu: %ld blocks leaked (rc %d)", k, after - before, rc);
    if (mine.len && ews_buf_append(dump, mine.data, mine.len))
        oracle_fail("out of memory keeping a dump");
    ews_buf_free(&mine);
    return rc;
}

void sweep(const char *name, const sweep_ops *ops, void *ctx, size_t full, size_t stride,
           sweep_stats *total)
{
    const char *only = getenv("EWS_OOM_ONLY"); /* debugging: one case */
    if (only && !strstr(name, only))
        return;
    ews_buf clean = EWS_BUF_INIT, got = EWS_BUF_INIT;
    size_t n;
    /* The first run may make process-wide one-time allocations (libc's
     * locale and stdio data) that would look like a leak. */
    static int warm;
    if (!warm++) {
        setvbuf(stdout, NULL, _IOLBF, 0); /* progress survives a crash */
        void *result = NULL;
        ews_err err;
        ews_err_init(&err);
        if (ops->run(ctx, &result, &err) == 0)
            ops->release(result);
        ews_err_free(&err);
        if (ops->settle)
            ops->settle(ctx);
    }
    int clean_rc = one_run(ops, ctx, 0, &clean, &n);
    sweep_stats s = { n, 0, 0, 0, 0 };

    for (size_t k = 1; k <= n; k = k < full ? k + 1 : k + (stride ? stride : 1)) {
        size_t calls;
        ews_buf_clear(&got);
        if (getenv("EWS_OOM_VERBOSE"))
            fprintf(stderr, "%s: k=%zu\n", name, k);
        int rc = one_run(ops, ctx, k, &got, &calls);
        s.swept++;
        if (rc == 0) {
            /* Success despite the failed allocation: only with all of it. */
            if (clean_rc != 0)
                oracle_fail("%s k=%zu: succeeded where the clean run failed (%d)", name, k,
                            clean_rc);
            if (got.len != clean.len || memcmp(got.data, clean.data, got.len) != 0) {
                size_t at = 0;
                while (at < got.len && at < clean.len && got.data[at] == clean.data[at])
                    at++;
                while (at > 0 && clean.data[at - 1] != '\n')
                    at--;
                fprintf(stderr, "clean: %.200s\ngot:   %.200s\n", clean.data + at,
                        at < got.len ? got.data + at : "");
                oracle_fail("%s k=%zu: succeeded with a result unlike the clean run's", name, k);
            }
            s.succeeded++;
        } else if (rc == EWS_ENOMEM) {
            s.enomem++;
        } else {
            s.other_err++;
        }
    }
    printf("%-40s %6zu allocation points, %6zu swept: %zu ENOMEM, %zu other errors, "
           "%zu complete successes (clean rc %d)\n",
           name, s.points, s.swept, s.enomem, s.other_err, s.succeeded, clean_rc);
    total->points += s.points;
    total->swept += s.swept;
    total->enomem += s.enomem;
    total->other_err += s.other_err;
    total->succeeded += s.succeeded;
    ews_buf_free(&clean);
    ews_buf_free(&got);
}

int sweep_report(const sweep_stats *t)
{
    printf("total: %zu allocation points, %zu swept: %zu ENOMEM, %zu other errors, "
           "%zu complete successes\n",
           t->points, t->swept, t->enomem, t->other_err, t->succeeded);
    return t->swept ? 0 : 1;
}

char *sweep_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        oracle_fail("cannot read %s", path);
    ews_buf b = EWS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (ews_buf_append(&b, chunk, n))
            oracle_fail("out of memory reading %s", path);
    fclose(f);
    return ews_buf_detach(&b, len);
}
