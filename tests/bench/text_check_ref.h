/* The old character-level pre-scan: offset of the first byte that is not
 * well-formed UTF-8 XML text (characters and character references only),
 * or len; *why (may be NULL) says what. */
#ifndef EWS_BENCH_TEXT_CHECK_REF_H
#define EWS_BENCH_TEXT_CHECK_REF_H

#include <stddef.h>

size_t ref_xml_text_check(const char *data, size_t len, const char **why);

#endif
