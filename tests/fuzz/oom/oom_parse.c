/* Allocation-failure sweep of response parsing: every GetImItemList
 * fixture (success, faults, warning, malformed ...) lenient and strict, a
 * generated list large enough to grow every array and the index, and every
 * response and fault fixture of the eleven other operations with its
 * operation's reader. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "im_ops.h"
#include "imlist/imlist.h"
#include "oracle.h"
#include "sweep.h"

typedef struct parse_ctx {
    const ews_im_op *reader;
    const char *data;
    size_t len;
    ews_limits lim;
} parse_ctx;

static int run(void *ctx, void **result, ews_err *err)
{
    parse_ctx *c = ctx;
    ews_imlist *l = NULL;
    int rc = ews_imlist_parse_as(&l, c->reader, c->data, c->len, &c->lim, err);
    *result = l;
    return rc;
}

static void dump(void *ctx, const void *result, ews_buf *out)
{
    (void)ctx;
    oracle_check_imlist(result, out);
}

static void release(void *result)
{
    ews_imlist_free(result);
}

static const sweep_ops ops = { run, dump, release, NULL };

/* Personas with attributions, attributed values of each kind and group
 * members that join, so every allocation site of the index is reached. */
static char *large_list(size_t personas, size_t *len)
{
    ews_buf b = EWS_BUF_INIT;
    int rc = ews_buf_puts(&b,
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\"><s:Body>"
        "<m:GetImItemListResponse ResponseClass=\"Success\"><m:ResponseCode>NoError"
        "</m:ResponseCode><m:ImItemList><t:Groups>");
    for (size_t g = 0; g < 4; g++) {
        rc |= ews_buf_printf(&b, "<t:ImGroup><t:DisplayName>Group %zu</t:DisplayName>"
                             "<t:GroupType>IPM.DistList.MOC.UserGroup</t:GroupType>"
                             "<t:MemberCorrelationKey>", g);
        for (size_t i = g; i < personas; i += 3)
            rc |= ews_buf_printf(&b, "<t:ItemId Id=\"SRC-%zu\"/>", i);
        rc |= ews_buf_puts(&b, "</t:MemberCorrelationKey></t:ImGroup>");
    }
    rc |= ews_buf_puts(&b, "</t:Groups><t:Personas>");
    for (size_t i = 0; i < personas; i++)
        rc |= ews_buf_printf(&b,
            "<t:Persona><t:PersonaId Id=\"P-%zu\"/><t:DisplayName>Person %zu</t:DisplayName>"
            "<t:EmailAddress><t:EmailAddress>p%zu@contoso.com</t:EmailAddress></t:EmailAddress>"
            "<t:ImAddress>sip:p%zu@contoso.com</t:ImAddress>"
            "<t:Attributions><t:Attribution><t:Id>0</t:Id><t:SourceId Id=\"SRC-%zu\"/>"
            "</t:Attribution></t:Attributions>"
            "<t:DisplayNames><t:StringAttributedValue><t:Value>Person %zu</t:Value>"
            "<t:Attributions><t:Attribution>0</t:Attribution></t:Attributions>"
            "</t:StringAttributedValue></t:DisplayNames>"
            "<t:MobilePhones><t:PhoneNumberAttributedValue><t:Value><t:Number>+1 555 %04zu"
            "</t:Number><t:Type>Mobile</t:Type></t:Value><t:Attributions><t:Attribution>0"
            "</t:Attribution></t:Attributions></t:PhoneNumberAttributedValue></t:MobilePhones>"
            "<t:Emails1><t:EmailAddressAttributedValue><t:Value><t:EmailAddress>p%zu@contoso.com"
            "</t:EmailAddress></t:Value><t:Attributions><t:Attribution>0</t:Attribution>"
            "</t:Attributions></t:EmailAddressAttributedValue></t:Emails1>"
            "<t:ImAddresses><t:StringAttributedValue><t:Value>sip:p%zu@contoso.com</t:Value>"
            "</t:StringAttributedValue></t:ImAddresses></t:Persona>",
            i, i, i, i, i, i, i % 10000, i, i);
    rc |= ews_buf_puts(&b, "</t:Personas></m:ImItemList></m:GetImItemListResponse>"
                           "</s:Body></s:Envelope>");
    if (rc)
        oracle_fail("out of memory generating the large list");
    return ews_buf_detach(&b, len);
}

static void sweep_doc(const char *name, const ews_im_op *reader, const char *data, size_t len,
                      sweep_stats *total)
{
    ews_limits def = EWS_LIMITS_DEFAULT;
    parse_ctx c = { reader, data, len, def };
    char label[640]; /* a name of up to 600 and the mode */
    snprintf(label, sizeof label, "%s (lenient)", name);
    sweep(label, &ops, &c, 100000, 1, total);
    c.lim.strict = 1;
    snprintf(label, sizeof label, "%s (strict)", name);
    sweep(label, &ops, &c, 100000, 1, total);
}

int main(void)
{
    sweep_stats total = { 0, 0, 0, 0, 0 };
    glob_t g;
    if (glob(EWS_FIXTURES_DIR "/GetImItemList/*/response.xml", 0, NULL, &g) != 0 ||
        g.gl_pathc < 10) {
        fprintf(stderr, "response fixtures missing under %s\n", EWS_FIXTURES_DIR);
        return 1;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t len;
        char *data = sweep_read_file(g.gl_pathv[i], &len);
        const char *name = strstr(g.gl_pathv[i], "GetImItemList/");
        sweep_doc(name ? name : g.gl_pathv[i], &ews_im_get_im_item_list, data, len,
                  &total);
        free(data);
    }
    globfree(&g);

    size_t op_fixtures = 0;
    for (size_t i = 0; i < oom_im_op_count; i++) {
        char pattern[512], name[600];
        snprintf(pattern, sizeof pattern, "%s/%s/*/response.xml", EWS_FIXTURES_DIR,
                 oom_im_ops[i].name);
        if (glob(pattern, 0, NULL, &g) != 0)
            continue; /* GetImItems: its reference page has no response */
        for (size_t k = 0; k < g.gl_pathc; k++, op_fixtures++) {
            size_t len;
            char *data = sweep_read_file(g.gl_pathv[k], &len);
            snprintf(name, sizeof name, "op: %s", strstr(g.gl_pathv[k], oom_im_ops[i].name));
            sweep_doc(name, oom_im_ops[i].op, data, len, &total);
            free(data);
        }
        globfree(&g);
    }
    if (op_fixtures < 15)
        oracle_fail("only %zu operation response fixtures under %s", op_fixtures,
                    EWS_FIXTURES_DIR);

    /* Every point of the first 500, then a sample across the rest. */
    size_t len;
    char *big = large_list(250, &len);
    ews_limits def = EWS_LIMITS_DEFAULT;
    parse_ctx c = { &ews_im_get_im_item_list, big, len, def };
    sweep("generated 250-persona list", &ops, &c, 500, 211, &total);
    free(big);
    return sweep_report(&total);
}
