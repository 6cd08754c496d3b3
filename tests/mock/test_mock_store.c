/* The mock's store underneath the IM operations, without a server: the
 * mailbox document round trip, crash-safe file replacement, new ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ids.h"
#include "mailbox.h"
#include "mock_test_util.h"
#include "persist.h"
#include "soap/context.h"

#define TMP EWS_BINARY_DIR "/tests/mock/tmp-store"

static char *slurp(const char *path, size_t *len)
{
    char *data = ts_read_text(path, len);
    assert_non_null(data);
    return data;
}

static void serialize_text(const char *xml, ews_buf *out)
{
    struct soap *soap = ews_soap_new();
    struct t__ImItemListType *list = NULL;
    char why[256];
    assert_int_equal(mailbox_parse(soap, xml, strlen(xml), &list, why, sizeof why), 0);
    assert_int_equal(mailbox_serialize(list, out), 0);
    ews_soap_free(soap);
}

/* Writing what was read, and reading that back, loses nothing: the second
 * generation equals the first. */
static void test_document_round_trip(void **state)
{
    (void)state;
    const char *inputs[] = { ews_mock_demo_mailbox_xml(), NULL };
    size_t len;
    char *alice = ts_fixture_text("mock/alice.xml", &len);
    inputs[1] = alice;
    for (size_t i = 0; i < 2; i++) {
        ews_buf first = EWS_BUF_INIT, second = EWS_BUF_INIT;
        serialize_text(inputs[i], &first);
        serialize_text(first.data, &second);
        assert_string_equal(first.data, second.data);
        /* Still readable as the README says a mailbox file is. */
        assert_true(ts_contains(first.data, "<t:ImItemList"));
        ews_buf_free(&first);
        ews_buf_free(&second);
    }
    /* The demo's personas and groups all survive. */
    ews_buf b = EWS_BUF_INIT;
    serialize_text(ews_mock_demo_mailbox_xml(), &b);
    assert_true(ts_contains(b.data, "Anthony Smith"));
    assert_true(ts_contains(b.data, "MyCustomGroup2"));
    assert_true(ts_contains(b.data, "tsmith@contoso.com"));
    ews_buf_free(&b);
    free(alice);
}

static void test_replace(void **state)
{
    (void)state;
    mkdir(TMP, 0755);
    const char *path = TMP "/replace.xml";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("old", f);
    fclose(f);
    assert_int_equal(chmod(path, 0640), 0);

    assert_int_equal(mock_persist_replace(path, "new content", 11), 0);
    size_t len;
    char *data = slurp(path, &len);
    assert_int_equal(len, 11);
    assert_memory_equal(data, "new content", 11);
    free(data);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    assert_int_equal(access(TMP "/replace.xml.tmp", F_OK), -1);

    /* A leftover of a crash in the way is simply overwritten. */
    f = fopen(TMP "/replace.xml.tmp", "w");
    fputs("half-writ", f);
    fclose(f);
    assert_int_equal(mock_persist_replace(path, "third", 5), 0);
    data = slurp(path, &len);
    assert_int_equal(len, 5);
    free(data);
    assert_int_equal(access(TMP "/replace.xml.tmp", F_OK), -1);

    /* When it cannot be written, the old file stays as it was. */
    assert_int_equal(mkdir(TMP "/replace.xml.tmp", 0755), 0);
    assert_int_equal(mock_persist_replace(path, "fourth", 6), EISDIR);
    data = slurp(path, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "third", 5);
    free(data);
    assert_int_equal(rmdir(TMP "/replace.xml.tmp"), 0);
    assert_int_equal(mock_persist_replace(TMP "/no-such-dir/x.xml", "x", 1), ENOENT);
    remove(path);
}

static void test_new_ids(void **state)
{
    (void)state;
    enum { N = 2000 };
    static char ids[N][MOCK_ID_SIZE];
    for (int i = 0; i < N; i++) {
        mock_new_id(ids[i], i % 2 ? MOCK_ID_PERSONA : MOCK_ID_ITEM);
        assert_int_equal(strlen(ids[i]), MOCK_ID_SIZE - 1);
        assert_true(strncmp(ids[i], i % 2 ? "AAQk" : "AAMk", 4) == 0);
        assert_int_equal(strspn(ids[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789+/"),
                         MOCK_ID_SIZE - 1);
    }
    for (int i = 0; i < N; i++)
        for (int k = i + 1; k < N; k++)
            assert_string_not_equal(ids[i], ids[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_round_trip),
        cmocka_unit_test(test_replace),
        cmocka_unit_test(test_new_ids),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
