/* GetImItemList through the client: the public entry points. */
#include "client_internal.h"
#include "imlist_internal.h"

static int parse(void **out, const char *data, size_t len, const ews_limits *lim, ews_err *err)
{
    ews_imlist *l = NULL;
    int rc = ews_imlist_parse(&l, data, len, lim, err);
    *out = l;
    return rc;
}

static const ews_err *warning(const void *result)
{
    const ews_imlist *l = result;
    return l->has_warning ? &l->warning : NULL;
}

static void free_result(void *result)
{
    ews_imlist_free(result);
}

static int build(ews_buf *out, const ews_request_headers *h, const void *args, ews_err *err)
{
    (void)args;
    return ews_request_get_im_item_list(out, h, err);
}

static const ews_call_spec spec = {
    &ews_op_get_im_item_list, build, parse, warning, free_result
};

int ews_get_im_item_list(ews_imlist **out, ews_client *client, const ews_call_options *call)
{
    void *result = NULL;
    int rc = ews_client_call(client, &spec, NULL, call, &result);
    if (out)
        *out = result;
    else
        ews_imlist_free(result);
    return rc;
}

int ews_im_item_list_parse(ews_imlist **out, ews_client *client, const void *xml, size_t len)
{
    if (out)
        *out = NULL;
    if (!out || !client || (!xml && len))
        return EWS_EINVAL;
    ews_err_reset(&client->err);
    if (!client->usable)
        return ews_err_set(&client->err, EWS_ECONFIG, "the client was not created successfully");
    int rc = ews_imlist_parse(out, xml ? xml : "", len, &client->limits, &client->err);
    if (rc == 0 && (*out)->has_warning && ews_err_copy(&client->err, &(*out)->warning) != 0) {
        ews_imlist_free(*out);
        *out = NULL;
        rc = ews_err_set(&client->err, EWS_ENOMEM, "out of memory recording the server's warning");
    }
    return rc;
}
