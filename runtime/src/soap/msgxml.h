/* Reading name/value pairs out of EWS MessageXml fragments, e.g.
 * <t:Value Name="BackOffMilliseconds">1500</t:Value>. */
#ifndef EWS_MSGXML_H
#define EWS_MSGXML_H

#include <stddef.h>

/* Copies the trimmed text of the first Value element whose Name attribute
 * equals name into out (NUL-terminated, truncated to cap-1). Returns 1 when
 * found, else 0. xml is a literal XML fragment; prefixes are ignored. */
int ews_msgxml_find(const char *xml, const char *name, char *out, size_t cap);

/* Same over an array of fragments. */
int ews_msgxml_find_in(char *const *xml, int count, const char *name, char *out, size_t cap);

/* BackOffMilliseconds as a number, or -1 when absent or not a number. */
long ews_msgxml_back_off(char *const *xml, int count);

#endif
