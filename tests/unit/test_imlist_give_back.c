/* A response the library owns (ews_im_item_list_parse_fd, a call's HTTP
 * body) is given back to the system as the parse passes it, so a large
 * list's peak is the parsed list's and not that plus the response's. What
 * is asserted is the mechanism, not a memory figure: which pages of the
 * input are still resident after the parse (mincore), and that the list
 * read is the same as from the caller's buffer, which is never touched. */
#define _DEFAULT_SOURCE /* mincore, MAP_ANONYMOUS */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "ews/ews.h"

#define PERSONAS 24000u
#define PAD 400

/* A GetImItemList response of PERSONAS personas with long names (about
 * 12 MiB), in a buffer of whole pages mapped for it (*cap bytes). */
static char *big_response(size_t *len, size_t *cap)
{
    ews_buf b = EWS_BUF_INIT;
    int rc = ews_buf_puts(&b,
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
        "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError"
        "</m:ResponseCode><m:ImItemList><t:Personas>");
    for (unsigned i = 0; !rc && i < PERSONAS; i++)
        rc = ews_buf_printf(&b, "<t:Persona><t:PersonaId Id=\"P-%u\"/><t:DisplayName>Person %u "
                                "%0*u</t:DisplayName></t:Persona>", i, i, PAD, i);
    rc |= ews_buf_puts(&b, "</t:Personas></m:ImItemList></m:GetImItemListResponse>"
                           "</s:Body></s:Envelope>");
    assert_int_equal(rc, 0);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    *cap = (b.len + page - 1) / page * page;
    char *m = mmap(NULL, *cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(m != MAP_FAILED);
    memcpy(m, b.data, b.len);
    *len = b.len;
    ews_buf_free(&b);
    return m;
}

/* Resident pages among the first `bytes` of m. */
static size_t resident(char *m, size_t bytes)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE), n = bytes / page, count = 0;
    unsigned char *vec = malloc(n ? n : 1);
    assert_non_null(vec);
    assert_int_equal(mincore(m, n * page, vec), 0);
    for (size_t i = 0; i < n; i++)
        count += vec[i] & 1;
    free(vec);
    return count;
}

static void check_list(const ews_imlist *l)
{
    assert_int_equal(ews_imlist_persona_count(l), PERSONAS);
    char want[PAD + 32];
    snprintf(want, sizeof want, "Person %u %0*u", PERSONAS - 1, PAD, PERSONAS - 1);
    assert_string_equal(ews_persona_display_name(ews_imlist_persona(l, PERSONAS - 1)), want);
    assert_string_equal(ews_persona_id(ews_imlist_persona(l, 0)), "P-0");
}

static const ews_limits limits = EWS_LIMITS_DEFAULT;

static void consumed_pages_are_given_back(void **state)
{
    (void)state;
    size_t len, cap;
    char *m = big_response(&len, &cap);
    assert_true(len > (size_t)8 << 20);
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    assert_int_equal(ews_imlist_parse_consuming(&l, m, len, &limits, &err), 0);
    check_list(l);
    ews_imlist_free(l);
    /* Given back in steps of 2 MiB that stay some way behind the reader:
     * all but the last few MiB are gone. */
    size_t behind = len - ((size_t)4 << 20);
    assert_int_equal(resident(m, behind), 0);
    munmap(m, cap);
    ews_err_free(&err);
}

static void callers_buffer_is_only_read(void **state)
{
    (void)state;
    size_t len, cap;
    char *m = big_response(&len, &cap);
    char *copy = malloc(len);
    assert_non_null(copy);
    memcpy(copy, m, len);
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    assert_int_equal(ews_imlist_parse(&l, m, len, &limits, &err), 0);
    check_list(l);
    ews_imlist_free(l);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    assert_int_equal(resident(m, len / page * page), len / page);
    assert_memory_equal(m, copy, len);
    free(copy);
    munmap(m, cap);
    ews_err_free(&err);
}

/* The body of a call is a malloc'd buffer that starts anywhere in a page;
 * only whole pages inside it may go, and the list is the same. */
static void unaligned_buffer(void **state)
{
    (void)state;
    size_t len, cap;
    char *m = big_response(&len, &cap);
    for (size_t shift = 1; shift < 64; shift += 21) {
        char *buf = malloc(len + shift);
        assert_non_null(buf);
        memcpy(buf + shift, m, len);
        ews_err err;
        ews_err_init(&err);
        ews_imlist *l = NULL;
        assert_int_equal(ews_imlist_parse_consuming(&l, buf + shift, len, &limits, &err), 0);
        check_list(l);
        ews_imlist_free(l);
        free(buf);
        ews_err_free(&err);
    }
    munmap(m, cap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consumed_pages_are_given_back),
        cmocka_unit_test(callers_buffer_is_only_read),
        cmocka_unit_test(unaligned_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
