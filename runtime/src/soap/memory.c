#include "soap/memory.h"

#include <pthread.h>
#include <stdlib.h>

#include "stdsoap2.h"

/* Resolved by the linker's --wrap=malloc; weak so that a link without it
 * (where nothing calls __wrap_malloc) still succeeds. */
extern void *__real_malloc(size_t n) __attribute__((weak));
void *__wrap_malloc(size_t n);

enum { RESERVE_BLOCKS = 8 };

static _Thread_local unsigned long failures;
static pthread_mutex_t reserve_lock = PTHREAD_MUTEX_INITIALIZER;
static void *reserve[RESERVE_BLOCKS];
static size_t reserved;

/* Every block handed out is the C library's own (a reserve block too), so
 * free and realloc need no wrapping: no address is ever ours to recognise. */
void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);
    if (p || n == 0)
        return p;
    failures++;
    if (n <= sizeof(struct soap_blist)) {
        pthread_mutex_lock(&reserve_lock);
        if (reserved)
            p = reserve[--reserved];
        pthread_mutex_unlock(&reserve_lock);
    }
    return p;
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
