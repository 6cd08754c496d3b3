/* The pre-scan before its fast path: same contract as ews_xml_text_check. */
#ifndef EWS_BENCH_TEXT_CHECK_REF_H
#define EWS_BENCH_TEXT_CHECK_REF_H

#include <stddef.h>

size_t ref_xml_text_check(const char *data, size_t len, const char **why);

#endif
