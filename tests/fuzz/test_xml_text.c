/* The response pre-check (runtime/src/utf8.c): each case is one the fuzzer
 * or a probe of the engine showed would otherwise reach a caller as a string
 * that is not UTF-8 or is silently different from the document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "utf8.h"

static size_t check(const char *doc)
{
    return ews_xml_text_check(doc, strlen(doc), NULL);
}

static void accepts_well_formed_text(void **state)
{
    (void)state;
    const char *ok[] = {
        "<a>plain</a>",
        "<a>Zo\xc3\xab \xe4\xb8\xad \xf0\x9f\x98\x80</a>",       /* 2-, 3-, 4-byte forms */
        "<a>&#65; &#x4E2D; &#65537; &#9; &#xd;</a>",             /* short references */
        "<a>&amp;&lt;&#x41;</a>",
        "<!-- &#0; in a comment --><a/>",                        /* not references there */
        "<a><![CDATA[&#0; &#x1F600;]]></a>",
        "\xef\xbb\xbf<a>\t\r\n</a>",                             /* BOM, allowed controls */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        assert_int_equal(check(ok[i]), strlen(ok[i]));
}

static void rejects_what_the_engine_misreads(void **state)
{
    (void)state;
    static const struct {
        const char *doc;
        size_t at;
    } bad[] = {
        { "<a>A\xed\xa0\x80</a>", 4 },          /* raw surrogate (CESU-8) */
        { "<a>&#xD800;</a>", 3 },               /* reference to a surrogate */
        { "<a>x&#0;y</a>", 4 },                 /* NUL would cut the string */
        { "<a>&#;</a>", 3 },
        { "<a>&#x;</a>", 3 },
        { "<a>&#xZ;</a>", 3 },
        { "<a>&#x00000041;</a>", 3 },           /* read as NUL by the engine */
        { "<a>&#x1F600;</a>", 3 },              /* read as U+1F600 followed by ";" */
        { "<a>&#128512;</a>", 3 },
        { "<a>&#x110000;</a>", 3 },
        { "<a>&#1;</a>", 3 },                   /* control characters XML forbids */
        { "<a>\x01</a>", 3 },
        { "<a>&#xFFFE;</a>", 3 },
        { "<a>\xc0\xaf</a>", 3 },               /* overlong "/" */
        { "<a>\xff\xfe</a>", 3 },               /* Latin-1 bytes */
        { "<a>\xf4\x90\x80\x80</a>", 3 },       /* above U+10FFFF */
        { "<a>\xe4\xb8</a>", 3 },               /* cut sequence */
        { "<a>&#65</a>", 3 },                   /* no ';' */
        { "<!-- \xff -->", 5 },                 /* comments must be UTF-8 too */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *why = NULL;
        assert_int_equal(ews_xml_text_check(bad[i].doc, strlen(bad[i].doc), &why), bad[i].at);
        assert_non_null(why);
    }
    /* A NUL byte is a character XML forbids, and must not end the check. */
    assert_int_equal(ews_xml_text_check("<a>\0</a>", 8, NULL), 3);
}

static void scrub_replaces_only_broken_bytes(void **state)
{
    (void)state;
    char cut[] = "caf\xc3\xa9 \xc3";        /* a message cut inside "é" */
    ews_utf8_scrub(cut);
    assert_string_equal(cut, "caf\xc3\xa9 ?");
    char mixed[] = "\xff" "a\xed\xa0\x80" "b";
    ews_utf8_scrub(mixed);
    assert_string_equal(mixed, "?a???b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_well_formed_text),
        cmocka_unit_test(rejects_what_the_engine_misreads),
        cmocka_unit_test(scrub_replaces_only_broken_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
