/* GetImItemList through the client, and a saved response read with the
 * client's limits: the public entry points of client.h. */
#include <stdlib.h>
#include <string.h>

#include "core/read_fd.h"
#include "ops/client.h"
#include "imlist/imlist.h"
#include "imlist/imops.h"

int ews_get_im_item_list(ews_imlist **out, ews_client *client, const ews_call_options *call)
{
    static const ews_im_args none = { 0 };
    return ews_im_call(out, client, &ews_im_get_im_item_list, &none, call);
}

/* A warning the caller cannot see would be a silent success. */
static int keep_warning(ews_imlist **out, ews_client *client, int rc)
{
    const ews_error *w = rc == 0 ? ews_imlist_warning(*out) : NULL;
    if (w && ews_err_copy(&client->err, &(*out)->response->warning) != 0) {
        ews_imlist_free(*out);
        *out = NULL;
        rc = ews_err_set(&client->err, EWS_ENOMEM, "out of memory recording the server's warning");
    }
    return rc;
}

static int usable(ews_client *client)
{
    ews_err_reset(&client->err);
    if (!client->usable)
        return ews_err_set(&client->err, EWS_ECONFIG,
                           "the client was not created successfully");
    return 0;
}

int ews_im_item_list_parse(ews_imlist **out, ews_client *client, const void *xml, size_t len)
{
    if (out)
        *out = NULL;
    if (!out || !client || (!xml && len))
        return EWS_EINVAL;
    int rc = usable(client);
    if (rc)
        return rc;
    rc = ews_imlist_parse(out, xml ? xml : "", len, &client->limits, &client->err);
    return keep_warning(out, client, rc);
}

int ews_im_item_list_parse_fd(ews_imlist **out, ews_client *client, int fd)
{
    if (out)
        *out = NULL;
    if (!out || !client || fd < 0)
        return EWS_EINVAL;
    int rc = usable(client);
    if (rc)
        return rc;
    char *data = NULL;
    size_t len = 0;
    int sys = 0;
    size_t max = client->limits.max_bytes;
    rc = ews_read_fd(&data, &len, fd, max, &sys);
    if (rc == EWS_ENOMEM)
        return ews_err_set(&client->err, rc, "out of memory reading the saved response");
    if (rc == EWS_ETOOBIG)
        return ews_err_set(&client->err, rc,
                           "the saved response is larger than the %zu-byte response limit", max);
    if (rc == EWS_EIO)
        return ews_err_set(&client->err, rc, "reading the saved response: %s", strerror(sys));
    rc = ews_imlist_parse_consuming(out, data, len, &client->limits, &client->err);
    free(data);
    return keep_warning(out, client, rc);
}
