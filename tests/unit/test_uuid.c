/* Request ids (core/uuid.c): RFC 9562 version-4 form, lower-case hex, and
 * no repeats over many requests, also across threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/uuid.h"

#define PER_THREAD 5000
#define THREADS 4

static char ids[THREADS * PER_THREAD][37];

static void check_form(const char *u)
{
    assert_int_equal(strlen(u), 36);
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            assert_int_equal(u[i], '-');
        else
            assert_non_null(strchr("0123456789abcdef", u[i]));
    }
    assert_int_equal(u[14], '4');
    assert_non_null(strchr("89ab", u[19]));
}

static void *fill(void *arg)
{
    char (*mine)[37] = arg;
    for (int i = 0; i < PER_THREAD; i++)
        ews_uuid4(mine[i]);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void unique_and_well_formed(void **state)
{
    (void)state;
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, fill, ids[i * PER_THREAD]), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (int i = 0; i < THREADS * PER_THREAD; i++)
        check_form(ids[i]);
    qsort(ids, THREADS * PER_THREAD, sizeof ids[0], cmp);
    for (int i = 1; i < THREADS * PER_THREAD; i++)
        assert_true(strcmp(ids[i - 1], ids[i]) != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unique_and_well_formed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
