/* `ews-imlist --from-file F --json >/dev/null` against `xmllint --noout F`
 * on the same file, as whole processes (issue 16, item 5):
 *
 *   ews-bench-cli-json EWS_IMLIST FILE [ROUNDS [COMPARE_EWS_IMLIST]]
 *
 * Each round runs xmllint, ews-imlist --json, ews-imlist's text output and
 * (if given) another ews-imlist binary's --json, each round starting one
 * further along that list, so that load from other work and what the
 * previous process left behind fall on all of them alike. Time is each child's CPU time
 * (user + system, from wait4), memory its peak RSS (ru_maxrss): the whole
 * process, shared libraries included, as the targets count it.
 * Prints one line per program with the medians, then the ratios the targets
 * are stated in: CPU time against xmllint's (median of the per-round
 * ratios) and peak RSS against the file's size. Exits 1 if a child fails. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

enum { MAX_ROUNDS = 64, NPROG = 4 };

typedef struct prog {
    const char *label;
    const char *argv[6];
    double cpu[MAX_ROUNDS];
    double ratio[MAX_ROUNDS];   /* cpu / xmllint's cpu in the same round */
    long rss_kb[MAX_ROUNDS];
} prog;

/* Runs argv with stdout and stderr on /dev/null; 0 and its usage, or -1. */
static int run(const char *const *argv, double *cpu, long *rss_kb)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
            _exit(127);
        /* execvp's argv is not const-qualified; it does not write it */
        char *args[8];
        size_t n = 0;
        while (argv[n] && n < 7)
            n++;
        memcpy(args, argv, n * sizeof args[0]);
        args[n] = NULL;
        execvp(args[0], args);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "%s exited with %d\n", argv[0],
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        return -1;
    }
    *cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
    *rss_kb = ru.ru_maxrss;
    return 0;
}

static long max_of(const long *v, int n)
{
    long m = 0;
    for (int i = 0; i < n; i++)
        if (v[i] > m)
            m = v[i];
    return m;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s EWS_IMLIST FILE [ROUNDS [COMPARE_EWS_IMLIST]]\n", argv[0]);
        return 2;
    }
    const char *tool = argv[1], *file = argv[2];
    int rounds = argc > 3 ? atoi(argv[3]) : 7;
    if (rounds < 1 || rounds > MAX_ROUNDS)
        rounds = 7;
    const char *other = argc > 4 ? argv[4] : NULL;
    struct stat st;
    if (stat(file, &st) != 0) {
        perror(file);
        return 2;
    }

    prog p[NPROG] = {
        { .label = "xmllint --noout", .argv = { "xmllint", "--noout", file } },
        { .label = "ews-imlist --json", .argv = { tool, "--from-file", file, "--json" } },
        { .label = "ews-imlist (text)", .argv = { tool, "--from-file", file } },
        { .label = "compared --json", .argv = { other, "--from-file", file, "--json" } },
    };
    int nprog = other ? 4 : 3;
    /* The order turns each round: a process that starts right after one
     * that freed a lot of memory finds it in a different state (huge pages
     * to be compacted, pages to be zeroed) than one that follows a small one. */
    for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < nprog; k++) {
            int i = (r + k) % nprog;
            if (run(p[i].argv, &p[i].cpu[r], &p[i].rss_kb[r]) != 0)
                return 1;
        }
        for (int i = 0; i < nprog; i++)
            p[i].ratio[r] = p[i].cpu[r] / p[0].cpu[r];
    }

    double mb = (double)st.st_size / 1e6;
    printf("file=%s bytes=%lld rounds=%d\n", file, (long long)st.st_size, rounds);
    for (int i = 0; i < nprog; i++) {
        long rss = max_of(p[i].rss_kb, rounds);
        double cpu = bench_median(p[i].cpu, (size_t)rounds);
        double ratio = bench_median(p[i].ratio, (size_t)rounds);
        printf("prog=\"%s\" cpu_s=%.3f cpu_vs_xmllint=%.2f peak_rss_mb=%.1f rss_vs_file=%.2f\n",
               p[i].label, cpu, ratio, rss * 1024.0 / 1e6, rss * 1024.0 / 1e6 / mb);
    }
    return 0;
}
