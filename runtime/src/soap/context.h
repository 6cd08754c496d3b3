/* gSOAP contexts that read from and write to memory only: the engine never
 * touches a socket; libcurl does all HTTP (see transport). */
#ifndef EWS_SOAPCTX_H
#define EWS_SOAPCTX_H

#include <stddef.h>

#include "core/buf.h"

struct soap;

/* Parser limits; every one bounded (the engine's defaults are not). */
typedef struct ews_limits {
    size_t max_bytes;      /* whole document */
    unsigned int max_depth;
    long max_string;       /* one text or attribute value */
    size_t max_items;      /* one array */
    int strict;            /* SOAP_XML_STRICT plus our deviation checks */
} ews_limits;

#define EWS_LIMITS_DEFAULT { (size_t)32 << 20, 256u, 1L << 20, 100000u, 0 }

typedef struct ews_soap_io {
    const char *in;
    size_t in_left;
    ews_buf *out;
    int out_rc;       /* first failure of the output sink, EWS_E... */
    /* Set when a text field held an element (ews_soap_instring): where that
     * element starts in the document, + 1; 0 otherwise. */
    size_t text_child_at;
    size_t in_len;    /* the whole document's length */
    /* A consumable input (ews_soap_read_consumable): what is not given back
     * yet starts here. NULL: the caller's input, only read. */
    const char *keep_from;
    /* ews_soap_instring's last look: the child element found in the content
     * starting at child_for (NULL: none). */
    const char *child_for, *child;
} ews_soap_io;

/* New context in tree mode with UTF-8 strings and our namespace tables;
 * NULL when out of memory. */
struct soap *ews_soap_new(void);
/* Frees everything the context allocated (all deserialized data too). */
void ews_soap_free(struct soap *soap);

/* A context for serializing a request or reading a response: one kept
 * from an earlier use (soap_end'ed; set it up with ews_soap_write_to or
 * ews_soap_read_from as a new one) or a new one; NULL when out of memory.
 * Give it back with ews_soap_put, which frees all it allocated (the data
 * read from a response too) and keeps it for the next use (up to eight,
 * process-wide) or frees it. */
struct soap *ews_soap_get(void);
void ews_soap_put(struct soap *soap);
/* Frees the kept ones (ews_global_cleanup, when the last client is gone). */
void ews_soap_kept_drain(void);

/* Takes the place of the engine's soap_instring, which every generated
 * reader of a simple (text) type calls (the generated code is compiled with
 * soap_instring defined to this name). An element inside a text field is
 * refused, with SOAP_SYNTAX_ERROR and io->text_child_at set: the engine
 * would otherwise return the element's markup, rebuilt with its references
 * decoded, as the field's text - in strict mode too. Then as soap_instring. */
char **ews_soap_instring(struct soap *soap, const char *tag, char **p, const char *type, int t,
                         int flag, long minlen, long maxlen, const char *pattern);

/* Sets up `soap` to parse data[0..len) with limits. io must outlive the read. */
void ews_soap_read_from(struct soap *soap, ews_soap_io *io, const char *data, size_t len,
                        const ews_limits *lim);
/* After ews_soap_read_from: the input is the library's own, freed after
 * the parse and not read again, so the pages the engine has passed are
 * given back as it goes (the peak is then the parsed data's, not that
 * plus the document's). */
void ews_soap_read_consumable(ews_soap_io *io);
/* Sets up `soap` to serialize into out. */
void ews_soap_write_to(struct soap *soap, ews_soap_io *io, ews_buf *out);

#endif
