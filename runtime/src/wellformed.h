/* The check every response passes before the gSOAP engine reads it. */
#ifndef EWS_WELLFORMED_H
#define EWS_WELLFORMED_H

#include <stddef.h>

/* Caps of the check that no EWS response comes near; over them the
 * document is refused with EWS_ELIMIT. They bound the check's own work:
 * duplicate attributes and undeclared prefixes are found by looking
 * through these sets. */
#define EWS_XML_MAX_ATTRIBUTES 256 /* attributes on one element */
#define EWS_XML_MAX_PREFIXES 128   /* namespace prefixes declared in scope */

typedef struct ews_xml_verdict {
    size_t offset;   /* byte where the problem starts (len when it is the end) */
    const char *why; /* static text naming the problem */
} ews_xml_verdict;

/* Whether data[0..len) is a namespace-well-formed XML 1.0 document in
 * UTF-8 (XML 1.0 fifth edition and Namespaces in XML 1.0), without a
 * document type declaration, nested at most max_depth elements deep (the
 * root is depth 1). 0 when it is; otherwise the verdict is filled in and
 * the result is EWS_EPARSE (not well-formed, or a form the engine misreads,
 * see below), EWS_ELIMIT (deeper than max_depth, or over a cap above) or
 * EWS_ENOMEM (the open-element stack past its first 64 entries could not
 * grow).
 *
 * Why before the engine: in lenient mode gSOAP accepts mismatched end tags,
 * unquoted attribute values (cutting multi-byte characters in them),
 * undefined entities and content after the root; it skips unknown subtrees
 * with a counter, so its own depth limit never sees them; it reads stray
 * bytes as Latin-1 and overlong forms as ASCII, writes references to
 * surrogates as ill-formed UTF-8, turns &#0;, &#; or &#x00000041; into a NUL
 * that silently cuts the string short, and reads &#x1F600; as U+1F600
 * followed by ";". Character references with more than five decimal or four
 * hex digits are therefore refused although XML allows them, as is an
 * encoding declaration other than UTF-8. */
int ews_xml_check_document(const char *data, size_t len, unsigned int max_depth,
                           ews_xml_verdict *verdict);

/* For a document the check refused: the name of its root element as far as
 * a forgiving look finds one (past a BOM, an XML declaration, comments,
 * processing instructions and a DOCTYPE), so an HTML error page can be
 * told from a broken SOAP envelope. 1 with *at and *len set, or 0. */
int ews_xml_guess_root(const char *data, size_t len, size_t *at, size_t *name_len);

#endif
