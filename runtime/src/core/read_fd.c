/* Reading a whole saved response from a descriptor (ews_*_parse_fd): the
 * library owns the buffer, so the parse may give its pages back as it
 * passes them (soap/context.c). */
#define _DEFAULT_SOURCE /* madvise(MADV_HUGEPAGE) is a Linux extension */
#include "core/read_fd.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ews/errors.h"

/* Large pages where the kernel gives them on request: on the virtual
 * machines measured, the 4 kB first-touch faults of a 30 MB read cost
 * about a tenth of --from-file's time (docs/PERFORMANCE.md). */
static void advise_huge(char *buf, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)buf + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)buf + len) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
    (void)buf;
    (void)len;
#endif
}

int ews_read_fd(char **data, size_t *len, int fd, size_t max, int *sys_errno)
{
    *data = NULL;
    *len = 0;
    *sys_errno = 0;
    if (max >= SIZE_MAX - 1)
        max = SIZE_MAX - 2;
    size_t cap = 0, n = 0;
    char *buf = NULL;
    /* A regular file's size is known: one buffer of that size and a byte,
     * which the end-of-file read needs, rather than doubling up to it. */
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        (uintmax_t)st.st_size <= max) {
        cap = (size_t)st.st_size + 1;
        if (!(buf = malloc(cap + 1)))
            return EWS_ENOMEM;
        advise_huge(buf, cap + 1);
    }
    for (;;) {
        if (n == cap) {
            /* One byte past the limit is enough to know it is passed. */
            if (cap > max) {
                free(buf);
                return EWS_ETOOBIG;
            }
            size_t ncap = cap ? (cap > max / 2 ? max + 1 : cap * 2) : 65536;
            if (ncap > max + 1)
                ncap = max + 1;
            char *nbuf = realloc(buf, ncap + 1);
            if (!nbuf) {
                free(buf);
                return EWS_ENOMEM;
            }
            buf = nbuf;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            *sys_errno = errno;
            free(buf);
            return EWS_EIO;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > max) {
        free(buf);
        return EWS_ETOOBIG;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}
