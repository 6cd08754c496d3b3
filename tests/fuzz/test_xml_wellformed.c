/* The check every response passes before the engine reads it
 * (runtime/src/soap/wellformed.c): the character-level cases the fuzzer or a
 * probe of the engine found, the structural ones gSOAP's lenient reading
 * lets through, and a differential run against libxml2 on mutated
 * fixtures. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "ews/errors.h"
#include "core/utf8.h"
#include "soap/wellformed.h"

#define DEEP 100000u

static int check_n(const char *doc, size_t len, unsigned depth, ews_xml_verdict *v)
{
    v->offset = (size_t)-1;
    v->why = NULL;
    return ews_xml_check_document(doc, len, depth, v);
}

static int check(const char *doc, ews_xml_verdict *v)
{
    return check_n(doc, strlen(doc), DEEP, v);
}

static void accepts_well_formed_documents(void **state)
{
    (void)state;
    const char *ok[] = {
        "<a>plain</a>",
        "<a/>",
        "<a></a >",
        "<a>Zo\xc3\xab \xe4\xb8\xad \xf0\x9f\x98\x80</a>",       /* 2-, 3-, 4-byte forms */
        "<a>&#65; &#x4E2D; &#65537; &#9; &#xd;</a>",             /* short references */
        "<a>&amp;&lt;&gt;&quot;&apos;&#x41;</a>",
        "<!-- &#0; in a comment --><a/>",                        /* not references there */
        "<a><![CDATA[&#0; <b> ]] &#x1F600;]]></a>",
        "\xef\xbb\xbf<a>\t\r\n</a>",                             /* BOM, allowed controls */
        "<?xml version=\"1.0\"?><a/>",
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<a/>\n",
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><?pi data?><!--c--><a/><?pi?><!--d-->  ",
        "<a b='1' c=\"'\" d='\"' e = \"&amp;&#60;\">&gt;]>]</a>",
        "<s:E xmlns:s=\"urn:s\" xmlns=\"urn:d\"><s:B><c s:x=\"1\" xml:lang=\"en\"/></s:B></s:E>",
        "<p:a xmlns:p=\"urn:1\"><p:b xmlns:p=\"urn:2\"/></p:a>",         /* redeclared */
        "<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\"/>",
        "<\xc3\xa9l\xc3\xa8ve \xc3\xa0=\"1\"/>",                          /* names above ASCII */
        "<a>\x7f</a>",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ews_xml_verdict v;
        int rc = check(ok[i], &v);
        if (rc)
            fail_msg("refused %s: %s at %zu", ok[i], v.why, v.offset);
    }
}

typedef struct bad_case {
    const char *doc;
    size_t at;
    int rc;
} bad_case;

static void expect_refused(const bad_case *bad, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ews_xml_verdict v;
        int rc = check(bad[i].doc, &v);
        if (rc != bad[i].rc || v.offset != bad[i].at || !v.why)
            fail_msg("case %zu (%s): got %d at %zu (%s), want %d at %zu", i, bad[i].doc, rc,
                     v.offset, v.why ? v.why : "-", bad[i].rc, bad[i].at);
    }
}

static void refuses_what_the_engine_misreads(void **state)
{
    (void)state;
    static const bad_case bad[] = {
        { .doc = "<a>A\xed\xa0\x80</a>", .at = 4, .rc = EWS_EPARSE }, /* raw surrogate (CESU-8) */
        { .doc = "<a>&#xD800;</a>", .at = 3, .rc = EWS_EPARSE }, /* reference to a surrogate */
        { .doc = "<a>x&#0;y</a>", .at = 4, .rc = EWS_EPARSE }, /* NUL would cut the string */
        { .doc = "<a>&#;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#x;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#xZ;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#x00000041;</a>", .at = 3, .rc = EWS_EPARSE }, /* read as NUL by the engine */
        { .doc = "<a>&#x1F600;</a>", .at = 3, .rc = EWS_EPARSE }, /* read as U+1F600 and ";" */
        { .doc = "<a>&#128512;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#x110000;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#1;</a>", .at = 3, .rc = EWS_EPARSE }, /* controls XML forbids */
        { .doc = "<a>\x01</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>&#xFFFE;</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>\xc0\xaf</a>", .at = 3, .rc = EWS_EPARSE }, /* overlong "/" */
        { .doc = "<a>\xff\xfe</a>", .at = 3, .rc = EWS_EPARSE }, /* Latin-1 bytes */
        { .doc = "<a>\xf4\x90\x80\x80</a>", .at = 3, .rc = EWS_EPARSE }, /* above U+10FFFF */
        { .doc = "<a>\xe4\xb8</a>", .at = 3, .rc = EWS_EPARSE }, /* cut sequence */
        { .doc = "<a>&#65</a>", .at = 3, .rc = EWS_EPARSE }, /* no ';' */
        { .doc = "<!-- \xff --><a/>", .at = 5, .rc = EWS_EPARSE }, /* comments must be UTF-8 too */
        { .doc = "<a b='\xff'/>", .at = 6, .rc = EWS_EPARSE },
        { .doc = "<a\xc3\x97/>", .at = 2, .rc = EWS_EPARSE }, /* U+00D7 is no name character */
        /* The fuzz finding: an unquoted attribute value whose first
         * character the engine cut in two. */
        { .doc = "<a Id=\xde\xacRC-Y\"/>", .at = 6, .rc = EWS_EPARSE },
    };
    expect_refused(bad, sizeof bad / sizeof bad[0]);
    ews_xml_verdict v;
    /* A NUL byte is a character XML forbids, and must not end the check. */
    assert_int_equal(check_n("<a>\0</a>", 8, DEEP, &v), EWS_EPARSE);
    assert_int_equal(v.offset, 3);
}

static void refuses_malformed_structure(void **state)
{
    (void)state;
    static const bad_case bad[] = {
        { .doc = "", .at = 0, .rc = EWS_EPARSE }, /* no root */
        { .doc = "  <!-- c -->  ", .at = 14, .rc = EWS_EPARSE },
        { .doc = "hello", .at = 0, .rc = EWS_EPARSE },
        { .doc = "<a>", .at = 3, .rc = EWS_EPARSE }, /* never closed */
        { .doc = "<a><b></a></b>", .at = 6, .rc = EWS_EPARSE }, /* mismatched end tag */
        { .doc = "<a></ab>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a></a", .at = 6, .rc = EWS_EPARSE },
        { .doc = "</a>", .at = 0, .rc = EWS_EPARSE },
        { .doc = "<a/><b/>", .at = 4, .rc = EWS_EPARSE }, /* second root */
        { .doc = "<a/>trailing", .at = 4, .rc = EWS_EPARSE },
        { .doc = "x<a/>", .at = 0, .rc = EWS_EPARSE },
        { .doc = "<a>&nbsp;</a>", .at = 3, .rc = EWS_EPARSE }, /* undefined entity */
        { .doc = "<a>&amp</a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a>a & b</a>", .at = 5, .rc = EWS_EPARSE },
        { .doc = "<a>]]></a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a b=\"<\"/>", .at = 6, .rc = EWS_EPARSE },
        { .doc = "<a b=c/>", .at = 5, .rc = EWS_EPARSE }, /* unquoted value */
        { .doc = "<a b/>", .at = 4, .rc = EWS_EPARSE },
        { .doc = "<a b='1'c='2'/>", .at = 8, .rc = EWS_EPARSE }, /* no space between */
        { .doc = "<a b='1' b='2'/>", .at = 9, .rc = EWS_EPARSE }, /* duplicate attribute */
        { .doc = "<a b='1", .at = 7, .rc = EWS_EPARSE },
        { .doc = "<a <b/>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "< a/>", .at = 1, .rc = EWS_EPARSE },
        { .doc = "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>", .at = 0, .rc = EWS_EPARSE },
        { .doc = "<a><!DOCTYPE a></a>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a><!-- a -- b --></a>", .at = 10, .rc = EWS_EPARSE },
        { .doc = "<a><!-- open</a>", .at = 16, .rc = EWS_EPARSE },
        { .doc = "<a><![CDATA[x</a>", .at = 17, .rc = EWS_EPARSE },
        { .doc = "<![CDATA[x]]><a/>", .at = 0, .rc = EWS_EPARSE }, /* CDATA outside the root */
        { .doc = " <?xml version='1.0'?><a/>", .at = 1, .rc = EWS_EPARSE }, /* declaration late */
        { .doc = "<a/><?xml version='1.0'?>", .at = 4, .rc = EWS_EPARSE },
        { .doc = "<?xml version='1.0' encoding='ISO-8859-1'?><a/>", .at = 30, .rc = EWS_EPARSE },
        { .doc = "<?xml version='2.0'?><a/>", .at = 15, .rc = EWS_EPARSE },
        { .doc = "<?xml encoding='UTF-8'?><a/>", .at = 6, .rc = EWS_EPARSE },
        { .doc = "<?xml version='1.0'><a/>", .at = 19, .rc = EWS_EPARSE },
        { .doc = "<a><?pi</a>", .at = 7, .rc = EWS_EPARSE },
        { .doc = "<p:a/>", .at = 1, .rc = EWS_EPARSE }, /* undeclared prefix */
        { .doc = "<a p:b='1'/>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<p:a xmlns:p='urn:p'/><!-- --><p:b/>", .at = 30, .rc = EWS_EPARSE },
        { .doc = "<p:a xmlns:p='urn:p'><q:b/></p:a>", .at = 22, .rc = EWS_EPARSE },
        { .doc = "<a xmlns:p=''/>", .at = 3, .rc = EWS_EPARSE }, /* prefix undeclared (1.0) */
        { .doc = "<a xmlns:xmlns='urn:x'/>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<a xmlns:x='http://www.w3.org/XML/1998/namespace'/>", .at = 3, .rc = EWS_EPARSE },
        { .doc = "<xmlns:a xmlns:xmlns='urn:x'/>", .at = 9, .rc = EWS_EPARSE },
        { .doc = "<a:b:c xmlns:a='urn:a'/>", .at = 1, .rc = EWS_EPARSE }, /* not a QName */
        { .doc = "<r xmlns:-='urn:a'/>", .at = 3, .rc = EWS_EPARSE }, /* local part no NCName */
        { .doc = "<a:1b xmlns:a='urn:a'/>", .at = 1, .rc = EWS_EPARSE }, /* local part no NCName */
        { .doc = "<:a/>", .at = 1, .rc = EWS_EPARSE },
        { .doc = "<a b:='1'/>", .at = 3, .rc = EWS_EPARSE },
    };
    expect_refused(bad, sizeof bad / sizeof bad[0]);
}

/* depth elements <e> nested, closed again. */
static char *nested(size_t depth, size_t *len)
{
    *len = depth * 7;
    char *doc = malloc(*len + 1);
    assert_non_null(doc);
    for (size_t k = 0; k < depth; k++)
        memcpy(doc + 3 * k, "<e>", 3);
    for (size_t k = 0; k < depth; k++)
        memcpy(doc + 3 * depth + 4 * k, "</e>", 4);
    doc[*len] = '\0';
    return doc;
}

static void limits_depth_and_caps(void **state)
{
    (void)state;
    ews_xml_verdict v;
    size_t len;
    /* Past the 64 entries on the stack, the open-element stack grows. */
    char *doc = nested(1000, &len);
    assert_int_equal(check_n(doc, len, 1000, &v), 0);
    assert_int_equal(check_n(doc, len, 999, &v), EWS_ELIMIT);
    assert_int_equal(v.offset, 999 * 3);
    assert_int_equal(check_n(doc, len, 10, &v), EWS_ELIMIT);
    assert_int_equal(v.offset, 30);
    free(doc);
    /* An empty element counts as a level too. */
    assert_int_equal(check_n("<a><b/></a>", 11, 1, &v), EWS_ELIMIT);
    assert_int_equal(check_n("<a><b/></a>", 11, 2, &v), 0);

    /* A million nested elements: no recursion, checked in one pass. */
    doc = nested(1000000, &len);
    assert_int_equal(check_n(doc, len, 256, &v), EWS_ELIMIT);
    assert_int_equal(check_n(doc, len, 1000000, &v), 0);
    free(doc);

    char *many = malloc(16 * (EWS_XML_MAX_ATTRIBUTES + 1) + 8);
    assert_non_null(many);
    size_t n = (size_t)sprintf(many, "<a");
    for (int k = 0; k < EWS_XML_MAX_ATTRIBUTES; k++)
        n += (size_t)sprintf(many + n, " a%d=''", k);
    strcpy(many + n, "/>");
    assert_int_equal(check(many, &v), 0);
    n += (size_t)sprintf(many + n, " z=''/>") - 2;
    assert_int_equal(check(many, &v), EWS_ELIMIT);
    free(many);

    char *decls = malloc(40 * (EWS_XML_MAX_PREFIXES + 1) + 64);
    assert_non_null(decls);
    n = 0;
    for (int k = 0; k <= EWS_XML_MAX_PREFIXES; k++)
        n += (size_t)sprintf(decls + n, "<e xmlns:p%d='urn:%d'>", k, k);
    for (int k = 0; k <= EWS_XML_MAX_PREFIXES; k++)
        n += (size_t)sprintf(decls + n, "</e>");
    assert_int_equal(check(decls, &v), EWS_ELIMIT);
    /* Declarations go out of scope with their element. */
    n = 0;
    for (int k = 0; k <= EWS_XML_MAX_PREFIXES; k++)
        n += (size_t)sprintf(decls + n, "%s<e xmlns:p%d='urn:%d'/>", k ? "" : "<r>", k, k);
    strcpy(decls + n, "</r>");
    assert_int_equal(check(decls, &v), 0);
    free(decls);
}

static void guesses_the_root_of_refused_documents(void **state)
{
    (void)state;
    size_t at, len;
    const char *html = "<!DOCTYPE html>\n<html><body>&nbsp;<br></body></html>";
    assert_int_equal(ews_xml_guess_root(html, strlen(html), &at, &len), 1);
    assert_int_equal(len, 4);
    assert_memory_equal(html + at, "html", 4);
    const char *env = "\xef\xbb\xbf<?xml version='1.0'?><!-- x --><!DOCTYPE a [<!ENTITY e '>'>]>"
                      "<s:Envelope><s:Body></s:Envelop>";
    assert_int_equal(ews_xml_guess_root(env, strlen(env), &at, &len), 1);
    assert_memory_equal(env + at, "s:Envelope", len);
    assert_int_equal(ews_xml_guess_root("plain text", 10, &at, &len), 0);
    assert_int_equal(ews_xml_guess_root("<", 1, &at, &len), 0);
    assert_int_equal(ews_xml_guess_root("<!-- never closed", 17, &at, &len), 0);
}

/* ---- the response profile ------------------------------------------------ */

typedef struct seen_names {
    char names[4][64];
    int n;
    const char *refuse; /* this name is refused */
} seen_names;

static int note_namespace(const void *ctx, const char *name, const char **why)
{
    seen_names *seen = (seen_names *)(uintptr_t)ctx;
    if (seen->n < 4)
        snprintf(seen->names[seen->n++], sizeof seen->names[0], "%s", name);
    if (seen->refuse && strcmp(name, seen->refuse) == 0) {
        *why = "is refused";
        return EWS_ESTRICT;
    }
    return 0;
}

static int check_profile(const char *doc, size_t max_name, seen_names *seen, ews_xml_verdict *v)
{
    ews_xml_profile p = { .max_depth = DEEP, .max_name = max_name, .no_mixed_content = 1,
                          .check_namespace = seen ? note_namespace : NULL, .ctx = seen };
    v->offset = (size_t)-1;
    v->why = NULL;
    return ews_xml_check_response(doc, strlen(doc), &p, v);
}

static void profile_refuses_mixed_content(void **state)
{
    (void)state;
    static const struct { const char *doc; size_t at; } mixed[] = {
        { .doc = "<a>x<b/></a>", .at = 3 },
        { .doc = "<a><b/>x</a>", .at = 7 },
        { .doc = "<a>\n <b/>\n y </a>", .at = 11 },
        { .doc = "<a><b/><![CDATA[ ]]></a>", .at = 7 },
        { .doc = "<a>&amp;<b/></a>", .at = 3 },
        { .doc = "<a><b/>]</a>", .at = 7 },
        { .doc = "<r><a>x</a><c><d/>z</c></r>", .at = 18 },
    };
    ews_xml_verdict v;
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++) {
        int rc = check_profile(mixed[i].doc, 0, NULL, &v);
        if (rc != EWS_EPARSE || v.offset != mixed[i].at || !v.profile)
            fail_msg("%s: got %d at %zu, want EWS_EPARSE at %zu", mixed[i].doc, rc, v.offset,
                     mixed[i].at);
        /* Well-formed all the same. */
        assert_int_equal(check(mixed[i].doc, &v), 0);
    }
    const char *fine[] = {
        "<a> <b/>\n\t<!-- c --><?p x?> <c>text &amp; more</c> </a>",
        "<a><![CDATA[<b/>]]>text</a>",
        "<a>x</a>",
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        if (check_profile(fine[i], 0, NULL, &v))
            fail_msg("refused %s: %s at %zu", fine[i], v.why, v.offset);
}

static void profile_caps_names(void **state)
{
    (void)state;
    char doc[3000];
    ews_xml_verdict v;
    /* An element name of exactly the cap, then one byte over. */
    snprintf(doc, sizeof doc, "<%1023s/>", "");
    memset(doc + 1, 'n', 1023);
    assert_int_equal(check_profile(doc, 1023, NULL, &v), 0);
    snprintf(doc, sizeof doc, "<%1024s/>", "");
    memset(doc + 1, 'n', 1024);
    assert_int_equal(check_profile(doc, 1023, NULL, &v), EWS_ELIMIT);
    assert_int_equal(v.offset, 1);
    assert_int_equal(check(doc, &v), 0);
    /* An attribute name (here a namespace declaration) over the cap. */
    int n = snprintf(doc, sizeof doc, "<a xmlns:");
    memset(doc + n, 'p', 1020);
    snprintf(doc + n + 1020, sizeof doc - (size_t)n - 1020, "='urn:x'/>");
    assert_int_equal(check_profile(doc, 1023, NULL, &v), EWS_ELIMIT);
    assert_int_equal(v.offset, 3);
}

static void profile_sees_namespace_names(void **state)
{
    (void)state;
    seen_names seen = { .n = 0, .refuse = NULL };
    ews_xml_verdict v;
    const char *doc = "<a xmlns='urn:&amp;&#x41;&#66;' xmlns:p=\"urn:p\"><p:b xmlns=''/></a>";
    assert_int_equal(check_profile(doc, 0, &seen, &v), 0);
    assert_int_equal(seen.n, 2);
    assert_string_equal(seen.names[0], "urn:&AB");
    assert_string_equal(seen.names[1], "urn:p");
    /* A refused name: its code, and where it is. */
    seen.n = 0;
    seen.refuse = "urn:p";
    assert_int_equal(check_profile(doc, 0, &seen, &v), EWS_ESTRICT);
    assert_int_equal(v.offset, 41);
    assert_int_equal(v.quote_len, 5);
    assert_true(v.profile);
    /* Long names are decoded whole too. */
    char big[700];
    int n = snprintf(big, sizeof big, "<a xmlns:q='urn:");
    memset(big + n, 'z', 600);
    snprintf(big + n + 600, sizeof big - (size_t)n - 600, "'/>");
    seen.n = 0;
    seen.refuse = NULL;
    assert_int_equal(check_profile(big, 0, &seen, &v), 0);
    assert_int_equal(seen.n, 1);
}

static void guess_root_past_many_declarations(void **state)
{
    (void)state;
    size_t at, len;
    const char *doc = "<!a><!b [x]><!c><s:Envelope>";
    assert_int_equal(ews_xml_guess_root(doc, strlen(doc), &at, &len), 1);
    assert_memory_equal(doc + at, "s:Envelope", len);
    /* '<!x>' to the end: found nothing, having looked at each byte a
     * bounded number of times (tests/unit/test_imlist_linear.c times it). */
    size_t n = 1u << 20;
    char *many = malloc(n);
    assert_non_null(many);
    for (size_t i = 0; i < n; i++)
        many[i] = "<!a>"[i % 4];
    assert_int_equal(ews_xml_guess_root(many, n, &at, &len), 0);
    free(many);
}

static void scrub_replaces_only_broken_bytes(void **state)
{
    (void)state;
    char cut[] = "caf\xc3\xa9 \xc3";        /* a message cut inside "é" */
    ews_utf8_scrub(cut);
    assert_string_equal(cut, "caf\xc3\xa9 ?");
    char mixed[] = "\xff" "a\xed\xa0\x80" "b";
    ews_utf8_scrub(mixed);
    assert_string_equal(mixed, "?a???b");
}

/* ---- differential run against libxml2 ------------------------------------- */

typedef struct corpus {
    char **docs;
    size_t *lens;
    size_t n, cap;
} corpus;

static void corpus_add_dir(corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(path);
        if (l > 4 && strcmp(path + l - 4, ".xml") == 0) {
            FILE *f = fopen(path, "rb");
            assert_non_null(f);
            fseek(f, 0, SEEK_END);
            long size = ftell(f);
            fseek(f, 0, SEEK_SET);
            char *buf = malloc((size_t)size + 1);
            assert_non_null(buf);
            assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
            fclose(f);
            if (c->n == c->cap) {
                c->cap = c->cap ? c->cap * 2 : 64;
                c->docs = realloc(c->docs, c->cap * sizeof *c->docs);
                c->lens = realloc(c->lens, c->cap * sizeof *c->lens);
                assert_true(c->docs && c->lens);
            }
            c->docs[c->n] = buf;
            c->lens[c->n++] = (size_t)size;
        } else {
            corpus_add_dir(c, path); /* not a directory: opendir fails */
        }
    }
    closedir(d);
}

/* libxml2 also refuses a namespace name that is not a URI reference
 * (XML_WAR_NS_URI), which Namespaces in XML only deprecates and which the
 * engine reads as any other string: that alone does not count. */
static void note_libxml2_error(void *refused, xmlErrorPtr e)
{
    if (e->level >= XML_ERR_ERROR && e->code != XML_WAR_NS_URI &&
        e->code != XML_WAR_NS_URI_RELATIVE)
        *(int *)refused = 1;
}

static int libxml2_accepts(const char *doc, size_t len)
{
    int refused = 0;
    xmlSetStructuredErrorFunc(&refused, note_libxml2_error);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    assert_non_null(ctxt);
    xmlDocPtr d = xmlCtxtReadMemory(ctxt, doc, (int)len, NULL, NULL,
                                    XML_PARSE_NONET | XML_PARSE_HUGE);
    int ok = d != NULL && ctxt->wellFormed && !refused;
    xmlFreeDoc(d);
    xmlFreeParserCtxt(ctxt);
    xmlSetStructuredErrorFunc(NULL, NULL);
    return ok;
}

static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* One random edit of doc: the kinds of damage that make or keep a document
 * malformed in ways that matter here. */
static char *mutate(const char *doc, size_t len, size_t *out_len)
{
    static const char *const pieces[] = {
        "<", ">", "&", "\"", "'", "=", " ", ":", "/", "]]>", "<a>", "</a>", "<b/>", "&amp;",
        "&foo;", "&#65;", "&#0;", " x:y='1'", " xmlns:z=''", " xmlns:q='urn:q'", "<q:e/>",
        "<!--", "-->", "--", "<?pi x?>", "<?xml version='1.0'?>", "<![CDATA[", "\xc3\xa9",
        "\xff", "\xed\xa0\x80", "\t", "<!DOCTYPE x>",
    };
    char *out = malloc(len + 64);
    assert_non_null(out);
    size_t at = len ? (size_t)(rnd() % len) : 0;
    size_t n = 0;
    switch (rnd() % 4) {
    case 0: { /* delete a short range */
        size_t del = 1 + (size_t)(rnd() % 8);
        if (del > len - at)
            del = len - at;
        memcpy(out, doc, at);
        memcpy(out + at, doc + at + del, len - at - del);
        n = len - del;
        break;
    }
    case 1: { /* insert a piece */
        const char *p = pieces[rnd() % (sizeof pieces / sizeof pieces[0])];
        size_t pl = strlen(p);
        memcpy(out, doc, at);
        memcpy(out + at, p, pl);
        memcpy(out + at + pl, doc + at, len - at);
        n = len + pl;
        break;
    }
    case 2: /* replace a byte with a piece's first byte */
        memcpy(out, doc, len);
        n = len;
        if (len)
            out[at] = pieces[rnd() % (sizeof pieces / sizeof pieces[0])][0];
        break;
    default: /* cut the document short */
        memcpy(out, doc, at);
        n = at;
        break;
    }
    *out_len = n;
    return out;
}

/* Refusals that are ours by design, where libxml2 reads on: see
 * wellformed.h. libxml2 also reads a declaration whose version is not
 * XML 1.0's VersionNum ('1.' and at least one digit), e.g. "1.", with only a
 * warning. */
static int refused_by_design(const char *why)
{
    return strstr(why, "character reference") || strstr(why, "document type declaration") ||
           strstr(why, "encoding other than UTF-8") || strstr(why, "XML version other than");
}

/* The profile only adds refusals: a document the plain check refuses is
 * refused for the same reason or for a profile reason found first. */
static void same_under_profile(const char *doc, size_t len, int plain, const ews_xml_verdict *pv)
{
    ews_xml_profile p = { .max_depth = DEEP, .max_name = 1023, .no_mixed_content = 1 };
    ews_xml_verdict v;
    int rc = ews_xml_check_response(doc, len, &p, &v);
    if (rc && v.profile && (!plain || v.offset <= pv->offset))
        return;
    if (rc != plain || (rc && (v.offset != pv->offset || v.why != pv->why)))
        fail_msg("profile check: %d (%s at %zu), plain %d (%s at %zu)", rc, rc ? v.why : "-",
                 rc ? v.offset : 0, plain, plain ? pv->why : "-", plain ? pv->offset : 0);
}

static void agrees_with_libxml2_on_mutated_fixtures(void **state)
{
    (void)state;
    corpus c = { 0 };
    corpus_add_dir(&c, EWS_FIXTURES_DIR);
    assert_true(c.n >= 50);
    size_t accepted = 0, refused = 0, compared = 0;
    for (size_t i = 0; i < c.n; i++) {
        ews_xml_verdict v;
        int ours = check_n(c.docs[i], c.lens[i], DEEP, &v);
        int theirs = libxml2_accepts(c.docs[i], c.lens[i]);
        if ((ours == 0) != theirs && !(ours && refused_by_design(v.why)))
            fail_msg("fixture %zu: ours %d (%s at %zu), libxml2 %s", i, ours,
                     ours ? v.why : "-", ours ? v.offset : 0, theirs ? "accepts" : "refuses");
        for (int m = 0; m < 150; m++) {
            size_t len;
            char *doc = mutate(c.docs[i], c.lens[i], &len);
            /* A second edit half the time. */
            if (rnd() % 2) {
                size_t len2;
                char *doc2 = mutate(doc, len, &len2);
                free(doc);
                doc = doc2;
                len = len2;
            }
            ours = check_n(doc, len, DEEP, &v);
            same_under_profile(doc, len, ours, &v);
            if (ours && refused_by_design(v.why)) {
                free(doc);
                continue;
            }
            theirs = libxml2_accepts(doc, len);
            compared++;
            if ((ours == 0) != theirs) {
                FILE *f = fopen("xml_wellformed-counterexample.xml", "wb");
                if (f) {
                    fwrite(doc, 1, len, f);
                    fclose(f);
                }
                fail_msg("mutation %d of fixture %zu: ours %d (%s at %zu), libxml2 %s; the "
                         "document is in xml_wellformed-counterexample.xml",
                         m, i, ours, ours ? v.why : "-", ours ? v.offset : 0,
                         theirs ? "accepts" : "refuses");
            }
            if (ours)
                refused++;
            else
                accepted++;
            free(doc);
        }
        free(c.docs[i]);
    }
    free(c.docs);
    free(c.lens);
    print_message("compared %zu documents with libxml2: %zu well-formed, %zu not\n", compared,
                  accepted, refused);
    /* Both kinds must be well represented, or the comparison proves little. */
    assert_true(accepted > compared / 20);
    assert_true(refused > compared / 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_well_formed_documents),
        cmocka_unit_test(refuses_what_the_engine_misreads),
        cmocka_unit_test(refuses_malformed_structure),
        cmocka_unit_test(limits_depth_and_caps),
        cmocka_unit_test(guesses_the_root_of_refused_documents),
        cmocka_unit_test(profile_refuses_mixed_content),
        cmocka_unit_test(profile_caps_names),
        cmocka_unit_test(profile_sees_namespace_names),
        cmocka_unit_test(guess_root_past_many_declarations),
        cmocka_unit_test(scrub_replaces_only_broken_bytes),
        cmocka_unit_test(agrees_with_libxml2_on_mutated_fixtures),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return rc;
}
