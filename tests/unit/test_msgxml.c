/* Name/value look-ups in MessageXml fragments (BackOffMilliseconds and
 * friends), over the spellings servers and proxies produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "soap/msgxml.h"

static const char *find(const char *xml, const char *name)
{
    static char out[64];
    memset(out, 'x', sizeof out);
    return ews_msgxml_find(xml, name, out, sizeof out) ? out : NULL;
}

/* String literals are char[] in C, so they fit the char *const * API. */
static long back_off(char *xml)
{
    char *one[] = { xml };
    return ews_msgxml_back_off(one, 1);
}

static void test_prefixes(void **state)
{
    (void)state;
    assert_str(find("<t:Value Name=\"BackOffMilliseconds\">1500</t:Value>", "BackOffMilliseconds"),
               "1500");
    assert_str(find("<Value Name=\"BackOffMilliseconds\">1500</Value>", "BackOffMilliseconds"),
               "1500");
    assert_str(find("<types:Value xmlns:types=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
                    "Name=\"BackOffMilliseconds\">1500</types:Value>",
                    "BackOffMilliseconds"),
               "1500");
}

static void test_quotes_and_whitespace(void **state)
{
    (void)state;
    assert_str(find("<t:Value Name='BackOffMilliseconds'>1500</t:Value>", "BackOffMilliseconds"),
               "1500");
    assert_str(find("<t:Value\n\tName = \"BackOffMilliseconds\" >\n  1500 \r\n</t:Value>",
                    "BackOffMilliseconds"),
               "1500");
    assert_int_equal(back_off("<t:Value  Name='BackOffMilliseconds' > 2500\n</t:Value>"), 2500);
}

/* The right Value among several, whole names only. */
static void test_selects_by_name(void **state)
{
    (void)state;
    static const char two[] =
        "<t:Value Name=\"InnerErrorResponseCode\">ErrorServerBusy</t:Value>"
        "<t:Value Name=\"BackOffMilliseconds\">300</t:Value>";
    assert_str(find(two, "InnerErrorResponseCode"), "ErrorServerBusy");
    assert_str(find(two, "BackOffMilliseconds"), "300");
    assert_null(find(two, "BackOff"));
    assert_null(find("<t:Value Name=\"BackOffMillisecondsMax\">1</t:Value>", "BackOffMilliseconds"));
    /* Only elements named Value count. */
    assert_null(find("<t:Values Name=\"BackOffMilliseconds\">1</t:Values>", "BackOffMilliseconds"));
    assert_null(find("<t:Value Label=\"BackOffMilliseconds\">1</t:Value>", "BackOffMilliseconds"));
}

static void test_missing_name_or_text(void **state)
{
    (void)state;
    assert_null(find("<t:Value>1500</t:Value>", "BackOffMilliseconds"));
    assert_int_equal(back_off("<t:Value>1500</t:Value>"), -1);
    assert_null(find("<t:Value Name=\"BackOffMilliseconds\"/>", "BackOffMilliseconds"));
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\"/>"), -1);
    assert_str(find("<t:Value Name=\"BackOffMilliseconds\"></t:Value>", "BackOffMilliseconds"), "");
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\"></t:Value>"), -1);
    /* Cut off before the end tag: no text to trust. */
    assert_null(find("<t:Value Name=\"BackOffMilliseconds\">1500", "BackOffMilliseconds"));
    assert_null(find("<t:Value Name=\"BackOffMilliseconds", "BackOffMilliseconds"));
    assert_null(find("", "BackOffMilliseconds"));
}

static void test_non_numeric_back_off(void **state)
{
    (void)state;
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">soon</t:Value>"), -1);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">15s</t:Value>"), -1);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">-5</t:Value>"), -1);
    assert_int_equal(back_off("<t:Value Name=\"BackOffMilliseconds\">0</t:Value>"), 0);
}

static void test_arrays_and_bad_arguments(void **state)
{
    (void)state;
    char *frags[] = { NULL, "<t:Other>1</t:Other>",
                      "<t:Value Name=\"BackOffMilliseconds\">42</t:Value>" };
    assert_int_equal(ews_msgxml_back_off(frags, 3), 42);
    assert_int_equal(ews_msgxml_back_off(frags, 2), -1);
    assert_int_equal(ews_msgxml_back_off(NULL, 3), -1);
    assert_int_equal(ews_msgxml_back_off(frags, 0), -1);

    char out[8];
    assert_int_equal(ews_msgxml_find(NULL, "X", out, sizeof out), 0);
    assert_int_equal(ews_msgxml_find("<Value Name=\"X\">1</Value>", NULL, out, sizeof out), 0);
    assert_int_equal(ews_msgxml_find("<Value Name=\"X\">1</Value>", "X", NULL, 8), 0);
    assert_int_equal(ews_msgxml_find("<Value Name=\"X\">1</Value>", "X", out, 0), 0);
}

/* Text longer than the buffer is cut and still terminated. */
static void test_truncates_to_buffer(void **state)
{
    (void)state;
    char out[5];
    memset(out, 'x', sizeof out);
    assert_int_equal(ews_msgxml_find("<Value Name=\"X\">123456789</Value>", "X", out, sizeof out), 1);
    assert_str(out, "1234");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefixes),
        cmocka_unit_test(test_quotes_and_whitespace),
        cmocka_unit_test(test_selects_by_name),
        cmocka_unit_test(test_missing_name_or_text),
        cmocka_unit_test(test_non_numeric_back_off),
        cmocka_unit_test(test_arrays_and_bad_arguments),
        cmocka_unit_test(test_truncates_to_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
