/* Servers that answer quickly but wrongly: bad bytes in a value, pages that
 * are not SOAP, a SOAP 1.2 fault, redirect games, an absurd header line.
 * Several reflect the Basic credentials they received into what they send;
 * the runner checks that none of it reaches the error record. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "hostile.h"

#define QUICK 2000L

static void run_mode(const hostile_case *c, const char *mode, long count)
{
    hostile_server s;
    assert_int_equal(hostile_start(&s, mode, count), 0);
    hostile_run(c, &s);
    hostile_stop(&s);
}

/* &#0; would cut the id short to "p1" without a word. */
static void test_nul_reference_in_id(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "nul-reference-id", .rc = EWS_EPARSE, .http_status = 200, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "character reference",
    };
    run_mode(&c, "nul-id", 0);
}

/* An overlong "/" (C0 AF) and a stray FF in an id. */
static void test_invalid_utf8_in_id(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "invalid-utf8-id", .rc = EWS_EPARSE, .http_status = 200, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "ill-formed UTF-8",
    };
    run_mode(&c, "bad-utf8-id", 0);
}

static void test_html_500(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "html-500", .rc = EWS_ENOTSOAP, .http_status = 500, .min_ms = 0, .max_ms = QUICK,
        .max_growth_mb = 16, .message_has = "text/html",
    };
    run_mode(&c, "html-500", 0);
}

static const char *two_personas(const ews_imlist *list, const ews_error *e)
{
    (void)e;
    return ews_imlist_persona_count(list) == 2 &&
                   strcmp(ews_persona_id(ews_imlist_persona(list, 1)), "p1") == 0
               ? NULL
               : "the list is not the one the server sent";
}

/* The Content-Type is not consulted: a SOAP body labelled text/html is
 * read like any other, and whatever is not SOAP fails by its content. */
static void test_soap_labelled_html(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "soap-as-text/html", .rc = 0, .http_status = 200, .min_ms = 0, .max_ms = QUICK,
        .max_growth_mb = 16, .check = two_personas,
    };
    run_mode(&c, "html-200-soap", 0);
}

static void test_png(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "image/png", .rc = EWS_ENOTSOAP, .http_status = 200, .min_ms = 0, .max_ms = QUICK,
        .max_growth_mb = 16, .message_has = "not XML",
    };
    run_mode(&c, "png", 0);
}

static const char *soap12_fields(const ews_imlist *list, const ews_error *e)
{
    (void)list;
    static char why[200];
    /* the engine names the namespace by the library's own prefix */
    if (!e->soap_faultcode || strcmp(e->soap_faultcode, "t:ErrorInvalidRequest") != 0) {
        snprintf(why, sizeof why, "the fault code %s is not the SOAP 1.2 Subcode",
                 e->soap_faultcode ? e->soap_faultcode : "(null)");
        return why;
    }
    if (!e->response_code || strcmp(e->response_code, "ErrorInvalidRequest") != 0)
        return "the response code was not taken from the Subcode";
    if (!e->soap_faultstring || strncmp(e->soap_faultstring, "The request from ", 17) != 0)
        return "the fault string is not the SOAP 1.2 Reason";
    if (e->category != EWS_CAT_PERMANENT)
        return "the category is not that of ErrorInvalidRequest";
    return NULL;
}

/* Code/Subcode/Reason instead of faultcode/faultstring. */
static void test_soap12_fault(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "soap-1.2-fault", .rc = EWS_EFAULT, .http_status = 500, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "ErrorInvalidRequest",
        .check = soap12_fields,
    };
    run_mode(&c, "soap12-fault", 0);
}

/* MessageText is quoted in the error too. */
static void test_ews_error_reflecting(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "ews-error-messagetext", .rc = EWS_EEWS, .http_status = 200, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "ErrorAccessDenied",
    };
    run_mode(&c, "ews-error", 0);
}

static void follow(ews_client_options *o, ews_call_options *call)
{
    (void)call;
    o->follow_redirects = 1;
    /* Six TLS handshakes under valgrind outlast the timers, which are not
     * what these cases are about. */
    if (hostile_instrumented()) {
        o->stall_timeout_ms *= 10;
        o->timeout_ms *= 10;
    }
}

/* https to itself, forever: five hops are followed, the sixth 302 is the
 * answer. */
static void test_redirect_loop(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "redirect-loop", .rc = EWS_EREDIRECT, .http_status = 302, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "302", .tune = follow,
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "redirect-loop", 0), 0);
    hostile_run(&c, &s);
    assert_int_equal(hostile_log_count(&s, "request "), 6);
    hostile_stop(&s);
}

static int can_bind_ipv6_loopback(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* 127.0.0.1 sends the client to [::1], by http and then by https; ::1
 * notes whatever reaches it. Nothing may: credentials go only to the host
 * they were configured for. */
static void test_redirect_to_other_host(void **state)
{
    (void)state;
    if (!can_bind_ipv6_loopback())
        skip();
    static const hostile_case c = {
        .name = "redirect-other-host", .rc = EWS_EREDIRECT, .http_status = 307, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "::1", .tune = follow,
    };
    hostile_server s;
    assert_int_equal(hostile_start(&s, "redirect-away", 0), 0);
    hostile_run(&c, &s); /* http://[::1] */
    hostile_run(&c, &s); /* https://[::1] */
    /* the credentials were in play: the first host got them */
    assert_int_equal(hostile_log_count(&s, "request /EWS/Exchange.asmx authorization=yes"), 2);
    assert_int_equal(hostile_log_count(&s, "other-host"), 0);
    hostile_stop(&s);
}

/* libcurl takes response header lines up to 100 KiB: a 70 KiB request-id
 * is kept like any other. */
static void test_long_header_line(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "header-line-70KiB", .rc = 0, .http_status = 200, .min_ms = 0, .max_ms = QUICK,
        .max_growth_mb = 16, .check = two_personas,
    };
    run_mode(&c, "huge-header", 70L << 10);
}

/* A 1 MiB line is past libcurl's limit: a transport error. */
static void test_huge_header_line(void **state)
{
    (void)state;
    static const hostile_case c = {
        .name = "header-line-1MiB", .rc = EWS_ETRANSPORT, .http_status = -1, .min_ms = 0,
        .max_ms = QUICK, .max_growth_mb = 16, .message_has = "header",
    };
    run_mode(&c, "huge-header", 1L << 20);
}

int main(void)
{
    hostile_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nul_reference_in_id),
        cmocka_unit_test(test_invalid_utf8_in_id),
        cmocka_unit_test(test_html_500),
        cmocka_unit_test(test_soap_labelled_html),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_soap12_fault),
        cmocka_unit_test(test_ews_error_reflecting),
        cmocka_unit_test(test_redirect_loop),
        cmocka_unit_test(test_redirect_to_other_host),
        cmocka_unit_test(test_long_header_line),
        cmocka_unit_test(test_huge_header_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
