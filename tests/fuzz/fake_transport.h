/* A scripted stand-in for runtime/src/http/transport.c: the fuzz input says what
 * each POST receives, as the real transport would hand it over (status,
 * the headers it keeps, the decoded body; chunking and gzip are libcurl's
 * job and are not modelled). Script, one block per POST, blocks separated
 * by a line "~~~~":
 *
 *   200                          HTTP status; or E0..E7: a transport failure
 *   Content-Type: text/xml       headers the transport keeps (Retry-After in
 *   request-id: 1234             milliseconds, as the transport converts it)
 *                                an empty line, then the body
 *   <s:Envelope ...
 *
 * A script that starts with the line "#strict" asks for a strict client.
 * POSTs past the last block get the last block again. */
#ifndef EWS_FAKE_TRANSPORT_H
#define EWS_FAKE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "http/transport.h"

#define FAKE_MAX_BLOCKS 4

typedef struct fake_block {
    int transport_rc;          /* 0, or the EWS_E... the POST fails with */
    long status;
    const char *content_type, *request_id, *backend_status, *www_authenticate, *location;
    long retry_after_ms;       /* -1: none */
    const char *body;
    size_t body_len;
} fake_block;

typedef struct fake_script {
    int strict;
    size_t nblocks;
    fake_block blocks[FAKE_MAX_BLOCKS];
    char *text;                /* owns every string above */
} fake_script;

/* Parses data into *s (any bytes make some script); free with
 * fake_script_free. 0, or EWS_ENOMEM. */
int fake_script_parse(fake_script *s, const uint8_t *data, size_t size);
void fake_script_free(fake_script *s);

/* What the transport answers from now on, and what it saw. */
void fake_transport_use(const fake_script *s);
size_t fake_transport_posts(void);
/* The block the last POST was answered from. */
const fake_block *fake_transport_last(void);

#endif
