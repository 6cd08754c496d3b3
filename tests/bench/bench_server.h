/* A loopback HTTP/1.1 server for the end-to-end benchmark: answers every
 * POST with one fixed body over kept-alive connections, one thread per
 * connection, and does nothing else, so the client side is what is timed.
 *
 * Not the tests' loopback server (tests/support/loopback_server.py): a
 * plain libcurl keep-alive loop posting to it on the 13 kB reference
 * response made 5,200-6,000 calls/s against that one and 12,300-17,500
 * against this one (same runs, 2026-12-06, load 1.4), so the transport
 * floor the end-to-end target is judged against would be the Python
 * server's, not libcurl's. */
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
