/* Harness C: the responses of the eleven IM-list operations besides
 * GetImItemList. The first byte picks the operation (its index in
 * oom/im_ops.c, modulo their number), the rest is the response envelope,
 * parsed with that operation's reader as harness A parses GetImItemList:
 * lenient, strict and with tight limits, every accessor, the runs agreeing
 * with each other. Seeds: each operation's fixtures behind its byte
 * (run.sh, and replay_main.c's --imops-fixtures). */
#include "harness.h"
#include "im_ops.h"

int fuzz_imops_one(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const oom_im_op *op = &oom_im_ops[data[0] % oom_im_op_count];
    return fuzz_parse_response(op->op, data + 1, size - 1);
}

#ifdef EWS_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_imops_one(data, size);
}
#endif
