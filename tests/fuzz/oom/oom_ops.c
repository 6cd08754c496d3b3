/* Allocation-failure sweep of the eleven IM-list operations besides
 * GetImItemList: each one's request builder with every argument it reads
 * set, and its response reader over every response and fault fixture of
 * the operation, lenient and strict. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imlist_internal.h"
#include "imlist_read.h"
#include "operations.h"
#include "oracle.h"
#include "sweep.h"

typedef struct op {
    const char *name;
    ews_im_request_fn build;
    const ews_im_reader *reader;
} op;

static const op ops_table[] = {
    { "GetImItems", ews_request_get_im_items, &ews_im_reader_get_im_items },
    { "AddImGroup", ews_request_add_im_group, &ews_im_reader_add_im_group },
    { "SetImGroup", ews_request_set_im_group, &ews_im_reader_set_im_group },
    { "RemoveImGroup", ews_request_remove_im_group, &ews_im_reader_remove_im_group },
    { "AddImContactToGroup", ews_request_add_im_contact_to_group,
      &ews_im_reader_add_im_contact_to_group },
    { "AddNewImContactToGroup", ews_request_add_new_im_contact_to_group,
      &ews_im_reader_add_new_im_contact_to_group },
    { "AddNewTelUriContactToGroup", ews_request_add_new_tel_uri_contact_to_group,
      &ews_im_reader_add_new_tel_uri_contact_to_group },
    { "AddDistributionGroupToImList", ews_request_add_distribution_group_to_im_list,
      &ews_im_reader_add_distribution_group_to_im_list },
    { "RemoveImContactFromGroup", ews_request_remove_im_contact_from_group,
      &ews_im_reader_remove_im_contact_from_group },
    { "RemoveContactFromImList", ews_request_remove_contact_from_im_list,
      &ews_im_reader_remove_contact_from_im_list },
    { "RemoveDistributionGroupFromImList", ews_request_remove_distribution_group_from_im_list,
      &ews_im_reader_remove_distribution_group_from_im_list },
};

/* ---- requests ------------------------------------------------------------ */

typedef struct request_ctx {
    const op *op;
    ews_request_headers h;
    ews_im_args args;
    ews_buf out;
} request_ctx;

static int run_request(void *ctx, void **result, ews_err *err)
{
    request_ctx *c = ctx;
    int rc = c->op->build(&c->out, &c->h, &c->args, err);
    if (rc) {
        ews_buf_free(&c->out);
        return rc;
    }
    *result = &c->out;
    return 0;
}

static void dump_request(void *ctx, const void *result, ews_buf *out)
{
    (void)ctx;
    const ews_buf *b = result;
    if (!b->len || ews_buf_append(out, b->data, b->len))
        oracle_fail("empty request, or out of memory copying it");
}

static void release_request(void *result)
{
    ews_buf_free(result);
}

static const sweep_ops request_ops = { run_request, dump_request, release_request, NULL };

/* ---- responses ----------------------------------------------------------- */

typedef struct response_ctx {
    const ews_im_reader *reader;
    const char *data;
    size_t len;
    ews_limits lim;
} response_ctx;

static int run_response(void *ctx, void **result, ews_err *err)
{
    response_ctx *c = ctx;
    ews_imlist *l = NULL;
    int rc = ews_imlist_parse_as(&l, c->reader, c->data, c->len, &c->lim, err);
    *result = l;
    return rc;
}

static void dump_response(void *ctx, const void *result, ews_buf *out)
{
    (void)ctx;
    oracle_check_imlist(result, out);
}

static void release_response(void *result)
{
    ews_imlist_free(result);
}

static const sweep_ops response_ops = { run_response, dump_response, release_response, NULL };

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        oracle_fail("cannot read %s", path);
    ews_buf b = EWS_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (ews_buf_append(&b, chunk, n))
            oracle_fail("out of memory reading %s", path);
    fclose(f);
    return ews_buf_detach(&b, len);
}

int main(void)
{
    static const ews_item_id contact = { "AAMkADk3Y2Q2Y2JkLWNvbnRhY3Q=", "EQAAABYAAAA=" };
    static const ews_item_id group = { "AAMkADk3Y2Q2Y2JkLWdyb3Vw", NULL };
    static const ews_item_id contacts[] = { { "PERSONA-1", NULL }, { "PERSONA-2", "CK-2" } };
    static const ews_item_id groups[] = { { "GROUP-1", "CK-1" } };
    static const ews_extended_field extended[] = { { "0x3001", "String" } };
    const ews_im_args args = {
        &contact, &group, "Friends & <family>", "Close friends", "sip:ann@contoso.com",
        "ann@contoso.com", "tel:+14255550100", "sip:bob@contoso.com", "+14255550101",
        contacts, 2, groups, 1, extended, 1,
    };
    sweep_stats total = { 0, 0, 0, 0, 0 };
    size_t responses = 0;
    for (size_t i = 0; i < sizeof ops_table / sizeof ops_table[0]; i++) {
        const op *o = &ops_table[i];
        char label[160];
        request_ctx rq = { o, { "Exchange2013", "en-US", { EWS_IMPERSONATE_SMTP,
                                                         "bob@contoso.com" } },
                           args, EWS_BUF_INIT };
        snprintf(label, sizeof label, "%s request", o->name);
        sweep(label, &request_ops, &rq, 100000, 1, &total);

        char pattern[512];
        snprintf(pattern, sizeof pattern, "%s/%s/*/response.xml", EWS_FIXTURES_DIR, o->name);
        glob_t g;
        if (glob(pattern, 0, NULL, &g) != 0)
            continue; /* GetImItems: its reference page has no response */
        for (size_t k = 0; k < g.gl_pathc; k++) {
            size_t len;
            char *data = read_file(g.gl_pathv[k], &len);
            const char *name = strstr(g.gl_pathv[k], o->name);
            ews_limits lim = EWS_LIMITS_DEFAULT;
            response_ctx rs = { o->reader, data, len, lim };
            snprintf(label, sizeof label, "%s (lenient)", name);
            sweep(label, &response_ops, &rs, 100000, 1, &total);
            rs.lim.strict = 1;
            snprintf(label, sizeof label, "%s (strict)", name);
            sweep(label, &response_ops, &rs, 100000, 1, &total);
            free(data);
            responses++;
        }
        globfree(&g);
    }
    if (responses < 15)
        oracle_fail("only %zu operation response fixtures found under %s", responses,
                    EWS_FIXTURES_DIR);
    return sweep_report(&total);
}
