/* The public error tables: EWS_ERRNO_MAP and the ResponseCode categories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"

typedef struct expected_code {
    int value;
    const char *name;
    ews_error_category category;
} expected_code;

static const expected_code codes[] = {
#define X(n, v, cat, msg) { .value = v, .name = "EWS_" #n, .category = EWS_CAT_##cat },
    EWS_ERRNO_MAP(X)
#undef X
};
#define N_CODES (sizeof codes / sizeof codes[0])

static void test_codes_distinct(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        assert_true(codes[i].value <= 0);
        for (size_t k = i + 1; k < N_CODES; k++)
            if (codes[i].value == codes[k].value)
                fail_msg("%s and %s share %d", codes[i].name, codes[k].name, codes[i].value);
    }
}

static void test_names_messages_categories(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_CODES; i++) {
        int v = codes[i].value;
        assert_str(ews_err_name(v), codes[i].name);
        const char *msg = ews_strerror(v);
        assert_non_null(msg);
        assert_true(msg[0] != '\0');
        assert_string_not_equal(msg, "unknown error");
        assert_int_equal(ews_err_category(v), codes[i].category);
        assert_string_not_equal(ews_category_name(codes[i].category), "unknown");
    }
    assert_int_equal(EWS_OK, 0);
    assert_int_equal(ews_err_category(EWS_OK), EWS_CAT_OK);
}

static void test_unknown_code(void **state)
{
    (void)state;
    assert_str(ews_err_name(-77), "EWS_EUNKNOWN");
    assert_str(ews_strerror(-77), "unknown error");
    assert_int_equal(ews_err_category(-77), EWS_CAT_PERMANENT);
    assert_str(ews_err_name(1), "EWS_EUNKNOWN");
}

static void test_category_names(void **state)
{
    (void)state;
    assert_str(ews_category_name(EWS_CAT_OK), "ok");
    assert_str(ews_category_name(EWS_CAT_RETRYABLE), "retryable");
    assert_str(ews_category_name(EWS_CAT_AUTH), "auth");
    assert_str(ews_category_name(EWS_CAT_PERMANENT), "permanent");
    assert_str(ews_category_name(EWS_CAT_VERSION), "version");
    assert_str(ews_category_name(EWS_CAT_CONFIG), "config");
    assert_str(ews_category_name(EWS_CAT_TRANSPORT), "transport");
    assert_str(ews_category_name(EWS_CAT_INVALID_RESPONSE), "invalid_response");
    assert_str(ews_category_name((ews_error_category)42), "unknown");
}

static void test_response_code_category(void **state)
{
    (void)state;
    assert_int_equal(ews_response_code_category("ErrorServerBusy"), EWS_CAT_RETRYABLE);
    assert_int_equal(ews_response_code_category("ErrorAccessDenied"), EWS_CAT_AUTH);
    assert_int_equal(ews_response_code_category("ErrorIncorrectSchemaVersion"), EWS_CAT_VERSION);
    assert_int_equal(ews_response_code_category("ErrorNonExistentMailbox"), EWS_CAT_PERMANENT);
    assert_int_equal(ews_response_code_category("NoError"), EWS_CAT_OK);
    assert_int_equal(ews_response_code_category("ErrorFromTheFuture2031"), EWS_CAT_PERMANENT);
    assert_int_equal(ews_response_code_category(""), EWS_CAT_PERMANENT);
    assert_int_equal(ews_response_code_category(NULL), EWS_CAT_PERMANENT);
    /* Exact names only: no prefix or case folding. */
    assert_int_equal(ews_response_code_category("ErrorServerBus"), EWS_CAT_PERMANENT);
    assert_int_equal(ews_response_code_category("errorserverbusy"), EWS_CAT_PERMANENT);
}

static ews_error_category category_named(const char *s, size_t n)
{
    static const struct {
        const char *name;
        ews_error_category cat;
    } cats[] = {
        { .name = "OK", .cat = EWS_CAT_OK }, { .name = "RETRYABLE", .cat = EWS_CAT_RETRYABLE },
          { .name = "AUTH",
                                                                    .cat = EWS_CAT_AUTH },
        { .name = "PERMANENT", .cat = EWS_CAT_PERMANENT }, { .name = "VERSION",
          .cat = EWS_CAT_VERSION },
        { .name = "CONFIG", .cat = EWS_CAT_CONFIG }, { .name = "TRANSPORT",
          .cat = EWS_CAT_TRANSPORT },
        { .name = "INVALID_RESPONSE", .cat = EWS_CAT_INVALID_RESPONSE },
    };
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        if (strlen(cats[i].name) == n && memcmp(cats[i].name, s, n) == 0)
            return cats[i].cat;
    fail_msg("unknown category EWS_CAT_%.*s", (int)n, s);
    return EWS_CAT_PERMANENT;
}

/* core/error.c looks codes up with bsearch, so its table must stay sorted: read
 * the table from the source and check that every entry is found with its
 * category, and that the entries are in strcmp order. */
static void test_response_code_table_sorted(void **state)
{
    (void)state;
    char *text = ts_read_text(EWS_SOURCE_DIR "/runtime/src/core/error.c", NULL);
    assert_non_null(text);

    const char *p = strstr(text, "response_codes[] = {");
    assert_non_null(p);
    const char *end = strstr(p, "};");
    assert_non_null(end);
    char prev[128] = "";
    size_t entries = 0;
    while ((p = strstr(p, "{ \"")) && p < end) {
        const char *name = p + 3;
        const char *q = strchr(name, '"');
        assert_non_null(q);
        char code[128];
        assert_true((size_t)(q - name) < sizeof code);
        memcpy(code, name, (size_t)(q - name));
        code[q - name] = '\0';
        const char *cat = strstr(q, "EWS_CAT_");
        assert_non_null(cat);
        cat += strlen("EWS_CAT_");
        size_t cn = strspn(cat, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_");
        ews_error_category want = category_named(cat, cn);

        if (entries && strcmp(prev, code) >= 0)
            fail_msg("core/error.c: \"%s\" is not after \"%s\"", code, prev);
        assert_int_not_equal(want, EWS_CAT_PERMANENT);
        if (ews_response_code_category(code) != want)
            fail_msg("%s: category %s, table says %s", code,
                     ews_category_name(ews_response_code_category(code)), ews_category_name(want));
        strcpy(prev, code);
        entries++;
        p = cat + cn;
    }
    assert_true(entries >= 20);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_codes_distinct),
        cmocka_unit_test(test_names_messages_categories),
        cmocka_unit_test(test_unknown_code),
        cmocka_unit_test(test_category_names),
        cmocka_unit_test(test_response_code_category),
        cmocka_unit_test(test_response_code_table_sorted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
