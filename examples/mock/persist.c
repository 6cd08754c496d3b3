#include "persist.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == path ? strdup("/") : strndup(path, (size_t)(slash - path));
    if (!dir)
        return ENOMEM;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    free(dir);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) ? errno : 0;
    close(fd);
    return rc;
}

int mock_persist_replace(const char *path, const char *data, size_t len)
{
    if (!strchr(path, '/'))
        return EINVAL;
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
    size_t n = strlen(path) + sizeof ".tmp";
    char *tmp = malloc(n);
    if (!tmp)
        return ENOMEM;
    snprintf(tmp, n, "%s.tmp", path);

    /* A leftover from a crash is simply overwritten: the caller's lock
     * makes us the only writer of this file. */
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    int rc = fd < 0 ? errno : 0;
    /* open() applies the umask; the old file's bits are what we keep. */
    if (!rc && fchmod(fd, mode))
        rc = errno;
    if (!rc)
        rc = write_all(fd, data, len);
    if (!rc && fsync(fd))
        rc = errno;
    if (fd >= 0 && close(fd) && !rc)
        rc = errno;
    if (!rc && rename(tmp, path))
        rc = errno;
    if (rc) {
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    /* Past the rename the new content is what readers of path see, so the
     * change counts as made even if flushing the directory fails: that
     * only risks losing the rename to a power cut, and reporting a failure
     * now would leave the caller believing the old content is in place. */
    (void)fsync_dir_of(path);
    return 0;
}
