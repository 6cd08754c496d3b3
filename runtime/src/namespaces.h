#ifndef EWS_NAMESPACES_H
#define EWS_NAMESPACES_H

struct Namespace;

/* Accepts http:// and https:// forms of the EWS namespaces. */
const struct Namespace *ews_input_namespaces(void);
/* Declares SOAP-ENV, t and m only, always http://. */
const struct Namespace *ews_output_namespaces(void);

#endif
