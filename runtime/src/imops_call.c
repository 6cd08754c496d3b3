/* The IM-list operations besides GetImItemList through the client: the
 * public entry points of ews/imops.h. */
#include "ews/imops.h"
#include "client_internal.h"
#include "imlist_read.h"

static const ews_err *warning(const void *result)
{
    const ews_imlist *l = result;
    return l->has_warning ? &l->warning : NULL;
}

static void free_result(void *result)
{
    ews_imlist_free(result);
}

/* A build and a parse function for one operation, and its call spec. */
#define IM_SPEC(name)                                                                   \
    static int build_##name(ews_buf *out, const ews_request_headers *h,                 \
                            const void *args, ews_err *err)                             \
    {                                                                                   \
        return ews_request_##name(out, h, args, err);                                   \
    }                                                                                   \
    static int parse_##name(void **out, const char *data, size_t len,                   \
                            const ews_limits *lim, ews_err *err)                        \
    {                                                                                   \
        ews_imlist *l = NULL;                                                           \
        int rc = ews_imlist_parse_as(&l, &ews_im_reader_##name, data, len, lim, err);   \
        *out = l;                                                                       \
        return rc;                                                                      \
    }                                                                                   \
    static const ews_call_spec spec_##name = { &ews_op_##name, build_##name,            \
                                               parse_##name, warning, free_result }

IM_SPEC(get_im_items);
IM_SPEC(add_im_group);
IM_SPEC(set_im_group);
IM_SPEC(remove_im_group);
IM_SPEC(add_im_contact_to_group);
IM_SPEC(add_new_im_contact_to_group);
IM_SPEC(add_new_tel_uri_contact_to_group);
IM_SPEC(add_distribution_group_to_im_list);
IM_SPEC(remove_im_contact_from_group);
IM_SPEC(remove_contact_from_im_list);
IM_SPEC(remove_distribution_group_from_im_list);

/* Runs one call; *out (when out is not NULL) receives the result, which
 * the operations without one free at once: their warning, if any, is in
 * the client's last error either way. */
static int im_call(ews_imlist **out, ews_client *client, const ews_call_spec *spec,
                   const ews_im_args *args, const ews_call_options *call)
{
    void *result = NULL;
    int rc = ews_client_call(client, spec, args, call, &result);
    if (out)
        *out = result;
    else
        ews_imlist_free(result);
    return rc;
}

int ews_get_im_items(ews_imlist **out, ews_client *client, const ews_item_id *contact_ids,
                     size_t contact_count, const ews_item_id *group_ids, size_t group_count,
                     const ews_call_options *call)
{
    ews_im_args a = { .contact_ids = contact_ids, .contact_count = contact_count,
                      .group_ids = group_ids, .group_count = group_count };
    return im_call(out, client, &spec_get_im_items, &a, call);
}

int ews_add_im_group(ews_imlist **out, ews_client *client, const char *display_name,
                     const ews_call_options *call)
{
    ews_im_args a = { .display_name = display_name };
    return im_call(out, client, &spec_add_im_group, &a, call);
}

int ews_set_im_group(ews_client *client, ews_item_id group_id, const char *new_display_name,
                     const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id, .new_display_name = new_display_name };
    return im_call(NULL, client, &spec_set_im_group, &a, call);
}

int ews_remove_im_group(ews_client *client, ews_item_id group_id, const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id };
    return im_call(NULL, client, &spec_remove_im_group, &a, call);
}

int ews_add_im_contact_to_group(ews_client *client, ews_item_id contact_id,
                                const ews_item_id *group_id, const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id, .group_id = group_id };
    return im_call(NULL, client, &spec_add_im_contact_to_group, &a, call);
}

int ews_add_new_im_contact_to_group(ews_imlist **out, ews_client *client, const char *im_address,
                                    const char *display_name, const ews_item_id *group_id,
                                    const ews_call_options *call)
{
    ews_im_args a = { .im_address = im_address, .display_name = display_name,
                      .group_id = group_id };
    return im_call(out, client, &spec_add_new_im_contact_to_group, &a, call);
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
    return im_call(out, client, &spec_add_new_tel_uri_contact_to_group, &a, call);
}

int ews_add_distribution_group_to_im_list(ews_imlist **out, ews_client *client,
                                          const char *smtp_address, const char *display_name,
                                          const ews_call_options *call)
{
    ews_im_args a = { .smtp_address = smtp_address, .display_name = display_name };
    return im_call(out, client, &spec_add_distribution_group_to_im_list, &a, call);
}

int ews_remove_im_contact_from_group(ews_client *client, ews_item_id contact_id,
                                     ews_item_id group_id, const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id, .group_id = &group_id };
    return im_call(NULL, client, &spec_remove_im_contact_from_group, &a, call);
}

int ews_remove_contact_from_im_list(ews_client *client, ews_item_id contact_id,
                                    const ews_call_options *call)
{
    ews_im_args a = { .contact_id = &contact_id };
    return im_call(NULL, client, &spec_remove_contact_from_im_list, &a, call);
}

int ews_remove_distribution_group_from_im_list(ews_client *client, ews_item_id group_id,
                                               const ews_call_options *call)
{
    ews_im_args a = { .group_id = &group_id };
    return im_call(NULL, client, &spec_remove_distribution_group_from_im_list, &a, call);
}
