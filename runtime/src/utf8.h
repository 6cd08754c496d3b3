/* UTF-8 checks for what comes from the server. */
#ifndef EWS_UTF8_H
#define EWS_UTF8_H

#include <stddef.h>

/* Offset of the first byte of a response document that is not well-formed
 * UTF-8 XML text, or len when all of it is. Rejected: ill-formed UTF-8
 * (overlong forms, surrogates, stray bytes, above U+10FFFF), characters XML
 * 1.0 does not allow (NUL and other C0 controls but TAB, LF, CR; U+FFFE,
 * U+FFFF), and character references that are malformed, name such a
 * character, or have more than five decimal / four hex digits. *why (may be
 * NULL) says which.
 *
 * The engine does not check these itself: it reads stray bytes as Latin-1
 * and overlong forms as ASCII, writes references to surrogates out as
 * ill-formed UTF-8, turns &#0;, &#; or &#x00000041; into a NUL that silently
 * cuts the string short, and reads &#x1F600; as U+1F600 followed by ";". */
size_t ews_xml_text_check(const char *data, size_t len, const char **why);

/* Replaces every byte of s that is not part of well-formed UTF-8 by '?', so
 * text cut at a byte limit (or copied from a broken response) stays
 * printable. */
void ews_utf8_scrub(char *s);

#endif
