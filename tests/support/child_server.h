/* Starting and stopping a loopback test server as a child process. */
#ifndef EWS_TEST_CHILD_SERVER_H
#define EWS_TEST_CHILD_SERVER_H

#include <sys/types.h>

typedef struct child_server {
    pid_t pid;
    int port;
    char dir[256];      /* private temporary directory, removed on stop */
} child_server;

/* Makes a temporary directory (child_server.dir) for the server's files. */
int child_server_mkdir(child_server *s);

/* Runs argv (argv[0] is looked up in PATH) and waits up to 10 s for it to
 * write its port number into port_file. 0 on success. */
int child_server_start(child_server *s, char *const argv[], const char *port_file);

/* Kills the child, reaps it and removes the temporary directory. */
void child_server_stop(child_server *s);

/* Writes text to dir/name; returns a static path buffer (overwritten by the
 * next call). */
const char *child_server_write_file(child_server *s, const char *name, const char *text);

#endif
