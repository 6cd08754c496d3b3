/* Refusing a malformed response takes time linear in its size: a body of
 * many '<!a>' constructs made the root-element guess behind the error
 * message rescan to the end for each one (400 KB: 11 s). Measured through
 * the public API as a ratio to parsing an ordinary response of the same
 * size, with a generous bound (no absolute timings). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "ews/ews.h"

#define SIZE (256u << 10)

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A GetImItemList response of personas, SIZE bytes or a little more. */
static char *benign(size_t *len)
{
    ews_buf b = EWS_BUF_INIT;
    int rc = ews_buf_puts(&b,
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
        "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError"
        "</m:ResponseCode><m:ImItemList><t:Personas>");
    for (size_t i = 0; !rc && b.len < SIZE; i++)
        rc = ews_buf_printf(&b, "<t:Persona><t:PersonaId Id=\"P-%zu\"/><t:DisplayName>Person %zu"
                                "</t:DisplayName></t:Persona>", i, i);
    rc |= ews_buf_puts(&b, "</t:Personas></m:ImItemList></m:GetImItemListResponse>"
                           "</s:Body></s:Envelope>");
    assert_int_equal(rc, 0);
    return ews_buf_detach(&b, len);
}

/* len bytes of '<!a>' (and a tail of 'a's). */
static char *adversarial(size_t len)
{
    char *d = malloc(len);
    assert_non_null(d);
    for (size_t i = 0; i < len; i++)
        d[i] = i / 4 * 4 + 4 <= len ? "<!a>"[i % 4] : 'a';
    return d;
}

/* The fastest of three parses, and the result of the last. */
static double parse_time(ews_client *c, const char *data, size_t len, int *rc)
{
    double best = 1e9;
    for (int k = 0; k < 3; k++) {
        ews_imlist *l = NULL;
        double t0 = seconds();
        *rc = ews_im_item_list_parse(&l, c, data, len);
        double t = seconds() - t0;
        ews_imlist_free(l);
        if (t < best)
            best = t;
    }
    return best;
}

static void test_refusal_is_linear(void **state)
{
    (void)state;
    ews_client_options o = EWS_CLIENT_OPTIONS_INIT; /* no URL: parse only */
    ews_client *c = NULL;
    assert_int_equal(ews_client_new(&c, &o), 0);
    size_t len;
    char *ok = benign(&len);
    char *bad = adversarial(len);
    int rc_ok, rc_bad;
    double t_ok = parse_time(c, ok, len, &rc_ok);
    double t_bad = parse_time(c, bad, len, &rc_bad);
    assert_int_equal(rc_ok, 0);
    assert_int_equal(rc_bad, EWS_ENOTSOAP);
    print_message("%zu bytes: ordinary response %.2f ms, '<!a>' x %zu refused in %.2f ms\n", len,
                  t_ok * 1e3, len / 4, t_bad * 1e3);
    /* Refusing does less work than parsing; before the fix it took about
     * 300 times as long. */
    if (t_bad > 5 * t_ok)
        fail_msg("refusing took %.1f times as long as parsing a response of the same size",
                 t_bad / t_ok);
    free(bad);
    free(ok);
    ews_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusal_is_linear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
