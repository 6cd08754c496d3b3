/* Small helpers shared by the benchmark programs. */
#ifndef EWS_BENCH_UTIL_H
#define EWS_BENCH_UTIL_H

#include <stddef.h>

/* Monotonic seconds. */
double bench_now(void);
/* CPU seconds this process has used (user + system): on a shared machine
 * a single-threaded benchmark's CPU time varies far less than its wall
 * time, which also counts the time other work held the cores. */
double bench_cpu(void);
/* Whole file in a malloc'd buffer (every page touched); NULL and a message
 * on stderr on failure. */
char *bench_read_file(const char *path, size_t *len);
/* Peak resident set of this process so far, in bytes. */
size_t bench_peak_rss(void);
/* Median of v[0..n) (sorts v). */
double bench_median(double *v, size_t n);

#endif
