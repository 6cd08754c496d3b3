/* ews-imlist: no core dumps while the tool holds secrets.
 * Copyright (C) the ews-c authors. SPDX-License-Identifier: GPL-2.0-or-later
 *
 * A crash inside a third-party mechanism (gss-ntlmssp) once left a core
 * file holding the password in clear text twice. The tool holds the
 * password, bearer tokens and NTLM keys from its first moments to its
 * last, so it gives up core dumps for its whole life: RLIMIT_CORE 0 (also
 * inherited by anything it runs) and, on Linux, not dumpable (no core
 * whatever the limit or core_pattern, and no ptrace attach or
 * /proc/PID/mem reads by other processes of the same user).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif

#include "cli.h"

int cli_no_core_dumps(char *err, size_t errlen)
{
    struct rlimit none = { 0, 0 };
    if (setrlimit(RLIMIT_CORE, &none) != 0)
        return cli_fail(err, errlen, "cannot disable core dumps: %s", strerror(errno));
#if defined(__linux__)
    if (prctl(PR_SET_DUMPABLE, 0L, 0L, 0L, 0L) != 0)
        return cli_fail(err, errlen, "cannot mark the process non-dumpable: %s", strerror(errno));
#endif
    return 0;
}
