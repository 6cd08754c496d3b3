/* Replays saved inputs through the harnesses without libFuzzer, so seeds,
 * crash regressions and fuzz corpora run in the normal suite (the plain
 * build users run, and under ASan or valgrind).
 *
 *   fuzz_replay [--optional] --imlist PATH... [--imops PATH...]
 *               [--imops-fixtures DIR] [--http PATH...] [--auth PATH...]
 *
 * A PATH that is a directory is walked recursively, in name order.
 * --imops-fixtures DIR replays DIR/<operation>/<case>/response.xml of each
 * operation of harness C behind its operation's byte. An oracle violation
 * aborts; otherwise the exit status is 0 when every PATH existed and held
 * at least one input. After --optional a PATH that is missing or empty is
 * skipped; 77 when nothing at all was replayed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "im_ops.h"

typedef int (*harness_fn)(const uint8_t *, size_t);

static int replay_file(harness_fn fn, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, len = 0;
    unsigned char *data = malloc(cap);
    size_t n;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (!data) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    /* A copy of exactly `len` bytes, so ASan sees any read past the end. */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
    fn(exact, len);
    free(exact);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Harness C's input for op from a fixture: its byte, then the file. */
static int replay_fixture(size_t op, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t cap = 4096, len = 1;
    unsigned char *data = malloc(cap);
    size_t n;
    if (data)
        data[0] = (unsigned char)op;
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *bigger = realloc(data, cap *= 2);
            if (!bigger)
                free(data);
            data = bigger;
        }
    }
    fclose(f);
    if (!data)
        return -1;
    fprintf(stderr, "replay %s as %s (%zu bytes)\n", path, oom_im_ops[op].name, len - 1);
    fuzz_imops_one(data, len);
    free(data);
    return 1;
}

static int replay_op_fixtures(const char *root)
{
    int total = 0;
    for (size_t op = 0; op < oom_im_op_count; op++) {
        size_t len = strlen(root) + strlen(oom_im_ops[op].name) + 2;
        char *dir = malloc(len);
        if (!dir)
            return -1;
        snprintf(dir, len, "%s/%s", root, oom_im_ops[op].name);
        struct dirent **names;
        int n = scandir(dir, &names, NULL, by_name);
        for (int i = 0; i < n; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s/response.xml", dir, names[i]->d_name);
            if (names[i]->d_name[0] != '.' && total >= 0) {
                int r = replay_fixture(op, path);
                total = r < 0 ? -1 : total + r;
            }
            free(names[i]);
        }
        if (n >= 0)
            free(names);
        free(dir);
    }
    return total;
}

/* Number of inputs replayed under path, or -1 on an error. */
static int replay_path(harness_fn fn, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(fn, path);
    struct dirent **names;
    int n = scandir(path, &names, NULL, by_name), total = 0;
    if (n < 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (name[0] != '.' && total >= 0) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = malloc(len);
            if (!child) {
                total = -1;
            } else {
                snprintf(child, len, "%s/%s", path, name);
                int r = replay_path(fn, child);
                total = r < 0 ? -1 : total + r;
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return total;
}

int main(int argc, char **argv)
{
    harness_fn fn = NULL;
    const char *harness = NULL;
    int failed = 0, total = 0, optional = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--optional") == 0) {
            optional = 1;
            continue;
        }
        if (strcmp(argv[i], "--imlist") == 0) {
            fn = fuzz_imlist_one;
            harness = "imlist";
            continue;
        }
        if (strcmp(argv[i], "--imops") == 0) {
            fn = fuzz_imops_one;
            harness = "imops";
            continue;
        }
        if (strcmp(argv[i], "--imops-fixtures") == 0 && i + 1 < argc) {
            int n = replay_op_fixtures(argv[++i]);
            if (n <= 0) {
                fprintf(stderr, "%s: no operation fixtures could be replayed\n", argv[i]);
                failed++;
            } else {
                printf("imops: %d fixtures from %s\n", n, argv[i]);
                total += n;
            }
            continue;
        }
#ifdef EWS_FUZZ_AUTH
        if (strcmp(argv[i], "--auth") == 0) {
            fn = fuzz_auth_one;
            harness = "auth";
            continue;
        }
#endif
#ifdef EWS_FUZZ_HTTP
        if (strcmp(argv[i], "--http") == 0) {
            fn = fuzz_http_one;
            harness = "http";
            continue;
        }
#endif
        if (!fn) {
            fprintf(stderr, "usage: %s [--optional] --imlist PATH... [--imops PATH...] "
                            "[--imops-fixtures DIR] [--http PATH...] [--auth PATH...]\n", argv[0]);
            return 2;
        }
        struct stat st;
        if (optional && stat(argv[i], &st) != 0)
            continue;
        int n = replay_path(fn, argv[i]);
        if (n == 0 && optional)
            continue;
        if (n <= 0) {
            fprintf(stderr, "%s: %s\n", argv[i], n ? "could not be replayed" : "holds no input");
            failed++;
        } else {
            printf("%s: %d inputs from %s\n", harness, n, argv[i]);
            total += n;
        }
    }
    printf("replayed %d inputs; %d paths could not be replayed\n", total, failed);
    if (failed)
        return 1;
    return total == 0 && optional ? 77 : 0;
}
