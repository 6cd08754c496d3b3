/* ews-imlist's streaming JSON writer (examples/ews-imlist/output_json.c),
 * read back with jansson, an independent decoder: string literals for
 * hostile bytes (invalid UTF-8 repaired to U+FFFD, controls, quotes,
 * backslashes), the one-line form with a lead for NDJSON, the indented form
 * with the same content, and write errors reported instead of success. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "cli.h"

/* What f received, NUL-terminated; f is closed. */
static char *drain(FILE *f)
{
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static char *encode(const char *in)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(cli_json_write_string(f, in), 0);
    return drain(f);
}

/* in encoded, then decoded by jansson, must be want (bytes). */
static void roundtrip(const char *in, const char *want)
{
    char *out = encode(in);
    json_error_t e;
    json_t *v = json_loads(out, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    assert_non_null(v);
    assert_true(json_is_string(v));
    assert_int_equal(json_string_length(v), strlen(want));
    assert_memory_equal(json_string_value(v), want, strlen(want));
    json_decref(v);
    free(out);
}

static void test_hostile_strings(void **state)
{
    (void)state;
    roundtrip("", "");
    roundtrip("plain", "plain");
    roundtrip("q\"uo\"te", "q\"uo\"te");
    roundtrip("back\\slash\\", "back\\slash\\");
    roundtrip("\x01\x08\x09\x0a\x0c\x0d\x1b\x1f\x7f", "\x01\x08\x09\x0a\x0c\x0d\x1b\x1f\x7f");
    roundtrip("Zo\xc3\xab \xe6\x9d\x8e \xf0\x9f\x98\x80 \xc2\x9b \xe2\x80\xae",
              "Zo\xc3\xab \xe6\x9d\x8e \xf0\x9f\x98\x80 \xc2\x9b \xe2\x80\xae");
    /* not UTF-8: a lone continuation byte, an overlong '/', a surrogate, a
     * value past U+10FFFF, a sequence cut short, bytes UTF-8 never uses */
    roundtrip("a\x80z", "a\xef\xbf\xbdz");
    roundtrip("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd");
    roundtrip("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    roundtrip("\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    roundtrip("\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd");
    roundtrip("x\xe2\x82\"", "x\xef\xbf\xbd\xef\xbf\xbd\"");
    roundtrip("\xfe\xff", "\xef\xbf\xbd\xef\xbf\xbd");

    /* the same repair as cli_utf8_repair's, the text output's */
    const char *bad = "m\xe9lange \xc3\x28 ok";
    char *fixed = cli_utf8_repair(bad);
    assert_non_null(fixed);
    roundtrip(bad, fixed);
    free(fixed);

    /* longer than the writer's buffer, escapes at its edges */
    size_t n = 100000;
    char *big = malloc(n + 1), *want = malloc(3 * n + 1);
    assert_non_null(big);
    assert_non_null(want);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        big[i] = "ab\"\\\n\x80"[i % 6];
        if (big[i] == '\x80') {
            memcpy(want + w, "\xef\xbf\xbd", 3);
            w += 3;
        } else {
            want[w++] = big[i];
        }
    }
    big[n] = want[w] = '\0';
    roundtrip(big, want);
    free(big);
    free(want);

    char *null = encode(NULL);
    assert_string_equal(null, "null");
    free(null);
}

static ews_imlist *parse_fixture(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ews_client_options co = EWS_CLIENT_OPTIONS_INIT;
    ews_client *client = NULL;
    assert_int_equal(ews_client_new(&client, &co), 0);
    ews_imlist *list = NULL;
    assert_int_equal(ews_im_item_list_parse(&list, client, buf, len), 0);
    ews_client_free(client);
    return list;
}

static void test_one_line_with_lead(void **state)
{
    (void)state;
    ews_imlist *list = parse_fixture(EWS_FIXTURES_DIR "/GetImItemList/join/response.xml");
    assert_true(ews_imlist_persona_count(list) > 0);
    assert_true(ews_imlist_group_count(list) > 0);

    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(cli_json_write_list(f, list, "\"mailbox\":\"a@b\",\"ok\":true", 1), 0);
    char *line = drain(f);
    assert_null(strchr(line, '\n'));

    f = tmpfile();
    assert_non_null(f);
    assert_int_equal(cli_print_json(f, list), 0);
    char *pretty = drain(f);
    assert_true(strlen(pretty) > 0 && pretty[strlen(pretty) - 1] == '\n');

    json_error_t e;
    json_t *a = json_loads(line, 0, &e), *b = json_loads(pretty, 0, &e);
    assert_non_null(a);
    assert_non_null(b);
    /* the lead first, then the list's members as --json has them */
    const char *first = NULL;
    void *it = json_object_iter(a);
    first = json_object_iter_key(it);
    assert_string_equal(first, "mailbox");
    assert_string_equal(json_string_value(json_object_get(a, "mailbox")), "a@b");
    assert_true(json_is_true(json_object_get(a, "ok")));
    json_object_del(a, "mailbox");
    json_object_del(a, "ok");
    assert_true(json_equal(a, b));
    assert_int_equal(json_array_size(json_object_get(b, "personas")),
                     ews_imlist_persona_count(list));
    assert_int_equal(json_array_size(json_object_get(b, "groups")), ews_imlist_group_count(list));
    json_decref(a);
    json_decref(b);
    free(line);
    free(pretty);

    /* no lead: the same object */
    f = tmpfile();
    assert_non_null(f);
    assert_int_equal(cli_json_write_list(f, list, NULL, 1), 0);
    line = drain(f);
    assert_int_equal(line[0], '{');
    assert_int_equal(line[1], '"');
    free(line);
    ews_imlist_free(list);
}

static void test_write_error(void **state)
{
    (void)state;
    ews_imlist *list = parse_fixture(EWS_FIXTURES_DIR "/GetImItemList/join/response.xml");
    FILE *f = fopen("/dev/full", "w");
    if (!f) {
        ews_imlist_free(list);
        skip();
    }
    /* stdio's buffer takes the little there is; the flush must report it */
    assert_int_equal(cli_print_json(f, list), CLI_EXIT_INTERNAL);
    clearerr(f);
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(cli_json_write_list(f, list, NULL, 1), CLI_EXIT_INTERNAL);
    assert_int_equal(cli_json_write_string(f, "x"), CLI_EXIT_INTERNAL);
    fclose(f);
    ews_imlist_free(list);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_one_line_with_lead),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
