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
    { .name = "GetImItems", .op = &ews_im_get_im_items },
    { .name = "AddImGroup", .op = &ews_im_add_im_group },
    { .name = "SetImGroup", .op = &ews_im_set_im_group },
    { .name = "RemoveImGroup", .op = &ews_im_remove_im_group },
    { .name = "AddImContactToGroup", .op = &ews_im_add_im_contact_to_group },
    { .name = "AddNewImContactToGroup", .op = &ews_im_add_new_im_contact_to_group },
    { .name = "AddNewTelUriContactToGroup", .op = &ews_im_add_new_tel_uri_contact_to_group },
    { .name = "AddDistributionGroupToImList", .op = &ews_im_add_distribution_group_to_im_list },
    { .name = "RemoveImContactFromGroup", .op = &ews_im_remove_im_contact_from_group },
    { .name = "RemoveContactFromImList", .op = &ews_im_remove_contact_from_im_list },
    { .name = "RemoveDistributionGroupFromImList",
      .op = &ews_im_remove_distribution_group_from_im_list },
};

const size_t oom_im_op_count = sizeof oom_im_ops / sizeof oom_im_ops[0];
