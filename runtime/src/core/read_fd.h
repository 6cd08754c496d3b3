#ifndef EWS_CORE_READ_FD_H
#define EWS_CORE_READ_FD_H

#include <stddef.h>

/* Reads fd to its end into a new buffer (free()) that is NUL-terminated
 * past *len and holds at most `max` bytes. A regular file is read into
 * one buffer of its size. Returns 0, EWS_ENOMEM, EWS_ETOOBIG (more than
 * max) or EWS_EIO with the system's errno in *sys_errno. */
int ews_read_fd(char **data, size_t *len, int fd, size_t max, int *sys_errno);

#endif
