/* The IM-list operations through the client (the public entry points of
 * ews/imops.h) and into a buffer (tests, fuzzing). */
#include "ews/imops.h"
#include "ops/client.h"
#include "imlist/imops.h"
#include "imlist/imlist.h"

/* Writes the request into a buffer. */
typedef struct write_ctx {
    ews_buf *out;
    const ews_request_headers *h;
    ews_err *err;
} write_ctx;

static int write_request(void *ctx, const ews_op_descriptor *op, const void *request)
{
    write_ctx *w = ctx;
    return ews_request_write(w->out, w->h, op, request, w->err);
}

int ews_im_request(ews_buf *out, const ews_request_headers *h, const ews_im_op *op,
                   const ews_im_args *a, ews_err *err)
{
    if (!a)
        return ews_err_set(err, EWS_EINVAL, "%s: no arguments", op->desc->op.name);
    write_ctx w = { out, h, err };
    return op->request(a, write_request, &w, err);
}

/* Sends the request through the client. */
typedef struct send_ctx {
    ews_client *client;
    const ews_call_options *call;
    ews_response *response;
} send_ctx;

static int send_request(void *ctx, const ews_op_descriptor *op, const void *request)
{
    send_ctx *s = ctx;
    return ews_client_call(s->client, op, request, s->call, &s->response);
}

int ews_im_call(ews_imlist **out, ews_client *client, const ews_im_op *op, const ews_im_args *a,
                const ews_call_options *call)
{
    if (out)
        *out = NULL;
    if (!client)
        return EWS_EINVAL;
    ews_err_reset(&client->err);
    send_ctx s = { client, call, NULL };
    int rc = op->request(a, send_request, &s, &client->err);
    if (rc)
        return rc;
    ews_imlist *l = NULL;
    rc = ews_imlist_from_response(&l, op, s.response, &client->limits, &client->err);
    if (out)
        *out = l;
    else
        ews_imlist_free(l);
    return rc;
}

int ews_get_im_items(ews_imlist **out, ews_client *client, const ews_item_id *contact_ids,
                     size_t contact_count, const ews_item_id *group_ids, size_t group_count,
                     const ews_call_options *call)
{
    ews_im_args a = { .contact_ids = contact_ids, .contact_count = contact_count,
                      .group_ids = group_ids, .group_count = group_count };
    return ews_im_call(out, client, &ews_im_get_im_items, &a, call);
}

int ews_add_im_group(ews_imlist **out, ews_client *client, const char *display_name,
                     const ews_call_options *call)
{
    ews_im_args a = { .display_name = display_name };
    return ews_im_call(out, client, &ews_im_add_im_group, &a, call);
}

int ews_set_im_group(ews_client *client, ews_item_id group_id, const char *new_display_name,
                     const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id, .new_display_name = new_display_name };
    return ews_im_call(NULL, client, &ews_im_set_im_group, &a, call);
}

int ews_remove_im_group(ews_client *client, ews_item_id group_id, const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id };
    return ews_im_call(NULL, client, &ews_im_remove_im_group, &a, call);
}

int ews_add_im_contact_to_group(ews_client *client, ews_item_id contact_id,
                                const ews_item_id *group_id, const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id, .group_id = group_id };
    return ews_im_call(NULL, client, &ews_im_add_im_contact_to_group, &a, call);
}

int ews_add_new_im_contact_to_group(ews_imlist **out, ews_client *client, const char *im_address,
                                    const char *display_name, const ews_item_id *group_id,
                                    const ews_call_options *call)
{
    ews_im_args a = { .im_address = im_address, .display_name = display_name,
                      .group_id = group_id };
    return ews_im_call(out, client, &ews_im_add_new_im_contact_to_group, &a, call);
}

int ews_add_new_tel_uri_contact_to_group(ews_imlist **out, ews_client *client,
                                         const char *tel_uri_address,
                                         const char *im_contact_sip_uri_address,
                                         const char *im_telephone_number,
                                         const ews_item_id *group_id,
                                         const ews_call_options *call)
{
    ews_im_args a = { .tel_uri_address = tel_uri_address,
                      .im_contact_sip_uri_address = im_contact_sip_uri_address,
                      .im_telephone_number = im_telephone_number,
                      .group_id = group_id };
    return ews_im_call(out, client, &ews_im_add_new_tel_uri_contact_to_group, &a, call);
}

int ews_add_distribution_group_to_im_list(ews_imlist **out, ews_client *client,
                                          const char *smtp_address, const char *display_name,
                                          const ews_call_options *call)
{
    ews_im_args a = { .smtp_address = smtp_address, .display_name = display_name };
    return ews_im_call(out, client, &ews_im_add_distribution_group_to_im_list, &a, call);
}

int ews_remove_im_contact_from_group(ews_client *client, ews_item_id contact_id,
                                     ews_item_id group_id, const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id, .group_id = &group_id };
    return ews_im_call(NULL, client, &ews_im_remove_im_contact_from_group, &a, call);
}

int ews_remove_contact_from_im_list(ews_client *client, ews_item_id contact_id,
                                    const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id };
    return ews_im_call(NULL, client, &ews_im_remove_contact_from_im_list, &a, call);
}

int ews_remove_distribution_group_from_im_list(ews_client *client, ews_item_id group_id,
                                               const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id };
    return ews_im_call(NULL, client, &ews_im_remove_distribution_group_from_im_list, &a, call);
}
