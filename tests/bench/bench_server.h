/* A loopback HTTP/1.1 server for the end-to-end benchmark: answers every
 * POST with one fixed body over kept-alive connections, one thread per
 * connection, and does nothing else, so the client side is what is timed. */
#ifndef EWS_BENCH_SERVER_H
#define EWS_BENCH_SERVER_H

#include <stddef.h>

typedef struct bench_server bench_server;

/* Listens on 127.0.0.1 (an ephemeral port); NULL on failure. body is
 * borrowed and must outlive the server. */
bench_server *bench_server_start(const char *body, size_t len);
unsigned short bench_server_port(const bench_server *s);
/* A copy of the first request body received (NULL before any), so a plain
 * libcurl loop can post exactly what the library posted. */
const char *bench_server_first_request(bench_server *s, size_t *len);
unsigned long bench_server_requests(bench_server *s);
/* Connections accepted so far (keep-alive check). */
int bench_server_connections(bench_server *s);
void bench_server_stop(bench_server *s);

#endif
