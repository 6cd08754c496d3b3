#include "soap/cells.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

/* Under a checker, cells are made to look like heap blocks to it, so that
 * reads of freed cells and leaked cells are still reported. */
#if defined(__SANITIZE_ADDRESS__)
#define EWS_CELLS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EWS_CELLS_ASAN 1
#endif
#endif
#ifdef EWS_CELLS_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/lsan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define VG_ALLOC(p, n) VALGRIND_MALLOCLIKE_BLOCK((p), (n), 0, 0)
#define VG_FREE(p) VALGRIND_FREELIKE_BLOCK((p), 0)
#define VG_NOACCESS(p, n) VALGRIND_MAKE_MEM_NOACCESS((p), (n))
#define VG_DEFINED(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#define VG_UNDEFINED(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#endif
#endif
#ifndef VG_ALLOC
#define VG_ALLOC(p, n) ((void)(p), (void)(n))
#define VG_FREE(p) ((void)(p))
#define VG_NOACCESS(p, n) ((void)(p), (void)(n))
#define VG_DEFINED(p, n) ((void)(p), (void)(n))
#define VG_UNDEFINED(p, n) ((void)(p), (void)(n))
#endif

enum {
    GRAIN = 8,
    CLASSES = EWS_CELLS_MAX / GRAIN,
    SLAB = 64 * 1024,
    HEADER = 64,              /* a slab's header, before its first cell */
    COMMIT_STEP = 64 * SLAB,  /* made writable at once: one mprotect per 4 MiB */
    DIRTY_MAX = 64,           /* free slabs kept as they are (4 MiB) */
    BIG_HEAP = 64,            /* slabs a heap holds before it is a large list's */
};
#define HUGE_PAGE ((size_t)2 << 20)

/* One size of cell. Its allocation fields belong to the heap's thread; the
 * free list, live count and orphan flag are changed under `lock` by frees,
 * which may come from other threads once the heap is released. */
struct slab {
    struct slab *next; /* the heap's slabs, or the dirty pool */
    char *free;        /* freed cells, linked through their first word */
    char *bump, *end;  /* never-used cells */
    size_t size;
    size_t live;
    int orphan; /* its heap was released with cells live */
    atomic_flag lock;
};
_Static_assert(sizeof(struct slab) <= HEADER, "slab header too large");

struct ews_cells {
    struct slab *cur[CLASSES]; /* the slab each size is cut from */
    struct slab *all;
    size_t nslabs;
};

int ews_cells_enabled = 1;
size_t ews_cells_region_request;

static pthread_once_t reserve_once = PTHREAD_ONCE_INIT;
/* [region_lo, region_lo + region_len): set once, never unmapped. */
static _Atomic uintptr_t region_lo;
static _Atomic size_t region_len;

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t committed, top; /* bytes made writable, bytes ever handed out */
static struct slab *dirty;
static size_t ndirty, nout, nout_peak;
/* Clean slabs by index: their memory was given back, links in them would
 * bring a page back. */
static uint32_t *clean;
static size_t nclean;
static atomic_size_t norphans;

static _Thread_local ews_cells *current;

static void reserve(void)
{
    static const size_t tries[] = { (size_t)64 << 30, (size_t)16 << 30, (size_t)4 << 30,
                                    (size_t)1 << 30, (size_t)256 << 20 };
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
    /* The reservation counts against an address-space limit: take an
     * eighth of one at most, leaving the rest to the C library. */
    size_t cap = SIZE_MAX;
    struct rlimit as;
    if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY)
        cap = (size_t)(as.rlim_cur / 8);
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        size_t want = ews_cells_region_request ? ews_cells_region_request : tries[i];
        want = (want + SLAB - 1) / SLAB * SLAB;
        if (want == 0 || want / SLAB > UINT32_MAX)
            return;
        if (want > cap)
            continue;
        /* A large page more, to align the range to one (and so a slab to
         * its size). */
        void *p = mmap(NULL, want + HUGE_PAGE, PROT_NONE, flags, -1, 0);
        void *idx = p == MAP_FAILED ? MAP_FAILED
                                    : mmap(NULL, want / SLAB * sizeof *clean,
                                           PROT_READ | PROT_WRITE, flags, -1, 0);
        if (idx != MAP_FAILED) {
            /* A large page would make a small parse's first slab cost
             * 2 MiB: only a large list's range asks for them (pool_take). */
            madvise(p, want + HUGE_PAGE, MADV_NOHUGEPAGE);
            clean = idx;
            uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
            atomic_store_explicit(&region_lo, lo, memory_order_relaxed);
            atomic_store_explicit(&region_len, want, memory_order_release);
#ifdef EWS_CELLS_ASAN
            /* Cells hold the only pointers to some of the C library's
             * blocks: the leak checker must read them. */
            __lsan_register_root_region((void *)lo, want);
#endif
            return;
        }
        if (p != MAP_FAILED)
            munmap(p, want + HUGE_PAGE);
        if (ews_cells_region_request)
            return;
    }
}

/* big: for a heap past BIG_HEAP slabs. Fresh range it makes writable is
 * then in large pages: on the virtual machines measured, the 4 kB faults
 * of an 8,000-persona list's 38 MB of slabs were a tenth of its parse
 * (clear_page and the hypervisor's part of each fault). A small parse
 * never asks: a large page would make its first slab cost 2 MiB. */
static struct slab *pool_take(int big)
{
    char *lo = (char *)atomic_load_explicit(&region_lo, memory_order_relaxed);
    size_t len = atomic_load_explicit(&region_len, memory_order_relaxed);
    struct slab *s = NULL;
    pthread_mutex_lock(&pool_lock);
    if (dirty) {
        s = dirty;
        dirty = s->next;
        ndirty--;
    } else if (nclean) {
        s = (struct slab *)(lo + (size_t)clean[--nclean] * SLAB);
    } else if (top < len) {
        if (top == committed) {
            size_t step = len - committed < COMMIT_STEP ? len - committed : COMMIT_STEP;
            if (mprotect(lo + committed, step, PROT_READ | PROT_WRITE) == 0) {
#ifdef MADV_HUGEPAGE
                if (big)
                    (void)madvise(lo + committed, step, MADV_HUGEPAGE);
#endif
                committed += step;
            }
        }
        if (top < committed) {
            s = (struct slab *)(lo + top);
            top += SLAB;
        }
    }
    if (s && ++nout > nout_peak)
        nout_peak = nout;
    pthread_mutex_unlock(&pool_lock);
    return s;
}

/* Takes back a list of slabs (linked by next) whose cells are all free:
 * up to DIRTY_MAX stay in the pool as they are, the others are given back
 * to the system, a run of adjacent slabs with one madvise (a call costs
 * far more than its pages: a large list releases hundreds of slabs, most
 * of them adjacent, as its heap took them in order). */
static void pool_put(struct slab *s)
{
    for (struct slab *t = s; t; t = t->next) {
        POISON((char *)t + HEADER, SLAB - HEADER);
        VG_NOACCESS((char *)t + HEADER, SLAB - HEADER);
    }
    pthread_mutex_lock(&pool_lock);
    while (s && ndirty < DIRTY_MAX) {
        struct slab *next = s->next;
        s->next = dirty;
        dirty = s;
        ndirty++;
        nout--;
        s = next;
    }
    pthread_mutex_unlock(&pool_lock);
    char *base = (char *)atomic_load_explicit(&region_lo, memory_order_relaxed);
    while (s) {
        /* The links are read before madvise clears them. */
        char *lo = (char *)s, *hi = lo + SLAB;
        struct slab *t = s->next;
        while (t && ((char *)t == hi || (char *)t + SLAB == lo)) {
            if ((char *)t == hi)
                hi += SLAB;
            else
                lo -= SLAB;
            t = t->next;
        }
        /* Failing, it leaves the pages in place: still usable slabs. */
        madvise(lo, (size_t)(hi - lo), MADV_DONTNEED);
        pthread_mutex_lock(&pool_lock);
        for (char *c = lo; c < hi; c += SLAB) {
            clean[nclean++] = (uint32_t)((size_t)(c - base) / SLAB);
            nout--;
        }
        pthread_mutex_unlock(&pool_lock);
        s = t;
    }
}

static void slab_lock(struct slab *s)
{
    while (atomic_flag_test_and_set_explicit(&s->lock, memory_order_acquire))
        ;
}

static void slab_unlock(struct slab *s)
{
    atomic_flag_clear_explicit(&s->lock, memory_order_release);
}

static struct slab *slab_of(const void *p)
{
    return (struct slab *)((uintptr_t)p & ~(uintptr_t)(SLAB - 1));
}

ews_cells *ews_cells_new(void)
{
    if (!ews_cells_enabled)
        return NULL;
    pthread_once(&reserve_once, reserve);
    if (!atomic_load_explicit(&region_len, memory_order_acquire))
        return NULL;
    return calloc(1, sizeof(ews_cells));
}

void ews_cells_release(ews_cells *h)
{
    if (!h)
        return;
    struct slab *give = NULL, **tail = &give;
    struct slab *s = h->all;
    while (s) {
        struct slab *next = s->next; /* read first: an orphan may be taken back at once */
        slab_lock(s);
        int empty = s->live == 0;
        if (!empty)
            s->orphan = 1;
        slab_unlock(s);
        if (empty) {
            /* In the heap's order, which keeps adjacent slabs together. */
            *tail = s;
            tail = &s->next;
            s->next = NULL;
        } else {
            atomic_fetch_add_explicit(&norphans, 1, memory_order_relaxed);
        }
        s = next;
    }
    pool_put(give);
    free(h);
}

ews_cells *ews_cells_enter(ews_cells *h)
{
    ews_cells *previous = current;
    current = h;
    return previous;
}

void ews_cells_leave(ews_cells *previous)
{
    current = previous;
}

ews_cells *ews_cells_current(void)
{
    return current;
}

void *ews_cells_alloc(size_t n)
{
    ews_cells *h = current;
    if (!h || n > EWS_CELLS_MAX)
        return NULL;
    size_t c = n ? (n - 1) / GRAIN : 0;
    size_t size = (c + 1) * GRAIN;
    struct slab *s = h->cur[c];
    char *p;
    if (s && s->free) {
        p = s->free;
        UNPOISON(p, sizeof(char *));
        VG_DEFINED(p, sizeof(char *));
        s->free = *(char **)p;
    } else {
        if (!s || (size_t)(s->end - s->bump) < size) {
            if (!(s = pool_take(h->nslabs >= BIG_HEAP)))
                return NULL;
            h->nslabs++;
            s->size = size;
            s->free = NULL;
            s->bump = (char *)s + HEADER;
            s->end = (char *)s + SLAB - (SLAB - HEADER) % size;
            s->live = 0;
            s->orphan = 0;
            atomic_flag_clear(&s->lock);
            POISON(s->bump, SLAB - HEADER);
            VG_NOACCESS(s->bump, SLAB - HEADER);
            s->next = h->all;
            h->all = s;
            h->cur[c] = s;
        }
        p = s->bump;
        s->bump += size;
    }
    s->live++;
    POISON(p, size);
    UNPOISON(p, n);
    VG_ALLOC(p, n);
    return p;
}

int ews_cells_owns(const void *p)
{
    size_t len = atomic_load_explicit(&region_len, memory_order_acquire);
    return (uintptr_t)p - atomic_load_explicit(&region_lo, memory_order_relaxed) < len;
}

void ews_cells_free(void *p)
{
    struct slab *s = slab_of(p);
    slab_lock(s);
    VG_FREE(p);
    UNPOISON(p, sizeof(char *));
    VG_UNDEFINED(p, sizeof(char *));
    *(char **)p = s->free;
    s->free = p;
    POISON(p, s->size);
    VG_NOACCESS(p, sizeof(char *));
    int back = --s->live == 0 && s->orphan;
    slab_unlock(s);
    if (back) {
        atomic_fetch_sub_explicit(&norphans, 1, memory_order_relaxed);
        s->next = NULL;
        pool_put(s);
    }
}

size_t ews_cells_usable(const void *p)
{
    return slab_of(p)->size;
}

size_t ews_cells_open(void *p)
{
    size_t size = slab_of(p)->size;
    UNPOISON(p, size);
    VG_DEFINED(p, size);
    return size;
}

void ews_cells_get_stats(ews_cells_stats *st)
{
    pthread_mutex_lock(&pool_lock);
    st->region_bytes = atomic_load(&region_len);
    st->committed = committed;
    st->slabs_out = nout;
    st->slabs_peak = nout_peak;
    st->pool_dirty = ndirty;
    st->pool_clean = nclean;
    pthread_mutex_unlock(&pool_lock);
    st->slabs_orphaned = atomic_load(&norphans);
}

void ews_cells_reset_peak(void)
{
    pthread_mutex_lock(&pool_lock);
    nout_peak = nout;
    pthread_mutex_unlock(&pool_lock);
}
