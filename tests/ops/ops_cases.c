#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ews_test_util.h"
#include "ops_cases.h"

/* The ids and values exactly as the reference pages print them. */
static const ews_item_id get_items_contact = { "AAMkADEzOTExYACABmEhpSAAA=", "EQAAABBmNDjF" };
static const ews_item_id get_items_group = { "AAMkADEzOTExYjJkBY7+0EAAA=", "EgAAAA==" };
static const ews_extended_field get_items_field = { "0x3001", "String" };
static const ews_item_id set_group = { "AAMkAGQ1MjJjMTBkQoTbWAAAAAAQRAAA=", "EgAAAA==" };
static const ews_item_id remove_group = { "AAMkAGQ1MjJjMTBkLTc4Y2UtNDA5hQoTbWAAAAAAQRAAA=",
                                          "EgAAAA==" };
static const ews_item_id add_contact = { "AAMkAGQ1MjJjMTBkLTc4Y2AA=", "EQAAABYAAABtF8oI7i" };
static const ews_item_id add_contact_group = { "AAMkAGQ1MjJjMTBkzzAAAQKAAA=", "EgAAAA==" };
static const ews_item_id new_im_group = { "AAMkAGQ1MjJjMTBkLTc4Y2UtNDAAAQKAAA=", "EgAAAA==" };
static const ews_item_id new_tel_group = { "AAMkADEzOTm4QrAABY7+0GAAA=", NULL };
static const ews_item_id remove_contact = { "AAMkAGQ1MjJjMTBkLTcAAAAvcAAA=",
                                            "EQAAABYAAABtF8oI7iVOQ" };
static const ews_item_id remove_contact_group = { "AAMkAGQ1MjJjMTBkbWAAAAAAQKAAA=",
                                                  "EgAAAA==" };
static const ews_item_id remove_from_list = { "", NULL };
static const ews_item_id remove_dl = { "AAMkADEzO4QrAABmEh5oAAA=", NULL };

#define CASE(name) &ews_im_##name

const ops_case ops_cases[] = {
    { .op = CASE(get_im_items),
      .args = { .contact_ids = &get_items_contact, .contact_count = 1,
          .group_ids = &get_items_group, .group_count = 1, .extended_properties = &get_items_field,
          .extended_count = 1 },
      .culture = "en-US" },
    { .op = CASE(add_im_group), .args = { .display_name = "MyCustomGroup" }, .culture = "en-US" },
    { .op = CASE(set_im_group),
      .args = { .group_id = &set_group, .new_display_name = "MyNewGroupName" },
          .culture = "en-US" },
    { .op = CASE(remove_im_group), .args = { .group_id = &remove_group }, .culture = "en-US" },
    { .op = CASE(add_im_contact_to_group),
      .args = { .contact_id = &add_contact, .group_id = &add_contact_group }, .culture = "en-US" },
    /* The page's request also sends a TimeZoneContext header, which this
     * operation's binding does not declare and nothing here depends on. */
    { .op = CASE(add_new_im_contact_to_group),
      .args = { .im_address = "tsmith@contoso.com", .display_name = "Tony Smith",
          .group_id = &new_im_group },
      .culture = "en-US", .unsent_header = "TimeZoneContext" },
    { .op = CASE(add_new_tel_uri_contact_to_group),
      .args = { .tel_uri_address = "tel:5625550100",
          .im_contact_sip_uri_address = "sip:john@contoso.com", .im_telephone_number = "5625550100",
          .group_id = &new_tel_group },
      .culture = "en-US" },
    /* The page's request lacks the required DisplayName; ours sends it, so
     * its body is compared separately (test_ops_requests.c). */
    { .op = CASE(add_distribution_group_to_im_list),
      .args = { .smtp_address = "distributionlist1@example.com",
          .display_name = "distributionlist1@example.com" },
      .culture = "en-US", .reference_invalid = "DisplayName" },
    { .op = CASE(remove_im_contact_from_group),
      .args = { .contact_id = &remove_contact, .group_id = &remove_contact_group },
      .culture = "en-US" },
    { .op = CASE(remove_contact_from_im_list), .args = { .contact_id = &remove_from_list } },
    { .op = CASE(remove_distribution_group_from_im_list), .args = { .group_id = &remove_dl },
      .culture = "en-US" },
};

const size_t ops_case_count = sizeof ops_cases / sizeof ops_cases[0];

const ops_case *ops_case_named(const char *name)
{
    for (size_t i = 0; i < ops_case_count; i++)
        if (strcmp(ops_cases[i].op->desc->op.name, name) == 0)
            return &ops_cases[i];
    fail_msg("no test case for operation %s", name);
    return NULL;
}

char *ops_load(const char *op, const char *case_dir, const char *file, size_t *len)
{
    char rel[1024];
    snprintf(rel, sizeof rel, "%s/%s/%s", op, case_dir, file);
    return ts_fixture(rel, len);
}

int ops_build(const ops_case *c, ews_buf *out, ews_err *err)
{
    ews_request_headers h = { "Exchange2013", c->culture, { EWS_IMPERSONATE_NONE, NULL } };
    return ews_im_request(out, &h, c->op, &c->args, err);
}
