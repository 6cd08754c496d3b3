#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "imops_test_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmlcheck.h"

#define ENVELOPE_HEAD                                                                       \
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"                                          \
    "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\""             \
    " xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\""               \
    " xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\">"            \
    "<soap:Header><t:RequestServerVersion Version=\"Exchange2013\"/></soap:Header>"         \
    "<soap:Body>"
#define ENVELOPE_TAIL "</soap:Body></soap:Envelope>"

static xmlSchemaPtr schema(void)
{
    static xmlSchemaPtr s;
    if (!s) {
        char why[512];
        s = xmlcheck_load_schema(EWS_SOURCE_DIR "/wsdl/messages.xsd", why, sizeof why);
        if (!s)
            fail_msg("wsdl/messages.xsd: %s", why);
    }
    return s;
}

char *it_find(xmlNodePtr from, const char *local, const char *attr)
{
    for (xmlNodePtr n = from; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, local) == 0) {
            xmlChar *v = attr ? xmlGetProp(n, (const xmlChar *)attr) : xmlNodeGetContent(n);
            char *copy = v ? strdup((const char *)v) : NULL;
            xmlFree(v);
            return copy;
        }
        char *below = it_find(n->children, local, attr);
        if (below)
            return below;
    }
    return NULL;
}

static void read_reply(const mt_response *resp, it_reply *r)
{
    char why[512];
    r->status = resp->status;
    r->doc = xmlcheck_parse(resp->body.data, resp->body.len, why, sizeof why);
    if (!r->doc)
        fail_msg("answer not well-formed: %s\n%s", why, resp->body.data);
    xmlNodePtr body[2];
    assert_int_equal(xmlcheck_soap_children(r->doc, "Body", body, 2), 1);
    r->message = body[0];
    if (strcmp((const char *)r->message->name, "Fault") == 0) {
        r->code = it_find(r->message->children, "ResponseCode", NULL);
        return;
    }
    /* What the mock answers must be what a client may expect. */
    xmlDocPtr alone = xmlcheck_extract(r->message);
    assert_non_null(alone);
    if (!xmlcheck_validate(schema(), alone, why, sizeof why))
        fail_msg("answer not valid against the fragments: %s\n%s", why, resp->body.data);
    xmlFreeDoc(alone);
    xmlChar *cls = xmlGetProp(r->message, (const xmlChar *)"ResponseClass");
    r->response_class = cls ? strdup((const char *)cls) : NULL;
    xmlFree(cls);
    r->code = it_find(r->message->children, "ResponseCode", NULL);
}

static void vcall(ews_mock *m, it_reply *r, const char *fmt, va_list ap)
{
    memset(r, 0, sizeof *r);
    ews_buf b = EWS_BUF_INIT;
    assert_int_equal(ews_buf_puts(&b, ENVELOPE_HEAD), 0);
    char inner[8192];
    int n = vsnprintf(inner, sizeof inner, fmt, ap);
    assert_true(n > 0 && (size_t)n < sizeof inner);
    assert_int_equal(ews_buf_puts(&b, inner), 0);
    assert_int_equal(ews_buf_puts(&b, ENVELOPE_TAIL), 0);
    mt_request rq = { ews_mock_url(m), b.data, b.len, NULL, NULL, NULL, 0, 0 };
    mt_response resp;
    mt_post(NULL, &rq, &resp);
    assert_int_equal(resp.curl_rc, CURLE_OK);
    read_reply(&resp, r);
    mt_response_free(&resp);
    ews_buf_free(&b);
}

void it_call(ews_mock *m, it_reply *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vcall(m, r, fmt, ap);
    va_end(ap);
}

void it_reply_free(it_reply *r)
{
    xmlFreeDoc(r->doc);
    free(r->response_class);
    free(r->code);
    memset(r, 0, sizeof *r);
}

void it_expect(ews_mock *m, const char *code, const char *fmt, ...)
{
    it_reply r;
    va_list ap;
    va_start(ap, fmt);
    vcall(m, &r, fmt, ap);
    va_end(ap);
    assert_non_null(r.code);
    assert_string_equal(r.code, code);
    if (strcmp(code, "ErrorSchemaValidation") == 0) {
        assert_int_equal(r.status, 500);
    } else {
        /* ResponseClass errors travel in a 200, like any answer. */
        assert_int_equal(r.status, 200);
        assert_string_equal(r.response_class, strcmp(code, "NoError") ? "Error" : "Success");
    }
    it_reply_free(&r);
}

ews_imlist *it_list(ews_mock *m)
{
    size_t len;
    char *env = mt_envelope("Exchange2013", EWS_IMPERSONATE_NONE, NULL, &len);
    mt_request rq = { ews_mock_url(m), env, len, NULL, NULL, NULL, 0, 0 };
    mt_response resp;
    mt_post(NULL, &rq, &resp);
    assert_int_equal(resp.status, 200);
    ews_imlist *l = NULL;
    ews_err err;
    ews_err_init(&err);
    /* Lenient: the demo mailbox has the deviations real servers send. */
    assert_int_equal(mt_parse(&resp, 0, &l, &err), 0);
    ews_err_free(&err);
    mt_response_free(&resp);
    free(env);
    return l;
}

const ews_im_group *it_group_named(const ews_imlist *l, const char *name)
{
    for (size_t i = 0; i < ews_imlist_group_count(l); i++) {
        const char *n = ews_im_group_display_name(ews_imlist_group(l, i));
        if (n && strcmp(n, name) == 0)
            return ews_imlist_group(l, i);
    }
    return NULL;
}

const ews_persona *it_persona_with_im(const ews_imlist *l, const char *address)
{
    for (size_t i = 0; i < ews_imlist_persona_count(l); i++) {
        const ews_persona *p = ews_imlist_persona(l, i);
        for (size_t k = 0; k < ews_persona_im_address_count(p); k++)
            if (strcmp(ews_persona_im_address(p, k), address) == 0)
                return p;
    }
    return NULL;
}

int it_group_has(const ews_im_group *g, const char *persona_id)
{
    for (size_t i = 0; i < ews_im_group_persona_count(g); i++)
        if (strcmp(ews_persona_id(ews_im_group_persona(g, i)), persona_id) == 0)
            return 1;
    return 0;
}

ews_mock *it_start_file(const char *file, int strict)
{
    static ews_mock_mailbox mb;
    mb = (ews_mock_mailbox){ "me@contoso.com", file, NULL, NULL };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = &mb;
    o.mailbox_count = 1;
    o.strict = strict;
    return mt_start(&o);
}

const char *it_copy_mailbox(const char *fixture, const char *name)
{
    static char path[1024];
    char src[1024];
    if (fixture) {
        char rel[512];
        snprintf(rel, sizeof rel, "mock/%s", fixture);
        snprintf(src, sizeof src, "%s", ts_fixture_path(rel));
    }
    else
        snprintf(src, sizeof src, "%s/examples/mock/demo-mailbox.xml", EWS_SOURCE_DIR);
    const char *dir = EWS_BINARY_DIR "/tests/mock/tmp";
    if (mkdir(EWS_BINARY_DIR "/tests/mock", 0755) && errno != EEXIST)
        fail_msg("mkdir: %s", strerror(errno));
    if (mkdir(dir, 0755) && errno != EEXIST)
        fail_msg("mkdir %s: %s", dir, strerror(errno));
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *in = fopen(src, "rb"), *out = fopen(path, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
    /* A run that failed half-way may have left the directory test's
     * obstacle behind. */
    snprintf(buf, sizeof buf, "%s.tmp", path);
    rmdir(buf);
    remove(buf);
    return path;
}
