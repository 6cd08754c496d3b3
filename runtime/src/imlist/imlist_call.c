/* GetImItemList through the client, and a saved response read with the
 * client's limits: the public entry points of client.h. */
#include "ops/client.h"
#include "imlist/imlist.h"
#include "imlist/imops.h"

int ews_get_im_item_list(ews_imlist **out, ews_client *client, const ews_call_options *call)
{
    static const ews_im_args none = { 0 };
    return ews_im_call(out, client, &ews_im_get_im_item_list, &none, call);
}

int ews_im_item_list_parse(ews_imlist **out, ews_client *client, const void *xml, size_t len)
{
    if (out)
        *out = NULL;
    if (!out || !client || (!xml && len))
        return EWS_EINVAL;
    ews_err_reset(&client->err);
    if (!client->usable)
        return ews_err_set(&client->err, EWS_ECONFIG,
                           "the client was not created successfully");
    int rc = ews_imlist_parse(out, xml ? xml : "", len, &client->limits, &client->err);
    const ews_error *w = rc == 0 ? ews_imlist_warning(*out) : NULL;
    if (w && ews_err_copy(&client->err, &(*out)->response->warning) != 0) {
        ews_imlist_free(*out);
        *out = NULL;
        rc = ews_err_set(&client->err, EWS_ENOMEM, "out of memory recording the server's warning");
    }
    return rc;
}
