/* ews-c: the IM-list operations besides GetImItemList (Exchange 2013+).
 *
 * Same conventions as client.h: out-parameters first, 0 or a negative
 * EWS_E... code, details in ews_client_last_error(), per-call options may be
 * NULL. Operations that create something return it as a new ews_imlist
 * holding just that group or persona, read with the accessors of imlist.h.
 * A group or contact id is an ews_item_id (change_key may be NULL).
 */
#ifndef EWS_IMOPS_H
#define EWS_IMOPS_H

#include "client.h"
#include "imlist.h"

EWS_BEGIN_DECLS

/* GetImItems: the given contacts (persona ids) and groups. */
EWS_API int ews_get_im_items(ews_imlist **out, ews_client *client,
                             const ews_item_id *contact_ids, size_t contact_count,
                             const ews_item_id *group_ids, size_t group_count,
                             const ews_call_options *call);

/* AddImGroup: *out holds the new group. */
EWS_API int ews_add_im_group(ews_imlist **out, ews_client *client, const char *display_name,
                             const ews_call_options *call);
/* SetImGroup: renames a group. */
EWS_API int ews_set_im_group(ews_client *client, ews_item_id group_id, const char *new_display_name,
                             const ews_call_options *call);
/* RemoveImGroup */
EWS_API int ews_remove_im_group(ews_client *client, ews_item_id group_id,
                                const ews_call_options *call);

/* AddImContactToGroup: an existing contact (persona id); group_id NULL adds
 * it to the IM list without a group. */
EWS_API int ews_add_im_contact_to_group(ews_client *client, ews_item_id contact_id,
                                        const ews_item_id *group_id, const ews_call_options *call);
/* AddNewImContactToGroup: *out holds the new persona. display_name and
 * group_id may be NULL. */
EWS_API int ews_add_new_im_contact_to_group(ews_imlist **out, ews_client *client,
                                            const char *im_address, const char *display_name,
                                            const ews_item_id *group_id,
                                            const ews_call_options *call);
/* AddNewTelUriContactToGroup: *out holds the new persona. */
EWS_API int ews_add_new_tel_uri_contact_to_group(ews_imlist **out, ews_client *client,
                                                 const char *tel_uri_address,
                                                 const char *im_contact_sip_uri_address,
                                                 const char *im_telephone_number,
                                                 const ews_item_id *group_id,
                                                 const ews_call_options *call);
/* AddDistributionGroupToImList: *out holds the new group. display_name is
 * required (the schema says so, though Microsoft's own example omits it). */
EWS_API int ews_add_distribution_group_to_im_list(ews_imlist **out, ews_client *client,
                                                  const char *smtp_address,
                                                  const char *display_name,
                                                  const ews_call_options *call);

/* RemoveImContactFromGroup */
EWS_API int ews_remove_im_contact_from_group(ews_client *client, ews_item_id contact_id,
                                             ews_item_id group_id, const ews_call_options *call);
/* RemoveContactFromImList: from the IM list and every group. */
EWS_API int ews_remove_contact_from_im_list(ews_client *client, ews_item_id contact_id,
                                            const ews_call_options *call);
/* RemoveDistributionGroupFromImList */
EWS_API int ews_remove_distribution_group_from_im_list(ews_client *client, ews_item_id group_id,
                                                       const ews_call_options *call);

EWS_END_DECLS

#endif
