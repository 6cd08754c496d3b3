/* Freeing a transport response: apart from transport.c so that the fuzz
 * runtime, which puts a scripted fake in the transport's place, keeps the
 * one definition. */
#include <stdlib.h>
#include <string.h>

#include "http/transport.h"

void ews_http_response_free(ews_http_response *r)
{
    if (!r)
        return;
    ews_buf_free(&r->body);
    free(r->content_type);
    free(r->request_id);
    free(r->backend_status);
    free(r->www_authenticate);
    free(r->location);
    memset(r, 0, sizeof *r);
    r->retry_after_ms = -1;
}
