/* Allocation-failure sweep of request building: GetImItemList with every
 * impersonation form and with a MailboxCulture, and each of the eleven other
 * operations with every argument its builder reads. */
#include <stdio.h>
#include <string.h>

#include "im_ops.h"
#include "oracle.h"
#include "sweep.h"

typedef struct request_ctx {
    const ews_im_op *op; /* NULL: GetImItemList */
    ews_request_headers h;
    ews_buf out;
} request_ctx;

static int run(void *ctx, void **result, ews_err *err)
{
    request_ctx *c = ctx;
    int rc = ews_im_request(&c->out, &c->h, c->op ? c->op : &ews_im_get_im_item_list,
                            &oom_im_args, err);
    if (rc) {
        ews_buf_free(&c->out); /* the caller's buffer, partial or not */
        return rc;
    }
    *result = &c->out;
    return 0;
}

static void dump(void *ctx, const void *result, ews_buf *out)
{
    (void)ctx;
    const ews_buf *b = result;
    if (!b->len || ews_buf_append(out, b->data, b->len))
        oracle_fail("empty request, or out of memory copying it");
}

static void release(void *result)
{
    ews_buf_free(result);
}

static const sweep_ops ops = { run, dump, release, NULL };

int main(void)
{
    static const struct {
        const char *name;
        ews_impersonation_kind kind;
        const char *value;
        const char *culture;
    } forms[] = {
        { .name = "no impersonation", .kind = EWS_IMPERSONATE_NONE },
        { .name = "PrimarySmtpAddress", .kind = EWS_IMPERSONATE_PRIMARY_SMTP,
          .value = "ann@contoso.com" },
        { .name = "SmtpAddress", .kind = EWS_IMPERSONATE_SMTP, .value = "ann@contoso.com" },
        { .name = "PrincipalName", .kind = EWS_IMPERSONATE_PRINCIPAL_NAME,
          .value = "ann@corp.contoso.com" },
        { .name = "SID", .kind = EWS_IMPERSONATE_SID, .value = "S-1-5-21-1-2-3-1001" },
        { .name = "SmtpAddress + culture, escaped", .kind = EWS_IMPERSONATE_SMTP,
          .value = "a&b<c>@contoso.com", .culture = "de-CH" },
    };
    sweep_stats total = { 0, 0, 0, 0, 0 };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        request_ctx c = { NULL, { "Exchange2013", forms[i].culture,
                            { forms[i].kind, forms[i].value } }, EWS_BUF_INIT };
        char label[96];
        snprintf(label, sizeof label, "request: %s", forms[i].name);
        sweep(label, &ops, &c, 100000, 1, &total);
    }
    for (size_t i = 0; i < oom_im_op_count; i++) {
        request_ctx c = { oom_im_ops[i].op,
                          { "Exchange2013", "en-US", { EWS_IMPERSONATE_SMTP, "bob@contoso.com" } },
                          EWS_BUF_INIT };
        char label[96];
        snprintf(label, sizeof label, "request: %s", oom_im_ops[i].name);
        sweep(label, &ops, &c, 100000, 1, &total);
    }
    return sweep_report(&total);
}
