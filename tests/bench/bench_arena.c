/* The index arena against one malloc per array, in the same process:
 *
 *   ews-bench-arena FILE [ROUNDS]
 *
 * Each round parses FILE into an ews_imlist and walks every persona and
 * group (the work the arena's arrays serve), once with the arena
 * (ews_arena_default_chunk 16 KiB) and once with a chunk of 1 byte, which
 * makes every array its own malloc; the order alternates between rounds.
 * Prints the median CPU time of each, their ratio, and the allocation
 * calls and peak heap of one parse of each (alloc_count.c). The arena
 * stays only while this shows it worth its lines (docs/PERFORMANCE.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_count.h"
#include "bench_util.h"
#include "ews/imlist.h"
#include "imlist/imlist.h"
#include "soap/memory.h"

#define MAX_ROUNDS 200

static size_t walk(const ews_imlist *l)
{
    size_t work = 0;
    size_t np = ews_imlist_persona_count(l);
    for (size_t i = 0; i < np; i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        work += ews_persona_email_count(p) + ews_persona_phone_count(p) +
                ews_persona_im_address_count(p) + ews_persona_attribution_count(p);
    }
    size_t ng = ews_imlist_group_count(l);
    for (size_t g = 0; g < ng; g++)
        work += ews_im_group_persona_count(ews_imlist_group(l, g));
    return work;
}

/* CPU seconds for one parse + walk + free with the given chunk size. */
static double one(const char *data, size_t len, size_t chunk, size_t *work, alloc_stats *st)
{
    ews_arena_default_chunk = chunk;
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.max_bytes = len;
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    alloc_reset();
    double t0 = bench_cpu();
    if (ews_imlist_parse(&l, data, len, &lim, &err) != 0) {
        fprintf(stderr, "parse failed: %s\n", err.pub.message ? err.pub.message : "?");
        exit(1);
    }
    *work += walk(l);
    if (st)
        *st = alloc_get();
    ews_imlist_free(l);
    double t = bench_cpu() - t0;
    ews_err_free(&err);
    return t;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [ROUNDS]\n", argv[0]);
        return 2;
    }
    size_t rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
    if (rounds < 3 || rounds > MAX_ROUNDS)
        rounds = rounds < 3 ? 3 : MAX_ROUNDS;
    size_t len;
    char *data = bench_read_file(argv[1], &len);
    if (!data)
        return 1;
    size_t work = 0;
    alloc_stats st_arena, st_malloc;
    one(data, len, 16384, &work, &st_arena); /* warm-up, and the counts */
    one(data, len, 1, &work, &st_malloc);
    double a[MAX_ROUNDS], m[MAX_ROUNDS];
    for (size_t r = 0; r < rounds; r++) {
        if (r % 2) {
            a[r] = one(data, len, 16384, &work, NULL);
            m[r] = one(data, len, 1, &work, NULL);
        } else {
            m[r] = one(data, len, 1, &work, NULL);
            a[r] = one(data, len, 16384, &work, NULL);
        }
    }
    double ma = bench_median(a, rounds), mm = bench_median(m, rounds);
    printf("file=%s bytes=%zu rounds=%zu arena_s=%.6f malloc_s=%.6f malloc_over_arena=%.3f "
           "arena_calls=%zu malloc_calls=%zu arena_peak=%zu malloc_peak=%zu work=%zu\n",
           argv[1], len, rounds, ma, mm, mm / ma, st_arena.calls, st_malloc.calls,
           st_arena.peak, st_malloc.peak, work);
    free(data);
    return 0;
}
