#include "alloc_guard.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "stdsoap2.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
enum { REDZONE = 16 };
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
enum { REDZONE = 0 };
#endif

/* Resolved by the linker's --wrap options; weak so that a link without them
 * (where nothing calls the __wrap_ functions) still succeeds. */
extern void *__real_malloc(size_t n) __attribute__((weak));
extern void __real_free(void *p) __attribute__((weak));
extern void *__real_realloc(void *p, size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);
void __wrap_free(void *p);
void *__wrap_realloc(void *p, size_t n);

enum { RESERVE_BLOCKS = 8 };

static _Thread_local unsigned long failures;
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reserve[RESERVE_BLOCKS];
static size_t reserved;

/* ---- parse arena ------------------------------------------------------ */

/* A chunk is CHUNK bytes at a CHUNK-aligned address, so a cell's chunk is
 * its address rounded down. Run 0 holds the chunk's header (and in an
 * arena's first chunk the arena itself); every other run serves one size
 * class, or starts a large block. Cells need no header: a cell's class is
 * its run's. A huge block is a mapping of its own, aligned the same way,
 * its header where a chunk's is. */
enum {
    CHUNK_SHIFT = 20,
    CHUNK = 1 << CHUNK_SHIFT,
    RUN_SHIFT = 14,
    RUN = 1 << RUN_SHIFT,
    RUNS = CHUNK / RUN,
    GRAIN = 8,
    SMALL_MAX = 1024,
    CLASSES = SMALL_MAX / GRAIN + 1,
    LARGE_HDR = 16,
    LARGE_RUNS_MAX = 8,
    CLASS_HEADER = 0,
    CLASS_LARGE = 0xfe,
    CLASS_HUGE = 0xff,
    POOL_MAX = 8, /* chunks kept for the next parses, process-wide */
};

typedef struct chunk chunk;
struct chunk {
    ews_parse_arena *owner; /* NULL while kept in the pool */
    chunk *next, *prev;     /* the arena's chunks or huge blocks; the pool */
    size_t map_size;
    unsigned char run_class[RUNS];
};

struct ews_parse_arena {
    chunk *chunks; /* the last one holds this struct */
    chunk *huge;
    uintptr_t next_run, runs_end; /* unused runs of chunks (the newest) */
    uintptr_t bump[CLASSES], bump_end[CLASSES];
    void *free_cells[CLASSES];
    size_t cells;
    int fallback;
};

_Static_assert(sizeof(chunk) + sizeof(ews_parse_arena) <= RUN, "headers fit in run 0");
/* Cells are 8-aligned, and 16-aligned when their size is a multiple of 16:
 * what any object of that size needs. (The generated types need 8: they
 * hold pointers, integers and doubles, no long double.) */
_Static_assert(RUN % 16 == 0 && GRAIN == 8, "cell alignment");

/* Which CHUNK-sized slots of the address space are arena chunks: a bit per
 * slot of a 47-bit address space, leaves of 2^14 slots made on demand and
 * never freed. Written under pool_lock; read without a lock by free. */
enum { LEAF_SLOTS = 1 << 14, TOP = 1 << (47 - CHUNK_SHIFT - 14) };
typedef struct leaf {
    _Atomic uint64_t bits[LEAF_SLOTS / 64];
} leaf;
static _Atomic(leaf *) registry[TOP];

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static chunk *pool;
static size_t pooled;
static atomic_int arenas_off;
static int (*_Atomic fail_hook)(void);
static _Atomic size_t stat_cells, stat_mapped, stat_peak;
static _Thread_local ews_parse_arena *current;

static int registered(const void *p)
{
    uintptr_t a = (uintptr_t)p;
    if (a >> 47)
        return 0;
    leaf *l = atomic_load_explicit(&registry[a >> (CHUNK_SHIFT + 14)], memory_order_acquire);
    if (!l)
        return 0;
    size_t slot = (a >> CHUNK_SHIFT) & (LEAF_SLOTS - 1);
    uint64_t w = atomic_load_explicit(&l->bits[slot / 64], memory_order_relaxed);
    return (int)((w >> (slot % 64)) & 1);
}

/* pool_lock held. 0 on success. */
static int registry_set(uintptr_t base, int on)
{
    _Atomic(leaf *) *top = &registry[base >> (CHUNK_SHIFT + 14)];
    leaf *l = atomic_load_explicit(top, memory_order_relaxed);
    if (!l) {
        if (!on)
            return 0;
        void *m = mmap(NULL, sizeof *l, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -1;
        l = m; /* anonymous memory is zero: no slot set */
        atomic_store_explicit(top, l, memory_order_release);
    }
    size_t slot = (base >> CHUNK_SHIFT) & (LEAF_SLOTS - 1);
    uint64_t bit = (uint64_t)1 << (slot % 64);
    if (on)
        atomic_fetch_or_explicit(&l->bits[slot / 64], bit, memory_order_relaxed);
    else
        atomic_fetch_and_explicit(&l->bits[slot / 64], ~bit, memory_order_relaxed);
    return 0;
}

static void stat_map(size_t n)
{
    size_t now = atomic_fetch_add(&stat_mapped, n) + n;
    size_t peak = atomic_load(&stat_peak);
    while (now > peak && !atomic_compare_exchange_weak(&stat_peak, &peak, now))
        ;
}

/* A fresh CHUNK-aligned, registered mapping of `size` bytes (a multiple of
 * the page size), or NULL. */
static chunk *map_aligned(size_t size)
{
    if (size > SIZE_MAX - CHUNK)
        return NULL;
    char *m = mmap(NULL, size + CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    uintptr_t base = ((uintptr_t)m + CHUNK - 1) & ~(uintptr_t)(CHUNK - 1);
    size_t head = base - (uintptr_t)m, tail = CHUNK - head;
    if (head)
        munmap(m, head);
    if (tail)
        munmap((char *)base + size, tail);
    pthread_mutex_lock(&pool_lock);
    int rc = (base >> 47) ? -1 : registry_set(base, 1);
    pthread_mutex_unlock(&pool_lock);
    if (rc) {
        munmap((void *)base, size);
        return NULL;
    }
    stat_map(size);
    chunk *c = (chunk *)base;
    c->map_size = size;
    return c;
}

static void unmap(chunk *c)
{
    size_t size = c->map_size;
    pthread_mutex_lock(&pool_lock);
    registry_set((uintptr_t)c, 0);
    pthread_mutex_unlock(&pool_lock);
    UNPOISON(c, size);
    munmap(c, size);
    atomic_fetch_sub(&stat_mapped, size);
}

static chunk *chunk_get(ews_parse_arena *owner)
{
    pthread_mutex_lock(&pool_lock);
    chunk *c = pool;
    if (c) {
        pool = c->next;
        pooled--;
    }
    pthread_mutex_unlock(&pool_lock);
    if (!c && !(c = map_aligned(CHUNK)))
        return NULL;
    UNPOISON(c, RUN);
    POISON((char *)c + RUN, CHUNK - RUN);
    c->owner = owner;
    c->next = c->prev = NULL;
    memset(c->run_class, CLASS_HEADER, sizeof c->run_class);
    return c;
}

static void chunk_put(chunk *c)
{
    c->owner = NULL;
    pthread_mutex_lock(&pool_lock);
    if (pooled < POOL_MAX) {
        c->next = pool;
        pool = c;
        pooled++;
        c = NULL;
    }
    pthread_mutex_unlock(&pool_lock);
    if (c)
        unmap(c);
}

/* Adds a chunk to `a`; its runs become the ones handed out next. */
static int arena_grow(ews_parse_arena *a)
{
    chunk *c = chunk_get(a);
    if (!c)
        return -1;
    c->next = a->chunks;
    a->chunks = c;
    a->next_run = (uintptr_t)c + RUN;
    a->runs_end = (uintptr_t)c + CHUNK;
    return 0;
}

static void *arena_small(ews_parse_arena *a, size_t n)
{
    size_t cls = (n + REDZONE + GRAIN - 1) / GRAIN;
    if (cls == 0)
        cls = 1;
    size_t size = cls * GRAIN;
    void *p = a->free_cells[cls];
    if (p) {
        UNPOISON(p, sizeof(void *));
        memcpy(&a->free_cells[cls], p, sizeof(void *));
    } else {
        if (a->bump_end[cls] - a->bump[cls] < size) {
            if (a->next_run == a->runs_end && arena_grow(a))
                return NULL;
            uintptr_t run = a->next_run;
            a->next_run += RUN;
            chunk *c = (chunk *)(run & ~(uintptr_t)(CHUNK - 1));
            c->run_class[(run - (uintptr_t)c) >> RUN_SHIFT] = (unsigned char)cls;
            a->bump[cls] = run;
            a->bump_end[cls] = run + RUN;
        }
        p = (void *)a->bump[cls];
        a->bump[cls] += size;
    }
    UNPOISON(p, n ? n : 1);
    return p;
}

static void *arena_large(ews_parse_arena *a, size_t n)
{
    if (n > SIZE_MAX - LARGE_HDR - CHUNK)
        return NULL;
    size_t need = n + LARGE_HDR;
    size_t runs = (need + RUN - 1) / RUN;
    char *block;
    if (runs <= LARGE_RUNS_MAX) {
        if ((a->runs_end - a->next_run) / RUN < runs && arena_grow(a))
            return NULL;
        block = (char *)a->next_run;
        a->next_run += runs * RUN;
        chunk *c = (chunk *)((uintptr_t)block & ~(uintptr_t)(CHUNK - 1));
        c->run_class[((uintptr_t)block - (uintptr_t)c) >> RUN_SHIFT] = CLASS_LARGE;
    } else {
        size_t page = 4096, size = (RUN + need + page - 1) / page * page;
        chunk *c = map_aligned(size);
        if (!c)
            return NULL;
        c->owner = a;
        memset(c->run_class, CLASS_HEADER, sizeof c->run_class);
        c->run_class[1] = CLASS_HUGE; /* the run the block starts in */
        c->prev = NULL;
        c->next = a->huge;
        if (a->huge)
            a->huge->prev = c;
        a->huge = c;
        block = (char *)c + RUN;
        POISON(block, size - RUN);
    }
    UNPOISON(block, need);
    memcpy(block, &n, sizeof n);
    POISON(block, LARGE_HDR);
    return block + LARGE_HDR;
}

static void *arena_alloc(ews_parse_arena *a, size_t n, int *injected)
{
    int (*hook)(void) = atomic_load_explicit(&fail_hook, memory_order_relaxed);
    if (hook && hook()) {
        *injected = 1;
        return NULL;
    }
    void *p = n <= SMALL_MAX - REDZONE ? arena_small(a, n) : arena_large(a, n);
    if (p)
        a->cells++;
    return p;
}

static chunk *chunk_of(const void *p)
{
    return (chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK - 1));
}

static unsigned class_of_cell(const chunk *c, const void *p)
{
    return c->run_class[((uintptr_t)p - (uintptr_t)c) >> RUN_SHIFT];
}

/* Bytes a cell may hold. */
static size_t cell_size(const void *p)
{
    const chunk *c = chunk_of(p);
    unsigned cls = class_of_cell(c, p);
    if (cls == CLASS_LARGE || cls == CLASS_HUGE) {
        size_t n;
        UNPOISON((const char *)p - LARGE_HDR, LARGE_HDR);
        memcpy(&n, (const char *)p - LARGE_HDR, sizeof n);
        POISON((const char *)p - LARGE_HDR, LARGE_HDR);
        return n;
    }
    return cls * GRAIN - REDZONE;
}

static void arena_cell_free(void *p)
{
    chunk *c = chunk_of(p);
    unsigned cls = class_of_cell(c, p);
    ews_parse_arena *a = c->owner;
    /* A released chunk, or a pointer into a chunk's header: not a cell. */
    if (!a || cls == CLASS_HEADER)
        abort();
    if (cls == CLASS_HUGE) {
        if (c->prev)
            c->prev->next = c->next;
        else
            a->huge = c->next;
        if (c->next)
            c->next->prev = c->prev;
        unmap(c);
        return;
    }
    if (cls == CLASS_LARGE) {
        /* Its runs stay with the arena until it is released. */
        POISON(p, cell_size(p));
        return;
    }
    UNPOISON(p, sizeof(void *));
    memcpy(p, &a->free_cells[cls], sizeof(void *));
    a->free_cells[cls] = p;
    POISON(p, cls * GRAIN);
}

ews_parse_arena *ews_parse_arena_new(void)
{
    if (!__real_malloc || !__real_free || !__real_realloc || RUNNING_ON_VALGRIND ||
        atomic_load_explicit(&arenas_off, memory_order_relaxed))
        return NULL;
    chunk *c = chunk_get(NULL);
    if (!c)
        return NULL;
    ews_parse_arena *a = (ews_parse_arena *)(c + 1);
    memset(a, 0, sizeof *a);
    c->owner = a;
    a->chunks = c;
    a->next_run = (uintptr_t)c + RUN;
    a->runs_end = (uintptr_t)c + CHUNK;
    return a;
}

void ews_parse_arena_enter(ews_parse_arena *a)
{
    current = a;
}

void ews_parse_arena_leave(void)
{
    current = NULL;
}

int ews_parse_arena_complete(const ews_parse_arena *a)
{
    return a && !a->fallback;
}

void ews_parse_arena_free(ews_parse_arena *a)
{
    if (!a)
        return;
    if (current == a)
        current = NULL;
    atomic_fetch_add_explicit(&stat_cells, a->cells, memory_order_relaxed);
    while (a->huge) {
        chunk *h = a->huge;
        a->huge = h->next;
        unmap(h);
    }
    /* The chunk holding `a` goes last. */
    chunk *c = a->chunks;
    while (c) {
        chunk *next = c->next;
        POISON((char *)c + RUN, CHUNK - RUN);
        chunk_put(c);
        c = next;
    }
}

void ews_parse_arena_drain(void)
{
    pthread_mutex_lock(&pool_lock);
    chunk *c = pool;
    pool = NULL;
    pooled = 0;
    pthread_mutex_unlock(&pool_lock);
    while (c) {
        chunk *next = c->next;
        unmap(c);
        c = next;
    }
}

void ews_parse_arena_set_enabled(int on)
{
    atomic_store(&arenas_off, !on);
}

void ews_alloc_set_fail_hook(int (*hook)(void))
{
    atomic_store(&fail_hook, hook);
}

ews_parse_arena_stats ews_parse_arena_stats_get(void)
{
    ews_parse_arena_stats s = { atomic_load(&stat_cells), atomic_load(&stat_mapped),
                                atomic_load(&stat_peak) };
    return s;
}

void ews_parse_arena_stats_reset_peak(void)
{
    atomic_store(&stat_peak, atomic_load(&stat_mapped));
}

/* ---- the wrapped allocator -------------------------------------------- */

void *__wrap_malloc(size_t n)
{
    ews_parse_arena *a = current;
    void *p;
    if (a) {
        int injected = 0;
        if ((p = arena_alloc(a, n, &injected)))
            return p;
        /* No chunk to be had: malloc may still have room. */
        if (!injected && (p = __real_malloc(n))) {
            a->fallback = 1;
            return p;
        }
    } else if ((p = __real_malloc(n)) || n == 0) {
        return p;
    }
    failures++;
    if (n <= sizeof(struct soap_blist)) {
        pthread_mutex_lock(&reserve_lock);
        if (reserved)
            p = reserve[--reserved];
        pthread_mutex_unlock(&reserve_lock);
        if (p && a)
            a->fallback = 1;
    }
    return p;
}

void __wrap_free(void *p)
{
    if (p && registered(p))
        arena_cell_free(p);
    else
        __real_free(p);
}

void *__wrap_realloc(void *p, size_t n)
{
    if (!p || !registered(p))
        return __real_realloc(p, n);
    if (n == 0) {
        __wrap_free(p);
        return NULL;
    }
    void *q = __wrap_malloc(n);
    if (!q)
        return NULL;
    size_t old = cell_size(p);
    memcpy(q, p, old < n ? old : n);
    __wrap_free(p);
    return q;
}

unsigned long ews_alloc_failures(void)
{
    return failures;
}

void ews_alloc_reserve_fill(void)
{
    if (!__real_malloc)
        return;
    pthread_mutex_lock(&reserve_lock);
    while (reserved < RESERVE_BLOCKS) {
        void *p = __real_malloc(sizeof(struct soap_blist));
        if (!p)
            break;
        reserve[reserved++] = p;
    }
    pthread_mutex_unlock(&reserve_lock);
}

size_t ews_alloc_reserve_size(void)
{
    pthread_mutex_lock(&reserve_lock);
    size_t n = reserved;
    pthread_mutex_unlock(&reserve_lock);
    return n;
}
