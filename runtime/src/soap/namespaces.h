#ifndef EWS_NAMESPACES_H
#define EWS_NAMESPACES_H

struct Namespace;

/* Accepts http:// and https:// forms of the EWS namespaces. */
const struct Namespace *ews_input_namespaces(void);
/* Declares SOAP-ENV, t and m only, always http://. */
const struct Namespace *ews_output_namespaces(void);

/* Whether a response may declare the namespace name `name`: 0 when the
 * engine reads it as what it is (a foreign name, or a table namespace
 * spelled exactly); EWS_ESTRICT with *why for an https:// EWS namespace in
 * strict mode; EWS_EPARSE with *why for a name the engine would take for a
 * table namespace it is not (another letter case, say). *why reads as the
 * end of "namespace 'NAME' ...". */
int ews_namespace_check(const char *name, int strict, const char **why);

#endif
