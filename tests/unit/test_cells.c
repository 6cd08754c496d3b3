/* The engine's cells (soap/cells.h) behind the allocation wraps
 * (soap/memory.h): cells and the C library's blocks of every size told
 * apart exactly, freed and reallocated in any order, cells outliving their
 * heap, a region that runs out, several threads at once.
 *
 * The test's own malloc is the C library's (the wraps are local to the
 * library): ews_mem_* stand for the library's calls. Run with the argument
 * "small-region", the process reserves a region of a few slabs; with
 * "as-limit", it runs under an address-space limit; with "read-freed", it
 * reads a freed cell for a memory checker to catch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "soap/cells.h"
#include "soap/memory.h"
#include "ews_test_util.h"

enum { SLAB = 64 * 1024 };

typedef struct block {
    unsigned char *p;
    size_t n;
    unsigned char fill;
} block;

static unsigned rnd(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

static void fill(block *b, unsigned char c)
{
    b->fill = c;
    memset(b->p, c, b->n);
}

static void check(const block *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->p[i] != b->fill)
            fail_msg("block %p (%zu bytes) overwritten at %zu", (void *)b->p, b->n, i);
}

static void shuffle(block *b, size_t n, unsigned *seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = rnd(seed) % i;
        block t = b[i - 1];
        b[i - 1] = b[j];
        b[j] = t;
    }
}

static ews_cells_stats stats(void)
{
    ews_cells_stats s;
    ews_cells_get_stats(&s);
    return s;
}

/* Cells of every size, the C library's blocks of the same sizes (made in
 * and out of the heap's scope, and by the C library itself) and of sizes it
 * maps on their own: each is known for what it is, none is overwritten by
 * another, and all free in a random order through the library's free. */
static void test_interleaved_with_libc_blocks(void **state)
{
    (void)state;
    size_t out = stats().slabs_out;
    static const size_t big[] = { 257, 4096, 100000, 128 * 1024, 200 * 1024, 4u << 20 };
    enum { ROUNDS = 4, PER = EWS_CELLS_MAX + 1 + sizeof big / sizeof big[0] };
    block *b = calloc(ROUNDS * PER * 3, sizeof *b);
    size_t nb = 0;
    unsigned seed = 7;
    ews_cells *h = ews_cells_new();
    assert_non_null(h);
    for (int r = 0; r < ROUNDS; r++) {
        for (size_t n = 0; n <= EWS_CELLS_MAX; n++) {
            ews_cells *outer = ews_cells_enter(h);
            b[nb] = (block){ .p = ews_mem_malloc(n), .n = n };
            ews_cells_leave(outer);
            assert_non_null(b[nb].p);
            assert_true(ews_cells_owns(b[nb].p));
            assert_int_equal((uintptr_t)b[nb].p % 8, 0);
            assert_true(ews_cells_usable(b[nb].p) >= n);
            fill(&b[nb], (unsigned char)nb);
            nb++;
            /* Outside the scope, the same size is the C library's. */
            b[nb] = (block){ .p = ews_mem_malloc(n), .n = n };
            assert_non_null(b[nb].p);
            assert_false(ews_cells_owns(b[nb].p));
            fill(&b[nb], (unsigned char)nb);
            nb++;
        }
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            /* Too large for a cell even inside the scope. */
            ews_cells *outer = ews_cells_enter(h);
            b[nb] = (block){ .p = ews_mem_malloc(big[i]), .n = big[i] };
            ews_cells_leave(outer);
            assert_non_null(b[nb].p);
            assert_false(ews_cells_owns(b[nb].p));
            fill(&b[nb], (unsigned char)nb);
            nb++;
            /* The C library's own allocation, freed by the library. */
            b[nb] = (block){ .p = (unsigned char *)strdup("made by the C library"), .n = 22 };
            assert_false(ews_cells_owns(b[nb].p));
            b[nb].fill = 0;
            memset(b[nb].p, 0, b[nb].n);
            nb++;
        }
    }
    assert_false(ews_cells_owns(NULL));
    assert_false(ews_cells_owns(&seed));
    shuffle(b, nb, &seed);
    for (size_t i = 0; i < nb; i++) {
        check(&b[i]);
        ews_mem_free(b[i].p);
    }
    ews_mem_free(NULL);
    ews_cells_release(h);
    assert_int_equal(stats().slabs_out, out);
    assert_int_equal(stats().slabs_orphaned, 0);
    free(b);
}

/* realloc keeps the content whichever size a cell goes to, and the block
 * it moves to is the C library's; a C library block stays one. */
static void test_realloc_across_classes(void **state)
{
    (void)state;
    size_t out = stats().slabs_out;
    static const struct {
        size_t from, to;
    } cases[] = {
        { .from = 17, .to = 24 },  { .from = 24, .to = 1 },    { .from = 24, .to = 25 },
        { .from = 40, .to = 256 }, { .from = 256, .to = 257 }, { .from = 8, .to = 300000 },
    };
    ews_cells *h = ews_cells_new();
    assert_non_null(h);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ews_cells *outer = ews_cells_enter(h);
        unsigned char *p = ews_mem_malloc(cases[i].from);
        assert_true(ews_cells_owns(p));
        memset(p, 0x5a, cases[i].from);
        unsigned char *q = ews_mem_realloc(p, cases[i].to);
        ews_cells_leave(outer);
        assert_non_null(q);
        assert_false(ews_cells_owns(q));
        size_t keep = cases[i].from < cases[i].to ? cases[i].from : cases[i].to;
        for (size_t k = 0; k < keep; k++)
            assert_int_equal(q[k], 0x5a);
        memset(q, 0xa5, cases[i].to);
        ews_mem_free(q);
    }
    /* A cell reallocated to nothing is freed; a C library block stays one. */
    ews_cells *outer = ews_cells_enter(h);
    void *p = ews_mem_malloc(32);
    assert_null(ews_mem_realloc(p, 0));
    unsigned char *l = ews_mem_realloc(NULL, 32);
    assert_false(ews_cells_owns(l));
    l = ews_mem_realloc(l, 64);
    ews_cells_leave(outer);
    assert_false(ews_cells_owns(l));
    ews_mem_free(l);
    ews_cells_release(h);
    assert_int_equal(stats().slabs_out, out);
}

/* Blocks that outlive their heap stay valid; the slabs holding them come
 * back with the last one. */
static void test_cells_outlive_their_heap(void **state)
{
    (void)state;
    size_t out = stats().slabs_out;
    enum { N = 5000 };
    static block b[N];
    unsigned seed = 11;
    ews_cells *h = ews_cells_new();
    assert_non_null(h);
    ews_cells *outer = ews_cells_enter(h);
    for (size_t i = 0; i < N; i++) {
        size_t n = 1 + rnd(&seed) % EWS_CELLS_MAX;
        b[i] = (block){ .p = ews_mem_malloc(n), .n = n };
        fill(&b[i], (unsigned char)(i * 7));
    }
    ews_cells_leave(outer);
    /* Free some first: their slabs may go back at the release. */
    shuffle(b, N, &seed);
    for (size_t i = N / 2; i < N; i++)
        ews_mem_free(b[i].p);
    size_t held = stats().slabs_out - out;
    assert_true(held > 1);
    ews_cells_release(h);
    ews_cells_stats s = stats();
    assert_true(s.slabs_orphaned > 0);
    assert_true(s.slabs_orphaned <= held);
    /* The pool hands orphans' slabs to no one: a new heap's cells land
     * elsewhere and both sets stay whole. */
    ews_cells *h2 = ews_cells_new();
    outer = ews_cells_enter(h2);
    block fresh[64];
    for (size_t i = 0; i < 64; i++) {
        fresh[i] = (block){ .p = ews_mem_malloc(24), .n = 24 };
        fill(&fresh[i], 0xee);
    }
    ews_cells_leave(outer);
    for (size_t i = 0; i < N / 2; i++) {
        check(&b[i]);
        ews_mem_free(b[i].p);
    }
    assert_int_equal(stats().slabs_orphaned, 0);
    for (size_t i = 0; i < 64; i++) {
        check(&fresh[i]);
        ews_mem_free(fresh[i].p);
    }
    ews_cells_release(h2);
    assert_int_equal(stats().slabs_out, out);
}

/* A large heap's slabs go back to the system past the few the pool keeps:
 * the first slab it took holds no pages once released. */
static void test_large_heap_gives_memory_back(void **state)
{
    (void)state;
    size_t out = stats().slabs_out;
    enum { N = 200 * (SLAB / EWS_CELLS_MAX) };
    void **p = calloc(N, sizeof *p);
    ews_cells *h = ews_cells_new();
    ews_cells *outer = ews_cells_enter(h);
    for (size_t i = 0; i < N; i++) {
        p[i] = ews_mem_malloc(EWS_CELLS_MAX);
        assert_true(ews_cells_owns(p[i]));
        memset(p[i], 1, EWS_CELLS_MAX);
    }
    ews_cells_leave(outer);
    assert_true(stats().slabs_out - out >= 190);
    char *first = (char *)((uintptr_t)p[0] & ~(uintptr_t)(SLAB - 1));
    for (size_t i = 0; i < N; i++)
        ews_mem_free(p[i]);
    ews_cells_release(h);
    ews_cells_stats s = stats();
    assert_int_equal(s.slabs_out, out);
    assert_true(s.pool_dirty <= 64);
    assert_true(s.pool_clean >= 100);
    long page = sysconf(_SC_PAGESIZE);
    unsigned char resident[SLAB / 4096];
    assert_true(page > 0 && SLAB / page <= (long)sizeof resident);
    assert_int_equal(mincore(first, SLAB, resident), 0);
    for (long i = 0; i < SLAB / page; i++)
        assert_int_equal(resident[i] & 1, 0);
    free(p);
}

/* The guard counts a cell that could not be made like a failed malloc. */
static int fail_all(void)
{
    return 1;
}

static void count_none(int delta)
{
    (void)delta;
}

static void test_failed_cell_is_counted(void **state)
{
    (void)state;
    static const ews_alloc_hooks hooks = { .cell_fails = fail_all, .cell_count = count_none };
    ews_cells *h = ews_cells_new();
    assert_non_null(h);
    unsigned long before = ews_alloc_failures();
    ews_cells *outer = ews_cells_enter(h);
    const ews_alloc_hooks *saved = ews_alloc_test_hooks;
    ews_alloc_test_hooks = &hooks;
    void *p = ews_mem_malloc(200); /* larger than a reserve block: NULL */
    void *big = ews_mem_malloc(1000); /* not a cell: not asked */
    ews_alloc_test_hooks = saved;
    ews_cells_leave(outer);
    assert_null(p);
    assert_non_null(big);
    assert_false(ews_cells_owns(big));
    assert_int_equal(ews_alloc_failures(), before + 1);
    ews_mem_free(big);
    ews_cells_release(h);
}

/* A parse puts the engine's blocks in cells and gives every slab back
 * when the list is freed, a failed parse too (its error's strings are
 * cells that outlive the response). */
static void test_parse_gives_slabs_back(void **state)
{
    (void)state;
    static const struct {
        const char *fixture;
        int rc;
    } cases[] = {
        { .fixture = "join", .rc = 0 },
        { .fixture = "server-busy-fault", .rc = EWS_EFAULT },
        { .fixture = "truncated", .rc = EWS_EPARSE },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t out = stats().slabs_out;
        ews_imlist *l = NULL;
        ews_err err;
        ews_err_init(&err);
        assert_int_equal(ews_test_parse_case(cases[i].fixture, 0, &l, &err), cases[i].rc);
        if (l) {
            assert_true(stats().slabs_out > out);
            assert_true(ews_imlist_persona_count(l) > 0);
            ews_imlist_free(l);
        }
        assert_non_null(err.pub.message);
        ews_err_free(&err);
        assert_int_equal(stats().slabs_out, out);
        assert_int_equal(stats().slabs_orphaned, 0);
    }
}

/* Switched off, a heap is none and every block the C library's. */
static void test_switched_off(void **state)
{
    (void)state;
    ews_cells_enabled = 0;
    ews_cells *h = ews_cells_new();
    ews_cells_enabled = 1;
    assert_null(h);
    ews_cells *outer = ews_cells_enter(h);
    void *p = ews_mem_malloc(24);
    ews_cells_leave(outer);
    assert_false(ews_cells_owns(p));
    ews_mem_free(p);
}

/* ---- threads ------------------------------------------------------------ */

enum { THREADS = 6, ROUNDS = 40, PER_ROUND = 3000 };

/* A batch made in one thread and freed in another. */
typedef struct batch {
    block b[PER_ROUND];
    ews_cells *heap; /* released by whoever frees the blocks, or NULL */
} batch;

static pthread_mutex_t box_lock = PTHREAD_MUTEX_INITIALIZER;
static batch *box[THREADS * ROUNDS];
static size_t boxed;

static void free_batch(batch *t, unsigned *seed)
{
    shuffle(t->b, PER_ROUND, seed);
    /* Release the heap midway: the rest are freed as orphans. */
    for (size_t i = 0; i < PER_ROUND; i++) {
        if (i == PER_ROUND / 3 && t->heap) {
            ews_cells_release(t->heap);
            t->heap = NULL;
        }
        check(&t->b[i]);
        ews_mem_free(t->b[i].p);
    }
    ews_cells_release(t->heap);
    free(t);
}

static void *worker(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        batch *t = malloc(sizeof *t);
        t->heap = ews_cells_new();
        ews_cells *outer = ews_cells_enter(t->heap);
        for (size_t i = 0; i < PER_ROUND; i++) {
            size_t n = rnd(&seed) % 16 == 0 ? 300 + rnd(&seed) : rnd(&seed) % (EWS_CELLS_MAX + 1);
            t->b[i] = (block){ .p = ews_mem_malloc(n), .n = n };
            fill(&t->b[i], (unsigned char)(seed >> 3));
        }
        ews_cells_leave(outer);
        /* Half the heaps are released by the thread that made them, with
         * every block still live. */
        if (r % 2) {
            ews_cells_release(t->heap);
            t->heap = NULL;
        }
        batch *other = NULL;
        pthread_mutex_lock(&box_lock);
        if (boxed && rnd(&seed) % 2)
            other = box[--boxed];
        box[boxed++] = t;
        pthread_mutex_unlock(&box_lock);
        if (other)
            free_batch(other, &seed);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t out = stats().slabs_out;
    pthread_t th[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, (void *)(i + 1)), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    unsigned seed = 3;
    while (boxed)
        free_batch(box[--boxed], &seed);
    ews_cells_stats s = stats();
    assert_int_equal(s.slabs_out, out);
    assert_int_equal(s.slabs_orphaned, 0);
    /* Past the kept few, free slabs were given back. */
    assert_true(s.pool_dirty <= 64);
}

/* ---- a region that runs out -------------------------------------------- */

/* Past its last slab, requests go to the C library and still work. */
static void test_region_runs_out(void **state)
{
    (void)state;
    ews_cells *h = ews_cells_new();
    assert_non_null(h);
    assert_int_equal(stats().region_bytes, 4 * SLAB);
    enum { N = 20000 };
    static block b[N];
    size_t cells = 0, libc = 0;
    ews_cells *outer = ews_cells_enter(h);
    for (size_t i = 0; i < N; i++) {
        b[i] = (block){ .p = ews_mem_malloc(48), .n = 48 };
        assert_non_null(b[i].p);
        fill(&b[i], (unsigned char)i);
        if (ews_cells_owns(b[i].p))
            cells++;
        else
            libc++;
    }
    ews_cells_leave(outer);
    assert_true(cells > 0 && cells <= 4 * SLAB / 48);
    assert_true(libc > 0);
    assert_int_equal(stats().committed, 4 * SLAB);
    unsigned seed = 5;
    shuffle(b, N, &seed);
    for (size_t i = 0; i < N; i++) {
        check(&b[i]);
        ews_mem_free(b[i].p);
    }
    ews_cells_release(h);
    assert_int_equal(stats().slabs_out, 0);
    /* A whole parse with the region this small. */
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("join", 0, &l, &err), 0);
    assert_true(ews_imlist_persona_count(l) > 0);
    ews_imlist_free(l);
    ews_err_free(&err);
    assert_int_equal(stats().slabs_out, 0);
}

/* Under an address-space limit the range takes an eighth of it at most,
 * and a parse still works. */
static void test_address_space_limit(void **state)
{
    (void)state;
    struct rlimit as;
    assert_int_equal(getrlimit(RLIMIT_AS, &as), 0);
    as.rlim_cur = (rlim_t)4 << 30;
    assert_int_equal(setrlimit(RLIMIT_AS, &as), 0);
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    assert_int_equal(ews_test_parse_case("join", 0, &l, &err), 0);
    ews_cells_stats s = stats();
    assert_true(s.region_bytes > 0);
    assert_true(s.region_bytes <= ((size_t)4 << 30) / 8);
    assert_true(s.slabs_out > 0);
    ews_imlist_free(l);
    ews_err_free(&err);
}

/* Reads a freed cell: a memory checker must report it (CTest expects its
 * message; without a checker nothing is seen). */
static int read_freed_cell(void)
{
    ews_cells *h = ews_cells_new();
    ews_cells *outer = ews_cells_enter(h);
    unsigned char *p = ews_mem_malloc(40);
    ews_mem_malloc(40); /* the slab stays in use */
    ews_cells_leave(outer);
    memset(p, 1, 40);
    ews_mem_free(p);
    volatile unsigned char *v = p;
    printf("read %d\n", v[16]);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "read-freed") == 0)
        return read_freed_cell();
    if (argc > 1 && strcmp(argv[1], "as-limit") == 0) {
        const struct CMUnitTest limited[] = {
            cmocka_unit_test(test_address_space_limit),
        };
        return cmocka_run_group_tests(limited, NULL, NULL);
    }
    if (argc > 1 && strcmp(argv[1], "small-region") == 0) {
        ews_cells_region_request = 4 * SLAB;
        const struct CMUnitTest small[] = {
            cmocka_unit_test(test_region_runs_out),
        };
        return cmocka_run_group_tests(small, NULL, NULL);
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interleaved_with_libc_blocks),
        cmocka_unit_test(test_realloc_across_classes),
        cmocka_unit_test(test_cells_outlive_their_heap),
        cmocka_unit_test(test_large_heap_gives_memory_back),
        cmocka_unit_test(test_failed_cell_is_counted),
        cmocka_unit_test(test_parse_gives_slabs_back),
        cmocka_unit_test(test_switched_off),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
