/* The id tables' hash is SipHash-2-4 (checked against the reference
 * implementation's vectors: key 00..0f, message 00..len-1), keyed per
 * process. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/strhash.h"

static void test_reference_vectors(void **state)
{
    (void)state;
    unsigned char key[16], msg[64];
    for (int i = 0; i < 16; i++)
        key[i] = (unsigned char)i;
    for (int i = 0; i < 64; i++)
        msg[i] = (unsigned char)i;
    static const struct {
        size_t len;
        uint64_t hash;
    } cases[] = {
        { .len = 0, .hash = 0x726fdb47dd0e0e31ULL },
        { .len = 1, .hash = 0x74f839c593dc67fdULL },
        { .len = 15, .hash = 0xa129ca6149be45e5ULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_true(ews_siphash24(key, msg, cases[i].len) == cases[i].hash);
}

/* Two processes hash the same id differently: the key is not fixed. */
static void test_key_per_process(void **state)
{
    (void)state;
    const char *id = "AAQkAGQ1MjJjMTBkLTc4YkZmRkYQAQAF0000000001E1nBcqRGgYWWorM9/+s=";
    uint64_t mine = ews_str_hash(id), theirs[2];
    for (int k = 0; k < 2; k++) {
        int fd[2];
        assert_int_equal(pipe(fd), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            /* A fresh process: exec ourselves in "print" mode. */
            dup2(fd[1], 1);
            execl("/proc/self/exe", "test_strhash", "--print", id, (char *)NULL);
            _exit(127);
        }
        close(fd[1]);
        char buf[64] = { 0 };
        ssize_t n = read(fd[0], buf, sizeof buf - 1);
        close(fd[0]);
        int st;
        waitpid(pid, &st, 0);
        assert_true(n > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
        theirs[k] = strtoull(buf, NULL, 16);
    }
    assert_true(mine != theirs[0] || mine != theirs[1]);
    assert_true(theirs[0] != theirs[1]);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--print") == 0) {
        printf("%llx\n", (unsigned long long)ews_str_hash(argv[2]));
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_vectors),
        cmocka_unit_test(test_key_per_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
