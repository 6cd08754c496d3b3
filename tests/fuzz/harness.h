/* The fuzz harnesses as plain functions: libFuzzer's entry point calls one
 * (when built with EWS_LIBFUZZER), and the replay runner calls them on saved
 * inputs in the normal test suite. Each returns 0 and aborts on a broken
 * promise (see oracle.h). */
#ifndef EWS_FUZZ_HARNESS_H
#define EWS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Harness A: the bytes are a GetImItemList response envelope. */
int fuzz_imlist_one(const uint8_t *data, size_t size);

/* Harness C: the first byte picks one of the eleven other IM-list
 * operations (oom/im_ops.c, modulo their number), the rest is its response
 * envelope; checked as harness A checks GetImItemList. */
int fuzz_imops_one(const uint8_t *data, size_t size);

struct ews_im_op;
/* Harness A's checks of one response, parsed with reader rd. */
int fuzz_parse_response(const struct ews_im_op *rd, const uint8_t *data, size_t size);

/* Harness B: the bytes script the HTTP responses of a fake transport (see
 * fake_transport.h) for one ews_get_im_item_list() call. */
int fuzz_http_one(const uint8_t *data, size_t size);

/* Harness C: a mode byte (bit 0 SPNEGO, bit 1 channel binding) and a
 * server's NTLM / SPNEGO token for ews_gss_ctx_step (fuzz_auth.c). */
int fuzz_auth_one(const uint8_t *data, size_t size);

#endif
