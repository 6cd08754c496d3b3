/* The IM operations that change a mailbox, one by one, on a copy of the
 * demo mailbox: what each answers, and what GetImItemList shows after. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "imops_test_util.h"

#define ID(name, id) "<m:" name " Id=\"" id "\"/>"

static ews_mock *start(const char *name)
{
    return it_start_file(it_copy_mailbox(NULL, name), 1);
}

/* AddImGroup; returns the new group's id (free). */
static char *add_group(ews_mock *m, const char *name)
{
    it_reply r;
    it_call(m, &r, "<m:AddImGroup><m:DisplayName>%s</m:DisplayName></m:AddImGroup>", name);
    assert_string_equal(r.code, "NoError");
    char *shown = it_find(r.message->children, "DisplayName", NULL);
    char *type = it_find(r.message->children, "GroupType", NULL);
    assert_string_equal(shown, name);
    assert_string_equal(type, "IPM.DistList.MOC.UserGroup");
    char *id = it_find(r.message->children, "ExchangeStoreId", "Id");
    assert_non_null(id);
    free(shown);
    free(type);
    it_reply_free(&r);
    return id;
}

/* AddNewImContactToGroup; returns the persona id (free). */
static char *add_contact(ews_mock *m, const char *address, const char *group_id)
{
    it_reply r;
    char group[256] = "";
    if (group_id)
        snprintf(group, sizeof group, ID("GroupId", "%s"), group_id);
    it_call(m, &r,
            "<m:AddNewImContactToGroup><m:ImAddress>%s</m:ImAddress>%s"
            "</m:AddNewImContactToGroup>",
            address, group);
    assert_string_equal(r.code, "NoError");
    char *id = it_find(r.message->children, "PersonaId", "Id");
    assert_non_null(id);
    it_reply_free(&r);
    return id;
}

static void test_add_im_group(void **state)
{
    (void)state;
    ews_mock *m = start("add-group.xml");
    char *id = add_group(m, "Project X");
    assert_true(strncmp(id, "AAMk", 4) == 0);

    ews_imlist *l = it_list(m);
    assert_int_equal(ews_imlist_group_count(l), 5);
    const ews_im_group *g = it_group_named(l, "Project X");
    assert_non_null(g);
    assert_string_equal(ews_im_group_store_id(g).id, id);
    assert_int_equal(ews_im_group_type_of(g), EWS_IM_GROUP_USER_GROUP);
    ews_imlist_free(l);

    /* Names are unique regardless of case, like Exchange's. */
    it_expect(m, "ErrorImGroupDisplayNameAlreadyExists",
              "<m:AddImGroup><m:DisplayName>project x</m:DisplayName></m:AddImGroup>");
    it_expect(m, "ErrorImGroupDisplayNameAlreadyExists",
              "<m:AddImGroup><m:DisplayName>Favorites</m:DisplayName></m:AddImGroup>");
    it_expect(m, "ErrorSchemaValidation",
              "<m:AddImGroup><m:DisplayName></m:DisplayName></m:AddImGroup>");
    l = it_list(m);
    assert_int_equal(ews_imlist_group_count(l), 5);
    ews_imlist_free(l);

    /* A second group gets an id of its own. */
    char *id2 = add_group(m, "Project Y");
    assert_string_not_equal(id, id2);
    free(id);
    free(id2);
    ews_mock_stop(m);
}

static void test_group_limit(void **state)
{
    (void)state;
    ews_mock *m = it_start_file(it_copy_mailbox("empty.xml", "limit.xml"), 1);
    for (int i = 0; i < 64; i++) {
        char name[32];
        snprintf(name, sizeof name, "g%d", i);
        free(add_group(m, name));
    }
    it_expect(m, "ErrorImGroupLimitReached",
              "<m:AddImGroup><m:DisplayName>one too many</m:DisplayName></m:AddImGroup>");
    ews_mock_stop(m);
}

static void test_set_im_group(void **state)
{
    (void)state;
    ews_mock *m = start("set-group.xml");
    it_expect(m, "NoError",
              "<m:SetImGroup>" ID("GroupId", IT_DEMO_CUSTOM2)
              "<m:NewDisplayName>Renamed</m:NewDisplayName></m:SetImGroup>");
    /* Its own name again, in another case: not a clash with itself. */
    it_expect(m, "NoError",
              "<m:SetImGroup>" ID("GroupId", IT_DEMO_CUSTOM2)
              "<m:NewDisplayName>RENAMED</m:NewDisplayName></m:SetImGroup>");
    it_expect(m, "ErrorImGroupDisplayNameAlreadyExists",
              "<m:SetImGroup>" ID("GroupId", IT_DEMO_CUSTOM2)
              "<m:NewDisplayName>Favorites</m:NewDisplayName></m:SetImGroup>");
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:SetImGroup>" ID("GroupId", "AAMkNoSuchGroup=")
              "<m:NewDisplayName>X</m:NewDisplayName></m:SetImGroup>");
    it_expect(m, "ErrorInvalidIdMalformed",
              "<m:SetImGroup>" ID("GroupId", "not an id!")
              "<m:NewDisplayName>X</m:NewDisplayName></m:SetImGroup>");

    ews_imlist *l = it_list(m);
    const ews_im_group *g = it_group_named(l, "RENAMED");
    assert_non_null(g);
    assert_string_equal(ews_im_group_store_id(g).id, IT_DEMO_CUSTOM2);
    /* Renaming keeps the members. */
    assert_int_equal(ews_im_group_member_count(g), 2);
    assert_null(it_group_named(l, "MyCustomGroup2"));
    assert_int_equal(ews_imlist_group_count(l), 4);
    ews_imlist_free(l);
    ews_mock_stop(m);
}

static void test_remove_im_group(void **state)
{
    (void)state;
    ews_mock *m = start("remove-group.xml");
    it_expect(m, "NoError", "<m:RemoveImGroup>" ID("GroupId", IT_DEMO_CUSTOM2) "</m:RemoveImGroup>");
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:RemoveImGroup>" ID("GroupId", IT_DEMO_CUSTOM2) "</m:RemoveImGroup>");
    it_expect(m, "ErrorInvalidIdMalformed",
              "<m:RemoveImGroup>" ID("GroupId", "%%%%") "</m:RemoveImGroup>");
    it_expect(m, "ErrorInvalidIdEmpty", "<m:RemoveImGroup>" ID("GroupId", "") "</m:RemoveImGroup>");

    ews_imlist *l = it_list(m);
    assert_int_equal(ews_imlist_group_count(l), 3);
    assert_null(it_group_named(l, "MyCustomGroup2"));
    /* The contacts stay on the list. */
    assert_int_equal(ews_imlist_persona_count(l), 2);
    ews_imlist_free(l);
    ews_mock_stop(m);
}

static void test_add_new_im_contact(void **state)
{
    (void)state;
    ews_mock *m = start("new-contact.xml");
    char *group = add_group(m, "Friends");
    it_reply r;
    it_call(m, &r,
            "<m:AddNewImContactToGroup><m:ImAddress>sip:bob@contoso.com</m:ImAddress>"
            "<m:DisplayName>Bob Example</m:DisplayName>" ID("GroupId", "%s")
            "</m:AddNewImContactToGroup>",
            group);
    assert_string_equal(r.response_class, "Success");
    char *bob = it_find(r.message->children, "PersonaId", "Id");
    char *mail = it_find(r.message->children, "EmailAddress", NULL);
    assert_true(strncmp(bob, "AAQk", 4) == 0);
    assert_non_null(strstr(mail, "bob@contoso.com"));
    free(mail);
    it_reply_free(&r);

    ews_imlist *l = it_list(m);
    assert_int_equal(ews_imlist_persona_count(l), 3);
    const ews_persona *p = it_persona_with_im(l, "sip:bob@contoso.com");
    assert_non_null(p);
    assert_string_equal(ews_persona_id(p), bob);
    assert_string_equal(ews_persona_display_name(p), "Bob Example");
    assert_string_equal(ews_persona_email(p)->address, "bob@contoso.com");
    const ews_im_group *g = it_group_named(l, "Friends");
    assert_int_equal(ews_im_group_member_count(g), 1);
    assert_true(it_group_has(g, bob));
    ews_imlist_free(l);

    /* The same address again is the same contact, now in a second group. */
    char *group2 = add_group(m, "Work");
    char *again = add_contact(m, "sip:bob@contoso.com", group2);
    assert_string_equal(again, bob);
    /* Without a group: the Other Contacts group. */
    char *carol = add_contact(m, "carol@contoso.com", NULL);
    l = it_list(m);
    assert_int_equal(ews_imlist_persona_count(l), 4);
    assert_true(it_group_has(it_group_named(l, "Friends"), bob));
    assert_true(it_group_has(it_group_named(l, "Work"), bob));
    assert_true(it_group_has(it_group_named(l, "Other Contacts"), carol));
    assert_string_equal(ews_persona_display_name(it_persona_with_im(l, "carol@contoso.com")),
                        "carol@contoso.com");
    ews_imlist_free(l);

    it_expect(m, "ErrorInvalidImGroupId",
              "<m:AddNewImContactToGroup><m:ImAddress>x@contoso.com</m:ImAddress>"
              ID("GroupId", "AAMkNoSuchGroup=") "</m:AddNewImContactToGroup>");
    /* Contacts go in groups of contacts, not in distribution groups. */
    it_reply dl;
    it_call(m, &dl,
            "<m:AddDistributionGroupToImList><m:SmtpAddress>team@contoso.com</m:SmtpAddress>"
            "<m:DisplayName>Team</m:DisplayName></m:AddDistributionGroupToImList>");
    char *dl_id = it_find(dl.message->children, "ExchangeStoreId", "Id");
    it_reply_free(&dl);
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:AddNewImContactToGroup><m:ImAddress>x@contoso.com</m:ImAddress>"
              ID("GroupId", "%s") "</m:AddNewImContactToGroup>", dl_id);
    free(dl_id);
    free(bob);
    free(again);
    free(carol);
    free(group);
    free(group2);
    ews_mock_stop(m);
}

static void test_add_new_tel_contact(void **state)
{
    (void)state;
    ews_mock *m = start("tel-contact.xml");
    char *group = add_group(m, "Phones");
    it_reply r;
    it_call(m, &r,
            "<m:AddNewTelUriContactToGroup><m:TelUriAddress>tel:5625550100</m:TelUriAddress>"
            "<m:ImContactSipUriAddress>sip:john@contoso.com</m:ImContactSipUriAddress>"
            "<m:ImTelephoneNumber>5625550100</m:ImTelephoneNumber>" ID("GroupId", "%s")
            "</m:AddNewTelUriContactToGroup>",
            group);
    assert_string_equal(r.code, "NoError");
    char *id = it_find(r.message->children, "PersonaId", "Id");
    it_reply_free(&r);

    ews_imlist *l = it_list(m);
    const ews_persona *p = ews_imlist_find_persona(l, id);
    assert_non_null(p);
    assert_int_equal(ews_persona_phone_count(p), 1);
    assert_string_equal(ews_persona_phone(p, 0)->number, "5625550100");
    assert_string_equal(ews_persona_phone(p, 0)->type, "Other");
    assert_string_equal(ews_persona_display_name_first_last(p), "5625550100");
    assert_true(it_group_has(it_group_named(l, "Phones"), id));
    ews_imlist_free(l);

    it_expect(m, "ErrorItemNotFound",
              "<m:AddNewTelUriContactToGroup><m:TelUriAddress>tel:1</m:TelUriAddress>"
              "<m:ImContactSipUriAddress>sip:a@b.c</m:ImContactSipUriAddress>"
              "<m:ImTelephoneNumber>1</m:ImTelephoneNumber>" ID("GroupId", "AAMkNoSuchGroup=")
              "</m:AddNewTelUriContactToGroup>");
    free(id);
    free(group);
    ews_mock_stop(m);
}

static void test_add_im_contact_to_group(void **state)
{
    (void)state;
    ews_mock *m = start("existing-contact.xml");
    char *group = add_group(m, "Close");
    it_expect(m, "NoError",
              "<m:AddImContactToGroup>" ID("ContactId", IT_DEMO_ANTHONY) ID("GroupId", "%s")
              "</m:AddImContactToGroup>", group);
    /* Twice is still one membership. */
    it_expect(m, "NoError",
              "<m:AddImContactToGroup>" ID("ContactId", IT_DEMO_ANTHONY) ID("GroupId", "%s")
              "</m:AddImContactToGroup>", group);
    /* A contact may also be named by its contact item, as groups name it. */
    it_expect(m, "NoError",
              "<m:AddImContactToGroup>" ID("ContactId", IT_DEMO_ANTHONY_ITEM)
              ID("GroupId", IT_DEMO_FAVORITES) "</m:AddImContactToGroup>");
    it_expect(m, "ErrorInvalidImContactId",
              "<m:AddImContactToGroup>" ID("ContactId", "AAQkNoSuchPersona=") ID("GroupId", "%s")
              "</m:AddImContactToGroup>", group);
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:AddImContactToGroup>" ID("ContactId", IT_DEMO_ANTHONY)
              ID("GroupId", "AAMkNoSuchGroup=") "</m:AddImContactToGroup>");

    ews_imlist *l = it_list(m);
    const ews_im_group *g = it_group_named(l, "Close");
    assert_int_equal(ews_im_group_member_count(g), 1);
    assert_true(it_group_has(g, IT_DEMO_ANTHONY));
    assert_true(it_group_has(it_group_named(l, "Favorites"), IT_DEMO_ANTHONY));
    ews_imlist_free(l);
    free(group);
    ews_mock_stop(m);
}

static void test_remove_im_contact_from_group(void **state)
{
    (void)state;
    ews_mock *m = start("remove-member.xml");
    char *group = add_group(m, "Short-lived");
    char *dave = add_contact(m, "dave@contoso.com", group);
    it_expect(m, "NoError",
              "<m:RemoveImContactFromGroup>" ID("ContactId", "%s") ID("GroupId", "%s")
              "</m:RemoveImContactFromGroup>", dave, group);
    it_expect(m, "ErrorUnableToRemoveImContactFromGroup",
              "<m:RemoveImContactFromGroup>" ID("ContactId", "%s") ID("GroupId", "%s")
              "</m:RemoveImContactFromGroup>", dave, group);
    it_expect(m, "ErrorInvalidImContactId",
              "<m:RemoveImContactFromGroup>" ID("ContactId", "AAQkNoSuchPersona=")
              ID("GroupId", "%s") "</m:RemoveImContactFromGroup>", group);
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:RemoveImContactFromGroup>" ID("ContactId", "%s") ID("GroupId", "AAMkNope=")
              "</m:RemoveImContactFromGroup>", dave);

    ews_imlist *l = it_list(m);
    assert_int_equal(ews_im_group_member_count(it_group_named(l, "Short-lived")), 0);
    /* Out of the group, still on the list. */
    assert_non_null(ews_imlist_find_persona(l, dave));
    ews_imlist_free(l);
    free(dave);
    free(group);
    ews_mock_stop(m);
}

static void test_remove_contact_from_im_list(void **state)
{
    (void)state;
    ews_mock *m = start("remove-contact.xml");
    char *a = add_group(m, "A"), *b = add_group(m, "B");
    char *erin = add_contact(m, "erin@contoso.com", a);
    free(add_contact(m, "erin@contoso.com", b));
    it_expect(m, "NoError",
              "<m:RemoveContactFromImList>" ID("ContactId", "%s") "</m:RemoveContactFromImList>",
              erin);
    it_expect(m, "ErrorItemNotFound",
              "<m:RemoveContactFromImList>" ID("ContactId", "%s") "</m:RemoveContactFromImList>",
              erin);
    it_expect(m, "ErrorInvalidIdEmpty",
              "<m:RemoveContactFromImList>" ID("ContactId", "") "</m:RemoveContactFromImList>");

    ews_imlist *l = it_list(m);
    assert_null(ews_imlist_find_persona(l, erin));
    assert_int_equal(ews_imlist_persona_count(l), 2);
    /* Gone from every group; an emptied group has no MemberCorrelationKey. */
    assert_int_equal(ews_im_group_member_count(it_group_named(l, "A")), 0);
    assert_int_equal(ews_im_group_member_count(it_group_named(l, "B")), 0);
    ews_imlist_free(l);

    /* The demo's own contact, named by one of its contact items. */
    it_expect(m, "NoError",
              "<m:RemoveContactFromImList>" ID("ContactId", IT_DEMO_ANTHONY_ITEM)
              "</m:RemoveContactFromImList>");
    l = it_list(m);
    assert_null(ews_imlist_find_persona(l, IT_DEMO_ANTHONY));
    ews_imlist_free(l);
    free(a);
    free(b);
    free(erin);
    ews_mock_stop(m);
}

static void test_distribution_groups(void **state)
{
    (void)state;
    ews_mock *m = it_start_file(it_copy_mailbox(NULL, "dl.xml"), 0);
    it_reply r;
    it_call(m, &r,
            "<m:AddDistributionGroupToImList><m:SmtpAddress>sales@contoso.com</m:SmtpAddress>"
            "<m:DisplayName>Sales</m:DisplayName></m:AddDistributionGroupToImList>");
    assert_string_equal(r.code, "NoError");
    char *id = it_find(r.message->children, "ExchangeStoreId", "Id");
    char *type = it_find(r.message->children, "GroupType", NULL);
    assert_string_equal(type, "IPM.DistList.MOC.DG");
    free(type);
    it_reply_free(&r);

    /* Already there: the same group, not a second one. */
    it_call(m, &r,
            "<m:AddDistributionGroupToImList><m:SmtpAddress>SALES@contoso.com</m:SmtpAddress>"
            "<m:DisplayName>Sales again</m:DisplayName></m:AddDistributionGroupToImList>");
    char *again = it_find(r.message->children, "ExchangeStoreId", "Id");
    assert_string_equal(again, id);
    free(again);
    it_reply_free(&r);

    /* Lenient mode takes the reference page's request without a
     * DisplayName, and names the group by its address as the page does. */
    it_call(m, &r,
            "<m:AddDistributionGroupToImList><m:SmtpAddress>dl1@example.com</m:SmtpAddress>"
            "</m:AddDistributionGroupToImList>");
    char *name = it_find(r.message->children, "DisplayName", NULL);
    assert_string_equal(name, "dl1@example.com");
    free(name);
    it_reply_free(&r);

    it_expect(m, "ErrorInvalidImDistributionGroupSmtpAddress",
              "<m:AddDistributionGroupToImList><m:SmtpAddress>not-an-address</m:SmtpAddress>"
              "<m:DisplayName>X</m:DisplayName></m:AddDistributionGroupToImList>");

    ews_imlist *l = it_list(m);
    const ews_im_group *g = it_group_named(l, "Sales");
    assert_int_equal(ews_im_group_type_of(g), EWS_IM_GROUP_DL);
    assert_string_equal(ews_im_group_smtp_address(g), "sales@contoso.com");
    assert_int_equal(ews_imlist_group_count(l), 6);
    ews_imlist_free(l);

    /* Each kind of group is removed by its own operation. */
    it_expect(m, "ErrorInvalidImGroupId",
              "<m:RemoveImGroup>" ID("GroupId", "%s") "</m:RemoveImGroup>", id);
    it_expect(m, "ErrorItemNotFound",
              "<m:RemoveDistributionGroupFromImList>" ID("GroupId", IT_DEMO_CUSTOM2)
              "</m:RemoveDistributionGroupFromImList>");
    it_expect(m, "NoError",
              "<m:RemoveDistributionGroupFromImList>" ID("GroupId", "%s")
              "</m:RemoveDistributionGroupFromImList>", id);
    it_expect(m, "ErrorItemNotFound",
              "<m:RemoveDistributionGroupFromImList>" ID("GroupId", "%s")
              "</m:RemoveDistributionGroupFromImList>", id);
    l = it_list(m);
    assert_null(it_group_named(l, "Sales"));
    assert_non_null(it_group_named(l, "MyCustomGroup2"));
    ews_imlist_free(l);
    free(id);
    ews_mock_stop(m);
}

static void test_get_im_items(void **state)
{
    (void)state;
    ews_mock *m = start("get-items.xml");
    /* A contact of our own: the demo's carry a deviation from the schema
     * (EmailAddresses/EmailAddress) that would fail the answer's check. */
    it_reply r;
    it_call(m, &r,
            "<m:AddNewImContactToGroup><m:ImAddress>frank@contoso.com</m:ImAddress>"
            "</m:AddNewImContactToGroup>");
    char *frank = it_find(r.message->children, "PersonaId", "Id");
    char *item = it_find(r.message->children, "SourceId", "Id");
    it_reply_free(&r);

    it_call(m, &r,
            "<m:GetImItems><m:ContactIds><t:ItemId Id=\"%s\"/>"
            "<t:ItemId Id=\"AAQkNoSuchPersona=\"/><t:ItemId Id=\"%s\"/>"
            "</m:ContactIds><m:GroupIds><t:ItemId Id=\"" IT_DEMO_FAVORITES "\"/>"
            "<t:ItemId Id=\"AAMkNoSuchGroup=\"/></m:GroupIds></m:GetImItems>",
            frank, item);
    assert_string_equal(r.code, "NoError");
    /* One group and one persona: unknown ids left out, the persona named
     * twice given once. */
    int groups = 0, personas = 0;
    xmlNodePtr list = NULL;
    for (xmlNodePtr n = r.message->children; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "ImItemList") == 0)
            list = n;
    assert_non_null(list);
    for (xmlNodePtr part = list->children; part; part = part->next)
        for (xmlNodePtr n = part->children; n; n = n->next) {
            if (n->type != XML_ELEMENT_NODE)
                continue;
            groups += strcmp((const char *)n->name, "ImGroup") == 0;
            personas += strcmp((const char *)n->name, "Persona") == 0;
        }
    assert_int_equal(groups, 1);
    assert_int_equal(personas, 1);
    char *name = it_find(list->children, "DisplayName", NULL);
    assert_string_equal(name, "Favorites");
    free(name);
    char *pid = it_find(list->children, "PersonaId", "Id");
    assert_string_equal(pid, frank);
    free(pid);
    it_reply_free(&r);

    it_expect(m, "NoError", "<m:GetImItems/>");
    it_expect(m, "ErrorInvalidIdMalformed",
              "<m:GetImItems><m:GroupIds><t:ItemId Id=\"a b\"/></m:GroupIds></m:GetImItems>");
    free(frank);
    free(item);
    ews_mock_stop(m);
}

/* The operations answer for the mailbox impersonation names, like
 * GetImItemList. */
static void test_impersonated_change(void **state)
{
    (void)state;
    static ews_mock_mailbox mb[2];
    char me[1024], other[1024];
    snprintf(me, sizeof me, "%s", it_copy_mailbox(NULL, "svc.xml"));
    snprintf(other, sizeof other, "%s", it_copy_mailbox("empty.xml", "other.xml"));
    mb[0] = (ews_mock_mailbox){ "svc@contoso.com", me, NULL, NULL };
    mb[1] = (ews_mock_mailbox){ "other@contoso.com", other, NULL, NULL };
    static const char *const impersonators[] = { "svc@contoso.com", NULL };
    ews_mock_options o = mt_demo_options();
    o.mailboxes = mb;
    o.mailbox_count = 2;
    o.username = "svc@contoso.com";
    o.impersonators = impersonators;
    ews_mock *m = mt_start(&o);

    const char *env =
        "<?xml version=\"1.0\"?><soap:Envelope "
        "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\" "
        "xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\"><soap:Header>"
        "<t:RequestServerVersion Version=\"Exchange2013\"/><t:ExchangeImpersonation>"
        "<t:ConnectingSID><t:PrimarySmtpAddress>other@contoso.com</t:PrimarySmtpAddress>"
        "</t:ConnectingSID></t:ExchangeImpersonation></soap:Header><soap:Body>"
        "<m:AddImGroup><m:DisplayName>Theirs</m:DisplayName></m:AddImGroup>"
        "</soap:Body></soap:Envelope>";
    mt_request rq = { ews_mock_url(m), env, strlen(env), NULL, NULL, NULL, 0, 0 };
    mt_response resp;
    mt_post(NULL, &rq, &resp);
    assert_int_equal(resp.status, 200);
    assert_true(ts_contains(resp.body.data, "NoError"));
    mt_response_free(&resp);

    ews_imlist *l = it_list(m);
    assert_null(it_group_named(l, "Theirs"));
    ews_imlist_free(l);
    ews_mock_stop(m);
    size_t len;
    char *data = NULL;
    FILE *f = fopen(other, "rb");
    assert_non_null(f);
    data = calloc(1, 65536);
    len = fread(data, 1, 65535, f);
    fclose(f);
    assert_true(len > 0);
    assert_non_null(strstr(data, "Theirs"));
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_im_group),
        cmocka_unit_test(test_group_limit),
        cmocka_unit_test(test_set_im_group),
        cmocka_unit_test(test_remove_im_group),
        cmocka_unit_test(test_add_new_im_contact),
        cmocka_unit_test(test_add_new_tel_contact),
        cmocka_unit_test(test_add_im_contact_to_group),
        cmocka_unit_test(test_remove_im_contact_from_group),
        cmocka_unit_test(test_remove_contact_from_im_list),
        cmocka_unit_test(test_distribution_groups),
        cmocka_unit_test(test_get_im_items),
        cmocka_unit_test(test_impersonated_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
