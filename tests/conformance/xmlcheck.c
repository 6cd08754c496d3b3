#include "xmlcheck.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

/* Collects libxml2's error messages into a caller's buffer. */
typedef struct sink {
    char *buf;
    size_t cap;
    size_t len;
} sink;

static void sink_add(sink *s, const char *msg)
{
    if (!s->buf || !s->cap || s->len + 1 >= s->cap)
        return;
    int n = snprintf(s->buf + s->len, s->cap - s->len, "%s", msg);
    if (n > 0)
        s->len += (size_t)n < s->cap - s->len ? (size_t)n : s->cap - s->len - 1;
}

static void sink_structured(void *ctx, xmlErrorPtr e)
{
    char line[512];
    snprintf(line, sizeof line, "line %d: %s", e ? e->line : 0,
             e && e->message ? e->message : "(no message)\n");
    sink_add(ctx, line);
}

static void say(char *why, size_t cap, const char *fmt, ...)
{
    if (!why || !cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, cap, fmt, ap);
    va_end(ap);
}

xmlDocPtr xmlcheck_parse(const char *data, size_t len, char *why, size_t cap)
{
    sink s = { why, cap, 0 };
    if (why && cap)
        why[0] = '\0';
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    xmlSetStructuredErrorFunc(&s, sink_structured);
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, "in-memory.xml", NULL, XML_PARSE_NONET);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}

static int blank_text(xmlNodePtr n)
{
    return (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && xmlIsBlankNode(n);
}

/* Elements and non-blank text; NULL after the last. */
static xmlNodePtr significant(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            return n;
        if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && !blank_text(n))
            return n;
    }
    return NULL;
}

static const char *ns_of(xmlNodePtr n)
{
    return n->ns && n->ns->href ? (const char *)n->ns->href : "";
}

static const char *attr_ns(xmlAttrPtr a)
{
    return a->ns && a->ns->href ? (const char *)a->ns->href : NULL;
}

static int same_attributes(xmlNodePtr e, xmlNodePtr a, const char *path, char *why, size_t cap)
{
    size_t ne = 0, na = 0;
    for (xmlAttrPtr p = a->properties; p; p = p->next)
        na++;
    for (xmlAttrPtr p = e->properties; p; p = p->next) {
        ne++;
        xmlChar *want = xmlNodeGetContent((xmlNodePtr)p);
        xmlChar *got = xmlGetNsProp(a, p->name, (const xmlChar *)attr_ns(p));
        int ok = got && want && xmlStrEqual(want, got);
        if (!ok)
            say(why, cap, "%s: attribute %s is \"%s\", expected \"%s\"", path, p->name,
                got ? (const char *)got : "(absent)", want ? (const char *)want : "");
        xmlFree(want);
        xmlFree(got);
        if (!ok)
            return 0;
    }
    if (ne != na) {
        say(why, cap, "%s: %zu attributes, expected %zu", path, na, ne);
        return 0;
    }
    return 1;
}

static int same_node(xmlNodePtr e, xmlNodePtr a, const char *parent, char *why, size_t cap)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", parent, e->name);
    if (e->type != XML_ELEMENT_NODE || a->type != XML_ELEMENT_NODE) {
        say(why, cap, "%s: not an element", path);
        return 0;
    }
    if (strcmp(ns_of(e), ns_of(a)) != 0 || !xmlStrEqual(e->name, a->name)) {
        say(why, cap, "%s: found {%s}%s instead of {%s}%s", path, ns_of(a), a->name, ns_of(e),
            e->name);
        return 0;
    }
    if (!same_attributes(e, a, path, why, cap))
        return 0;
    xmlNodePtr ce = significant(e->children), ca = significant(a->children);
    for (; ce && ca; ce = significant(ce->next), ca = significant(ca->next)) {
        if (ce->type == XML_ELEMENT_NODE) {
            if (!same_node(ce, ca, path, why, cap))
                return 0;
            continue;
        }
        if (ca->type == XML_ELEMENT_NODE) {
            say(why, cap, "%s: element %s where text was expected", path, ca->name);
            return 0;
        }
        if (!xmlStrEqual(ce->content, ca->content)) {
            say(why, cap, "%s: text \"%s\", expected \"%s\"", path, ca->content, ce->content);
            return 0;
        }
    }
    if (ce || ca) {
        say(why, cap, "%s: %s", path, ce ? "content missing" : "unexpected extra content");
        return 0;
    }
    return 1;
}

int xmlcheck_same(xmlNodePtr expected, xmlNodePtr actual, char *why, size_t cap)
{
    if (!expected || !actual) {
        say(why, cap, "missing document");
        return 0;
    }
    return same_node(expected, actual, "", why, cap);
}

static int is_soap(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp(ns_of(n), XMLCHECK_SOAP11_NS) == 0 &&
           xmlStrEqual(n->name, (const xmlChar *)name);
}

int xmlcheck_soap_children(xmlDocPtr doc, const char *part, xmlNodePtr *out, size_t cap)
{
    xmlNodePtr env = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!is_soap(env, "Envelope"))
        return -1;
    xmlNodePtr p = env->children;
    while (p && !is_soap(p, part))
        p = p->next;
    if (!p)
        return -1;
    int n = 0;
    for (xmlNodePtr c = p->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            if ((size_t)n < cap)
                out[n] = c;
            n++;
        }
    return n;
}

xmlDocPtr xmlcheck_extract(xmlNodePtr node)
{
    xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
    if (!doc)
        return NULL;
    xmlNodePtr copy = xmlDocCopyNode(node, doc, 1);
    if (!copy) {
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    xmlReconciliateNs(doc, copy);
    return doc;
}

xmlSchemaPtr xmlcheck_load_schema(const char *path, char *why, size_t cap)
{
    sink s = { why, cap, 0 };
    if (why && cap)
        why[0] = '\0';
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path);
    if (!pc)
        return NULL;
    xmlSchemaSetParserStructuredErrors(pc, sink_structured, &s);
    xmlSchemaPtr schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    return schema;
}

int xmlcheck_validate(xmlSchemaPtr schema, xmlDocPtr doc, char *why, size_t cap)
{
    sink s = { why, cap, 0 };
    if (why && cap)
        why[0] = '\0';
    xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema);
    if (!v) {
        say(why, cap, "out of memory");
        return 0;
    }
    xmlSchemaSetValidStructuredErrors(v, sink_structured, &s);
    int rc = xmlSchemaValidateDoc(v, doc);
    xmlSchemaFreeValidCtxt(v);
    if (rc != 0 && s.len == 0)
        say(why, cap, "invalid (libxml2 code %d)", rc);
    return rc == 0;
}

int xmlcheck_schema_dir(int argc, char **argv, const char **dir)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <schema-dir> [--skip-if-absent]\n", argv[0]);
        return 2;
    }
    *dir = argv[1];
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/messages.xsd", *dir);
    if (access(probe, R_OK) == 0)
        return -1;
    if (argc > 2 && strcmp(argv[2], "--skip-if-absent") == 0) {
        printf("SKIP: %s not found; the official EWS schema is optional reference material "
               "(../shared/ews-schema)\n", probe);
        return 77;
    }
    fprintf(stderr, "%s not found\n", probe);
    return 1;
}

xmlSchemaPtr xmlcheck_load_messages_schema(const char *dir)
{
    char path[1024], why[2048];
    snprintf(path, sizeof path, "%s/messages.xsd", dir);
    xmlSchemaPtr schema = xmlcheck_load_schema(path, why, sizeof why);
    if (!schema)
        fprintf(stderr, "cannot load %s: %s\n", path, why);
    return schema;
}
