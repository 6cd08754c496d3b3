#include "im_ops.h"

static const ews_item_id contact = { "AAMkADk3Y2Q2Y2JkLWNvbnRhY3Q=", "EQAAABYAAAA=" };
static const ews_item_id group = { "AAMkADk3Y2Q2Y2JkLWdyb3Vw", NULL };
static const ews_item_id contacts[] = { { "PERSONA-1", NULL }, { "PERSONA-2", "CK-2" } };
static const ews_item_id groups[] = { { "GROUP-1", "CK-1" } };
static const ews_extended_field extended[] = { { "0x3001", "String" } };

const ews_im_args oom_im_args = {
    &contact, &group, "Friends & <family>", "Close friends", "sip:ann@contoso.com",
    "ann@contoso.com", "tel:+14255550100", "sip:bob@contoso.com", "+14255550101",
    contacts, 2, groups, 1, extended, 1,
};

const oom_im_op oom_im_ops[] = {
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

const size_t oom_im_op_count = sizeof oom_im_ops / sizeof oom_im_ops[0];
