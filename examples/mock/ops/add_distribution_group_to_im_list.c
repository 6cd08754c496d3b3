/* AddDistributionGroupToImList: a distribution group (by its SMTP
 * address) becomes a group of the IM list; one already there is answered
 * as it is. */
#include <string.h>

#include "imlist_edit.h"
#include "im_new.h"
#include "service_ops.h"

typedef struct add_dl {
    const char *smtp;
    const char *name;
    struct t__ImGroupType *made;
} add_dl;

/* The mock has no directory to look the group up in: any address of the
 * form local@domain.tld stands for one. */
static int plausible_smtp(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strpbrk(s, " \t\r\n<>()[],;:\"\\"))
        return 0;
    const char *dot = strchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && s[strlen(s) - 1] != '.';
}

static const mock_ews_error *add(struct soap *soap, struct t__ImItemListType *l, void *arg)
{
    add_dl *a = arg;
    if (!plausible_smtp(a->smtp))
        return &MOCK_ERR_INVALID_DG_ADDRESS;
    a->made = imlist_find_dl(l, a->smtp);
    if (a->made)
        return NULL;
    if (imlist_group_count(l) >= MOCK_MAX_IM_GROUPS)
        return &MOCK_ERR_GROUP_LIMIT;
    a->made = mock_new_group(soap, l, a->name, MOCK_GROUP_DL, a->smtp);
    if (!a->made || imlist_add_group(soap, l, a->made))
        return &MOCK_ERR_INTERNAL;
    return NULL;
}

int __m__AddDistributionGroupToImList(struct soap *soap,
                                      struct m__AddDistributionGroupToImListType *req,
                                      struct __m__AddDistributionGroupToImListResponse *resp)
{
    mock_mailbox *m = NULL;
    int rc = mock_service_begin(soap, &m);
    if (!rc)
        rc = mock_service_require(soap, req->SmtpAddress, "SmtpAddress");
    if (rc)
        return rc;
    /* The reference page's own request leaves out DisplayName, which the
     * schema requires; when lenient, the address stands in for it as in
     * the page's response. */
    add_dl a = { req->SmtpAddress,
                 req->DisplayName && *req->DisplayName ? req->DisplayName : req->SmtpAddress,
                 NULL };
    const mock_ews_error *err = mock_service_change(soap, m, add, &a);
    struct m__AddDistributionGroupToImListResponseMessageType *msg;
    if (MOCK_RESPONSE(soap, AddDistributionGroupToImList, err, msg))
        return soap->error;
    msg->ImGroup = err ? NULL : a.made;
    resp->m__AddDistributionGroupToImListResponse = msg;
    return SOAP_OK;
}
