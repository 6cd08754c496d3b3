/* The eleven IM-list operations besides GetImItemList, for the sweeps:
 * each one's request builder and response reader, and arguments that set
 * every member any builder reads. */
#ifndef EWS_OOM_IM_OPS_H
#define EWS_OOM_IM_OPS_H

#include <stddef.h>

#include "imlist/imops.h"

typedef struct oom_im_op {
    const char *name; /* also its fixture folder */
    const ews_im_op *op;
} oom_im_op;

extern const oom_im_op oom_im_ops[];
extern const size_t oom_im_op_count;
extern const ews_im_args oom_im_args;

#endif
