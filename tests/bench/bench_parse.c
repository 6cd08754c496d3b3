/* Parse benchmark on one response file, one implementation per process so
 * that peak-memory figures are clean:
 *
 *   ews-bench-parse ews|dom|reader|ews-cells-ab FILE [MAX_REPS [BUDGET_S]]
 *
 * ews:    ews-c's full path - bytes in memory -> ews_imlist -> every
 *         persona's display name and e-mail through the accessors -> every
 *         group's personas (the member join) -> free.
 * dom:    libxml2 xmlReadMemory into a DOM, then xmlFreeDoc.
 * reader: libxml2 xmlTextReader over every node (streaming floor).
 * ews-cells-ab: ews with the engine's cells (soap/cells.h) and without, in
 *         one process, repetitions alternating; a line for each, memory
 *         from each variant's first repetition (peak RSS reset in between
 *         through /proc/self/clear_refs).
 *
 * Prints one line of key=value figures: time is CPU time (see bench_cpu),
 * the median over repetitions
 * (at least 3; more until BUDGET_S has passed or MAX_REPS is reached), memory
 * the peak above what the process held with the file loaded. */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "alloc_count.h"
#include "bench_util.h"
#include "ews/imlist.h"
#include "imlist/imlist.h"
#include "soap/cells.h"

#define MAX_PHASES 5

typedef struct run {
    double phase[MAX_PHASES]; /* seconds */
    size_t work;              /* a checksum, so nothing is optimised away */
    size_t personas, joined;
} run;

typedef int (*impl_fn)(const char *data, size_t len, run *r);

static size_t slen(const char *s)
{
    return s ? strlen(s) : 0;
}

static int run_ews(const char *data, size_t len, run *r)
{
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.max_bytes = len; /* the default 32 MB would refuse the larger lists */
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;

    double t0 = bench_cpu();
    if (ews_imlist_parse(&l, data, len, &lim, &err) != 0) {
        fprintf(stderr, "ews: %s\n", err.pub.message ? err.pub.message : "parse failed");
        ews_err_free(&err);
        return -1;
    }
    double t1 = bench_cpu();
    size_t n = ews_imlist_persona_count(l);
    for (size_t i = 0; i < n; i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        const ews_email_address *e = ews_persona_email(p);
        r->work += slen(ews_persona_display_name(p)) + slen(e ? e->address : NULL);
    }
    double t2 = bench_cpu();
    for (size_t g = 0; g < ews_imlist_group_count(l); g++) {
        const ews_im_group *grp = ews_imlist_group(l, g);
        size_t m = ews_im_group_persona_count(grp);
        for (size_t k = 0; k < m; k++)
            r->work += slen(ews_persona_display_name(ews_im_group_persona(grp, k)));
        r->joined += m;
    }
    double t3 = bench_cpu();
    ews_imlist_free(l);
    double t4 = bench_cpu();
    r->personas = n;
    r->phase[0] = t1 - t0; /* parse + index */
    r->phase[1] = t2 - t1; /* accessors */
    r->phase[2] = t3 - t2; /* group walk */
    r->phase[3] = t4 - t3; /* free */
    ews_err_free(&err);
    return 0;
}

static int run_dom(const char *data, size_t len, run *r)
{
    double t0 = bench_cpu();
    xmlDocPtr doc = xmlReadMemory(data, (int)len, "response.xml", NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    if (!doc) {
        fprintf(stderr, "dom: parse failed\n");
        return -1;
    }
    double t1 = bench_cpu();
    r->work += (size_t)(doc->children != NULL);
    xmlFreeDoc(doc);
    double t2 = bench_cpu();
    r->phase[0] = t1 - t0;
    r->phase[3] = t2 - t1;
    return 0;
}

static int run_reader(const char *data, size_t len, run *r)
{
    double t0 = bench_cpu();
    xmlTextReaderPtr rd = xmlReaderForMemory(data, (int)len, "response.xml", NULL,
                                             XML_PARSE_NONET | XML_PARSE_HUGE);
    if (!rd)
        return -1;
    int rc;
    while ((rc = xmlTextReaderRead(rd)) == 1)
        r->work += (size_t)xmlTextReaderNodeType(rd);
    xmlFreeTextReader(rd);
    double t1 = bench_cpu();
    if (rc != 0) {
        fprintf(stderr, "reader: parse failed\n");
        return -1;
    }
    r->phase[0] = t1 - t0;
    return 0;
}

/* Rebuilds the accessor index (personas, hash tables, member join) of a
 * parsed list in a fresh arena: its cost alone, apart from the engine's. */
static double time_index_build(const char *data, size_t len)
{
    ews_limits lim = EWS_LIMITS_DEFAULT;
    lim.max_bytes = len;
    ews_err err;
    ews_err_init(&err);
    ews_imlist *l = NULL;
    double best = -1;
    if (ews_imlist_parse(&l, data, len, &lim, &err) == 0) {
        double v[5];
        for (int i = 0; i < 5; i++) {
            ews_imlist copy = *l;
            ews_arena_init(&copy.arena, 0);
            copy.groups = NULL;
            copy.group_count = 0;
            copy.personas = NULL;
            copy.persona_count = 0;
            memset(&copy.by_persona_id, 0, sizeof copy.by_persona_id);
            double t0 = bench_cpu();
            int rc = ews_imlist_build_index(&copy);
            v[i] = bench_cpu() - t0;
            ews_arena_free(&copy.arena);
            if (rc)
                return -1;
        }
        best = bench_median(v, 5);
    }
    ews_imlist_free(l);
    ews_err_free(&err);
    return best;
}

/* kB figure of /proc/self/status line `key`, in bytes. */
static size_t proc_status(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t kb = 0, n = strlen(key);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, key, n) == 0)
            kb = strtoul(line + n, NULL, 10);
    if (f)
        fclose(f);
    return kb * 1024;
}

/* Gives freed heap back and makes the peak RSS the current RSS; returns it. */
static size_t rss_restart(void)
{
    malloc_trim(0);
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
    return proc_status("VmRSS:");
}

static int cells_ab(const char *data, size_t len, size_t max_reps, double budget)
{
    enum { CELLS, LIBC };
    static const char *const name[] = { "ews-cells", "ews-libc" };
    double *total[2], *parse[2];
    size_t reps[2] = { 0, 0 }, rss[2] = { 0, 0 }, cells[2] = { 0, 0 };
    alloc_stats mem[2] = { { 0 }, { 0 } };
    for (int v = 0; v < 2; v++) {
        total[v] = calloc(max_reps, sizeof(double));
        parse[v] = calloc(max_reps, sizeof(double));
    }
    double start = bench_cpu();
    while (reps[LIBC] < max_reps && (reps[LIBC] < 3 || bench_cpu() - start < budget)) {
        /* libc first: its figures are the C library's heap untouched. */
        for (int v = LIBC; v >= CELLS; v--) {
            ews_cells_enabled = v == CELLS;
            int first = reps[v] == 0;
            size_t rss0 = first ? rss_restart() : 0;
            ews_cells_reset_peak();
            alloc_reset();
            size_t live0 = alloc_get().live;
            run r = { 0 };
            double t0 = bench_cpu();
            if (run_ews(data, len, &r) != 0)
                return 1;
            total[v][reps[v]] = bench_cpu() - t0;
            parse[v][reps[v]] = r.phase[0];
            if (first) {
                rss[v] = proc_status("VmHWM:") - rss0;
                mem[v] = alloc_get();
                mem[v].peak -= live0;
                ews_cells_stats st;
                ews_cells_get_stats(&st);
                cells[v] = (st.slabs_peak - st.slabs_out) * (size_t)64 * 1024;
            }
            reps[v]++;
        }
    }
    ews_cells_enabled = 1;
    for (int v = 0; v < 2; v++)
        printf("impl=%s bytes=%zu reps=%zu time_s=%.6f parse_s=%.6f rss_delta=%zu heap_peak=%zu "
               "cell_slabs_peak=%zu allocs=%zu\n",
               name[v], len, reps[v], bench_median(total[v], reps[v]),
               bench_median(parse[v], reps[v]), rss[v], mem[v].peak, cells[v], mem[v].calls);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s ews|dom|reader|ews-cells-ab FILE [MAX_REPS [BUDGET_S]]\n",
                argv[0]);
        return 2;
    }
    const char *impl = argv[1];
    int ews = strcmp(impl, "ews") == 0;
    int ab = strcmp(impl, "ews-cells-ab") == 0;
    impl_fn fn = ews                           ? run_ews
                 : strcmp(impl, "dom") == 0    ? run_dom
                 : strcmp(impl, "reader") == 0 ? run_reader
                 : ab                          ? run_ews
                                               : NULL;
    if (!fn) {
        fprintf(stderr, "%s: unknown implementation '%s'\n", argv[0], impl);
        return 2;
    }
    size_t max_reps = argc > 3 ? strtoul(argv[3], NULL, 10) : 50;
    double budget = argc > 4 ? strtod(argv[4], NULL) : 3.0;
    if (max_reps < 3)
        max_reps = 3;

    size_t len;
    char *data = bench_read_file(argv[2], &len);
    if (!data)
        return 1;
    xmlInitParser();
    if (ab) {
        int rc = cells_ab(data, len, max_reps, budget);
        free(data);
        return rc;
    }
    size_t rss0 = bench_peak_rss();

    double *total = calloc(max_reps, sizeof *total);
    double *phase[MAX_PHASES];
    for (int k = 0; k < MAX_PHASES; k++)
        phase[k] = calloc(max_reps, sizeof *phase[k]);
    run first = { 0 };
    alloc_stats mem = { 0 };
    size_t reps = 0;
    double start = bench_cpu();
    while (reps < max_reps && (reps < 3 || bench_cpu() - start < budget)) {
        run r = { 0 };
        alloc_reset();
        size_t live0 = alloc_get().live;
        double t0 = bench_cpu();
        if (fn(data, len, &r) != 0)
            return 1;
        total[reps] = bench_cpu() - t0;
        for (int k = 0; k < MAX_PHASES; k++)
            phase[k][reps] = r.phase[k];
        if (reps == 0) {
            first = r;
            mem = alloc_get();
            mem.peak -= live0;
        }
        reps++;
    }
    size_t rss_delta = bench_peak_rss() - rss0;
    double index_s = ews ? time_index_build(data, len) : 0.0;

    printf("impl=%s bytes=%zu reps=%zu time_s=%.6f parse_s=%.6f access_s=%.6f join_walk_s=%.6f "
           "free_s=%.6f index_s=%.6f rss_delta=%zu heap_peak=%zu allocs=%zu personas=%zu "
           "joined=%zu\n",
           impl, len, reps, bench_median(total, reps), bench_median(phase[0], reps),
           bench_median(phase[1], reps), bench_median(phase[2], reps),
           bench_median(phase[3], reps), index_s, rss_delta, mem.peak, mem.calls,
           first.personas, first.joined);
    xmlCleanupParser();
    free(data);
    return 0;
}
