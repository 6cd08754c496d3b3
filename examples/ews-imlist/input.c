/* ews-imlist: the saved response of --from-file, opened for the library
 * to read (ews_im_item_list_parse_fd).
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_open_input(const char *path, int *fd, size_t *size)
{
    *size = 0;
    if (strcmp(path, "-") == 0) {
        *fd = STDIN_FILENO;
    } else if ((*fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        fprintf(stderr, CLI_NAME ": --from-file '%.200s': %s\n", path, strerror(errno));
        return CLI_EXIT_USAGE;
    }
    struct stat st;
    if (fstat(*fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
        *size = (size_t)st.st_size;
    return 0;
}
