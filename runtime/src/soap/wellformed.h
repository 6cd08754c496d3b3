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
    size_t quote_len; /* > 0: the bytes at offset are the text refused (a namespace name) */
    int profile;      /* 1: well-formed, but refused by the response profile below */
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

/* What a response must also be, beyond well-formed: refusals the engine
 * needs because it would otherwise read the document differently from
 * what it says, silently. */
typedef struct ews_xml_profile {
    unsigned int max_depth;
    /* Longest element or attribute name the engine reads whole (its tag
     * buffer less the NUL; a longer one is cut and so matches nothing,
     * and the element is skipped with its subtree). 0: any length. */
    size_t max_name;
    /* Refuse an element holding both text (non-white-space characters,
     * references or CDATA) and child elements: no EWS type is mixed, and
     * the engine, meeting text where it expects the next element, skips
     * every element after it up to the end of the parent. */
    int no_mixed_content;
    /* Called with each namespace name declared (references decoded,
     * NUL-terminated): 0 accepts it; a negative EWS_E... code refuses it,
     * with *why set to static text. NULL: all accepted. */
    int (*check_namespace)(const void *ctx, const char *name, const char **why);
    const void *ctx;
} ews_xml_profile;

/* ews_xml_check_document under a profile: the same verdicts, plus the
 * profile's refusals (EWS_ELIMIT for a name over max_name, EWS_EPARSE for
 * mixed content, check_namespace's code) with verdict->profile set. */
int ews_xml_check_response(const char *data, size_t len, const ews_xml_profile *profile,
                           ews_xml_verdict *verdict);

/* For a document the check refused: the name of its root element as far as
 * a forgiving look finds one (past a BOM, an XML declaration, comments,
 * processing instructions and a DOCTYPE), so an HTML error page can be
 * told from a broken SOAP envelope. 1 with *at and *len set, or 0. */
int ews_xml_guess_root(const char *data, size_t len, size_t *at, size_t *name_len);

#endif
