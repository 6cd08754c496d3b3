/* libxml2 helpers for the conformance tests: XML comparison, cutting the
 * parts out of a SOAP envelope, XSD validation. */
#ifndef EWS_XMLCHECK_H
#define EWS_XMLCHECK_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#define XMLCHECK_SOAP11_NS "http://schemas.xmlsoap.org/soap/envelope/"

/* Parses without network access; NULL (and why) when not well-formed. */
xmlDocPtr xmlcheck_parse(const char *data, size_t len, char *why, size_t cap);

/* Compares element trees the way XML means them: namespace URI and local
 * name, attributes as a set, child elements and non-blank text in order.
 * Prefixes, comments and whitespace-only text do not count. Returns 1 when
 * equal, else 0 with the first difference in why. */
int xmlcheck_same(xmlNodePtr expected, xmlNodePtr actual, char *why, size_t cap);

/* The element children of the SOAP 1.1 Envelope's Header or Body ("Header"
 * or "Body"): up to cap of them into out; returns how many there are, or
 * -1 when the document is not such an envelope. */
int xmlcheck_soap_children(xmlDocPtr doc, const char *part, xmlNodePtr *out, size_t cap);

/* A new document whose root is a deep copy of node, with the namespace
 * declarations it inherited made its own. */
xmlDocPtr xmlcheck_extract(xmlNodePtr node);

/* Loads an XSD (and what it imports) from disk; NULL and why on failure. */
xmlSchemaPtr xmlcheck_load_schema(const char *path, char *why, size_t cap);

/* dir/messages.xsd (and what it imports), or NULL after saying on stderr
 * why it could not be loaded. */
xmlSchemaPtr xmlcheck_load_messages_schema(const char *dir);

/* 1 when doc is valid, else 0 with the validator's first messages in why. */
int xmlcheck_validate(xmlSchemaPtr schema, xmlDocPtr doc, char *why, size_t cap);

/* The schema folder a conformance test is given as argv[1] (it must hold
 * messages.xsd); with --skip-if-absent as argv[2] a missing schema is a
 * skip (77), since the official schema is optional reference material.
 * Returns -1 with *dir set to go on, or the exit status to return. */
int xmlcheck_schema_dir(int argc, char **argv, const char **dir);

#endif
