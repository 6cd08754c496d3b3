/* The well-formedness check every response passes before the engine reads
 * it (runtime/src/soap/wellformed.c) against the byte-by-byte character check
 * it grew out of (text_check_ref.c), which only looks at characters and
 * references:
 *
 *   ews-bench-textcheck verify [ROUNDS [SEED]] [FILE...]
 *       wherever the reference refuses a document, the library refuses it
 *       too, at the same byte or earlier (a structural problem may come
 *       first), on every FILE (whole, and every prefix of its first 4 kB),
 *       and on ROUNDS random documents (default 200000) built from the
 *       pieces that matter: printable ASCII, TAB/LF/CR, comment and CDATA
 *       delimiters, character references good and bad, multi-byte UTF-8
 *       good and bad, control bytes, tags; each also checked at every start
 *       offset 0-7 (alignment of the word loop);
 *   ews-bench-textcheck time FILE [REPS]
 *       CPU seconds per check of FILE, median of REPS (default 20), for
 *       both.
 * Exits 1 on the first counterexample, printing it. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "text_check_ref.h"
#include "soap/wellformed.h"

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)((rng_state >> 33) % n);
}

static long accepted, rejected, earlier;

static int consistent(const char *data, size_t len)
{
    ews_xml_verdict v;
    const char *why_ref = NULL;
    int rc = ews_xml_check_document(data, len, 256, &v);
    size_t b = ref_xml_text_check(data, len, &why_ref);
    if (!why_ref || (rc != 0 && v.offset <= b)) {
        if (rc == 0)
            accepted++;
        else
            rejected++;
        if (rc != 0 && why_ref && v.offset < b)
            earlier++;
        return 1;
    }
    fprintf(stderr, "counterexample on %zu bytes: library %s at %zu, reference %s at %zu\n  input:",
            len, rc ? v.why : "ok", rc ? v.offset : len, why_ref, b);
    for (size_t i = 0; i < len && i < 400; i++)
        fprintf(stderr, " %02x", (unsigned char)data[i]);
    fputc('\n', stderr);
    return 0;
}

/* Pieces that are well-formed text wherever they stand (not the references
 * and delimiters: they decide by their context) ... */
static const char *const good[] = {
    "<", "&", "<!", "<!-", "<!--", "-", "--", "-->", "->", ">", "<![CDATA[", "<![CDATA",
    "]", "]]", "]]>", "]>", "&#", "&#x", "&#65;", "&#x41;", "&#65537;", "&#x10FFFF;", "&#9;",
    "&amp;", "&lt;", ";", "0", "9", "x", "a", "F", "\t", "\n", "\r", "\r\n", " ", "\x7f",
    "\xc3\xa9", "\xe4\xb8\xad", "\xf0\x9f\x98\x80", "\xef\xbf\xbd", "\xed\x9f\xbf",
    "\xee\x80\x80", "\xf4\x8f\xbf\xbf", "\xef\xbb\xbf", "<t:DisplayName>",
    "</t:DisplayName>", "<a>", "</a>", "<b/>", " x='1'", "\"", "'", "=", "plain text run ", "abcdefghijklmnop", "        ",
};
/* ... and pieces that are not, outside a comment or CDATA at least. */
static const char *const bad[] = {
    "&#0;", "&#xD800;", "&#x1F600;", "&#1234567;", "&#x110000;", "&#xFFFE;", "&#;", "&#x;",
    "&#x00000041;", "\x01", "\x1f", "\x0b", "\xef\xbf\xbe", "\xed\xa0\x80", "\xc0\xaf",
    "\xc2", "\xe4\xb8", "\xff", "\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
};

/* A document of up to cap bytes; about one piece in 1, 8 or 64 bad (or
 * none at all), a few of them any byte. */
static size_t random_doc(char *buf, size_t cap)
{
    static const uint32_t bad_one_in[] = { 0, 1, 8, 64 };
    uint32_t odds = bad_one_in[rnd(4)];
    size_t n = 0, parts = 1 + rnd(60);
    for (size_t k = 0; k < parts; k++) {
        char one[2] = { 0, 0 };
        const char *p;
        size_t l;
        if (odds && rnd(odds) == 0) {
            if (rnd(4) == 0) {
                one[0] = (char)rnd(256);
                p = one;
                l = 1;
            } else {
                p = bad[rnd(sizeof bad / sizeof bad[0])];
                l = strlen(p);
            }
        } else {
            p = good[rnd(sizeof good / sizeof good[0])];
            l = strlen(p);
        }
        if (n + l > cap)
            break;
        memcpy(buf + n, p, l);
        n += l;
    }
    return n;
}

static int verify(long rounds, uint64_t seed, int nfiles, char **files)
{
    for (int f = 0; f < nfiles; f++) {
        size_t len;
        char *data = bench_read_file(files[f], &len);
        if (!data)
            return 1;
        int ok = consistent(data, len);
        for (size_t l = 0; ok && l < len && l < 4096; l++)
            ok = consistent(data, l);
        free(data);
        if (!ok)
            return 1;
    }
    rng_state = seed;
    char doc[600], buf[608];
    for (long r = 0; r < rounds; r++) {
        size_t len = random_doc(doc, sizeof doc);
        /* The same content at every alignment of the word loop. */
        for (size_t off = 0; off < 8; off++) {
            memcpy(buf + off, doc, len);
            if (!consistent(buf + off, len))
                return 1;
        }
        for (size_t cut = 0; cut < len; cut += 1 + rnd(8))
            if (!consistent(doc, cut))
                return 1;
    }
    printf("verify: the library refused wherever the reference did, at the same byte or "
           "earlier, on %d file(s) and %ld random documents (%ld checks: %ld accepted, %ld "
           "refused, %ld of them earlier than the reference)\n",
           nfiles, rounds, accepted + rejected, accepted, rejected, earlier);
    return 0;
}

static int time_file(const char *path, int reps)
{
    size_t len;
    char *data = bench_read_file(path, &len);
    if (!data)
        return 1;
    double *ta = calloc((size_t)reps, sizeof *ta), *tb = calloc((size_t)reps, sizeof *tb);
    size_t sink = 0;
    for (int r = 0; ta && tb && r < reps; r++) {
        double t0 = bench_cpu();
        ews_xml_verdict v;
        sink += (size_t)-ews_xml_check_document(data, len, 256, &v);
        double t1 = bench_cpu();
        sink += ref_xml_text_check(data, len, NULL);
        double t2 = bench_cpu();
        ta[r] = t1 - t0;
        tb[r] = t2 - t1;
    }
    int rc = 1;
    if (ta && tb) {
        double a = bench_median(ta, (size_t)reps), b = bench_median(tb, (size_t)reps);
        printf("bytes=%zu library_s=%.6f reference_s=%.6f speedup=%.2f sink=%zu\n", len, a, b,
               b / a, sink);
        rc = 0;
    }
    free(ta);
    free(tb);
    free(data);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        int a = 2;
        long rounds = 200000;
        uint64_t seed = 1;
        if (a < argc && argv[a][0] >= '0' && argv[a][0] <= '9')
            rounds = atol(argv[a++]);
        if (a < argc && argv[a][0] >= '0' && argv[a][0] <= '9')
            seed = strtoull(argv[a++], NULL, 10);
        return verify(rounds, seed, argc - a, argv + a);
    }
    if (argc >= 3 && strcmp(argv[1], "time") == 0)
        return time_file(argv[2], argc > 3 ? atoi(argv[3]) : 20);
    fprintf(stderr, "usage: %s verify [ROUNDS [SEED]] [FILE...] | time FILE [REPS]\n", argv[0]);
    return 2;
}
